"""The LLM chain's logic with LangChain's fake chat models on the real seed index: condensing,
translation for retrieval, packing, citation checks, same-language answers, streaming, fallback."""

from __future__ import annotations

import time
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import BaseMessage
from pydantic import Field

from qa import Answer, Assistant, Settings
from qa.answer.llm.chain import fuse
from qa.retrieval.index import Hit
from tests.conftest import HEADINGS, LEAD, SEED

ARTICLE = SEED.read_text(encoding="utf-8")


class Recording(GenericFakeChatModel):
    """GenericFakeChatModel that keeps the messages of every call."""

    seen: list[list[BaseMessage]] = Field(default_factory=list)

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> Any:
        self.seen.append(list(messages))
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


def make(seed_index_dir, use_m3, model: Any, **settings: Any) -> Assistant:
    values: dict[str, Any] = {"llm_timeout": 10, "llm_max_retries": 1, **settings}
    return Assistant(Settings(index_dir=seed_index_dir, **values), embeddings=use_m3, chat_model=model)


def replies(*texts: str) -> Recording:
    return Recording(messages=iter(texts))


def prompt_of(call: list[BaseMessage]) -> str:
    return "\n".join(str(m.content) for m in call)


def run(assistant: Assistant, question: str, history: Any = None) -> tuple[list[str], Answer]:
    pieces: list[str] = []
    final = None
    for item in assistant.stream(question, history):
        if isinstance(item, Answer):
            final = item
        else:
            assert isinstance(item, str)
            pieces.append(item)
    assert final is not None
    return pieces, final


def assert_verified(answer: Answer) -> None:
    assert answer.citations
    for c in answer.citations:
        assert c.section in HEADINGS
        assert c.quote in ARTICLE and ARTICLE[c.start:c.end] == c.quote
        assert f"[{c.marker}]" in answer.text
    assert sorted({int(m) for m in __import__("re").findall(r"\[(\d+)\]", answer.text)}) == \
        [c.marker for c in answer.citations]


def test_english_question_gets_an_english_answer_with_verified_citations(seed_index_dir, use_m3) -> None:
    model = replies("متى اتصل الشيباني بروبيو؟",
                    "Foreign Minister Asaad al-Shaibani called Marco Rubio on 14 December 2025 [1]. "
                    "Rubio was on holiday [77].")
    pieces, answer = run(make(seed_index_dir, use_m3, model), "Who called whom, and when?")
    assert answer.mode == "llm" and answer.language == "en" and not answer.abstained and answer.notice is None
    assert answer.text == "Foreign Minister Asaad al-Shaibani called Marco Rubio on 14 December 2025 [1]."
    assert "".join(pieces) == answer.text
    assert_verified(answer)
    assert answer.citations[0].section == LEAD and "14 ديسمبر 2025" in answer.citations[0].quote
    # calls: translate (English question, Arabic article), then answer
    assert len(model.seen) == 2
    assert "Translate this question into Arabic" in prompt_of(model.seen[0])
    assert "Who called whom, and when?" in prompt_of(model.seen[0])
    assert "Answer the question in English" in prompt_of(model.seen[1])
    # the seed has an English translation: the passages carry it beside the original, and so do citations
    assert "Translation (English): On 14 December 2025, Syrian Foreign Minister" in prompt_of(model.seen[1])
    assert answer.citations[0].translation is not None and "Marco Rubio" in answer.citations[0].translation


def test_arabic_question_is_answered_in_arabic_without_translation(seed_index_dir, use_m3) -> None:
    model = replies(
        "اتصل وزير الخارجية السوري أسعد الشيباني بنظيره الأمريكي ماركو روبيو في 14 ديسمبر 2025 [1]."
    )
    pieces, answer = run(make(seed_index_dir, use_m3, model), "من اتصل بمن ومتى؟")
    assert answer.mode == "llm" and answer.language == "ar" and not answer.abstained
    assert_verified(answer)
    assert len(model.seen) == 1  # same language as the article: no translation call
    assert "Answer the question in Arabic" in prompt_of(model.seen[0])
    assert "Translation (" not in prompt_of(model.seen[0])  # the article has no Arabic translation


@pytest.mark.parametrize(("question", "reply", "notice_word"), [
    ("Who called whom, and when?", "اتصل الشيباني بروبيو [1].", "English"),
    ("من اتصل بمن ومتى؟", "Shaibani called Rubio [1].", "بالعربية"),
])
def test_an_answer_in_the_wrong_language_falls_back(seed_index_dir, use_m3, question: str, reply: str,
                                                    notice_word: str) -> None:
    script = [reply] if question.startswith("من") else ["ترجمة", reply]
    pieces, answer = run(make(seed_index_dir, use_m3, replies(*script)), question)
    assert answer.mode == "extractive" and answer.notice and notice_word in answer.notice
    assert answer.language == ("ar" if question.startswith("من") else "en")
    assert pieces == [answer.text]


