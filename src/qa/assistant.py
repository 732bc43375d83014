"""The public entry point: `Assistant(settings).ask(question, history)`."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from qa.answer.extractive import POOL as ANSWER_POOL
from qa.answer.extractive import answer as extractive_answer
from qa.answer.extractive import focus_terms, quoted
from qa.errors import IndexUnavailableError
from qa.ingest.pipeline import IngestReport, Progress, ingest, sources, store_failure
from qa.ingest.repair import open_for_rebuild
from qa.question import smalltalk
from qa.question.clean import History, clean_question, last_user_question, turns
from qa.results import Answer, Language, Passage
from qa.retrieval.index import Hit, Index
from qa.retrieval.terms import Term
from qa.settings import Settings
from qa.store.chroma import Store
from qa.store.embeddings import QAEmbeddings, make_embeddings
from qa.store.second_encoder import second_encoder
from qa.text import arabic

_DEMONSTRATIVE = re.compile(  # Levantine too: هاد/هيدا/هاي..., and the prefix هال- (هالشي "this thing")
    r"(?<!\w)(?:this|that|these|those|[وف]?(?:هذا|هذه|ذلك|تلك|هؤلاء|هاد|هادا|هادي|هيدا|هيدي|هاي|هيك)|[وف]?هال\w+)(?!\w)",
    re.IGNORECASE)
_QUOTE = re.compile(r"«([^»]{8,})»")
FOLLOW_UP_CONTENT_WORDS = 1  # a follow-up with this few words of its own is read with the last question
REFRESH_SECONDS = 2.0  # how often a loaded index checks whether another process switched generations


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
            if rebuild:  # a damaged embedded index is moved aside first (see qa.ingest.repair.open_for_rebuild)
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

    def _articles_changed(self, indexed: tuple[str, ...]) -> bool:
        if "articles" not in self.settings.model_fields_set:
            return False  # default articles: answer from whatever `qa ingest` put there
        return set(indexed) != set(sources(self.settings.articles))

    def _search(self, text: str, k: int) -> tuple[Index, list[Term], list[Hit]]:
        index = self.index()
        try:
            return (index, *_search_parts(index, text, k))
        except IndexUnavailableError:
            # another process switched generations under us: reload once
            with self._lock:
                self._index = None
            index = self.index()
            return (index, *_search_parts(index, text, k))

    # -- questions --------------------------------------------------------------------------
    def retrieve(self, question: str, k: int = 10) -> list[Passage]:
        """The k passages that best match the question, best first."""
        text = clean_question(question, self.settings.max_question_chars)
        index, _, hits = self._search(text, max(1, int(k)))
        return [index.passage(h) for h in hits]

    def as_retriever(self, k: int = 4) -> Any:
        """This assistant's hybrid retrieval as a LangChain `BaseRetriever` (qa.retrieval.retriever)."""
        from qa.retrieval.retriever import HybridRetriever

        return HybridRetriever(assistant=self, k=k)

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
            return self._llm().ask(text, history)
        return self._extractive(text, history)

    def _extractive(self, text: str, history: History) -> Answer:
        language: Language = "ar" if arabic.detect_language(text) == "ar" else "en"
        if smalltalk.kind(text):  # "hello", "thanks": nothing to look up
            titles = list(dict.fromkeys(c.article for c in self.index().chunks))
            # not an abstention: nothing was asked of the article (no "Not in the article" badge)
            return Answer(smalltalk.reply(text, language, titles) or "", language, False, "extractive", [],
                          question=text)
        query = search_text(text, history)
        index, terms, found = self._search(query, max(self.settings.top_k, ANSWER_POOL))
        hits, previous, own = found, "", query
        if query != text:  # a follow-up: its own words count more than the earlier question's
            previous = next((c for role, c in reversed(turns(history)) if role == "assistant"), "")
            own = follow_up_text(text, history)
            if own != query:  # the quotes found the section; they say nothing of the quoted sentences
                hits, terms = _without_echo(index, hits, own, quoted(previous)), index.terms(own)
            terms = focus_terms(index.terms(text), terms)

        def second_opinion() -> list[Hit]:  # the same hits, their cosines mixed (qa.store.second_encoder)
            mixed = index.with_evidence(query, found)
            return _without_echo(index, mixed, own, quoted(previous), second=True) if own != query else mixed

        return extractive_answer(index, hits, terms, text, language, self.settings.min_evidence,
                                 passages_shown=self.settings.top_k, previous_answer=previous,
                                 second_opinion=second_opinion if index.second is not None else None)

    def stream(self, question: str, history: History = None) -> Iterator[str | Answer]:
        """Text pieces as they are ready, then the final Answer."""
        if self._llm_mode():
            yield from self._llm().stream(clean_question(question, self.settings.max_question_chars), history)
            return
        result = self.ask(question, history)
        yield result.text
        yield result

    # -- LLM mode (qa.answer.llm) ------------------------------------------------------------------
    def _llm_mode(self) -> bool:
        return self.settings.answer_mode == "llm" or self.chat_model is not None

    def _llm(self) -> Any:
        with self._lock:
            if self._llm_answerer is None:
                from qa.answer.llm.chain import LLMAnswerer

                def search(text: str, k: int) -> tuple[Index, list[Hit]]:
                    index, _, hits = self._search(text, k)
                    return index, hits

                self._llm_answerer = LLMAnswerer(self.settings, search, self._extractive, self.chat_model)
            return self._llm_answerer


