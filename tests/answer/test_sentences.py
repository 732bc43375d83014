"""Sentence-level rules of the extractive answerer (qa.answer.sentences)."""

from __future__ import annotations

from qa.answer.sentences import is_source_line, points_back


def test_source_lines() -> None:
    assert is_source_line("للحصول على مزيد من التفاصيل، يمكن الرجوع إلى المصدر: إناب بلدي.")
    assert is_source_line("Source: Reuters")
    assert not is_source_line("قالت مصادر أمنية إن الهجوم وقع صباحاً.")  # a report, not an attribution line


def test_a_section_first_sentence_has_no_antecedent(shared_assistant) -> None:
    from qa.answer.extractive import antecedent

    index = shared_assistant.index()
    first = next(
        s for s, rec in enumerate(index.sentences) if rec.text.startswith("لا يمكن أن يمر هذا الحدث")
    )
    assert points_back(index.sentences[first].text)  # «هذا الحدث»: the attack, a section earlier
    assert antecedent(index, first) is None
    assert not points_back("وهذا يعني أن الاتصال مهم")  # هذا as a pronoun names nothing
