"""One writer at a time per embedded index: an flock on a file beside the index folder, across
processes, and a re-entrant lock across threads. Chroma's embedded mode is not safe with two
processes writing at once; a Chroma server serializes writes itself.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from qa.errors import IndexUnavailableError
from qa.settings import Settings

LOCK_WAIT_SECONDS = 600
_LOCKS: dict[str, threading.RLock] = {}
_HELD: dict[str, tuple[int, int]] = {}  # lock file -> (descriptor, depth)
_LOCKS_GUARD = threading.Lock()


def lock_path(settings: Settings) -> Path:
    """The lock file of an embedded index: beside its folder, so it survives moving it aside."""
    return settings.index_dir.parent / f"{settings.index_dir.name}.lock"


@contextlib.contextmanager
def index_lock(settings: Settings, say: Callable[[str], None] | None = None) -> Iterator[None]:
    """One writer at a time per embedded index, across processes (an flock on `lock_path`) and
    threads; re-entrant within a thread. Chroma's embedded mode is not safe with two processes
    writing at once. A Chroma server serializes writes itself: no lock then."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        fcntl = None  # type: ignore[assignment]
    if not settings.embedded or fcntl is None:
        yield
        return
    path = lock_path(settings)
    key = str(path)
    with _LOCKS_GUARD:
        local = _LOCKS.setdefault(key, threading.RLock())
    with local:
        fd, depth = _HELD.get(key, (-1, 0))
        if depth == 0:
            fd = _open_lock_file(path)
            try:
                _wait_for_lock(fd, fcntl, settings, say)
            except BaseException:
                os.close(fd)
                raise
        _HELD[key] = (fd, depth + 1)
        try:
            yield
        finally:
            fd, depth = _HELD.pop(key)
            if depth > 1:
                _HELD[key] = (fd, depth - 1)
            else:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)


def _open_lock_file(path: Path) -> int:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise IndexUnavailableError(
            f"cannot create the ingest lock {path} ({type(err).__name__}: {err.strerror or err}): "
            "make its folder writable, or point QA_INDEX_DIR at a writable folder"
        ) from err


def _wait_for_lock(fd: int, fcntl: Any, settings: Settings, say: Callable[[str], None] | None) -> None:
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if time.monotonic() > deadline:
            raise IndexUnavailableError(
                f"another process has been writing the index at {settings.index_dir} for over "
                f"{LOCK_WAIT_SECONDS // 60} minutes (it holds {lock_path(settings)}): wait for it to "
                "finish, or stop it and run `qa ingest` again"
            )
        if not told and say is not None:
            say(f"waiting for another process to finish writing the index at {settings.index_dir}")
            told = True
        time.sleep(0.2)
