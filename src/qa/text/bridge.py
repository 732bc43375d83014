"""A cross-lingual bridge for lexical matching: English question words -> the article's own Arabic
words, by nearest neighbours in the multilingual encoder's space ("soldiers" -> جنود).

Built from the same offline encoder as dense retrieval: every distinct content word of the index
is embedded once at ingest time (cached like any text) and stored in a `vocab` collection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from qa.scoring import SCORING, Bridge
from qa.text.normalize import clean_invisible, normalize
from qa.text.words import stopwords, tokens

_WORD = re.compile(r"\w+")


def vocabulary(texts: list[str]) -> list[str]:
    """Distinct content words (surface forms, any script) of the texts, in first-seen order."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in _WORD.findall(clean_invisible(text)):
            if len(word) >= 2 and not word.isdigit() and normalize(word) not in stopwords():
                seen.setdefault(word, None)
    return list(seen)


@dataclass(frozen=True)
class Translation:
    word: str  # the question's word
    tokens: tuple[str, ...]  # normalised, stemmed Arabic tokens it maps to
    cos: float


def translate(
    words: list[str], embed: Any, nearest: Any, weights: Bridge = SCORING.bridge
) -> list[Translation]:
    """Nearest Arabic vocabulary words for each question word (empty tokens: no confident match).
    `embed` maps a list of strings to an (n, dim) array; `nearest(vectors, k)` gives, for each
    vector, its k nearest vocabulary words as (word, cosine) pairs, best first (one query for all
    of a question's words: see Index.nearest_words)."""
    if not words:
        return []
    forms = [(word, form) for word in words for form in variants(word)]
    vectors = embed([f for _, f in forms])
    best_per_word: dict[str, Translation] = {}
    for (word, _), found in zip(forms, nearest(vectors, weights.neighbours), strict=True):
        best = max((sim for _, sim in found), default=0.0)
        picked = tuple(dict.fromkeys(
            tok for doc, sim in found
            if sim >= weights.min_cos and sim >= best - weights.margin
            for tok in tokens(doc)
        ))
        if word not in best_per_word or best > best_per_word[word].cos:
            best_per_word[word] = Translation(word, picked, best)
    return [best_per_word[w] for w in words]


def variants(word: str) -> list[str]:
    """The forms of a question word to look up: an acronym as typed (the encoder is case-aware:
    "ISIS" lands near الإسلامية, "isis" near a name); any other word in lower case and with a
    crude English base form (called -> call, soldiers -> soldier): the encoder maps base forms
    to Arabic far better than inflected ones."""
    if len(word) > 1 and word.isupper():
        return [word]
    word = word.lower()
    out = [word]
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            out.append(word[: -len(suffix)])
            break
    return out


def foreign_words(question: str) -> list[str]:
    """The question's non-Arabic content words, as typed (acronyms keep their capitals; see
    `variants`), once each."""
    words: dict[str, str] = {}
    for word in _WORD.findall(question):
        low = word.lower()
        if word.isascii() and not word.isdigit() and len(word) >= 2 and low not in stopwords():
            words.setdefault(low, word)
    return list(words.values())


def confidence(cos: float, weights: Bridge = SCORING.bridge) -> float:
    """How much a translated word's presence counts as evidence: 1 from `sure_cos` up, falling
    linearly to 0 at `min_cos` (a small vocabulary always has some word near 0.5)."""
    return min(1.0, max(0.0, (cos - weights.min_cos) / (weights.sure_cos - weights.min_cos)))
