"""How much retrieving also with a translation of the question helps LLM mode (English questions,
Arabic article): gold-section hit@1, hit@3 and MRR of the plain hybrid ranking against the ranking
fused with the translation's (reciprocal rank fusion, as `qa.answer.llm.chain` does).

Ranks count sections among the chunks that fit the prompt's token budget (QA_LLM_CONTEXT_TOKENS),
since that is what the model reads. Two measurements:
- oracle: the eval set's cross-language paraphrase pairs. The Arabic item stands in for a perfect
  translation of the English one (same gold sections). Needs no model: an upper bound.
- model: every answerable English item, translated by the configured chat model with
  prompts/translate.md. Needs QA_LLM_BASE_URL and QA_LLM_MODEL (and QA_LLM_API_KEY if the
  endpoint wants one); skipped, with a note, when they are not set.

    python eval/translation_gain.py [--set eval/questions.jsonl] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from qa import Assistant, Settings
from qa.answer.llm.chain import LANGUAGE_NAMES, Budget, LLMAnswerer, fuse, text_chain
from qa.answer.llm.packing import pack
from qa.evaluation import metrics as m
from qa.evaluation.items import EvalItem, load_items
from qa.question.clean import clean_question
from qa.question.query import parse
from qa.retrieval.records import Hit
from qa.scoring import SCORING

ROOT = Path(__file__).resolve().parent.parent


def ranks(assistant: Assistant, question: str, translation: str | None,
          gold: tuple[str, ...]) -> tuple[int | None, int | None]:
    """Gold rank without and with the translation fused in, counted among the sections of the
    chunks that fit the prompt's token budget (None: no gold section reaches the model)."""
    budget = assistant.settings.llm_context_tokens

    def rank(hits: list[Hit], index: Any) -> int | None:
        return m.gold_rank([p.section for p in pack(index, hits, budget)], gold)

    index, k = assistant.index(), SCORING.llm.candidates
    plain = index.find(parse(clean_question(question, 10_000), None, index), k)
    if translation is None:
        return rank(plain, index), rank(plain, index)
    more = index.find(parse(clean_question(translation, 10_000), None, index), k)
    return rank(plain, index), rank(fuse(plain, more), index)


def summary(pairs: list[tuple[int | None, int | None]]) -> dict[str, Any]:
    def figures(rs: list[int | None]) -> dict[str, float]:
        n = max(1, len(rs))
        return {"hit1": sum(m.hit_at(r, 1) for r in rs) / n, "hit3": sum(m.hit_at(r, 3) for r in rs) / n,
                "mrr": sum(m.reciprocal_rank(r) for r in rs) / n}

    return {"n": len(pairs), "plain": figures([a for a, _ in pairs]), "fused": figures([b for _, b in pairs]),
            "in_context": (sum(a is not None for a, _ in pairs) / max(1, len(pairs)),
                           sum(b is not None for _, b in pairs) / max(1, len(pairs))),
            "helped": sum(1 for a, b in pairs if (b or 99) < (a or 99)),
            "hurt": sum(1 for a, b in pairs if (b or 99) > (a or 99))}


def oracle(assistant: Assistant, items: list[EvalItem]) -> dict[str, Any]:
    by_id = {i.id: i for i in items}
    pairs = []
    for item in items:
        other = by_id.get(item.paraphrase_of or "")
        for en, ar in ((item, other), (other, item)):
            if en is None or ar is None or en.language != "en" or ar.language != "ar" or not en.answerable:
                continue
            pairs.append(ranks(assistant, en.question, ar.question, en.gold_sections))
    return summary(pairs)


def with_model(assistant: Assistant, items: list[EvalItem]) -> dict[str, Any] | None:
    settings = assistant.settings
    if not (settings.llm_model and (settings.llm_base_url or settings.llm_api_key)):
        return None
    answerer = LLMAnswerer(settings)
    chain = text_chain(answerer.model(), "translate")
    pairs, failed = [], 0
    for item in items:
        if item.language != "en" or not item.answerable or item.history:
            continue
        try:
            translation = answerer._text(
                chain,
                {"question": item.question, "target_language": LANGUAGE_NAMES["ar"]},
                Budget(settings.llm_timeout),
            )
        except Exception as err:  # noqa: BLE001 - one failed call is counted, the run goes on
            print(f"  {item.id}: translation failed: {err}", file=sys.stderr)
            failed += 1
            translation = None
        pairs.append(ranks(assistant, item.question, translation, item.gold_sections))
    return {**summary(pairs), "translation_failures": failed, "model": settings.llm_model}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default=str(ROOT / "eval" / "questions.jsonl"))
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    items = load_items(args.set)
    assistant = Assistant(Settings())
    result = {"oracle": oracle(assistant, items), "model": with_model(assistant, items)}
    for name, figures in result.items():
        if figures is None:
            print(
                f"{name}: not measured: no chat model endpoint configured "
                "(set QA_LLM_BASE_URL and QA_LLM_MODEL)"
            )
            continue
        p, f = figures["plain"], figures["fused"]
        print(f"{name}: n={figures['n']}  hit@1 {p['hit1']:.3f} -> {f['hit1']:.3f}  hit@3 {p['hit3']:.3f} -> "
              f"{f['hit3']:.3f}  MRR {p['mrr']:.3f} -> {f['mrr']:.3f}  gold in packed context "
              f"{figures['in_context'][0]:.3f} -> {figures['in_context'][1]:.3f}  "
              f"(helped {figures['helped']}, hurt {figures['hurt']})")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
