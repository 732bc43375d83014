"""The writer lock of an embedded index (qa.ingest.one_writer): one writer at a time across
threads (and processes: tests/ingest/test_atomic_ingest.py), re-entrant in a thread, a message
while waiting, a clear error when giving up, and none of it for a Chroma server."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from qa import IndexUnavailableError, Settings
from qa.ingest import one_writer
from qa.ingest.one_writer import index_lock, lock_path


def test_the_lock_file_is_beside_the_index_folder(tmp_path: Path) -> None:
    assert lock_path(Settings(index_dir=tmp_path / "idx")) == tmp_path / "idx.lock"


def test_it_is_reentrant_in_one_thread(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "idx")
    with index_lock(settings), index_lock(settings):  # an ingest that repairs takes it twice
        assert lock_path(settings).exists()


def test_a_second_thread_waits_and_says_so(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "idx")
    said: list[str] = []
    order: list[str] = []
    held = threading.Event()

    def second() -> None:
        held.wait()
        with index_lock(settings, said.append):
            order.append("second")

    thread = threading.Thread(target=second)
    thread.start()
    with index_lock(settings):
        held.set()
        deadline = time.monotonic() + 10
        while not said and time.monotonic() < deadline:  # the other thread tried, and waits
            time.sleep(0.01)
        order.append("first")
    thread.join(10)
    assert order == ["first", "second"]
    assert said == [f"waiting for another process to finish writing the index at {settings.index_dir}"]


def test_it_gives_up_with_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(one_writer, "LOCK_WAIT_SECONDS", 0.2)
    settings = Settings(index_dir=tmp_path / "idx")
    failed: list[BaseException] = []
    held, done = threading.Event(), threading.Event()

    def writer() -> None:
        with index_lock(settings):
            held.set()
            done.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    held.wait(10)
    try:
        with index_lock(settings):
            pass
    except IndexUnavailableError as err:
        failed.append(err)
    finally:
        done.set()
        thread.join(10)
    assert failed and "another process has been writing the index" in str(failed[0])
    assert str(lock_path(settings)) in str(failed[0]) and "run `qa ingest` again" in str(failed[0])
    with index_lock(settings):  # free again once the writer is done
        pass


def test_a_chroma_server_needs_no_lock(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "idx", chroma_url="http://127.0.0.1:9")
    with index_lock(settings):
        assert not lock_path(settings).exists()
