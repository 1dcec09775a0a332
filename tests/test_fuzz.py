"""Fuzz campaigns (issue 18): whatever the input, perfrules gives a value
or its own error, loses no row, and writes the same bytes for the same input.

Each campaign is a test marked ``fuzz``.  How many inputs it tries:

- a plain ``pytest`` run: a few each (its own ``short`` count), a few
  seconds in all, so the campaigns run with every test run and in CI;
- ``PERFRULES_FUZZ=N pytest tests/test_fuzz.py``: ``N`` each;
- ``pytest -m fuzz`` (only the campaigns): :data:`LONG` each, unless
  ``PERFRULES_FUZZ`` says otherwise.

After the run, pytest's summary lists each campaign's inputs tried, crashes
(an exception other than a :class:`~perfrules.errors.PerfrulesError`: the
campaign fails on the first) and lost rows (rows of the input missing from
the output).  The long run's figures are kept in ``docs/security.md``.

Campaign (c) fuzzes the table readers and the form recognizer with
generated, damaged tables in six layouts.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfrules import Registry, Row, Ruleset, Sheet, cli, render, score, sheet_to_json
from support import assert_status_consistent
from perfrules.errors import PerfrulesError
from perfrules.report import FORMATS
from perfrules.report.grid import FORMULA_STARTS
from perfrules.testing import actual_texts, budget_rows, target_texts

ROOT = Path(__file__).resolve().parents[1]
#: Inputs per campaign under ``pytest -m fuzz`` (when PERFRULES_FUZZ is unset).
LONG = 1000
FUZZ_VARIABLE = "PERFRULES_FUZZ"

pytestmark = pytest.mark.fuzz


def _examples(config, short: int) -> int:
    value = os.environ.get(FUZZ_VARIABLE, "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise pytest.UsageError(f"{FUZZ_VARIABLE} must be a whole number of inputs per campaign, not {value!r}")
        return LONG if value == "1" else int(value)
    if (config.getoption("markexpr") or "").strip() == "fuzz":
        return LONG
    return short


def run_campaign(request, strategy, check, *, short: int) -> dict:
    """Try ``check`` on inputs drawn from ``strategy``; record the tally on
    the test's report (``check`` adds to ``lost``)."""
    tally = {"inputs": 0, "crashes": 0, "lost": 0}

    @settings(max_examples=_examples(request.config, short), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def campaign(value):
        tally["inputs"] += 1
        try:
            check(value, tally)
        except (PerfrulesError, AssertionError):
            raise  # our own error fails the check that did not expect it; a broken promise is not a crash
        except Exception:
            tally["crashes"] += 1
            raise

    try:
        campaign()
    finally:
        request.node.user_properties.append(("fuzz", dict(tally)))
    assert tally["lost"] == 0, f"{tally['lost']} rows lost"
    return tally


# ---- (a) ruleset text → a Ruleset or our own error ---------------------------------

SHIPPED = sorted((ROOT / "rulesets").glob("*/*.rules"))
_REGISTRY = Registry()
_RESOLVE = _REGISTRY.resolver()

#: Words, numbers and marks a ruleset is made of, and some it should refuse.
TOKENS = [
    "ruleset", "version", "effective", "until", "title", "source", "extends", "rounding", "weights", "grade",
    "grades", "not_applicable", "direction", "rule", "when", "score", "otherwise", "because", "remove", "before",
    "after", "check", "sheet", "expect", "monotone", "continuous", "in", "where", "at", "within", "implies",
    "band", "words", "default", "tiers", "else", "if", "then", "and", "or", "not", "is", "contains", "min", "max",
    "clamp", "round", "abs", "number", "cell", "sum", "count", "weight", "actual", "target", "completion",
    "deviation", "overrun", "days_late", "reported", "rate", "row", "direction", "higher", "lower", "exact",
    "half-up", "half-even", "down", "up", "rescale", "exclude", "zero", "mof@2020", "../../etc/passwd@1",
    "0", "1", "0.01", "100%", "30%", "5‰", "2024-12-31", "99999999999999999999", "1" + "0" * 40,
    "0." + "0" * 50 + "1", "0.000000001", "1.2.3", "-", "+", "*", "/", "×", "÷", "..", "(", ")", "{", "}", "[",
    "]", ":", ";", ",", "<", "<=", ">", ">=", "==", "!=", "≥", "≤", "=", '"达成"', '"', "'", "#", "\n", "\n  ",
    "\t", "\x00", "\x1f", "\u3000", "产出指标", "满意度", "𠀀", "__import__('os')", "{0}", "%s", "\\",
]


@st.composite
def ruleset_texts(draw) -> str:
    """Token soup, sometimes behind a valid header, or any text at all."""
    soup = " ".join(draw(st.lists(st.sampled_from(TOKENS), max_size=60)))
    return draw(st.sampled_from([
        soup,
        "ruleset fuzz\nversion 1\n" + soup,
        "ruleset fuzz\nversion 1\nrule r\n  when " + soup + "\n  score weight\nrule met\n  otherwise\n  score 0\n",
        "ruleset fuzz\nversion 1\nrule met\n  otherwise\n  score " + soup + "\n",
        draw(st.text(max_size=200)),
    ]))


@st.composite
def mutated_rulesets(draw) -> str:
    """A shipped ruleset with a few cuts, copies, insertions, swapped lines
    and numbers replaced by extreme ones."""
    text = draw(st.sampled_from(SHIPPED)).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["cut", "copy", "insert", "swap", "number"]))
        at = draw(st.integers(0, len(text)))
        if how == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif how == "copy":
            text = text[:at] + text[at:at + draw(st.integers(1, 200))] + text[at:]
        elif how == "insert":
            text = text[:at] + draw(st.sampled_from(TOKENS)) + " " + text[at:]
        elif how == "swap":
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        else:
            numbers = list(re.finditer(r"\d+(\.\d+)?", text))
            if numbers:
                found = draw(st.sampled_from(numbers))
                extreme = draw(st.sampled_from(["0", "0." + "0" * 30 + "1", "9" * 30, "0.00000001", "1" + "0" * 20]))
                text = text[:found.start()] + extreme + text[found.end():]
    return text


