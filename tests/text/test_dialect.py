"""Levantine content words read in the article's MSA (qa.text.dialect)."""

from __future__ import annotations

import pytest

from qa.errors import ConfigError
from qa.text import dialect
from qa.text.words import tokens


def test_the_table_keys_words_as_questions_tokenise_them() -> None:
    table = dialect.parse(["# a comment", "", "عساكر\tجنود", "تلفون\tهاتف"])
    assert table == {"عساكر": ("جنود",), tokens("تلفون")[0]: ("هاتف",)}
    assert all(msa for msa in dialect.table().values())


def test_msa_behind_a_clitic() -> None:
    assert dialect.msa("عساكر") == ("جنود",)
    assert dialect.msa(tokens("عالتلفون")[0], ("عال",)) == ("هاتف",)  # على التلفون
    assert dialect.msa("جنود") == ()


def test_the_seed_index_reads_levantine_words(shared_assistant) -> None:
    vocabulary = shared_assistant.index().vocabulary
    assert vocabulary.known("عساكر") == ("جنود",)
    assert vocabulary.known(tokens("عالتلفون")[0]) == ("هاتف",)
    assert vocabulary.known("سوا") == ("معا",)  # «العمل معًا»
    assert vocabulary.known(tokens("المخابرات")[0]) == (tokens("الاستخبارات")[0],)


def test_a_levantine_question_about_the_soldiers_is_answered(shared_assistant) -> None:
    # عساكر "soldiers" is a word the article lacks (it has جنود): this abstained
    answer = shared_assistant.ask("شو صار بالعساكر الأمريكان؟")
    assert not answer.abstained and "جنود أمريكيين" in answer.citations[0].quote


def test_working_together_finds_the_article_words(shared_assistant) -> None:
    # «سوا» is معًا: the question quoted the rethinking sentence of «تحليل آثار الهجوم»
    answer = shared_assistant.ask("ليش لازم يشتغلوا سوا؟")
    assert "العمل معًا" in answer.citations[0].quote


def test_a_bad_table_line_is_named() -> None:
    with pytest.raises(ConfigError, match=r"levantine.tsv line 2: expected a word, a tab and its meaning"):
        dialect.parse(["# ok", "عساكر جنود"], "levantine.tsv")