def _search_parts(index: Index, text: str, k: int) -> tuple[list[Term], list[Hit]]:
    """Hits for the whole question; for a compound one ("How did X react, and what did he
    stress?") each part's best section leads, in the parts' order, then the rest by score."""
    terms = index.terms(text)
    # "What happened?": the main story, the lead ("?": nothing; "Where is this news from?": the source)
    if not terms and any(ch.isalpha() for ch in text) and "source" not in arabic.question_kinds(text):
        terms = [index.place_term("start")]
    hits = index.search(text, k, terms=terms)
    parts = arabic.question_parts(text)
    if len(parts) < 2:
        return terms, hits
    leads: list[Hit] = []
    for part in parts:
        best = next((h for h in index.search(part, k) if h.chunk not in {x.chunk for x in leads}), None)
        if best is None:
            continue
        # keep the whole question's view of that chunk when it has one (its scores fit the question)
        leads.append(next((h for h in hits if h.chunk == best.chunk), best))
    taken = {h.chunk for h in leads}
    return terms, (leads + [h for h in hits if h.chunk not in taken])[:max(k, len(leads))]


def search_text(question: str, history: History) -> str:
    """What to retrieve with: a follow-up that points back with a demonstrative ("And when was
    that?", "ومن أين جاءت هذه المعلومات؟") is read with the quotes of the last answer, which is
    what "that" names; otherwise see `follow_up_text`."""
    said = _DEMONSTRATIVE.search(question) and _QUOTE.findall(
        next((c for role, c in reversed(turns(history)) if role == "assistant"), ""))
    if said:  # "And when was that?": "that" is what the last answer quoted, which locates the answer
        return " ".join([question, *said])
    return follow_up_text(question, history)


def _without_echo(index: Index, hits: list[Hit], question: str, said: list[str], second: bool = False) -> list[Hit]:
    """The hits with the cosine of each sentence the last answer quoted taken against `question`
    alone: a query that carries a quote matches the quoted sentence itself best."""
    echoed = [s for h in hits for s in h.sentence_cos
              if any(q and q in arabic.normalize(index.sentences[s].text) for q in said)]
    if not echoed:
        return hits
    cos = index.cosines(question, echoed, second=second)
    return [replace(h, sentence_cos={s: cos.get(s, c) for s, c in h.sentence_cos.items()}) for h in hits]


def follow_up_text(question: str, history: History) -> str:
    """A follow-up with at most one content word of its own ("And when?", "So what's his name?")
    read together with the previous question; one with more stands on its own words (on the eval
    set, adding the previous question to those pulled retrieval back to the section the last answer
    had quoted: 3 of 8 follow-ups right instead of 6)."""
    previous = last_user_question(history, with_words=True)  # after "Why?", "And when?" means the one before
    if previous and len(arabic.tokens(question, drop_stopwords=True)) <= FOLLOW_UP_CONTENT_WORDS:
        return f"{previous} {question}"
    return question