def _rows_to_score() -> list[Row]:
    rows = [Row.read(target=t, actual=a, weight=w, reported=r, name="指标", level1="产出指标", level2=l2)
            for t, a, w, r, l2 in [
                ("≥10次", "12次", "5", "5", "数量指标"), ("≤100万元", "120万元", "10", "8", "成本指标"),
                ("=100%", "98%", "5", None, "质量指标"), ("80%-90%", "85%", "5", "5", "质量指标"),
                ("2024年12月31日前", "已于2024年11月完成", "5", "5", "时效指标"),
                ("促进科技发展", "效果显著", "10", "9", "社会效益指标"), ("/", "", "5", None, "数量指标"),
                ("≥0." + "0" * 90 + "1次", "1" + "0" * 90 + "次", "99999999999999999999", "0", "数量指标"),
                ("≥10次", "=HYPERLINK(\"x\")", None, None, "数量指标"),
            ]]
    return rows + [Row.budget_execution(budget="100", spent="95", weight="10", reported="9.5")]


ROWS = _rows_to_score()


def ruleset_or_our_error(text: str, tally: dict) -> None:
    """The text builds a ruleset that scores every row, or raises our own
    error, positioned inside the text."""
    try:
        ruleset = Ruleset.from_text(text, path="fuzz.rules", resolve=_RESOLVE)
    except PerfrulesError as error:
        assert str(error)  # renders, caret and all
        problems = getattr(error, "problems", None) or [error]
        for problem in problems:
            if problem.span is not None and problem.path == "fuzz.rules":
                assert 0 <= problem.span.start <= len(text), problem
        return
    tally["accepted"] = tally.get("accepted", 0) + 1
    for row in ROWS:
        for trace in (False, True):
            result = ruleset.evaluate(row, trace=trace)
            assert_status_consistent(result)


