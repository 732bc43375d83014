"""Lexical matching over an opened index: BM25 (bm25s) over chunks and over whole sections, idf, and
a token -> sentences index for each sentence's coverage of the question's terms.

A heading is context for each sentence under it, and so is the section's place in its article: the
first section's sentences hold the `start` part token, the last section's the `end` one
(qa.question.article_part), so "the conclusion" matches every sentence of the last section.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Sequence

import numpy as np

from qa.question.article_part import part_tokens
from qa.question.query import Term
from qa.retrieval.records import ChunkRecord, SentenceRecord
from qa.text.words import tokens


def idf_of(corpus: list[list[str]]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for toks in corpus:
        df.update(set(toks))
    n_docs = len(corpus)
    return {t: math.log(1 + (n_docs - d + 0.5) / (d + 0.5)) for t, d in df.items()}


class Lexical:
    """BM25 shares, idf and sentence coverage of one index. `chunk_section[c]` is chunk c's section
    number, `n_sections` how many sections there are."""

    def __init__(self, chunks: Sequence[ChunkRecord], sentences: Sequence[SentenceRecord],
                 chunk_section: np.ndarray, n_sections: int, k1: float) -> None:
        import bm25s

        corpus = [tokens(f"{c.section} {c.text}") for c in chunks]
        section_corpus: list[list[str]] = [[] for _ in range(n_sections)]
        for c, toks in enumerate(corpus):
            section_corpus[chunk_section[c]].extend(toks)
        self._bm25 = bm25s.BM25(k1=k1)
        self._bm25.index([toks or ["\x00"] for toks in corpus], show_progress=False)
        self._section_bm25 = bm25s.BM25(k1=k1)
        self._section_bm25.index([toks or ["\x00"] for toks in section_corpus], show_progress=False)
        self.idf = idf_of(corpus)
        self._section_idf = idf_of(section_corpus)
        self.unseen_idf = math.log(1 + (len(corpus) + 0.5) / 0.5)
        self.n_chunks, self.n_sections, self.n_sentences = len(chunks), n_sections, len(sentences)
        last = {
            c.article_id: c.section_index
            for c in sorted(chunks, key=lambda c: (c.article_id, c.section_index))
        }
        marks = part_tokens()
        self.context = [tuple(map(sys.intern, tokens(c.section)))
                        + ((marks["start"],) if c.section_index == 0 else ())
                        + ((marks["end"],) if c.section_index == last[c.article_id] else ())
                        for c in chunks]
        postings: dict[str, list[int]] = {}
        for n, sentence in enumerate(sentences):
            for tok in set(sentence.tokens) | set(self.context[sentence.chunk]):
                postings.setdefault(tok, []).append(n)
        # token -> (start, stop) in one array of sentence numbers: a dict of 100k small arrays cost
        # more in object headers than in data
        self._posting_span: dict[str, tuple[int, int]] = {}
        at = 0
        for tok, ids in postings.items():
            self._posting_span[tok] = (at, at + len(ids))
            at += len(ids)
        self._postings = np.fromiter((n for ids in postings.values() for n in ids), dtype=np.int32, count=at)

    def bm25_shares(self, terms: Sequence[Term]) -> tuple[np.ndarray, np.ndarray]:
        """BM25 of every chunk and every section over the best score the terms could reach."""
        toks = [t for term in terms for t in term.tokens if t in self.idf]
        if not toks:
            return np.zeros(self.n_chunks, np.float32), np.zeros(self.n_sections, np.float32)
        # bm25s scores like Lucene: idf * tf / (tf + k1 * length norm), which tends to idf
        chunk_best = sum(max((self.idf.get(t, 0.0) for t in term.tokens), default=0.0) for term in terms)
        section_best = sum(max((self._section_idf.get(t, 0.0) for t in term.tokens), default=0.0)
                           for term in terms)
        chunk = np.asarray(self._bm25.get_scores(toks), dtype=np.float32)
        section = np.asarray(self._section_bm25.get_scores(toks), dtype=np.float32)
        return chunk / max(chunk_best, 1e-9), section / max(section_best, 1e-9)

    def matched_share(self, terms: Sequence[Term]) -> float:
        """The share of the question's term weight that is in the article at all: a paraphrased
        question ("رئيس الدبلوماسية" for وزير الخارجية) leaves exact matching little to go on."""
        total = sum(t.weight for t in terms)
        if total <= 0:
            return 0.0
        return sum(t.weight for t in terms if any(tok in self._posting_span for tok in t.tokens)) / total

    def sentence_coverage(self, terms: Sequence[Term]) -> np.ndarray:
        """Each sentence's share of the question's term weight (a translated word counts by its
        confidence), from a token -> sentences index: the work is the postings of the terms."""
        out = np.zeros(self.n_sentences, dtype=np.float32)
        total = sum(t.weight for t in terms)
        if total <= 0:
            return out
        for term in terms:
            lists = [self._sentences_with(t) for t in term.tokens if t in self._posting_span]
            if lists:
                out[np.unique(np.concatenate(lists))] += term.weight * term.confidence
        return out / total

    def _sentences_with(self, token: str) -> np.ndarray:
        start, stop = self._posting_span[token]
        return self._postings[start:stop]
