"""The user's install path, for real: the wheel is built, installed with `[ui]` into a fresh venv
(from the machine's package index and wheel cache, as pip is configured), and answers a question
from another folder, with no torch installed. Its metadata carries the licence expression and the
licence files, and a downstream mypy run reads `Assistant.ask` as returning an `Answer` (py.typed)."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


def run(*args: str | Path, cwd: Path, timeout: float = 900, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **env})


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, the fresh venv's python) with qa[ui] installed from the wheel."""
    root = tmp_path_factory.mktemp("wheel")
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", root / "dist", REPO, cwd=root)
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next((root / "dist").glob("qa-*.whl"))
    venv.create(root / "venv", with_pip=True)
    python = root / "venv" / "bin" / "python"
    got = run(python, "-m", "pip", "install", "-q", f"{wheel}[ui]", cwd=root)
    assert got.returncode == 0, got.stderr[-3000:]
    return wheel, python


@pytest.mark.slow
def test_the_installed_wheel_answers_from_another_folder_without_torch(installed: tuple[Path, Path],
                                                                       tmp_path: Path) -> None:
    _, python = installed
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    qa = python.parent / "qa"
    env = {"QA_INDEX_DIR": str(elsewhere / "index"), "QA_EMBEDDING_THREADS": "1", "PYTHONPATH": ""}
    out = run(qa, "ask", "--json", "Who called whom, and when?", cwd=elsewhere, timeout=300, **env)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "Rubio" in out.stdout and "al-Shaibani" in out.stdout and "14 December 2025" in out.stdout
    torch = run(python, "-c", "import torch", cwd=elsewhere)
    assert torch.returncode != 0 and "No module named 'torch'" in torch.stderr
    for absent in ("sentence_transformers", "playwright"):
        assert run(python, "-c", f"import {absent}", cwd=elsewhere).returncode != 0, absent
    version = run(qa, "--version", cwd=elsewhere)
    assert version.returncode == 0 and version.stdout.startswith("qa ")


@pytest.mark.slow
def test_the_wheel_carries_its_licences_and_types(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: MIT AND GPL-2.0-or-later AND CC-BY-4.0" in metadata
    for licence in ("LICENSE", "GPL-2.0.txt", "CC-BY-4.0.txt"):
        shipped = [n for n in names if "/licenses/" in n]
        assert any(n.endswith(f"/{licence}") for n in shipped), (licence, shipped)
    assert "qa/py.typed" in names
    assert any(n.startswith("qa/_seeds/") for n in names)


@pytest.mark.slow
def test_downstream_mypy_types_ask_as_an_answer(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, python = installed
    user = tmp_path / "user.py"
    user.write_text("from qa import Assistant\n\nreveal_type(Assistant().ask('Who called whom?'))\n",
                    encoding="utf-8")
    out = run(sys.executable, "-m", "mypy", "--python-executable", python, "--no-incremental", user,
              cwd=tmp_path)
    assert 'Revealed type is "qa.results.Answer"' in out.stdout, out.stdout + out.stderr
