"""The fast paths of issue 19 give what the plain paths give.

Speed itself is measured in benchmarks/, never here: these tests hold each
shortcut to the code it replaces (the indented JSON writer to json.dumps,
the cached header matching to a direct reading of the vocabulary).
"""

from __future__ import annotations

import functools
import json
import re

from hypothesis import given, settings
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


# ---- Row.from_values: a caller's numbers give the row their texts give ----

_DECIMALS = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
_SYMBOLS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "eq": "="}


@settings(deadline=None)
@given(_DECIMALS, _DECIMALS, _DECIMALS, st.sampled_from(sorted(_SYMBOLS)),
       st.sampled_from(["", "万元", "%", "项", "个月"]), st.sampled_from(["decimal", "float", "text"]))
def test_from_values_is_row_of_the_texts(target, actual, weight, op, unit, form):
    from perfrules import Row
    from perfrules.quantity import format_decimal

    def given_as(value):
        return {"decimal": value, "float": float(value), "text": format_decimal(value)}[form] \
            if form != "text" else format_decimal(value)

    if form == "float" and Decimal(repr(float(target))) != target:  # pragma: no cover - 2 places print exactly
        return
    built = Row.from_values(given_as(target), given_as(actual), given_as(weight), op=op, unit=unit or None) \
        if form != "text" else Row.from_values(_SYMBOLS[op] + format_decimal(target) + unit,
                                               format_decimal(actual) + unit, format_decimal(weight))
    expected = Row.of(target=_SYMBOLS[op] + format_decimal(target) + unit, actual=format_decimal(actual) + unit,
                      weight=format_decimal(weight))
    assert built == expected
    mapping = {"target": given_as(target), "actual": given_as(actual), "weight": given_as(weight), "op": op,
               "unit": unit or None}
    if form == "text":
        mapping = {"target": _SYMBOLS[op] + format_decimal(target) + unit, "actual": format_decimal(actual) + unit,
                   "weight": format_decimal(weight)}
    ruleset = _ruleset()
    assert ruleset.evaluate_many([mapping]) == ruleset.evaluate_many([expected]) == [ruleset.evaluate(expected,
                                                                                                      trace=False)]


@functools.lru_cache(maxsize=1)
def _ruleset():
    from perfrules import Registry

    return Registry().resolve("mof@2020")


from decimal import Decimal  # noqa: E402


def test_from_values_floats_are_the_decimals_they_print_as():
    from perfrules import Row

    row = Row.from_values(0.1, 0.30000000000000004, 1.5)
    assert row.target.quantity.value == Decimal("0.1")
    assert row.actual.quantity.value == Decimal("0.30000000000000004")
    assert row.weight == Decimal("1.5")


def test_from_values_other_cells_and_bare_values():
    from perfrules import BareValue, Row

    row = Row.from_values(95, "97%", 2, reported="1.5", op=None, unit="%", name="满意度", level1="满意度指标")
    assert isinstance(row.target, BareValue) and row.name == "满意度" and row.level1 == "满意度指标"
    assert row.actual.quantity.unit.symbol == "%" and row.reported == Decimal("1.5")
    assert Row.from_values(None, None) == Row()
    assert Row.from_values(5, 6, actual_unit="万元", unit="元").actual.quantity.unit.symbol == "万元"


import pytest  # noqa: E402


@pytest.mark.parametrize(("arguments", "error", "says"), [
    ({"target": True}, TypeError, "bool"),
    ({"target": [1]}, TypeError, "list"),
    ({"target": float("nan")}, "PerfrulesError", "finite"),
    ({"target": 1, "actual": float("inf")}, "PerfrulesError", "finite"),
    ({"target": 1, "weight": Decimal("NaN")}, "PerfrulesError", "number"),
    ({"target": 1, "op": "≥"}, ValueError, "op must be one of"),
    ({"target": 1, "weight": "abc"}, "PerfrulesError", "not a number"),
])
def test_from_values_refuses_what_is_no_number(arguments, error, says):
    import perfrules
    from perfrules import Row

    error = getattr(perfrules, error) if isinstance(error, str) else error
    with pytest.raises(error) as caught:
        Row.from_values(**arguments)
    assert says in str(caught.value)


def test_evaluate_many_refuses_what_is_no_row():
    with pytest.raises(TypeError):
        _ruleset().evaluate_many([{"target": 1, "colour": "red"}])


def _plain_clip(text, limit):
    from perfrules.report.table import width

    out, used = "", 0
    for char in text:
        w = width(char)
        if used + w > limit - (1 if len(text) > len(out) + 1 else 0):
            return out + "…"
        out, used = out + char, used + w
    return out


@given(st.text(alphabet="ab≥项目中１ 9…", max_size=40), st.integers(1, 30))
def test_table_clip_and_width_are_the_plain_ones(text, limit):
    import unicodedata

    from perfrules.report.table import _clip, width

    assert width(text) == sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    assert _clip(text, limit) == _plain_clip(text, limit)


# ---- start-up: a command imports what it uses ----

_HEAVY = ("openpyxl", "lxml", "pdfplumber", "docx", "hypothesis", "dask", "distributed", "numpy", "xlrd",
          "reportlab", "charset_normalizer")


@pytest.mark.parametrize("command", [
    ["--help"],
    ["score", "examples/tianjin-kjj-2024-zhengti.txt"],
    ["score", "examples/tianjin-kjj-2024-zhengti.txt", "--format", "json"],
    ["parse", "≥10次"],
    ["rulesets"],
])
def test_a_command_imports_no_library_it_does_not_use(command, root):
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from perfrules import cli\n"
        "try:\n"
        f"    cli.main({command!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({_HEAVY!r})), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, timeout=120)
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr


# ---- --jobs 2 renders in the workers: the same output ----

@pytest.mark.parametrize("format", ["table", "json", "csv", "html"])
def test_score_with_two_jobs_writes_what_one_job_writes(format, root, tmp_path):
    import shutil

    from perfrules import cli

    table = root / "examples" / "tianjin-kjj-2024-zhengti.txt"
    for number in range(3):
        shutil.copyfile(table, tmp_path / f"t{number}.txt")
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        status = cli.main(["score", str(tmp_path), "--format", format, "--jobs", jobs, "-o", str(out)])
        assert status == 0
        outputs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outputs[0] == outputs[1] and len(outputs[0]) == 3


@given(_JSON)
def test_indented_json_written_in_chunks_is_the_same_text(value):
    import io

    from perfrules.report import _json

    out = io.StringIO()
    _json.dump_indented(value, out.write)
    assert out.getvalue() == json.dumps(value, ensure_ascii=False, indent=2)


def test_a_big_document_is_written_in_several_chunks():
    from perfrules.report import _json

    chunks = []
    document = {"rows": [{"index": i, "trace": [{"step": "s", "value": str(i)}]} for i in range(2000)]}
    _json.dump_indented(document, chunks.append)
    assert len(chunks) > 1 and "".join(chunks) == json.dumps(document, ensure_ascii=False, indent=2)
