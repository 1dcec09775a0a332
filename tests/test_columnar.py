"""The columnar path gives what the row path gives, row for row (issue 19).

A differential test: generated rulesets (the rules the columns model, and
some they do not) and generated tables of numbers and words, scored by
:func:`perfrules.columnar.score_columns` and by ``Ruleset.evaluate`` on each
row built with ``Row.from_values``: equal results, exact to the cent; the
shipped rulesets the same.  A row the columns cannot model falls back, and
is counted.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfrules import Row, Ruleset
from perfrules.columnar import score_columns

np = pytest.importorskip("numpy")

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "rulesets").glob("*/*.rules"))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---- rulesets ----

_NAMES = ["weight", "target", "actual", "completion", "deviation", "overrun", "reported"]
_LITERALS = ["0", "1", "2", "0.5", "30%", "60%", "100%", "130%", "1.3", "0.333", "3"]


def _numbers(depth: int) -> st.SearchStrategy[str]:
    atoms = st.sampled_from(_NAMES + _LITERALS)
    if depth <= 0:
        return atoms
    inner = st.deferred(lambda: _numbers(depth - 1))
    return st.one_of(
        atoms,
        st.builds("-{}".format, inner),
        st.builds("({} {} {})".format, inner, st.sampled_from(["+", "-", "*", "/"]), inner),
        st.builds("{}({}, {})".format, st.sampled_from(["min", "max"]), inner, inner),
        st.builds("min({}, {}, {})".format, inner, inner, inner),
        st.builds("clamp({}, {}, {})".format, inner, inner, inner),
        st.builds("abs({})".format, inner),
        st.builds("(if {} then {} else {})".format, st.deferred(lambda: _conditions(depth - 1)), inner, inner),
        # What the columns do not model: its rows take the row path.
        st.builds("round({}, 0.1)".format, inner),
    )


def _conditions(depth: int) -> st.SearchStrategy[str]:
    atoms = st.one_of(
        st.builds("{} {} {}".format, _numbers(depth), st.sampled_from(["<", "<=", ">", ">=", "==", "!="]),
                  _numbers(depth)),
        st.sampled_from([f"direction is {w}" for w in ("higher", "lower", "exact", "band", "none")]
                        + [f"target is {w}" for w in ("comparison", "value", "qualitative", "ge", "le", "eq",
                                                      "range", "deadline", "not_applicable")]
                        + ["row is indicator", "direction is not higher", 'name == "x"', "actual is quantity"]),
    )
    if depth <= 0:
        return atoms
    inner = st.deferred(lambda: _conditions(depth - 1))
    return st.one_of(atoms, st.builds("not ({})".format, inner), st.builds("({} and {})".format, inner, inner),
                     st.builds("({} or {})".format, inner, inner))


@st.composite
def _scores(draw) -> str:
    number = draw(_numbers(2))
    low, default, high = sorted(draw(st.lists(st.integers(0, 100), min_size=3, max_size=3)))
    return draw(st.sampled_from([
        number,
        f"{number} * ({low}% .. {high}%) default {default}%",
        f"weight * ({low}% .. {high}%) default {default}%",
        "weight * band { 达成: 80% .. 100% default 100% words \"达成\" \"完成\"; "
        f"部分: 50% .. 80% default 70% words \"部分\"; 未达成: 0% .. 60% default {min(default, 60)}% }}",
        "weight * band { 达成: 100% .. 100% default 100% words \"达成\"; 未达成: 0% .. 30% default 30% words \"未\" }",
        f"min(weight, {number})",
    ]))


@st.composite
def rulesets(draw) -> str:
    step = draw(st.sampled_from(["0.01", "0.01", "0.01", "0.1", "1", "0.001", "0.05"]))
    mode = draw(st.sampled_from(["half-up"] * 5 + ["down", "half-even"]))
    lines = ["ruleset columns", "version 1", f"rounding {step} {mode}"]
    if draw(st.integers(0, 4)) == 0:
        lines.append("direction lower when target is value")
    for index in range(draw(st.integers(1, 4))):
        lines += [f"rule r{index}", f"  when {draw(_conditions(2))}", f"  score {draw(_scores())}"]
    if draw(st.booleans()):
        lines += ["rule rest", "  otherwise", f"  score {draw(_scores())}"]
    return "\n".join(lines) + "\n"


# ---- tables ----

_AMOUNTS = st.one_of(
    st.sampled_from([0, 1, 2, 10, 100, 0.5, 1.3, 13, 130, 99.99]),
    st.integers(0, 10_000),
    st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False).map(float),
    st.decimals(min_value=-50, max_value=50, places=3, allow_nan=False),
)
_OPS = st.sampled_from(["ge", "ge", "gt", "le", "lt", "eq", None])
_STATEMENTS = ["达成年度指标", "部分达成", "未达成", "基本完成", "效果一般", "促进科技发展", ""]


@st.composite
def _row(draw) -> dict:
    shape = draw(st.sampled_from(["numbers"] * 6 + ["words", "empty", "date"]))
    weight = draw(st.one_of(st.none(), st.sampled_from([1, 2, 10, 0.5, 5]), _AMOUNTS))
    reported = draw(st.one_of(st.none(), st.just(weight), _AMOUNTS))
    row = {"op": draw(_OPS), "weight": weight, "reported": reported, "target": None, "actual": None,
           "target_text": None, "actual_text": None}
    if shape == "numbers":
        target = draw(_AMOUNTS)
        actual = draw(st.one_of(st.just(target), _AMOUNTS, st.none()))
        row.update(target=target, actual=actual)
    elif shape == "words":
        row.update(target_text=draw(st.sampled_from(["促进科技发展", "提升服务水平"])),
                   actual_text=draw(st.sampled_from(_STATEMENTS)))
    elif shape == "date":
        row.update(target_text="2024年底前", actual_text="已完成")
    return row


@st.composite
def tables(draw):
    rows = draw(st.lists(_row(), min_size=1, max_size=25))
    unit = draw(st.sampled_from([None, "%", "万元", "项", "‰"]))
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    if unit is not None:
        columns["unit"] = [unit] * len(rows)
    if draw(st.booleans()):
        pandas = pytest.importorskip("pandas")
        return rows, unit, pandas.DataFrame(columns)
    return rows, unit, columns


def _cell(table, name: str, index: int):
    """A cell as the table holds it (a pandas column of ints with an empty
    cell holds floats: 0 is 0.0 there), None for an empty one."""
    if name not in table:
        return None
    column = table[name]
    value = column.iloc[index] if hasattr(column, "iloc") else column[index]
    value = value.item() if hasattr(value, "item") else value
    return None if value is None or value != value else value


def _row_path(ruleset: Ruleset, rows: list[dict], unit, table) -> list:
    def cells(index):
        target, actual = _cell(table, "target", index), _cell(table, "actual", index)
        return (target if target is not None else _cell(table, "target_text", index),
                actual if actual is not None else _cell(table, "actual_text", index),
                _cell(table, "weight", index), _cell(table, "reported", index))

    return [ruleset.evaluate(Row.from_values(*cells(index), op=_cell(table, "op", index), unit=unit), trace=False)
            for index in range(len(rows))]


def _same(ruleset: Ruleset, rows, unit, table):
    scored = score_columns(ruleset, table)
    expected = _row_path(ruleset, rows, unit, table)
    got = scored.results()
    for index, (ours, theirs) in enumerate(zip(got, expected)):
        assert ours == theirs, f"row {index} {rows[index]}: columns {ours}, rows {theirs}"
        assert str(ours.score) == str(theirs.score)  # the same digits and sign (-0.00), not only the value
    assert len(got) == len(expected)
    assert scored.scores() == [r.score for r in expected]
    assert 0 <= scored.fallback <= len(rows)
    return scored


@SETTINGS
@given(text=rulesets(), table=tables())
def test_generated_rulesets_score_columns_as_rows(text, table):
    _same(Ruleset.from_text(text), *table)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: f"{p.parent.name}@{p.stem}")
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables())
def test_shipped_rulesets_score_columns_as_rows(path, table):
    _same(Ruleset.from_file(path), *table)


# ---- what the columns model, they score without the row path ----

#: The peer benchmark's policy, shared with benchmarks/columns.py.
POLICY = (ROOT / "benchmarks" / "peers.rules").read_text(encoding="utf-8")


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["ge", "le", "eq", "qual"]), st.integers(1, 100_000),
                          st.integers(0, 250_000), st.sampled_from([1, 2, 10]),
                          st.sampled_from(_STATEMENTS[:3])), min_size=1, max_size=40))
def test_numbers_and_bands_need_no_row_path(records):
    rows = [{"op": None if kind == "qual" else kind, "weight": weight, "reported": None,
             "target": None if kind == "qual" else target / 100, "actual": None if kind == "qual" else actual / 100,
             "target_text": "促进科技发展" if kind == "qual" else None,
             "actual_text": statement if kind == "qual" else None}
            for kind, target, actual, weight, statement in records]
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    scored = _same(Ruleset.from_text(POLICY), rows, None, columns)
    # Ties of decimal arithmetic that rounded on the way (x/3 at a
    # half-cent) may take the row path; nothing else does.
    assert scored.fallback <= sum(1 for r in rows if r["op"] == "eq")


def test_a_tie_after_a_rounded_division_takes_the_row_path():
    """1/3 × 3 × 0.005 is 0.005 exactly, a tie; decimal arithmetic rounds
    1/3 first and gets 0.00.  The columns give the row path's 0.00."""
    ruleset = Ruleset.from_text("ruleset r\nversion 1\nrounding 0.01 half-up\nrule a\n  otherwise\n"
                                "  score weight / 3 * 3 * 0.005\n")
    scored = score_columns(ruleset, {"target": [1, 1], "actual": [1, 1], "weight": [1, 2]})
    assert scored.scores() == [ruleset.evaluate(Row.from_values(1, 1, w), trace=False).score for w in (1, 2)]
    assert scored.fallback == 1  # the tie; 2 × 0.005 = 0.01 is none


def test_bad_tables_are_refused_clearly():
    ruleset = Ruleset.from_text(POLICY)
    with pytest.raises(ValueError, match="differ in length"):
        score_columns(ruleset, {"target": [1, 2], "actual": [1]})
    with pytest.raises(ValueError, match="op must be one of"):
        score_columns(ruleset, {"target": [1], "actual": [1], "op": ["≥"]})
    with pytest.raises(TypeError, match="not a number"):
        score_columns(ruleset, {"target": ["≥1"], "actual": [1]})
    with pytest.raises(TypeError, match="booleans"):
        score_columns(ruleset, {"target": [True], "actual": [1]})
    with pytest.raises(TypeError, match="mapping of columns"):
        score_columns(ruleset, [{"target": 1}])
    with pytest.raises(TypeError, match="Ruleset"):
        score_columns("mof", {"target": [1]})
    with pytest.raises(ValueError, match="no columns"):
        score_columns(ruleset, {"colour": ["red"]})
