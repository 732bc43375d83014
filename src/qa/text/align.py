"""Sentence alignment of an article section and its translation: which translated sentences say what
each original sentence says, in order.

A monotonic dynamic programme over beads (original sentences, translated sentences) of the shapes
1-1, 1-2, 2-1 and 1-0, scoring each bead by the multilingual encoder's cosine between the bead's two
sides (each side embedded as one text, as Vecalign and Bertalign do) and a prior on their length
ratio. A translated sentence that matches nothing (0-1) is allowed only at a high cost, so that a
path always exists, and is joined to the bead before it.

Hand-written: the maintained aligners (Bertalign, Vecalign) download their encoders (LaBSE) at run
time or are not on PyPI; this one takes any encoder's vectors, offline.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from qa.scoring import SCORING, Alignment

Bead = tuple[tuple[int, ...], tuple[int, ...]]  # (original sentence indexes, translated sentence indexes)
SHAPES = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1))


def align(source: Sequence[str], target: Sequence[str], embed: Callable[[list[str]], np.ndarray],
          weights: Alignment = SCORING.alignment) -> list[Bead]:
    """The beads that align `source` with `target` sentences, in order; every sentence of both is in
    exactly one bead (a 0-1 bead is joined to the one before it, or the one after at the start)."""
    n, m = len(source), len(target)
    if not n:
        return []
    if not m:
        return [((i,), ()) for i in range(n)]
    # each sentence, and each pair of neighbours, embedded once
    src_texts = list(source) + [f"{source[i]} {source[i + 1]}" for i in range(n - 1)]
    tgt_texts = list(target) + [f"{target[j]} {target[j + 1]}" for j in range(m - 1)]
    vectors = np.asarray(embed(src_texts + tgt_texts), dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    src_vec, tgt_vec = vectors[: len(src_texts)], vectors[len(src_texts):]
    src_len = [len(t) for t in src_texts]
    tgt_len = [len(t) for t in tgt_texts]
    ratio = max(1.0, sum(src_len[:n])) / max(1.0, sum(tgt_len[:m]))

    def side(i: int, k: int, singles: int) -> int:
        return i if k == 1 else singles + i  # a pair starting at i

    def score(i: int, j: int, a: int, b: int) -> float:
        if a == 0:
            return weights.insert
        if b == 0:
            return weights.skip
        s, t = side(i, a, n), side(j, b, m)
        cos = float(src_vec[s] @ tgt_vec[t])
        prior = abs(math.log(max(1, src_len[s]) / (ratio * max(1, tgt_len[t]))))
        return cos - weights.length * prior - (weights.merge if a + b > 2 else 0.0)

    best = np.full((n + 1, m + 1), -np.inf)
    back = np.zeros((n + 1, m + 1, 2), dtype=np.int64)
    best[0, 0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if best[i, j] == -np.inf:
                continue
            for a, b in SHAPES:
                if i + a > n or j + b > m:
                    continue
                value = best[i, j] + score(i, j, a, b)
                if value > best[i + a, j + b]:
                    best[i + a, j + b] = value
                    back[i + a, j + b] = (a, b)
    beads: list[Bead] = []
    i, j = n, m
    while i or j:
        a, b = (int(x) for x in back[i, j])
        beads.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    beads.reverse()
    return _join_inserts(beads)


def _join_inserts(beads: list[Bead]) -> list[Bead]:
    out: list[Bead] = []
    pending: tuple[int, ...] = ()
    for src, tgt in beads:
        if not src:
            if out:
                out[-1] = (out[-1][0], out[-1][1] + tgt)
            else:
                pending += tgt
            continue
        out.append((src, pending + tgt))
        pending = ()
    return out
