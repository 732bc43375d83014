"""The Python API end to end on the real seed index and the real USE-m3 model."""

from __future__ import annotations

import threading
from dataclasses import FrozenInstanceError

import pytest

from qa import Answer, Assistant, Passage, QuestionError, Settings
from tests.conftest import EN_HEADINGS, HEADINGS, LEAD, SEED, SEED_EN

CALL_FACTS = ("الشيباني", "روبيو", "14 ديسمبر 2025")
CALL_FACTS_EN = ("al-Shaibani", "Marco Rubio", "14 December 2025")


@pytest.mark.parametrize("question", ["Who called whom, and when?", "من اتصل بمن ومتى؟"])
def test_who_called_whom(shared_assistant, question: str) -> None:
    answer = shared_assistant.ask(question)
    assert not answer.abstained and answer.mode == "extractive"
    assert answer.citations[0].section == LEAD
    for fact in CALL_FACTS:
        assert fact in answer.citations[0].quote
    # the text is in the reader's language
    for fact in CALL_FACTS if answer.language == "ar" else CALL_FACTS_EN:
        assert fact in answer.text
    article = SEED.read_text(encoding="utf-8")
    for citation in answer.citations:
        assert citation.quote in article  # always the verbatim Arabic original
        assert citation.section in HEADINGS


def test_an_english_answer_quotes_the_translation_beside_the_original(shared_assistant) -> None:
    answer = shared_assistant.ask("Who called whom, and when?")
    first = answer.citations[0]
    assert first.translation is not None and first.translation in SEED_EN.read_text(encoding="utf-8")
    assert first.translation in answer.text and first.quote not in answer.text
    assert first.section_translation == EN_HEADINGS[0] and f"«{EN_HEADINGS[0]}»" in answer.text
    assert not any("\u0600" <= ch <= "\u06ff" for ch in answer.text)  # nothing an English reader cannot read
    arabic = shared_assistant.ask("من اتصل بمن ومتى؟")
    assert arabic.citations[0].translation is None and arabic.citations[0].section_translation is None
    assert answer.to_dict()["citations"][0]["translation"] == first.translation


def test_answer_language_follows_the_question(shared_assistant) -> None:
    english = shared_assistant.ask("How many American soldiers were killed?")
    arabic = shared_assistant.ask("كم جنديا أمريكيا قتل؟")
    assert english.language == "en" and english.text.startswith(
        "According to the article, in its English translation (the Arabic original is in the sources):"
    )
    assert arabic.language == "ar" and arabic.text.startswith("بحسب المقال")


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of Australia?",
        "ما هي أفضل وصفة لطبخ الكبسة؟",
        "Who won the 2022 football World Cup?",
    ],
)
def test_out_of_article_questions_abstain(shared_assistant, question: str) -> None:
    answer = shared_assistant.ask(question)
    assert answer.abstained
    assert answer.citations == []
    # names the nearest section, in the question's language
    assert any(heading in answer.text for heading in (HEADINGS if answer.language == "ar" else EN_HEADINGS))


def test_retrieve_returns_passages_best_first(shared_assistant) -> None:
    passages = shared_assistant.retrieve("ماذا فعلت وزارة الداخلية السورية؟", k=5)
    assert 1 <= len(passages) <= 5
    assert all(isinstance(p, Passage) for p in passages)
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    assert passages[0].section == "التحديات الأمنية المستمرة"
    assert passages[0].article == LEAD


def test_results_are_frozen(shared_assistant) -> None:
    answer = shared_assistant.ask("Who called whom, and when?")
    assert isinstance(answer, Answer)
    with pytest.raises(FrozenInstanceError):
        answer.text = "x"  # type: ignore[misc]
    assert set(answer.to_dict()) >= {"text", "language", "abstained", "mode", "citations"}


@pytest.mark.parametrize("question", ["", "   ", "\u200b\u200f"])
def test_empty_questions_are_refused(shared_assistant, question: str) -> None:
    with pytest.raises(QuestionError, match="type a question"):
        shared_assistant.ask(question)


def test_overlong_question_is_refused(shared_assistant) -> None:
    with pytest.raises(QuestionError, match="over the limit"):
        shared_assistant.ask("x" * (shared_assistant.settings.max_question_chars + 1))


def test_follow_up_uses_the_conversation(shared_assistant) -> None:
    history = [
        {"role": "user", "content": "What did the Syrian Interior Ministry do?"},
        {"role": "assistant", "content": "It identified the attacker."},
    ]
    answer = shared_assistant.ask("And what does that show?", history=history)
    assert not answer.abstained
    assert answer.citations[0].section == "التحديات الأمنية المستمرة"


def test_one_assistant_is_safe_across_threads(shared_assistant) -> None:
    questions = ["Who called whom, and when?", "من اتصل بمن ومتى؟", "ماذا فعلت وزارة الداخلية السورية؟"] * 4
    expected = {q: shared_assistant.ask(q).citations[0].section for q in set(questions)}
    got: dict[int, str] = {}
    errors: list[BaseException] = []

    def work(i: int, q: str) -> None:
        try:
            got[i] = shared_assistant.ask(q).citations[0].section
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(i, q)) for i, q in enumerate(questions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert [got[i] for i in range(len(questions))] == [expected[q] for q in questions]


def test_default_assistant_builds_its_index_on_first_use(use_m3, tmp_path) -> None:
    from qa import Assistant

    assistant = Assistant(Settings(index_dir=tmp_path / "fresh"), embeddings=use_m3)
    assert assistant.store.manifest() is None
    assert not assistant.ask("من اتصل بمن ومتى؟").abstained
    assert assistant.store.manifest() is not None


def test_as_langchain_retriever(shared_assistant) -> None:
    from langchain_core.retrievers import BaseRetriever

    retriever = shared_assistant.as_retriever(k=3)
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("من اتصل بمن ومتى؟")
    assert 1 <= len(docs) <= 3
    assert docs[0].metadata["section"] == LEAD and docs[0].page_content in SEED.read_text(encoding="utf-8")


def test_as_langchain_vectorstore(shared_assistant) -> None:
    from langchain_chroma import Chroma

    store = shared_assistant.as_vectorstore()
    assert isinstance(store, Chroma)
    docs = store.similarity_search("مقتل جنديين أمريكيين ومترجم في تدمر", k=2)
    assert len(docs) == 2
    article = SEED.read_text(encoding="utf-8")
    for doc in docs:
        assert doc.metadata["section_heading"] in HEADINGS and doc.page_content in article
    assert any("جنديين" in doc.page_content for doc in docs)


def test_english_quotes_are_not_called_arabic(use_m3, tmp_path) -> None:
    """An article of one's own may be English: the English framing says "quoted in its original
    Arabic" only when the quotes are Arabic."""
    article = tmp_path / "harbour.md"
    article.write_text("# Harbour news\n\n## The ferry\n\nThe new ferry to the island leaves the harbour "
                       "every morning at seven.\n\n## The market\n\nThe fish market opens on Saturdays.\n",
                       encoding="utf-8")
    assistant = Assistant(Settings(index_dir=tmp_path / "index", articles=[article]), embeddings=use_m3)
    answer = assistant.ask("When does the ferry to the island leave?")
    assert not answer.abstained and answer.citations[0].section == "The ferry"
    assert answer.text.splitlines()[0] == "According to the article:"
    assert "Arabic" not in answer.text
