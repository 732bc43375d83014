"""Fold Arabic spelling for matching: hamza forms, ى/ي, ة/ه, harakat, tatweel, Arabic-Indic digits,
invisible characters, and the month names a question may use (data/months.toml).

Hand-written because no maintained PyPI package offers Lucene's ArabicNormalizer without a JVM or
NLTK data downloads; the folding rules are Lucene's. Never for display: quotes always come from the
original text.
"""

from __future__ import annotations

import re
from functools import cache

from qa.errors import ConfigError
from qa.text import tables

_HARAKAT = re.compile("[\u064b-\u0652\u0670\u0640]")  # tanwin..sukun, superscript alef, tatweel
_ALEF = str.maketrans({"آ": "ا", "أ": "ا", "إ": "ا", "ى": "ي", "ة": "ه", "ٱ": "ا"})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
MONTHS_FILE = "months.toml"


@cache
def _months() -> tuple[tuple[tuple[re.Pattern[str], str], ...], tuple[str, ...], re.Pattern[str]]:
    """The month substitutions in order, the hints that a text may name a month, and the day-number
    pattern that announces آب."""
    data = tables.toml(MONTHS_FILE)
    months = data.get("month")
    if not isinstance(months, list) or not all(isinstance(m, dict) and set(m) == {"pattern", "name"}
                                                for m in months):
        raise ConfigError(f"{MONTHS_FILE}: every [[month]] needs a `pattern` and a `name`; fix the file")
    substitutions = tuple(
        (tables.compile_rule(MONTHS_FILE, m["name"], {"patterns": [m["pattern"]]}), m["name"]) for m in months
    )
    day = tables.compile_rule(MONTHS_FILE, "day_number_hint", {"patterns": [data["day_number_hint"]],
                                                                "ignore_case": False})
    return substitutions, tables.words_of(MONTHS_FILE, "hints"), day


def month_names() -> tuple[str, ...]:
    """The twelve month names Arabic news writes (يناير ... ديسمبر), folded, in order."""
    return tables.words_of(MONTHS_FILE, "canonical")


def clean_invisible(text: str) -> str:
    """Drop zero-width and bidi-control characters, which change nothing a reader sees."""
    return _INVISIBLE.sub("", text)


def fold_spelling(text: str) -> str:
    """No harakat or tatweel, hamza forms -> ا, ى -> ي, ة -> ه, Arabic-Indic digits -> ASCII, lower case."""
    return _HARAKAT.sub("", text).translate(_ALEF).translate(_DIGITS).lower()


def strip_harakat(text: str) -> str:
    """The text without harakat and tatweel (مَتى -> متى), letters otherwise as written."""
    return _HARAKAT.sub("", text)


def normalize(text: str) -> str:
    """Fold Arabic spelling variants for matching (`fold_spelling`), without invisible characters, and
    with Levantine and English month names as the news writes them (`canonical_dates`)."""
    return fold_spelling(canonical_dates(clean_invisible(text)))


def fold(word: str) -> str:
    """`normalize` for one word, without its month names (a phrase's business): 6x faster."""
    return fold_spelling(clean_invisible(word))


def canonical_dates(text: str) -> str:
    """Arabic-Indic digits -> ASCII and Levantine/English month names -> the names Arabic news writes
    (كانون الأول -> ديسمبر). Keeps everything else as written, for the encoder."""
    text = text.translate(_DIGITS)
    substitutions, hints, day = _months()
    low = text.lower()
    if not any(hint in low for hint in hints) and not day.search(text):
        return text
    for pattern, replacement in substitutions:
        text = pattern.sub(replacement, text)
    return text
