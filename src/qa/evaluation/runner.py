"""Run an evaluation set through an Assistant and score every answer.

    from qa import Assistant
    from qa.evaluation import load_items, run_eval
    report = run_eval(Assistant(), load_items("eval/questions.jsonl"))
    print(report.metric("hit1").value)
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from qa.evaluation import metrics as m
from qa.evaluation.items import EvalItem
from qa.evaluation.judge import Verdict, judge_answer, model_name
from qa.text.language import detect_language

if TYPE_CHECKING:  # evaluation reads articles through the Assistant (Assistant.articles)
    from qa.ingest.article import Article

RETRIEVE_K = 10
Progress = Callable[[int, int, str], None]  # (done, total, item id)


@dataclass(frozen=True)
class CitationCheck:
    section: str
    quote: str
    article: str
    gold: bool
    real_heading: bool
    quote_valid: bool


@dataclass(frozen=True)
class ItemResult:
    """What happened to one question, with every check that was made on it."""

    id: str
    question: str
    language: str
    pair: str  # question language -> article language, e.g. "en→ar"
    kind: str  # answerable | out-of-article | near-miss | unanswerable | draft (counted apart)
    tags: tuple[str, ...]
    gold_sections: tuple[str, ...]
    ranked_sections: tuple[str, ...]  # distinct sections retrieved, best first
    gold_rank: int | None
    answer_text: str
    answer_language: str
    abstained: bool
    mode: str
    notice: str | None
    citations: tuple[CitationCheck, ...]
    facts_found: tuple[bool, ...]
    missing_facts: tuple[str, ...]  # the first form of each fact not found
    language_ok: bool
    latency_ms: float
    verdict: Verdict | None = None
    # en items: each fact found in the answer with every Arabic-script character removed
    readable_facts: tuple[bool, ...] = ()
    failures: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.kind == "answerable"

    @property
    def cited_sections(self) -> list[str]:
        return m.distinct(c.section for c in self.citations)


@dataclass(frozen=True)
class Metric:
    """One figure of the report. `value` is None when nothing was there to measure."""

    key: str
    label: str
    value: float | None
    n: int  # how many items (or citations, or claims) it was computed over
    unit: str = ""  # "" for a share in 0..1, "ms" for milliseconds
    llm_judged: bool = False
    higher_is_better: bool = True
    interval: tuple[float, float] | None = None  # 95% Wilson score interval of a share (items, citations)


@dataclass(frozen=True)
class EvalReport:
    """Everything one evaluation run measured."""

    created: str
    set_path: str
    mode: str  # the answer mode asked for
    answer_modes: dict[str, int]  # the modes answers actually came in (llm may fall back)
    settings: dict[str, Any]
    metrics: tuple[Metric, ...]
    by_pair: dict[str, tuple[Metric, ...]]
    items: tuple[ItemResult, ...]
    judge_model: str | None = None
    judge_errors: int = 0

    def metric(self, key: str, pair: str | None = None) -> Metric:
        """The metric called `key`, overall or for one language pair ("ar→ar")."""
        for metric in self.by_pair[pair] if pair else self.metrics:
            if metric.key == key:
                return metric
        raise KeyError(key)

    @property
    def failures(self) -> list[ItemResult]:
        return [item for item in self.items if item.failures]

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        data = asdict(self)
        for item, result in zip(data["items"], self.items, strict=True):
            if result.verdict is not None:
                item["verdict"]["faithfulness"] = result.verdict.faithfulness
        return data


class ArticleTexts:
    """The indexed articles' texts and headings, to check quotes and cited sections against."""

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = list(articles)
        self._by_name = {name: a for a in self.articles for name in (a.title, a.id, a.path)}


    def candidates(self, article: str) -> list[Article]:
        found = self._by_name.get(article)
        return [found] if found is not None else self.articles

    def is_heading(self, article: str, section: str) -> bool:
        return any(section == s.heading for a in self.candidates(article) for s in a.sections)

    def has_quote(self, article: str, quote: str) -> bool:
        needle = m.normalize(quote)
        return bool(needle) and any(needle in self._normalized[a.path] for a in self.candidates(article))

    @cached_property
    def _normalized(self) -> dict[str, str]:
        return {a.path: m.normalize(a.text) for a in self.articles}

    @cached_property
    def headings(self) -> list[str]:
        """The articles' headings and their translations' (citation labels, not facts)."""
        return [s.heading for a in self.articles for s in a.sections] + [
            s.heading for a in self.articles for t in a.translations for s in t.sections]

    @cached_property
    def language(self) -> str:
        return detect_language(" ".join(a.text[:2000] for a in self.articles))


