"""A quote does not stop where its sentence goes on. The article's sentences end at «؛» and «:» too,
and a sentence too long for one chunk is cut at its commas (qa.ingest.chunking); a quote of one
such piece can end just before the clause that answers, or start after the clause that names what
it is about. So a quoted piece takes the piece after it when it ends at a clause mark, and the
piece before it when that one ends at a clause mark: one piece each way, in the same section,
with nothing but white space between them.
"""

from __future__ import annotations

from qa.retrieval.index import Index


def goes_on(index: Index, sentence: int, marks: frozenset[str]) -> bool:
    """Whether a sentence (by position) ends at a clause mark and the next one in its section follows
    right after it."""
    text = index.sentences[sentence].text.rstrip()
    return bool(text) and text[-1] in marks and _next_to(index, sentence, sentence + 1)


def whole(index: Index, sentence: int, marks: frozenset[str]) -> tuple[int, ...]:
    """The sentence (by position) with the clause piece before it and the one after it, when its
    sentence goes on across them."""
    before = (sentence - 1,) if sentence > 0 and goes_on(index, sentence - 1, marks) else ()
    after = (sentence + 1,) if goes_on(index, sentence, marks) else ()
    return (*before, sentence, *after)


def text_of(index: Index, sentences: tuple[int, ...]) -> str:
    """The article's text over consecutive sentences (by position), with the white space between."""
    parts = [index.sentences[sentences[0]].text]
    for before, after in zip(sentences, sentences[1:], strict=False):
        gap = index.sentences[after].start - index.sentences[before].end
        parts.append(" " * max(1, gap) + index.sentences[after].text)
    return "".join(parts)


def _next_to(index: Index, sentence: int, other: int) -> bool:
    if not 0 <= other < len(index.sentences):
        return False
    here, there = index.sentences[sentence], index.sentences[other]
    a, b = index.chunks[here.chunk], index.chunks[there.chunk]
    return (a.article_id == b.article_id and a.section_index == b.section_index
            and 0 <= there.start - here.end <= 2)
