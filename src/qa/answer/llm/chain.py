"""LLM answers, as a chain of LangChain Runnables:

    follow-up + history --condense--> standalone question
    standalone question --hybrid retrieval (+ the model's translation into the article's language,
                          fused by reciprocal rank)--> ranked chunks
    ranked chunks --pack to the token budget--> numbered passages
    system + answer prompts --chat model--> streamed text --ReplyChecker--> checked sentences
    --> Answer(mode="llm") with verified citations, or an abstention

Time: the model's part up to the answer's first piece (condense, translate, retries) must fit in
`llm_timeout` seconds from the first model call (opening the index and loading the encoder do not
count: they are not the model's); after that, each streamed piece must follow the previous
one within `llm_timeout`. Any failure that retries cannot mend gives the extractive answer with a
notice in the question's language (mode "extractive").
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Generator, Iterator
from dataclasses import replace
from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable, RunnableLambda

from qa import prompts
from qa.answer import messages
from qa.answer.extractive import respond
from qa.answer.llm.calls import stream_text
from qa.answer.llm.citations import ReplyChecker, Supporter
from qa.answer.llm.failures import Failure, classify, notice, why
from qa.answer.llm.packing import Packed, pack
from qa.errors import ConfigError
from qa.question.history import History, turns
from qa.question.query import parse
from qa.results import Answer, Language
from qa.retrieval.index import Index
from qa.retrieval.records import Hit
from qa.scoring import SCORING
from qa.settings import Settings
from qa.text.language import detect_language

log = logging.getLogger("qa.answer.llm")

LANGUAGE_NAMES = {"en": "English", "ar": "Arabic"}
HISTORY_TURNS = 6
HISTORY_CHARS = 600
BACKOFF = 0.5  # seconds before a retry (doubled each time, never past the deadline)


def fuse(*rankings: list[Hit]) -> list[Hit]:
    """Reciprocal rank fusion of several rankings of the same index's chunks, best first."""
    score: dict[int, float] = {}
    first: dict[int, Hit] = {}
    for ranking in rankings:
        for rank, hit in enumerate(ranking):
            score[hit.chunk] = score.get(hit.chunk, 0.0) + 1.0 / (SCORING.llm.rrf_k + rank + 1)
            first.setdefault(hit.chunk, hit)
    order = sorted(score, key=lambda c: (-score[c], c))
    return [replace(first[c], score=round(score[c], 6)) for c in order]


def one_line(text: str, limit: int) -> str:
    """The first non-empty line of a condense/translate reply, without labels and quotes."""
    for line in text.strip().splitlines():
        line = re.sub(r"^\s*(?:standalone question|question|translation|السؤال)\s*[:：]\s*", "", line,
                      flags=re.IGNORECASE).strip().strip("\"'«»“”`").strip()
        if line:
            return line[:limit]
    return ""


def article_language(index: Index) -> Language:
    """The language most of the indexed text is written in."""
    votes = sum(1 if detect_language(c.text) == "ar" else -1 for c in index.chunks)
    return "ar" if votes >= 0 else "en"


def answer_messages(passages: list[Packed], question: str, language: Language) -> list[BaseMessage]:
    """The fixed system prompt, then the passages (as data) and the question."""
    return [
        SystemMessage(prompts.render("system")),
        HumanMessage(prompts.render("answer", passages=passages, question=question,
                                    language_name=LANGUAGE_NAMES[language])),
    ]


def text_chain(model: Any, prompt: str) -> Runnable[dict[str, Any], str]:
    """prompt file -> chat model -> text, as one Runnable."""
    def messages(variables: dict[str, Any]) -> list[BaseMessage]:
        return [HumanMessage(prompts.render(prompt, **variables))]

    return RunnableLambda(messages) | model | StrOutputParser()


def answer_chain(model: Any) -> Runnable[dict[str, Any], str]:
    def messages(variables: dict[str, Any]) -> list[BaseMessage]:
        return answer_messages(variables["passages"], variables["question"], variables["language"])

    return RunnableLambda(messages) | model | StrOutputParser()


