"""Open one generation of an index for reading: its chunks and sentences with their vectors, in
article order, and the Latin names of its places. Reading writes nothing."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

from qa.errors import IndexUnavailableError
from qa.retrieval.records import ChunkRecord, SentenceRecord
from qa.store.chroma import Store, words_of
from qa.store.manifest import Manifest
from qa.text.words import tokens


@dataclass(frozen=True, eq=False)
class Corpus:
    """What a generation holds, in memory: records in article order, unit vectors row by row."""

    chunks: tuple[ChunkRecord, ...]
    sentences: tuple[SentenceRecord, ...]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray
    places: dict[str, tuple[str, ...]]  # a place's Latin name -> the article's tokens for it
    has_vocab: bool  # the generation has a vocabulary to bridge foreign words to


def unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(vectors) else np.ones((0, 1), np.float32)
    return vectors / np.maximum(norms, 1e-12)


def load(store: Store, manifest: Manifest) -> Corpus:
    """The generation `manifest` names; IndexUnavailableError when it holds no chunks."""
    vocab = store.collection(manifest.active, "vocab")
    has_vocab = vocab.count() > 0  # else nothing to bridge to
    places: dict[str, tuple[str, ...]] = {}
    if has_vocab and manifest.schema >= 2:  # an older index has no place names: `qa ingest` adds them
        named = vocab.get(where={"places": {"$ne": ""}}, include=["documents", "metadatas"])
        for word, meta in zip(words_of(named), named["metadatas"] or [], strict=True):
            for name in str((meta or {}).get("places", "")).split():
                places[name] = tuple(dict.fromkeys([*places.get(name, ()), *tokens(word)]))
    got = store.collection(manifest.active, "chunks").get(include=["documents", "metadatas", "embeddings"])
    order = sorted(range(len(got["ids"])),
                   key=lambda i: (got["metadatas"][i]["article_id"], got["metadatas"][i]["chunk_index"]))
    position = {got["ids"][i]: n for n, i in enumerate(order)}
    sentences, sentence_vectors, per_chunk = _sentences(store, manifest, position)
    chunks = []
    for n, i in enumerate(order):
        meta = got["metadatas"][i]
        chunks.append(ChunkRecord(
            id=got["ids"][i], text=got["documents"][i], article_id=sys.intern(str(meta["article_id"])),
            article=sys.intern(str(meta["article_title"])), section=sys.intern(str(meta["section_heading"])),
            section_index=int(meta["section_index"]), start=int(meta["start"]), end=int(meta["end"]),
            sentences=tuple(per_chunk.get(n, ())),
        ))
    if not chunks:
        raise IndexUnavailableError(
            f"the index at {store.settings.where} is empty: run `qa ingest --rebuild`"
        )
    chunk_vectors = unit(np.asarray([got["embeddings"][i] for i in order], dtype=np.float32))
    dim = chunk_vectors.shape[1]
    return Corpus(tuple(chunks), tuple(sentences), chunk_vectors,
                  unit(np.asarray(sentence_vectors, dtype=np.float32).reshape(-1, dim)), places, has_vocab)


def _sentences(store: Store, manifest: Manifest, position: dict[str, int]
               ) -> tuple[list[SentenceRecord], list[Any], dict[int, list[int]]]:
    """The sentences of the chunks at `position`, in chunk and text order, their vectors, and
    each chunk's sentences."""
    sent = store.collection(manifest.active, "sentences").get(
        include=["documents", "metadatas", "embeddings"]
    )
    per_chunk: dict[int, list[int]] = {}
    sentences: list[SentenceRecord] = []
    vectors: list[Any] = []
    for sid, text, meta, vector in sorted(
        zip(sent["ids"], sent["documents"], sent["metadatas"], sent["embeddings"], strict=True),
        key=lambda t: (position.get(str(t[2]["chunk_id"]), -1), int(t[2]["start"])),
    ):
        chunk_pos = position.get(str(meta["chunk_id"]))
        if chunk_pos is None:
            continue
        per_chunk.setdefault(chunk_pos, []).append(len(sentences))
        sentences.append(SentenceRecord(sid, chunk_pos, text, int(meta["start"]), int(meta["end"]),
                                        tuple(map(sys.intern, tokens(text)))))  # one str per word
        vectors.append(vector)
    return sentences, vectors, per_chunk
