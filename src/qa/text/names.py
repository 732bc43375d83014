"""Names across scripts: the encoder places transliterated names badly ("Rubio" is nowhere near
روبيو), so a capitalised foreign word is also matched by its consonants: Shaibani -> ŠBN <- الشيباني,
Rubio -> RB <- روبيو. The consonant classes below are a transliteration table, not tuning.
"""

from __future__ import annotations

import re

from qa.scoring import SCORING
from qa.text.words import stopwords

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
    return list(
        dict.fromkeys(
            w.lower()
            for i, w in enumerate(words)
            if (i > 0 or len(words) <= 2) and w[0].isupper() and w.lower() not in stopwords()
        )
    )


def latin_words(question: str) -> list[str]:
    """Every Latin word of the question, lower-cased, once each, stopwords aside."""
    return list(
        dict.fromkeys(w.lower() for w in _LATIN_WORD.findall(question) if w.lower() not in stopwords())
    )


def likely_name(word: str, capitalised: set[str]) -> bool:
    """A question word (lower-cased) that may be a name: one of the question's `names`, or typed
    in lower case but not a common English word (`uncommon`)."""
    return word in capitalised or uncommon(word)


def uncommon(word: str) -> bool:
    """Not a common English word, so a name typed in lower case can be: cl100k_base (a BPE
    vocabulary learnt mostly from English) splits it, as it splits "rubio", "shaibani" and
    "palmyra" but not "called", "soldiers" or "interpreter" (no English word list ships offline).
    Loads the encoding on first use (0.37 s): ask only about a word that matched a name."""
    from qa.text.token_count import encoding

    low = word.lower()
    return len(low) >= SCORING.bridge.min_uncommon_letters and len(encoding().encode(" " + low)) > 1
