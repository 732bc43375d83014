"""English words for lexical matching of English text (a question against an article's English
translation): lower-cased, question stopwords left out (data/stopwords.txt), stemmed by Snowball's
English (Porter 2) stemmer from the snowballstemmer package."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from qa.text.words import stopwords

_WORD = re.compile(r"[A-Za-z][A-Za-z']*|\d+")


@cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def tokens(text: str) -> list[str]:
    """The stemmed English content words and the numbers of `text`, in order."""
    stop = stopwords()
    words = [w.lower().strip("'") for w in _WORD.findall(text)]
    words = [w.removesuffix("'s") for w in words if w and w not in stop]
    return [w if w.isdigit() else s for w, s in zip(words, _stemmer().stemWords(words), strict=True)]
