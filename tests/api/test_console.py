"""What `qa ingest` prints while it works (qa.console): a progress bar with counts and an ETA on a
terminal, plain lines elsewhere, nothing when quiet; embedding reports its batches to it."""

from __future__ import annotations

import io
from pathlib import Path

from qa import Assistant, Settings
from qa.console import Bar, progress
from qa.store.vectors import Counts, embed_with_cache


def test_quiet_prints_nothing() -> None:
    out = io.StringIO()
    with progress(True, out) as say:
        assert say is None
    assert out.getvalue() == ""


def test_without_a_terminal_each_message_is_a_line() -> None:
    out = io.StringIO()
    with progress(False, out) as say:
        assert say is not None and not isinstance(say, Counts)
        say("aligning")
        say("indexed 12 chunks")
    assert out.getvalue() == "qa: aligning\nqa: indexed 12 chunks\n"


def test_on_a_terminal_a_bar_counts_with_an_eta() -> None:
    out = io.StringIO()
    with progress(False, out, terminal=True) as say:
        assert isinstance(say, Bar) and isinstance(say, Counts)
        say("12 article(s), 40 chunks")
        say.count(0, 128, "embedding (use-m3)")
        say.count(64, 128, "embedding (use-m3)")
        say.count(128, 128, "embedding (use-m3)")
        say.count(0, 30, "embedding (use-m3)")  # a second run of the same model: a bar of its own
        say.count(30, 30, "embedding (use-m3)")
    text = out.getvalue()
    assert "qa: 12 article(s), 40 chunks" in text
    assert "128/128" in text and "30/30" in text and "ETA" in text and "embedding (use-m3)" in text


class Recorder:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.counts: list[tuple[int, int, str]] = []

    def __call__(self, message: str) -> None:
        self.lines.append(message)

    def count(self, done: int, total: int, what: str) -> None:
        self.counts.append((done, total, what))


def test_embedding_reports_each_batch_as_counts(use_m3, tmp_path: Path) -> None:
    store = Assistant(Settings(index_dir=tmp_path / "i"), embeddings=use_m3).store
    texts = [f"جملة رقم {n} عن الأخبار" for n in range(5)]
    said = Recorder()
    embed_with_cache(store, use_m3, texts, 2, said)
    assert said.counts == [(0, 5, "embedding (use-m3)"), (2, 5, "embedding (use-m3)"),
                           (4, 5, "embedding (use-m3)"), (5, 5, "embedding (use-m3)")]
    assert not any(line.startswith("embedded") for line in said.lines)
    plain: list[str] = []
    embed_with_cache(store, use_m3, [*texts, "نص آخر", "ونص ثالث", "ورابع"], 2, plain.append)
    assert plain[:2] == ["embedded 2/3 texts", "embedded 3/3 texts"]  # only the new ones, as lines
