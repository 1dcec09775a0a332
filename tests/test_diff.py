"""`perfrules diff A B FILE...`: which rows change between two rulesets
(issue 4's "Must show" on the seed table)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from perfrules import cli, diff_sheets, read_sheet, score

ROOT = Path(__file__).resolve().parents[1]
SEED = "examples/tianjin-kjj-2024-zhengti.txt"
DECIMAL = re.compile(r"-?\d+(\.\d+)?")


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("PERFRULES_PATH", raising=False)


def run(argv, capsys):
    try:
        status = cli.main(argv)
    except SystemExit as exit:
        status = exit.code
    out, err = capsys.readouterr()
    return status, out, err


def diff_json(capsys, a, b, *files):
    status, out, err = run(["diff", a, b, *files, "--format", "json"], capsys)
    assert status == 0, err
    return json.loads(out)


def row_block(out: str, index: int) -> list[str]:
    """The lines the table output gives row ``index``: its head line and
    the two ruleset lines under it."""
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith(f"row {index} "):
            return lines[i : i + 3]
    raise AssertionError(f"row {index} is not listed:\n{out}")


# ---- mof vs the strict audit profile ----


def test_strict_audit_lists_the_7667_row(capsys):
    status, out, err = run(["diff", "mof", "audit-strict", SEED], capsys)
    assert status == 0, err
    head, before, after = row_block(out, 58)
    assert "支撑企业评价入库全过程线上管理" in head and "reported 2" in head
    assert before.split()[0] == "mof@2020:" and "within_discretion" in before and "2.00" in before
    assert after.split()[0] == "audit-strict@2020:" and "differs" in after and "1.80" in after


def test_strict_audit_json_row_58(capsys):
    data = diff_json(capsys, "mof", "audit-strict", SEED)
    rows = {r["index"]: r for r in data["rows"]}
    assert 58 in rows
    row = rows[58]
    assert row["reported"] == "2"
    assert row["before"] == {"rule": "overshoot", "score": "2.00", "allowed": ["1.00", "2.00"],
                             "status": "within_discretion", "reason": None}
    assert row["after"] == {"rule": "overshoot", "score": "1.80", "allowed": ["1.00", "1.80"],
                            "status": "differs", "reason": None}
    # Only overshoot rows can change under a profile that only replaces the overshoot rule.
    assert all(r["before"]["rule"] == "overshoot" for r in data["rows"])
    assert 57 not in rows  # the cost row is scored alike


# ---- variant (a) vs variant (b) ----


def test_cost_ratio_changes_exactly_the_cost_overrun_row(capsys):
    data = diff_json(capsys, "mof", "mof-cost-ratio", SEED)
    assert [r["index"] for r in data["rows"]] == [57]
    row = data["rows"][0]
    assert row["name"] == "保障科技局运转及所属事业单位运行成本"
    assert row["reported"] == "0.3"
    # (a) 1 − (44316.45 − 34403.58)/34403.58 = 0.7119; (b) 34403.58/44316.45 = 0.7763
    assert (row["before"]["score"], row["after"]["score"]) == ("0.71", "0.78")
    assert row["before"]["rule"] == row["after"]["rule"] == "overrun"
    assert data["total_change"] == "0.07"


def test_cost_ratio_table_output(capsys):
    status, out, err = run(["diff", "mof", "mof-cost-ratio", SEED], capsys)
    assert status == 0, err
    head, before, after = row_block(out, 57)
    assert "reported 0.3" in head
    assert "0.71" in before and "0.78" in after
    assert not re.search(r"^\s+row (?!57 )", out, re.MULTILINE)  # no other row
    total = [line for line in out.splitlines() if line.strip().startswith("total")]
    assert total == ["  total 95.36 -> 95.43 (0.07), grade 优 -> 优"]


def test_diff_api(capsys):
    sheet = read_sheet(SEED)
    change = diff_sheets(score(sheet, "mof"), score(sheet, "mof-cost-ratio"))
    assert [(c.index, c.before.score, c.after.score) for c in change.rows] == [(57, Decimal("0.71"), Decimal("0.78"))]
    assert change.total_change == Decimal("0.07")


# ---- the JSON document ----


def test_json_keys_and_strings(capsys):
    data = diff_json(capsys, "mof", "audit-strict", SEED)
    assert set(data) == {"source", "before", "after", "total_change", "rows"}
    assert data["source"] == SEED
    for side, name in (("before", "mof@2020"), ("after", "audit-strict@2020")):
        assert set(data[side]) == {"ruleset", "sha256", "total", "grade"}
        assert data[side]["ruleset"] == name
        assert re.fullmatch(r"[0-9a-f]{64}", data[side]["sha256"])
        assert DECIMAL.fullmatch(data[side]["total"])
    assert data["before"]["sha256"] != data["after"]["sha256"]
    assert (data["before"]["total"], data["after"]["total"], data["total_change"]) == ("95.36", "94.36", "-1.00")
    for row in data["rows"]:
        assert set(row) == {"index", "name", "reported", "before", "after"}
        assert isinstance(row["index"], int)
        for side in (row["before"], row["after"]):
            assert set(side) == {"rule", "score", "allowed", "status", "reason"}
            assert DECIMAL.fullmatch(side["score"])
            assert all(DECIMAL.fullmatch(v) for v in side["allowed"])


def test_json_several_files_is_a_list(capsys):
    data = diff_json(capsys, "mof", "mof-cost-ratio", SEED, SEED)
    assert isinstance(data, list) and len(data) == 2
    assert all([r["index"] for r in d["rows"]] == [57] for d in data)


def test_same_ruleset_changes_nothing(capsys):
    data = diff_json(capsys, "mof", "mof@2020", SEED)
    assert data["rows"] == []
    assert data["before"]["sha256"] == data["after"]["sha256"]
    assert Decimal(data["total_change"]) == 0


# ---- total and grade lines ----


def test_budget_row_change_and_total(capsys):
    # budget-capped: round(10 × min(96.47%, 100%)) = 10, not 9.65.
    data = diff_json(capsys, "mof", "budget-capped", SEED)
    assert [r["index"] for r in data["rows"]] == [0]
    assert Decimal(data["rows"][0]["before"]["score"]) == Decimal("9.65")
    assert Decimal(data["rows"][0]["after"]["score"]) == 10
    assert data["total_change"] == "0.35"
    status, out, _ = run(["diff", "mof", "budget-capped", SEED], capsys)
    assert "  budget 预算执行率: reported 9.65" in out.splitlines()
    assert "  total 95.36 -> 95.71 (0.35), grade 优 -> 优" in out.splitlines()


GRADE_TABLE = """\
部门名称,测试单位
年度,2024年度
绩效目标,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分,全年预算数,全年执行数
,预算执行率,,预算执行率,,,10,10,100,100
绩效目标1,产出指标,数量指标,培训人次,≥10人次,10人次,50,50,,
绩效目标1,效益指标,社会效益指标,服务企业数,≥10家,5家,30,15,,
绩效目标1,满意度指标,服务对象满意度,参训人员满意度,≥90%,95%,10,10,,
总分,,,,,,100,85,,
"""


def test_grade_change_line(tmp_path, capsys):
    # 10 + 50 + 30 × 5/10 + 10 = 85: 良 under 90/80/60, 优 under the legacy 80/70/60.
    path = tmp_path / "grade.csv"
    path.write_text(GRADE_TABLE, encoding="utf-8")
    status, out, err = run(["diff", "mof", "mof-legacy-grades", str(path)], capsys)
    assert status == 0, err
    assert f"{path}: mof@2020 -> mof-legacy-grades@2020: 0 rows change" in out.splitlines()
    assert "  total 85.00 -> 85.00 (0.00), grade 良 -> 优" in out.splitlines()
    data = diff_json(capsys, "mof", "mof-legacy-grades", str(path))
    assert (data["before"]["grade"], data["after"]["grade"], data["rows"]) == ("良", "优", [])


def test_ruleset_file_as_a_side(capsys):
    data = diff_json(capsys, "mof", "rulesets/mof-cost-ratio/2020.rules", SEED)
    assert data["after"]["ruleset"] == "mof-cost-ratio@2020"
    assert [r["index"] for r in data["rows"]] == [57]


@pytest.mark.parametrize("argv", [
    ["diff", "mof", "no-such-ruleset", SEED],
    ["diff", "mof", "mof@1999", SEED],
    ["diff", "mof", "audit-strict", "missing.txt"],
    ["diff", "mof", "audit-strict", SEED, "--rulesets", "no-such-folder"],
])
def test_bad_input_exits_2_without_traceback(capsys, argv):
    try:
        status, out, err = run(argv, capsys)
    except Exception as error:  # noqa: BLE001 - what a user would see as a traceback
        pytest.fail(f"perfrules {' '.join(argv)} raised {type(error).__name__}: {error}")
    assert status == 2
    assert err.strip() and "Traceback" not in err and "\n\n" not in err.strip()


def test_diff_scores_a_year_no_version_covers_with_a_warning(capsys):
    from perfrules import cli

    status = cli.main(["diff", "mof", "mof-cost-ratio", SEED, "--year", "2019"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert f"{SEED}: warning: no version of ruleset 'mof' is in effect in fiscal year 2019" in err
    assert "mof@2020 -> mof-cost-ratio@2020" in out
    assert cli.main(["diff", "mof", "mof-cost-ratio", SEED, "--year", "2019", "--strict-year"]) == 2
    assert capsys.readouterr().err.startswith(f"{SEED}: no version of ruleset")
