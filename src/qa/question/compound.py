"""Compound questions: "How did X react, and what did he stress?" is two questions, each of which
leads the answer with its own best sentence (data/question_frames.toml, rule `compound`)."""

from __future__ import annotations

from qa.question.kinds import FRAMES_FILE
from qa.text import tables
from qa.text.words import tokens


def parts(text: str) -> list[str]:
    """A compound question's parts, when each part has content words of its own; otherwise the
    question whole ("Who called whom, and when?" is one question)."""
    found = [p.strip(" ,،؟?") for p in tables.rule(FRAMES_FILE, "compound").split(text)]
    if len(found) > 1 and all(tokens(p, drop_stopwords=True) for p in found):
        return found
    return [text]
