"""Clean a question before it goes anywhere: strip what a reader cannot see, refuse what cannot be
answered, and read the conversation so far."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from qa.arabic import clean_invisible
from qa.errors import QuestionError

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TAG_CHARS = re.compile("[\U000e0000-\U000e007f]")  # Unicode tag characters hide text
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACES = re.compile(r"\s+")

History = Sequence[Any] | None


def clean_question(question: object, max_chars: int) -> str:
    """The question as a single line of visible text, or QuestionError saying what is wrong."""
    if not isinstance(question, str):
        raise QuestionError(f"the question must be text, not {type(question).__name__}")
    if len(question) > max_chars * 4:  # refuse huge input before doing any work on it
        raise QuestionError(
            f"the question is {len(question):,} characters, over the limit of {max_chars:,}: "
            "shorten it (or raise QA_MAX_QUESTION_CHARS)"
        )
    text = _SURROGATE.sub("", question)
    text = unicodedata.normalize("NFC", text)
    text = _TAG_CHARS.sub("", clean_invisible(text))
    text = _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()
    if not text:
        raise QuestionError("the question is empty: type a question about the article")
    if len(text) > max_chars:
        raise QuestionError(
            f"the question is {len(text):,} characters, over the limit of {max_chars:,}: "
            "shorten it (or raise QA_MAX_QUESTION_CHARS)"
        )
    return text


def turns(history: History) -> list[tuple[str, str]]:
    """(role, content) pairs from either [{"role": ..., "content": ...}] messages or
    [(user, assistant), ...] pairs; anything else is ignored."""
    out: list[tuple[str, str]] = []
    for item in history or []:
        if isinstance(item, dict) and isinstance(item.get("content"), str):
            out.append((str(item.get("role", "user")), item["content"]))
        elif isinstance(item, list | tuple) and len(item) == 2:
            user, bot = item
            if isinstance(user, str):
                out.append(("user", user))
            if isinstance(bot, str):
                out.append(("assistant", bot))
    return out


def last_user_question(history: History) -> str | None:
    for role, content in reversed(turns(history)):
        if role == "user" and content.strip():
            return content.strip()
    return None
