"""Section-aware chunks: whole sentences packed up to a token bound, never across a section."""

from __future__ import annotations

from dataclasses import dataclass

from qa.ingest.article import Article, Section
from qa.store.vectors import text_hash
from qa.text.sentences import sentence_spans
from qa.text.token_count import count as count_tokens


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Chunk:
    id: str
    article_id: str
    article_title: str
    section_index: int
    section_heading: str
    chunk_index: int  # position in the article, 0-based
    start: int  # character span in Article.text
    end: int
    text: str
    token_count: int
    sentences: tuple[Sentence, ...]

    def metadata(self) -> dict[str, str | int]:
        return {
            "article_id": self.article_id,
            "article_title": self.article_title,
            "section_index": self.section_index,
            "section_heading": self.section_heading,
            "chunk_index": self.chunk_index,
            "start": self.start,
            "end": self.end,
            "token_count": self.token_count,
        }

    @property
    def embedding_text(self) -> str:
        """What the dense index sees: the heading gives a short chunk its topic."""
        return f"{self.section_heading}\n{self.text}"


def chunk_article(article: Article, max_tokens: int = 160) -> list[Chunk]:
    """Chunks of whole sentences of at most `max_tokens` tokens; a longer sentence is cut at
    clause or word boundaries (langchain-text-splitters) and each piece is its own chunk."""
    chunks: list[Chunk] = []
    for section in article.sections:
        for group in _pack(article, section, max_tokens):
            start, end = group[0].start, group[-1].end
            text = article.text[start:end]
            key = f"{article.id}\x1f{section.index}\x1f{section.heading}\x1f{start}\x1f{text}"
            chunks.append(
                Chunk(
                    id=text_hash(key)[:32],
                    article_id=article.id,
                    article_title=article.title,
                    section_index=section.index,
                    section_heading=section.heading,
                    chunk_index=len(chunks),
                    start=start,
                    end=end,
                    text=text,
                    token_count=count_tokens(text),
                    sentences=tuple(group),
                )
            )
    return chunks


def _pack(article: Article, section: Section, max_tokens: int) -> list[list[Sentence]]:
    groups: list[list[Sentence]] = []
    current: list[Sentence] = []
    used = 0
    for sentence in _sentences(article, section, max_tokens):
        # the space (or newline) between two sentences costs about one token
        cost = count_tokens(sentence.text) + (1 if current else 0)
        if current and used + cost > max_tokens:
            groups.append(current)
            current, used = [], 0
            cost = count_tokens(sentence.text)
        current.append(sentence)
        used += cost
    if current:
        groups.append(current)
    return groups


def _sentences(article: Article, section: Section, max_tokens: int) -> list[Sentence]:
    out = []
    for start, end in sentence_spans(article.text, section.start, section.end):
        text = article.text[start:end]
        if count_tokens(text) <= max_tokens:
            out.append(Sentence(start, end, text))
        else:
            out.extend(_split_long(text, start, max_tokens))
    return out


def _split_long(text: str, offset: int, max_tokens: int) -> list[Sentence]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        separators=["، ", ", ", "; ", " ", ""],
        chunk_size=max_tokens,
        chunk_overlap=0,
        length_function=count_tokens,
        keep_separator="end",
        add_start_index=True,
        strip_whitespace=True,
    )
    pieces = []
    for doc in splitter.create_documents([text]):
        start = offset + int(doc.metadata["start_index"])
        pieces.append(Sentence(start, start + len(doc.page_content), doc.page_content))
    return pieces
