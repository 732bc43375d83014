"""A follow-up that asks what "that" shows or led to ("What does that tell us?", «وعلى شو بيدلّ
هالشي؟», «وما الشكوك التي ترتبت على ذلك؟») wants what the article says next about the last quote, which
seldom repeats its words: the rest of the quoted sentence when the quote stopped before a clause such
as «مما يعكس ...», the quoted sentence itself when its own clause says what it shows, or, for what
it led to, the next sentence of its section. Hand-written: a news report's discourse order, which no package models.
"""

from __future__ import annotations

import re
from typing import Literal

from qa.retrieval.index import Index
from qa.text import arabic

Sequel = Literal["implication", "consequence"]

_THAT = r"(?:that|this|it|these|those)"
_THAT_AR = r"[وف]?(?:ذلك|هذا|هذه|هاد|هيدا|هيك|هالشي|هالأمر|هالحكي)"
_ASKS: dict[Sequel, re.Pattern[str]] = {
    # what "that" shows, means, reflects
    "implication": re.compile(
        rf"\bwhat (?:does|did|do|would|could|might|can) {_THAT} (?:tell|show|indicate|mean|suggest|reveal|reflect|imply|say about)"
        rf"|\bwhat (?:is|was) the (?:significance|implication|meaning)s? of {_THAT}\b"
        rf"|(?:يدل|تدل|بيدل|بتدل|يعني|بيعني|يعكس|بيعكس|يشير|بيشير|دلالة|مدلول)(?!\w).*{_THAT_AR}(?!\w)"
        rf"|{_THAT_AR}\s+(?:على\s+)?(?:شو|ماذا|إيش|ايش)\s+(?:بيدل|يدل|بيعني|يعني)", re.IGNORECASE),
    # what "that" led to (not what led to it: «ما الذي أدى إلى ذلك؟» asks a cause)
    "consequence": re.compile(
        rf"\bwhat (?:did|does|has|have|will|would) {_THAT} (?:lead|led|result|cause|bring|make)"
        rf"|\bwhat (?:came|followed|resulted) (?:of|out of|from) {_THAT}\b"
        rf"|\b(?:results?|consequences?|outcomes?|effects?) of {_THAT}\b"
        rf"|(?:ترتب|ترتبت|يترتب|تترتب|نتج|نتجت|ينتج)\s+(?:على|عن)\s+{_THAT_AR}(?!\w)"
        rf"|(?:نتيجة|نتائج|عواقب|تبعات|عاقبة)\s+{_THAT_AR}(?!\w)"
        rf"|(?:أدى|ادى|أدت|ادت)\s+{_THAT_AR}\s+(?:إلى|الى)"
        rf"|(?:إلى|الى)\s+(?:ماذا|شو|ايش|إيش)\s+(?:أدى|ادى|أدت|ادت)", re.IGNORECASE),
}
# «مما يعكس ...», «وهو ما يدل ...»: a clause saying what the sentence's fact led to or shows
_CLAUSE = re.compile(r"(?<!\w)(?:مما|وهو ما|وهذا ما)\s")  # not a bare ما: «ما زال», «ما لم»
_SHOWS = frozenset(arabic.tokens("يعكس تعكس يدل تدل يشير تشير يعني تعني يظهر يبرز يؤكد"))


def asks(question: str) -> Sequel | None:
    """Whether a follow-up asks what "that" shows (`implication`) or led to (`consequence`)."""
    text = arabic.strip_harakat(question)
    return next((kind for kind, pattern in _ASKS.items() if pattern.search(text)), None)


def sentence(index: Index, question: str, quotes: list[str]) -> int | None:
    """The sentence that answers such a follow-up of an answer whose (normalised) quotes are
    `quotes`, the first of which it continues; None for any other question."""
    kind = asks(question)
    quote = next((q for q in quotes if q), "")
    if kind is None or not quote:
        return None
    at = next((i for i, s in enumerate(index.sentences) if quote in arabic.normalize(s.text)), None)
    if at is None:
        return None
    text = arabic.normalize(index.sentences[at].text)
    rest = text[text.index(quote) + len(quote):]
    if _CLAUSE.search(rest):  # the quote stopped before the clause that says what it led to
        return at
    if kind == "implication" and _CLAUSE.search(text) and _SHOWS.intersection(index.sentences[at].tokens):
        return at  # «... مما يعكس قدرة الأجهزة الأمنية»: the sentence says itself what it shows
    following = at + 1  # what happened next; not what "that" means, which the next sentence seldom says
    if kind == "consequence" and following < len(index.sentences) and _section(index, following) == _section(index, at):
        return following
    return None


def _section(index: Index, sentence: int) -> tuple[str, int]:
    chunk = index.chunks[index.sentences[sentence].chunk]
    return chunk.article_id, chunk.section_index
