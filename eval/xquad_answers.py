"""The extractive answerer on XQuAD: how often the first quote holds the answer, and how often XQuAD
questions asked of the seed article (which cannot answer them) are answered instead of refused.

- first quotes: every XQuAD question (English and Arabic) asked of the index of XQuAD's Arabic
  articles (built as eval/bench_xquad.py builds it, in the same folder); right when the first
  citation's quote holds the gold Arabic answer span (both normalised as the eval's fact matching
  normalises: qa.evaluation's `normalize`).
- off-topic answers: every 5th question in each language asked of the seed (476 questions); each
  should abstain.

    python eval/xquad_answers.py [--every N] [--json PATH] [--items PATH]

It also counts first quotes by the answer kind each question asks for (qa.question.kinds.kinds_of:
when, where, how_many ...; "none"), and `--items` writes one JSON line per question.

The figures in eval/EXPERIMENTS.md ("first quotes holding the answer", "off-topic answers") are
this script's. Data: eval/data/xquad (CC BY-SA 4.0, see SOURCE.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_xquad import DATA, REPO, WORK, load, write_articles  # noqa: E402
from qa.question.kinds import kinds_of

OFF_TOPIC_EVERY = 5


def gold_answers() -> dict[str, str]:
    """XQuAD question id -> its Arabic answer span."""
    data = json.loads((DATA / "xquad.ar.json").read_text(encoding="utf-8"))["data"]
    return {
        qa["id"]: qa["answers"][0]["text"] for art in data for par in art["paragraphs"] for qa in par["qas"]
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", type=Path, default=WORK / "index",
                        help="qa index of the XQuAD articles (shared with eval/bench_xquad.py)")
    parser.add_argument(
        "--every", type=int, default=1, help="use every N-th question for first quotes (quick runs)"
    )
    parser.add_argument("--json", type=Path, default=REPO / "reports" / "xquad-answers.json")
    parser.add_argument(
        "--items", type=Path, help="also write one JSON line per question asked of the XQuAD index"
    )
    args = parser.parse_args(argv)

    from qa import Assistant, Settings
    from qa.evaluation.metrics import normalize
    from qa.store.embeddings import USEM3Embeddings

    articles, questions = load()
    answers = gold_answers()
    paths = write_articles(articles, WORK / "articles")
    embeddings = USEM3Embeddings(threads=max(1, min(2, os.cpu_count() or 1)))
    xquad = Assistant(Settings(articles=paths, index_dir=args.index_dir), embeddings=embeddings)
    xquad.ingest(progress=print)
    seed = Assistant(embeddings=embeddings)

    results: dict[str, Any] = {}
    items = []
    began = time.perf_counter()
    for lang in ("en", "ar"):
        right = refused = 0
        by_kind: dict[str, list[int]] = {}  # an answer kind (qa.question.kinds.kinds_of) -> [right, asked]
        asked = questions[:: max(1, args.every)]
        for q in asked:
            text = q.en if lang == "en" else q.ar
            answer = xquad.ask(text)
            refused += answer.abstained
            ok = bool(answer.citations) and normalize(answers[q.id]) in normalize(answer.citations[0].quote)
            right += ok
            for kind in sorted(kinds_of(text)) or ["none"]:
                tally = by_kind.setdefault(kind, [0, 0])
                tally[0] += ok
                tally[1] += 1
            items.append({"id": q.id, "language": lang, "question": text, "answer": answers[q.id],
                          "first_quote_holds_answer": ok, "abstained": answer.abstained,
                          "first_quote": answer.citations[0].quote if answer.citations else None})
        off = [seed.ask(q.en if lang == "en" else q.ar) for q in questions[::OFF_TOPIC_EVERY]]
        results[lang] = {"questions": len(asked), "first_quote_holds_answer": right, "refused": refused,
                         "off_topic_asked": len(off), "off_topic_answered": sum(not a.abstained for a in off),
                         "by_kind": {k: {"first_quote_holds_answer": v[0], "questions": v[1]}
                                     for k, v in sorted(by_kind.items())}}
        print(f"{lang}->ar: first quote holds the answer {right}/{len(asked)} (refused {refused}); "
              f"off-topic answered {results[lang]['off_topic_answered']}/{len(off)}")
        print("  by answer kind: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(by_kind.items())))
    total = sum(r["off_topic_answered"] for r in results.values())
    print(f"off-topic answered in all: {total}/{sum(r['off_topic_asked'] for r in results.values())} "
          f"({time.perf_counter() - began:.0f}s)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if args.items:
        args.items.parent.mkdir(parents=True, exist_ok=True)
        args.items.write_text(
            "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
