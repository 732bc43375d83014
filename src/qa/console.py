"""What `qa` prints while it works (`qa ingest`, `qa translate`): on a terminal, a rich progress bar
with counts and an ETA for each embedding run, the other steps as lines above it; plain `qa: ...`
lines when stderr is not a terminal (a log, a pipe, CI); nothing when quiet."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import IO, Any


class Bar:
    """A progress callback (qa.store.vectors.Counts) drawing on a rich Progress."""

    def __init__(self, progress: Any) -> None:
        self._progress = progress
        self._tasks: dict[str, Any] = {}

    def __call__(self, message: str) -> None:
        self._progress.console.print(f"qa: {message}", markup=False, highlight=False)

    def count(self, done: int, total: int, what: str) -> None:
        task = self._tasks.get(what)
        if task is None or (done == 0 and self._progress.tasks[task].finished):  # a new run of it
            task = self._tasks[what] = self._progress.add_task(what, total=total)
        self._progress.update(task, completed=done, total=total)


@contextlib.contextmanager
def progress(quiet: bool, stream: IO[str] | None = None, *, terminal: bool | None = None
             ) -> Iterator[Callable[[str], None] | None]:
    """The progress callback for a command: None when `quiet`, a Bar when `stream` (stderr) is a
    terminal (or `terminal` says so), else one plain line per message."""
    out = stream if stream is not None else sys.stderr
    if quiet:
        yield None
        return
    if not (terminal if terminal is not None else out.isatty()):
        yield lambda message: print(f"qa: {message}", file=out, flush=True)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(file=out, force_terminal=True if terminal else None)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("ETA"),
               TimeRemainingColumn())
    with Progress(*columns, console=console) as bar:
        yield Bar(bar)
