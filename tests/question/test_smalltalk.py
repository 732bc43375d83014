"""A chat message that is only a greeting, a thank-you or a goodbye gets a short reply naming the
article instead of "the article does not say"."""

from __future__ import annotations

import pytest

from qa.question import smalltalk
from tests.conftest import LEAD


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hello", "hello"),
        ("Hi there!", "hello"),
        ("Good morning :)", "hello"),
        ("مرحباً", "hello"),
        ("السلام عليكم", "hello"),
        ("Thanks!", "thanks"),
        ("thank you very much.", "thanks"),
        ("شكراً جزيلاً", "thanks"),
        ("bye", "bye"),
        ("مع السلامة", "bye"),
        ("How are you?", "about"),
        ("Who are you?", "about"),
        ("من أنت؟", "about"),
        ("help me understand the attack", None),
        ("hello, who called whom?", None),
        ("Thanks. And when was that?", None),
        ("What is this?", None),
        ("سلامة الجنود", None),
    ],
)
def test_kind(text: str, kind: str | None) -> None:
    assert smalltalk.kind(text) == kind


@pytest.mark.parametrize(
    ("text", "language"), [("Hello!", "en"), ("مرحبا", "ar"), ("thanks", "en"), ("شكرا", "ar")]
)
def test_a_greeting_is_answered_with_the_article_s_title(shared_assistant, text: str, language: str) -> None:
    answer = shared_assistant.ask(text)
    assert answer.language == language and answer.citations == []
    assert not answer.abstained  # nothing was asked of the article: no "Not in the article" badge
    assert LEAD in answer.text and "does not say" not in answer.text and "لا يذكر" not in answer.text


def test_a_greeting_with_a_question_is_a_question(shared_assistant) -> None:
    answer = shared_assistant.ask("Hello, who called whom, and when?")
    assert not answer.abstained and answer.citations[0].section == LEAD


@pytest.mark.parametrize("question", ["What happened?", "ماذا حدث؟"])
def test_a_question_with_no_topic_of_its_own_is_about_the_main_story(shared_assistant, question: str) -> None:
    answer = shared_assistant.ask(question)  # it had no term to match, and abstained
    assert not answer.abstained and answer.citations[0].section == LEAD


def test_a_message_without_words_is_not_about_the_main_story(shared_assistant) -> None:
    assert shared_assistant.ask("?").abstained
