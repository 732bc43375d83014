"""The embedding cache of an embedded index: one SQLite file beside Chroma's, `embedding-cache.sqlite3`.

Vectors are looked up by (model, SHA-256 of the text) and never searched, so they stay out of
Chroma: a Chroma collection builds an HNSW graph of every vector it holds, which cost 2.3 s of
XQuAD's 17 s ingest for a graph nothing reads (eval/EXPERIMENTS.md). SQLite (the standard
library's) is safe for several processes at once, so a reader may add the vectors it embeds when
first needed (the answerer's second encoder, qa.retrieval.evidence) while another process ingests.
Server mode keeps its cache in the server (qa.store.chroma), where every process can reach it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

FILE = "embedding-cache.sqlite3"
_LOOKUP = 500  # keys per SELECT (well under SQLite's bound-parameter limit)


class SqliteVectorCache:
    """Float32 vectors by model and text hash in one SQLite file. A connection per call: cheap
    (about 0.1 ms), and safe from any thread."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            connection.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
            connection.execute("PRAGMA synchronous=NORMAL")  # a lost vector is embedded again, no harm
            connection.execute(
                "CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, hash TEXT NOT NULL, "
                "vector BLOB NOT NULL, PRIMARY KEY (model, hash)) WITHOUT ROWID"
            )
            with connection:
                yield connection
        finally:
            connection.close()

    def get(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """The vectors of `model` the cache holds for these text hashes (reading creates nothing)."""
        if not self.path.is_file():
            return {}
        keys = list(dict.fromkeys(hashes))
        found: dict[str, np.ndarray] = {}
        with self._connect() as connection:
            for i in range(0, len(keys), _LOOKUP):
                part = keys[i : i + _LOOKUP]
                marks = ",".join("?" * len(part))
                rows = connection.execute(
                    f"SELECT hash, vector FROM vectors WHERE model = ? AND hash IN ({marks})", [model, *part]
                )
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        """Add (or replace) vectors of `model`, in one transaction."""
        if not vectors:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.executemany(
                "INSERT OR REPLACE INTO vectors (model, hash, vector) VALUES (?, ?, ?)",
                ((model, key, np.asarray(v, dtype=np.float32).tobytes()) for key, v in vectors.items()),
            )

    def count(self, model: str) -> int:
        if not self.path.is_file():
            return 0
        with self._connect() as connection:
            row = connection.execute("SELECT COUNT(*) FROM vectors WHERE model = ?", [model]).fetchone()
            return int(row[0])
