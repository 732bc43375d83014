"""Readers for the rules and word lists that ship as data under `qa/data/`, strict: a line, a key or a
pattern that cannot be used is a ConfigError naming the file, the place and the fix.

- `rows`: two-column tables (aliases.tsv, levantine.tsv): a word, a tab, what it stands for.
- `word_list`: whitespace-separated words (stopwords.txt); `#` starts a comment.
- `rules`: TOML files of named rules. A rule is a table with `patterns` (a list of regular
  expressions, alternatives of one rule, joined with `|`), an optional `ignore_case` (default true)
  and an optional `note`. Rules keep the file's order. In a pattern, `<<name>>` stands for the
  words of the file's word list `name` (a string of words), as a group of alternatives.
- `toml`: any other TOML table of a data file (word lists by kind, replies).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from qa.errors import ConfigError
from qa.resources import data_file

RULE_KEYS = frozenset({"patterns", "ignore_case", "note"})


def rows(lines: Iterable[str], source: str) -> Iterator[tuple[str, str]]:
    """(word, meaning) for each line; a line that is not two tab-separated fields is named."""
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("\t")]
        if len(parts) != 2 or not all(parts):
            raise ConfigError(
                f"{source} line {number}: expected a word, a tab and its meaning, got {line!r}; "
                "fix or remove the line"
            )
        yield parts[0], parts[1]


@cache
def word_list(name: str) -> tuple[str, ...]:
    """The words of `qa/data/NAME`, in order, comments left out."""
    path = data_file(name)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot be read ({type(err).__name__}); reinstall qa") from None
    return tuple(word for line in text.splitlines() for word in line.split("#", 1)[0].split())


@cache
def toml(name: str) -> dict[str, Any]:
    """The TOML data file `qa/data/NAME` as a dict."""
    path = data_file(name)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot be read ({type(err).__name__}); reinstall qa") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML ({err}); fix the file") from None


def words_of(name: str, key: str) -> tuple[str, ...]:
    """The whitespace-separated words of string `key` (or a list of strings) in TOML file `name`."""
    value = toml(name).get(key)
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(word for v in value for word in v.split())
    raise ConfigError(
        f"{data_file(name)}: `{key}` must be a string of words or a list of strings; fix the file"
    )


_PLACEHOLDER = re.compile(r"<<(\w+)>>")


def compile_rule(source: str, key: str, rule: object,
                 lists: dict[str, tuple[str, ...]] | None = None) -> re.Pattern[str]:
    """One rule table as a compiled pattern (its `patterns` joined with `|`, `<<name>>` replaced by
    the words of `lists[name]`)."""
    if not isinstance(rule, dict) or not isinstance(rule.get("patterns"), list) or not rule["patterns"]:
        raise ConfigError(f"{source}: rule `{key}` needs a non-empty `patterns` list; fix the file")
    unknown = set(rule) - RULE_KEYS
    if unknown:
        raise ConfigError(f"{source}: rule `{key}` has unknown keys {sorted(unknown)}: "
                          f"a rule takes {sorted(RULE_KEYS)}; fix the file")
    patterns = rule["patterns"]
    if not all(isinstance(p, str) and p for p in patterns):
        raise ConfigError(f"{source}: rule `{key}`: every pattern must be a non-empty string; fix the file")
    flags = re.IGNORECASE if rule.get("ignore_case", True) else 0

    def words(match: re.Match[str]) -> str:
        found = (lists or {}).get(match.group(1))
        if not found:
            raise ConfigError(
                f"{source}: rule `{key}` uses <<{match.group(1)}>>, which is no word list of the file; "
                "fix the file"
            )
        return "(?:" + "|".join(re.escape(w) for w in sorted(found, key=lambda w: (-len(w), w))) + ")"

    try:
        return re.compile(_PLACEHOLDER.sub(words, "|".join(patterns)), flags)
    except re.error as err:
        raise ConfigError(
            f"{source}: rule `{key}` is not a valid regular expression ({err}); fix the file"
        ) from None


@cache
def rules(name: str) -> dict[str, re.Pattern[str]]:
    """The rules (tables) of TOML file `name`, compiled, in the file's order."""
    data = toml(name)
    lists = {key: tuple(value.split()) for key, value in data.items() if isinstance(value, str)}
    return {key: compile_rule(str(data_file(name)), key, rule, lists)
            for key, rule in data.items() if isinstance(rule, dict)}


def rule(name: str, key: str) -> re.Pattern[str]:
    """One top-level rule of TOML file `name`."""
    found = rules(name).get(key)
    if found is None:
        raise ConfigError(f"{data_file(name)}: no rule `{key}`; fix the file")
    return found
