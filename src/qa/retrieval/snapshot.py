"""A reader's snapshot of one generation: what opening an index computes from Chroma's records (the
records in article order with their tokens, the lexical indexes, the kind masks, the title words,
the vocabulary's surface words) saved once beside the index, and its vectors as `.npy` files that
open memory-mapped. A process that finds a snapshot opens the index without reading every record
back from Chroma and without tokenising it again: at 10k chunks 8.5 s became about 1 s (see
eval/EXPERIMENTS.md), and the vectors' pages are shared by every reader on the machine.

A snapshot is a cache, never the truth: it is keyed by the generation, the manifest's
fingerprint, the lexical weights and a digest of qa's own code and data tables (a change to the
tokeniser makes a new key), and one that cannot be read is removed and written again. It is
written by the first process that opens the generation (and by `qa ingest` right after it
activates one), to a temporary folder that is then renamed into place, so readers never see half
of one; a folder that cannot be written (a read-only index) leaves reading as it was.

The state is stored with pickle because it is qa's own objects (records, BM25 matrices, masks);
as with the encoder's start-up cache (qa.store.model_cache), only a file this user owns and no one
else can write is unpickled.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import pickle
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from qa.settings import Settings
from qa.store.model_cache import cache_dir

FORMAT = 2  # bump when what a snapshot holds changes
FOLDER = "snapshots"
KEEP = 2  # snapshots of older generations are removed beyond this many
ARRAY = "state-array-"  # a large array of the state, saved beside it
SHARED_BYTES = 1 << 20  # arrays from this size are saved beside the state and memory-mapped

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class Snapshot:
    """What a reader loads: `state` (records and derived structures) and the vectors by name."""

    state: dict[str, Any]
    vectors: dict[str, np.ndarray]


@cache
def code_digest() -> str:
    """A digest of qa's Python modules and data tables: what decides the tokens and the masks."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in {".py", ".toml", ".txt", ".tsv"}):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def folder(settings: Settings) -> Path:
    """Where a reader keeps its snapshots: `snapshots/` in the embedded index's folder (removed with
    it), or in server mode, which writes no index folder, under qa's cache folder, one folder per
    server and collection prefix."""
    if not settings.chroma_url:
        return settings.index_dir / FOLDER
    server = hashlib.sha256(f"{settings.chroma_url}|{settings.collection_prefix}".encode()).hexdigest()[:16]
    return cache_dir() / FOLDER / server


def key(generation: str, fingerprint: str, extra: str) -> str:
    """The snapshot's folder name for a generation read with these settings (`extra`)."""
    digest = hashlib.sha256(f"{FORMAT}|{fingerprint}|{extra}|{code_digest()}".encode()).hexdigest()[:16]
    return f"{generation}-{digest}"


def read(folder: Path, name: str) -> Snapshot | None:
    """The snapshot `name` under `folder`, None when there is none or it cannot be read."""
    where = folder / name
    enabled = gc.isenabled()
    try:
        if not _trusted(where / "state.pickle"):
            log.warning("not reading the reader snapshot %s: another user owns it or may write it", where)
            return None
        gc.disable()  # hundreds of thousands of records: collections mid-load would double the time
        with (where / "state.pickle").open("rb") as handle:
            state = _Unpickler(handle, where).load()
        vectors = {p.stem: np.load(p, mmap_mode="r", allow_pickle=False) for p in where.glob("*.npy")
                   if not p.name.startswith(ARRAY)}
    except FileNotFoundError:
        return None
    except Exception as err:  # a damaged snapshot is only a cache: read the index, and write it anew
        log.warning("removing the unreadable reader snapshot %s (%s: %s)", where, type(err).__name__, err)
        shutil.rmtree(where, ignore_errors=True)
        return None
    finally:
        if enabled:
            gc.enable()
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        shutil.rmtree(where, ignore_errors=True)
        return None
    with contextlib.suppress(OSError):  # in use: a server's folder is kept (`_prune_servers`)
        os.utime(folder)
    return Snapshot(state, vectors)


class _Pickler(pickle.Pickler):
    """Pickles the state with every large numpy array in it (BM25's matrices, the postings, the
    masks) saved beside it as an `.npy` file, so that it too opens memory-mapped and shared."""

    def __init__(self, handle: Any, where: Path) -> None:
        super().__init__(handle, protocol=pickle.HIGHEST_PROTOCOL)
        self._where, self._saved = where, 0

    def persistent_id(self, obj: Any) -> str | None:
        if not isinstance(obj, np.ndarray) or obj.dtype.hasobject or obj.nbytes < SHARED_BYTES:
            return None
        name = f"{ARRAY}{self._saved}"
        self._saved += 1
        np.save(self._where / f"{name}.npy", np.ascontiguousarray(obj), allow_pickle=False)
        return name


class _Unpickler(pickle.Unpickler):
    def __init__(self, handle: Any, where: Path) -> None:
        super().__init__(handle)
        self._where = where

    def persistent_load(self, pid: Any) -> Any:
        name = str(pid)
        if not name.startswith(ARRAY) or not name[len(ARRAY):].isdigit():
            raise pickle.UnpicklingError(f"unknown array {name!r}")
        return np.load(self._where / f"{name}.npy", mmap_mode="r", allow_pickle=False)


def _trusted(path: Path) -> bool:
    """Only unpickle a file this user owns and nobody else can write (FileNotFoundError when
    there is none)."""
    info = path.stat()
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owner_ok and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def write(folder: Path, name: str, state: dict[str, Any], vectors: dict[str, np.ndarray]) -> bool:
    """Write a snapshot (atomically: a temporary folder renamed into place); False when the
    folder cannot be written, which only means the next reader reads the index again."""
    if (folder / name).exists():
        return True
    try:
        folder.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=folder))
        try:
            with (scratch / "state.pickle").open("wb") as handle:
                _Pickler(handle, scratch).dump({**state, "format": FORMAT})
            for vector_name, array in vectors.items():
                np.save(scratch / f"{vector_name}.npy", np.ascontiguousarray(array), allow_pickle=False)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(scratch, 0o777 & ~umask)  # mkdtemp's folder is the writer's alone: readers may be others
            os.replace(scratch, folder / name)
        except OSError:
            shutil.rmtree(scratch, ignore_errors=True)
            if not (folder / name).exists():  # another reader may have won the race: that is fine
                raise
    except OSError as err:
        log.info("no reader snapshot written at %s (%s)", folder, err)
        return False
    _prune(folder, keep=name)
    if folder.parent == cache_dir() / FOLDER:  # server mode: forget servers unused for a month
        _prune_servers(folder.parent, keep=folder.name)
    return True


def _prune(folder: Path, keep: str) -> None:
    """Remove all but the newest KEEP snapshots, and any left half-written an hour ago, never `keep`."""
    try:
        found = [(p, p.stat().st_mtime) for p in folder.iterdir() if p.is_dir()]
    except OSError:
        return
    done = sorted(((p, t) for p, t in found if not p.name.startswith(".")),
                  key=lambda pt: pt[1], reverse=True)
    stale = [p for p, t in found if p.name.startswith(".") and time.time() - t > 3600]
    for old in [p for p, _ in done[KEEP:]] + stale:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


def _prune_servers(root: Path, keep: str, days: float = 30) -> None:
    """Remove the snapshot folders of servers no reader here has written to for `days`."""
    try:
        old = [p for p in root.iterdir() if p.is_dir() and p.name != keep
               and time.time() - p.stat().st_mtime > days * 86400]
    except OSError:
        return
    for server in old:
        shutil.rmtree(server, ignore_errors=True)