def test_any_ruleset_text_gives_a_ruleset_or_our_error(request):
    run_campaign(request, ruleset_texts(), ruleset_or_our_error, short=40)


def test_mutated_shipped_rulesets_give_a_ruleset_or_our_error(request):
    run_campaign(request, mutated_rulesets(), ruleset_or_our_error, short=25)


# ---- (b) every output format of perfrules score -----------------------------------

#: Cell texts that have broken spreadsheets, pages and terminals.
NASTY = [
    '=HYPERLINK("http://x","y")', "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3", "=1+1", "\t=1", "\r=1",
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "&amp;&lt;", "9\x1f", "0\x0b", "\x00",
    "a\x07b\x1bc", "\u202e反向", "\ufeff", "‮", "合计完成投资额", "总分达标率", "-", "-1.5", "'", '"', ",", "\n",
    "\r\n", "长" * 4000, "x" * 40000, "𠀀𠀁", "%s%d{0}", "\\x00",
]
_nasty = st.one_of(st.sampled_from(NASTY), st.text(max_size=20))


@st.composite
def nasty_rows(draw) -> Row:
    """An indicator row as a table gives it: any cell may be nasty."""

    def cell(usual):
        return draw(st.one_of(usual, _nasty))

    return Row.read(
        target=cell(target_texts()), actual=cell(actual_texts()),
        weight=draw(st.sampled_from([None, "0", "5", "12.5", "30", "abc", "-1", "=1"])),
        reported=draw(st.sampled_from([None, "0", "5", "4.5", "99", "=SUM(A1)"])),
        name=cell(st.sampled_from(["科技创新券支持企业数", "培训人次", ""])),
        level1=cell(st.sampled_from(["产出指标", "效益指标", "满意度指标", ""])),
        level2=cell(st.sampled_from(["数量指标", "成本指标", ""])),
        goal=cell(st.just("")), note=cell(st.just("")),
    )


@st.composite
def nasty_sheets(draw) -> Sheet:
    return Sheet(
        rows=draw(st.lists(nasty_rows(), max_size=6)),
        budget=draw(st.none() | budget_rows()),
        title=draw(_nasty), organisation=draw(_nasty),
        fiscal_year=draw(st.sampled_from([None, 2019, 2024])),
        reported_total=draw(st.sampled_from([None, Decimal("93.95")])),
    )


def _lost_rows(sheet: Sheet, outputs: dict[str, bytes]) -> int:
    """Input rows missing from the JSON output (by name, in order)."""
    rows = json.loads(outputs["json"])["rows"]
    return abs(len(rows) - len(sheet.rows)) + sum(r["name"] != s.name for r, s in zip(rows, sheet.rows))


def _check_outputs(sheet: Sheet, outputs: dict[str, bytes]) -> None:
    """What each format promises about text that could run."""
    cells = [c for row in csv.reader(io.StringIO(outputs["csv"].decode("utf-8-sig"))) for c in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS) and not re.fullmatch(r"-|[+-]?[\d.,]+%?", c)]
    page = outputs["html"].lower()
    assert b"<script" not in page and b"<img" not in page  # only as escaped text
    book = openpyxl.load_workbook(io.BytesIO(outputs["xlsx"]))
    assert not [c.coordinate for s in book.worksheets for r in s.iter_rows() for c in r if c.data_type == "f"]


def outputs_are_safe_and_the_same(sheet: Sheet, tally: dict) -> None:
    try:
        result = score(sheet)
    except PerfrulesError:
        return
    outputs = {}
    for fmt in FORMATS:
        data = render(result, fmt)
        outputs[fmt] = data if isinstance(data, bytes) else data.encode("utf-8")
        again = render(score(sheet), fmt)
        assert (again if isinstance(again, bytes) else again.encode("utf-8")) == outputs[fmt], fmt
    _check_outputs(sheet, outputs)
    tally["lost"] += _lost_rows(sheet, outputs)


def test_every_output_format_is_safe_and_the_same_for_the_same_sheet(request):
    run_campaign(request, nasty_sheets(), outputs_are_safe_and_the_same, short=8)