def test_a_follow_up_is_condensed_and_the_condensed_question_drives_retrieval(seed_index_dir, use_m3,
                                                                            monkeypatch) -> None:
    history = [{"role": "user", "content": "Which ministry identified the attacker?"},
               {"role": "assistant", "content": "The Syrian Interior Ministry [1]."}]
    model = replies("Which Syrian ministry identified the attacker in Palmyra?",
                    "أي وزارة سورية حددت هوية منفذ الهجوم في تدمر؟",
                    "The Syrian Interior Ministry identified the attacker [1].")
    assistant = make(seed_index_dir, use_m3, model)
    searched: list[str] = []
    index = assistant.index()
    real = index.find
    monkeypatch.setattr(index, "find", lambda query, k: (searched.append(query.text), real(query, k))[1])
    _, answer = run(assistant, "And who was it?", history)
    condense = prompt_of(model.seen[0])
    assert "Which ministry identified the attacker?" in condense and "And who was it?" in condense
    assert "Write the question in English" in condense
    assert searched == ["Which Syrian ministry identified the attacker in Palmyra?",
                        "أي وزارة سورية حددت هوية منفذ الهجوم في تدمر؟"]
    assert "Question: Which Syrian ministry identified the attacker in Palmyra?" in prompt_of(model.seen[2])
    assert answer.mode == "llm" and answer.question == "And who was it?"
    assert answer.citations[0].section == "التحديات الأمنية المستمرة"
    assert "وزارة الداخلية" in answer.citations[0].quote


def test_packing_respects_the_budget_in_the_prompt(seed_index_dir, use_m3) -> None:
    from qa.text import token_count as tokens

    model = replies("اتصل الشيباني بروبيو [1].")
    _, answer = run(make(seed_index_dir, use_m3, model, llm_context_tokens=400), "من اتصل بمن؟")
    block = prompt_of(model.seen[0]).split("<article_passages>\n")[1].split("</article_passages>")[0]
    assert 0 < tokens.count(block) <= 400
    assert len(answer.passages) == block.count("(section: ")
    for n, passage in enumerate(answer.passages, start=1):
        assert f"[{n}] (section: {passage.section})\n{passage.text}\n" in block


def test_no_valid_citation_means_abstention(seed_index_dir, use_m3) -> None:
    for reply in ("NOT_IN_ARTICLE", "The weather is fine. Nothing cites anything [99]."):
        pieces, answer = run(
            make(seed_index_dir, use_m3, replies("ترجمة", reply)), "What is the weather in Paris?"
        )
        assert answer.abstained and answer.mode == "llm" and answer.citations == []
        assert any(h in answer.text for h in HEADINGS) and answer.text.startswith("The article does not say")
        assert "".join(pieces) == answer.text


def test_stream_yields_checked_pieces_as_they_arrive_then_the_answer(seed_index_dir, use_m3) -> None:
    text = ("Shaibani called Rubio [1]. Two American soldiers and an interpreter were killed [1]. "
            "The Syrian Interior Ministry identified the attacker [3]. An invented claim.")
    model = FakeListChatModel(responses=["ترجمة", text])
    pieces, answer = run(make(seed_index_dir, use_m3, model), "What happened in Palmyra?")
    assert len(pieces) == 3  # one per checked sentence, the uncited one never shown
    assert "".join(pieces) == answer.text and "invented" not in answer.text


def test_a_failed_call_is_retried_then_succeeds(seed_index_dir, use_m3) -> None:
    class Flaky(FakeListChatModel):
        calls: int = 0

        def _stream(self, *args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.calls == 1:
                raise ConnectionError("refused")
            yield from super()._stream(*args, **kwargs)

    model = Flaky(responses=["الشيباني اتصل بروبيو [1]."])
    _, answer = run(make(seed_index_dir, use_m3, model), "من اتصل بروبيو؟")
    assert answer.mode == "llm" and model.calls == 2


def test_a_stream_that_breaks_after_checked_text_keeps_it_with_a_notice(seed_index_dir, use_m3) -> None:
    text = "الشيباني اتصل بروبيو [1]. وقتل جنديان أمريكيان [1]. " + "x" * 50
    model = FakeListChatModel(responses=[text], error_on_chunk_number=len(text) - 10)
    pieces, answer = run(make(seed_index_dir, use_m3, model), "من اتصل بروبيو؟")
    assert answer.mode == "llm" and answer.notice and "توقّف" in answer.notice
    assert "".join(pieces) == answer.text and answer.text.count("[1]") == 2


def test_a_slow_model_falls_back_within_the_timeout(seed_index_dir, use_m3) -> None:
    model = FakeListChatModel(responses=["الشيباني [1]."], sleep=5.0)
    assistant = make(seed_index_dir, use_m3, model, llm_timeout=1.0, llm_max_retries=1)
    assistant.index()  # opening the index is not the model's time
    started = time.monotonic()
    answer = assistant.ask("من اتصل بروبيو؟")
    assert time.monotonic() - started < 2.5
    assert answer.mode == "extractive" and answer.notice and "1" in answer.notice and answer.citations


def test_llm_mode_without_a_model_name_explains_and_falls_back(seed_index_dir, use_m3) -> None:
    assistant = Assistant(Settings(index_dir=seed_index_dir, answer_mode="llm"), embeddings=use_m3)
    answer = assistant.ask("Who called whom, and when?")
    assert answer.mode == "extractive" and not answer.abstained
    assert answer.notice and "QA_LLM_MODEL" in answer.notice


def test_fuse_ranks_by_reciprocal_rank() -> None:
    def hits(*chunks: int) -> list[Hit]:
        return [Hit(c, 1.0, 0, 0, 0) for c in chunks]

    assert [h.chunk for h in fuse(hits(1, 2, 3), hits(3, 1, 4))] == [1, 3, 2, 4]
    assert [h.chunk for h in fuse(hits(5, 6))] == [5, 6]
