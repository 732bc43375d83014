"""Which language a text is in: Arabic or English, by its words' scripts."""

from __future__ import annotations

import re

from qa.results import Language

_TOKEN = re.compile(r"\w+")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> Language:
    """'ar' when the text has more Arabic words than Latin ones, 'en' when fewer; on a tie, the
    script of the first word (a question word usually leads). A mixed question such as "What did
    وزارة الداخلية السورية do?" counts as English: names keep their script, the sentence around
    them is the language."""
    words = [w for w in _TOKEN.findall(text) if _ARABIC_LETTER.search(w) or _LATIN_LETTER.search(w)]
    arabic_words = sum(1 for w in words if _ARABIC_LETTER.search(w))
    latin_words = len(words) - arabic_words
    if arabic_words != latin_words:
        return "ar" if arabic_words > latin_words else "en"
    return "ar" if words and _ARABIC_LETTER.search(words[0]) else "en"
