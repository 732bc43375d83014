"""Compound questions split into parts (qa.question.compound)."""

from __future__ import annotations

import pytest

from qa.question.compound import parts as question_parts


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("How did he react, and what did he stress during the call?",
         ["How did he react", "what did he stress during the call"]),
        ("ما أثر الهجوم، وما المطلوب لمكافحة الإرهاب؟", ["ما أثر الهجوم", "ما المطلوب لمكافحة الإرهاب"]),
        ("Who called whom, and when?", ["Who called whom, and when?"]),  # "when" alone is no question
        ("من اتصل بمن ومتى؟", ["من اتصل بمن ومتى؟"]),
    ],
)
def test_question_parts(question: str, parts: list[str]) -> None:
    assert question_parts(question) == parts
