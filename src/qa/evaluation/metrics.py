"""Pure scoring functions of the evaluation, one small rule each (see docs/evaluation.md).

Matching follows the eval set's rules, which are deliberately stricter than retrieval's
`qa.text.normalize.normalize`: Arabic spelling is folded (hamza forms, ة/ه, ى/ي, diacritics, tatweel) and
Latin text is lower-cased, but digits and month names are *not* mapped, so «١٤» does not match "14".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # tashkil, tanwin, tatweel
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ة": "ه", "ى": "ي"})
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACE = re.compile(r"\s+")
_LATIN = re.compile(r"[A-Za-z]")
_ARABIC = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_LATIN_TOKEN = re.compile(r"[a-z]+|[0-9]+")
_QUOTED = re.compile(r"«[^»]*»|\"[^\"]*\"|“[^”]*”")
_MARKER = re.compile(r"\[\d+\]")
ENGLISH_FRAMING_WORDS = 3  # Latin words outside quotes that make an English framing sentence


def normalize(text: str) -> str:
    """The eval set's matching form: Arabic spelling folded, Latin lower-cased, spaces collapsed."""
    text = _INVISIBLE.sub("", text)
    text = _DIACRITICS.sub("", text).translate(_FOLD).lower()
    return _SPACE.sub(" ", text).strip()


def form_matches(form: str, text: str) -> bool:
    """True when one surface form of a fact occurs in `text`. Forms with Latin letters match as
    whole words, each up to its English inflection (so "ISIS" is not found in "crisis", and
    "condolence" is found in "condolences"); Arabic forms match as substrings, since Arabic
    attaches clitics (و، ب، ال) to the word."""
    needle, haystack = normalize(form), normalize(text)
    if not needle:
        return False
    if _LATIN.search(needle):
        words, within = english_stems(needle), english_stems(haystack)
        runs = range(len(within) - len(words) + 1)
        return bool(words) and any(within[i:i + len(words)] == words for i in runs)
    return needle in haystack


def english_stems(text: str) -> list[str]:
    """A text's Latin words and numbers, in order, each stemmed by Snowball's English stemmer (no
    words left out), so that a fact's form matches its inflections ("warning", "warnings")."""
    return list(_stemmer().stemWords(_LATIN_TOKEN.findall(text.lower())))


@cache
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def fact_hits(facts: Sequence[Sequence[str]], text: str) -> list[bool]:
    """For each fact (a list of accepted forms), whether any form occurs in the text."""
    return [any(form_matches(form, text) for form in forms) for forms in facts]


def without_arabic(text: str) -> str:
    """The text with every Arabic-script character removed: what a reader of English can read."""
    return re.sub(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]", " ", text)


def without_labels(text: str, headings: Iterable[str]) -> str:
    """The answer text without its «heading» citation labels, so that a fact is not found just
    because a cited section's heading names it (e.g. «الهجوم في تدمر» does not answer "where?")."""
    for heading in sorted(set(headings), key=len, reverse=True):
        if heading:
            text = text.replace(f"«{heading}»", " ")
    return text


def quote_in(quote: str, article_text: str) -> bool:
    """True when a citation's quote occurs in the article after normalisation. Empty quotes fail."""
    needle = normalize(quote)
    return bool(needle) and needle in normalize(article_text)


def distinct(sections: Iterable[str]) -> list[str]:
    """Sections in first-seen order, each once (a ranking of chunks becomes a ranking of sections)."""
    seen: dict[str, None] = {}
    for section in sections:
        seen.setdefault(section, None)
    return list(seen)


def gold_rank(ranked_sections: Sequence[str], gold: Iterable[str]) -> int | None:
    """1-based rank of the first gold section among the distinct ranked sections, or None."""
    wanted = set(gold)
    for rank, section in enumerate(distinct(ranked_sections), start=1):
        if section in wanted:
            return rank
    return None


def hit_at(rank: int | None, k: int) -> bool:
    return rank is not None and rank <= k


def reciprocal_rank(rank: int | None) -> float:
    return 0.0 if rank is None else 1.0 / rank


def citation_precision(cited: Sequence[str], gold: Iterable[str]) -> float | None:
    """Share of the distinct cited sections that are gold; None when nothing is cited."""
    sections = distinct(cited)
    if not sections:
        return None
    wanted = set(gold)
    return sum(s in wanted for s in sections) / len(sections)


def citation_recall(cited: Iterable[str], gold: Sequence[str]) -> float | None:
    """Share of the gold sections that are cited; None when there is no gold section."""
    wanted = distinct(gold)
    if not wanted:
        return None
    have = set(cited)
    return sum(s in have for s in wanted) / len(wanted)


def arabic_share(text: str) -> float:
    """Arabic letters as a share of Arabic plus Latin letters (0.0 for text with neither)."""
    arabic, latin = len(_ARABIC.findall(text)), len(_LATIN.findall(text))
    return arabic / (arabic + latin) if arabic + latin else 0.0


def has_english_framing(text: str) -> bool:
    """True when, outside «quotes» and [n] markers, the text has a few English words: an English
    answer may quote the Arabic article, but must say something in English around the quotes."""
    outside = _MARKER.sub(" ", _QUOTED.sub(" ", text))
    return len(_LATIN_WORD.findall(outside)) >= ENGLISH_FRAMING_WORDS


def language_matches(question_language: str, answer_language: str, text: str) -> bool:
    """The answer is labelled with the question's language, and its text is in it: mostly Arabic
    script for Arabic, an English framing sentence for English."""
    if answer_language != question_language:
        return False
    if question_language == "ar":
        return arabic_share(text) > 0.5
    return has_english_framing(text)


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of a share: how far a figure on so few items could move (41 of 50
    is 0.82, but anything from 0.69 to 0.90 fits it at 95%)."""
    from scipy.stats import binomtest  # imported here: 0.6 s, and only an evaluation needs it

    ci = binomtest(successes, n).proportion_ci(confidence_level=confidence, method="wilson")
    return float(ci.low), float(ci.high)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100) with linear interpolation, as numpy's default; None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Iterable[float | None]) -> tuple[float | None, float, int]:
    """(mean, sum, count) over the values that are not None; mean is None when there are none."""
    kept = [v for v in values if v is not None]
    total = float(sum(kept))
    return (total / len(kept) if kept else None), total, len(kept)
