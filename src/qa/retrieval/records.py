"""What an opened index holds per sentence and per chunk, and what a search returns per chunk."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class SentenceRecord:
    id: str
    chunk: int  # index into Index.chunks
    source: str  # the sentence's text; or, with `offset`, a text it is part of (its chunk's)
    start: int
    end: int
    tokens: tuple[str, ...]
    offset: int | None = None  # where `source` starts in the article, when it is a longer text

    @property
    def text(self) -> str:
        """The sentence (a slice of its chunk's text in a snapshot: one copy of the text, not two)."""
        if self.offset is None:
            return self.source
        return self.source[self.start - self.offset:self.end - self.offset]

    def within(self, chunk_text: str, chunk_start: int) -> SentenceRecord:
        """This record holding its text as a slice of its chunk's, when it is one."""
        a, b = self.start - chunk_start, self.end - chunk_start
        if self.offset is not None or not 0 <= a <= b <= len(chunk_text) or chunk_text[a:b] != self.source:
            return self
        return SentenceRecord(self.id, self.chunk, chunk_text, self.start, self.end, self.tokens, chunk_start)


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
