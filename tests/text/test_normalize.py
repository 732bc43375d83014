"""Arabic spelling folded for matching (qa.text.normalize)."""

import pytest

from qa.text.normalize import normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أحمد إبراهيم آمن", "احمد ابراهيم امن"),
        ("مستشفى", "مستشفي"),
        ("مدينة", "مدينه"),
        ("مُحَمَّدٌ", "محمد"),  # harakat
        ("جـــنـــود", "جنود"),  # tatweel
        ("ٰعلى", "علي"),  # superscript alef U+0670
        ("١٤ ديسمبر ٢٠٢٥", "14 ديسمبر 2025"),
        ("14 كانون الأول 2025", "14 ديسمبر 2025"),
        ("في تشرين الثاني", "في نوفمبر"),
        ("3 آب", "3 اغسطس"),
        ("آب", "اب"),  # "father" is not a month without a day before it
        ("December 14", "ديسمبر 14"),
        ("DEC 14", "ديسمبر 14"),  # the hint test reads the text lower-cased
        ("في ٣ آب", "في 3 اغسطس"),  # a day number in Arabic-Indic digits before آب
        ("في أيار ٢٠٢٤", "في مايو 2024"),
        ("اختيار الوزير", "اختيار الوزير"),  # يار inside a word: a hint, and no month
        ("Hello WORLD", "hello world"),
        ("a\u200bb\u202ec", "abc"),  # zero-width and bidi controls vanish
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected
