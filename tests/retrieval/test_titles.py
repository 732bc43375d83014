"""Which article a question names by its title (qa.retrieval.titles): a table over records, and
the article a real index answers from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa import Assistant, Settings
from qa.question.query import Term
from qa.retrieval.records import ChunkRecord
from qa.retrieval.titles import Titles
from qa.text.words import tokens

ARTICLES = {  # article id -> (title, text)
    "nile": ("نهر النيل", "يجري النهر في أفريقيا ويصب في البحر المتوسط."),
    "alps": ("جبال الألب", "تمتد الجبال في أوروبا وتعلوها الثلوج."),
    "sea": ("البحر المتوسط", "يقع البحر بين أوروبا وأفريقيا."),
}


def titles() -> tuple[Titles, list[tuple[str, int]]]:
    chunks = [ChunkRecord(a, text, a, title, "¶1", 0, 0, len(text), ())
              for a, (title, text) in ARTICLES.items()]
    keys = [(a, 0) for a in ARTICLES]
    return Titles(chunks, keys), keys


def term_list(text: str) -> list[Term]:
    return [Term((t,), 1.0) for t in tokens(text)]


@pytest.mark.parametrize(
    ("question", "leads"),
    [
        ("أين يصب نهر النيل؟", "nile"),
        ("ما أعلى قمة في جبال الألب؟", "alps"),
        ("كم عمق البحر المتوسط؟", "sea"),  # البحر is in two articles' text: المتوسط decides
    ],
)
def test_the_article_the_question_names_leads(question: str, leads: str) -> None:
    found, keys = titles()
    shares = found.shares(term_list(question))
    assert keys[int(np.argmax(shares))][0] == leads


def test_a_question_naming_no_title_moves_nothing() -> None:
    found, _ = titles()
    assert not found.shares(term_list("متى بدأت الكتابة؟")).any()


def test_one_article_is_not_moved_at_all() -> None:
    text = "يجري النهر في أفريقيا."
    found = Titles([ChunkRecord("c", text, "nile", "نهر النيل", "¶1", 0, 0, len(text), ())], [("nile", 0)])
    assert not found.shares(term_list("أين يصب نهر النيل؟")).any()


def test_a_word_many_articles_hold_weighs_less() -> None:
    """البحر is in two articles (idf over articles 0.47), الثلوج in one (0.98): the title holding
    only البحر gets under half of the question."""
    found, keys = titles()
    share = found.shares(term_list("البحر الثلوج"))[keys.index(("sea", 0))]
    assert 0.25 < share < 0.4


def test_a_real_index_answers_from_the_named_article(use_m3, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.md").write_text("# مدينة حلب\n\n## ¶1\nتقع المدينة في شمال البلاد وعدد سكانها كبير.\n",
                                 encoding="utf-8")
    (folder / "b.md").write_text("# مدينة حمص\n\n## ¶1\nتقع المدينة في وسط البلاد وعدد سكانها كبير.\n",
                                 encoding="utf-8")
    assistant = Assistant(Settings(articles=[folder], index_dir=tmp_path / "idx"), embeddings=use_m3)
    assert assistant.retrieve("أين تقع حمص؟", k=1)[0].article == "مدينة حمص"
    assert assistant.retrieve("أين تقع حلب؟", k=1)[0].article == "مدينة حلب"
