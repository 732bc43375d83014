"""The Chroma side: one client (embedded or server), a manifest, generations of collections, and an
embedding cache.

Layout, for collection prefix P:
- `P-manifest`: its collection metadata names the active generation, the embedding model, and a
  fingerprint of what was indexed. Switching it is one metadata write, so readers see either the
  old index or the new one, never half of one.
- `P-<gen>-chunks` and `P-<gen>-sentences`: one generation of the index (cosine space).
- the embedding cache: vectors keyed by the model and the SHA-256 of the text, so known text is
  never embedded twice, across re-ingests and rebuilds. Embedded, it is a SQLite file beside
  Chroma's (qa.store.sqlite_cache); in server mode, the collection `P-cache-<model hash>`. An
  embedded index made before keeps its cache in such collections: `migrate_cache` moves it.

Crash safety: a generation is written under a new name and only then named in the manifest, after
its record counts are checked. Generations that are neither active nor the one before are dropped
when the next generation is activated: the one retired by that switch at once, staging ones left by
a crash once they are STAGING_GRACE_SECONDS old (a younger one may be another process's ingest in
progress), and all of them on `qa ingest --rebuild`.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from qa.errors import ConfigError, IndexUnavailableError, ModelMismatchError
from qa.settings import Settings
from qa.store.manifest import Manifest, generation_time
from qa.store.sqlite_cache import SqliteVectorCache

COSINE = {"hnsw": {"space": "cosine"}}
KINDS = ("chunks", "sentences", "vocab", "translations")
STAGING_GRACE_SECONDS = 600


def make_client(settings: Settings) -> Any:
    """A chromadb client: HttpClient when `chroma_url` is set, else a PersistentClient."""
    import chromadb

    chroma_settings = chromadb.Settings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ConfigError(
                f"QA_CHROMA_URL={settings.chroma_url!r} is not a URL: use http://HOST:PORT"
            )
        try:
            client = chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as err:  # chromadb raises several kinds for a dead server
            raise IndexUnavailableError(
                f"no Chroma server answers at {settings.chroma_url} ({type(err).__name__}): "
                "start one with `chroma run --path DIR --host 127.0.0.1 --port PORT` or unset QA_CHROMA_URL"
            ) from err
        return client
    try:
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
    except Exception as err:
        _forget_failed_client(str(settings.index_dir))
        raise IndexUnavailableError(
            f"cannot open the index at {settings.index_dir} ({type(err).__name__}: {err}): "
            "run `qa ingest --rebuild`, or point QA_INDEX_DIR at another folder"
        ) from err


def _forget_failed_client(path: str) -> None:
    """chromadb caches one System per path and keeps it even when it failed to start, so every
    later client for that path (after `qa ingest --rebuild` fixed it, say) would fail too. Drop a
    cached System that no client holds."""
    with contextlib.suppress(Exception):  # private API: at worst the path stays unusable here
        from chromadb.api.shared_system_client import SharedSystemClient

        if path not in SharedSystemClient._identifier_to_refcount:
            SharedSystemClient._identifier_to_system.pop(path, None)


READ_PAGE = 5000  # records per get() when reading a whole collection (see PagedCollection)


class PagedCollection:
    """A chromadb Collection whose `get()` of everything reads in pages of READ_PAGE records.

    Chroma's embedded backend binds one SQLite variable per record it returns with metadata, and
    SQLite refuses more than 32,766: a plain `get()` of a bigger collection fails with "too many
    SQL variables" (chromadb 1.5.9; chroma-core/chroma PR #7687). A generation is never written
    after it is activated, so the pages are consistent. Everything else passes through."""

    def __init__(self, collection: Any, page: int = READ_PAGE) -> None:
        self._collection = collection
        self._page = page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._collection, name)

    def get(self, ids: Any = None, where: Any = None, limit: int | None = None, offset: int | None = None,
            where_document: Any = None, include: Any = None, **kwargs: Any) -> Any:
        args = {k: v for k, v in {"ids": ids, "where": where, "where_document": where_document,
                                   "include": include, **kwargs}.items() if v is not None}
        if ids is not None or limit is not None or offset is not None:
            return self._collection.get(limit=limit, offset=offset, **args)
        pages: list[Any] = []
        while True:
            page = self._collection.get(limit=self._page, offset=len(pages) * self._page, **args)
            pages.append(page)
            if len(page["ids"]) < self._page:
                break
        return pages[0] if len(pages) == 1 else _merge(pages)


def _merge(pages: list[Any]) -> dict[str, Any]:
    """One get() result from several: lists are joined, arrays stacked, the rest kept."""
    out: dict[str, Any] = {}
    for key, first in pages[0].items():
        values = [page[key] for page in pages]
        if isinstance(first, np.ndarray):
            arrays = [v for v in values if v is not None and len(v)]
            out[key] = np.concatenate(arrays) if arrays else first
        elif isinstance(first, list) and key != "included":
            out[key] = [item for v in values if v for item in v]
        else:
            out[key] = first
    return out


class Store:
    """Reads and writes one qa index in Chroma. Thread-safe (chromadb clients are)."""

    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.settings = settings
        self.prefix = settings.collection_prefix
        self.client = client if client is not None else make_client(settings)
        self._lock = threading.Lock()
        self._file_cache = SqliteVectorCache(settings.index_dir) if settings.embedded else None

    # -- manifest ---------------------------------------------------------------------------
    def manifest(self) -> Manifest | None:
        """The active generation's manifest, None when nothing was indexed yet. A manifest that
        cannot be read is an IndexUnavailableError."""
        name = f"{self.prefix}-manifest"
        try:
            collection = self.client.get_collection(name)
        except Exception as err:
            if _not_found(err):
                return None  # no index yet
            raise IndexUnavailableError(
                f"cannot read the index at {self.settings.where} ({type(err).__name__}: {err}): "
                "run `qa ingest --rebuild`"
            ) from err
        try:
            return Manifest.from_metadata(collection.metadata)
        except ValueError as err:
            raise IndexUnavailableError(
                f"the index at {self.settings.where} is damaged (its manifest cannot be read: {err}): "
                "run `qa ingest --rebuild`"
            ) from err

    def check_model(self, manifest: Manifest, model: str) -> None:
        if manifest.model != model:
            raise ModelMismatchError(
                f"the index at {self.settings.where} was built with embedding model {manifest.model!r}; "
                f"you asked for {model!r}: run `qa ingest --rebuild` to rebuild it with {model!r}, "
                f"or set QA_EMBEDDING_MODEL={manifest.model.removeprefix('st:')}"
            )

    def activate(self, manifest: Manifest, *, rebuild: bool = False, vocab: int | None = None,
                 translations: int | None = None) -> None:
        """Point readers at a finished generation (after checking that it holds what the manifest
        says, and `vocab` words when given), then drop old generations; see the module
        docstring. `rebuild` drops every generation but the new one and the one before, whatever
        their age. Counting also makes embedded Chroma apply its write log to every collection
        now, while there is disk space, rather than at the first query."""
        expected_counts = [("chunks", manifest.chunks), ("sentences", manifest.sentences)]
        if vocab is not None:
            expected_counts.append(("vocab", vocab))
        if translations is not None:
            expected_counts.append(("translations", translations))
        for kind, expected in expected_counts:
            found = self.collection(manifest.active, kind).count()
            if found != expected:
                raise IndexUnavailableError(
                    f"generation {manifest.active} is incomplete ({found} of {expected} {kind}); "
                    "the index was not switched to it: run `qa ingest` again"
                )
        collection = self.client.get_or_create_collection(
            f"{self.prefix}-manifest", metadata={"active": ""}, embedding_function=None
        )
        before = dict(collection.metadata or {})
        previous = str(before.get("active") or "")
        retired = str(before.get("previous") or "")
        collection.modify(metadata={**manifest.to_metadata(), "previous": previous})
        keep = {manifest.active, previous} - {""}
        self.drop_generations(keep=keep, retired={retired} - keep,
                              grace=0 if rebuild else STAGING_GRACE_SECONDS)

    def drop_generations(self, keep: set[str], retired: set[str] | None = None,
                         grace: float = 0) -> None:
        """Delete generation collections not in `keep` that are `retired` or older than `grace`
        seconds (staging ones a crash left behind; younger ones may still be being written)."""
        now = time.time()
        for name in self._collection_names():
            parts = name.split("-")
            if not (name.startswith(f"{self.prefix}-g") and len(parts) >= 3 and parts[-1] in KINDS):
                continue
            generation = "-".join(parts[1:-1])
            if generation in keep:
                continue
            if generation not in (retired or set()) and now - generation_time(generation) < grace:
                continue
            with contextlib.suppress(Exception):  # another process got there first
                self.client.delete_collection(name)
        if self.settings.embedded:
            remove_orphan_segments(self.settings.index_dir)

    def _collection_names(self) -> list[str]:
        names = []
        for item in self.client.list_collections():
            names.append(item if isinstance(item, str) else item.name)
        return [n for n in names if n.startswith(f"{self.prefix}-")]

    # -- generations ------------------------------------------------------------------------
    def collection(self, generation: str, kind: str) -> Any:
        name = f"{self.prefix}-{generation}-{kind}"
        try:
            return PagedCollection(self.client.get_collection(name, embedding_function=None))
        except Exception as err:
            raise IndexUnavailableError(
                f"the index at {self.settings.where} is damaged (collection {name} is missing): "
                "run `qa ingest --rebuild`"
            ) from err

    def vectorstore(self, generation: str, kind: str, embeddings: Any) -> Any:
        """The LangChain vector store over one collection of a generation."""
        from langchain_chroma import Chroma

        self.collection(generation, kind)  # a clear error when it is missing
        return Chroma(
            client=self.client,
            collection_name=f"{self.prefix}-{generation}-{kind}",
            embedding_function=embeddings,
            create_collection_if_not_exists=False,
        )

    def new_generation(self, generation: str) -> dict[str, Any]:
        """Empty `chunks`, `sentences` and `vocab` collections for a generation being built."""
        return {
            kind: self.client.create_collection(
                f"{self.prefix}-{generation}-{kind}", configuration=COSINE, embedding_function=None
            )
            for kind in KINDS
        }

    def add(self, collection: Any, ids: Sequence[str], vectors: np.ndarray,
            documents: Sequence[str] | None, metadatas: Sequence[dict[str, Any]] | None = None) -> None:
        step = max(1, min(self.client.get_max_batch_size(), 4096))
        for i in range(0, len(ids), step):
            collection.add(
                ids=list(ids[i : i + step]),
                embeddings=vectors[i : i + step],
                documents=list(documents[i : i + step]) if documents is not None else None,
                metadatas=list(metadatas[i : i + step]) if metadatas else None,
            )

    # -- embedding cache --------------------------------------------------------------------
    def _cache_name(self, model: str) -> str:
        return f"{self.prefix}-cache-{hashlib.sha256(model.encode()).hexdigest()[:16]}"

    def _cache(self, model: str) -> Any:
        return self.client.get_or_create_collection(
            self._cache_name(model), configuration=COSINE, embedding_function=None,
            metadata={"model": model},
        )

    def cached_vectors(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors of `model` for the text hashes it has (reading creates nothing)."""
        if self._file_cache is not None:
            return self._file_cache.get(model, hashes)
        try:
            cache = self.client.get_collection(self._cache_name(model), embedding_function=None)
        except Exception as err:
            if _not_found(err):
                return {}
            raise
        found: dict[str, np.ndarray] = {}
        for part in _batches(list(dict.fromkeys(hashes)), 2000):
            got = cache.get(ids=part, include=["embeddings"])
            for key, vector in zip(got["ids"], got["embeddings"], strict=True):
                found[key] = np.asarray(vector, dtype=np.float32)
        return found

    def cache_vectors(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        if self._file_cache is not None:
            self._file_cache.put(model, vectors)
            return
        cache = self._cache(model)
        for part in _batches(list(vectors), 4096):
            cache.upsert(ids=part, embeddings=np.stack([vectors[k] for k in part]))

    def migrate_cache(self) -> int:
        """Move an embedded index's cache collections (`P-cache-*`, from before the SQLite file)
        into the file, then drop them; how many vectors moved. Call it holding the ingest lock."""
        if self._file_cache is None:
            return 0
        moved = 0
        for name in self._collection_names():
            if not name.startswith(f"{self.prefix}-cache-"):
                continue
            collection = self.client.get_collection(name, embedding_function=None)
            model = str((collection.metadata or {}).get("model") or "")
            if not model:
                continue  # not one of ours: leave it
            total = collection.count()
            for offset in range(0, total, 4096):
                got = collection.get(include=["embeddings"], limit=4096, offset=offset)
                self._file_cache.put(model, {k: np.asarray(v, dtype=np.float32)
                                             for k, v in zip(got["ids"], got["embeddings"], strict=True)})
                moved += len(got["ids"])
            self.client.delete_collection(name)
        if moved:
            remove_orphan_segments(self.settings.index_dir)
        return moved


def words_of(got: dict[str, Any]) -> list[str]:
    """The words of vocabulary records from a Chroma `get` or one query row (documents and
    metadatas included): the metadata `word` since schema 4, the document before."""
    documents = got.get("documents") or []
    metadatas = got.get("metadatas") or [None] * len(documents)
    if not documents:
        documents = [None] * len(metadatas)
    return [str((meta or {}).get("word") or doc or "")
            for doc, meta in zip(documents, metadatas, strict=True)]


def store_failure(err: BaseException) -> bool:
    """True for an error raised by Chroma or its database, as opposed to qa's own or a bug."""
    module = type(err).__module__ or ""
    return module.startswith(("chromadb", "sqlite3")) or type(err).__name__ == "InternalError"


def _not_found(err: Exception) -> bool:
    return type(err).__name__ == "NotFoundError" or "does not exist" in str(err)


def remove_orphan_segments(index_dir: Path) -> int:
    """Delete the vector-index folders of collections that no longer exist; how many went.

    Chroma 1.x deletes a collection's rows but leaves its HNSW folder (`<index_dir>/<segment
    uuid>/`) on disk (chroma-core/chroma#5259, #5520), so each re-ingest would leave the dropped
    generation's files behind. A folder is removed only when its name is a UUID that no segment in
    `chroma.sqlite3` has; if that table cannot be read, nothing is removed. Callers hold
    `index_lock`, so no other process is creating collections meanwhile."""
    import shutil

    db = index_dir / "chroma.sqlite3"
    if not db.is_file():
        return 0
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        try:
            known = {str(row[0]) for row in connection.execute("SELECT id FROM segments")}
        finally:
            connection.close()
    except sqlite3.Error:
        return 0
    removed = 0
    for folder in index_dir.iterdir():
        if folder.is_dir() and not folder.is_symlink() and _is_uuid(folder.name) and folder.name not in known:
            with contextlib.suppress(OSError):
                shutil.rmtree(folder)
                removed += 1
    return removed


def _is_uuid(name: str) -> bool:
    try:
        return str(uuid.UUID(name)) == name
    except ValueError:
        return False


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