def run_eval(assistant: Any, items: Sequence[EvalItem | dict[str, Any]], *, judge: Any | None = None,
             progress: Progress | None = None, set_path: str = "", mode: str | None = None) -> EvalReport:
    """Ask every item, score the answers and retrieval, and return the report.

    `items` are EvalItems (see `load_items`) or dicts in the eval set's JSON shape. `judge` is an
    optional LangChain chat model for the LLM-judged metrics. `progress` is called after each item
    with (done, total, item id)."""
    todo = [
        i if isinstance(i, EvalItem) else EvalItem.from_dict(i, f"item {n}") for n, i in enumerate(items, 1)
    ]
    settings = assistant.settings
    assistant.retrieve("warm-up", k=1)  # open the index and load the encoder outside the timed calls
    texts = ArticleTexts(assistant.articles())
    results = []
    for done, item in enumerate(todo, start=1):
        results.append(evaluate_item(assistant, item, texts, judge))
        if progress is not None:
            progress(done, len(todo), item.id)
    pairs = sorted({r.pair for r in results})
    return EvalReport(
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        set_path=set_path,
        mode=mode or settings.answer_mode,
        answer_modes=dict(Counter(r.mode for r in results)),
        settings={"embedding_model": settings.embedding_model, "top_k": settings.top_k,
                  "min_evidence": settings.min_evidence, "index": settings.where,
                  "articles": [a.path for a in texts.articles]},
        metrics=tuple(summarize(results, judged=judge is not None)),
        by_pair={p: tuple(summarize([r for r in results if r.pair == p], judged=judge is not None))
                 for p in pairs},
        items=tuple(results),
        judge_model=model_name(judge) if judge is not None else None,
        judge_errors=sum(1 for r in results if r.verdict is not None and r.verdict.error),
    )


def evaluate_item(
    assistant: Any, item: EvalItem, texts: ArticleTexts, judge: Any | None = None
) -> ItemResult:
    """Retrieve, ask, time and check one item."""
    history = [dict(turn) for turn in item.history] or None
    # ask before retrieving, so no cache that retrieval warms up shortens the timed call
    started = time.perf_counter()
    answer = assistant.ask(item.question, history=history)
    latency_ms = (time.perf_counter() - started) * 1000.0
    ranked = m.distinct(p.section for p in assistant.retrieve(item.question, k=RETRIEVE_K, history=history))

    gold = set(item.gold_sections)
    checks = tuple(
        CitationCheck(section=c.section, quote=c.quote, article=c.article, gold=c.section in gold,
                      real_heading=texts.is_heading(c.article, c.section),
                      quote_valid=texts.has_quote(c.article, c.quote))
        for c in answer.citations
    )
    found = tuple(m.fact_hits(item.facts, m.without_labels(answer.text, texts.headings)))
    verdict = (judge_answer(judge, item, answer)
               if judge is not None and not answer.abstained and item.kind != "draft" else None)
    result = ItemResult(
        id=item.id,
        question=item.question,
        language=item.language,
        pair=f"{item.language}→{texts.language}",
        kind=item.kind,
        tags=item.tags,
        gold_sections=item.gold_sections,
        ranked_sections=tuple(ranked[:5]),
        gold_rank=m.gold_rank(ranked, item.gold_sections) if item.answerable else None,
        answer_text=answer.text,
        answer_language=answer.language,
        abstained=answer.abstained,
        mode=answer.mode,
        notice=answer.notice,
        citations=checks,
        facts_found=found,
        missing_facts=tuple(
            forms[0] for forms, hit in zip(item.facts, found, strict=True) if not hit and forms
        ),
        language_ok=m.language_matches(item.language, answer.language, answer.text),
        latency_ms=round(latency_ms, 2),
        verdict=verdict,
        readable_facts=tuple(
            m.fact_hits(item.facts, m.without_arabic(m.without_labels(answer.text, texts.headings)))
        )
        if item.language == "en"
        else (),
    )
    return _with_failures(result)


def _with_failures(r: ItemResult) -> ItemResult:
    why: list[str] = []
    if r.answerable:
        if r.gold_rank != 1:
            why.append(
                f"retrieval: gold section at rank {r.gold_rank or 'none'} "
                f"(top: {', '.join(r.ranked_sections[:3])})"
            )
        if r.abstained:
            why.append("abstained on an answerable question")
        elif r.missing_facts:
            why.append(f"missing facts: {', '.join(r.missing_facts)}")
        if r.citations and not r.citations[0].gold:
            why.append(f"first citation not gold: {r.citations[0].section}")
        wrong = [c.section for c in r.citations if not c.gold]
        if wrong:
            why.append(f"cited non-gold sections: {', '.join(m.distinct(wrong))}")
    elif not r.abstained and r.kind != "draft":
        why.append(f"answered an unanswerable ({r.kind}) question")
    for c in r.citations:
        if not c.real_heading:
            why.append(f"cited section is not a heading: {c.section!r}")
        if not c.quote_valid:
            why.append(f"quote not in the article: {c.quote[:60]!r}")
    if not r.language_ok:
        why.append(f"answer language: {r.answer_language} (asked in {r.language})")
    if r.verdict is not None and r.verdict.error:
        why.append(f"judge: {r.verdict.error}")
    elif r.verdict is not None and r.verdict.unsupported:
        why.append(f"judge: unsupported claims: {'; '.join(r.verdict.unsupported)[:160]}")
    from dataclasses import replace

    return replace(r, failures=tuple(why))


