"""The fast paths of issue 19 give what the plain paths give.

Speed itself is measured in benchmarks/, never here: these tests hold each
shortcut to the code it replaces (the indented JSON writer to json.dumps,
the cached header matching to a direct reading of the vocabulary).
"""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from perfrules.form import columns
from perfrules.report._json import dumps_indented

_SCALARS = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=True, allow_infinity=True)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=6) | st.integers() | st.none() | st.booleans(), inner, max_size=4),
    max_leaves=30,
)


@given(_JSON, st.integers(0, 4))
def test_indented_json_is_json_dumps(value, indent):
    assert dumps_indented(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)


def test_indented_json_refuses_what_json_refuses():
    from decimal import Decimal

    try:
        json.dumps({"a": [Decimal(1)]}, indent=2)
    except TypeError as error:
        expected = str(error)
    else:  # pragma: no cover
        raise AssertionError("json.dumps accepted a Decimal")
    try:
        dumps_indented({"a": [Decimal(1)]})
    except TypeError as error:
        assert str(error) == expected
    else:
        raise AssertionError("a Decimal was written")


def _plain_match(cell: str, words) -> bool:
    # The reading before the cache: cut at a space or bracket, then == or startswith.
    cell = re.sub(r"[\s(（].*$", "", cell) if cell else cell
    return any(cell == w or cell.startswith(w) for w in words)


_HEADER_WORDS = [w for _, words in columns._COLUMNS for w in words] + ["", "（分）", " ", "\n"]


@given(st.lists(st.sampled_from(_HEADER_WORDS) | st.text(max_size=8), max_size=4).map("".join))
def test_header_cell_matching_is_the_plain_reading(cell):
    for table in (columns._COLUMNS, columns._BUDGET_COLUMNS):
        if cell:  # an empty cell is never looked up
            assert columns._keys_of(cell, table) == tuple(key for key, words in table if _plain_match(cell, words))
        for _key, words in table:
            assert columns._match(cell, words) == _plain_match(cell, words)


def _pairwise(cut):
    # The quadratic reading the audit replaced: every pair, in order.
    pairs = [(a, b) for i, a in enumerate(cut) for b in cut[i + 1 :] if b[1] > a[1]]
    if not pairs:
        return None, []
    return pairs[0], sorted({p[0][2] for p in pairs} | {p[1][2] for p in pairs})


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=30))
def test_overshoot_inversions_are_the_pairwise_ones(values):
    from decimal import Decimal

    from perfrules.audit import _inversions

    cut = sorted((Decimal(d), Decimal(s) / 4, index) for index, (d, s) in enumerate(values))
    assert _inversions(cut) == _pairwise(cut)
