"""Context packing: whole chunks, best first, numbered and headed, until the token budget is full.

A chunk that does not fit is skipped (never cut), and a smaller one further down may still fit.
Counts are cl100k_base tokens (qa.text.token_count) of each chunk as the prompt shows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.retrieval.index import Hit, Index
from qa.text import token_count

# The article must not be able to close the data block and speak outside it.
_BLOCK_TAG = re.compile(r"</?\s*article_passages\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Packed:
    """One chunk as the model sees it: `[number] (section: heading)` then the text."""

    number: int  # 1-based label, the [n] the model cites
    chunk: int  # index into Index.chunks
    section: str
    text: str
    tokens: int
    score: float


def as_data(text: str) -> str:
    """Article text made safe to sit inside the data block: no block tags of its own."""
    return _BLOCK_TAG.sub(" ", text)


def label(number: int, section: str, text: str) -> str:
    return f"[{number}] (section: {section})\n{text}\n\n"


def pack(index: Index, hits: list[Hit], budget: int) -> list[Packed]:
    """Whole chunks from `hits` (best first) whose labelled size fits in `budget` tokens in total.
    Each chunk appears once; numbers follow rank order."""
    out: list[Packed] = []
    used = 0
    seen: set[int] = set()
    for hit in hits:
        if hit.chunk in seen:
            continue
        seen.add(hit.chunk)
        chunk = index.chunks[hit.chunk]
        section, text = as_data(chunk.section), as_data(chunk.text)
        size = token_count.count(label(len(out) + 1, section, text))
        if used + size > budget:
            continue
        used += size
        out.append(Packed(len(out) + 1, hit.chunk, section, text, size, hit.score))
    return out
