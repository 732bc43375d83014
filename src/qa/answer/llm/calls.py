"""Run one streamed model call against a deadline, so that no call can hang past the timeout.

The call runs in a daemon thread that feeds a queue; the caller waits on the queue for at most
the time left. When the caller gives up, the thread stops at its next piece (the HTTP client's own
timeout, set to the same value, ends a read that never returns).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from typing import Any

from qa.answer.llm.failures import Failure


def stream_text(runnable: Any, value: Any, *, first_by: float, gap: float) -> Iterator[str]:
    """Text pieces of `runnable.stream(value)`. The first non-empty piece must arrive before the
    monotonic time `first_by`, and each later one within `gap` seconds of the one before;
    otherwise Failure("timeout"). Errors of the call are re-raised here, in the caller's thread."""
    pieces: queue.Queue[tuple[str, Any]] = queue.Queue()
    stop = threading.Event()

    def produce() -> None:
        try:
            for piece in runnable.stream(value):
                if stop.is_set():
                    return
                pieces.put(("piece", piece))
            pieces.put(("done", None))
        except BaseException as err:  # handed to the caller's thread
            pieces.put(("error", err))

    worker = threading.Thread(target=produce, name="qa-llm-call", daemon=True)
    worker.start()
    started = False
    try:
        while True:
            wait = gap if started else first_by - time.monotonic()
            if wait <= 0:
                raise Failure("timeout", f"{gap:g}")
            try:
                kind, item = pieces.get(timeout=wait)
            except queue.Empty:
                raise Failure("timeout", f"{gap:g}") from None
            if kind == "done":
                return
            if kind == "error":
                raise item
            text = item if isinstance(item, str) else str(getattr(item, "content", item) or "")
            started = started or bool(text)
            yield text
    finally:
        stop.set()
