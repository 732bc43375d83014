"""A quote does not stop where its sentence goes on (qa.answer.clauses): a table over records, and
an answer from a real index whose answering clause follows a «؛»."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from qa import Assistant, Settings
from qa.answer.clauses import text_of, whole
from qa.retrieval.records import ChunkRecord, SentenceRecord
from qa.scoring import SCORING

MARKS = SCORING.answering.clause_marks


def index_of(pieces: list[tuple[str, int]]) -> SimpleNamespace:
    """Records of consecutive sentences, (text, section) each, one space apart."""
    sentences, chunks, at = [], [], 0
    for n, (text, section) in enumerate(pieces):
        end = at + len(text)
        chunks.append(ChunkRecord(f"c{n}", text, "a", "title", f"s{section}", section, at, end, (n,)))
        sentences.append(SentenceRecord(f"s{n}", n, text, at, at + len(text), ()))
        at += len(text) + 1
    return SimpleNamespace(sentences=sentences, chunks=chunks)


@pytest.mark.parametrize(
    ("pieces", "sentence", "expected"),
    [
        ([("أولى.", 0), ("ثانية.", 0)], 0, (0,)),  # ends a sentence: alone
        ([("بدأت الحرب سنة 1914؛", 0), ("وانتهت سنة 1918.", 0)], 0, (0, 1)),  # goes on after «؛»
        ([("بدأت الحرب سنة 1914؛", 0), ("وانتهت سنة 1918.", 0)], 1, (0, 1)),  # and from its other end
        ([("الأول،", 0), ("الثاني،", 0), ("الثالث.", 0)], 1, (0, 1, 2)),  # one piece each way
        ([("الأول،", 0), ("الثاني،", 0), ("الثالث،", 0), ("الرابع.", 0)], 1, (0, 1, 2)),  # no further
        ([("عنوان:", 0), ("نص القسم التالي.", 1)], 0, (0,)),  # never into another section
        ([("first,", 0), ("second.", 0)], 0, (0, 1)),
        ([("no mark", 0), ("next.", 0)], 0, (0,)),
    ],
)
def test_a_quote_takes_the_clauses_its_sentence_goes_on_by(pieces: list[tuple[str, int]], sentence: int,
                                                         expected: tuple[int, ...]) -> None:
    assert whole(index_of(pieces), sentence, MARKS) == expected  # type: ignore[arg-type]


def test_the_joined_quote_is_the_articles_text() -> None:
    index = index_of([("بدأت الحرب سنة 1914؛", 0), ("وانتهت سنة 1918.", 0)])
    assert text_of(index, (0, 1)) == "بدأت الحرب سنة 1914؛ وانتهت سنة 1918."  # type: ignore[arg-type]


def test_an_answer_quotes_the_clause_after_the_mark(use_m3, tmp_path: Path) -> None:
    article = tmp_path / "war.txt"
    article.write_text(
        "الحرب الكبرى\n"
        "اندلعت الحرب الكبرى في أوروبا بعد اغتيال ولي عهد النمسا في سراييفو؛ "
        "ودامت أربع سنوات كاملة وانتهت بهدنة في شهر نوفمبر.\n"
        "شاركت فيها دول كثيرة من القارات كلها.\n",
        encoding="utf-8",
    )
    assistant = Assistant(Settings(articles=[article], index_dir=tmp_path / "idx"), embeddings=use_m3)
    answer = assistant.ask("كم دامت الحرب الكبرى بعد اغتيال ولي عهد النمسا؟")
    first = answer.citations[0]
    assert "أربع سنوات" in first.quote and "سراييفو؛" in first.quote
    text = article.read_text(encoding="utf-8")
    assert text[first.start:first.end] == first.quote  # a verbatim span of the article
