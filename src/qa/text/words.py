"""Words and tokens: Lucene's light Arabic stemmer, question stopwords (data/stopwords.txt), and the
tokens that BM25, coverage and the answerer match on.

Hand-written because no maintained PyPI package offers Lucene's light ArabicStemmer without a JVM or
NLTK data downloads; the affix rules below are Lucene's (they measured better than snowball, ISRI
and tashaphyne on XQuAD: eval/EXPERIMENTS.md).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from qa.text import tables
from qa.text.normalize import fold, fold_spelling, normalize

_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و")
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "يه", "ه", "ه", "ي")  # ية/ة already normalised to يه/ه
_PRONOUN_SUFFIXES = ("هما", "هم", "هن", "ها", "ه", "كم", "نا", "ي")
_TOKEN = re.compile(r"\w+")
ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")


@cache
def stopwords() -> frozenset[str]:
    """The question stopwords, folded (data/stopwords.txt)."""
    return frozenset(fold_spelling(word) for word in tables.word_list("stopwords.txt"))


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """Lucene's light Arabic stemmer on an already normalised token; other scripts pass through."""
    if not ARABIC_LETTER.match(token):
        return token
    for prefix in _PREFIXES:
        keep = 3 if prefix == "و" else 2
        if token.startswith(prefix) and len(token) - len(prefix) >= keep:
            token = token[len(prefix):]
            break
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 2:
            token = token[: -len(suffix)]
    return token


def is_function_word(raw: str) -> bool:
    """A stopword as written, behind و or ف, or with a pronoun suffix (خلالها "during it", وبعده)."""
    stop = stopwords()
    bare = raw[1:] if raw[:1] in ("و", "ف") and len(raw) > 2 else raw
    return raw in stop or bare in stop or any(
        bare.endswith(suffix) and bare[: -len(suffix)] in stop for suffix in _PRONOUN_SUFFIXES
        if len(bare) > len(suffix) + 1)


def _is_stopword(raw: str, token: str) -> bool:
    stop = stopwords()
    return raw in stop or token in stop or (raw[:1] in ("و", "ف") and raw[1:] in stop)


def words(text: str) -> list[str]:
    """The words of `text` folded as `normalize` folds them (month names aside), not stemmed."""
    return _TOKEN.findall(fold(text))


def tokens(
    text: str, *, drop_stopwords: bool = False, keep: frozenset[str] | set[str] = frozenset()
) -> list[str]:
    """Normalised, stemmed word tokens of `text`, for BM25 and for lexical overlap. With
    `drop_stopwords`, a word whose stem is a stopword is dropped too (بعدها -> بعد), unless it is
    in `keep` as written (normalised) and is no function word (`is_function_word`): the article's
    الولايات and هوية stem to ولا and هو."""
    out = []
    for raw in _TOKEN.findall(normalize(text)):
        if raw == "_":
            continue
        token = stem(raw)
        if drop_stopwords and _is_stopword(raw, token) and not (raw in keep and not is_function_word(raw)):
            continue
        out.append(token)
    return out
