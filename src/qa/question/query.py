"""One parsed question: `parse(text, history, reader)` reads a cleaned question once into a `Query`
(its language, kinds, compound parts, the part of the article it names, its follow-up context and
its terms) that retrieval (qa.retrieval) and the answerers (qa.answer) take as it is.

    text --clean--> Query --search--> hits --answer--> Answer

A question may be read as several texts: the question as asked, the text retrieval searches with
(a follow-up adds the last answer's quotes or the previous question), its own words, and each part
of a compound question. Each is a `Reading`, made once. The terms of a text are the index's
business (its idf, its vocabulary, the word bridge): `reader` gives them (qa.retrieval.index.Index).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from qa.question import compound, followup, smalltalk
from qa.question.article_part import article_part, without_part
from qa.question.history import History, last_answer
from qa.question.kinds import asks_why_it_happened, kinds_of, without_frame
from qa.results import Language
from qa.text.language import detect_language


@dataclass(frozen=True)
class Term:
    """One content word of a question: the index tokens that count as it, and its weight (idf)."""

    tokens: tuple[str, ...]
    weight: float
    confidence: float = 1.0  # under 1 for a translated word whose nearest Arabic word is not close
    translated: bool = False  # from the word bridge rather than the question's own words


class TermReader(Protocol):
    """What `parse` needs of an index: a text's terms and the term of the article's lead."""

    def read_terms(self, text: str, content: str, part: str | None) -> tuple[list[Term], Any]:
        """The terms of `text` (whose content words are `content`; `part`: the article part it
        names), and the text's vector when reading the terms embedded it (else None)."""
        ...

    def part_term(self, part: str) -> Term:
        """The term every sentence of an article part holds."""
        ...


@dataclass(frozen=True, eq=False)
class Reading:
    """One text of a question, read once: what kinds of answer it asks for, whether it asks why an
    event happened, the article part it names, and its terms."""

    text: str
    kinds: frozenset[str]
    why_happened: bool
    part: str | None
    terms: tuple[Term, ...]
    vector: Any = None  # the text's use-m3 vector when reading its terms embedded it (numpy array)
    content: str = ""  # the text without the words that name an article part or frame the question


@dataclass(frozen=True, eq=False)
class FollowUp:
    """What a follow-up question carries over from the conversation."""

    previous_answer: str  # the last answer's text
    quoted: tuple[str, ...]  # its «…» quotes, normalised
    own: Reading | None  # the question on its own words, when they differ from the search text
    sequel: followup.Sequel | None  # it asks what "that" shows or led to


@dataclass(frozen=True, eq=False)
class Query:
    """A question, parsed once. `asked` is the question as typed (cleaned); `search` what retrieval
    reads (the same Reading unless it is a follow-up); `terms` what the answerer weighs."""

    text: str
    language: Language
    smalltalk: str | None  # "hello", "thanks" ... when the whole message is small talk
    asked: Reading
    search: Reading
    search_parts: tuple[Reading, ...]  # the search text's parts when it is compound, else ()
    asked_parts: tuple[Reading, ...]  # the asked text's parts when it is compound, else ()
    follow_up: FollowUp | None
    terms: tuple[Term, ...]

    @property
    def compound(self) -> bool:
        return len(self.asked_parts) > 1


def read(text: str, reader: TermReader, *, lead_when_empty: bool = False) -> Reading:
    """One text's Reading. With `lead_when_empty`, a question with no content term at all ("What
    happened?") takes the term of the article's lead, its main story; "?" stays empty, and so does
    a question about the source ("Where is this news from?")."""
    kinds = kinds_of(text)
    part = article_part(text)
    bare = without_part(text)
    # the frame words are read on the question without its part words, whose own kinds may differ
    content = without_frame(bare, kinds if part is None else kinds_of(bare))
    terms, vector = reader.read_terms(text, content, part)
    if lead_when_empty and not terms and any(ch.isalpha() for ch in text) and "source" not in kinds:
        terms = [reader.part_term("start")]
    return Reading(text, kinds, asks_why_it_happened(text, kinds), part, tuple(terms), vector, content)


def focus_terms(own: tuple[Term, ...], context: tuple[Term, ...], share: float) -> tuple[Term, ...]:
    """A follow-up's terms: its own, then the earlier question's at `share` of their weight."""
    have = {tok for term in own for tok in term.tokens}
    return own + tuple(Term(t.tokens, share * t.weight, t.confidence) for t in context
                       if not have.intersection(t.tokens))


def _parts(text: str, reader: TermReader, known: dict[str, Reading]) -> tuple[Reading, ...]:
    found = compound.parts(text)
    if len(found) < 2:
        return ()
    return tuple(known.get(p) or known.setdefault(p, read(p, reader)) for p in found)


def parse(text: str, history: History, reader: TermReader, *, focus_share: float = 0.5) -> Query:
    """The Query for a cleaned question and the conversation before it."""
    search_text = followup.search_text(text, history)
    search = read(search_text, reader, lead_when_empty=True)
    known: dict[str, Reading] = {}
    search_parts = _parts(search_text, reader, known)
    if search_text == text:
        return Query(text, detect_language(text), smalltalk.kind(text), search, search, search_parts,
                     search_parts, None, search.terms)
    # a follow-up: its own words count more than the earlier question's
    asked = read(text, reader)
    previous = last_answer(history)
    own_text = followup.follow_up_text(text, history)
    own = read(own_text, reader) if own_text != search_text else None
    terms = focus_terms(asked.terms, own.terms if own is not None else search.terms, focus_share)
    return Query(text, detect_language(text), smalltalk.kind(text), asked, search, search_parts,
                 _parts(text, reader, known), FollowUp(previous, tuple(followup.quoted(previous)), own,
                                                       followup.sequel(text)), terms)
