"""Hybrid retrieval: dense (Chroma, chunks and sentences) plus BM25 over Arabic-normalised,
lightly stemmed tokens, fused by a weighted sum of per-signal scores.

Dense is the only cross-lingual signal offline (English question, Arabic text); BM25 carries
exact names, numbers and dates. Each chunk's score:

    w_chunk * cos(q, chunk) + w_sentence * max cos(q, sentence in chunk) + w_bm25 * bm25 / max bm25
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from qa import arabic, lexicon
from qa.embeddings import QAEmbeddings
from qa.errors import IndexUnavailableError
from qa.results import Passage
from qa.store import Manifest, Store


@dataclass(frozen=True)
class Weights:
    chunk: float = 0.35
    sentence: float = 0.45
    bm25: float = 0.20


@dataclass(frozen=True)
class Term:
    """One content word of a question: the index tokens that count as it, and its weight (idf)."""

    tokens: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class SentenceRecord:
    id: str
    chunk: int  # index into Index.chunks
    text: str
    start: int
    end: int
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class ChunkRecord:
    id: str
    text: str
    article_id: str
    article: str
    section: str
    section_index: int
    start: int
    end: int
    sentences: tuple[int, ...]  # indexes into Index.sentences


@dataclass(frozen=True)
class Hit:
    """One scored chunk, with what the answerer needs to pick sentences."""

    chunk: int
    score: float
    dense_chunk: float
    dense_sentence: float
    lexical: float
    sentence_cos: dict[int, float] = field(default_factory=dict)


class Index:
    """One active generation loaded for querying: records in memory, vectors in Chroma."""

    def __init__(self, store: Store, manifest: Manifest, embeddings: QAEmbeddings) -> None:
        import bm25s

        self.store = store
        self.manifest = manifest
        self.embeddings = embeddings
        self._chunks_col = store.collection(manifest.active, "chunks")
        self._sentences_col = store.collection(manifest.active, "sentences")
        self._vocab_col = store.collection(manifest.active, "vocab")
        self._chunks_vs = store.vectorstore(manifest.active, "chunks", embeddings)
        self._sentences_vs = store.vectorstore(manifest.active, "sentences", embeddings)
        got = self._chunks_col.get(include=["documents", "metadatas"])
        order = sorted(range(len(got["ids"])), key=lambda i: (got["metadatas"][i]["article_id"], got["metadatas"][i]["chunk_index"]))
        position = {got["ids"][i]: n for n, i in enumerate(order)}
        sent = self._sentences_col.get(include=["documents", "metadatas"])
        per_chunk: dict[int, list[int]] = {}
        sentences = []
        for sid, text, meta in sorted(
            zip(sent["ids"], sent["documents"], sent["metadatas"], strict=True),
            key=lambda t: (position.get(str(t[2]["chunk_id"]), -1), int(t[2]["start"])),
        ):
            chunk_pos = position.get(str(meta["chunk_id"]))
            if chunk_pos is None:
                continue
            per_chunk.setdefault(chunk_pos, []).append(len(sentences))
            sentences.append(SentenceRecord(sid, chunk_pos, text, int(meta["start"]), int(meta["end"]),
                                            tuple(arabic.tokens(text))))
        self.sentences: list[SentenceRecord] = sentences
        self.chunks: list[ChunkRecord] = []
        for n, i in enumerate(order):
            meta = got["metadatas"][i]
            self.chunks.append(ChunkRecord(
                id=got["ids"][i], text=got["documents"][i], article_id=str(meta["article_id"]),
                article=str(meta["article_title"]), section=str(meta["section_heading"]),
                section_index=int(meta["section_index"]), start=int(meta["start"]), end=int(meta["end"]),
                sentences=tuple(per_chunk.get(n, ())),
            ))
        if not self.chunks:
            raise IndexUnavailableError(
                f"the index at {store.settings.where} is empty: run `qa ingest --rebuild`"
            )
        self.id_to_chunk = {c.id: n for n, c in enumerate(self.chunks)}
        self.id_to_sentence = {s.id: n for n, s in enumerate(self.sentences)}
        corpus = [arabic.tokens(f"{c.section} {c.text}") for c in self.chunks]
        self._bm25 = bm25s.BM25()
        self._bm25.index([toks or ["\x00"] for toks in corpus], show_progress=False)
        df: Counter[str] = Counter()
        for toks in corpus:
            df.update(set(toks))
        n_docs = len(corpus)
        self.idf = {t: math.log(1 + (n_docs - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self.unseen_idf = math.log(1 + (n_docs + 0.5) / 0.5)
        self.weights = Weights()

    def __len__(self) -> int:
        return len(self.chunks)

    def embed(self, text: str) -> np.ndarray:
        return np.asarray(self.embeddings.embed_query(arabic.canonical_dates(text)), dtype=np.float32)

    def terms(self, text: str) -> list[Term]:
        """The question's content terms: its own normalised Arabic/number tokens, and for each
        foreign word the article's Arabic words nearest to it (see qa.lexicon)."""
        # A word the index knows matches as itself (an English question over an English article);
        # an unknown Arabic word or number still counts, against the evidence.
        out = [Term((tok,), self.idf.get(tok, self.unseen_idf))
               for tok in dict.fromkeys(arabic.tokens(text, drop_stopwords=True))
               if tok in self.idf or not tok.isascii() or tok.isdigit()]
        if arabic.asks_when(text):  # a date answers "when": any month name counts
            months = tuple(m for m in arabic.MONTHS if m in self.idf)
            if months:
                out.append(Term(months, max(self.idf[m] for m in months)))
        words = [w for w in lexicon.foreign_words(text) if arabic.stem(arabic.normalize(w)) not in self.idf]
        if words:
            for tr in lexicon.translate(words, self.embeddings.embed_array, self._vocab_col):
                known = [t for t in tr.tokens if t in self.idf]
                weight = max((self.idf[t] for t in known), default=self.unseen_idf)
                out.append(Term(tuple(known), weight))
        return out

    def bm25_scores(self, query_tokens: list[str]) -> np.ndarray:
        known = [t for t in query_tokens if t in self.idf]
        if not known:
            return np.zeros(len(self.chunks), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def search(self, text: str, k: int, *, vector: np.ndarray | None = None,
               terms: list[Term] | None = None) -> list[Hit]:
        """The k best chunks for `text`, best first."""
        vector = self.embed(text) if vector is None else vector
        terms = self.terms(text) if terms is None else terms
        n_chunks = len(self.chunks)
        wide = min(n_chunks, max(4 * k, 40))
        dense_chunk = self._query(self._chunks_vs, vector, wide, self.id_to_chunk)
        sentence_cos = self._query(self._sentences_vs, vector, min(len(self.sentences), max(8 * k, 80)),
                                   self.id_to_sentence)
        chunk_floor = min(dense_chunk.values(), default=0.0)
        sent_floor = min(sentence_cos.values(), default=0.0)
        best_sentence: dict[int, float] = {}
        per_chunk_cos: dict[int, dict[int, float]] = {}
        for s, cos in sentence_cos.items():
            c = self.sentences[s].chunk
            per_chunk_cos.setdefault(c, {})[s] = cos
            best_sentence[c] = max(best_sentence.get(c, -1.0), cos)
        lexical = self.bm25_scores([t for term in terms for t in term.tokens])
        top_lex = float(lexical.max()) if len(lexical) else 0.0
        lex_norm = lexical / top_lex if top_lex > 0 else lexical
        candidates = set(dense_chunk) | set(best_sentence) | {int(i) for i in np.argsort(-lexical)[:wide] if lexical[i] > 0}
        w = self.weights
        hits = []
        for c in candidates:
            dc = dense_chunk.get(c, chunk_floor)
            ds = best_sentence.get(c, sent_floor)
            lx = float(lex_norm[c])
            hits.append(Hit(c, w.chunk * dc + w.sentence * ds + w.bm25 * lx, dc, ds, lx, per_chunk_cos.get(c, {})))
        hits.sort(key=lambda h: (-h.score, h.chunk))
        return hits[:k]

    def _query(self, vectorstore: Any, vector: np.ndarray, n: int, ids: dict[str, int]) -> dict[int, float]:
        """Cosine similarity of the n nearest records, by record position."""
        if n <= 0:
            return {}
        try:
            found = vectorstore.similarity_search_by_vector_with_relevance_scores(vector.tolist(), k=n)
        except Exception as err:
            raise IndexUnavailableError(
                f"querying the index at {self.store.settings.where} failed ({type(err).__name__}): "
                "run `qa ingest --rebuild`"
            ) from err
        # cosine space: Chroma's distance is 1 - cos
        return {ids[doc.id]: 1.0 - float(distance) for doc, distance in found if doc.id in ids}

    def passage(self, hit: Hit) -> Passage:
        chunk = self.chunks[hit.chunk]
        return Passage(article=chunk.article, section=chunk.section, text=chunk.text, score=round(hit.score, 6),
                       chunk_id=chunk.id, article_id=chunk.article_id, section_index=chunk.section_index,
                       start=chunk.start, end=chunk.end)


class HybridRetriever(BaseRetriever):
    """LangChain retriever over an `Index`: Documents carry the section heading and the score."""

    index: Any
    k: int = 4

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        docs = []
        for hit in self.index.search(query, self.k):
            p = self.index.passage(hit)
            docs.append(Document(
                page_content=p.text, id=p.chunk_id,
                metadata={"article": p.article, "section": p.section, "score": p.score,
                          "article_id": p.article_id, "section_index": p.section_index,
                          "start": p.start, "end": p.end},
            ))
        return docs
