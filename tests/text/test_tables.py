"""The data files are read strictly (qa.text.tables): a broken line, key or pattern is a ConfigError
that names the file and the fix. Every shipped file loads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qa.errors import ConfigError
from qa.resources import data_file
from qa.text import tables


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """qa.text.tables reads its files from `tmp_path` instead of qa/data."""
    monkeypatch.setattr(tables, "data_file", lambda name: tmp_path / name)
    for cached in (tables.toml, tables.word_list, tables.rules):
        cached.cache_clear()
    yield tmp_path
    for cached in (tables.toml, tables.word_list, tables.rules):
        cached.cache_clear()


@pytest.mark.parametrize(("text", "message"), [
    ("[when\npatterns = ['x']", "not valid TOML"),
    ("[when]\nnote = 'no patterns'", "needs a non-empty `patterns` list"),
    ("[when]\npatterns = []", "needs a non-empty `patterns` list"),
    ("[when]\npatterns = ['x']\nflags = 'i'", "unknown keys ['flags']"),
    ("[when]\npatterns = ['(unclosed']", "not a valid regular expression"),
    ("[when]\npatterns = ['a', 3]", "every pattern must be a non-empty string"),
    ("[when]\npatterns = ['<<nowhere>>']", "<<nowhere>>, which is no word list of the file"),
])
def test_a_broken_rule_file_names_the_file_and_the_rule(data_dir: Path, text: str, message: str) -> None:
    (data_dir / "rules.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="rules.toml") as caught:
        tables.rules("rules.toml")
    assert message in str(caught.value) and "fix the file" in str(caught.value)


def test_word_lists_in_patterns(data_dir: Path) -> None:
    (data_dir / "rules.toml").write_text(
        "that = 'هذا ذلك'\n[point]\npatterns = ['^<<that>>$']\n", encoding="utf-8"
    )
    rule = tables.rules("rules.toml")["point"]
    assert rule.search("ذلك") and rule.search("هذا") and not rule.search("هذاك")


def test_a_missing_or_unreadable_file_says_reinstall(data_dir: Path) -> None:
    with pytest.raises(ConfigError, match="reinstall qa"):
        tables.word_list("nothing.txt")
    (data_dir / "bad.txt").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError, match="bad.txt: cannot be read"):
        tables.word_list("bad.txt")


def test_a_two_column_table_names_its_bad_line() -> None:
    with pytest.raises(ConfigError, match="line 3: expected a word, a tab and its meaning"):
        list(tables.rows(["# comment", "عساكر\tجنود", "only one field"], "levantine.tsv"))


def test_word_lists_keep_order_and_drop_comments(data_dir: Path) -> None:
    (data_dir / "words.txt").write_text("# heading\nفي من  # inline\nعلى\n", encoding="utf-8")
    assert tables.word_list("words.txt") == ("في", "من", "على")


@pytest.mark.parametrize("name", sorted(p.name for p in data_file("").glob("*.toml")))
def test_every_shipped_rule_file_loads(name: str) -> None:
    data = tables.toml(name)
    assert data
    if any(isinstance(value, dict) for value in data.values()):
        assert tables.rules(name)
