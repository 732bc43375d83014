"""`make bench-ingest`: qa's ingest beside the LangChain tutorial pipeline's, on the same files in
the same run.

Corpora: ARCD's development split (66 articles, eval/data/arcd) and XQuAD's 48 Arabic articles
(eval/data/xquad), written as Markdown articles, one section a paragraph. Each ingest runs in a
fresh process into a fresh index (and so an empty embedding cache); the models are loaded and
warmed first and not timed. The systems take turns (qa, tutorial, qa, ...) so that a busy moment of
the machine falls on both, and the median of the repeats is reported.

- qa: `Assistant.ingest` with the default settings (use-m3, the answerer's second encoder).
- tutorial: RecursiveCharacterTextSplitter 1000/200, all-MiniLM-L6-v2 (sentence-transformers on
  torch, needs `make setup`), `Chroma.from_documents` into a persistent Chroma.

    python eval/ingest_speed.py [--corpus arcd,xquad] [--repeats 3] [--json reports/bench-ingest.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "eval"))

CORPORA = ("arcd", "xquad")
SYSTEMS = ("qa", "tutorial")


def write_corpus(corpus: str, folder: Path) -> list[Path]:
    """The corpus's articles as Markdown files in `folder`."""
    if corpus == "arcd":
        import bench_arcd

        articles, _ = bench_arcd.load()
        return bench_arcd.write_articles(articles, folder)
    import bench_xquad

    articles, _ = bench_xquad.load()
    return bench_xquad.write_articles(articles, folder)


def worker(system: str, articles: Path, index: Path) -> dict[str, Any]:
    """One ingest in this process; the models are loaded before the clock starts."""
    paths = sorted(articles.glob("*.md"))
    began = time.perf_counter()
    if system == "qa":
        from qa import Assistant, Settings

        assistant = Assistant(Settings(index_dir=index, articles=[articles]))
        assert assistant.store is not None  # the Chroma client, made before the clock as the tutorial's is
        assistant.embeddings.embed_array(["warm up"])
        if assistant.second is not None:
            assistant.second.embed_array(["warm up"])
        load = time.perf_counter() - began
        t = time.perf_counter()
        report = assistant.ingest()
        seconds = time.perf_counter() - t
        return {"seconds": seconds, "model_load_s": load, "chunks": report.chunks,
                "sentences": report.sentences, "embedded": report.embedded,
                "blas_threads": getattr(assistant.embeddings, "threads", None)}
    import chromadb
    from langchain_chroma import Chroma

    from bench import _baseline_embeddings, _baseline_splitter

    embeddings = _baseline_embeddings()
    embeddings.embed_query("warm up")
    client = chromadb.PersistentClient(path=str(index),
                                       settings=chromadb.Settings(anonymized_telemetry=False))
    load = time.perf_counter() - began
    t = time.perf_counter()
    docs = _baseline_splitter().create_documents([p.read_text(encoding="utf-8") for p in paths])
    Chroma.from_documents(docs, embeddings, client=client, collection_name="tutorial")
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "model_load_s": load, "chunks": len(docs)}


def run(system: str, articles: Path, work: Path) -> dict[str, Any]:
    index = Path(tempfile.mkdtemp(dir=work, prefix=f"{system}-"))
    proc = subprocess.run([sys.executable, __file__, "--worker", system, "--articles", str(articles),
                           "--index", str(index)], capture_output=True, text=True, cwd=REPO)
    if proc.returncode != 0:
        raise SystemExit(f"{system} ingest failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=",".join(CORPORA))
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, default=REPO / "reports" / "bench-ingest.json")
    parser.add_argument("--worker", choices=SYSTEMS, help=argparse.SUPPRESS)
    parser.add_argument("--articles", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.articles, args.index)))
        return 0
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="qa-ingest-speed-") as tmp:
        work = Path(tmp)
        for corpus in args.corpus.split(","):
            folder = work / corpus
            paths = write_corpus(corpus, folder)
            runs: dict[str, list[dict[str, Any]]] = {s: [] for s in args.systems.split(",")}
            for rep in range(args.repeats):
                for system in runs:
                    got = run(system, folder, work)
                    runs[system].append(got)
                    print(f"{corpus} {system} run {rep + 1}: {got['seconds']:.2f} s", file=sys.stderr)
            results[corpus] = {"articles": len(paths), **{
                system: {**got[-1], "seconds": round(statistics.median(g["seconds"] for g in got), 2),
                         "runs": [round(g["seconds"], 2) for g in got]}
                for system, got in runs.items()}}
            line = ", ".join(f"{s} {results[corpus][s]['seconds']:.2f} s" for s in runs)
            print(f"{corpus} ({len(paths)} articles): {line}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
