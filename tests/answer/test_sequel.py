"""Follow-ups asking what "that" shows or led to (qa.answer.sequel): answered by what the article says
next about the last quote, on the real seed index."""

from __future__ import annotations

import pytest

from qa.answer import sequel
from qa.question.followup import quoted
from qa.question.followup import sequel as asks

IDENTIFIED = "وكانت وزارة الداخلية السورية قد تمكنت من تحديد هوية منفذ الهجوم"
FULL = IDENTIFIED + "، مما يعكس قدرة الأجهزة الأمنية على التعامل مع المعلومات الاستخبارية بشكل فعال."
WARNINGS = ("رغم التحذيرات بشأن أمن المنطقة، إلا أن قوات التحالف لم تأخذها بعين الاعتبار مما أدى إلى "
            "وقوع هذا الحادث.")
SECTION = "التحديات الأمنية المستمرة"


def conversation(question: str, quote: str) -> list[dict[str, str]]:
    return [
        {"role": "user", "content": question},
        {"role": "assistant", "content": f"بحسب المقال: «{quote}»"},
    ]


@pytest.mark.parametrize(("question", "kind"), [
    ("What does that tell us?", "implication"),
    ("ماذا يعني ذلك؟", "implication"),
    ("وعلى شو بيدلّ هالشي؟", "implication"),
    ("What did that lead to?", "consequence"),
    ("وما الشكوك التي ترتبت على ذلك؟", "consequence"),
    ("إلى ماذا أدى ذلك؟", "consequence"),
    ("What led to that?", None),  # a cause, not a consequence
    ("ما الذي أدى إلى ذلك؟", None),
    ("And when was that?", None),
    ("What does the article say?", None),
])
def test_asks(question: str, kind: str | None) -> None:
    assert asks(question) == kind


def test_a_quote_cut_before_its_clause_is_continued_by_that_clause(shared_assistant) -> None:
    # the last answer quoted the fact without «مما يعكس قدرة الأجهزة الأمنية ...»: that clause answers
    answer = shared_assistant.ask(
        "وعلى شو بيدلّ هالشي؟", history=conversation("مين عرف هوية منفّذ الهجوم؟", IDENTIFIED)
    )
    assert not answer.abstained
    assert "قدرة الأجهزة الأمنية" in answer.citations[0].quote


def test_a_sentence_saying_what_it_shows_answers_what_it_shows(shared_assistant) -> None:
    answer = shared_assistant.ask(
        "What does that tell us?", history=conversation("Who identified the attacker?", FULL)
    )
    assert "قدرة الأجهزة الأمنية" in answer.citations[0].quote


def test_what_a_quoted_fact_led_to_is_the_next_sentence_of_its_section(shared_assistant) -> None:
    answer = shared_assistant.ask(
        "وما الشكوك التي ترتبت على ذلك؟", history=conversation("هل سبقت الاعتداء تنبيهات؟", WARNINGS)
    )
    assert not answer.abstained
    assert answer.citations[0].section == SECTION
    assert answer.citations[0].quote.startswith("وقد أثيرت تساؤلات حول مدى فعالية الأنظمة الأمنية")


def test_what_led_to_a_quoted_fact_is_not_read_as_what_followed(shared_assistant) -> None:
    index = shared_assistant.index()
    said = quoted(f"«{WARNINGS}»")
    assert sequel.sentence(index, asks("What led to that?"), said) is None
    assert sequel.sentence(index, asks("What did that lead to?"), said) is not None


def test_the_last_sentence_of_a_section_has_no_next_sentence_there(shared_assistant) -> None:
    # the Interior Ministry sentence ends «التحديات الأمنية المستمرة»; the next one is another section's
    assert (
        sequel.sentence(shared_assistant.index(), asks("What did that lead to?"), quoted(f"«{FULL}»")) is None
    )


def test_what_a_fact_means_is_not_taken_from_the_next_sentence(shared_assistant) -> None:
    index = shared_assistant.index()
    doubts = next(s.text for s in index.sentences if s.text.startswith("وقد أثيرت تساؤلات"))
    said = quoted(f"«{doubts}»")  # its «مما جعل ...» clause says what followed, not what it shows
    assert sequel.sentence(index, asks("What does that mean?"), said) is None
    assert sequel.sentence(index, asks("What did that lead to?"), said) is not None


@pytest.mark.parametrize("quote", [IDENTIFIED, WARNINGS, "اتصل وزير الخارجية السوري أسعد الشيباني"])
def test_the_last_quotes_section_is_the_run_of_sentences_around_it(shared_assistant, quote: str) -> None:
    index = shared_assistant.index()
    found = sequel.same_section(index, quoted(f"«{quote}»"))
    at = next(i for i, s in enumerate(index.sentences) if quote in s.text)

    def section(i: int) -> tuple[str, int]:
        chunk = index.chunks[index.sentences[i].chunk]
        return chunk.article_id, chunk.section_index

    assert at in found
    assert found == {i for i in range(len(index.sentences)) if section(i) == section(at)}


def test_a_quote_the_article_does_not_hold_has_no_section(shared_assistant) -> None:
    assert sequel.same_section(shared_assistant.index(), quoted("«لم يرد هذا في المقال قط»")) == frozenset()
    assert sequel.same_section(shared_assistant.index(), []) == frozenset()


def test_a_follow_up_goes_on_in_the_section_of_the_last_quote(shared_assistant) -> None:
    # "What did that leave people wondering about?": nothing in its words, but the last answer's
    # quote is in the security section, and so is what it goes on to
    answer = shared_assistant.ask("وهاد لشو خلّى الحاجة؟", history=conversation(
        "شو التساؤلات اللي انطرحت بعد هجوم تدمر؟", "أثيرت تساؤلات حول مدى فعالية الأنظمة الأمنية القائمة"))
    assert not answer.abstained
    assert answer.citations[0].section == SECTION
