"""Sentence splitting that keeps numbers and dates whole, for Arabic and English text.

Hand-written: a regular expression over Arabic and Latin sentence marks; sentence splitters on PyPI
either need model downloads (NLTK punkt, spaCy) or split 14.12.2025 and «...» wrongly.
"""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"\S.*?(?:[.!?؟؛;…]+(?=[\s\"'»”)\]]|$)[\"'»”)\]]*|$)", re.DOTALL)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Character spans of the sentences in text[start:end]. Sentences end at Arabic ؟ ؛ and at
    . ! ? ; … when followed by white space or the end, so 2.5 and 14.12.2025 stay whole. Line
    breaks always end a sentence."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    line_start = start
    for line in text[start:end].split("\n"):
        for match in _SENTENCE.finditer(line):
            s, e = match.span()
            piece = line[s:e].rstrip()
            if piece:
                spans.append((line_start + s, line_start + s + len(piece)))
        line_start += len(line) + 1
    return spans
