"""The `qa` command in real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EN_HEADINGS, HEADINGS, LEAD


def qa(*args: str, index: Path, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "QA_INDEX_DIR": str(index), "QA_EMBEDDING_THREADS": "1", **env}
    return subprocess.run([sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True,
                          env=full_env, timeout=timeout)


@pytest.mark.slow
def test_ask_json_has_the_documented_shape(seed_index_dir: Path) -> None:
    out = qa("ask", "--json", "Who called whom, and when?", index=seed_index_dir)
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert set(answer) >= {"text", "language", "abstained", "mode", "citations"}
    assert answer["language"] == "en" and answer["mode"] == "extractive" and answer["abstained"] is False
    assert answer["citations"][0]["section"] == LEAD
    assert all(
        set(c) >= {"section", "quote", "translation", "section_translation"} for c in answer["citations"]
    )
    assert answer["citations"][0]["section_translation"] == EN_HEADINGS[0]


@pytest.mark.slow
def test_an_english_answer_shows_the_translation_then_the_original(seed_index_dir: Path) -> None:
    out = qa("ask", "Who called whom, and when?", index=seed_index_dir)
    assert out.returncode == 0, out.stderr
    sources = out.stdout.split("Sources:", 1)[1].splitlines()
    assert sources[1].startswith(f"  [1] {EN_HEADINGS[0]} — On 14 December 2025")
    assert sources[2].startswith(f"      {LEAD} — في 14 ديسمبر 2025")


@pytest.mark.slow
def test_ask_prints_answer_and_sources(seed_index_dir: Path) -> None:
    out = qa("ask", "من اتصل بمن ومتى؟", index=seed_index_dir)
    assert out.returncode == 0, out.stderr
    assert "الشيباني" in out.stdout and "المصادر" in out.stdout and LEAD in out.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (("ask", "   "), {}, "question"),
        (("ask", "x" * 50), {"QA_MAX_QUESTION_CHARS": "20"}, "over the limit"),
        (("ingest", "/no/such/file.txt"), {}, "no such file"),
        (("ask", "hi"), {"QA_TOP_K": "lots"}, "bad setting: top_k"),
        (("ask", "hi"), {"QA_CHROMA_URL": "http://127.0.0.1:9"}, "no Chroma server answers"),
    ],
)
def test_errors_are_one_clean_line(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str], expected: str
) -> None:
    out = qa(*args, index=tmp_path / "i", **env)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    lines = [line for line in out.stderr.splitlines() if line.startswith("qa: error:")]
    assert len(lines) == 1 and expected in lines[0]


@pytest.mark.slow
def test_eval_refuses_a_file_as_its_reports_folder_before_running(tmp_path: Path) -> None:
    taken = tmp_path / "notes.json"
    taken.write_text("keep me", encoding="utf-8")
    out = qa("eval", "--out", str(taken / "reports"), index=tmp_path / "i")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    lines = [line for line in out.stderr.splitlines() if line.startswith("qa: error:")]
    assert len(lines) == 1 and "is a file" in lines[0] and "--out" in lines[0]
    assert taken.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "i").exists()  # refused before the index was built or a question asked


@pytest.mark.slow
def test_ingest_reports_progress_and_is_idempotent(tmp_path: Path) -> None:
    index = tmp_path / "i"
    first = qa("ingest", "--json", index=index)
    assert first.returncode == 0, first.stderr
    assert "qa: indexed" in first.stderr
    assert "qa: writing the readers' snapshot" in first.stderr
    assert len(list((index / "snapshots").iterdir())) == 1  # so the first `qa ask` opens it fast
    report = json.loads(first.stdout)
    assert report["chunks"] > 0 and report["embedded"] > 0
    second = json.loads(qa("ingest", "--json", "-q", index=index).stdout)
    assert second["unchanged"] is True and second["embedded"] == 0
    out = qa("ask", "--json", "ماذا فعلت وزارة الداخلية السورية؟", index=index)
    assert json.loads(out.stdout)["citations"][0]["section"] in HEADINGS


@pytest.mark.slow
def test_version_comes_from_the_package_metadata(tmp_path: Path) -> None:
    from importlib.metadata import version

    import qa as package

    out = qa("--version", index=tmp_path / "i")
    assert out.returncode == 0 and out.stdout.strip() == f"qa {version('qa')}"
    assert package.__version__ == version("qa")


@pytest.mark.slow
@pytest.mark.parametrize("command", [(), ("ingest",), ("ask",), ("serve",), ("translate",), ("eval",),
                                     ("compare",)])
def test_help_shows_examples(tmp_path: Path, command: tuple[str, ...]) -> None:
    out = qa(*command, "--help", index=tmp_path / "i")
    assert out.returncode == 0
    examples = out.stdout.split("examples:", 1)[1]
    assert f"qa {command[0] if command else ''}".strip() in examples


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "env", "kind", "expected"),
    [
        (("ask", "--json", "   "), {}, "QuestionError", "question"),
        (("ingest", "--json", "/no/such/file.txt"), {}, "ArticleError", "no such file"),
        (("ask", "--json", "hi"), {"QA_TOP_K": "lots"}, "ConfigError", "bad setting: top_k"),
    ],
)
def test_json_errors_are_one_json_object(tmp_path: Path, args: tuple[str, ...], env: dict[str, str],
                                         kind: str, expected: str) -> None:
    out = qa(*args, index=tmp_path / "i", **env)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    error = json.loads(out.stdout)
    assert set(error) == {"error", "type"} and error["type"] == kind and expected in error["error"]
