"""The embedding cache: vectors keyed by the SHA-256 of their text and the model, kept in the store
(qa.store.chroma), so known text is never embedded twice, across re-ingests and rebuilds."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import numpy as np

from qa.store.chroma import Store, store_failure

Progress = Callable[[str], None]


@runtime_checkable
class Counts(Protocol):
    """A progress callback that can also show counts (the CLI's progress bar, qa.console): given one,
    embedding reports each batch as `count(done, total, what)` instead of a line."""

    def __call__(self, message: str) -> None: ...

    def count(self, done: int, total: int, what: str) -> None: ...


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def embed_with_cache(store: Store, embeddings: Any, texts: list[str], batch: int, say: Progress, *,
                     write: bool = True, best_effort: bool = False) -> tuple[np.ndarray, int, int]:
    """Vectors for `texts` (rows in order), embedding only those the store's cache for this model
    lacks, `batch` texts a call; returns them with the counts embedded and reused. With
    `write=False` the new vectors are not saved. With `best_effort` (a reader answering) a cache
    that cannot be read or written (permissions, a full disk) is passed over: the vectors still serve."""
    hashes = [text_hash(t) for t in texts]
    known = _tolerated(lambda: store.cached_vectors(embeddings.model_id, hashes), best_effort) or {}
    missing = list(dict.fromkeys(h for h in hashes if h not in known))
    text_of = dict(zip(hashes, texts, strict=True))
    fresh: dict[str, np.ndarray] = {}
    what = f"embedding ({embeddings.model_id})"
    counts = say if isinstance(say, Counts) else None
    if counts is not None and missing:
        counts.count(0, len(missing), what)
    for i in range(0, len(missing), batch):
        part = missing[i : i + batch]
        for key, vector in zip(part, embeddings.embed_array([text_of[h] for h in part]), strict=True):
            fresh[key] = vector
        done = min(i + batch, len(missing))
        if counts is not None:
            counts.count(done, len(missing), what)
        elif len(missing) > batch:
            say(f"embedded {done}/{len(missing)} texts")
    if fresh and write:
        say(f"saving {len(fresh)} new vectors to the embedding cache")
        _tolerated(lambda: store.cache_vectors(embeddings.model_id, fresh), best_effort)
    known.update(fresh)
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), 0, 0
    return np.stack([known[h] for h in hashes]), len(fresh), len(texts) - len(fresh)


def _tolerated(call: Callable[[], Any], best_effort: bool) -> Any:
    """`call()`; with `best_effort`, None instead of a failure of the cache's storage."""
    try:
        return call()
    except Exception as err:
        if best_effort and (store_failure(err) or isinstance(err, OSError)):
            return None
        raise
