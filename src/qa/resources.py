"""Files that ship with qa: the seed article and the prompt templates.

In a source checkout they sit at the repository's top level; in a wheel they are packaged as
`qa/_seeds` and `qa/_prompts`.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_REPO = _PACKAGE.parent.parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def seeds_dir() -> Path:
    return _first_existing(_PACKAGE / "_seeds", _REPO / "seeds")


def prompts_dir() -> Path:
    return _first_existing(_PACKAGE / "_prompts", _REPO / "prompts")


def data_file(name: str) -> Path:
    """A table that ships with qa (`qa/data/NAME`): word lists, rules, dictionaries."""
    return _PACKAGE / "data" / name


def seed_articles() -> list[Path]:
    """The bundled article(s), the default thing to answer from."""
    return sorted(seeds_dir().glob("*.txt"))
