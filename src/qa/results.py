"""What qa returns: small frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Language = Literal["ar", "en"]
Mode = Literal["extractive", "llm"]


@dataclass(frozen=True)
class IngestReport:
    """What `Assistant.ingest` did."""

    articles: int
    chunks: int
    sentences: int
    embedded: int  # texts sent to the model this time
    reused: int  # texts whose vectors came from the cache
    seconds: float
    unchanged: bool  # the index already held exactly this; nothing was written
    generation: str


@dataclass(frozen=True)
class Citation:
    """One piece of evidence: a verbatim sentence and the section heading it stands under."""

    section: str
    quote: str
    article: str = ""
    marker: int = 0  # the [n] that points at it in Answer.text; 0 when the text has no markers
    start: int = -1  # character span of the quote in the article text (after BOM/CRLF clean-up)
    end: int = -1
    translation: str | None = None  # the quote in the article's translation into the question's language
    section_translation: str | None = None  # the heading in that translation


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk of an article, best first."""

    article: str
    section: str
    text: str
    score: float
    chunk_id: str = ""
    article_id: str = ""
    section_index: int = 0
    start: int = -1
    end: int = -1


@dataclass(frozen=True)
class Answer:
    """An answer to one question."""

    text: str
    language: Language
    abstained: bool
    mode: Mode
    citations: list[Citation] = field(default_factory=list)
    notice: str | None = None  # e.g. why an LLM answer fell back to extractive
    question: str = ""  # the question as answered (cleaned)
    passages: list[Passage] = field(default_factory=list)
    # when it abstains: the sentences closest to what was asked, as related reading, never the answer
    related: list[Citation] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `qa ask --json`."""
        return {
            "text": self.text,
            "language": self.language,
            "abstained": self.abstained,
            "mode": self.mode,
            "citations": [
                {"section": c.section, "quote": c.quote, "article": c.article, "marker": c.marker,
                 "translation": c.translation, "section_translation": c.section_translation}
                for c in self.citations
            ],
            "notice": self.notice,
            "related": [
                {"section": c.section, "quote": c.quote, "article": c.article, "translation": c.translation,
                 "section_translation": c.section_translation}
                for c in self.related
            ],
        }
