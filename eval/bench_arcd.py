"""Answer quality on native Arabic questions over many articles: the ARCD development split.

Each of ARCD's 66 articles (Arabic Wikipedia) is written as a Markdown article, `# title` and one
`## ¶<n>` section per distinct paragraph, and all of them are indexed into one index through the
public API. Every question is asked with `Assistant.ask`; beside it, in the same process, a BM25
sentence picker (bm25s over qa's Arabic tokens, the best-scoring sentence of all articles) answers
the same questions. Measured, for both:

- right article / right section: of the first citation (of the first passage when `qa` abstains);
- first quote holds the answer (Arabic-normalised containment, as `qa eval` matches facts), and the
  best token F1 of the answer against a run of words of the first quote;
- any quote holds the answer; abstentions; quote length (characters of the first quote);
- p50 and p95 latency of `ask`.

`qa`'s misses are sorted by cause: wrong article (and how many of those questions share no word of
the article's title), wrong paragraph of the right article (and how many quote the lead paragraph),
right paragraph but a wrong sentence (and how many of those have the answer in a neighbouring
sentence), the answer only in a later quote, a quote cut at «؛» or «:» while the answer goes on, and
refused.

Beside ARCD's own questions, `eval/arcd_items.jsonl` (written by us over the same articles, before
the code it measures) holds near misses (questions about an article's subject that it does not
answer: they should abstain, with `Answer.related` filled) and two-turn follow-ups (the follow-up's
first quote should hold the answer); `eval/arcd_nearmiss_dev.jsonl` holds 60 more near misses and
20 answerable controls on other articles, a set to tune on (reported as `tuning_...`). All are
asked of the same index.

    python eval/bench_arcd.py [--every N] [--json PATH] [--items PATH]

The index lives in reports/arcd/index, so a second run embeds nothing. Data: eval/data/arcd (MIT,
see SOURCE.md).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "eval" / "data" / "arcd" / "arcd-dev.json"
EXTRA = REPO / "eval" / "arcd_items.jsonl"  # held out: measured once before the code it tests
TUNING = REPO / "eval" / "arcd_nearmiss_dev.jsonl"  # near misses and controls to tune on
WORK = REPO / "reports" / "arcd"
CUT_AT = ("؛", ":")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answer: str
    article: int  # index into the articles
    paragraph: int  # index into the article's distinct paragraphs
    offset: int  # of the answer in that (stripped) paragraph


def load(path: Path = DATA) -> tuple[list[tuple[str, list[str]]], list[Question]]:
    """The articles as (title, distinct paragraphs) and the questions with their gold paragraph."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    articles, questions = [], []
    for a, article in enumerate(data):
        paragraphs: list[str] = []
        for par in article["paragraphs"]:
            text = par["context"].strip()
            if text not in paragraphs:
                paragraphs.append(text)
            p = paragraphs.index(text)
            shift = len(par["context"]) - len(par["context"].lstrip())
            for q in par["qas"]:
                gold = q["answers"][0]
                questions.append(Question(q["id"], q["question"].strip(), gold["text"].strip(), a, p,
                                          gold["answer_start"] - shift))
        articles.append((article["title"].strip(), paragraphs))
    return articles, questions


def write_articles(articles: list[tuple[str, list[str]]], folder: Path) -> list[Path]:
    """One Markdown file per article (rewritten only on change)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for a, (title, paragraphs) in enumerate(articles):
        lines = [f"# {title}", ""]
        for p, text in enumerate(paragraphs, start=1):
            lines += [f"## ¶{p}", text, ""]
        path, text = folder / f"arcd-{a:02d}.md", "\n".join(lines)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def best_f1(answer: list[str], quote: list[str]) -> float:
    """The best token F1 of the answer against any run of words of the quote (SQuAD's F1, with
    the run chosen to suit the answer)."""
    if not answer or not quote:
        return 0.0
    best = 0.0
    want = Counter(answer)
    for i in range(len(quote)):
        for j in range(i + 1, min(len(quote), i + 3 * len(answer)) + 1):
            common = sum((Counter(quote[i:j]) & want).values())
            if common:
                precision, recall = common / (j - i), common / len(answer)
                best = max(best, 2 * precision * recall / (precision + recall))
    return best


@dataclass
class Picked:
    """What one system answered: its first quote's section, its quotes, whether it refused."""

    section: tuple[int, int] | None  # (article, paragraph) of the first quote, or of the first passage
    quotes: list[tuple[str, int, int]]  # (text, start, end in the article's text)
    abstained: bool
    seconds: float = 0.0


