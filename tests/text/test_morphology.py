"""Verbal nouns and participles of derived verbs, and back (qa.text.morphology)."""

import pytest

from qa.text.morphology import derived_nouns, verbs_of
from qa.text.normalize import normalize


@pytest.mark.parametrize(
    ("verb", "noun"),
    [
        ("يأثر", "تاثير"),  # form II present, as Levantine spells it
        ("يؤثر", "تاثير"),  # and as MSA does
        ("بيأثر", "تاثير"),  # Levantine present بـ
        ("سيؤثر", "تاثير"),  # the future's سـ
        ("ستلتزم", "التزام"),
        ("حدد", "تحديد"),  # form II past: the written double letter is its shadda
        ("يعززوا", "تعزيز"),
        ("يعيدوا", "اعاد"),  # hollow form IV, إعادة as the stemmer leaves it
        ("تلتزم", "التزام"),  # form VIII
        ("اجتمع", "اجتماع"),
        ("تناقش", "مناقش"),  # form III, مناقشة
        ("يستخدم", "استخدام"),  # form X
        ("يستخدم", "مستخدم"),  # its participle
        ("اعتبر", "معتبرا"),  # form VIII's participle, with the accusative's alif (معتبرًا)
        ("اعتبر", "اعتبار"),
        ("مجتمع", "اجتماع"),  # a form VIII participle: "gathered" -> the article's «اجتماع»
        ("مستخدم", "استخدام"),  # form X
    ],
)
def test_derived_nouns(verb: str, noun: str) -> None:
    assert noun in derived_nouns(normalize(verb))


@pytest.mark.parametrize("verb", ["تحدث", "قتل", "فعل", "بيان", "مقتل", "مصدر"])
def test_no_verbal_noun_without_a_derived_form(verb: str) -> None:
    # تحدث "spoke" is form V, not a present of حدث; form I (قتل) has no pattern; بيان is no verb;
    # مقتل and مصدر are form I nouns of place, spelled as a form II or IV participle would be
    assert derived_nouns(verb) == []


@pytest.mark.parametrize(
    ("noun", "verb"),
    [
        ("اتصال", "اتصل"),
        ("استخدام", "استخدم"),
        ("تاكيد", "اكد"),
        ("تعزيز", "عزز"),
        ("اعلان", "اعلن"),
        ("مناقش", "ناقش"),
    ],
)
def test_verbs_of(noun: str, verb: str) -> None:
    assert verbs_of(noun) == [verb]


def test_no_verb_for_a_plain_noun() -> None:
    assert verbs_of("هجوم") == [] and verbs_of("مقتل") == []
