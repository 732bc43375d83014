"""Whether a sentence holds the kind of answer a question asks for (qa.question.kinds): a date for
`when`, a number for `how_many`, a reporting verb for `said`, a place put as an answer for `where`
... by the words of data/answer_words.toml. `KindMasks` holds, for each kind, which of an index's
sentences hold it, so that retrieval adds the kind's weight in one vector operation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import numpy as np

from qa.question import kinds as question_kinds
from qa.retrieval.records import SentenceRecord
from qa.text import tables
from qa.text.normalize import fold, month_names
from qa.text.words import stem, stopwords, tokens

WORDS_FILE = "answer_words.toml"
_TOKEN = re.compile(r"\w+")


@cache
def word_tokens(key: str, min_letters: int = 0) -> frozenset[str]:
    """The tokens of word list `key` of data/answer_words.toml (stems shorter than `min_letters`
    left out: they match too much)."""
    return frozenset(t for t in tokens(" ".join(tables.words_of(WORDS_FILE, key))) if len(t) >= min_letters)


@cache
def _folded(key: str) -> frozenset[str]:
    return frozenset(fold(w) for w in tables.words_of(WORDS_FILE, key))


@cache
def _months() -> frozenset[str]:
    return frozenset(tokens(" ".join(month_names())))


def answers_kind(kind: str, sentence_tokens: Sequence[str]) -> bool:
    """True when a sentence (as `tokens`) holds the kind of answer `kind` asks for; `where` needs the
    index's place names (`holds_place`), so it is False here."""
    if kind == "when":
        months = _months()
        return any(t in months or (t.isdigit() and len(t) == 4) for t in sentence_tokens)
    if kind == "source":
        return any(t in word_tokens("source") for t in sentence_tokens)
    if kind == "cause":  # "X led to / caused the occurrence of ...": what made an event happen
        cause, occurrence = word_tokens("cause"), word_tokens("occurrence")
        return any(t in cause and any(u in occurrence for u in sentence_tokens[i + 1:i + 4])
                   for i, t in enumerate(sentence_tokens))
    if kind == "time_of_day":
        return any(t in word_tokens("time_of_day") for t in sentence_tokens)
    if kind == "duration":  # a duration word, or two years (a span)
        return (any(t in word_tokens("duration") for t in sentence_tokens)
                or sum(1 for t in sentence_tokens if t.isdigit() and len(t) == 4) >= 2)
    if kind == "said":
        return any(t in word_tokens("said", 3) for t in sentence_tokens)
    if kind == "how_many":
        numbers = word_tokens("numbers", 3)
        return any(t.isdigit() or t in numbers for t in sentence_tokens)
    return False


def holds_place(text: str, place_tokens: frozenset[str] | set[str] = frozenset()) -> bool:
    """True when a sentence says where: a word that introduces a place (منطقة, قرب, شمال, يقع ...)
    before another content word, or one of the index's place names (`place_tokens`, as `tokens`
    gives them: تدمر) after في or with a clitic ب (بتدمر). A known place name elsewhere is often a
    homograph: معربًا "expressing" is also a town's name in GeoNames."""
    # fold, not normalize: no month name is a place (24 against 65 µs a sentence)
    words = _TOKEN.findall(fold(text))
    into, intro_words, stop = _folded("place_in"), _folded("place_intro"), stopwords()
    intro = False  # the word before introduces a place (بالقرب من: through its من)
    for i, word in enumerate(words):
        prev = words[i - 1] if i else ""
        if prev[:1] == "و" and (prev[1:] in into or prev[1:] in intro_words):
            prev = prev[1:]  # وفي, وقرب
        intro = prev in intro_words or (intro and prev == "من")
        if intro and word not in stop:
            return True
        if prev in into and stem(word) in place_tokens:
            return True
        bare = word[2:] if word.startswith("وب") else word[1:] if word.startswith("ب") else ""
        if len(bare) >= 3 and stem(bare) in place_tokens:
            return True
    return False


class KindMasks:
    """For each kind a question can ask for, which sentences hold it (1.0) or not (0.0). `where` is
    read from the text, not the tokens, whose stems join منطقة with المنطقة and كلية with كل."""

    def __init__(self, sentences: Sequence[SentenceRecord], place_tokens: frozenset[str]) -> None:
        self._masks = {kind: np.asarray([answers_kind(kind, s.tokens) for s in sentences], dtype=np.float32)
                       for kind in question_kinds.names() if kind != "where"}
        self._masks["where"] = np.asarray([holds_place(s.text, place_tokens) for s in sentences],
                                          dtype=np.float32)

    def mask(self, kind: str) -> np.ndarray:
        return self._masks[kind]

    def holds(self, kind: str, sentence: int) -> bool:
        return bool(self._masks[kind][sentence])
