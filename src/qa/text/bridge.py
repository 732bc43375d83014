"""A cross-lingual bridge for lexical matching: English question words -> the article's own Arabic
words, by nearest neighbours in the multilingual encoder's space ("soldiers" -> جنود).

Built from the same offline encoder as dense retrieval: every distinct content word of the index
is embedded once at ingest time (cached like any text) and stored in a `vocab` collection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from qa.text import arabic

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


def translate(words: list[str], embed: Any, nearest: Any) -> list[Translation]:
    """Nearest Arabic vocabulary words for each question word (empty tokens: no confident match).
    `embed` maps a list of strings to an (n, dim) array; `nearest(vectors, k)` gives, for each
    vector, its k nearest vocabulary words as (word, cosine) pairs, best first (one query for all
    of a question's words: see Index.nearest_words)."""
    if not words:
        return []
    forms = [(word, form) for word in words for form in variants(word)]
    vectors = embed([f for _, f in forms])
    best_per_word: dict[str, Translation] = {}
    for (word, _), found in zip(forms, nearest(vectors, NEIGHBOURS), strict=True):
        best = max((sim for _, sim in found), default=0.0)
        picked = tuple(dict.fromkeys(
            tok for doc, sim in found
            if sim >= MIN_COS and sim >= best - MARGIN
            for tok in arabic.tokens(doc)
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
        if word.isascii() and not word.isdigit() and len(word) >= 2 and low not in arabic.STOPWORDS:
            words.setdefault(low, word)
    return list(words.values())


def confidence(cos: float) -> float:
    """How much a translated word's presence counts as evidence: 1 from SURE_COS up, falling
    linearly to 0 at MIN_COS (a small vocabulary always has some word near 0.5)."""
    return min(1.0, max(0.0, (cos - MIN_COS) / (SURE_COS - MIN_COS)))


# -- names: a consonant skeleton shared by Latin and Arabic spellings -------------------------
# The encoder places transliterated names badly ("Rubio" is nowhere near روبيو), so a capitalised
# foreign word is also matched by its consonants: Shaibani -> ŠBN <- الشيباني, Rubio -> RB <- روبيو.
_LATIN_DIGRAPHS = (("sh", "Š"), ("ch", "Š"), ("kh", "K"), ("gh", "G"), ("ph", "F"), ("th", "T"),
                   ("dh", "D"), ("ck", "K"), ("qu", "K"))
_LATIN = str.maketrans({"b": "B", "p": "B", "t": "T", "d": "D", "j": "G", "g": "G", "h": "H", "s": "S",
                        "c": "K", "z": "Z", "r": "R", "l": "L", "m": "M", "n": "N", "f": "F", "v": "F",
                        "q": "K", "k": "K", "x": "KS"})
_ARABIC_SKELETON = str.maketrans({"ب": "B", "پ": "B", "ت": "T", "ط": "T", "ث": "T", "د": "D", "ض": "D",
                                  "ذ": "D", "ج": "G", "غ": "G", "ه": "H", "ح": "H", "خ": "K", "س": "S",
                                  "ص": "S", "ش": "Š", "ز": "Z", "ظ": "Z", "ر": "R", "ل": "L", "م": "M",
                                  "ن": "N", "ف": "F", "ڤ": "F", "ق": "K", "ك": "K"})
_CONSONANTS = re.compile(r"[BTDGHSKŠZRLMNF]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
MIN_NAME_LETTERS = 4  # shorter Arabic words share skeletons with too much


def skeleton_latin(word: str) -> str:
    """The consonant classes of a Latin-script word (vowels, w and y dropped)."""
    word = word.lower()
    for digraph, sound in _LATIN_DIGRAPHS:
        word = word.replace(digraph, sound)
    out = "".join(_CONSONANTS.findall(word.translate(_LATIN)))
    return re.sub(r"(.)\1+", r"\1", out)  # doubled letters are one sound


def skeleton_arabic(token: str) -> str:
    """The consonant classes of a normalised Arabic token (long vowels, hamza and ع dropped)."""
    out = "".join(_CONSONANTS.findall(token.translate(_ARABIC_SKELETON)))
    return re.sub(r"(.)\1+", r"\1", out)


def names(question: str) -> list[str]:
    """Capitalised Latin words that are not the question's first word (likely names), or are the
    first of at most two words: a name typed alone ("Shibani", "Rubio?")."""
    words = _LATIN_WORD.findall(question)
    return list(dict.fromkeys(w.lower() for i, w in enumerate(words)
                              if (i > 0 or len(words) <= 2) and w[0].isupper() and w.lower() not in arabic.STOPWORDS))


def latin_words(question: str) -> list[str]:
    """Every Latin word of the question, lower-cased, once each, stopwords aside."""
    return list(dict.fromkeys(w.lower() for w in _LATIN_WORD.findall(question) if w.lower() not in arabic.STOPWORDS))


def likely_name(word: str, capitalised: set[str]) -> bool:
    """A question word (lower-cased) that may be a name: one of the question's `names`, or typed
    in lower case but not a common English word (`uncommon`)."""
    return word in capitalised or uncommon(word)


MIN_UNCOMMON_LETTERS = 4


def uncommon(word: str) -> bool:
    """Not a common English word, so a name typed in lower case can be: cl100k_base (a BPE
    vocabulary learnt mostly from English) splits it, as it splits "rubio", "shaibani" and
    "palmyra" but not "called", "soldiers" or "interpreter" (no English word list ships offline).
    Loads the encoding on first use (0.37 s): ask only about a word that matched a name."""
    from qa.text.token_count import encoding

    low = word.lower()
    return len(low) >= MIN_UNCOMMON_LETTERS and len(encoding().encode(" " + low)) > 1
