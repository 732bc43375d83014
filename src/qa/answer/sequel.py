"""A follow-up that asks what "that" shows or led to ("What does that tell us?", «وعلى شو بيدلّ
هالشي؟», «وما الشكوك التي ترتبت على ذلك؟»: qa.question.followup.sequel) wants what the article says
next about the last quote, which seldom repeats its words: the rest of the quoted sentence when the
quote stopped before a clause such as «مما يعكس ...», the quoted sentence itself when its own clause
says what it shows, or, for what it led to, the next sentence of its section. Any other follow-up
("Like what?", «وفي أي مجالات تحديداً؟») mostly goes on in the section of the last quote
(`same_section`; the answerer weighs it by `Answering.continuity`). Hand-written: a news report's
discourse order, which no package models.
"""

from __future__ import annotations

from functools import cache

from qa.question.followup import FOLLOWUP_FILE, Sequel
from qa.retrieval.index import Index
from qa.text import tables
from qa.text.normalize import normalize
from qa.text.words import tokens


@cache
def _shows() -> frozenset[str]:
    """Verbs of showing (يعكس, يدل ...), as tokens."""
    return frozenset(tokens(" ".join(tables.words_of(FOLLOWUP_FILE, "shows"))))


def sentence(index: Index, kind: Sequel | None, quotes: list[str]) -> int | None:
    """The sentence that answers a follow-up asking `kind` of an answer whose (normalised) quotes
    are `quotes`, the first of which it continues; None for any other question."""
    if kind is None:
        return None
    quote, at = _quoted(index, quotes)
    if at is None:
        return None
    clause = tables.rule(FOLLOWUP_FILE, "clause")
    text = normalize(index.sentences[at].text)
    rest = text[text.index(quote) + len(quote):]
    if clause.search(rest):  # the quote stopped before the clause that says what it led to
        return at
    if kind == "implication" and clause.search(text) and _shows().intersection(index.sentences[at].tokens):
        return at  # «... مما يعكس قدرة الأجهزة الأمنية»: the sentence says itself what it shows
    following = at + 1  # what happened next; not what "that" means, which the next sentence seldom says
    if (
        kind == "consequence"
        and following < len(index.sentences)
        and _section(index, following) == _section(index, at)
    ):
        return following
    return None


def same_section(index: Index, quotes: list[str]) -> frozenset[int]:
    """The sentences of the section that holds the last answer's first quote (none when the
    article no longer has it). Sentences are stored in article order, so the section's are the
    run around the quoted one."""
    _, at = _quoted(index, quotes)
    if at is None:
        return frozenset()
    here = _section(index, at)
    first, last = at, at
    while first > 0 and _section(index, first - 1) == here:
        first -= 1
    while last + 1 < len(index.sentences) and _section(index, last + 1) == here:
        last += 1
    return frozenset(range(first, last + 1))


def _quoted(index: Index, quotes: list[str]) -> tuple[str, int | None]:
    """The first (normalised) quote, and the first sentence that holds it (None: no quote, or no
    sentence holds it any more)."""
    quote = next((q for q in quotes if q), "")
    if not quote:
        return quote, None
    return quote, next((i for i, s in enumerate(index.sentences) if quote in normalize(s.text)), None)


def _section(index: Index, sentence: int) -> tuple[str, int]:
    chunk = index.chunks[index.sentences[sentence].chunk]
    return chunk.article_id, chunk.section_index