def _score_with_the_cli(path: Path, out: Path, fmt: str, *extra: str) -> tuple[int, bytes]:
    status = cli.main(["score", str(path), "--format", fmt, "-o", str(out), *extra])
    return status, out.read_bytes() if out.exists() else b""


def test_perfrules_score_writes_the_same_bytes_twice(request, tmp_path_factory):
    """``perfrules score`` in-process (the CLI's main()), every format, twice."""

    def check(sheet: Sheet, tally: dict) -> None:
        folder = tmp_path_factory.mktemp("cli")
        path = folder / "sheet.json"
        path.write_text(json.dumps(sheet_to_json(sheet), ensure_ascii=False), encoding="utf-8")
        outputs = {}
        for fmt in FORMATS:
            first = _score_with_the_cli(path, folder / f"1.{fmt}", fmt)
            second = _score_with_the_cli(path, folder / f"2.{fmt}", fmt)
            assert first == second, fmt
            assert first[0] in (0, 2)
            outputs[fmt] = first[1]
        # No output at all: the run said why (no ruleset in effect that year).
        if all(outputs.values()):
            tally["lost"] += _lost_rows(sheet, outputs)
            _check_outputs(sheet, outputs)

    run_campaign(request, nasty_sheets(), check, short=4)


# One table, every format, scored in another process with another hash seed
# and in worker processes (--jobs): the same bytes as in this one.
_FIXED = Sheet(
    rows=[Row.read(target=t, actual=a, weight="5", reported="5", name=n, level1="产出指标", level2="数量指标")
          for t, a, n in [("≥10次", "12次", '=HYPERLINK("http://x","y")'), ("=100%", "9\x1f", "<script>x</script>"),
                          ("≤5115万元", "5051.15万元", "@SUM(1+1)"), ("提升服务", "基本达到", "合计完成投资额")]],
    budget=Row.budget_execution(budget="176875.03", spent="170639.2", weight="10", reported="9.65"),
    title="+cmd|' /C calc'!A0", organisation="测试单位", fiscal_year=2024,
)

_DRIVER = """
import sys
from perfrules import cli
path, out = sys.argv[1], sys.argv[2]
for fmt in {formats!r}:
    cli.main(["score", path, "--format", fmt, "-o", f"{{out}}/{{fmt}}"])
"""


def test_the_same_bytes_across_hash_seeds_and_jobs(tmp_path):
    path = tmp_path / "fixed.json"
    path.write_text(json.dumps(sheet_to_json(_FIXED), ensure_ascii=False), encoding="utf-8")
    here = tmp_path / "here"
    here.mkdir()
    for fmt in FORMATS:
        assert cli.main(["score", str(path), "--format", fmt, "-o", str(here / fmt)]) == 0
    expected = {fmt: (here / fmt).read_bytes() for fmt in FORMATS}
    for seed in ("1", "4242"):
        there = tmp_path / f"seed-{seed}"
        there.mkdir()
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))
        subprocess.run([sys.executable, "-c", _DRIVER.format(formats=list(FORMATS)), str(path), str(there)],
                       env=env, check=True, capture_output=True)
        assert {fmt: (there / fmt).read_bytes() for fmt in FORMATS} == expected, f"PYTHONHASHSEED={seed}"
    # Two tables in two worker processes, as one after the other here.
    other = tmp_path / "other.json"
    other.write_text(json.dumps(sheet_to_json(attrs.evolve(_FIXED, rows=_FIXED.rows[::-1])), ensure_ascii=False),
                     encoding="utf-8")
    for fmt in ("json", "csv", "xlsx"):
        one, two = tmp_path / f"one-{fmt}", tmp_path / f"two-{fmt}"
        assert cli.main(["score", str(path), str(other), "--format", fmt, "-o", str(one)]) == 0
        assert cli.main(["score", str(path), str(other), "--format", fmt, "-o", str(two), "-j", "2"]) == 0
        assert (one / f"fixed.{fmt}").read_bytes() == expected[fmt]
        for name in (f"fixed.{fmt}", f"other.{fmt}"):
            assert (two / name).read_bytes() == (one / name).read_bytes(), f"{name} with --jobs 2"


