"""The public entry point: `Assistant(settings).ask(question, history)`.

Each question goes the same way: clean it (qa.question.clean), parse it once into a Query
(qa.question.query), search the index (qa.retrieval), answer (qa.answer): extractive by default,
or with a chat model in LLM mode, which falls back to the extractive answer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from qa.answer import extractive
from qa.errors import ArticleError, IndexUnavailableError
from qa.ingest.article import Article
from qa.ingest.pipeline import ingest, sources
from qa.ingest.repair import open_for_rebuild
from qa.ingest.translation import find_articles, read_with_translations
from qa.question.clean import clean_question
from qa.question.history import History
from qa.question.query import Query, parse
from qa.results import Answer, IngestReport, Passage
from qa.retrieval.index import Index
from qa.scoring import SCORING
from qa.settings import Settings
from qa.store.chroma import Store, store_failure
from qa.store.embeddings import QAEmbeddings, make_embeddings
from qa.store.manifest import SCHEMA_VERSION
from qa.store.second_encoder import second_encoder
from qa.store.vectors import Progress

REFRESH_SECONDS = 2.0  # how often a loaded index checks whether another process switched generations
T = TypeVar("T")


class Assistant:
    """Answers questions about the configured articles. Safe to share between threads.

    The index is opened on first use, and built from `settings.articles` when there is none (or,
    when articles were given explicitly, when they changed)."""

    def __init__(self, settings: Settings | None = None, *, embeddings: QAEmbeddings | None = None,
                 chat_model: Any | None = None) -> None:
        self.settings = settings if settings is not None else Settings()
        self.embeddings = embeddings or make_embeddings(self.settings.embedding_model,
                                                        self.settings.embedding_threads)
        self.second = second_encoder(self.settings, self.embeddings.model_id)  # qa.store.second_encoder
        self.chat_model = chat_model
        self._lock = threading.RLock()
        self._store: Store | None = None
        self._index: Index | None = None
        self._checked = 0.0  # time.monotonic() of the last look at the manifest
        self._llm_answerer: Any | None = None

    # -- index ------------------------------------------------------------------------------
    @property
    def store(self) -> Store:
        with self._lock:
            if self._store is None:
                self._store = Store(self.settings)
            return self._store

    def ingest(self, paths: list[str | Path] | None = None, *, rebuild: bool = False,
               progress: Progress | None = None) -> IngestReport:
        """(Re)index `paths` (default: settings.articles). See `qa.ingest.pipeline.ingest`."""
        with self._lock:
            # a damaged embedded index is moved aside first (see qa.ingest.repair.open_for_rebuild)
            if rebuild:
                self._store = open_for_rebuild(self.settings, self._store, progress or (lambda _m: None))
                self._index = None
            report = ingest(self.store, self.embeddings, self.settings,
                            [Path(p) for p in paths] if paths else None, rebuild=rebuild, progress=progress,
                            second=self.second)
            if self._index is None or self._index.manifest.active != report.generation:
                self._index = None
            return report

    def index(self) -> Index:
        """The loaded index, building it first when needed. Another process (`qa ingest`, a server
        client) may switch generations: a loaded index looks every REFRESH_SECONDS and follows."""
        with self._lock:
            if self._index is not None and time.monotonic() - self._checked > REFRESH_SECONDS:
                self._checked = time.monotonic()
                current = self.store.manifest()  # None when unreachable: keep answering from memory
                if current is not None and current.active != self._index.manifest.active:
                    self._index = None
            if self._index is None:
                manifest = self.store.manifest()
                if manifest is None or self._articles_changed(manifest.articles):
                    self.ingest()
                    manifest = self.store.manifest()
                elif manifest.schema < SCHEMA_VERSION and (indexed := self._indexed_files(manifest.articles)):
                    self.ingest(indexed)  # an index of an older qa: the same files, read as qa reads them now
                    manifest = self.store.manifest()
                if manifest is None:
                    raise IndexUnavailableError(
                        f"no index at {self.settings.where}: run `qa ingest`"
                    )
                self.store.check_model(manifest, self.embeddings.model_id)
                try:
                    self._index = Index(self.store, manifest, self.embeddings, self.second)
                except Exception as err:
                    if not store_failure(err):
                        raise
                    raise IndexUnavailableError(
                        f"cannot load the index at {self.settings.where} ({type(err).__name__}: {err}): "
                        "run `qa ingest --rebuild`"
                    ) from err
            return self._index

    @staticmethod
    def _indexed_files(sources: tuple[str, ...]) -> list[str | Path] | None:
        """The files an index was built from, when every one of them is still there."""
        paths: list[str | Path] = [Path(source.rsplit("#", 1)[0]) for source in sources]
        return paths if paths and all(Path(p).is_file() for p in paths) else None

    def _articles_changed(self, indexed: tuple[str, ...]) -> bool:
        if "articles" not in self.settings.model_fields_set:
            return False  # default articles: answer from whatever `qa ingest` put there
        return set(indexed) != set(sources(self.settings.articles))

    def _with_index(self, work: Callable[[Index], T]) -> T:
        """`work(index)`; when another process switched generations under it (the index's
        vocabulary is gone), once more with the index reloaded."""
        try:
            return work(self.index())
        except IndexUnavailableError:
            with self._lock:
                self._index = None
            return work(self.index())

    def _read(self, text: str, history: History) -> tuple[Index, Query]:
        """The index, and the question parsed against it."""
        share = SCORING.answering.focus_share
        return self._with_index(lambda index: (index, parse(text, history, index, focus_share=share)))

    def articles(self) -> list[Article]:
        """The indexed articles (as the index's manifest lists them), parsed, for display and
        checks; a file that can no longer be read is left out."""
        found = []
        paths = [Path(source.rsplit("#", 1)[0]) for source in self.index().manifest.articles]
        for path in find_articles([p for p in paths if p.exists()]):
            try:
                found.append(read_with_translations(path, max_bytes=self.settings.max_article_bytes))
            except ArticleError:
                continue
        return found

    def aligned(self, lang: str) -> dict[str, list[tuple[int, int, int, str]]]:
        """The indexed articles' translations into `lang`, aligned with their sentences: for each
        article id, its groups in order as (section index, start, end, translation), the span being
        the group's original sentences in the article text. Articles without one are left out."""
        index = self.index()
        translated = index.translations.get(lang)
        out: dict[str, list[tuple[int, int, int, str]]] = {}
        if translated is None:
            return out
        for members, text in zip(translated.members, translated.texts, strict=True):
            if not members:
                continue
            first, last = index.sentences[members[0]], index.sentences[members[-1]]
            chunk = index.chunks[first.chunk]
            out.setdefault(chunk.article_id, []).append((chunk.section_index, first.start, last.end, text))
        return out

    # -- questions --------------------------------------------------------------------------
    def retrieve(self, question: str, k: int = 10, history: History = None) -> list[Passage]:
        """The k passages that best match the question (read with the conversation `history`, as
        `ask` reads it), best first."""
        text = clean_question(question, self.settings.max_question_chars)
        index, query = self._read(text, history)
        return [index.passage(h) for h in index.find(query, max(1, int(k)))]

    def as_retriever(self, k: int = 4) -> Any:
        """This assistant's hybrid retrieval as a LangChain `BaseRetriever` (qa.retrieval.retriever)."""
        from qa.retrieval.retriever import HybridRetriever

        return HybridRetriever(assistant=self, k=k)

    def as_runnable(self) -> Any:
        """This assistant as a LangChain Runnable: `invoke(question or {"question", "history"})`
        returns the Answer, `stream` yields text pieces then the Answer (qa.answer.runnable)."""
        from qa.answer.runnable import AssistantRunnable

        return AssistantRunnable(self)

    def as_vectorstore(self) -> Any:
        """The index's chunks as a langchain-chroma `Chroma` vector store, with this assistant's
        embeddings: dense search only (no BM25, no section ranking), over the generation active
        now (a later `qa ingest` switches to a new one). For LangChain pipelines of your own."""
        index = self.index()
        return self.store.vectorstore(index.manifest.active, "chunks", self.embeddings)

    def ask(self, question: str, history: History = None) -> Answer:
        """Answer one question, citing section headings. `history` is the conversation so far:
        [{"role": "user"|"assistant", "content": str}, ...] or [(user, assistant), ...]."""
        text = clean_question(question, self.settings.max_question_chars)
        if self._llm_mode():
            final = [piece for piece in self._llm_stream(text, history) if isinstance(piece, Answer)]
            return final[-1]
        index, query = self._read(text, history)
        return extractive.respond(index, query, self.settings)

    def stream(self, question: str, history: History = None) -> Iterator[str | Answer]:
        """Text pieces as they are ready, then the final Answer."""
        if self._llm_mode():
            yield from self._llm_stream(clean_question(question, self.settings.max_question_chars), history)
            return
        result = self.ask(question, history)
        yield result.text
        yield result

    # -- LLM mode (qa.answer.llm) -----------------------------------------------------------
    def _llm_mode(self) -> bool:
        return self.settings.answer_mode == "llm" or self.chat_model is not None

    def _llm_stream(self, text: str, history: History) -> Iterator[str | Answer]:
        """The LLM answerer's pieces. Nothing is shown before retrieval is done, so when another
        process switched generations under it, it starts once more on the reloaded index."""
        pieces = self._llm().stream(text, history, self.index())
        try:
            first = next(pieces)
        except IndexUnavailableError:
            with self._lock:
                self._index = None
            pieces = self._llm().stream(text, history, self.index())
            first = next(pieces)
        yield first
        yield from pieces

    def _llm(self) -> Any:
        with self._lock:
            if self._llm_answerer is None:
                from qa.answer.llm.chain import LLMAnswerer

                self._llm_answerer = LLMAnswerer(self.settings, self.chat_model)
            return self._llm_answerer
