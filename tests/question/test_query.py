"""One parsed question (qa.question.query): each text of a question is read once, and a follow-up
carries what it needs of the conversation."""

from __future__ import annotations

from typing import Any

from qa.question.query import Term, parse
from qa.text.words import tokens

QUOTE = "اتصل وزير الخارجية السوري بنظيره الأمريكي"
HISTORY = [{"role": "user", "content": "Who called whom?"},
           {"role": "assistant", "content": f"بحسب المقال: «{QUOTE}» [1]"}]


class Reader:
    """A TermReader that makes each content token a term and counts what it was asked to read."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def read_terms(self, text: str, content: str, part: str | None) -> tuple[list[Term], Any]:
        self.read.append(text)
        return [Term((t,), 1.0) for t in tokens(content, drop_stopwords=True)], None

    def part_term(self, part: str) -> Term:
        return Term((f"\x01{part}",), 9.0)


def test_a_question_is_read_once() -> None:
    reader = Reader()
    query = parse("متى اتصل الشيباني بروبيو؟", None, reader)
    assert reader.read == ["متى اتصل الشيباني بروبيو؟"]
    assert query.asked is query.search and query.follow_up is None and not query.compound
    assert query.language == "ar" and query.search.kinds == {"when"}
    assert query.terms == query.search.terms and len(query.terms) == 3


def test_a_compound_questions_parts_are_read_once_each() -> None:
    reader = Reader()
    query = parse("How did he react, and what did he stress?", None, reader)
    assert reader.read == [
        "How did he react, and what did he stress?",
        "How did he react",
        "what did he stress",
    ]
    assert query.compound and query.asked_parts == query.search_parts
    assert all(a is b for a, b in zip(query.asked_parts, query.search_parts, strict=True))
    assert {k for part in query.asked_parts for k in part.kinds} == {"said"}


def test_a_question_with_no_topic_reads_as_about_the_lead() -> None:
    assert [t.tokens for t in parse("What happened?", None, Reader()).terms] == [("\x01start",)]
    assert parse("?", None, Reader()).terms == ()
    assert parse("Where is this news from?", None, Reader()).terms == ()  # a source question


def test_a_follow_up_pointing_back_is_read_with_the_quotes_and_its_own_words() -> None:
    reader = Reader()
    query = parse("And when was that?", HISTORY, reader)
    assert query.search.text == f"And when was that? {QUOTE}"
    assert query.asked.text == "And when was that?" and query.asked is not query.search
    assert query.follow_up is not None
    assert (
        query.follow_up.own is not None and query.follow_up.own.text == "Who called whom? And when was that?"
    )
    assert query.follow_up.quoted == ("اتصل وزير الخارجيه السوري بنظيره الامريكي",)
    assert query.follow_up.previous_answer == HISTORY[1]["content"] and query.follow_up.sequel is None
    assert sorted(reader.read) == sorted([query.search.text, query.asked.text, query.follow_up.own.text])


def test_a_follow_up_asking_what_that_shows_is_a_sequel() -> None:
    query = parse("What does that tell us?", HISTORY, Reader())
    assert query.follow_up is not None and query.follow_up.sequel == "implication"


def test_small_talk_is_named() -> None:
    assert parse("Hello!", None, Reader()).smalltalk == "hello"
    assert parse("شكرا جزيلا", None, Reader()).smalltalk == "thanks"
    assert parse("Who called?", None, Reader()).smalltalk is None
