"""The embedded index's embedding cache (qa.store.sqlite_cache), the move of an older index's
cache collections into it (Store.migrate_cache), and the vocabulary's words as stored (words_of)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from qa import Assistant, Settings
from qa.store.chroma import words_of
from qa.store.sqlite_cache import FILE, SqliteVectorCache


def test_vectors_come_back_by_model_and_hash(tmp_path: Path) -> None:
    cache = SqliteVectorCache(tmp_path)
    assert cache.get("use-m3", ["a"]) == {} and not (tmp_path / FILE).exists()  # reading creates nothing
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(512).astype(np.float32), rng.standard_normal(384).astype(np.float32)
    cache.put("use-m3", {"a": a})
    cache.put("e5-small", {"a": b})
    got = cache.get("use-m3", ["a", "b", "a"])
    assert list(got) == ["a"] and np.array_equal(got["a"], a)
    assert np.array_equal(cache.get("e5-small", ["a"])["a"], b)  # models kept apart
    cache.put("use-m3", {"a": b[:3]})  # replaced, not added
    assert cache.count("use-m3") == 1 and np.array_equal(cache.get("use-m3", ["a"])["a"], b[:3])


def test_several_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    """Readers add the vectors they embed on demand while others do (qa.retrieval.evidence)."""
    vector = np.ones(8, dtype=np.float32)

    def write(n: int) -> None:
        own = SqliteVectorCache(tmp_path)
        for i in range(20):
            own.put("m", {f"{n}-{i}": vector * i})

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert SqliteVectorCache(tmp_path).count("m") == 80


def test_an_older_indexs_cache_collections_move_into_the_file(seed_index_dir: Path, tmp_path: Path,
                                                              use_m3) -> None:
    """An index made before the file kept its cache in a Chroma collection: the next ingest moves it,
    embeds nothing again, and drops the collection."""
    vectors = SqliteVectorCache(seed_index_dir)
    with SqliteVectorCache(seed_index_dir)._connect() as connection:
        rows = connection.execute("SELECT hash, vector FROM vectors WHERE model = 'use-m3'").fetchall()
    assert rows and vectors.count("use-m3") == len(rows)
    index_dir = tmp_path / "old"
    shutil.copytree(seed_index_dir, index_dir)
    (index_dir / FILE).unlink()  # as before: no file, the vectors in a collection
    assistant = Assistant(Settings(index_dir=index_dir), embeddings=use_m3)
    old = assistant.store._cache("use-m3")
    old.add(ids=[h for h, _ in rows],
            embeddings=np.stack([np.frombuffer(v, dtype=np.float32) for _, v in rows]))
    report = assistant.ingest(rebuild=True)
    assert report.embedded == 0 and report.reused > 0  # nothing embedded twice
    names = [c.name for c in assistant.store.client.list_collections()]
    assert not any("-cache-" in name for name in names)
    assert SqliteVectorCache(index_dir).count("use-m3") == len(rows)
    assert assistant.ask("من اتصل بمن ومتى؟").citations


@pytest.mark.parametrize(("got", "words"), [
    ({"documents": ["تدمر"], "metadatas": [{"places": "palmyra"}]}, ["تدمر"]),  # before schema 4
    ({"documents": [None], "metadatas": [{"word": "تدمر", "places": ""}]}, ["تدمر"]),
    ({"documents": None, "metadatas": [{"word": "روبيو"}, {"word": "سوريا"}]}, ["روبيو", "سوريا"]),
])
def test_vocabulary_words_come_from_their_metadata_or_older_documents(got: dict, words: list[str]) -> None:
    assert words_of(got) == words
