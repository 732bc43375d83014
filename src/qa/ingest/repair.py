"""A damaged embedded index: what is wrong with it (`index_problem`, read-only) and a fresh one to
rebuild into, the damaged folder moved aside, never deleted (`open_for_rebuild`).
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from qa.errors import IndexUnavailableError
from qa.ingest.one_writer import index_lock
from qa.settings import Settings
from qa.store.chroma import Store


def index_problem(index_dir: Path) -> str | None:
    """Why an embedded index folder cannot be used as it is, or None. Only reads."""
    if not index_dir.exists():
        return None
    if not index_dir.is_dir():
        return "it is not a folder"
    db = index_dir / "chroma.sqlite3"
    if not db.exists():
        return None
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        try:
            row = connection.execute("PRAGMA quick_check").fetchone()
        finally:
            connection.close()
    except sqlite3.OperationalError as err:
        if "locked" in str(err) or "busy" in str(err):
            return None  # in use by another process, not broken
        return f"chroma.sqlite3: {err}"
    except sqlite3.DatabaseError as err:
        return f"chroma.sqlite3: {err}"
    if not row or row[0] != "ok":
        return f"chroma.sqlite3 fails SQLite's check: {row[0] if row else 'no answer'}"
    return None


def open_for_rebuild(settings: Settings, current: Store | None, say: Callable[[str], None]) -> Store:
    """A Store to rebuild into. An embedded index that cannot be opened, or whose database is
    damaged, is moved aside (never deleted) to `<index_dir>.broken-<time>` and a new one is
    started; `say` tells where it went."""
    if not settings.embedded:
        return current if current is not None else Store(settings)
    with index_lock(settings, say):
        return _reopen(settings, current, say)


def _reopen(settings: Settings, current: Store | None, say: Callable[[str], None]) -> Store:
    problem = index_problem(settings.index_dir)
    if problem is None:
        try:
            return current if current is not None else Store(settings)
        except IndexUnavailableError as err:
            problem = f"{type(err.__cause__).__name__}: {err.__cause__}" if err.__cause__ else str(err)
    if current is not None:
        with contextlib.suppress(Exception):  # it is broken anyway
            current.client.close()
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime())
    aside = settings.index_dir.with_name(f"{settings.index_dir.name}.broken-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = settings.index_dir.with_name(f"{settings.index_dir.name}.broken-{stamp}-{n}")
    settings.index_dir.rename(aside)
    say(f"the index at {settings.index_dir} cannot be used ({problem}); moved it aside to {aside} "
        "and building a new one (delete that folder when you no longer need it)")
    return Store(settings)
