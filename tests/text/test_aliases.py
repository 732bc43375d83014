"""Other names of an organisation (qa.text.aliases): found in questions, and read as the article's name."""

from __future__ import annotations

import numpy as np
import pytest

from qa.retrieval.terms import Vocabulary
from qa.text import aliases
from qa.text.words import tokens
from tests.conftest import terms_of


@pytest.mark.parametrize(
    ("question", "found"),
    [
        ("شو لازم يعملوا ضد داعش؟", ["داعش"]),
        ("وما علاقة الهجوم بداعش؟", ["بداعش"]),  # a clitic preposition
        ("Is ISIL still active?", ["isil"]),
        ("What about the Islamic State group and the U.S.?", ["islamic state", "u.s."]),
        ("Is there a crisis?", []),  # isis inside a word is no name
        ("This is it", []),
    ],
)
def test_find(question: str, found: list[str]) -> None:
    assert [matched for matched, _ in aliases.find(question)] == found


def test_the_longest_name_reads_a_stretch_of_text_once() -> None:
    table = aliases.parse(["# a comment", "", "state\tدولة", "islamic state\tتنظيم الدولة الإسلامية"])
    assert [a.name for a in table] == ["islamic state", "state"]
    assert all(a.meaning for a in aliases.table())


def _vocabulary(words: str) -> Vocabulary:
    idf = {t: 2.0 for t in tokens(words)}
    return Vocabulary(idf, 3.0, None, {}, lambda texts: np.zeros((len(texts), 4)), "nowhere")


def test_an_alias_becomes_the_article_name() -> None:
    vocabulary = _vocabulary("مكافحة تنظيم الدولة الإسلامية")
    terms = terms_of(vocabulary, "ما المطلوب ضد داعش؟")
    assert [t.tokens for t in terms] == [("تنظيم", "دول", "اسلام"), ("مطلوب",), ("ضد",)]


def test_an_alias_the_article_has_or_whose_name_it_lacks_is_left_alone() -> None:
    has_it = _vocabulary("مكافحة داعش وتنظيم الدولة الإسلامية")
    assert [t.tokens for t in terms_of(has_it, "ماذا عن داعش؟")] == [("داعش",)]
    # قسد is قوات سوريا الديمقراطية: an article with قوات and سوريا but no الديمقراطية does not name it
    lacks = _vocabulary("قوات سوريا")
    assert [t.tokens for t in terms_of(lacks, "ماذا عن قسد؟")] == [("قسد",)]


@pytest.mark.parametrize("question", ["شو لازم يعملوا ضد داعش؟", "What does the article say about Daesh?"])
def test_a_question_about_daesh_quotes_the_strategy_section(shared_assistant, question: str) -> None:
    # both abstained: داعش is a word the article lacks, and the bridge maps "Daesh" to nothing
    answer = shared_assistant.ask(question)
    assert not answer.abstained
    assert answer.citations[0].section == "استراتيجيات مكافحة الجماعات الإرهابية"
    assert "تنظيم الدولة الإسلامية" in answer.citations[0].quote
