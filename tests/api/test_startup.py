"""`qa ask` starts fast because it imports only what answering needs (see README, Performance)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ["torch", "sentence_transformers", "transformers", "tiktoken", "langchain_text_splitters",
         "gradio", "langchain_openai", "openai", "jinja2", "langchain_chroma", "langsmith"]

PROBE = """
import json, sys
from qa.cli import main
code = main(["ask", "--json", "Who called whom, and when?"])
print(json.dumps({"code": code, "heavy": sorted({m.split(".")[0] for m in sys.modules} & set(HEAVY))}))
"""


@pytest.mark.slow
def test_qa_ask_imports_no_heavy_or_optional_module(seed_index_dir: Path) -> None:
    env = {**os.environ, "QA_INDEX_DIR": str(seed_index_dir), "QA_EMBEDDING_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{PROBE}"], capture_output=True,
                         text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"code": 0, "heavy": []}


GC_PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("collector on:", gc.isenabled()))  # registered first, runs last
sys.argv = ["qa", *ARGS]
from qa.cli import run
run()
"""


@pytest.mark.slow
@pytest.mark.parametrize(("args", "collector_on"), [(["ask", "--json", "Who called whom, and when?"], False),
                                                    (["ingest", "--quiet"], True)])
def test_only_qa_ask_runs_without_the_cyclic_collector(seed_index_dir: Path, args: list[str],
                                                        collector_on: bool) -> None:
    env = {**os.environ, "QA_INDEX_DIR": str(seed_index_dir), "QA_EMBEDDING_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", f"ARGS = {args!r}\n{GC_PROBE}"], capture_output=True,
                         text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == f"collector on: {collector_on}"
