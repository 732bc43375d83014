"""A small run of eval/load.py: concurrent conversations on one shared Assistant and through the
Gradio app on 127.0.0.1, with no errors and no crossed conversations; and proof that the load
script does notice crossed replies and does stop by itself."""

from __future__ import annotations

import importlib.util
import sys
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import REPO


def _load_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("qa_eval_load", REPO / "eval" / "load.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


load = _load_module()


@pytest.mark.slow
def test_concurrent_conversations_do_not_cross(shared_assistant) -> None:
    reports = load.load(12, 6, 60, assistant=shared_assistant, gradio=True, say=None)
    targets = [r.target for r in reports]
    assert targets[0] == "api"
    if load.ui_available() is None:
        assert targets == ["api", "gradio"]
    for report in reports:
        assert report.errors == 0 and report.crossed == 0 and not report.hung, report.problems
        assert report.conversations == 12 and report.answers == 24
        assert report.throughput > 0 and 0 < report.p50_ms <= report.p95_ms <= report.max_ms


def test_a_crossed_reply_is_caught(shared_assistant) -> None:
    """Swap the replies of two conversations that run at the same time: the run must say so."""
    questions = load.load_questions()
    conversations, expected = load.plan(4, questions, load.api_ask(shared_assistant))
    real = load.api_ask(shared_assistant)
    victim = conversations[1].turns[0][0]
    other = conversations[2].turns[0][0]

    def crossing() -> Any:
        def ask(question: str, history: list[dict[str, str]]) -> str:
            return real(other if question == victim else question, history)
        return ask

    report = load.run("api", conversations, expected, crossing, 2, 30)
    assert report.crossed == 1 and report.errors == 0
    assert any(repr(victim) in p for p in report.problems)
    assert not report.ok


def test_the_run_is_bounded_in_time(shared_assistant) -> None:
    """No new conversation starts after max_seconds, so a slow target ends the run early."""
    questions = load.load_questions()
    conversations, expected = load.plan(20, questions, load.api_ask(shared_assistant))
    real = load.api_ask(shared_assistant)
    gate = threading.Event()

    def slow() -> Any:
        def ask(question: str, history: list[dict[str, str]]) -> str:
            gate.wait(0.3)
            return real(question, history)
        return ask

    began = time.monotonic()
    report = load.run("api", conversations, expected, slow, 2, 0.5)
    assert time.monotonic() - began < 10
    assert 0 < report.conversations < 20 and not report.hung
    assert report.errors == 0 and report.crossed == 0


def test_percentile_is_nearest_rank() -> None:
    values = sorted(float(v) for v in range(1, 101))
    assert load.percentile(values, 95) == 95.0 and load.percentile(values, 50) == 50.0
    assert load.percentile([], 95) == 0.0 and load.percentile([2.0], 95) == 2.0


def test_the_script_runs_from_the_command_line(
    seed_index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = load.main(["--conversations", "4", "--concurrency", "2", "--max-seconds", "30",
                      "--index-dir", str(seed_index_dir), "--no-gradio", "--json"])
    out = capsys.readouterr().out
    import json

    (report,) = json.loads(out)["reports"]
    assert code == 0 and report["errors"] == 0 and report["crossed"] == 0 and report["answers"] == 8
