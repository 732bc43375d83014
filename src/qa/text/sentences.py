"""Sentence splitting that keeps numbers and dates whole, for Arabic and English text.

Hand-written: a regular expression over Arabic and Latin sentence marks; sentence splitters on PyPI
either need model downloads (NLTK punkt, spaCy) or split 14.12.2025 and «...» wrongly.
"""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"\S.*?(?:[.!?؟؛;…]+(?=[\s\"'»”)\]]|$)[\"'»”)\]]*|$)", re.DOTALL)


# a Latin-script sentence does not end after an initial or an abbreviation ("M. Theo Kearney", "U.S.")
_ABBREVIATION = re.compile(
    r"(?:^|[\s(])(?:[A-Z]|(?:[A-Za-z]\.)+[A-Za-z]|Mr|Mrs|Ms|Dr|Prof|St|Mt|Ft|Jr|Sr|Gen|Col|Lt|Sgt|Capt|Gov|"
    r"Sen|Rep|Rev|Inc|Ltd|Co|Corp|No|vs|etc|approx|ca|e\.g|i\.e)\.$")


def sentence_spans(text: str, start: int = 0, end: int | None = None, *,
                   abbreviations: bool = False) -> list[tuple[int, int]]:
    """Character spans of the sentences in text[start:end]. Sentences end at Arabic ؟ ؛ and at
    . ! ? ; … when followed by white space or the end, so 2.5 and 14.12.2025 stay whole. Line
    breaks always end a sentence. With `abbreviations` (Latin-script text), a sentence does not end
    after an initial or a common abbreviation."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    line_start = start
    for line in text[start:end].split("\n"):
        for match in _SENTENCE.finditer(line):
            s, e = match.span()
            piece = line[s:e].rstrip()
            if not piece:
                continue
            glued = abbreviations and spans and spans[-1][0] >= line_start and \
                _ABBREVIATION.search(text[spans[-1][0]:spans[-1][1]])
            if glued:
                spans[-1] = (spans[-1][0], line_start + s + len(piece))
            else:
                spans.append((line_start + s, line_start + s + len(piece)))
        line_start += len(line) + 1
    return spans
