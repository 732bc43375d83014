"""Whether a sentence holds the kind of answer asked for (qa.retrieval.kinds)."""

from __future__ import annotations

import pytest

from qa.retrieval.kinds import answers_kind, holds_place
from qa.text.words import tokens


def test_answers_kind() -> None:
    assert answers_kind("when", tuple(tokens("في 14 ديسمبر 2025 اتصل")))
    assert not answers_kind("when", tuple(tokens("اتصل الوزير بنظيره")))
    assert answers_kind("how_many", tuple(tokens("قتل ثلاثة جنود")))
    assert answers_kind("source", tuple(tokens("يمكن الرجوع إلى المصدر")))
    assert not answers_kind("source", tuple(tokens("اتصل الوزير بنظيره")))
    assert answers_kind("cause", tuple(tokens("أهملوا التحذيرات مما أدى إلى وقوع الحادث")))
    assert answers_kind("cause", tuple(tokens("وقد تسبب ذلك في اندلاع الحرب")))
    assert not answers_kind("cause", tuple(tokens("مما أدى إلى نتائج مأساوية")))  # an effect
    assert answers_kind("said", tuple(tokens("أكّد الشيباني على ضرورة تفعيل التعاون")))
    assert answers_kind("time_of_day", tuple(tokens("وقع الانفجار في الساعة العاشرة صباحًا")))
    assert answers_kind("duration", tuple(tokens("استمرت المحادثات ثلاث ساعات")))
    assert answers_kind("duration", tuple(tokens("عمل المسرح من 1870 إلى 1939")))  # a span
    assert not answers_kind("duration", tuple(tokens("في 14 ديسمبر 2025 اتصل الوزير")))
    assert not answers_kind("duration", tuple(tokens("ساعدت التنسيقات الاستخباراتية الدقيقة")))  # precise
    assert answers_kind("said", tuple(tokens("قدم تعازيه، معربًا عن ألمه للحادث")))
    assert not answers_kind("said", tuple(tokens("وقع الهجوم أثناء اجتماع لقوات مشتركة")))


@pytest.mark.parametrize(("text", "held"), [
    ("الهجوم الذي وقع في منطقة تدمر، والذي أسفر عن مقتل جنديين", True),  # a word that introduces a place
    ("الأحداث في تدمر هي تذكير صارخ", True),  # a known place after في
    ("قتل ثلاثة جنود بتدمر", True),  # with a clitic ب
    ("وتقع كلية الطب في حرم جامعي", True),
    ("نقله الجنود إلى دير بالقرب من شينينغ", True),  # through the من of بالقرب من
    ("قدم تعازيه، معربًا عن ألمه للحادث", False),  # معرب is a town in GeoNames, but not here
    ("تدمر الحرب كل شيء", False),  # a known place's spelling, not after في
    ("للحفاظ على السلام والاستقرار في المنطقة.", False),  # "the region", naming none
    ("وقع الهجوم أثناء اجتماع لقوات مشتركة", False),
])
def test_holds_place(text: str, held: bool) -> None:
    assert holds_place(text, {"تدمر", "معرب"}) is held
