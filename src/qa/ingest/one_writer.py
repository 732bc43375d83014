"""One writer at a time per embedded index, across processes and threads: a `filelock.FileLock` on
a file beside the index folder (an flock where there is one, else a lock file), re-entrant within a
thread. Chroma's embedded mode is not safe with two processes writing at once; a Chroma server
serializes writes itself, so it needs none. Readers never take it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from qa.errors import IndexUnavailableError
from qa.settings import Settings

LOCK_WAIT_SECONDS = 600


def lock_path(settings: Settings) -> Path:
    """The lock file of an embedded index: beside its folder, so it survives moving it aside."""
    return settings.index_dir.parent / f"{settings.index_dir.name}.lock"


@contextlib.contextmanager
def index_lock(settings: Settings, say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the index's writer lock: wait for another writer (saying so once through `say`) for up
    to LOCK_WAIT_SECONDS, then give up with an IndexUnavailableError. No lock for a Chroma server."""
    if not settings.embedded:
        yield
        return
    path = lock_path(settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(path, is_singleton=True)  # one object per file: other threads wait on it too
        try:
            lock.acquire(blocking=False)
        except Timeout:
            if say is not None:
                say(f"waiting for another process to finish writing the index at {settings.index_dir}")
            lock.acquire(timeout=LOCK_WAIT_SECONDS)
    except Timeout as err:
        raise IndexUnavailableError(
            f"another process has been writing the index at {settings.index_dir} for over "
            f"{LOCK_WAIT_SECONDS // 60} minutes (it holds {path}): wait for it to finish, or stop it and "
            "run `qa ingest` again"
        ) from err
    except OSError as err:
        raise IndexUnavailableError(
            f"cannot create the ingest lock {path} ({type(err).__name__}: {err.strerror or err}): "
            "make its folder writable, or point QA_INDEX_DIR at a writable folder"
        ) from err
    try:
        yield
    finally:
        lock.release()
