"""Questions that point to a part of the article (qa.question.article_part)."""

from __future__ import annotations

import pytest

from qa.question.article_part import article_part, without_part
from qa.text.words import tokens


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("What does the conclusion say?", "end"),
        ("According to the wrap-up, what lesson is drawn?", "end"),
        ("What's in the final paragraph of the report?", "end"),
        ("Which outlet is credited at the end of the article?", "end"),
        ("ما الخطط التي يحتاجها البلدان حسب خاتمة المقال؟", "end"),
        ("ماذا جاء في نهاية التقرير؟", "end"),
        ("What does the introduction say?", "start"),
        ("What is in the first paragraph?", "start"),
        ("ماذا ورد في مقدمة المقال؟", "start"),
        ("What did the ministers conclude?", None),  # the parties concluding, not the article
        ("What was agreed at the end of the call?", None),  # the end of something else
        ("ماذا قيل في ختام الاتصال؟", None),
        ("ما الذي تقوله الخاتمة؟", "end"),
        ("What does the introduction of new measures mean?", None),
        # the whole article: its lead (a news report's summary) and title
        ("What is this article about?", "start"),
        ("Give me a summary of the article", "start"),
        ("tl;dr", "start"), ("TLDR?", "start"),
        ("What is the headline?", "start"),
        ("What is the title of the article?", "start"),
        ("ما موضوع المقال؟", "start"),
        ("لخّص المقال", "start"),
        ("عن ماذا يتحدث التقرير؟", "start"),
        ("ما عنوان المقال؟", "start"),
        ("What is the title of the minister?", None),
        ("What was the main idea of Hutton's paper?", None),
        ("ما عنوان السفارة؟", None),  # an address
        ("شو عم يحكي الوزير؟", None),  # Levantine progressive عم, not عمّا
        ("Who called whom, and when?", None),
        ("ما الذي دار في الاتصال؟", None),
    ],
)
def test_question_place(question: str, place: str | None) -> None:
    assert article_part(question) == place


def test_place_words_are_not_content() -> None:
    assert tokens(without_part("ماذا جاء في خاتمة المقال؟"), drop_stopwords=True) == ["جاء"]
    assert "conclusion" not in without_part("What does the conclusion say?")
