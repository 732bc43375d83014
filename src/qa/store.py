"""The Chroma side: one client (embedded or server), a manifest, generations of collections, and an
embedding cache.

Layout, for collection prefix P:
- `P-manifest`: its collection metadata names the active generation, the embedding model, and a
  fingerprint of what was indexed. Switching it is one metadata write, so readers see either the
  old index or the new one, never half of one.
- `P-<gen>-chunks` and `P-<gen>-sentences`: one generation of the index (cosine space).
- `P-cache-<model hash>`: embeddings keyed by SHA-256 of the text, so known text is never
  embedded twice, across re-ingests and rebuilds.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import numpy as np

from qa.errors import ConfigError, IndexUnavailableError, ModelMismatchError
from qa.settings import Settings

COSINE = {"hnsw": {"space": "cosine"}}
SCHEMA_VERSION = 1
KINDS = ("chunks", "sentences", "vocab")


@dataclass(frozen=True)
class Manifest:
    active: str
    model: str
    dimension: int
    fingerprint: str
    chunks: int
    sentences: int
    articles: tuple[str, ...]
    schema: int = SCHEMA_VERSION

    def to_metadata(self) -> dict[str, str | int]:
        return {
            "active": self.active,
            "model": self.model,
            "dimension": self.dimension,
            "fingerprint": self.fingerprint,
            "chunks": self.chunks,
            "sentences": self.sentences,
            "articles": json.dumps(list(self.articles), ensure_ascii=False),
            "schema": self.schema,
        }

    @classmethod
    def from_metadata(cls, meta: dict[str, Any] | None) -> Manifest | None:
        if not meta or not meta.get("active"):
            return None
        return cls(
            active=str(meta["active"]),
            model=str(meta["model"]),
            dimension=int(meta["dimension"]),
            fingerprint=str(meta["fingerprint"]),
            chunks=int(meta.get("chunks", 0)),
            sentences=int(meta.get("sentences", 0)),
            articles=tuple(json.loads(str(meta.get("articles", "[]")))),
            schema=int(meta.get("schema", 0)),
        )


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
        raise IndexUnavailableError(
            f"cannot open the index at {settings.index_dir} ({type(err).__name__}: {err}): "
            "run `qa ingest --rebuild`, or point QA_INDEX_DIR at another folder"
        ) from err


class Store:
    """Reads and writes one qa index in Chroma. Thread-safe (chromadb clients are)."""

    def __init__(self, settings: Settings, client: Any | None = None) -> None:
        self.settings = settings
        self.prefix = settings.collection_prefix
        self.client = client if client is not None else make_client(settings)
        self._lock = threading.Lock()

    # -- manifest ---------------------------------------------------------------------------
    def manifest(self) -> Manifest | None:
        try:
            collection = self.client.get_collection(f"{self.prefix}-manifest")
        except Exception:
            return None  # no index yet
        return Manifest.from_metadata(collection.metadata)

    def check_model(self, manifest: Manifest, model: str) -> None:
        if manifest.model != model:
            raise ModelMismatchError(
                f"the index at {self.settings.where} was built with embedding model {manifest.model!r}; "
                f"you asked for {model!r}: run `qa ingest --rebuild` to rebuild it with {model!r}, "
                f"or set QA_EMBEDDING_MODEL={manifest.model.removeprefix('st:')}"
            )

    def activate(self, manifest: Manifest) -> None:
        """Point readers at a finished generation, then drop all but it and the one before."""
        collection = self.client.get_or_create_collection(
            f"{self.prefix}-manifest", metadata={"active": ""}, embedding_function=None
        )
        previous = Manifest.from_metadata(collection.metadata)
        collection.modify(metadata=manifest.to_metadata())
        keep = {manifest.active} | ({previous.active} if previous else set())
        self.drop_generations(keep=keep)

    def drop_generations(self, keep: set[str]) -> None:
        """Delete generation collections not in `keep` (also staging ones a crash left behind)."""
        for name in self._collection_names():
            parts = name.split("-")
            if (
                name.startswith(f"{self.prefix}-g")
                and len(parts) >= 3
                and parts[-1] in KINDS
                and "-".join(parts[1:-1]) not in keep
            ):
                with contextlib.suppress(Exception):  # another process got there first
                    self.client.delete_collection(name)

    def _collection_names(self) -> list[str]:
        names = []
        for item in self.client.list_collections():
            names.append(item if isinstance(item, str) else item.name)
        return [n for n in names if n.startswith(f"{self.prefix}-")]

    # -- generations ------------------------------------------------------------------------
    def collection(self, generation: str, kind: str) -> Any:
        name = f"{self.prefix}-{generation}-{kind}"
        try:
            return self.client.get_collection(name, embedding_function=None)
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
            documents: Sequence[str], metadatas: Sequence[dict[str, Any]] | None = None) -> None:
        step = max(1, min(self.client.get_max_batch_size(), 4096))
        for i in range(0, len(ids), step):
            collection.add(
                ids=list(ids[i : i + step]),
                embeddings=vectors[i : i + step],
                documents=list(documents[i : i + step]),
                metadatas=list(metadatas[i : i + step]) if metadatas else None,
            )

    # -- embedding cache --------------------------------------------------------------------
    def _cache(self, model: str) -> Any:
        digest = hashlib.sha256(model.encode()).hexdigest()[:16]
        return self.client.get_or_create_collection(
            f"{self.prefix}-cache-{digest}", configuration=COSINE, embedding_function=None,
            metadata={"model": model},
        )

    def cached_vectors(self, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        cache = self._cache(model)
        found: dict[str, np.ndarray] = {}
        for part in _batches(list(dict.fromkeys(hashes)), 2000):
            got = cache.get(ids=part, include=["embeddings"])
            for key, vector in zip(got["ids"], got["embeddings"], strict=True):
                found[key] = np.asarray(vector, dtype=np.float32)
        return found

    def cache_vectors(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        cache = self._cache(model)
        for part in _batches(list(vectors), 4096):
            cache.upsert(ids=part, embeddings=np.stack([vectors[k] for k in part]))


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
