"""The LangChain tutorial pipeline at the growth benchmark's sizes (eval/growth.py --text real).

    python eval/growth_tutorial.py [--sizes 1000,10000,100000] [--queries 24] [--json]

The tutorial's chunks of the same real text: XQuAD's and ARCD's Arabic articles split by
RecursiveCharacterTextSplitter 1000/200, repeated with distinct ids up to each size. As in
eval/growth.py, each distinct chunk is embedded once (all-MiniLM-L6-v2, the tutorial's model) and
each copy gets that vector with a little noise, re-normalised: embedding 100k chunks would take
most of an hour. So the build time is Chroma's `add` of the records; the embedding throughput
measured on the distinct chunks is reported beside it, to give the tutorial's full ingest at each
size. Then a fresh process, the model already loaded, opens the store and times
`similarity_search(q, k=4)` on the eval questions; open time includes the first query, which is
when Chroma reads its HNSW index. Embedded Chroma only (the tutorial's setup).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "eval"))
COLLECTION = "tutorial-growth"
NOISE = 0.05  # as eval/growth.py
ENV = {"ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1"}


def _chunks() -> list[str]:
    from bench import _baseline_splitter

    texts = []
    data = REPO / "eval" / "data"
    for path in (data / "xquad" / "xquad.ar.json", data / "arcd" / "arcd-dev.json"):
        for i, article in enumerate(json.loads(path.read_text(encoding="utf-8"))["data"]):
            paragraphs = dict.fromkeys(p["context"].strip() for p in article["paragraphs"])
            texts.append("\n\n".join([f"# a{i}", *(f"## ¶{j}\n{p}" for j, p in enumerate(paragraphs))]))
    return [d.page_content for d in _baseline_splitter().create_documents(texts)]


def build(folder: str, start: int, stop: int) -> dict[str, Any]:
    import chromadb
    import numpy as np

    from bench import _baseline_embeddings

    chunks = _chunks()
    cache = Path(folder) / "minilm-vectors.npy"
    embed_s = None
    if cache.exists():
        vectors = np.load(cache)
    else:
        model = _baseline_embeddings()
        model.embed_query("warm up")
        began = time.perf_counter()
        vectors = np.asarray(model.embed_array(chunks), dtype=np.float32)
        embed_s = time.perf_counter() - began
        np.save(cache, vectors)
    rng = np.random.default_rng(start)
    client = chromadb.PersistentClient(path=str(Path(folder) / "chroma"),
                                       settings=chromadb.Settings(anonymized_telemetry=False))
    collection = client.get_or_create_collection(COLLECTION, embedding_function=None)
    began = time.perf_counter()
    step = 4096
    for lo in range(start, stop, step):
        rows = range(lo, min(lo + step, stop))
        base = vectors[[r % len(chunks) for r in rows]]
        noisy = base + rng.normal(size=base.shape).astype(np.float32) * (NOISE / np.sqrt(base.shape[1]))
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        collection.add(ids=[f"c{r}" for r in rows], embeddings=noisy,
                       documents=[chunks[r % len(chunks)] for r in rows],
                       metadatas=[{"source": f"copy{r // len(chunks)}"} for r in rows])
    add_s = time.perf_counter() - began
    out: dict[str, Any] = {"distinct_chunks": len(chunks), "add_s": round(add_s, 2)}
    if embed_s is not None:
        out["embed_distinct_s"] = round(embed_s, 2)
        out["embed_chunks_per_s"] = round(len(chunks) / embed_s, 1)
    return out


def measure(folder: str, queries: int) -> dict[str, Any]:
    import chromadb
    import psutil
    from langchain_chroma import Chroma

    from bench import _baseline_embeddings
    from growth import QUESTIONS, timed

    items = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [i["question"] for i in items][:queries]
    model = _baseline_embeddings()
    model.embed_query("warm up")
    rss_before = psutil.Process().memory_info().rss
    began = time.perf_counter()
    client = chromadb.PersistentClient(path=str(Path(folder) / "chroma"),
                                       settings=chromadb.Settings(anonymized_telemetry=False))
    store = Chroma(client=client, collection_name=COLLECTION, embedding_function=model)
    store.similarity_search(questions[0], k=4)
    open_s = time.perf_counter() - began
    rss_after = psutil.Process().memory_info().rss
    for q in questions[:3]:
        store.similarity_search(q, k=4)
    return {"chunks": client.get_collection(COLLECTION).count(), "open_s": round(open_s, 2),
            "retrieve": timed(lambda q: store.similarity_search(q, k=4), questions),
            "rss_mb": round(rss_after / 2**20, 1), "index_rss_mb": round((rss_after - rss_before) / 2**20, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def _child(mode: str, **args: Any) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, "--child", mode, "--child-args", json.dumps(args)],
                          capture_output=True, text=True, env={**os.environ, **ENV}, timeout=7200)
    if proc.returncode:
        raise RuntimeError(f"tutorial growth {mode} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated chunk counts")
    parser.add_argument("--queries", type=int, default=24, help="questions timed per size")
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--child", choices=["build", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--child-args", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_args = json.loads(args.child_args)
        print(json.dumps(build(**child_args) if args.child == "build" else measure(**child_args)))
        return 0
    from growth import disk_mb

    folder = Path(tempfile.mkdtemp(prefix="qa-growth-tutorial-"))
    rows, done, throughput, added = [], 0, None, 0.0
    try:
        for size in sorted(int(s) for s in args.sizes.split(",")):
            print(f"tutorial growth: building {size:,} chunks", file=sys.stderr, flush=True)
            built = _child("build", folder=str(folder), start=done, stop=size)
            throughput = built.get("embed_chunks_per_s", throughput)
            done, added = size, added + built["add_s"]
            row = {**_child("measure", folder=str(folder), queries=args.queries), **built,
                   "disk_mb": disk_mb(folder / "chroma")}
            if throughput:
                row["ingest_estimate_s"] = round(size / throughput + added, 1)  # every chunk embedded
            rows.append(row)
            print(f"tutorial growth: {json.dumps(rows[-1])}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result = {"system": "LangChain tutorial (RecursiveCharacterTextSplitter 1000/200, all-MiniLM-L6-v2, "
                        "Chroma k=4), embedded", "sizes": rows}
    print(json.dumps(result, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