# ---- (c) table readers: any table, any layout, read or our own error, no row lost ---

_NAMES = [f"考核事项{a}{b}" for a in "甲乙丙丁戊己庚辛壬癸" for b in "子丑寅卯"]
_HEADERS = (["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
            ["一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分", "未完成原因"])
_JUNK = ["", "—", "/", "……", "指标2:", "总分", "合计", "100", "x", "≥", "人次", "产出指标", "\x0b", "(50分)", "|"]
_LAYOUTS = ("tabs", "pipes", "spaces", "lines", "csv", "xlsx")


@st.composite
def tables(draw) -> tuple[str, list[str], list[list[str]]]:
    """(layout, the indicator names, the grid's rows) of a generated table,
    damaged the ways copied tables are: cells dropped or added, cut short."""
    header = draw(st.sampled_from(_HEADERS))
    weight_first = header[3] == "分值"
    count = draw(st.integers(1, 8))
    names = draw(st.lists(st.sampled_from(_NAMES), min_size=count, max_size=count, unique=True))
    rows = [["项目支出绩效自评表（2024年度）"], header]
    for index, name in enumerate(names):
        target, actual = draw(target_texts()), draw(actual_texts())
        weight = draw(st.sampled_from(["10", "5", "20", "12.5"]))
        reported = draw(st.sampled_from([weight, "8", "0", ""]))
        levels = ["产出指标", "数量指标"] if index == 0 else ["", draw(st.sampled_from(["", "质量指标", "时效指标"]))]
        cells = [name, weight, target, actual, reported] if weight_first else [name, target, actual, weight, reported]
        row = levels + cells
        if draw(st.booleans()):
            at = draw(st.integers(0, len(row)))
            row.insert(at, draw(st.sampled_from(_JUNK)))
        if draw(st.booleans()) and len(row) > 3:
            del row[draw(st.integers(3, len(row) - 1))]
        rows.append(row)
    if draw(st.booleans()):
        rows.append(["总分", "100", draw(st.sampled_from(["95", "100", ""]))])
    if draw(st.booleans()):
        rows = rows[: draw(st.integers(2, len(rows)))]
    return draw(st.sampled_from(_LAYOUTS)), names, rows


def _write(layout: str, rows: list[list[str]], folder: Path) -> Path:
    if layout == "xlsx":
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append([re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", " ", c) for c in row])
        path = folder / "table.xlsx"
        book.save(path)
        return path
    if layout == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        path = folder / "table.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        return path
    joiner = {"tabs": "\t", "pipes": " | ", "spaces": " ", "lines": "\n"}[layout]
    path = folder / "table.txt"
    path.write_text("\n".join(joiner.join(row) for row in rows) + "\n", encoding="utf-8")
    return path


def tables_read_without_loss(case, tally, folder) -> None:
    """A table reads into sheets or raises our own error; every indicator
    name written is in a row, a finding's unread lines, or another row's
    cells; reading twice gives the same sheets."""
    from perfrules.readers import read_sheets

    layout, names, rows = case
    path = _write(layout, rows, folder)
    try:
        sheets = read_sheets(path, fiscal_year=2024)
    except PerfrulesError as error:
        assert str(error)
        return
    assert sheets == read_sheets(path, fiscal_year=2024)
    seen = " ".join(
        " ".join([r.name, r.target.text or "", r.actual.text or "", r.note, r.problem or "", *r.columns.values()])
        for sheet in sheets for r in sheet.rows
    ) + " ".join(u for sheet in sheets for u in sheet.unread)
    written = {c for row in rows for c in row}
    lost = [name for name in names if name in written and name not in seen]
    tally["lost"] += len(lost)
    for sheet in sheets:
        scored = score(sheet, "mof@2020")
        assert len(scored.rows) == len(sheet.rows)


def test_any_table_in_any_layout_reads_without_loss(request, tmp_path):
    run_campaign(request, tables(), lambda case, tally: tables_read_without_loss(case, tally, tmp_path), short=30)
