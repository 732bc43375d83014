"""Every tuning weight lives in qa.scoring.Scoring, with a note of where its value came from."""

from __future__ import annotations

import dataclasses

import pytest

from qa.scoring import SCORING, Scoring, notes


def test_every_weight_has_a_note() -> None:
    missing = [name for name, note in notes().items() if len(note.split()) < 3]
    assert not missing, f"weights without a note of where the value came from: {missing}"


def test_the_weights_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        SCORING.retrieval.bm25 = 1.0  # type: ignore[misc]
    assert Scoring() == SCORING


def test_one_signal_alone_for_comparisons() -> None:
    dense, bm25 = SCORING.retrieval.only("dense"), SCORING.retrieval.only("bm25")
    assert (dense.bm25, dense.coverage, dense.kind, dense.bridge) == (0.0, 0.0, 0.0, False)
    assert dense.sentence == SCORING.retrieval.sentence
    assert (bm25.sentence, bm25.chunk, bm25.section, bm25.bm25) == (0.0, 0.0, 0.0, 1.0)
    assert SCORING.retrieval.only("hybrid") is SCORING.retrieval
