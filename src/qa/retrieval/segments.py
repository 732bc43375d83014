"""Whole-index reductions that stay fast at 100k records, with exactly the results of the obvious
numpy code: an index stores its sentences chunk by chunk and its chunks section by section, so
"the best value of each chunk's sentences" is a `maximum.reduceat` over contiguous runs (numpy's
`maximum.at`, which takes any order, was 10x slower at 100k), and the k best of a score are a
partition and a sort of the few that can be among them (a full stable `argsort` was 9 ms a query).
"""

from __future__ import annotations

import numpy as np


class Runs:
    """Which group each item belongs to (`group_of`, non-decreasing), for taking a per-group
    maximum of per-item values. Groups with no item get the floor."""

    def __init__(self, group_of: np.ndarray, n_groups: int) -> None:
        group_of = np.asarray(group_of, dtype=np.int64)
        self.n_groups = n_groups
        self.ordered = bool(np.all(group_of[1:] >= group_of[:-1])) if group_of.size else True
        self._group_of = group_of
        if self.ordered and group_of.size:
            self._starts = np.flatnonzero(np.r_[True, group_of[1:] != group_of[:-1]])
            self._groups = group_of[self._starts]  # the group of each run, each once
        else:
            self._starts = self._groups = np.zeros(0, dtype=np.int64)

    def maximum(self, values: np.ndarray, floor: float) -> np.ndarray:
        """Per group, the larger of `floor` and its items' largest value."""
        out = np.full(self.n_groups, floor, dtype=np.float32)
        if not self._group_of.size:
            return out
        if not self.ordered:  # not stored in order: the general (slower) way
            np.maximum.at(out, self._group_of, values)
            return out
        out[self._groups] = np.maximum(np.maximum.reduceat(values, self._starts), np.float32(floor))
        return out


def top(score: np.ndarray, k: int) -> np.ndarray:
    """The positions of the k largest scores, best first, ties in position order: the same as
    `np.argsort(-score, kind="stable")[:k]`."""
    n = score.shape[0]
    if k >= n:
        return np.argsort(-score, kind="stable")
    cut = np.partition(score, n - k)[n - k]  # the k-th largest value
    candidates = np.flatnonzero(score >= cut)  # every tie at the cut too, in position order
    return candidates[np.argsort(-score[candidates], kind="stable")][:k]


def best_few(score: np.ndarray, n: int) -> np.ndarray:
    """Positions of up to n of the largest positive scores, in no order (candidates, where ties at
    the cut need no order: `top` would sort every tie, all the zeros of a sparse signal)."""
    if score.shape[0] > n:
        score_n = np.argpartition(-score, n)[:n]
        return score_n[score[score_n] > 0]
    return np.flatnonzero(score > 0)


class View:
    """The rows of an index that one search ranks: every row (`everything`), or the sections a
    large index's candidates fall in with all their chunks and sentences (`of`). Rows are kept in
    index order, so the per-chunk and per-section maxima are runs here too. `chunks`, `sentences`
    and `sections` select an index's arrays (a slice for everything, so nothing is copied)."""

    def __init__(self, chunks: slice | np.ndarray, sentences: slice | np.ndarray,
                 sections: slice | np.ndarray, chunk_section: np.ndarray, sentence_chunk: np.ndarray,
                 n_sections: int, chunk_ids: np.ndarray | None, first_sentence: np.ndarray | None) -> None:
        self.chunks, self.sentences, self.sections = chunks, sentences, sections
        self.chunk_section = chunk_section  # local chunk -> local section
        self.n_chunks, self.n_sentences, self.n_sections = len(chunk_section), len(sentence_chunk), n_sections
        self.sentence_runs = Runs(sentence_chunk, self.n_chunks)
        self.chunk_runs = Runs(chunk_section, n_sections)
        self._chunk_ids = chunk_ids
        self._first_sentence = first_sentence  # local chunk -> its first sentence's local row

    @classmethod
    def everything(cls, chunk_section: np.ndarray, sentence_chunk: np.ndarray, n_sections: int) -> View:
        return cls(slice(None), slice(None), slice(None), chunk_section, sentence_chunk, n_sections,
                   None, None)

    @classmethod
    def of(cls, sections: np.ndarray, section_first_chunk: np.ndarray,
           chunk_first_sentence: np.ndarray) -> View:
        """The given sections (index numbers, ascending) with their chunks and sentences;
        `section_first_chunk[s]` is section s's first chunk (one more entry at the end), and
        `chunk_first_sentence` likewise for chunks' sentences."""
        chunks, chunk_section = _ranges(section_first_chunk[sections], section_first_chunk[sections + 1])
        sentences, sentence_chunk = _ranges(chunk_first_sentence[chunks], chunk_first_sentence[chunks + 1])
        first = np.searchsorted(sentence_chunk, np.arange(len(chunks)))
        return cls(chunks, sentences, sections, chunk_section, sentence_chunk, len(sections), chunks, first)

    def chunk(self, local: int) -> int:
        """The index's chunk number of this view's chunk `local`."""
        return local if self._chunk_ids is None else int(self._chunk_ids[local])

    def sentence_rows(self, local: int, sentences: tuple[int, ...]) -> list[int]:
        """This view's rows of the sentences (index numbers) of its chunk `local`."""
        if self._first_sentence is None:
            return list(sentences)
        first = int(self._first_sentence[local])
        return list(range(first, first + len(sentences)))


def _ranges(starts: np.ndarray, stops: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the ranges [start, stop), concatenated, and each position's range number."""
    counts = (stops - starts).astype(np.int64)
    owner = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    offsets = np.cumsum(counts) - counts  # where each range begins in the output
    positions = np.arange(int(counts.sum()), dtype=np.int64) - offsets[owner] + starts[owner]
    return positions, owner