class BM25Picker:
    """The baseline: every sentence of every article, BM25 over qa's tokens, the best one quoted."""

    def __init__(self, parsed: list[Any]) -> None:
        import bm25s

        from qa.text.sentences import sentence_spans
        from qa.text.words import tokens

        self._tokens = tokens
        self.rows: list[tuple[int, int, str, int, int]] = []  # article, paragraph, text, start, end
        for a, article in enumerate(parsed):
            for p, section in enumerate(s for s in article.sections if s.text.strip()):
                for start, end in sentence_spans(article.text, section.start, section.end):
                    self.rows.append((a, p, article.text[start:end], start, end))
        self.bm25 = bm25s.BM25()
        self.bm25.index([tokens(r[2]) or ["\x00"] for r in self.rows], show_progress=False)

    def pick(self, question: str) -> Picked:
        began = time.perf_counter()
        scores = self.bm25.get_scores(self._tokens(question) or ["\x00"])
        best = int(scores.argmax())
        a, p, text, start, end = self.rows[best]
        return Picked((a, p), [(text, start, end)], False, time.perf_counter() - began)


def cause(q: Question, got: Picked, gold_span: tuple[int, int], article: Any, title_words: set[str],
          question_words: set[str], holds: Any) -> str:
    """Why qa's first quote misses the answer."""
    if got.abstained:
        return "refused"
    if got.section is None or got.section[0] != q.article:
        return "wrong article" + ("" if title_words & question_words else " (no title word in the question)")
    if got.section[1] != q.paragraph:
        return "wrong paragraph" + (" (the lead paragraph)" if got.section[1] == 0 else "")
    if any(holds(text) for text, _, _ in got.quotes[1:]):
        return "answer only in a later quote"
    text, start, end = got.quotes[0]
    if text.rstrip().endswith(CUT_AT) and gold_span[0] >= end:
        between = article.text[end:gold_span[0]]
        if not any(mark in between for mark in ".!?؟\n"):
            return "quote cut at ؛ or : while the answer goes on"
    return "right paragraph, wrong sentence"


