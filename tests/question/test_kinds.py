"""What kind of answer a question asks for, and the words that frame it (qa.question.kinds)."""

from __future__ import annotations

import pytest

from qa.question.kinds import asks_why_it_happened, kinds_of
from qa.text.words import tokens


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("When did the call take place?", {"when"}),
        ("Who called whom, and when?", {"when"}),
        ("What were the forces doing when they were attacked?", set()),  # "when" as a conjunction
        ("ومتى كان ذلك؟", {"when"}),
        ("How many people died?", {"how_many"}),
        ("كم عدد القتلى؟", {"how_many"}),
        ("What did the minister say?", {"said"}),
        ("How did Shaibani react to the deaths?", {"said"}),
        ("على ماذا شدد الشيباني؟", {"said"}),
        ("شو كان رد فعل الوزير؟", {"said"}),
        ("بماذا وصف الوزير الهجوم؟", {"said"}),
        ("What does the article say about the attack?", set()),  # the article's words, not someone's
        ("ماذا قال المقال عن الهجوم؟", set()),
        ("كيف وصفت الخلاصة أحداث تدمر؟", set()),
        ("What does that tell us about Syria?", set()),
        ("What time was the call?", {"time_of_day"}),
        ("الساعة قديش كانت المكالمة؟", {"how_many", "time_of_day"}),
        ("في أي ساعة وقع الهجوم؟", {"time_of_day"}),
        ("What time frame does the war cover?", set()),  # a span of years, not a clock time
        ("How long did the call last?", {"duration"}),
        ("كم استغرقت المكالمة؟", {"how_many", "duration"}),
        ("How long is the river?", set()),  # a length, not a length of time
        ("Which news outlet is credited at the end?", {"source"}),
        ("What source does the article cite?", {"source"}),
        ("ما مصدر هذا الخبر؟", {"source"}),
        ("نقلاً عن أي وسيلة إعلام نُشر هذا الخبر؟", {"source"}),  # "quoting which media outlet"
        ("كيف نقل الجنود عن المنطقة؟", set()),  # moved away from, not quoted from
        ("مَتَى وقع الهجوم؟", {"when"}),  # diacritics
        ("Where did the attackers come from?", {"where"}),  # an origin: a place, not a source
        ("Where did the attack take place?", {"where"}),
        ("In which city did the talks happen?", {"where"}),
        ("أين وقع الهجوم؟", {"where"}),
        ("وين صار الانفجار؟", {"where"}),
        ("في أي مدينة عقد الاجتماع؟", {"where"}),
        ("Which part of Syria was hit?", {"where"}),
        ("Which part of the article covers the call?", set()),  # a part of the article, not a place
        ("Where did this story originally come from?", {"source"}),  # where the news comes from
        ("Where can I read more?", {"source"}),
        ("وين بقرا أكثر؟", {"source"}),
        ("من وين جايب المقال معلوماتو؟", {"source"}),  # "where does the article get its information from?"
        ("من أين جاءت هذه المعلومات؟", {"source"}),
        ("من وين إجا الهجوم؟", {"where"}),  # where the attack came from: a place, no news named
        ("Nowhere to be found?", set()),
        ("Where does the article talk about intelligence?", set()),  # where in the article: no place
        ("أين يتحدث المقال عن الاستخبارات؟", set()),
        ("Where is the article from?", {"source"}),
        ("The science can be traced to where?", {"where"}),
        ("Why did the explosion happen?", {"cause"}),
        ("What caused the fire?", {"cause"}),
        ("لماذا حدث الانفجار؟", {"cause"}),
        ("ما الذي أدى إلى الأزمة؟", {"cause"}),
        ("Why did the minister call?", set()),  # a purpose, not what made an event happen
        ("لماذا وقعت الحادثة؟", {"cause"}),
        ("What was the reason for the delay?", {"cause"}),
        ("ما سبب الأزمة؟", {"cause"}),
        ("ما هو سبب التأخير؟", {"cause"}),
        ("ما سببته الأزمة من خسائر؟", set()),  # what it caused, not its cause
        ("ماذا قال الوزير الذي لم يحضر عما حدث؟", {"said"}),  # لم negates here; it is not "why"
    ],
)
def test_question_kinds(question: str, kinds: set[str]) -> None:
    assert kinds_of(question) == kinds


@pytest.mark.parametrize(("question", "occurrence"), [
    ("Why did the attack happen?", True), ("ليش صار الهجوم؟", True), ("ما سبب وقوع الانفجار؟", True),
    ("What led to the killing of the soldiers?", False), ("What caused the deaths?", False),
    ("ما سبب مقتل الجنود؟", False), ("Why did the minister call?", False),
    # the event itself named as what was caused
    ("What caused the attack?", True), ("ما سبب الهجوم؟", True), ("What was behind the attack?", True),
    ("What was the cause of this deadly attack?", True), ("ما الذي أدى إلى الاعتداء؟", True),
    ("What caused the fire?", True),
])
def test_asks_why_it_happened(question: str, occurrence: bool) -> None:
    assert asks_why_it_happened(question, kinds_of(question)) is occurrence


@pytest.mark.parametrize("question", ["شو حكوا؟", "شو حكت الداخلية؟", "شو حكى الشيباني؟"])
def test_levantine_reporting_verbs_ask_what_was_said(question: str) -> None:
    assert "said" in kinds_of(question)
    assert all(t not in ("حكوا", "حكت", "حك") for t in tokens(question, drop_stopwords=True))
