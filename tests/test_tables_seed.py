"""The seed table, scored with the default ruleset: issue 5's "Must show".

The seed is the 天津市科学技术局 2024 department-overall self-evaluation
(examples/tianjin-kjj-2024-zhengti.txt); ../shared/DOMAIN.md lists how its
authors scored it.  Rows are found by the line of the file they sit on, so
a failure names a line a person can open.
"""

from __future__ import annotations

import contextlib
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from perfrules import read_sheet, score
from perfrules.report import result_to_json

ROOT = Path(__file__).resolve().parents[1]
SEED = "examples/tianjin-kjj-2024-zhengti.txt"  # relative: positions and the golden file name it so
GOLDEN = ROOT / "tests" / "golden" / "tables" / "tianjin-kjj-2024.scored.json"

# To regenerate the golden file deliberately (after a change you mean, such
# as an edit to rulesets/mof/2020.rules, which changes its sha256), run
#     PERFRULES_REGENERATE_GOLDEN=1 PYTHONPATH=. python -m pytest tests/test_tables_seed.py -k golden
# then read the diff row by row against the table and DOMAIN.md before
# keeping it.
REGENERATE = os.environ.get("PERFRULES_REGENERATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def sheet():
    with contextlib.chdir(ROOT):
        return read_sheet(SEED)


@pytest.fixture(scope="module")
def scored(sheet):
    return score(sheet)


@pytest.fixture(scope="module")
def lines() -> list[str]:
    """The seed's lines, numbered from 1 like positions (index 0 unused)."""
    return [""] + (ROOT / SEED).read_text(encoding="utf-8").splitlines()


def at_line(scored, number: int):
    """The scored row read from line ``number`` of the seed."""
    found = [r for r in scored.rows if r.row.position == f"{SEED}:{number}"]
    assert len(found) == 1, f"expected one row from line {number}, found {len(found)}"
    return found[0]


# ---- what is read ----


def test_sixty_indicator_rows(sheet):
    assert len(sheet.rows) == 60


def test_sheet_header(sheet):
    assert sheet.title == "整体支出绩效自评表"
    assert sheet.organisation == "天津市科学技术局"
    assert sheet.fiscal_year == 2024
    assert sheet.kind == "整体"
    assert sheet.source == SEED


def test_goals(sheet):
    assert [g.number for g in sheet.goals] == ["1", "2", "3", "4", "5", "6"]
    assert sheet.goals[0].text.startswith("加强协同创新平台载体建设")
    assert sheet.goals[0].outcome.startswith("通过审核科技创新券合作")
    assert sheet.goals[5].text.startswith("保障科技局系统人员工资发放")
    assert sheet.goals[5].outcome.startswith("完成人员工资保障工作")


def test_reported_total_and_grade(sheet):
    assert sheet.reported_total == Decimal("93.95")
    assert sheet.reported_grade == "优"
    assert sheet.conclusion.startswith("本部门整体支出绩效自评得分93.95分")


def test_budget_block(sheet):
    budget = sheet.budget
    assert budget is not None
    assert budget.kind == "budget_execution"
    assert (budget.budget, budget.spent) == (Decimal("176875.03"), Decimal("170639.2"))
    assert (budget.weight, budget.reported) == (Decimal("10"), Decimal("9.65"))
    assert budget.columns["年初预算数"] == "85652.16"
    assert budget.columns["执行率"] == "96.5%"
    assert budget.note.startswith("主要原因是天津医学健康研究院项目")
    assert budget.position == f"{SEED}:9"


def test_nothing_left_unread(sheet):
    # Every line of the seed belongs to a block it knows.
    assert sheet.unread == ()
    assert all(row.problem is None for row in sheet.rows)


def test_every_position_points_at_its_line(sheet, lines):
    """Each row's position is the file line holding its cells, in order."""
    numbers = []
    for row in sheet.rows:
        path, _, number = row.position.rpartition(":")
        assert path == SEED
        number = int(number)
        cells = lines[number].split("\t")
        assert row.name in cells, (number, row.name)
        assert row.target.text in cells, (number, row.target.text)
        assert row.actual.text in cells, (number, row.actual.text)
        numbers.append(number)
    expected = list(range(21, 37)) + list(range(39, 55)) + list(range(57, 72)) + list(range(74, 87))
    assert numbers == expected


@pytest.mark.parametrize(
    ("line", "goal", "level1", "level2"),
    [
        (21, "绩效目标1", "产出指标", "数量指标"),
        (28, "绩效目标1", "产出指标", "成本指标"),  # 成本指标 drifted into the level-1 column
        (32, "绩效目标2", "产出指标", "数量指标"),  # the goal cell drifted a column right
        (33, "绩效目标2", "产出指标", "数量指标"),  # the name drifted to the first column
        (42, "绩效目标2", "效益指标", "社会效益指标"),
        (70, "绩效目标5", "产出指标", "成本指标"),
        (82, "绩效目标6", "产出指标", "时效指标"),  # 时效指标 in the level-1 column
        (86, "绩效目标6", "满意度指标", "服务对象满意度"),  # the last row drifted left
    ],
)
def test_drifting_cells_are_placed(scored, line, goal, level1, level2):
    row = at_line(scored, line).row
    assert (row.goal, row.level1, row.level2) == (goal, level1, level2)


# ---- how it scores ----


def test_default_ruleset_is_mof_2020(scored):
    assert (scored.ruleset.name, scored.ruleset.version) == ("mof", "2020")
    assert len(scored.ruleset.sha256) == 64


def test_budget_execution_score(scored):
    # 170639.2 / 176875.03 = 96.47% → 9.65 of 10, as the unit wrote.
    budget = scored.budget
    assert budget.result.score == Decimal("9.65")
    assert budget.result.reported == Decimal("9.65")
    assert budget.result.status == "agrees"
    assert budget.result.rule == "budget_execution"
    assert result_to_json(scored)["budget"]["rate"] == "0.9647"


def test_reported_total_is_the_sum_of_reported_scores(scored):
    reported = [r.row.reported for r in scored.rows] + [scored.budget.row.reported]
    assert sum(reported, Decimal(0)) == Decimal("93.95") == scored.reported_total
    codes = {f.code for f in scored.findings}
    assert "reported_total" not in codes
    assert "reported_grade" not in codes
    assert "execution_rate" not in codes  # 96.5% is 96.47% to one place


def test_computed_total_and_grade(scored):
    # The rules give 0.5 more on rows 9 and 12 (the default of an
    # overshoot's range is the full weight) and 0.41 more on row 57:
    # 93.95 + 0.5 + 0.5 + 0.41.
    assert scored.total == Decimal("95.36")
    assert scored.grade == "优"
    assert scored.weight_total == Decimal("100")


@pytest.mark.parametrize(
    ("line", "target", "actual", "reported", "allowed"),
    [
        (32, "≥300项", "498项", "0.5", ("0.50", "1.00")),  # 66% over, cut to half
        (29, "≥30项", "68项", "1.5", ("1.00", "2.00")),  # 127% over, cut by a quarter
        (84, "≥4000家", "7667家", "2", ("1.00", "2.00")),  # 92% over, not cut
    ],
)
def test_overshoots_are_within_discretion(scored, line, target, actual, reported, allowed):
    entry = at_line(scored, line)
    assert (entry.row.target.text, entry.row.actual.text) == (target, actual)
    result = entry.result
    assert result.reported == Decimal(reported)
    assert result.status == "within_discretion"
    assert result.rule == "overshoot"
    assert (result.low, result.high) == tuple(Decimal(a) for a in allowed)
    assert result.low <= result.reported <= result.high


def test_row_58_is_the_7667_row(scored):
    assert at_line(scored, 84).index == 58


@pytest.mark.parametrize("line", [53, 54])
def test_nothing_done_scores_nothing_and_agrees(scored, line):
    entry = at_line(scored, line)
    assert entry.row.actual.text == "0家"
    assert entry.result.score == 0
    assert entry.result.reported == 0
    assert entry.result.status == "agrees"


def test_zero_of_fifteen(scored):
    entry = at_line(scored, 53)
    assert entry.row.target.text == "≥15家"
    assert entry.row.weight == 2
    assert entry.result.rule == "shortfall"


@pytest.mark.parametrize("line", [42, 71])
def test_qualitative_rows_are_accepted_in_the_achieved_band(scored, line):
    result = at_line(scored, line).result
    assert result.rule == "qualitative"
    assert result.reported == Decimal("2")
    assert (result.low, result.high) == (Decimal("1.60"), Decimal("2.00"))  # 达成: 80%–100% of 2
    assert result.status == "within_discretion"
    bands = [s.value for s in result.trace if s.label == "band"]
    assert len(bands) == 1 and bands[0].startswith("达成")


def test_deadline_met(scored):
    entry = at_line(scored, 40)
    assert entry.row.target.text == "2024年12月31日前"
    assert entry.row.actual.text == "已于2024年12月31日前完成"
    result = entry.result
    assert result.rule == "deadline"
    assert result.score == entry.row.weight == 1
    assert result.status == "agrees"
    assert ("days_late", "0") in [(s.label, s.value) for s in result.trace]


def test_cost_overrun_differs(scored):
    entry = at_line(scored, 83)
    assert entry.index == 57
    assert (entry.row.target.text, entry.row.actual.text) == ("≤34403.58万元", "44316.45万元")
    result = entry.result
    assert result.reported == Decimal("0.3")
    assert result.rule == "overrun"
    # 1 × (1 − (44316.45 − 34403.58) / 34403.58) = 0.7119 → 0.71
    assert result.score == Decimal("0.71")
    assert result.status == "differs"
    assert [r.index for r in scored.differs()] == [57]


def test_likely_slip_names_the_contract_row(scored):
    entry = at_line(scored, 61)
    assert entry.row.actual.text == "19574.亿元"
    slips = [f for f in scored.findings if f.code == "likely_slip"]
    assert len(slips) == 1
    assert slips[0].rows == (entry.index,)
    assert "19574.亿元" in slips[0].message and "1900亿元" in slips[0].message


def test_no_row_is_unscorable_or_out_of_bounds(scored):
    assert {r.result.status for r in scored.rows} == {"agrees", "within_discretion", "differs"}
    codes = {f.code for f in scored.findings}
    assert not codes & {"unscorable", "score_above_weight", "incompatible_units", "weight_total"}
    assert all(f.severity != "error" for f in scored.findings)


def test_overshoot_cuts_not_monotone(scored):
    # Row 12 (66% over) keeps half its weight while row 58 (92% over) keeps
    # all of it: an auditor should look.
    found = [f for f in scored.findings if f.code == "overshoot_not_monotone"]
    assert len(found) == 1
    assert {12, 58} <= set(found[0].rows)


# ---- the whole result, exactly ----


def _first_difference(expected, got, path="$"):
    if type(expected) is not type(got):
        return f"{path}: expected {expected!r}, got {got!r}"
    if isinstance(expected, dict):
        for key in list(expected) + [k for k in got if k not in expected]:
            if key not in got:
                return f"{path}.{key}: missing"
            if key not in expected:
                return f"{path}.{key}: not expected ({got[key]!r})"
            found = _first_difference(expected[key], got[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list):
        for i, (a, b) in enumerate(zip(expected, got)):
            found = _first_difference(a, b, f"{path}[{i}]")
            if found:
                return found
        if len(expected) != len(got):
            return f"{path}: expected {len(expected)} items, got {len(got)}"
        return None
    return None if expected == got else f"{path}: expected {expected!r}, got {got!r}"


def test_golden_result(scored):
    got = result_to_json(scored)
    if REGENERATE:
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        pytest.skip(f"regenerated {GOLDEN.relative_to(ROOT)}: review it before keeping it")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    difference = _first_difference(expected, got)
    assert difference is None, f"the seed's result differs from {GOLDEN.relative_to(ROOT)}: {difference}"
    assert got == expected
