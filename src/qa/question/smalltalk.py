"""Greetings, thanks, goodbyes and "who are you?" in a chat (data/smalltalk.toml): a message that is
only that gets a short reply naming the article (qa.answer.messages), not "the article does not say"
with a nearest section, nor its lead (a question with no topic of its own reads as about the
article's main story)."""

from __future__ import annotations

import re

from qa.text import tables
from qa.text.normalize import fold

SMALLTALK_FILE = "smalltalk.toml"
_NOT_WORDS = re.compile(r"[^\w\s]+")


def kind(text: str) -> str | None:
    """"hello", "about" (who are you?), "thanks" or "bye" when the whole message is one
    (punctuation and case aside)."""
    words = " ".join(_NOT_WORDS.sub(" ", fold(text)).split())
    return next((k for k, pattern in tables.rules(SMALLTALK_FILE).items() if pattern.fullmatch(words)), None)
