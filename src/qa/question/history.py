"""The conversation so far, as a question reads it: [{"role": ..., "content": ...}] messages or
[(user, assistant)] pairs, bounded and without hidden characters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qa.errors import QuestionError
from qa.question.clean import visible_text, without_hidden
from qa.text.words import tokens

HISTORY_TURN_CHARS = 2000  # an earlier turn is read up to this many characters as a question
HISTORY_ITEMS = 100  # only the last this many history items are read
HISTORY_CONTENT_CHARS = 20_000  # and each up to this many characters

History = Sequence[Any] | None


def turns(history: History) -> list[tuple[str, str]]:
    """(role, content) pairs from either [{"role": ..., "content": ...}] messages or
    [(user, assistant), ...] pairs; other items are ignored. History that is not a list is a
    QuestionError. Only the last HISTORY_ITEMS items are read, each content cut to
    HISTORY_CONTENT_CHARS and without hidden characters (`without_hidden`)."""
    if history is None:
        return []
    if isinstance(history, str | bytes) or not isinstance(history, Sequence):
        raise QuestionError(
            f"the history must be a list of messages, not {type(history).__name__}: "
            'pass [{"role": "user", "content": "..."}, ...] or None'
        )
    out: list[tuple[str, str]] = []
    for item in list(history[-HISTORY_ITEMS:]):
        if isinstance(item, dict) and isinstance(item.get("content"), str):
            out.append((str(item.get("role", "user"))[:20], _bounded(item["content"])))
        elif isinstance(item, list | tuple) and len(item) == 2:
            user, bot = item
            if isinstance(user, str):
                out.append(("user", _bounded(user)))
            if isinstance(bot, str):
                out.append(("assistant", _bounded(bot)))
    return out


def _bounded(content: str) -> str:
    return without_hidden(content[:HISTORY_CONTENT_CHARS])


def last_user_question(history: History, *, with_words: bool = False) -> str | None:
    """The last user turn with visible text, cleaned like a question and cut to a bounded length;
    `with_words`: the last with a content word ("Why?" and "And when?" say nothing of their own)."""
    for role, content in reversed(turns(history)):
        if role == "user":
            text = visible_text(content[: HISTORY_TURN_CHARS * 4])[:HISTORY_TURN_CHARS]
            if text and (not with_words or tokens(text, drop_stopwords=True)):
                return text
    return None


def last_answer(history: History) -> str:
    """The last assistant turn's text, or "" when there is none."""
    return next((content for role, content in reversed(turns(history)) if role == "assistant"), "")
