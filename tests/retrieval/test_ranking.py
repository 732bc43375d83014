"""The hybrid ranking on the seed with the real encoder (qa.retrieval.index)."""

from __future__ import annotations

import pytest

from qa import Settings
from qa.question.followup import search_text
from tests.conftest import LEAD

WHO_CALLED = ("Who called whom, and when?", "من اتصل بمن ومتى؟")


@pytest.mark.parametrize("question", WHO_CALLED)
def test_hybrid_retrieval_puts_the_lead_first(shared_assistant, question: str) -> None:
    passages = shared_assistant.retrieve(question, k=4)
    assert passages[0].section == LEAD
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)


def test_signals_can_be_switched_off(seed_index_dir, use_m3) -> None:
    from qa import Assistant

    bm25 = Assistant(Settings(index_dir=seed_index_dir, retrieval_signals="bm25"), embeddings=use_m3)
    dense = Assistant(Settings(index_dir=seed_index_dir, retrieval_signals="dense"), embeddings=use_m3)
    # BM25 alone cannot read English against Arabic text; dense can
    assert all(p.score == 0 for p in bm25.retrieve("Who called whom?", k=3))
    assert dense.retrieve("Who called whom?", k=1)[0].score > 0
    assert "إناب بلدي" in bm25.retrieve("إناب بلدي", k=1)[0].text


def test_a_demonstrative_follow_up_retrieves_the_quoted_section(shared_assistant) -> None:
    history = [{"role": "user", "content": "What happened in Palmyra?"},
               {"role": "assistant", "content": "«وقع الهجوم أثناء اجتماع لقوات سورية وأمريكية مشتركة»."}]
    query = search_text("Where does the article say this?", history)
    assert shared_assistant.retrieve(query, k=3)[0].section == "الهجوم في تدمر"
    assert shared_assistant.retrieve("Where does the article say this?", k=3)[0].section != "الهجوم في تدمر"
