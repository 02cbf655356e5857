"""The partition's last pass (gis_census.divide.partition._tighten): border units move to the group they share more
cut cost with, never at a loss of balance, so the lines between areas get shorter and straighter."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gis_census.divide.partition import _neighbour_lists, _tighten, components


def grid(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Rook pairs of an n×n grid of cells numbered row by row."""
    cells = np.arange(n * n).reshape(n, n)
    i = np.r_[cells[:, :-1].ravel(), cells[:-1, :].ravel()]
    j = np.r_[cells[:, 1:].ravel(), cells[1:, :].ravel()]
    return i, j


def cut(labels: np.ndarray, pairs, cost: np.ndarray) -> float:
    return float(cost[labels[pairs[0]] != labels[pairs[1]]].sum())


def connected(labels: np.ndarray, pairs) -> bool:
    same = labels[pairs[0]] == labels[pairs[1]]
    return int(components(len(labels), pairs[0][same], pairs[1][same]).max()) + 1 == len(np.unique(labels))


def test_teeth_of_one_area_in_another_are_given_back_at_no_loss_of_balance():
    n = 10
    pairs, cost = grid(n), np.ones(2 * n * (n - 1))
    row, col = np.divmod(np.arange(n * n), n)
    labels = ((col >= 5) & ~((col == 5) & (row % 2 == 0))).astype(np.int64)  # a straight line with five teeth
    weights = np.full(n * n, 3.0)
    before = cut(labels, pairs, cost), np.abs(np.bincount(labels, weights=weights) / 150 - 1)
    _tighten(labels, pairs, cost, weights, 150.0, (0.0, np.inf), _neighbour_lists(n * n, *pairs))
    after = cut(labels, pairs, cost), np.abs(np.bincount(labels, weights=weights) / 150 - 1)
    assert before[0] == 19 and after[0] == 10 and labels.tolist() == (col >= 5).astype(int).tolist()
    assert (after[1] <= np.maximum(before[1], 0.05) + 1e-9).all()


def test_a_move_that_would_unbalance_an_area_is_not_made():
    pairs = (np.array([0, 1]), np.array([1, 2]))
    labels = np.array([0, 1, 1])
    _tighten(labels, pairs, np.array([10.0, 1.0]), np.array([150.0, 100.0, 50.0]), 150.0, (0.0, np.inf),
             _neighbour_lists(3, *pairs))
    assert labels.tolist() == [0, 1, 1]  # unit 1 shares most with group 0, but 250 / 50 is off every band


@settings(max_examples=60, deadline=None)
@given(st.integers(4, 9), st.integers(2, 4), st.integers(0, 2**32 - 1))
def test_tightening_never_cuts_more_unbalances_or_breaks_an_area(n, k, seed):
    rng = np.random.default_rng(seed)
    pairs = grid(n)
    cost = rng.uniform(0.1, 3.0, len(pairs[0]))
    weights = rng.integers(0, 12, n * n).astype(float)
    labels = np.minimum(np.arange(n * n) * k // (n * n), k - 1)  # k bands of rows: contiguous
    target = float(weights.sum()) / k
    before = cut(labels, pairs, cost), np.abs(np.bincount(labels, weights=weights, minlength=k) / max(target, 1e-9) - 1)
    _tighten(labels, pairs, cost, weights, target, (0.0, np.inf), _neighbour_lists(n * n, *pairs))
    after = cut(labels, pairs, cost), np.abs(np.bincount(labels, weights=weights, minlength=k) / max(target, 1e-9) - 1)
    assert after[0] <= before[0] + 1e-9
    assert (after[1] <= np.maximum(before[1], 0.05) + 1e-9).all()
    assert connected(labels, pairs) and len(np.unique(labels)) == k