def extra_items(assistant: Any, normalize: Any, items: list[dict[str, Any]],
                path: Path = EXTRA) -> dict[str, Any]:
    """Near misses (should abstain, with related reading) and follow-ups (first quote holds the
    answer) over the same articles, from `eval/arcd_items.jsonl`."""
    if not path.exists():
        return {}
    near = declined = related = follow = follow_held = answerable = answered = controls_held = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        answer = assistant.ask(item["question"], item["history"] or None)
        first = answer.citations[0].quote if answer.citations else ""
        row: dict[str, Any] = {"id": item["id"], "question": item["question"], "article": item["article"],
                               "kind": item["kind"], "answer": item["answer"],
                               "qa": {"first_quote": first, "abstained": answer.abstained,
                                      "related": len(answer.related)}}
        if item["kind"] == "near-miss":
            near += 1
            ok = answer.abstained
            declined += ok
            related += ok and bool(answer.related)
        elif item["kind"] == "answerable":  # a control: answered, not refused
            answerable += 1
            needle = normalize(item["answer"])
            ok = not answer.abstained and bool(needle) and needle in normalize(first)
            answered += not answer.abstained
            controls_held += ok
        else:
            follow += 1
            needle = normalize(item["answer"])
            ok = bool(needle) and needle in normalize(first)
            follow_held += ok
        row["qa"]["holds"] = ok
        items.append(row)
    out: dict[str, Any] = {}
    if near:
        out["near_miss_abstained"] = f"{declined}/{near}"
        out["near_miss_with_related"] = f"{related}/{near}"
    if follow:
        out["followup_first_quote_holds"] = f"{follow_held}/{follow}"
    if answerable:
        out["controls_answered"] = f"{answered}/{answerable}"
        out["controls_first_quote_holds"] = f"{controls_held}/{answerable}"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=int, default=1, help="use every N-th question (quick runs)")
    parser.add_argument("--index-dir", type=Path, default=WORK / "index")
    parser.add_argument("--json", type=Path, default=REPO / "reports" / "bench-arcd.json")
    parser.add_argument("--items", type=Path, help="also write one JSON line per question")
    args = parser.parse_args(argv)

    from qa import Assistant, Settings
    from qa.evaluation.metrics import normalize
    from qa.store.embeddings import USEM3Embeddings

    articles, questions = load()
    questions = questions[:: max(1, args.every)]
    paths = write_articles(articles, WORK / "articles")
    embeddings = USEM3Embeddings(threads=max(1, min(2, os.cpu_count() or 1)))
    assistant = Assistant(Settings(articles=paths, index_dir=args.index_dir), embeddings=embeddings)
    assistant.ingest(progress=lambda m: print(f"qa: {m}", file=sys.stderr))
    parsed = {a.path: a for a in assistant.articles()}
    parsed_list = [parsed[str(p)] if str(p) in parsed else parsed[str(p.resolve())] for p in paths]
    by_title = {a.title: n for n, a in enumerate(parsed_list)}
    baseline = BM25Picker(parsed_list)

    from qa.text.words import tokens

    def section_of(article_title: str, start: int) -> tuple[int, int] | None:
        n = by_title.get(article_title)
        if n is None:
            return None
        sections = [s for s in parsed_list[n].sections if s.text.strip()]
        return next(((n, p) for p, s in enumerate(sections) if s.start <= start < s.end), (n, -1))

    def ask(text: str) -> Picked:
        began = time.perf_counter()
        answer = assistant.ask(text)
        seconds = time.perf_counter() - began
        quotes = [(c.quote, c.start or 0, c.end or 0) for c in answer.citations]
        if answer.citations:
            first = answer.citations[0]
            section = section_of(first.article, first.start or 0)
        elif answer.passages:
            first_passage = answer.passages[0]
            section = section_of(first_passage.article, first_passage.start or 0)
        else:
            section = None
        return Picked(section, quotes, answer.abstained, seconds)

    results: dict[str, dict[str, Any]] = {}
    items = []
    causes: Counter[str] = Counter()
    tallies: dict[str, Counter[str]] = {name: Counter() for name in ("qa", "bm25")}
    lengths: dict[str, list[int]] = {"qa": [], "bm25": []}
    latency: dict[str, list[float]] = {"qa": [], "bm25": []}
    f1s: dict[str, list[float]] = {"qa": [], "bm25": []}
    for q in questions:
        article = parsed_list[q.article]
        section = [s for s in article.sections if s.text.strip()][q.paragraph]
        at = section.start + q.offset
        if article.text[at:at + len(q.answer)] != q.answer:  # the stripped paragraph moved: find it
            found = article.text.find(q.answer, section.start, section.end)
            at = found if found >= 0 else section.start
        gold_span = (at, at + len(q.answer))
        needle = normalize(q.answer)

        def holds(text: str, needle: str = needle) -> bool:
            return bool(needle) and needle in normalize(text)

        row: dict[str, Any] = {"id": q.id, "question": q.text, "answer": q.answer,
                               "article": articles[q.article][0], "paragraph": q.paragraph}
        for name, got in (("qa", ask(q.text)), ("bm25", baseline.pick(q.text))):
            t = tallies[name]
            first = got.quotes[0][0] if got.quotes else ""
            t["questions"] += 1
            t["right_article"] += got.section is not None and got.section[0] == q.article
            t["right_section"] += got.section == (q.article, q.paragraph)
            t["first_quote_holds_answer"] += holds(first)
            t["any_quote_holds_answer"] += any(holds(text) for text, _, _ in got.quotes)
            t["abstained"] += got.abstained
            f1 = best_f1(normalize(q.answer).split(), normalize(first).split())
            f1s[name].append(f1)
            if first:
                lengths[name].append(len(first))
            latency[name].append(got.seconds * 1000)
            row[name] = {"first_quote": first, "holds": holds(first), "f1": round(f1, 3),
                         "abstained": got.abstained, "section": got.section, "quotes": len(got.quotes)}
            if name == "qa" and not holds(first):
                why = cause(q, got, gold_span, article, set(tokens(articles[q.article][0])),
                            set(tokens(q.text)), holds)
                causes[why] += 1
                row["qa"]["cause"] = why
        items.append(row)

    for name, t in tallies.items():
        n = max(1, t["questions"])
        results[name] = {
            "questions": t["questions"],
            **{k: round(t[k] / n, 3) for k in ("right_article", "right_section", "first_quote_holds_answer",
                                              "any_quote_holds_answer", "abstained")},
            "first_quote_f1": round(statistics.fmean(f1s[name]), 3) if f1s[name] else 0.0,
            "quote_chars_mean": round(statistics.fmean(lengths[name]), 1) if lengths[name] else 0.0,
            "quote_chars_p50": statistics.median(lengths[name]) if lengths[name] else 0,
            "latency_ms_p50": round(statistics.median(latency[name]), 2),
            "latency_ms_p95": round(sorted(latency[name])[int(0.95 * (len(latency[name]) - 1))], 2),
        }
    results["qa"]["misses_by_cause"] = dict(causes.most_common())
    extra = extra_items(assistant, normalize, items)
    extra.update({f"tuning_{k}": v for k, v in extra_items(assistant, normalize, items, TUNING).items()})
    results["qa"].update(extra)
    keys = ("right_article", "right_section", "first_quote_holds_answer", "first_quote_f1",
            "any_quote_holds_answer", "abstained", "quote_chars_mean", "latency_ms_p50", "latency_ms_p95")
    print(f"ARCD development split: {len(questions)} questions, {len(articles)} articles")
    print(f"{'measure':28} {'qa':>9} {'bm25':>9}")
    for key in keys:
        print(f"{key:28} {results['qa'][key]:>9} {results['bm25'][key]:>9}")
    for key, value in extra.items():
        print(f"{key:28} {value!s:>9}")
    print("qa's misses by cause:")
    for why, count in causes.most_common():
        print(f"  {count:4}  {why}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.items:
        args.items.parent.mkdir(parents=True, exist_ok=True)
        lines = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)
        args.items.write_text(lines, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
