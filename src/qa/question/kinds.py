"""What kind of answer a question asks for (data/question_kinds.toml): `when`, `where`, `how_many`,
`cause`, `said`, `time_of_day`, `duration`, `source`. A sentence that holds the kind asked for (a
date for "when": qa.retrieval.kinds) is a better answer than one that only shares the question's
words. Also: the words that frame a question rather than name what to find
(data/question_frames.toml), and whether a `cause` question asks why an event happened.

("why" in general was tried with cause words such as بسبب/أدى; on XQuAD it picked worse sentences.
The `cause` kind is narrower: "why did it happen?" wants a sentence saying what led to an
occurrence.)
"""

from __future__ import annotations

import re
from functools import cache

from qa.text import tables
from qa.text.normalize import strip_harakat

KINDS_FILE = "question_kinds.toml"
FRAMES_FILE = "question_frames.toml"
# asked for and held by no candidate sentence: the article does not say ("What time was the call?")
REQUIRED_KINDS = frozenset({"time_of_day", "duration"})


@cache
def _kinds() -> dict[str, re.Pattern[str]]:
    return tables.rules(KINDS_FILE)


def names() -> tuple[str, ...]:
    """Every kind a question can ask for, in the data file's order."""
    return tuple(_kinds())


def kinds_of(text: str) -> frozenset[str]:
    """The kinds of answer a question asks for. "Where did this story come from?" asks for a
    source, not a place: `source` takes `where`'s place."""
    text = strip_harakat(text)  # مَتى is متى
    kinds = {kind for kind, pattern in _kinds().items() if pattern.search(text)}
    if "source" in kinds:
        kinds.discard("where")
    return frozenset(kinds)


def asks_why_it_happened(text: str, kinds: frozenset[str]) -> bool:
    """True for a `cause` question about an event: its occurrence ("why did the attack happen?",
    «لماذا وقع ...؟») or the event named as what was caused ("what caused the attack?"), not one of
    its outcomes ("what led to the deaths?"). `kinds` are the question's (`kinds_of`)."""
    if "cause" not in kinds:
        return False
    text = strip_harakat(text)
    return bool(tables.rule(FRAMES_FILE, "occurrence").search(text)
                or tables.rule(FRAMES_FILE, "cause_of_event").search(text))


def without_frame(text: str, kinds: frozenset[str]) -> str:
    """A `source` question without the words for the news it asks the source of ("Where is the
    information in the article from?"), a `when` question without the words for a date ("What was
    the date of the call?"): they name the kind of answer, not words a sentence must hold."""
    if "source" in kinds:
        text = tables.rule(FRAMES_FILE, "source_frame").sub(" ", text)
    if "when" in kinds:
        text = tables.rule(FRAMES_FILE, "date_frame").sub(" ", text)
    return text
