"""The package stays readable: few modules at the top of src/qa, none over 400 lines, and folders
that follow the pipeline. (The import layering itself is checked by import-linter in `make lint`.)"""

from __future__ import annotations

from tests.conftest import REPO

PACKAGE = REPO / "src" / "qa"
PIPELINE = ("text", "question", "ingest", "store", "retrieval", "answer", "ui", "evaluation")


def test_at_most_ten_modules_at_the_top() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 10, top


def test_no_module_over_400_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert not long, long


def test_the_folders_are_the_pipeline() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert folders == set(PIPELINE)
