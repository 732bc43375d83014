"""What an opened index holds per sentence and per chunk, and what a search returns per chunk."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SentenceRecord:
    id: str
    chunk: int  # index into Index.chunks
    text: str
    start: int
    end: int
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class ChunkRecord:
    id: str
    text: str
    article_id: str
    article: str
    section: str
    section_index: int
    start: int
    end: int
    sentences: tuple[int, ...]  # indexes into Index.sentences


@dataclass(frozen=True)
class Hit:
    """One scored chunk, with what the answerer needs to pick sentences."""

    chunk: int
    score: float
    dense_chunk: float
    dense_sentence: float
    lexical: float
    sentence_cos: dict[int, float] = field(default_factory=dict)
    section: float = 0.0  # the score of the chunk's section
    translated_cos: dict[int, float] = field(default_factory=dict)  # to the sentences' translation
    translated_cover: dict[int, float] = field(default_factory=dict)  # the translation's share of the words
