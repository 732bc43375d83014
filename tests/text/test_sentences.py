"""Sentence splitting that keeps numbers and dates whole (qa.text.sentences)."""

import pytest

from qa.text.sentences import sentence_spans


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "جملة أولى. جملة ثانية؟ ثالثة! رابعة؛ خامسة",
            ["جملة أولى.", "جملة ثانية؟", "ثالثة!", "رابعة؛", "خامسة"],
        ),
        ("It cost 2.5 million. Then it ended.", ["It cost 2.5 million.", "Then it ended."]),
        ("سطر بلا نقطة\nسطر ثان.", ["سطر بلا نقطة", "سطر ثان."]),
        ("قال: «انتهى.» ثم ذهب.", ["قال: «انتهى.»", "ثم ذهب."]),
        ("   ", []),
    ],
)
def test_sentence_spans(text: str, sentences: list[str]) -> None:
    assert [text[s:e] for s, e in sentence_spans(text)] == sentences
