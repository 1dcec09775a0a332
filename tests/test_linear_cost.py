"""Cost grows with the table, not with its square (issue 19).

No clock is read here: each test counts work (Python line events, value
comparisons, peak traced memory) on a table and on one four times as large,
and allows generous slack over four times as much.  A stage that compares
every row with every other gives sixteen.
"""

from __future__ import annotations

import sys
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import perfrules
from perfrules.audit import _inversions
from perfrules.report import render

from bigtable import big_csv

GROWTH = 4
SLACK = 1.5  # allowed over linear growth: n log n and fixed costs fit, n² does not


def _end_to_end(path):
    """Read, score (traced, as --format json), audit and render as JSON."""
    return render(perfrules.score(path), "json")


def _line_events(function, *args) -> int:
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        function(*args)
    finally:
        sys.settrace(None)
    return count


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big")
    paths = {}
    for rows in (100, 100 * GROWTH):
        paths[rows] = folder / f"big{rows}.csv"
        paths[rows].write_text(big_csv(rows), encoding="utf-8")
    _end_to_end(paths[100])  # caches and lazy set-up are paid before counting
    return paths


def test_work_grows_linearly_with_the_table(tables):
    small, large = (_line_events(_end_to_end, tables[n]) for n in sorted(tables))
    assert large / small <= GROWTH * SLACK, f"{small} line events for 100 rows, {large} for {100 * GROWTH}"


def test_memory_grows_linearly_with_the_table(tables):
    peaks = []
    for rows in sorted(tables):
        tracemalloc.start()
        try:
            _end_to_end(tables[rows])
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert peaks[1] / peaks[0] <= GROWTH * SLACK, f"peak {peaks[0]} bytes for 100 rows, {peaks[1]} for 400"


class _Counted:
    """A share that counts how often it is compared."""

    compared = 0

    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        _Counted.compared += 1
        return self.value < other.value

    def __gt__(self, other):
        _Counted.compared += 1
        return self.value > other.value

    def __eq__(self, other):
        return self.value == other.value

    __hash__ = None


def _comparisons(size: int, seed: int) -> int:
    import random

    rng = random.Random(seed)
    cut = [(deviation, _Counted(rng.randint(0, 100)), deviation) for deviation in range(size)]
    _Counted.compared = 0
    _inversions(cut)
    return _Counted.compared


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10**6))
def test_overshoot_check_compares_each_row_a_few_times(seed):
    small, large = _comparisons(500, seed), _comparisons(500 * GROWTH, seed)
    assert large <= small * GROWTH * SLACK
    assert large <= 5 * 500 * GROWTH  # a few comparisons a row, not one per pair
