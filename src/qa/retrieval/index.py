"""Hybrid retrieval: dense (whole-index cosine over chunks, sentences and sections) plus lexical
matching (BM25, and sentence coverage) over Arabic-normalised, lightly stemmed tokens, fused by a
weighted sum of per-signal scores.

Dense carries meaning across languages (English question, Arabic text); lexical matching carries
exact names, numbers and dates, and reaches English questions through the word bridge of
qa.text.bridge. Passages are chunks, but a question is usually about a section, so most of a chunk's
score is its section's:

    section = w_sentence * max cos(q, sentence in section) + w_chunk * max cos(q, chunk in section)
            + w_section * cos(q, mean of the section's chunk vectors)
            + w_bm25 * (1 + trust) * bm25_share(section)
            + w_coverage * trust * max coverage(sentence in section)
    chunk   = section + LOCAL * (the same signals over the chunk alone)

bm25_share is the BM25 score over the best score the question's terms could reach (the sum of
each term's highest idf: Lucene's BM25 tends to idf as a word repeats), so it says how much of the
question matched, not just which passage matched most. coverage is a sentence's idf-weighted share
of the question's terms. trust is the share of the question's term weight that is its own words
rather than translations: exact matching is reliable for an Arabic question, noisy through the
bridge; it is scaled down further when under half of the question's term weight is in the article
at all (a paraphrase: meaning, not matching, must carry it). A question that names a part of the
article ("the conclusion", «خاتمة المقال»: arabic.question_place) has that part as one more term,
which every sentence there holds. Weights are measured on XQuAD (eval/bench_xquad.py), not on the
seed.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from qa.errors import IndexUnavailableError
from qa.ingest.pipeline import embed_with_cache
from qa.results import Language, Passage
from qa.retrieval.terms import Term, Vocabulary, trust
from qa.store.chroma import Manifest, Store
from qa.store.embeddings import E5Embeddings, QAEmbeddings
from qa.store.second_encoder import DenseMix
from qa.text import arabic

MATCHED_FULL = 0.5  # lexical signals count fully once this share of a question's weight is in the article
LOCAL = 0.25  # how much a chunk's own evidence counts beside its section's
BM25_K1 = 1.5  # bm25s' default


@dataclass(frozen=True)
class Weights:
    """How much each signal counts. `bridge` adds qa.text.bridge's Arabic words for foreign words."""

    sentence: float = 0.40
    chunk: float = 0.10
    section: float = 0.20
    bm25: float = 0.50  # doubled for a question in the article's own words (see `trust`)
    coverage: float = 0.50  # times `trust`: the best sentence's share of the question's terms
    kind: float = 0.10  # a sentence holds the kind of answer asked for (a date for "when")
    bridge: bool = True


SIGNALS: dict[str, Weights] = {
    "hybrid": Weights(),
    "dense": Weights(bm25=0.0, coverage=0.0, kind=0.0, bridge=False),
    "bm25": Weights(sentence=0.0, chunk=0.0, section=0.0, bm25=1.0, coverage=0.0, kind=0.0, bridge=False),
}


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
    section: float = 0.0  # the score of the chunk's section


# a sentence saying where is too common to move passages: it only helps pick the quote among them
# (XQuAD's 98 "where" questions, at an earlier weighting: first quotes 73 answerer-only, 68 with it here too)
ANSWER_ONLY_KINDS = frozenset({"where"})