def _share(key: str, label: str, flags: Sequence[bool], *, higher: bool = True) -> Metric:
    if not flags:
        return Metric(key, label, None, 0, higher_is_better=higher)
    return Metric(key, label, sum(flags) / len(flags), len(flags), higher_is_better=higher,
                  interval=m.wilson_interval(sum(flags), len(flags)))


def _judged_correct(r: ItemResult) -> bool | None:
    """The judge's correctness verdict; an abstention on an answerable question is wrong without
    asking. None when the judge gave no usable verdict."""
    if r.abstained:
        return False
    if r.verdict is None or r.verdict.error is not None:
        return None
    return r.verdict.correct


def summarize(results: Sequence[ItemResult], *, judged: bool = False) -> list[Metric]:
    """The report's figures over a list of item results (drafts are asked, listed and counted, and
    left out of every figure: nobody has said yet whether they are answerable)."""
    drafts = sum(1 for r in results if r.kind == "draft")
    results = [r for r in results if r.kind != "draft"]
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    citations = [c for r in results for c in r.citations]
    ranks = [r.gold_rank for r in answerable]
    mrr, _, _ = m.mean(m.reciprocal_rank(rank) for rank in ranks)
    recall, _, recall_n = m.mean(sum(r.facts_found) / len(r.facts_found) for r in answerable if r.facts_found)
    precision, _, precision_n = m.mean(
        m.citation_precision(r.cited_sections, r.gold_sections) for r in answerable
    )
    cit_recall, _, cit_recall_n = m.mean(
        m.citation_recall(r.cited_sections, r.gold_sections) for r in answerable
    )
    latencies = [r.latency_ms for r in results]
    out = [
        _share("hit1", "retrieval hit@1", [m.hit_at(rank, 1) for rank in ranks]),
        _share("hit3", "retrieval hit@3", [m.hit_at(rank, 3) for rank in ranks]),
        Metric("mrr", "retrieval MRR", mrr, len(ranks)),
        Metric("fact_recall", "fact recall", recall, recall_n),
        _share(
            "facts_complete", "all facts found", [all(r.facts_found) for r in answerable if r.facts_found]
        ),
        Metric("citation_precision", "citation precision", precision, precision_n),
        Metric("citation_recall", "citation recall", cit_recall, cit_recall_n),
        _share(
            "first_citation",
            "first citation in gold",
            [bool(r.citations) and r.citations[0].gold for r in answerable],
        ),
        _share("quote_validity", "quote validity", [c.quote_valid for c in citations]),
        _share("real_heading", "cited section is a real heading", [c.real_heading for c in citations]),
        _share("readable_facts", "en: all facts found with Arabic script removed",
               [all(r.readable_facts) for r in answerable if r.language == "en" and r.readable_facts]),
        _share("abstention", "abstention on unanswerable", [r.abstained for r in unanswerable]),
        _share(
            "abstention_ooa",
            "abstention: out-of-article",
            [r.abstained for r in unanswerable if r.kind == "out-of-article"],
        ),
        _share(
            "abstention_near_miss",
            "abstention: near-miss",
            [r.abstained for r in unanswerable if r.kind == "near-miss"],
        ),
        _share("over_refusal", "over-refusal on answerable", [r.abstained for r in answerable], higher=False),
        _share("language_match", "answer language match", [r.language_ok for r in results]),
        *(Metric(f"latency_p{q}_ms", f"latency p{q}", m.percentile(latencies, q), len(latencies), "ms",
                 higher_is_better=False) for q in (50, 95)),
    ]
    if judged:
        verdicts = [r.verdict for r in results if r.verdict is not None and r.verdict.error is None]
        faith, _, faith_n = m.mean(v.faithfulness for v in verdicts)
        correct = [ok for ok in map(_judged_correct, answerable) if ok is not None]
        out += [
            Metric("faithfulness", "faithfulness (LLM-judged)", faith, faith_n, llm_judged=True),
            Metric(
                "correctness",
                "correctness (LLM-judged)",
                (sum(correct) / len(correct)) if correct else None,
                len(correct),
                llm_judged=True,
            ),
        ]
    if drafts:
        out.append(Metric("drafts", "drafts (not yet marked answerable or not; left out)", float(drafts),
                          drafts, unit="items"))
    return out
