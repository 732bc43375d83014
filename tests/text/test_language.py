"""Arabic or English, by the words' scripts (qa.text.language)."""

import pytest

from qa.text.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("من اتصل بمن ومتى؟", "ar"),
        ("Who called whom, and when?", "en"),
        ("What did الشيباني say?", "en"),
        ("What did وزارة الداخلية السورية manage to do?", "en"),
        ("ما رأي Marco Rubio؟", "ar"),
        ("ماذا قال Rubio؟", "ar"),
        ("2025?", "en"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language