class Index:
    """One active generation loaded for querying: records and vectors in memory (the dense search
    is one matrix product over the whole index), the vocabulary in Chroma."""

    def __init__(self, store: Store, manifest: Manifest, embeddings: QAEmbeddings,
                 second: E5Embeddings | None = None) -> None:
        import bm25s

        self.store = store
        self.manifest = manifest
        self.embeddings = embeddings
        self.second = second  # the answerer's second opinion on sentence cosines (qa.store.second_encoder)
        self.mix = DenseMix(store.settings.second_encoder_weight) if second is not None else None
        self.weights = SIGNALS[store.settings.retrieval_signals]
        self._recent: tuple[str, np.ndarray] | None = None  # the last question embedded by `terms`
        self._mixed: tuple[str, np.ndarray] | None = None  # the last question vector composed by `evidence_vector`
        chunks_col = store.collection(manifest.active, "chunks")
        sentences_col = store.collection(manifest.active, "sentences")
        vocab = store.collection(manifest.active, "vocab")
        has_vocab = vocab.count() > 0  # else nothing to bridge to
        places: dict[str, tuple[str, ...]] = {}  # a place's Latin name -> the article's word for it
        if has_vocab and manifest.schema >= 2:  # an older index has no place names: `qa ingest` adds them
            named = vocab.get(where={"places": {"$ne": ""}}, include=["documents", "metadatas"])
            for word, meta in zip(named["documents"] or [], named["metadatas"] or [], strict=True):
                for name in str((meta or {}).get("places", "")).split():
                    places[name] = tuple(dict.fromkeys([*places.get(name, ()), *arabic.tokens(word)]))
        got = chunks_col.get(include=["documents", "metadatas", "embeddings"])
        order = sorted(range(len(got["ids"])), key=lambda i: (got["metadatas"][i]["article_id"], got["metadatas"][i]["chunk_index"]))
        position = {got["ids"][i]: n for n, i in enumerate(order)}
        sent = sentences_col.get(include=["documents", "metadatas", "embeddings"])
        per_chunk: dict[int, list[int]] = {}
        sentences: list[SentenceRecord] = []
        sentence_vectors: list[Any] = []
        for sid, text, meta, vector in sorted(
            zip(sent["ids"], sent["documents"], sent["metadatas"], sent["embeddings"], strict=True),
            key=lambda t: (position.get(str(t[2]["chunk_id"]), -1), int(t[2]["start"])),
        ):
            chunk_pos = position.get(str(meta["chunk_id"]))
            if chunk_pos is None:
                continue
            per_chunk.setdefault(chunk_pos, []).append(len(sentences))
            sentences.append(SentenceRecord(sid, chunk_pos, text, int(meta["start"]), int(meta["end"]),
                                            tuple(arabic.tokens(text))))
            sentence_vectors.append(vector)
        self.sentences = sentences
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

        # dense: unit vectors in memory
        self._chunk_vectors = _unit(np.asarray([got["embeddings"][i] for i in order], dtype=np.float32))
        dim = self._chunk_vectors.shape[1]
        self._sentence_vectors = _unit(np.asarray(sentence_vectors, dtype=np.float32).reshape(-1, dim))
        self._sentence_chunk = np.asarray([s.chunk for s in self.sentences], dtype=np.int64)
        section_of: dict[tuple[str, int], int] = {}
        self._chunk_section = np.asarray(
            [section_of.setdefault((c.article_id, c.section_index), len(section_of)) for c in self.chunks],
            dtype=np.int64)
        self.n_sections = len(section_of)
        section_sum = np.zeros((self.n_sections, dim), dtype=np.float32)
        np.add.at(section_sum, self._chunk_section, self._chunk_vectors)
        self._section_vectors = _unit(section_sum)
        # sentence vectors for the answerer's second opinion: use-m3's composed with the second encoder's
        self._evidence_vectors = self._sentence_vectors
        if second is not None and self.mix is not None:
            texts = [s.text for s in self.sentences]  # embedded at ingest into the cache; else now
            vectors, _, _ = embed_with_cache(store, second, texts, store.settings, lambda _msg: None)
            self._evidence_vectors = self.mix.passages(_unit(vectors), self._sentence_vectors)

        # lexical: BM25 over chunks and over whole sections (heading included)
        corpus = [arabic.tokens(f"{c.section} {c.text}") for c in self.chunks]
        section_corpus: list[list[str]] = [[] for _ in range(self.n_sections)]
        for c, toks in enumerate(corpus):
            section_corpus[self._chunk_section[c]].extend(toks)
        self._bm25 = bm25s.BM25(k1=BM25_K1)
        self._bm25.index([toks or ["\x00"] for toks in corpus], show_progress=False)
        self._section_bm25 = bm25s.BM25(k1=BM25_K1)
        self._section_bm25.index([toks or ["\x00"] for toks in section_corpus], show_progress=False)
        self.idf = _idf(corpus)
        self._section_idf = _idf(section_corpus)
        self.unseen_idf = math.log(1 + (len(corpus) + 0.5) / 0.5)
        # a heading is context for each sentence under it, and so is the section's place in its
        # article (arabic.PLACE_TOKENS: "the conclusion" is every sentence of the last section)
        last = {article: index for article, index in sorted(section_of)}
        self.context = [tuple(arabic.tokens(c.section))
                        + ((arabic.PLACE_TOKENS["start"],) if c.section_index == 0 else ())
                        + ((arabic.PLACE_TOKENS["end"],) if c.section_index == last[c.article_id] else ())
                        for c in self.chunks]
        postings: dict[str, list[int]] = {}
        for n, sentence in enumerate(self.sentences):
            for tok in set(sentence.tokens) | set(self.context[sentence.chunk]):
                postings.setdefault(tok, []).append(n)
        self._sentences_with = {tok: np.asarray(ids, dtype=np.int64) for tok, ids in postings.items()}
        self._holds = {kind: np.asarray([arabic.answers_kind(kind, s.tokens) for s in self.sentences], dtype=np.float32)
                       for kind in arabic.KINDS if kind != "where"}
        # "where?": a sentence saying where, by the article's words for the places GeoNames knows (qa.text.places);
        # read from the text, not the tokens, whose stems join منطقة with المنطقة and كلية with كل
        place_tokens = frozenset(t for toks in places.values() for t in toks)
        self._holds["where"] = np.asarray([arabic.holds_place(s.text, place_tokens) for s in self.sentences],
                                          dtype=np.float32)
        bridge = self.weights.bridge and has_vocab
        self.vocabulary = Vocabulary(
            self.idf, self.unseen_idf,
            store.collection(manifest.active, "vocab") if bridge else None,  # chromadb: see Vocabulary.store
            places, self._embed_with_question, store.settings.where, store.settings.word_dictionary,
            surface=frozenset(w for s in self.sentences for w in arabic.words(s.text)))

    def __len__(self) -> int:
        return len(self.chunks)

    def holds(self, kind: str, sentence: int) -> bool:
        """Whether a sentence (by position) holds the kind of answer `kind` asks for
        (qa.text.arabic.answers_kind; for `where`, a place name put as an answer: arabic.holds_place)."""
        return bool(self._holds[kind][sentence])

    def embed(self, text: str) -> np.ndarray:
        recent = self._recent
        if recent is not None and recent[0] == text:  # embedded with the bridge's words just before
            return recent[1]
        return np.asarray(self.embeddings.embed_query(arabic.canonical_dates(text)), dtype=np.float32)

    def evidence_vector(self, text: str) -> np.ndarray:
        """The question's vector against `_evidence_vectors`: use-m3's, composed with the second
        encoder's when there is one (qa.store.second_encoder)."""
        if self.second is None or self.mix is None:
            return self.embed(text)
        mixed = self._mixed
        if mixed is not None and mixed[0] == text:  # follow-ups and compound questions ask again
            return mixed[1]
        second = self.second.embed_array([arabic.canonical_dates(text)], query=True)[0]
        language: Language = "ar" if arabic.detect_language(text) == "ar" else "en"
        composed = self.mix.question(second, self.embed(text), language)
        self._mixed = (text, composed)
        return composed

    def _embed_with_question(self, text: str, forms: list[str]) -> np.ndarray:
        """The bridge's word forms, embedded in one encoder call with the question itself, whose
        vector `embed` then reuses (one call instead of two per English question)."""
        vectors = np.asarray(self.embeddings.embed_array([arabic.canonical_dates(text), *forms]), dtype=np.float32)
        self._recent = (text, vectors[0])
        return vectors[1:]

    def terms(self, text: str) -> list[Term]:
        """The question's content terms (qa.retrieval.terms.Vocabulary.terms)."""
        return self.vocabulary.terms(text)

    def place_term(self, place: str) -> Term:
        """The term that every sentence of a part of the article holds (qa.retrieval.terms)."""
        return self.vocabulary.place_term(place)

    def _bm25_shares(self, terms: list[Term]) -> tuple[np.ndarray, np.ndarray]:
        """BM25 of every chunk and every section over the best score the terms could reach."""
        tokens = [t for term in terms for t in term.tokens if t in self.idf]
        if not tokens:
            return np.zeros(len(self.chunks), np.float32), np.zeros(self.n_sections, np.float32)
        # bm25s scores like Lucene: idf * tf / (tf + k1 * length norm), which tends to idf
        chunk_best = sum(max((self.idf.get(t, 0.0) for t in term.tokens), default=0.0) for term in terms)
        section_best = sum(max((self._section_idf.get(t, 0.0) for t in term.tokens), default=0.0)
                           for term in terms)
        chunk = np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
        section = np.asarray(self._section_bm25.get_scores(tokens), dtype=np.float32)
        return chunk / max(chunk_best, 1e-9), section / max(section_best, 1e-9)

    def matched_share(self, terms: list[Term]) -> float:
        """The share of the question's term weight that is in the article at all: a paraphrased
        question ("رئيس الدبلوماسية" for وزير الخارجية) leaves exact matching little to go on."""
        total = sum(t.weight for t in terms)
        return sum(t.weight for t in terms if any(tok in self._sentences_with for tok in t.tokens)) / total if total > 0 else 0.0

    def sentence_coverage(self, terms: list[Term]) -> np.ndarray:
        """Each sentence's share of the question's term weight (a translated word counts by its
        confidence), from a token -> sentences index: the work is the postings of the terms."""
        out = np.zeros(len(self.sentences), dtype=np.float32)
        total = sum(t.weight for t in terms)
        if total <= 0:
            return out
        for term in terms:
            lists = [self._sentences_with[t] for t in term.tokens if t in self._sentences_with]
            if lists:
                out[np.unique(np.concatenate(lists))] += term.weight * term.confidence
        return out / total

    def search(self, text: str, k: int, *, vector: np.ndarray | None = None,
               terms: list[Term] | None = None) -> list[Hit]:
        """The k best chunks for `text`, best first."""
        w = self.weights
        dense = w.sentence > 0 or w.chunk > 0 or w.section > 0
        n_chunks = len(self.chunks)
        if dense:
            vector = self.embed(text) if vector is None else vector
            chunk_cos = self._chunk_vectors @ vector
            sentence_cos = self._sentence_vectors @ vector
            section_cos = self._section_vectors @ vector
        else:
            chunk_cos = np.zeros(n_chunks, np.float32)
            sentence_cos = np.zeros(len(self.sentences), np.float32)
            section_cos = np.zeros(self.n_sections, np.float32)
        best_sentence = np.full(n_chunks, -1.0, dtype=np.float32)
        np.maximum.at(best_sentence, self._sentence_chunk, sentence_cos)
        best_sentence = np.where(best_sentence < -0.5, chunk_cos, best_sentence)  # a chunk without sentences
        chunk_lex, section_lex = np.zeros(n_chunks, np.float32), np.zeros(self.n_sections, np.float32)
        w_bm25 = 0.0
        per_sentence = np.zeros(len(self.sentences), np.float32)  # coverage and answer kind
        if w.bm25 > 0 or w.coverage > 0:
            terms = self.terms(text) if terms is None else terms
            own = trust(terms) * min(1.0, self.matched_share(terms) / MATCHED_FULL)
            w_bm25, w_cov = w.bm25 * (1 + own), w.coverage * own
            if w_bm25 > 0:
                chunk_lex, section_lex = self._bm25_shares(terms)
            if w_cov > 0:
                per_sentence += w_cov * self.sentence_coverage(terms)
        for kind in (arabic.question_kinds(text) - ANSWER_ONLY_KINDS) if w.kind > 0 else ():
            per_sentence += w.kind * self._holds[kind]
        chunk_extra = np.zeros(n_chunks, np.float32)
        if len(self.sentences):
            np.maximum.at(chunk_extra, self._sentence_chunk, per_sentence)
        local = w.sentence * best_sentence + w.chunk * chunk_cos + w_bm25 * chunk_lex + chunk_extra
        section_sentence = np.full(self.n_sections, -1.0, dtype=np.float32)
        np.maximum.at(section_sentence, self._chunk_section, best_sentence)
        section_chunk = np.full(self.n_sections, -1.0, dtype=np.float32)
        np.maximum.at(section_chunk, self._chunk_section, chunk_cos)
        section_extra = np.zeros(self.n_sections, dtype=np.float32)
        np.maximum.at(section_extra, self._chunk_section, chunk_extra)
        section = (w.sentence * section_sentence + w.chunk * section_chunk + w.section * section_cos
                   + w_bm25 * section_lex + section_extra)
        score = section[self._chunk_section] + LOCAL * local
        top = np.argsort(-score, kind="stable")[: max(1, k)]
        hits = []
        for c in (int(i) for i in top):
            sentences = self.chunks[c].sentences
            hits.append(Hit(c, float(score[c]), float(chunk_cos[c]), float(best_sentence[c]), float(chunk_lex[c]),
                            {s: float(sentence_cos[s]) for s in sentences},
                            float(section[self._chunk_section[c]])))
        return hits

    def cosines(self, text: str, sentences: list[int], *, second: bool = False) -> dict[int, float]:
        """Cosine of `text` to each of the given sentences (by position): use-m3's, or with `second`
        use-m3's mixed with the second encoder's when there is one (qa.store.second_encoder)."""
        if not sentences:
            return {}
        if second and self.second is not None:
            vectors, vector = self._evidence_vectors, self.evidence_vector(text)
        else:
            vectors, vector = self._sentence_vectors, self.embed(text)
        values = vectors[np.asarray(sentences, dtype=np.int64)] @ vector
        return {s: float(v) for s, v in zip(sentences, values, strict=True)}

    def with_evidence(self, text: str, hits: list[Hit]) -> list[Hit]:
        """The hits with their sentences' cosines mixed with the second encoder's (`cosines`)."""
        cos = self.cosines(text, [s for h in hits for s in self.chunks[h.chunk].sentences], second=True)
        return [replace(h, sentence_cos={s: cos[s] for s in self.chunks[h.chunk].sentences}) for h in hits]

    def passage(self, hit: Hit) -> Passage:
        chunk = self.chunks[hit.chunk]
        return Passage(article=chunk.article, section=chunk.section, text=chunk.text, score=round(hit.score, 6),
                       chunk_id=chunk.id, article_id=chunk.article_id, section_index=chunk.section_index,
                       start=chunk.start, end=chunk.end)


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(vectors) else np.ones((0, 1), np.float32)
    return vectors / np.maximum(norms, 1e-12)


def _idf(corpus: list[list[str]]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for toks in corpus:
        df.update(set(toks))
    n_docs = len(corpus)
    return {t: math.log(1 + (n_docs - d + 0.5) / (d + 0.5)) for t, d in df.items()}
