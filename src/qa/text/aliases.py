"""Other names of an organisation or a state that a question may use where the article uses
another: «داعش», "ISIS", "Daesh" -> تنظيم الدولة الإسلامية. A small table written by hand
(data/aliases.tsv; no package holds such names offline), read once.

Lexical only: the encoder already puts many of these near each other, but exact matching would
count «داعش» as a word the article lacks, and the word bridge maps "Daesh" to nothing useful.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from qa.resources import data_file
from qa.text import tables
from qa.text.language import detect_language
from qa.text.normalize import fold

TABLE = data_file("aliases.tsv")
_CLITICS = "(?:[وف]?[بلك]?)"  # وداعش, لداعش, فبداعش


@dataclass(frozen=True)
class Alias:
    name: str  # folded (qa.text.normalize.fold), Latin lower-cased
    meaning: str  # what an article may call it instead, as written
    pattern: re.Pattern[str]


def parse(lines: list[str], source: str = "aliases table") -> list[Alias]:
    """The table's lines (comments and blanks skipped) as Aliases, longest name first."""
    out = []
    for name, meaning in tables.rows(lines, source):
        name = fold(name).lower()
        body = r"\s+".join(re.escape(word) for word in name.split())
        prefix = _CLITICS if detect_language(name) == "ar" else ""
        out.append(Alias(name, meaning, re.compile(rf"(?<![\w.]){prefix}{body}(?![\w.])")))
    return sorted(out, key=lambda a: -len(a.name))


@cache
def table() -> tuple[Alias, ...]:
    return tuple(parse(TABLE.read_text(encoding="utf-8").splitlines(), str(TABLE)))


def find(text: str) -> list[tuple[str, Alias]]:
    """The aliases `text` uses: (the words as they appear, folded and lower-cased; the Alias),
    each stretch of text read once, by the longest name that fits it."""
    folded = fold(text).lower()
    found = []
    for alias in table():
        match = alias.pattern.search(folded)
        if match:
            found.append((match.group(0), alias))
            folded = folded[: match.start()] + " " * len(match.group(0)) + folded[match.end():]
    return found