class Budget:
    """The deadline for the model's part of one answer, started by the first model call."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._deadline: float | None = None

    def deadline(self) -> float:
        if self._deadline is None:
            self._deadline = time.monotonic() + self.seconds
        return self._deadline


class LLMAnswerer:
    """Answers with a chat model; see the module docstring. One per Assistant; thread-safe."""

    def __init__(self, settings: Settings, chat_model: Any | None = None) -> None:
        self.settings = settings
        self._model = chat_model
        self._lock = threading.Lock()
        self._supporters: dict[int, Supporter] = {}

    def model(self) -> Any:
        with self._lock:
            if self._model is None:
                from qa.answer.llm.client import make_chat_model

                self._model = make_chat_model(self.settings)
            return self._model

    # -- public -------------------------------------------------------------------------------
    def ask(self, question: str, history: History, index: Index) -> Answer:
        final: Answer | None = None
        for piece in self.stream(question, history, index):
            if isinstance(piece, Answer):
                final = piece
        assert final is not None
        return final

    def stream(self, question: str, history: History, index: Index) -> Iterator[str | Answer]:
        """Checked text pieces as they arrive, then the Answer, from `index`. `question` is already
        cleaned. Anything that goes wrong with the model gives the extractive answer."""
        language = detect_language(question)
        deadline = Budget(self.settings.llm_timeout)
        try:
            model = self.model()
            standalone = question
            if turns(history):
                standalone = self._condense(model, question, history, language, deadline)
            hits = self._retrieve(model, index, standalone, language, deadline)
            passages = pack(index, hits, self.settings.llm_context_tokens, language, LANGUAGE_NAMES[language])
            if hits and not passages:
                raise Failure(
                    "config",
                    f"QA_LLM_CONTEXT_TOKENS={self.settings.llm_context_tokens} is too small "
                    "for any passage of the article: raise it",
                )
            result = yield from self._answer(model, index, hits, passages, question, standalone,
                                             language, deadline)
        except ConfigError as err:
            failure = classify(err, timeout=self.settings.llm_timeout, model=self.settings.llm_model)
            yield from self._fall_back(index, question, history, language, failure)
            return
        except Failure as failure:
            yield from self._fall_back(index, question, history, language, failure)
            return
        yield result

    # -- steps --------------------------------------------------------------------------------
    def _text(self, chain: Runnable[dict[str, Any], str], variables: dict[str, Any], deadline: Budget) -> str:
        """A whole short reply (condense, translate), with bounded retries before the deadline."""
        attempt = 0
        while True:
            try:
                reply = "".join(
                    stream_text(chain, variables, first_by=deadline.deadline(), gap=self.settings.llm_timeout)
                )
                line = one_line(reply, self.settings.max_question_chars)
                if not line:
                    raise Failure("empty")
                return line
            except Exception as err:
                failure = self._classify(err)
                attempt = self._retry_or_raise(failure, attempt, deadline)

    def _condense(self, model: Any, question: str, history: History, language: Language,
                  deadline: Budget) -> str:
        recent = [
            {"role": role if role in ("user", "assistant") else "user", "content": content[:HISTORY_CHARS]}
            for role, content in turns(history)[-HISTORY_TURNS:]
        ]
        return self._text(
            text_chain(model, "condense"),
            {"history": recent, "question": question, "language_name": LANGUAGE_NAMES[language]},
            deadline,
        )

    def _retrieve(self, model: Any, index: Index, question: str, language: Language,
                  deadline: Budget) -> list[Hit]:
        candidates = SCORING.llm.candidates
        hits = index.find(parse(question, None, index), candidates)
        target = article_language(index)
        if target == language:
            return hits
        translated = self._text(text_chain(model, "translate"),
                                {"question": question, "target_language": LANGUAGE_NAMES[target]}, deadline)
        log.debug("retrieving also with the translated question %r", translated)
        more = index.find(parse(translated, None, index), candidates)
        return fuse(hits, more)

    def _answer(self, model: Any, index: Index, hits: list[Hit], passages: list[Packed], question: str,
                standalone: str, language: Language, deadline: Budget) -> Generator[str, None, Answer]:
        by_chunk = {h.chunk: h for h in hits}
        shown = [index.passage(by_chunk[p.chunk]) for p in passages]
        chain = answer_chain(model)
        supporter = self._supporter(index)
        attempt = 0
        while True:
            checker = ReplyChecker(passages, index, language, supporter)
            try:
                for piece in stream_text(
                    chain,
                    {"passages": passages, "question": standalone, "language": language},
                    first_by=deadline.deadline(),
                    gap=self.settings.llm_timeout,
                ):
                    text = checker.feed(piece)
                    if text:
                        yield text
                text = checker.finish()
                if text:
                    yield text
                if not checker.raw.strip():
                    raise Failure("empty")
                break
            except Exception as err:
                failure = self._classify(err)
                if checker.kept:  # the user already saw checked text: keep it, say it was cut short
                    cut = Failure("cut_short", why(failure, language))
                    return Answer(checker.text, language, False, "llm", checker.citations,
                                  notice=notice(cut, language, fallback=False), question=question,
                                  passages=shown)
                attempt = self._retry_or_raise(failure, attempt, deadline)
        if checker.kept:
            return Answer(checker.text, language, False, "llm", checker.citations, question=question,
                          passages=shown)
        if checker.dropped.get("language") and not checker.abstained:
            raise Failure("language")
        nearest = passages[0].section if passages else (index.chunks[hits[0].chunk].section if hits else "")
        log.info("LLM answer abstained (dropped sentences: %s)", checker.dropped)
        text = messages.abstain(language, nearest)
        yield text
        return Answer(text, language, True, "llm", [], question=question, passages=shown)

    # -- helpers ------------------------------------------------------------------------------
    def _supporter(self, index: Index) -> Supporter:
        with self._lock:
            key = id(index)
            if key not in self._supporters:
                self._supporters = {key: Supporter(index)}  # only the current index is worth caching
            return self._supporters[key]

    def _classify(self, err: BaseException) -> Failure:
        return classify(err, timeout=self.settings.llm_timeout, model=self.settings.llm_model)

    def _retry_or_raise(self, failure: Failure, attempt: int, deadline: Budget) -> int:
        """Sleep before another try and return the next attempt number, or raise `failure`."""
        pause = BACKOFF * (2 ** attempt)
        if (
            not failure.retryable
            or attempt >= self.settings.llm_max_retries
            or time.monotonic() + pause >= deadline.deadline()
        ):
            raise failure
        log.info("model call failed (%s); retrying in %.1f s", failure, pause)
        time.sleep(pause)
        return attempt + 1

    def _fall_back(self, index: Index, question: str, history: History, language: Language,
                   failure: Failure) -> Iterator[str | Answer]:
        log.info("LLM answer failed (%s); giving the extractive answer", failure)
        answer = respond(index, parse(question, history, index, focus_share=SCORING.answering.focus_share),
                         self.settings)
        answer = replace(answer, notice=notice(failure, language))
        yield answer.text
        yield answer
