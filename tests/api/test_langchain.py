"""qa in LangChain's terms: the retriever and the embeddings pass LangChain's standard test suites
(langchain-tests), the retriever takes `k` at invoke time, and the Assistant is a Runnable that
composes with `|` and supports invoke, batch and stream."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from langchain_core.runnables import RunnableLambda
from langchain_tests.integration_tests import EmbeddingsIntegrationTests, RetrieversIntegrationTests
from langchain_tests.unit_tests import EmbeddingsUnitTests

from qa import Answer, Assistant, QuestionError, Settings
from qa.retrieval.retriever import HybridRetriever
from qa.store.embeddings import USEM3Embeddings
from tests.conftest import LEAD


@cache
def seed_assistant() -> Assistant:
    """An Assistant over the seed in an index of its own (the standard suites build their retriever
    from constructor parameters, not from pytest fixtures)."""
    return Assistant(Settings(index_dir=Path(tempfile.mkdtemp(prefix="qa-lc-")) / "idx"))


@pytest.mark.slow
class TestHybridRetrieverStandard(RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[HybridRetriever]:
        return HybridRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"assistant": seed_assistant()}

    @property
    def retriever_query_example(self) -> str:
        return "من اتصل بمن ومتى؟"


@pytest.mark.slow
class TestUSEM3EmbeddingsUnit(EmbeddingsUnitTests):
    @property
    def embeddings_class(self) -> type[USEM3Embeddings]:
        return USEM3Embeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"threads": 1}


@pytest.mark.slow
class TestUSEM3EmbeddingsIntegration(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self) -> type[USEM3Embeddings]:
        return USEM3Embeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return {"threads": 1}


def test_the_retriever_takes_k_at_invoke_time(shared_assistant) -> None:
    retriever = shared_assistant.as_retriever(k=4)
    assert len(retriever.invoke("Who called whom, and when?", k=1)) == 1
    assert len(retriever.invoke("Who called whom, and when?")) == 4
    assert retriever.invoke("Who called whom, and when?", k=1)[0].metadata["section"] == LEAD


def test_the_assistant_is_a_runnable(shared_assistant) -> None:
    runnable = shared_assistant.as_runnable()
    answer = runnable.invoke("Who called whom, and when?")
    assert isinstance(answer, Answer) and answer.citations[0].section == LEAD
    history = [{"role": "user", "content": "من اتصل بروبيو؟"},
               {"role": "assistant", "content": "اتصل به الشيباني."}]
    follow = runnable.invoke({"question": "ومتى؟", "history": history})
    assert follow == shared_assistant.ask("ومتى؟", history)
    answers = runnable.batch(["Who called whom, and when?", "What is the capital of Australia?"])
    assert [a.abstained for a in answers] == [False, True]


def test_it_streams_text_then_the_answer(shared_assistant) -> None:
    pieces = list(shared_assistant.as_runnable().stream("من اتصل بمن ومتى؟"))
    assert isinstance(pieces[-1], Answer) and all(isinstance(p, str) for p in pieces[:-1])
    assert "".join(pieces[:-1]) == pieces[-1].text


def test_it_composes_in_a_users_chain(shared_assistant) -> None:
    chain = RunnableLambda(str.strip) | shared_assistant.as_runnable() | RunnableLambda(lambda a: a.text)
    assert "Marco Rubio" in chain.invoke("   Who called whom, and when?   ")
    assert len(chain.batch(["Who called whom?", "من اتصل بمن؟"])) == 2


@pytest.mark.parametrize("bad", [42, {"history": []}, {"question": 7}, None])
def test_a_bad_input_names_the_shape(shared_assistant, bad: Any) -> None:
    with pytest.raises(QuestionError, match=r'a question \(str\) or \{"question": str'):
        shared_assistant.as_runnable().invoke(bad)
