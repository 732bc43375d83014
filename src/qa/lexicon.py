"""A cross-lingual bridge for lexical matching: English question words -> the article's own Arabic
words, by nearest neighbours in the multilingual encoder's space ("soldiers" -> جنود).

Built from the same offline encoder as dense retrieval: every distinct content word of the index
is embedded once at ingest time (cached like any text) and stored in a `vocab` collection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from qa import arabic

MIN_COS = 0.50  # below this a neighbour is more often wrong than right (measured on XQuAD)
MARGIN = 0.04  # keep neighbours within this of the best one
NEIGHBOURS = 3
SURE_COS = 0.80  # a translation this close counts as much as the Arabic word itself
_WORD = re.compile(r"\w+")
_ARABIC = re.compile(r"[\u0621-\u064a]")


def vocabulary(texts: list[str]) -> list[str]:
    """Distinct content words (surface forms, any script) of the texts, in first-seen order."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in _WORD.findall(arabic.clean_invisible(text)):
            if len(word) >= 2 and not word.isdigit() and arabic.normalize(word) not in arabic.STOPWORDS:
                seen.setdefault(word, None)
    return list(seen)


@dataclass(frozen=True)
class Translation:
    word: str  # the question's word
    tokens: tuple[str, ...]  # normalised, stemmed Arabic tokens it maps to
    cos: float


def translate(words: list[str], embed: Any, vocab_collection: Any) -> list[Translation]:
    """Nearest Arabic vocabulary words for each question word (empty tokens: no confident match).
    `embed` maps a list of strings to an (n, dim) array."""
    if not words:
        return []
    forms = [(word, form) for word in words for form in variants(word)]
    got = vocab_collection.query(query_embeddings=embed([f for _, f in forms]), n_results=NEIGHBOURS,
                                 include=["documents", "distances"])
    best_per_word: dict[str, Translation] = {}
    for (word, _), docs, distances in zip(forms, got["documents"], got["distances"], strict=True):
        sims = [1.0 - float(d) for d in distances]
        best = max(sims, default=0.0)
        picked = tuple(dict.fromkeys(
            tok for doc, sim in zip(docs, sims, strict=True)
            if sim >= MIN_COS and sim >= best - MARGIN
            for tok in arabic.tokens(doc)
        ))
        if word not in best_per_word or best > best_per_word[word].cos:
            best_per_word[word] = Translation(word, picked, best)
    return [best_per_word[w] for w in words]


def variants(word: str) -> list[str]:
    """The word and a crude English base form (called -> call, soldiers -> soldier): the encoder
    maps base forms to Arabic far better than inflected ones."""
    out = [word]
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            out.append(word[: -len(suffix)])
            break
    return out


def foreign_words(question: str) -> list[str]:
    """The question's non-Arabic content words, as typed (lower-cased), for translation."""
    words = []
    for word in _WORD.findall(question.lower()):
        if word.isascii() and not word.isdigit() and len(word) >= 2 and word not in arabic.STOPWORDS:
            words.append(word)
    return list(dict.fromkeys(words))


def confidence(cos: float) -> float:
    """How much a translated word's presence counts as evidence: 1 from SURE_COS up, falling
    linearly to 0 at MIN_COS (a small vocabulary always has some word near 0.5)."""
    return min(1.0, max(0.0, (cos - MIN_COS) / (SURE_COS - MIN_COS)))
