"""Context packing: whole chunks, best first, numbered and headed, until the token budget is full. A
chunk of an article with a translation into the question's language carries it beside the original.

A chunk that does not fit is skipped (never cut), and a smaller one further down may still fit.
Counts are cl100k_base tokens (qa.text.token_count) of each chunk as the prompt shows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.retrieval.index import Index
from qa.retrieval.records import Hit
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
    translation: str | None = None  # the chunk in the article's translation into the question's language
    language_name: str = ""  # that language, for the prompt


def as_data(text: str) -> str:
    """Article text made safe to sit inside the data block: no block tags of its own."""
    return _BLOCK_TAG.sub(" ", text)


def label(
    number: int, section: str, text: str, translation: str | None = None, language_name: str = ""
) -> str:
    """A passage as the prompt shows it (prompts/answer.md)."""
    extra = f"Translation ({language_name}): {translation}\n" if translation else ""
    return f"[{number}] (section: {section})\n{text}\n{extra}\n"


def pack(
    index: Index, hits: list[Hit], budget: int, language: str = "", language_name: str = ""
) -> list[Packed]:
    """Whole chunks from `hits` (best first) whose labelled size fits in `budget` tokens in total,
    each with its translation into `language` when the index has one. Each chunk appears once;
    numbers follow rank order."""
    translated = index.translations.get(language)
    out: list[Packed] = []
    used = 0
    seen: set[int] = set()
    for hit in hits:
        if hit.chunk in seen:
            continue
        seen.add(hit.chunk)
        chunk = index.chunks[hit.chunk]
        section, text = as_data(chunk.section), as_data(chunk.text)
        found = translated.sentence_text(chunk.sentences) if translated is not None else None
        translation = as_data(found) if found else None
        size = token_count.count(label(len(out) + 1, section, text, translation, language_name))
        if used + size > budget:
            continue
        used += size
        out.append(
            Packed(len(out) + 1, hit.chunk, section, text, size, hit.score, translation, language_name)
        )
    return out
