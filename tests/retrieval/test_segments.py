"""qa.retrieval.segments gives exactly what the obvious numpy code gives."""

from __future__ import annotations

import numpy as np
import pytest

from qa.retrieval.segments import Runs, top


def reference_maximum(values: np.ndarray, group_of: np.ndarray, n: int, floor: float) -> np.ndarray:
    out = np.full(n, floor, dtype=np.float32)
    np.maximum.at(out, group_of, values)
    return out


@pytest.mark.parametrize(("group_of", "n_groups"), [
    ([0, 0, 1, 1, 1, 2], 3),
    ([0, 2, 2, 5], 6),  # groups 1, 3 and 4 have no item: the floor
    ([3, 3, 3], 4),
    ([], 2),
    ([1, 0, 1, 2], 3),  # not in order: the general way
])
@pytest.mark.parametrize("floor", [-1.0, 0.0])
def test_the_per_group_maximum_is_numpys(group_of: list[int], n_groups: int, floor: float) -> None:
    rng = np.random.default_rng(len(group_of))
    values = rng.uniform(-2, 2, len(group_of)).astype(np.float32)
    groups = np.asarray(group_of, dtype=np.int64)
    got = Runs(groups, n_groups).maximum(values, floor)
    assert got.dtype == np.float32
    assert np.array_equal(got, reference_maximum(values, groups, n_groups, floor))


def test_runs_know_whether_they_are_in_order() -> None:
    assert Runs(np.asarray([0, 0, 1]), 2).ordered
    assert not Runs(np.asarray([1, 0]), 2).ordered


@pytest.mark.parametrize("k", [1, 3, 5, 9, 20])
@pytest.mark.parametrize("score", [
    [0.5, 0.1, 0.9, 0.9, 0.3, 0.9, 0.2, 0.5, 0.0],  # ties at the cut are taken in position order
    [1.0] * 9,
    list(range(9)),
])
def test_the_k_best_are_argsorts(score: list[float], k: int) -> None:
    values = np.asarray(score, dtype=np.float32)
    assert top(values, k).tolist() == np.argsort(-values, kind="stable")[:k].tolist()


def test_the_k_best_of_many_are_argsorts() -> None:
    values = np.round(np.random.default_rng(7).uniform(0, 1, 100_000), 3).astype(np.float32)  # many ties
    for k in (1, 4, 12, 100):
        assert top(values, k).tolist() == np.argsort(-values, kind="stable")[:k].tolist()
