"""Reading a whole collection in pages (qa.store.chroma.PagedCollection): Chroma's embedded backend
refuses one get() of more than 32,766 records with metadata, so the index reads in pages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest


@pytest.fixture
def collection(tmp_path: Path):
    import chromadb

    client = chromadb.PersistentClient(
        path=str(tmp_path / "db"), settings=chromadb.Settings(anonymized_telemetry=False)
    )
    col = client.create_collection(
        "paging-test", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
    )
    rng = np.random.default_rng(0)
    col.add(ids=[f"r{i:02d}" for i in range(23)], embeddings=rng.random((23, 8), dtype=np.float32),
            documents=[f"نص رقم {i}" for i in range(23)], metadatas=[{"n": i} for i in range(23)])
    return col


@pytest.mark.parametrize("page", [1, 5, 23, 100])
def test_paged_get_equals_one_get(collection, page: int) -> None:
    from qa.store.chroma import PagedCollection

    whole = collection.get(include=["documents", "metadatas", "embeddings"])
    paged = PagedCollection(collection, page=page).get(include=["documents", "metadatas", "embeddings"])
    assert paged["ids"] == whole["ids"] and len(set(paged["ids"])) == 23
    assert paged["documents"] == whole["documents"] and paged["metadatas"] == whole["metadatas"]
    np.testing.assert_array_equal(paged["embeddings"], whole["embeddings"])
    assert paged["included"] == whole["included"]


def test_other_calls_pass_through(collection) -> None:
    from qa.store.chroma import PagedCollection

    paged = PagedCollection(collection, page=4)
    assert paged.count() == 23 and paged.name == "paging-test"
    assert paged.get(ids=["r03", "r07"], include=["documents"])["documents"] == ["نص رقم 3", "نص رقم 7"]
    assert len(paged.get(limit=6, offset=20)["ids"]) == 3
    assert paged.query(query_embeddings=[[1.0] * 8], n_results=2)["ids"][0]
