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

With `--text real` the chunks are real article text instead: XQuAD's and ARCD's Arabic paragraphs
(eval/data), one section per paragraph, cut into chunks by qa's own chunker (`qa ingest`'s
sentences packed up to QA_CHUNK_MAX_TOKENS), repeated with distinct ids, articles and headings; the
vocabulary is their words. Each distinct text (about 2,500 chunks and sentences, 14,000 words) is
embedded once by use-m3 (cached in the index folder) and each copy gets that vector with a little
noise, re-normalised, so the vectors have real text's geometry without embedding 100k texts. With
`--server` the index lives in a real `chroma run` on a free loopback port, started here and always
stopped, and the readers are its clients (their snapshots go to the run's own cache folder).

The index grows in place: each size adds chunks to the one generation (in its own process), then a
new process measures: index load time, RSS after loading, retrieve p50/p95, peak RSS. It measures
twice: the first process opens the index from Chroma's records and writes the readers' snapshot,
the second opens it from the snapshot (qa.retrieval.snapshot), as every later reader does.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
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
NOISE = 0.05  # norm of the noise added to a real text's unit vector for each copy (cosine ~0.999)
VECTOR_CACHE = "real-vectors.npz"
ENV = {"ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1"}


def _settings(index: Path) -> Any:
    from qa import Settings

    # retrieve() ranks by use-m3 alone; with the second encoder on, opening the synthetic index would
    # embed all its sentences with e5-small (no vectors of its own are stored): 100k took over 20 min
    url = os.environ.get("QA_GROWTH_SERVER")
    if url:
        return Settings(chroma_url=url, collection_prefix="growth", second_encoder="none")
    return Settings(index_dir=index, second_encoder="none")


def _real_chunks() -> list[tuple[str, int, list[tuple[int, int]]]]:
    """Real chunks, as `qa ingest` cuts them: (text, cl100k tokens, sentence spans in the text), from
    XQuAD's and ARCD's Arabic paragraphs, one section per paragraph."""
    from qa import Settings
    from qa.ingest.article import parse
    from qa.ingest.chunking import chunk_article

    data = REPO / "eval" / "data"
    max_tokens = Settings().chunk_max_tokens
    chunks = []
    for path in (data / "xquad" / "xquad.ar.json", data / "arcd" / "arcd-dev.json"):
        for i, article in enumerate(json.loads(path.read_text(encoding="utf-8"))["data"]):
            paragraphs = dict.fromkeys(p["context"].strip() for p in article["paragraphs"])
            markdown = "\n\n".join([f"# a{i}", *(f"## ¶{j}\n{p}" for j, p in enumerate(paragraphs))])
            for c in chunk_article(parse(markdown, article_id=f"a{i}", markdown=True), max_tokens):
                spans = [(s.start - c.start, s.end - c.start) for s in c.sentences]
                chunks.append((c.text, c.token_count, spans))
    return chunks


def _real_vectors(texts: list[str], cache: Path) -> dict[str, Any]:
    """use-m3 vectors of the distinct texts, embedded once and kept in `cache` for the later steps."""
    import numpy as np

    unique = list(dict.fromkeys(texts))
    if cache.exists():
        with np.load(cache) as saved:
            if saved["texts"].tolist() == unique:
                return dict(zip(unique, saved["vectors"], strict=True))
    from qa.store.embeddings import USEM3Embeddings

    began = time.perf_counter()
    vectors = np.asarray(USEM3Embeddings(threads=2).embed_array(unique), dtype=np.float32)
    seconds = time.perf_counter() - began
    print(f"growth: embedded {len(unique):,} distinct texts with use-m3 in {seconds:.0f}s", file=sys.stderr,
          flush=True)
    with cache.open("wb") as handle:
        np.savez(handle, texts=np.array(unique), vectors=vectors)
    return dict(zip(unique, vectors, strict=True))


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


def build(index: Path, start: int, stop: int, text: str = "synthetic") -> dict[str, Any]:
    """Add chunks [start, stop) (and their sentences) to the growth generation and activate it."""
    import numpy as np

    from qa.store.chroma import Manifest, Store
    from qa.text.bridge import vocabulary
    from qa.text.places import latin_names

    store = Store(_settings(index))
    rng = np.random.default_rng(start)
    real = _real_chunks() if text == "real" else []
    vectors_of: dict[str, Any] = {}
    if real:
        words = vocabulary(["مقال 0", "القسم 0 من المقال 0"] + [chunk for chunk, _, _ in real])  # + headings
        sentences = [chunk[a:b] for chunk, _, spans in real for a, b in spans]
        vectors_of = _real_vectors([chunk for chunk, _, _ in real] + sentences + words, index / VECTOR_CACHE)
    else:
        words = _words()

    def near(texts: list[str]) -> Any:  # each copy: the text's own vector with a little noise
        v = np.stack([vectors_of[t] for t in texts]) + NOISE * _unit_vectors(rng, len(texts))
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    began = time.perf_counter()
    if start == 0:
        collections = store.new_generation(GENERATION)
        ids = [f"w{i}" for i in range(len(words))]
        if real:  # as `qa ingest` writes it, with the places' Latin names
            named = latin_names(words)
            store.add(collections["vocab"], ids, np.stack([vectors_of[w] for w in words]), None,
                      [{"word": word, "places": " ".join(named.get(word, ()))} for word in words])
        else:
            store.add(collections["vocab"], ids, _unit_vectors(rng, len(words)), None,
                      [{"word": word, "places": ""} for word in words])
    else:
        collections = {kind: store.collection(GENERATION, kind) for kind in ("chunks", "sentences")}
    step = 5000
    for lo in range(start, stop, step):
        hi = min(stop, lo + step)
        ids, docs, metas = [], [], []
        sentence_ids, sentence_docs, sentence_metas = [], [], []
        for n in range(lo, hi):
            article, position = divmod(n, CHUNKS_PER_ARTICLE)
            if real:
                chunk_text, tokens, spans = real[n % len(real)]
            else:
                chunk_text = _sentence(rng, words, n)
                tokens, spans = 0, [(0, len(chunk_text))]
            ids.append(f"c{n}")
            docs.append(chunk_text)
            metas.append({
                "article_id": f"syn{article:06d}", "article_title": f"مقال {article}",
                "section_index": position // CHUNKS_PER_SECTION,
                "section_heading": f"القسم {position // CHUNKS_PER_SECTION} من المقال {article}",
                "chunk_index": position, "start": 0, "end": len(chunk_text), "token_count": tokens,
            })
            for j, (a, b) in enumerate(spans):
                sentence_ids.append(f"c{n}:{j}")
                sentence_docs.append(chunk_text[a:b])
                sentence_metas.append({**metas[-1], "chunk_id": f"c{n}", "start": a, "end": b})
        if real:
            vectors, sentence_vectors = near(docs), near(sentence_docs)
        else:
            vectors = _unit_vectors(rng, hi - lo)
            sentence_vectors = vectors + 0.1 * _unit_vectors(rng, hi - lo)
        store.add(collections["chunks"], ids, vectors, docs, metas)
        store.add(collections["sentences"], sentence_ids, sentence_vectors, sentence_docs, sentence_metas)
    total = store.collection(GENERATION, "sentences").count()
    store.activate(Manifest(GENERATION, "use-m3", DIM, f"growth-{text}-{stop}", stop, total, ()))
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
    uss_after = psutil.Process().memory_full_info().uss
    for q in questions[:3]:
        assistant.retrieve(q, k=4)
    return {
        "chunks": len(index_), "sentences": len(index_.sentences), "load_s": round(load_s, 2),
        "retrieve": timed(lambda q: assistant.retrieve(q, k=4), questions),
        "rss_mb": round(rss_after / 2**20, 1), "index_rss_mb": round((rss_after - rss_before) / 2**20, 1),
        "uss_mb": round(uss_after / 2**20, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def timed(call: Any, questions: list[str]) -> dict[str, Any]:
    """p50 and p95 in ms of `call(q)` over the questions (each once, after whatever warming up)."""
    times = []
    for q in questions:
        t = time.perf_counter()
        call(q)
        times.append(1000 * (time.perf_counter() - t))
    ordered = sorted(times)
    return {"p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2), "n": len(times)}


def _child(mode: str, **args: Any) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, "--child", mode, "--child-args", json.dumps(args)],
                          capture_output=True, text=True, env={**os.environ, **ENV}, timeout=7200)
    if proc.returncode:
        raise RuntimeError(f"growth {mode} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def disk_mb(path: Path, *, skip: tuple[Path, ...] = ()) -> float:
    """MB of the files under `path`, leaving out those under `skip`."""
    files = (p for p in path.rglob("*") if p.is_file() and not any(p.is_relative_to(s) for s in skip))
    return round(sum(p.stat().st_size for p in files) / 2**20, 1)


def _disk(index: Path, server: _Server | None) -> dict[str, float]:
    """The index on disk: Chroma's files and the readers' snapshot (the vector cache, the server's
    log and, in server mode, the use-m3 start-up cache under the run's cache folder left out)."""
    if server is not None:
        chroma, snapshots = disk_mb(index / "server"), disk_mb(index / "cache" / "qa" / "snapshots")
    else:
        snapshots = disk_mb(index / "snapshots")
        chroma = disk_mb(index, skip=(index / "snapshots", index / VECTOR_CACHE))
    return {"disk_mb": round(chroma + snapshots, 1), "chroma_mb": chroma, "snapshot_mb": snapshots}


def run(sizes: list[int], queries: int, keep: Path | None, text: str = "synthetic",
        server: bool = False) -> dict[str, Any]:
    index = keep or Path(tempfile.mkdtemp(prefix="qa-growth-"))
    rows = []
    mode = "server" if server else "embedded"
    chroma: _Server | None = None
    previous = signal.signal(signal.SIGTERM, _terminated)  # so that `finally` stops the server
    try:
        chroma = _Server(index) if server else None
        done = 0
        for size in sorted(sizes):
            print(f"growth: building {size:,} chunks ({text} text, {mode})", file=sys.stderr, flush=True)
            built = _child("build", index=str(index), start=done, stop=size, text=text)
            done = size
            first = _child("measure", index=str(index), queries=queries)
            row = _child("measure", index=str(index), queries=queries)
            rows.append({**row, **built, "first_open_s": first["load_s"], "first_rss_mb": first["rss_mb"],
                         "first_peak_rss_mb": first["peak_rss_mb"], **_disk(index, chroma)})
            if chroma is not None:
                rows[-1]["server_rss_mb"] = chroma.rss_mb()
            print(f"growth: {json.dumps(rows[-1])}", file=sys.stderr, flush=True)
    finally:
        if chroma is not None:
            chroma.stop()
        signal.signal(signal.SIGTERM, previous)
        if keep is None:
            shutil.rmtree(index, ignore_errors=True)
    if text == "real":
        vectors = (f"use-m3 vectors of each distinct real text (XQuAD and ARCD, embedded once), each copy's "
                   f"with noise of norm {NOISE} re-normalised; vocabulary: use-m3 vectors of their words")
    else:
        vectors = "random unit vectors (synthetic text from the seed's words)"
    return {"vectors": f"{vectors}; queries embedded by use-m3", "text": text, "mode": mode, "sizes": rows}


def _terminated(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


class _Server:
    """A `chroma run` on a free loopback port holding the index in `index`/server, for the children
    (QA_GROWTH_SERVER); their snapshots go under `index`/cache (XDG_CACHE_HOME)."""

    def __init__(self, index: Path) -> None:
        import socket
        import urllib.request

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        index.mkdir(parents=True, exist_ok=True)
        self.log = (index / "server.log").open("wb")
        chroma = Path(sys.executable).parent / "chroma"
        command = [str(chroma), "run", "--path", str(index / "server"), "--host", "127.0.0.1",
                   "--port", str(port)]
        self.proc = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT,
                                     env={**os.environ, **ENV})
        self.saved = {name: os.environ.get(name) for name in ("QA_GROWTH_SERVER", "XDG_CACHE_HOME")}
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"chroma run did not start: see {index / 'server.log'}")
            time.sleep(0.2)
        os.environ["QA_GROWTH_SERVER"] = url
        os.environ["XDG_CACHE_HOME"] = str(index / "cache")

    def rss_mb(self) -> float:
        """The server's resident memory (with any processes it started)."""
        import psutil

        server = psutil.Process(self.proc.pid)
        rss = sum(p.memory_info().rss for p in (server, *server.children(recursive=True)))
        return round(rss / 2**20, 1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        for name, value in self.saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self.log.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated chunk counts")
    parser.add_argument("--queries", type=int, default=24, help="questions timed per size")
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--keep", type=Path, help="build the index here and keep it")
    parser.add_argument("--text", choices=["synthetic", "real"], default="synthetic",
                        help="chunk text: drawn from the seed's words, or XQuAD's and ARCD's paragraphs")
    parser.add_argument("--server", action="store_true", help="the index in a `chroma run` on 127.0.0.1")
    parser.add_argument("--child", choices=["build", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--child-args", default="{}", help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.child:
        os.environ.update(ENV)
        args = json.loads(opts.child_args)
        if opts.child == "build":
            result = build(Path(args["index"]), args["start"], args["stop"], args.get("text", "synthetic"))
        else:
            result = measure(Path(args["index"]), args["queries"])
        print(json.dumps(result))
        return 0
    result = run([int(s) for s in opts.sizes.split(",") if s.strip()], opts.queries, opts.keep, opts.text,
                 opts.server)
    if opts.json:
        print(json.dumps(result))
    else:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
