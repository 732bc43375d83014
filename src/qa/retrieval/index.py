"""Hybrid retrieval: dense (whole-index cosine over chunks, sentences and sections) plus lexical
matching (BM25, and sentence coverage: qa.retrieval.lexical) over Arabic-normalised, lightly
stemmed tokens, fused by a weighted sum of per-signal scores (qa.scoring.Retrieval).

Dense carries meaning across languages (English question, Arabic text); lexical matching carries
exact names, numbers and dates, and reaches English questions through the word bridge
(qa.retrieval.terms). Passages are chunks, but a question is usually about a section, so most of a
chunk's score is its section's:

    section = w_sentence * max cos(q, sentence in section) + w_chunk * max cos(q, chunk in section)
            + w_section * cos(q, mean of the section's chunk vectors)
            + w_bm25 * (1 + trust) * bm25_share(section)
            + w_coverage * trust * max coverage(sentence in section)
    chunk   = section + local * (the same signals over the chunk alone)

bm25_share is the BM25 score over the best score the question's terms could reach (the sum of
each term's highest idf: Lucene's BM25 tends to idf as a word repeats), so it says how much of the
question matched, not just which passage matched most. coverage is a sentence's idf-weighted share
of the question's terms. trust is the share of the question's term weight that is its own words
rather than translations: exact matching is reliable for an Arabic question, noisy through the
bridge; it is scaled down further when under `matched_full` of the question's term weight is in
the article at all (a paraphrase: meaning, not matching, must carry it). A question that names a
part of the article ("the conclusion") has that part as one more term, which every sentence there
holds. Weights are measured on XQuAD (eval/bench_xquad.py), not on the seed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from qa.question.query import Query, Reading, Term
from qa.results import Passage
from qa.retrieval import segments, snapshot
from qa.retrieval.evidence import Evidence
from qa.retrieval.kinds import KindMasks
from qa.retrieval.lexical import Lexical
from qa.retrieval.loader import load, unit
from qa.retrieval.records import Hit
from qa.retrieval.terms import Vocabulary, trust
from qa.retrieval.titles import Titles
from qa.retrieval.translations import Translated
from qa.retrieval.translations import load as load_translations
from qa.scoring import SCORING, Scoring
from qa.store.chroma import Store
from qa.store.embeddings import E5Embeddings, QAEmbeddings
from qa.store.manifest import Manifest
from qa.store.second_encoder import DenseMix
from qa.text import english
from qa.text.language import detect_language
from qa.text.normalize import canonical_dates
from qa.text.words import words


class Index:
    """One active generation opened for querying: records and vectors in memory (the dense search
    is one matrix product over the whole index), the vocabulary in Chroma. Opening it writes
    nothing. Thread-safe: after it is opened only the answerer's evidence rows are added, under a lock."""

    def __init__(self, store: Store, manifest: Manifest, embeddings: QAEmbeddings,
                 second: E5Embeddings | None = None, scoring: Scoring = SCORING) -> None:
        settings = store.settings
        self.manifest = manifest
        self.embeddings = embeddings
        self.second = second  # the answerer's second opinion on sentence cosines (qa.store.second_encoder)
        self.weights = scoring.retrieval.only(settings.retrieval_signals)
        snap, name, folder = None, "", snapshot.folder(settings)
        if settings.reader_snapshot:
            name = snapshot.key(manifest.active, manifest.fingerprint, "|".join(map(str, (
                settings.where, settings.collection_prefix, manifest.chunks, manifest.sentences,
                self.weights.bm25_k1, second.model_id if second is not None else ""))))
            snap = snapshot.read(folder, name)
        if snap is not None:  # what the first reader of this generation computed (qa.retrieval.snapshot)
            state, vectors = snap.state, snap.vectors
            self.chunks, self.sentences = state["chunks"], state["sentences"]
            self._chunk_vectors, self._sentence_vectors = vectors["chunks"], vectors["sentences"]
            places, has_vocab, surface = state["places"], state["has_vocab"], state["surface"]
        else:
            corpus = load(store, manifest)
            self.chunks, self.sentences = corpus.chunks, corpus.sentences
            self._chunk_vectors, self._sentence_vectors = corpus.chunk_vectors, corpus.sentence_vectors
            places, has_vocab = corpus.places, corpus.has_vocab
            surface = frozenset(w for s in self.sentences for w in words(s.text))
        self._sentence_chunk = np.asarray([s.chunk for s in self.sentences], dtype=np.int64)
        section_of: dict[tuple[str, int], int] = {}
        self._chunk_section = np.asarray(
            [section_of.setdefault((c.article_id, c.section_index), len(section_of)) for c in self.chunks],
            dtype=np.int64)
        self.n_sections = len(section_of)
        self._everything = segments.View.everything(self._chunk_section, self._sentence_chunk,
                                                    self.n_sections)
        # a large index ranks the sections of its candidates only (`_candidates`): rows stored in
        # order (as `load` stores them) make each section's chunks and each chunk's sentences a run
        large = len(self.chunks) > settings.large_index_chunks
        ordered = self._everything.sentence_runs.ordered and self._everything.chunk_runs.ordered
        self._candidates_above = settings.large_index_chunks if large and ordered else None
        if self._candidates_above is not None:
            self._chunk_collection = store.collection(manifest.active, "chunks")
            self._sentence_collection = store.collection(manifest.active, "sentences")
            self._chunk_position = {c.id: n for n, c in enumerate(self.chunks)}
            self._sentence_position = {s.id: n for n, s in enumerate(self.sentences)}
            self._section_first_chunk = np.searchsorted(self._chunk_section,
                                                        np.arange(self.n_sections + 1))
            self._chunk_first_sentence = np.searchsorted(self._sentence_chunk,
                                                         np.arange(len(self.chunks) + 1))
        self._section_keys = list(section_of)  # section number -> (article id, section index)
        if snap is not None:
            self._section_vectors = snap.vectors["sections"]
        else:
            section_sum = np.zeros((self.n_sections, self._chunk_vectors.shape[1]), dtype=np.float32)
            np.add.at(section_sum, self._chunk_section, self._chunk_vectors)
            self._section_vectors = unit(section_sum)
        # the answerer's second opinion: use-m3's sentence vectors composed with the second encoder's,
        # each made when the answerer first rereads the sentence (qa.retrieval.evidence)
        self.mix = DenseMix(settings.second_encoder_weight, scoring.mix) if second is not None else None
        self.evidence = (Evidence(store, second, self.mix, self.sentences, self._sentence_vectors)
                         if second is not None and self.mix is not None else None)
        if snap is not None:
            state = snap.state
            self.lexical, self.titles, self.kinds = state["lexical"], state["titles"], state["kinds"]
        else:
            self.lexical = Lexical(self.chunks, self.sentences, self._chunk_section, self.n_sections,
                                   self.weights.bm25_k1)
            self.titles = Titles(self.chunks, self._section_keys)
            self.kinds = KindMasks(self.sentences, frozenset(t for toks in places.values() for t in toks))
        self.context = self.lexical.context
        self.translations = load_translations(store, manifest, self.chunks, self.sentences)
        if snap is None and name:
            # each sentence's text as a slice of its chunk's: the snapshot holds the text once
            sentences = tuple(s.within(self.chunks[s.chunk].text, self.chunks[s.chunk].start)
                              for s in self.sentences)
            snapshot.write(folder, name, {
                "chunks": self.chunks, "sentences": sentences, "places": places, "has_vocab": has_vocab,
                "surface": surface, "lexical": self.lexical, "titles": self.titles, "kinds": self.kinds,
            }, {"chunks": self._chunk_vectors, "sentences": self._sentence_vectors,
                "sections": self._section_vectors})
        bridge = self.weights.bridge and has_vocab
        self.vocabulary = Vocabulary(
            self.lexical.idf, self.lexical.unseen_idf,
            store.collection(manifest.active, "vocab") if bridge else None,  # chromadb: see Vocabulary.store
            places, embeddings.embed_array, settings.where, settings.word_dictionary,
            surface=surface, weights=scoring.bridge)

    def __len__(self) -> int:
        return len(self.chunks)

    # -- what qa.question.query asks of an index ---------------------------------------------
    def read_terms(self, text: str, content: str, part: str | None) -> tuple[list[Term], np.ndarray | None]:
        """A text's terms, and its vector when the word bridge embedded it (qa.retrieval.terms)."""
        return self.vocabulary.read_terms(text, content, part)

    def part_term(self, part: str) -> Term:
        """The term every sentence of a part of the article holds (qa.retrieval.terms)."""
        return self.vocabulary.part_term(part)

    # -- vectors ----------------------------------------------------------------------------
    def holds(self, kind: str, sentence: int) -> bool:
        """Whether a sentence (by position) holds the kind of answer `kind` asks for (qa.retrieval.kinds)."""
        return self.kinds.holds(kind, sentence)

    def embed(self, reading: Reading) -> np.ndarray:
        """A text's use-m3 vector: the one its terms were read with, or embedded now."""
        if reading.vector is not None:
            return np.asarray(reading.vector, dtype=np.float32)
        return np.asarray(self.embeddings.embed_query(canonical_dates(reading.text)), dtype=np.float32)

    def evidence_vector(self, reading: Reading) -> np.ndarray:
        """The text's vector against the evidence vectors: use-m3's, composed with the second
        encoder's when there is one (qa.store.second_encoder)."""
        if self.second is None or self.mix is None:
            return self.embed(reading)
        second = self.second.embed_array([canonical_dates(reading.text)], query=True)[0]
        return self.mix.question(second, self.embed(reading), detect_language(reading.text))

    def cosines(self, reading: Reading, sentences: list[int], *, second: bool = False) -> dict[int, float]:
        """Cosine of a text to each of the given sentences (by position): use-m3's, or with `second`
        use-m3's mixed with the second encoder's when there is one."""
        if not sentences:
            return {}
        positions = np.asarray(sentences, dtype=np.int64)
        if second and self.evidence is not None:
            values = self.evidence.rows(positions) @ self.evidence_vector(reading)
        else:
            values = self._sentence_vectors[positions] @ self.embed(reading)
        return {s: float(v) for s, v in zip(sentences, values, strict=True)}

    def with_evidence(self, reading: Reading, hits: list[Hit]) -> list[Hit]:
        """The hits with their sentences' cosines mixed with the second encoder's (`cosines`)."""
        cos = self.cosines(reading, [s for h in hits for s in self.chunks[h.chunk].sentences], second=True)
        return [replace(h, sentence_cos={s: cos[s] for s in self.chunks[h.chunk].sentences}) for h in hits]

    # -- search -----------------------------------------------------------------------------
    def find(self, query: Query, k: int) -> list[Hit]:
        """Hits for the whole question; for a compound one ("How did X react, and what did he
        stress?") each part's best section leads, in the parts' order, then the rest by score."""
        hits = self.search(query.search, k, query.language)
        if not query.search_parts:
            return hits
        leads: list[Hit] = []
        for part in query.search_parts:
            best = next(
                (h for h in self.search(part, k, query.language) if h.chunk not in {x.chunk for x in leads}),
                None,
            )
            if best is None:
                continue
            # keep the whole question's view of that chunk when it has one (its scores fit the question)
            leads.append(next((h for h in hits if h.chunk == best.chunk), best))
        taken = {h.chunk for h in leads}
        return (leads + [h for h in hits if h.chunk not in taken])[:max(k, len(leads))]

    def search(self, reading: Reading, k: int, language: str | None = None) -> list[Hit]:
        """The k best chunks for one text of a question, best first. A question in a `language` the
        index has a translation in is matched against the translation too (`_translated`). A large
        index ranks only the sections of its candidates (`_candidates`); a small one, every section."""
        w = self.weights
        dense = w.sentence > 0 or w.chunk > 0 or w.section > 0
        vector = self.embed(reading) if dense else None
        # the lexical signals, over the whole index: postings and sparse matrices, cheap at any size
        chunk_lex, section_lex = np.zeros(len(self.chunks), np.float32), np.zeros(self.n_sections, np.float32)
        w_bm25 = 0.0
        per_sentence = np.zeros(len(self.sentences), np.float32)  # coverage and answer kind
        if w.bm25 > 0 or w.coverage > 0:
            terms = reading.terms
            own = trust(terms) * min(1.0, self.lexical.matched_share(terms) / w.matched_full)
            w_bm25, w_cov = w.bm25 * (1 + own), w.coverage * own
            if w_bm25 > 0:
                chunk_lex, section_lex = self.lexical.bm25_shares(terms)
            if w_cov > 0:
                per_sentence += w_cov * self.lexical.sentence_coverage(terms)
        for kind in (reading.kinds - w.answer_only_kinds) if w.kind > 0 else ():
            per_sentence += w.kind * self.kinds.mask(kind)
        translated = self.translations.get(language or "") if w.translated_sentence > 0 else None
        section_translated = np.zeros(self.n_sections, np.float32)
        translated_cos = translated_cover = np.zeros(0, np.float32)
        if translated is not None:
            translated_cos, translated_cover, section_translated = self._translated(
                translated, reading, vector if vector is not None else self.embed(reading)
            )
            per_sentence += w.translated_sentence * np.maximum(translated_cos, 0.0)
            per_sentence += w.translated_coverage * translated_cover
        titles = w.title * self.titles.shares(reading.terms) if w.title > 0 else None
        view = self._everything
        if self._candidates_above is not None and vector is not None:
            view = self._candidates(vector, chunk_lex, section_lex + section_translated
                                    + (titles if titles is not None else 0.0), per_sentence)
        # the dense signals, over the view's rows only
        if vector is not None:
            chunk_cos = self._chunk_vectors[view.chunks] @ vector
            sentence_cos = self._sentence_vectors[view.sentences] @ vector
            section_cos = self._section_vectors[view.sections] @ vector
        else:
            chunk_cos = np.zeros(view.n_chunks, np.float32)
            sentence_cos = np.zeros(view.n_sentences, np.float32)
            section_cos = np.zeros(view.n_sections, np.float32)
        best_sentence = view.sentence_runs.maximum(sentence_cos, -1.0)
        best_sentence = np.where(best_sentence < -0.5, chunk_cos, best_sentence)  # a chunk without sentences
        chunk_lex, section_lex = chunk_lex[view.chunks], section_lex[view.sections]
        chunk_extra = view.sentence_runs.maximum(per_sentence[view.sentences], 0.0)
        local = w.sentence * best_sentence + w.chunk * chunk_cos + w_bm25 * chunk_lex + chunk_extra
        runs = view.chunk_runs
        section = (w.sentence * runs.maximum(best_sentence, -1.0) + w.chunk * runs.maximum(chunk_cos, -1.0)
                   + w.section * section_cos + w_bm25 * section_lex + runs.maximum(chunk_extra, 0.0)
                   + section_translated[view.sections])
        if titles is not None:
            section = section + titles[view.sections]
        score = section[view.chunk_section] + w.local * local
        top = segments.top(score, max(1, k))
        hits = []
        for n in (int(i) for i in top):
            c = view.chunk(n)
            sentences = self.chunks[c].sentences
            rows = view.sentence_rows(n, sentences)
            hits.append(
                Hit(
                    c,
                    float(score[n]),
                    float(chunk_cos[n]),
                    float(best_sentence[n]),
                    float(chunk_lex[n]),
                    {s: float(sentence_cos[row]) for s, row in zip(sentences, rows, strict=True)},
                    float(section[view.chunk_section[n]]),
                    {s: float(translated_cos[s]) for s in sentences if translated_cos.size},
                    {s: float(translated_cover[s]) for s in sentences if translated_cover.size},
                )
            )
        return hits

    def _candidates(self, vector: np.ndarray, chunk_lex: np.ndarray, section_extra: np.ndarray,
                    per_sentence: np.ndarray) -> segments.View:
        """The sections worth ranking in a large index: those of the chunks and sentences nearest
        the question in Chroma's HNSW index, and those of the best chunks, sections and sentences by
        the lexical signals (and title words, and a translation's). A section's score depends only
        on its own chunks and sentences, so the ranking of these is the whole index's whenever the
        best sections are among them."""
        n = self.weights.candidates
        near = [self._chunk_position[i]
                for i in self._nearest(self._chunk_collection, vector, min(n, len(self.chunks)))]
        near += [self.sentences[self._sentence_position[i]].chunk
                 for i in self._nearest(self._sentence_collection, vector, min(n, len(self.sentences)))]
        chunks = np.concatenate([np.asarray(near, dtype=np.int64), segments.best_few(chunk_lex, n),
                                 self._sentence_chunk[segments.best_few(per_sentence, n)]])
        sections = np.union1d(self._chunk_section[chunks], segments.best_few(section_extra, n))
        return segments.View.of(sections, self._section_first_chunk, self._chunk_first_sentence)

    @staticmethod
    def _nearest(collection: Any, vector: np.ndarray, n: int) -> list[str]:
        found = collection.query(query_embeddings=[vector.tolist()], n_results=n, include=[])
        return list(found["ids"][0]) if found.get("ids") else []

    def _translated(self, translated: Translated, reading: Reading, vector: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A question matched against a translation: each original sentence's cosine to its
        translation and the translation's share of the question's words (0 without one), and what
        the words each section's translation holds add to the section's score."""
        w = self.weights
        group_cos, group_cover, shares = translated.signals(
            vector, english.tokens(reading.content or reading.text)
        )
        has = translated.group_of >= 0
        where = np.maximum(translated.group_of, 0)
        cos = np.where(has, group_cos[where] if group_cos.size else 0.0, 0.0).astype(np.float32)
        cover = np.where(has, group_cover[where] if group_cover.size else 0.0, 0.0).astype(np.float32)
        section = np.asarray(
            [
                sum(v for word, v in shares.items() if word in translated.section_postings.get(key, ()))
                for key in self._section_keys
            ],
            dtype=np.float32,
        )
        return cos, cover, w.translated_section * section

    def translated_match(self, reading: Reading, language: str, sentences: list[int]
                         ) -> tuple[dict[int, float], dict[int, float]]:
        """For some sentences (by position): their translation's cosine to a text of a question and its
        share of the text's words, when the index has a translation in the question's `language`."""
        translated = self.translations.get(language)
        if translated is None or not sentences or self.weights.translated_sentence <= 0:
            return {}, {}
        cos, cover, _ = self._translated(translated, reading, self.embed(reading))
        return {s: float(cos[s]) for s in sentences}, {s: float(cover[s]) for s in sentences}

    def passage(self, hit: Hit) -> Passage:
        chunk = self.chunks[hit.chunk]
        return Passage(
            article=chunk.article,
            section=chunk.section,
            text=chunk.text,
            score=round(hit.score, 6),
            chunk_id=chunk.id,
            article_id=chunk.article_id,
            section_index=chunk.section_index,
            start=chunk.start,
            end=chunk.end,
        )
