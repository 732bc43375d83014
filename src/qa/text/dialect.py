"""Levantine content words a question may use where the article, in Modern Standard Arabic, has
another: عساكر -> جنود, تلفون -> هاتف, الشغل سوا -> العمل معا. A small table written by hand
(data/levantine.tsv), read once; Levantine grammar words are question stopwords instead
(data/stopwords.txt). Used by qa.retrieval.terms.Vocabulary.known for a word the index lacks.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from qa.resources import data_file
from qa.text import tables
from qa.text.words import tokens

TABLE = data_file("levantine.tsv")


def parse(lines: Iterable[str], source: str = "Levantine table") -> dict[str, tuple[str, ...]]:
    """The table's lines (comments and blanks skipped) -> {a Levantine word's token: its MSA words}."""
    out: dict[str, tuple[str, ...]] = {}
    for word, msa in tables.rows(lines, source):
        for token in tokens(word):
            out[token] = tuple(dict.fromkeys([*out.get(token, ()), msa]))
    return out


@cache
def table() -> dict[str, tuple[str, ...]]:
    return parse(TABLE.read_text(encoding="utf-8").splitlines(), str(TABLE))


def msa(token: str, prefixes: Iterable[str] = ()) -> tuple[str, ...]:
    """The MSA words for a question token (normalised and stemmed) that is a Levantine word as it
    stands or behind one of `prefixes` (بالعساكر, عالتلفون), or ()."""
    found = table().get(token)
    if found:
        return found
    for prefix in prefixes:
        if token.startswith(prefix) and token[len(prefix):] in table():
            return table()[token[len(prefix):]]
    return ()
