"""The evaluation set in `llm` mode against whatever chat model endpoint is configured.

Set QA_LLM_BASE_URL and QA_LLM_MODEL (and QA_LLM_API_KEY, QA_LLM_TIMEOUT if needed) before
running pytest, e.g. for Ollama: QA_LLM_BASE_URL=http://127.0.0.1:11434/v1
QA_LLM_MODEL=qwen2.5:7b-instruct. Without them the test is skipped: no model can be downloaded here.
"""

from __future__ import annotations

import os
import re

import pytest

from tests.conftest import REPO

# Read now: the autouse fixture in conftest.py clears QA_* variables before every test.
ENDPOINT = {key: os.environ.get(key) for key in
            ("QA_LLM_BASE_URL", "QA_LLM_MODEL", "QA_LLM_API_KEY", "QA_LLM_TIMEOUT")}
CONFIGURED = bool(ENDPOINT["QA_LLM_BASE_URL"] and ENDPOINT["QA_LLM_MODEL"])


@pytest.mark.slow
@pytest.mark.skipif(not CONFIGURED, reason="no chat model endpoint configured: set QA_LLM_BASE_URL and "
                    "QA_LLM_MODEL (e.g. Ollama: http://127.0.0.1:11434/v1, qwen2.5:7b-instruct) to run the "
                    "eval set in llm mode")
def test_eval_set_in_llm_mode(seed_index_dir, use_m3) -> None:
    from qa import Assistant, Settings
    from qa.evaluation import load_items, print_report, run_eval

    settings = Settings(index_dir=seed_index_dir, answer_mode="llm", llm_base_url=ENDPOINT["QA_LLM_BASE_URL"],
                        llm_model=ENDPOINT["QA_LLM_MODEL"], llm_api_key=ENDPOINT["QA_LLM_API_KEY"],
                        llm_timeout=float(ENDPOINT["QA_LLM_TIMEOUT"] or 120))
    report = run_eval(Assistant(settings, embeddings=use_m3), load_items(REPO / "eval" / "questions.jsonl"),
                      mode="llm")
    print_report(report)
    llm = [r for r in report.items if r.mode == "llm"]
    fallbacks = [r for r in report.items if r.mode != "llm"]
    assert llm, f"every answer fell back to extractive; first notice: {fallbacks[0].notice}"
    problems: list[str] = []
    for r in llm:
        if not r.language_ok:
            problems.append(f"{r.id}: answered in {r.answer_language}, asked in {r.language}")
        problems += [
            f"{r.id}: bad citation {c}" for c in r.citations if not (c.real_heading and c.quote_valid)
        ]
        used = sorted({int(n) for n in re.findall(r"\[(\d+)\]", r.answer_text)})
        if used != list(range(1, len(r.citations) + 1)):
            problems.append(f"{r.id}: markers {used} for {len(r.citations)} citations")
        if r.abstained == bool(r.citations):
            problems.append(f"{r.id}: abstained={r.abstained} with {len(r.citations)} citations")
    problems += [f"{r.id}: fell back without a notice" for r in fallbacks if not r.notice]
    assert not problems, "\n".join(problems)
