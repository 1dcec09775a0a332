"""Golden tests of the target language: what real cells must parse to.

Three tables, each a spec written by hand, independently of the parser:

- ``golden/tianjin-kjj-2024.jsonl``: all 60 indicator rows of the seed table
  (``golden/tianjin-kjj-2024-zhengti.txt``), the exact ``to_json()`` object
  of each target and actual;
- ``golden/dev-rows.csv``: the hand-labelled rows of ten real tables
  (kind, value and unit of each target and actual);
- ``FORMS`` / ``ACTUAL_FORMS`` below: every written form the issue and the
  domain notes list, and the two broken comparisons that must be errors.
"""

from __future__ import annotations

import csv
import json
import pickle
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

import perfrules
from perfrules import PerfrulesError, TargetSyntaxError, parse_actual, parse_target

GOLDEN = Path(__file__).parent / "golden"
SEED_TABLE = GOLDEN / "tianjin-kjj-2024-zhengti.txt"
SEED_ROWS = [
    json.loads(line)
    for line in (GOLDEN / "tianjin-kjj-2024.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def _seed_id(row: dict) -> str:
    return f"row{row['row']:02d}-{row['name']}"


# --------------------------------------------------------------------------
# The seed table: 60 rows, exact JSON


def test_seed_golden_has_sixty_rows_in_order():
    assert [row["row"] for row in SEED_ROWS] == list(range(1, 61))


def test_seed_golden_follows_the_table():
    """Each row's target and actual are adjacent cells of one line of the
    table, after the previous row's, with the row's name earlier on that
    line: the golden file cannot drift from the table it describes."""
    table = SEED_TABLE.read_text(encoding="utf-8")
    pos = 0
    for row in SEED_ROWS:
        cells = f"\t{row['target']['text']}\t{row['actual']['text']}\t"
        found = table.find(cells, pos)
        assert found >= 0, f"row {row['row']}: {cells!r} not found after offset {pos}"
        line_start = table.rfind("\n", 0, found) + 1
        assert row["name"] in table[line_start:found].split("\t"), f"row {row['row']}: name not on its line"
        pos = found + len(cells)


def test_seed_table_is_the_shared_copy():
    shared = Path(__file__).resolve().parents[1] / "examples" / "tianjin-kjj-2024-zhengti.txt"
    if not shared.exists():
        pytest.skip("examples/ copy not present")
    assert shared.read_bytes() == SEED_TABLE.read_bytes()


@pytest.mark.parametrize("row", SEED_ROWS, ids=_seed_id)
def test_seed_target(row):
    expected = row["target"]
    assert parse_target(expected["text"]).to_json() == expected


@pytest.mark.parametrize("row", SEED_ROWS, ids=_seed_id)
def test_seed_actual(row):
    expected = row["actual"]
    assert parse_actual(expected["text"]).to_json() == expected


# --------------------------------------------------------------------------
# The ten development tables: kind, value, unit

with (GOLDEN / "dev-rows.csv").open(encoding="utf-8", newline="") as _f:
    DEV_ROWS = list(csv.DictReader(_f))

# Written operators (symbols and words): a target containing none of these
# is a bare number when it is a number at all.
_OPERATOR_MARKS = (
    "≥≤><=≧≦﹦═＞＜＝",
    "不低于", "不少于", "达到", "以上", "不超过", "不高于", "以内", "低于", "高于", "超过", "小于", "大于",
)


def _has_operator(text: str) -> bool:
    return any(mark in text for mark in _OPERATOR_MARKS[0]) or any(
        word in text for word in _OPERATOR_MARKS[1:]
    )


def _dev_id(row: dict) -> str:
    return f"{row['file'].split('_')[0]}-{row['name']}"


def _expected_target_kind(row: dict) -> str:
    # Labelling convention of 30_hebei...: its bare numbers (`43.2`, `100`)
    # are labelled with the indicator's direction (ge/le), which the ruleset
    # decides.  The issue says a number with no operator is its own kind,
    # "value", so that is what the parser must say here; the number is
    # still checked.
    kind = row["exp_kind"]
    if kind in ("ge", "le", "gt", "lt") and not _has_operator(row["target_text"]):
        return "value"
    return kind


def _parse_iso_date(text: str) -> tuple[int | None, int | None, int | None]:
    """``2024-12-31`` → (2024, 12, 31); ``2023-12`` → (2023, 12, None);
    ``--09`` → (None, 9, None): the labels' way of writing deadlines."""
    if text.startswith("--"):
        parts = [None] + [int(p) for p in text[2:].split("-")]
    else:
        parts = [int(p) for p in text.split("-")]
    parts += [None] * (3 - len(parts))
    return tuple(parts)  # type: ignore[return-value]


def _unit_symbol(quantity) -> str | None:
    return quantity.unit.symbol if quantity.unit is not None else None


def _check_quantity(quantity, exp_value: str, exp_unit: str) -> None:
    assert quantity.value == Decimal(exp_value)
    assert _unit_symbol(quantity) == (exp_unit or None)


@pytest.mark.parametrize("row", DEV_ROWS, ids=_dev_id)
def test_dev_target(row):
    value = parse_target(row["target_text"])
    kind = _expected_target_kind(row)
    assert value.kind == kind
    if kind in ("ge", "gt", "le", "lt", "eq", "value"):
        _check_quantity(value.quantity, row["exp_value"], row["exp_unit"])
    elif kind == "deadline":
        assert (value.year, value.month, value.day) == _parse_iso_date(row["exp_value"])
    elif kind == "range":
        low, high = row["exp_value"].split("-")
        assert (value.low.value, value.high.value) == (Decimal(low), Decimal(high))


@pytest.mark.parametrize("row", DEV_ROWS, ids=_dev_id)
def test_dev_actual(row):
    kind = row["actual_kind"]
    if kind == "unparseable":
        pytest.skip("labelled unparseable")
    value = parse_actual(row["actual_text"])
    assert value.kind == kind
    if kind == "quantity":
        _check_quantity(value.quantity, row["actual_value"], row["actual_unit"])
    elif kind == "date":
        assert (value.year, value.month, value.day) == _parse_iso_date(row["actual_value"])


# --------------------------------------------------------------------------
# Every form the issue and DOMAIN.md name

# (text, kind, value, unit): value/unit for comparisons and bare values.
COMPARISONS = [
    ("≥95%", "ge", "95", "%"),
    (">95%", "gt", "95", "%"),
    ("=100%", "eq", "100", "%"),
    ("≤5115万元", "le", "5115", "万元"),
    ("<5%", "lt", "5", "%"),
    ("≧735人次", "ge", "735", "人次"),
    ("≦3个月", "le", "3", "个月"),
    ("﹦72890元", "eq", "72890", "元"),
    ("═100%", "eq", "100", "%"),
    ("＞10次", "gt", "10", "次"),
    ("＜5%", "lt", "5", "%"),
    ("＝100%", "eq", "100", "%"),
    (">=90%", "ge", "90", "%"),
    ("<=30万元", "le", "30", "万元"),
    ("≥ 10 次", "ge", "10", "次"),
    ("不低于95%", "ge", "95", "%"),
    ("不少于10个", "ge", "10", "个"),
    ("达到100%", "ge", "100", "%"),
    ("98%以上", "ge", "98", "%"),
    ("不超过5万元", "le", "5", "万元"),
    ("不高于10%", "le", "10", "%"),
    ("3个月以内", "le", "3", "个月"),
    ("控制在5000万元以内", "le", "5000", "万元"),
    ("低于5%", "lt", "5", "%"),
    ("高于90%", "gt", "90", "%"),
    ("超过100人", "gt", "100", "人"),
    ("小于0.9‰", "lt", "0.9", "‰"),
    ("≥3", "ge", "3", None),
    ("≥1,000人", "ge", "1000", "人"),
    ("1,000", "value", "1000", None),
    ("19574.", "value", "19574", None),
    ("19574.亿元", "value", "19574", "亿元"),
    ("≥三次", "ge", "3", "次"),
    ("两个", "value", "2", "个"),
    ("100%", "value", "100", "%"),
    ("43.2", "value", "43.2", None),
    ("1", "value", "1", None),
    ("5.5亩", "value", "5.5", "亩"),
    ("0起", "value", "0", "起"),
    ("≥4831平方米", "ge", "4831", "平方米"),
    ("≤10个工作日", "le", "10", "个工作日"),
    ("≥50厘米", "ge", "50", "厘米"),
]

# A percent sign written full-width may be kept as written or folded to '%'.
FULLWIDTH = [("≥１００％", "ge", "100", {"%", "％"}, "ratio")]

RANGES = [
    ("80%-90%", "80", "90", "%"),
    ("80%~90%", "80", "90", "%"),
    ("80%至90%", "80", "90", "%"),
    ("80-90%", "80", "90", "%"),
]

# (text, year, month, day)
DEADLINES = [
    ("2024年12月31日前", 2024, 12, 31),
    ("2024年底前", 2024, 12, None),
    ("12月底前", None, 12, None),
    ("9月前", None, 9, None),
    ("年底前", None, 12, None),
    ("2024-12-31前", 2024, 12, 31),
    ("2024年12月", 2024, 12, None),
    ("2023年12月", 2023, 12, None),
]

NOT_APPLICABLE = ["", "/", "—", "-", "一", "不适用"]

QUALITATIVE = [
    "促进我市重大疾病防治技术发展",
    "配合国家战略布局，建立和加强“一带一路”建设参与国互联互通伙伴关系",
    "有效",
    "显著提升",
    "及时",
    "是",
]


@pytest.mark.parametrize("text, kind, value, unit", COMPARISONS, ids=[c[0] for c in COMPARISONS])
def test_target_quantity_forms(text, kind, value, unit):
    parsed = parse_target(text)
    assert parsed.kind == kind
    assert parsed.quantity.value == Decimal(value)
    assert _unit_symbol(parsed.quantity) == unit
    if unit is None:
        assert parsed.to_json()["dimension"] is None


@pytest.mark.parametrize("text, kind, value, units, dimension", FULLWIDTH, ids=[c[0] for c in FULLWIDTH])
def test_target_fullwidth_digits(text, kind, value, units, dimension):
    parsed = parse_target(text)
    assert parsed.kind == kind
    assert parsed.quantity.value == Decimal(value)
    assert _unit_symbol(parsed.quantity) in units
    assert parsed.quantity.unit.dimension == dimension


@pytest.mark.parametrize("text, low, high, unit", RANGES, ids=[r[0] for r in RANGES])
def test_target_ranges(text, low, high, unit):
    parsed = parse_target(text)
    assert parsed.kind == "range"
    assert (parsed.low.value, parsed.high.value) == (Decimal(low), Decimal(high))
    # `80-90%` means both ends in percent
    assert _unit_symbol(parsed.low) == _unit_symbol(parsed.high) == unit
    assert parsed.to_json()["unit"] == unit
    assert parsed.to_json()["dimension"] == "ratio"


@pytest.mark.parametrize("text, year, month, day", DEADLINES, ids=[d[0] for d in DEADLINES])
def test_target_deadlines(text, year, month, day):
    parsed = parse_target(text)
    assert parsed.kind == "deadline"
    assert parsed.to_json() == {"text": text, "kind": "deadline", "year": year, "month": month, "day": day}


@pytest.mark.parametrize("text", NOT_APPLICABLE, ids=repr)
def test_target_not_applicable(text):
    assert parse_target(text).to_json() == {"text": text, "kind": "not_applicable"}


@pytest.mark.parametrize("text", QUALITATIVE)
def test_target_qualitative(text):
    assert parse_target(text).to_json() == {"text": text, "kind": "qualitative"}


def test_comparison_json_shape():
    assert parse_target("≤5115万元").to_json() == {
        "text": "≤5115万元",
        "kind": "le",
        "value": "5115",
        "unit": "万元",
        "dimension": "money",
    }
    assert parse_target("≥3").to_json() == {
        "text": "≥3",
        "kind": "ge",
        "value": "3",
        "unit": None,
        "dimension": None,
    }


# (text, expected to_json() minus "text")
ACTUAL_FORMS = [
    ("≥266米", {"kind": "quantity", "value": "266", "unit": "米", "dimension": "length", "op": "ge"}),
    ("14次", {"kind": "quantity", "value": "14", "unit": "次", "dimension": "count", "op": None}),
    ("19574.亿元", {"kind": "quantity", "value": "19574", "unit": "亿元", "dimension": "money", "op": None}),
    ("735", {"kind": "quantity", "value": "735", "unit": None, "dimension": None, "op": None}),
    ("204.46平方米", {"kind": "quantity", "value": "204.46", "unit": "平方米", "dimension": "area", "op": None}),
    ("已于2024年12月31日前完成", {"kind": "date", "year": 2024, "month": 12, "day": 31}),
    ("2023年10月", {"kind": "date", "year": 2023, "month": 10, "day": None}),
    ("已完成", {"kind": "done"}),
    ("完成", {"kind": "done"}),
    ("按时完成", {"kind": "done"}),
    ("达成预期指标", {"kind": "done"}),
    ("全部达到预期指标", {"kind": "qualitative"}),
    ("基本达到", {"kind": "qualitative"}),
    ("未达成", {"kind": "qualitative"}),
    ("有效", {"kind": "qualitative"}),
    ("", {"kind": "empty"}),
    ("/", {"kind": "empty"}),
    ("—", {"kind": "empty"}),
]


@pytest.mark.parametrize("text, expected", ACTUAL_FORMS, ids=[repr(a[0]) for a in ACTUAL_FORMS])
def test_actual_forms(text, expected):
    assert parse_actual(text).to_json() == {"text": text, **expected}


# --------------------------------------------------------------------------
# Broken comparisons are errors with a caret, not sentences

def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# (text, offset of the offending character)
BROKEN = [
    ("≥1.2.3万元", 4),  # the second '.'
    ("≥万元", 1),  # a unit where the number should be
]


@pytest.mark.parametrize("text, offset", BROKEN, ids=[b[0] for b in BROKEN])
@pytest.mark.parametrize("parse", [parse_target, parse_actual], ids=["target", "actual"])
def test_broken_comparison_is_an_error(parse, text, offset):
    with pytest.raises(TargetSyntaxError) as info:
        parse(text)
    err = info.value
    assert isinstance(err, PerfrulesError)
    assert issubclass(TargetSyntaxError, perfrules.PerfrulesError)
    assert err.span is not None
    assert err.span.start == offset, f"caret at {err.span.start}, expected under {text[offset]!r} at {offset}"
    lines = str(err).splitlines()
    assert text in lines
    caret_line = lines[lines.index(text) + 1]
    assert caret_line.strip().startswith("^")
    # the caret sits under the offending character (CJK characters are two columns wide)
    assert caret_line.index("^") == _width(text[: err.span.start])
    assert lines[0].startswith("<input>:1:")
    assert "Traceback" not in str(err)
    # errors are plain values: they pickle and keep their message
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is type(err) and again.span == err.span and str(again) == str(err)
