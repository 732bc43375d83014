"""Which article a question names by its title. With several articles in one index, a question
that names its subject ("Where was Jamal Khashoggi born?") should be answered from the article
about it before one that merely shares common words. Each question term found in an article's
title counts by its idf over articles (a word in every article's text names none of them); an
article's share is the weight its title holds over all the question's term weight. The share is
the same for every section of an article, so it moves articles, not sections within one, and a
one-article index is not affected at all.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from qa.question.query import Term
from qa.retrieval.records import ChunkRecord
from qa.text.words import tokens


class Titles:
    """The title words of an index's articles; `section_keys` are (article id, section index) in
    the index's section order."""

    def __init__(self, chunks: Sequence[ChunkRecord], section_keys: Sequence[tuple[str, int]]) -> None:
        articles = list(dict.fromkeys(c.article_id for c in chunks))
        number = {a: n for n, a in enumerate(articles)}
        title = {c.article_id: c.article for c in chunks}
        self.n_articles = len(articles)
        self._titles = [frozenset(tokens(title[a])) for a in articles]
        held: list[set[str]] = [set() for _ in articles]
        for c in chunks:
            held[number[c.article_id]].update(tokens(c.text))
        for n, words in enumerate(self._titles):
            held[n].update(words)
        df: dict[str, int] = {}
        for found in held:
            for word in found:
                df[word] = df.get(word, 0) + 1
        self._idf = {w: math.log(1 + (self.n_articles - d + 0.5) / (d + 0.5)) for w, d in df.items()}
        self._unseen = math.log(1 + (self.n_articles + 0.5) / 0.5)
        self._section_article = np.asarray([number[a] for a, _ in section_keys], dtype=np.int64)
        having: dict[str, list[int]] = {}  # a title word -> the articles whose title holds it
        for n, words in enumerate(self._titles):
            for word in words:
                having.setdefault(word, []).append(n)
        self._having = {word: np.asarray(found, dtype=np.int64) for word, found in having.items()}

    def shares(self, terms: Sequence[Term]) -> np.ndarray:
        """Per section: the share of the question's term weight (idf over articles) that its
        article's title holds; zeros for an index of one article."""
        if self.n_articles < 2 or not terms:
            return np.zeros(len(self._section_article), np.float32)
        weights = [max((self._idf.get(t, self._unseen) for t in term.tokens), default=0.0) for term in terms]
        total = sum(weights)
        if total <= 0:
            return np.zeros(len(self._section_article), np.float32)
        per_article = np.zeros(self.n_articles, np.float32)
        for term, weight in zip(terms, weights, strict=True):
            lists = [self._having[t] for t in term.tokens if t in self._having]
            if lists:  # each article whose title holds one of the term's tokens, once
                per_article[np.unique(np.concatenate(lists))] += weight * term.confidence
        return (per_article / total)[self._section_article]
