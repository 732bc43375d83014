"""How retrieval latency and memory grow with the index: 1k, 10k and 100k chunks.

    python eval/growth.py [--sizes 1000,10000,100000] [--queries 24] [--json] [--keep DIR]

The index is synthetic: Arabic sentences drawn from the seed article's own words (one sentence per
chunk, 20 chunks per article, 5 per section), with random unit vectors in place of use-m3
embeddings, because embedding 100k texts would take most of an hour on two cores, and neither the
HNSW search nor BM25 cares what the vectors mean. The vectors are written through qa's own
Store (the same collections, metadata and manifest as `qa ingest`), so each step measures the real
query path: a fresh process opens the index with `Assistant`, and `retrieve(q, k=4)` embeds the
real question with use-m3, translates English words through the vocabulary collection, runs BM25
over every chunk, and asks Chroma for the nearest chunks and sentences.

The index grows in place: each size adds chunks to the one generation (in its own process), then a
new process measures: index load time, RSS after loading, retrieve p50/p95, peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "syria-us-palmyra-call.ar.txt"
QUESTIONS = REPO / "eval" / "questions.jsonl"
GENERATION = "g-growth"
CHUNKS_PER_ARTICLE = 20
CHUNKS_PER_SECTION = 5
DIM = 512
ENV = {"ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1"}


def _settings(index: Path) -> Any:
    from qa import Settings

    # retrieve() ranks by use-m3 alone; with the second encoder on, opening the synthetic index would
    # embed all its sentences with e5-small (no vectors of its own are stored): 100k took over 20 min
    return Settings(index_dir=index, second_encoder="none")


def _words() -> list[str]:
    from qa.text.bridge import vocabulary

    return vocabulary([SEED.read_text(encoding="utf-8")])


def _sentence(rng: Any, words: list[str], n: int) -> str:
    picked = rng.choice(len(words), size=int(rng.integers(14, 26)))
    return " ".join(words[i] for i in picked) + f" رقم {n}."


def _unit_vectors(rng: Any, n: int) -> Any:
    import numpy as np

    v = rng.standard_normal((n, DIM), dtype=np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return v


def build(index: Path, start: int, stop: int) -> dict[str, Any]:
    """Add chunks [start, stop) (and their sentences) to the growth generation and activate it."""
    import numpy as np

    from qa.store.chroma import Manifest, Store

    store = Store(_settings(index))
    words = _words()
    rng = np.random.default_rng(start)
    began = time.perf_counter()
    if start == 0:
        collections = store.new_generation(GENERATION)
        store.add(
            collections["vocab"], [f"w{i}" for i in range(len(words))], _unit_vectors(rng, len(words)), words
        )
    else:
        collections = {kind: store.collection(GENERATION, kind) for kind in ("chunks", "sentences")}
    step = 5000
    for lo in range(start, stop, step):
        hi = min(stop, lo + step)
        ids, docs, metas = [], [], []
        for n in range(lo, hi):
            article, position = divmod(n, CHUNKS_PER_ARTICLE)
            text = _sentence(rng, words, n)
            ids.append(f"c{n}")
            docs.append(text)
            metas.append({
                "article_id": f"syn{article:06d}", "article_title": f"مقال {article}",
                "section_index": position // CHUNKS_PER_SECTION,
                "section_heading": f"القسم {position // CHUNKS_PER_SECTION} من المقال {article}",
                "chunk_index": position, "start": 0, "end": len(text), "token_count": 0,
            })
        vectors = _unit_vectors(rng, hi - lo)
        store.add(collections["chunks"], ids, vectors, docs, metas)
        store.add(collections["sentences"], [f"{i}:0" for i in ids],
                  vectors + 0.1 * _unit_vectors(rng, hi - lo), docs,
                  [{**m, "chunk_id": i} for i, m in zip(ids, metas, strict=True)])
    store.activate(Manifest(GENERATION, "use-m3", DIM, f"growth-{stop}", stop, stop, ()))
    return {"build_s": round(time.perf_counter() - began, 2)}


def measure(index: Path, queries: int) -> dict[str, Any]:
    """Open the index in this fresh process and time retrieve(q, k=4)."""
    import psutil

    from qa import Assistant

    items = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [i["question"] for i in items][:queries]
    assistant = Assistant(_settings(index))
    assistant.embeddings.embed_query("warm up")
    rss_before = psutil.Process().memory_info().rss
    began = time.perf_counter()
    index_ = assistant.index()
    load_s = time.perf_counter() - began
    rss_after = psutil.Process().memory_info().rss
    for q in questions[:3]:
        assistant.retrieve(q, k=4)
    times = []
    for q in questions:
        t = time.perf_counter()
        assistant.retrieve(q, k=4)
        times.append(1000 * (time.perf_counter() - t))
    ordered = sorted(times)
    return {
        "chunks": len(index_), "sentences": len(index_.sentences), "load_s": round(load_s, 2),
        "retrieve": {"p50_ms": round(statistics.median(times), 2),
                     "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
                     "n": len(times)},
        "rss_mb": round(rss_after / 2**20, 1), "index_rss_mb": round((rss_after - rss_before) / 2**20, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _child(mode: str, **args: Any) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, "--child", mode, "--child-args", json.dumps(args)],
                          capture_output=True, text=True, env={**os.environ, **ENV}, timeout=7200)
    if proc.returncode:
        raise RuntimeError(f"growth {mode} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def disk_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)


def run(sizes: list[int], queries: int, keep: Path | None) -> dict[str, Any]:
    index = keep or Path(tempfile.mkdtemp(prefix="qa-growth-"))
    rows = []
    try:
        done = 0
        for size in sorted(sizes):
            print(f"growth: building {size:,} chunks", file=sys.stderr, flush=True)
            built = _child("build", index=str(index), start=done, stop=size)
            done = size
            row = _child("measure", index=str(index), queries=queries)
            rows.append({**row, **built, "disk_mb": disk_mb(index)})
            print(f"growth: {json.dumps(rows[-1])}", file=sys.stderr, flush=True)
    finally:
        if keep is None:
            shutil.rmtree(index, ignore_errors=True)
    return {
        "vectors": "random unit vectors (synthetic text from the seed's words); queries embedded by use-m3",
        "sizes": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated chunk counts")
    parser.add_argument("--queries", type=int, default=24, help="questions timed per size")
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--keep", type=Path, help="build the index here and keep it")
    parser.add_argument("--child", choices=["build", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--child-args", default="{}", help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.child:
        os.environ.update(ENV)
        args = json.loads(opts.child_args)
        if opts.child == "build":
            result = build(Path(args["index"]), args["start"], args["stop"])
        else:
            result = measure(Path(args["index"]), args["queries"])
        print(json.dumps(result))
        return 0
    result = run([int(s) for s in opts.sizes.split(",") if s.strip()], opts.queries, opts.keep)
    if opts.json:
        print(json.dumps(result))
    else:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
