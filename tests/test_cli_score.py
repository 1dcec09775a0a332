"""`perfrules score | audit | explain | rulesets`: the command-line contract
of issues 4 and 5, on the seed table."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from support import ROOT, SEED, run
from perfrules import cli, read_sheet

DECIMAL = re.compile(r"-?\d+(\.\d+)?")
SHIPPED = {"audit-strict", "budget-capped", "guangxi", "jinan-licheng", "mof", "mof-cost-ratio",
           "mof-legacy-grades", "sichuan-dayin"}


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("PERFRULES_PATH", raising=False)


def score_json(capsys, *argv):
    status, out, err = run(["score", *argv, "--format", "json"], capsys)
    assert status == 0, err
    return json.loads(out)


def seed_lines() -> list[str]:
    return (ROOT / SEED).read_text(encoding="utf-8").splitlines()


def write_seed(path: Path, edits=()) -> Path:
    """The seed with ``(line, old, new)`` edits applied."""
    lines = seed_lines()
    for number, old, new in edits:
        assert old in lines[number - 1], (number, old)
        lines[number - 1] = lines[number - 1].replace(old, new)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---- the table ----


def _display(line: str) -> list[str | None]:
    """The characters of ``line`` by terminal column: a wide character takes
    two columns, the second marked None."""
    columns: list[str | None] = []
    for char in line:
        columns.append(char)
        if unicodedata.east_asian_width(char) in "WF":
            columns.append(None)
    return columns


def _cells(line: str, spans: list[tuple[int, int]]) -> list[str]:
    """Cut ``line`` at the separator's column spans, checking that every cell
    starts and ends on a character and the gaps between cells are blank."""
    columns = _display(line)
    cells = []
    for i, (start, end) in enumerate(spans):
        assert start >= len(columns) or columns[start] is not None, f"column {i} starts inside a wide character"
        assert end >= len(columns) or columns[end] is not None, f"column {i} ends inside a wide character"
        gap_end = spans[i + 1][0] if i + 1 < len(spans) else len(columns)
        assert all(c == " " for c in columns[end:gap_end]), f"text between columns {i} and {i + 1}: {line!r}"
        cells.append("".join(c for c in columns[start:end] if c is not None).strip())
    return cells


@pytest.fixture(scope="module")
def table() -> str:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(["score", SEED])
    assert status == 0, err.getvalue()
    return out.getvalue()


def _grid(table: str):
    lines = table.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("#") or line.lstrip().startswith("# "))
    spans = [m.span() for m in re.finditer(r"-+", lines[at + 1])]
    assert set(lines[at + 1]) <= {"-", " "}
    body = []
    for line in lines[at + 2 :]:
        if not line.strip():
            break
        body.append(line)
    return lines, at, spans, body


def test_table_header_and_rows_align_by_display_width(table):
    lines, at, spans, body = _grid(table)
    header = _cells(lines[at], spans)
    assert header == ["#", "指标 indicator", "目标 target", "实际 actual", "分值", "自评", "计算", "允许 allowed",
                      "status", "rule"]
    assert len(body) == 61  # the budget row and sixty rows
    rows = {cells[0]: cells for cells in (_cells(line, spans) for line in body)}
    assert set(rows) == {"B"} | {str(i) for i in range(1, 61)}
    row = rows["57"]
    assert row[1].startswith("保障科技局运转")
    assert row[2:] == ["≤34403.58万元", "44316.45万元", "1", "0.3", "0.71", "", "DIFFERS", "overrun"]
    assert rows["12"][1:] == ["应用基础研究立项项目数", "≥300项", "498项", "1", "0.5", "1.00", "0.50-1.00", "discretion",
                              "overshoot"]
    assert rows["B"][1] == "预算执行率" and rows["B"][4:7] == ["10", "9.65", "9.65"]


def test_table_scores_stand_beside_reported_scores(table):
    lines, at, spans, body = _grid(table)
    header = _cells(lines[at], spans)
    assert header.index("计算") == header.index("自评") + 1
    # Numbers are right-aligned: a reported 0.5 ends where its column ends.
    line = next(line for line in body if _cells(line, spans)[0] == "12")
    start, end = spans[header.index("自评")]
    assert "".join(c for c in _display(line)[start:end] if c).endswith("0.5")


def test_table_totals_grade_and_findings(table):
    lines = table.splitlines()
    assert lines[0] == "天津市科学技术局 整体支出绩效自评表 2024年度"
    assert lines[1].startswith("ruleset mof@2020 (sha256 ")
    assert re.search(r"^total\s+computed 95\.36\s+reported 93\.95$", table, re.MULTILINE)
    assert re.search(r"^grade\s+computed 优\s+reported 优$", table, re.MULTILINE)
    findings = lines[lines.index("findings:") + 1 :]
    assert any("likely_slip" in line and "(row 37)" in line for line in findings)


# ---- JSON ----


ROW_KEYS = {"index", "goal", "level1", "level2", "name", "target", "actual", "weight", "score", "allowed",
            "reported", "status", "rule", "trace"}


def _no_floats(value, path="$"):
    if isinstance(value, float):
        raise AssertionError(f"{path} is a float: {value!r}")
    if isinstance(value, dict):
        for key, item in value.items():
            _no_floats(item, f"{path}.{key}")
    if isinstance(value, list):
        for i, item in enumerate(value):
            _no_floats(item, f"{path}[{i}]")


def test_json_contract(capsys):
    data = score_json(capsys, SEED)
    assert {"ruleset", "sheet", "budget", "rows", "total", "reported_total", "grade", "findings"} <= set(data)
    assert set(data["ruleset"]) == {"name", "version", "sha256"}
    assert (data["ruleset"]["name"], data["ruleset"]["version"]) == ("mof", "2020")
    assert re.fullmatch(r"[0-9a-f]{64}", data["ruleset"]["sha256"])
    assert data["sheet"]["organisation"] == "天津市科学技术局" and data["sheet"]["fiscal_year"] == 2024
    budget = data["budget"]
    assert {"score", "reported", "rate", "status"} <= set(budget)
    assert (budget["score"], budget["reported"], budget["rate"], budget["status"]) == ("9.65", "9.65", "0.9647",
                                                                                        "agrees")
    assert len(data["rows"]) == 60
    for row in data["rows"]:
        assert ROW_KEYS <= set(row), ROW_KEYS - set(row)
        for key in ("weight", "score", "reported"):
            assert row[key] is None or DECIMAL.fullmatch(row[key]), (row["index"], key, row[key])
        assert row["allowed"] is None or (len(row["allowed"]) == 2 and all(DECIMAL.fullmatch(v) for v in row["allowed"]))
        assert isinstance(row["trace"], list) and row["trace"]
    assert [row["index"] for row in data["rows"]] == list(range(1, 61))
    row = data["rows"][56]
    assert (row["name"], row["target"], row["actual"], row["weight"], row["score"], row["allowed"], row["reported"],
            row["status"], row["rule"]) == ("保障科技局运转及所属事业单位运行成本", "≤34403.58万元", "44316.45万元", "1",
                                            "0.71", ["0.71", "0.71"], "0.3", "differs", "overrun")
    assert (row["goal"], row["level1"], row["level2"]) == ("绩效目标6", "产出指标", "成本指标")
    assert (data["total"], data["reported_total"], data["grade"]) == ("95.36", "93.95", "优")
    for finding in data["findings"]:
        assert {"code", "severity", "message", "rows"} <= set(finding)
    _no_floats(data)


# ---- CSV, XLSX, HTML ----


def test_csv_output_file(tmp_path, capsys):
    out = tmp_path / "seed.csv"
    status, stdout, err = run(["score", SEED, "--format", "csv", "-o", out], capsys)
    assert status == 0, err
    assert stdout == ""
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "计算得分" in text and "状态" in text
    line = next(line for line in text.splitlines() if line.startswith("绩效目标6,产出指标,成本指标,保障科技局运转"))
    assert ",1,0.3," in line and ",0.71," in line and ",differs," in line
    assert len(read_sheet(out).rows) == 60


def test_csv_to_standard_output(capsys):
    status, out, err = run(["score", SEED, "--format", "csv"], capsys)
    assert status == 0, err
    assert out.lstrip("\ufeff").startswith("标题,整体支出绩效自评表")


def test_xlsx_output_file(tmp_path, capsys):
    from openpyxl import load_workbook

    out = tmp_path / "seed.xlsx"
    status, _, err = run(["score", SEED, "--format", "xlsx", "-o", out], capsys)
    assert status == 0, err
    book = load_workbook(out)
    form = book.worksheets[0]
    rows = [[c.value for c in row] for row in form.iter_rows()]
    header = next(row for row in rows if row and row[0] == "绩效目标")
    at = {name: header.index(name) for name in ("三级指标", "得分", "计算得分", "状态")}
    row = next(row for row in rows if row[at["三级指标"]] == "保障科技局运转及所属事业单位运行成本")
    assert (Decimal(str(row[at["得分"]])), Decimal(str(row[at["计算得分"]])), row[at["状态"]]) == (
        Decimal("0.3"), Decimal("0.71"), "differs")
    findings = [row[0] for row in book["findings"].iter_rows(min_row=2, values_only=True)]
    assert "likely_slip" in findings


def test_xlsx_needs_an_output_file(capsys):
    status, out, err = run(["score", SEED, "--format", "xlsx"], capsys)
    assert status == 2
    assert out == ""
    assert "-o" in err and "Traceback" not in err


def test_html_is_one_self_contained_file(tmp_path, capsys):
    out = tmp_path / "seed.html"
    status, _, err = run(["score", SEED, "--format", "html", "-o", out], capsys)
    assert status == 0, err
    assert [p.name for p in tmp_path.iterdir()] == ["seed.html"]
    html = out.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    for outside in ("src=", "<script", "<link", "@import", "url("):
        assert outside not in html.lower(), outside
    # The only URL allowed is the SVG namespace, a name, not a fetch.
    assert set(re.findall(r"https?://[^\s\"'<>)]*", html)) <= {"http://www.w3.org/2000/svg"}
    assert len(re.findall(r"https?://", html)) == len(re.findall(r'xmlns="http://www\.w3\.org/2000/svg"', html))
    assert "<table" in html and "<svg" in html
    assert "保障科技局运转及所属事业单位运行成本" in html and "likely_slip" in html
    for goal in range(1, 7):  # the chart: reported and computed per goal, in Chinese by default
        assert f"绩效目标{goal} 自评" in html and f"绩效目标{goal} 计算" in html


def test_json_output_file(tmp_path, capsys):
    out = tmp_path / "seed.json"
    status, stdout, err = run(["score", SEED, "--format", "json", "-o", out], capsys)
    assert status == 0, err
    assert json.loads(out.read_text(encoding="utf-8")) == score_json(capsys, SEED)


def test_table_output_file(tmp_path, capsys):
    out = tmp_path / "seed.txt"
    status, stdout, err = run(["score", SEED, "-o", out], capsys)
    assert status == 0, err
    _, table, _ = run(["score", SEED], capsys)
    assert out.read_text(encoding="utf-8") == table


# ---- several files ----


def test_several_files_one_result_each(tmp_path, capsys):
    other = write_seed(tmp_path / "other.txt", [(83, "\t0.3\t", "\t0.71\t"), (87, "93.95", "94.36")])
    data = score_json(capsys, SEED, other)
    assert isinstance(data, list) and len(data) == 2
    assert [d["sheet"]["source"] for d in data] == [SEED, str(other)]
    assert [d["rows"][56]["status"] for d in data] == ["differs", "agrees"]


def test_a_failing_file_does_not_stop_the_others(tmp_path, capsys):
    missing = tmp_path / "missing.txt"
    status, out, err = run(["score", SEED, missing, SEED, "--format", "json"], capsys)
    assert status == 2
    assert str(missing) in err and "Traceback" not in err
    assert len(json.loads(out)) == 2
    status, out, err = run(["score", missing, SEED], capsys)
    assert status == 2 and str(missing) in err
    assert "total     computed 95.36" in out


def test_several_files_into_a_folder(tmp_path, capsys):
    other = write_seed(tmp_path / "other.txt")
    folder = tmp_path / "out"
    status, _, err = run(["score", SEED, other, "--format", "csv", "-o", folder], capsys)
    assert status == 0, err
    assert sorted(p.name for p in folder.iterdir()) == ["other.csv", "tianjin-kjj-2024-zhengti.csv"]


def test_several_files_with_the_same_name_are_not_overwritten(tmp_path, capsys):
    # Two units' tables, both called table.txt: one result per file.
    for unit in ("a", "b"):
        (tmp_path / unit).mkdir()
    a = write_seed(tmp_path / "a" / "table.txt")
    b = write_seed(tmp_path / "b" / "table.txt")
    folder = tmp_path / "out"
    status, _, err = run(["score", a, b, "--format", "csv", "-o", folder], capsys)
    assert status in (0, 2), err
    written = list(folder.iterdir()) if folder.exists() else []
    assert len(written) == 2 or (status == 2 and "table" in err), (status, [p.name for p in written], err)


# ---- audit ----


def test_audit_exits_1_when_a_row_differs(capsys):
    status, out, err = run(["audit", SEED], capsys)
    assert status == 1, err
    differs = [line for line in out.splitlines() if line.strip().startswith("differs:")]
    assert len(differs) == 1
    assert "row 57" in differs[0] and "0.3" in differs[0] and "0.71" in differs[0]
    assert "likely_slip" in out


def test_audit_exits_0_when_everything_agrees(tmp_path, capsys):
    fixed = write_seed(tmp_path / "fixed.txt", [(83, "\t0.3\t", "\t0.71\t"), (87, "93.95", "94.36")])
    status, out, err = run(["audit", fixed], capsys)
    assert status == 0, out + err
    assert "differs:" not in out


CLEAN = """\
部门名称,测试单位
年度,2024年度
绩效目标,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分,全年预算数,全年执行数,偏差原因分析及改进措施
,预算执行率,,预算执行率,,,10,10,100,100,
绩效目标1,产出指标,数量指标,培训人次,≥10人次,10人次,50,50,,,
绩效目标1,效益指标,社会效益指标,服务企业数,≥10家,5家,30,15,,,企业需求下降
绩效目标1,满意度指标,服务对象满意度,参训人员满意度,≥90%,95%,10,10,,,
总分,,,,,,100,85,,,
"""


def test_audit_nothing_to_report(tmp_path, capsys):
    path = tmp_path / "clean.csv"
    path.write_text(CLEAN, encoding="utf-8")
    status, out, err = run(["audit", path], capsys)
    assert status == 0, out + err
    assert "nothing to report" in out


def test_audit_exits_1_on_an_error_finding_alone(tmp_path, capsys):
    # Row 57 fixed, but the total left at 93.95: it no longer adds up.
    path = write_seed(tmp_path / "total.txt", [(83, "\t0.3\t", "\t0.71\t")])
    status, out, err = run(["audit", path], capsys)
    assert status == 1, err
    assert "error: reported_total" in out and "differs:" not in out


# ---- explain ----


def test_explain_row_57(capsys):
    status, out, err = run(["explain", SEED, "--row", "57"], capsys)
    assert status == 0, err
    assert "保障科技局运转及所属事业单位运行成本" in out.splitlines()[0]
    assert f"{SEED}:83" in out
    assert "overrun" in out and "28.81%" in out
    assert re.search(r"0\.71\b", out)
    assert "reported: 0.3" in out and "status: differs" in out
    assert "超出指标值" in out  # the rule's because


def test_explain_budget(capsys):
    status, out, err = run(["explain", SEED, "--row", "B"], capsys)
    assert status == 0, err
    assert "budget_execution" in out and "96.47%" in out and "9.65" in out and "status: agrees" in out


@pytest.mark.parametrize("row", ["0", "61", "-1", "x", "", "1.5"])
def test_explain_bad_row(capsys, row):
    status, out, err = run(["explain", SEED, "--row", row], capsys)
    assert status == 2
    assert "--row" in err and "60" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


# ---- rulesets ----


def test_rulesets_json(capsys):
    status, out, err = run(["rulesets", "--json"], capsys)
    assert status == 0, err
    listing = json.loads(out)
    assert isinstance(listing, list)
    assert {item["name"] for item in listing} == SHIPPED and len(listing) == 8
    for item in listing:
        assert {"name", "version", "effective", "until", "title", "source", "sha256"} <= set(item)
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", item["effective"])
        assert item["until"] is None or re.fullmatch(r"\d{4}-\d\d-\d\d", item["until"])
        assert item["title"] and item["source"]
        assert re.fullmatch(r"[0-9a-f]{64}", item["sha256"])
    by_name = {item["name"]: item for item in listing}
    assert (by_name["mof"]["version"], by_name["mof"]["effective"]) == ("2020", "2020-02-25")
    assert by_name["jinan-licheng"]["until"] == "2019-12-31"
    assert len({item["sha256"] for item in listing}) == 8


def test_rulesets_table(capsys):
    status, out, err = run(["rulesets"], capsys)
    assert status == 0, err
    for name in SHIPPED:
        assert re.search(rf"^{re.escape(name)}@\d{{4}}\s", out, re.MULTILINE), name


# ---- choosing the ruleset ----


def test_ruleset_file(capsys):
    data = score_json(capsys, SEED, "--ruleset-file", "rulesets/mof-cost-ratio/2020.rules")
    assert (data["ruleset"]["name"], data["ruleset"]["version"]) == ("mof-cost-ratio", "2020")
    assert data["rows"][56]["score"] == "0.78"


def test_ruleset_file_of_ones_own_extending_a_shipped_one(tmp_path, capsys):
    path = tmp_path / "mine" / "1.rules"
    path.parent.mkdir()
    path.write_text('ruleset mine\nversion 1\ntitle "mine"\nextends mof@2020\n\n'
                    "rule overrun\n  when direction is lower and actual > target\n  score 0\n", encoding="utf-8")
    data = score_json(capsys, SEED, "--ruleset-file", path)
    assert (data["ruleset"]["name"], data["ruleset"]["version"]) == ("mine", "1")
    assert data["rows"][56]["score"] == "0.00"
    assert data["rows"][57]["score"] == "2.00"  # the rest from mof@2020


def test_ruleset_name_at_version(capsys):
    data = score_json(capsys, SEED, "--ruleset", "mof-cost-ratio@2020")
    assert (data["ruleset"]["name"], data["ruleset"]["version"]) == ("mof-cost-ratio", "2020")
    assert data["rows"][56]["score"] == "0.78"
    data = score_json(capsys, SEED, "--ruleset", "audit-strict")
    assert data["ruleset"]["name"] == "audit-strict" and data["rows"][57]["status"] == "differs"


def test_year(tmp_path, capsys):
    data = score_json(capsys, SEED, "--year", "2025")
    assert data["sheet"]["fiscal_year"] == 2025
    assert data["ruleset"]["version"] == "2020"  # still in effect
    (tmp_path / "mof").mkdir()
    (tmp_path / "mof" / "2025.rules").write_text(
        'ruleset mof\nversion 2025\neffective 2025-01-01\ntitle "t"\nsource "s"\nextends mof@2020\n', encoding="utf-8")
    assert score_json(capsys, SEED, "--rulesets", tmp_path, "--year", "2025")["ruleset"]["version"] == "2025"
    assert score_json(capsys, SEED, "--rulesets", tmp_path)["ruleset"]["version"] == "2020"


# ---- bad input ----


@pytest.fixture
def bad_files(tmp_path):
    (tmp_path / "table.doc").write_text("x", encoding="utf-8")
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    (tmp_path / "other.json").write_text('{"rows": []}', encoding="utf-8")
    (tmp_path / "broken.rules").write_text("ruleset broken\nversion 1\nrule r\n  when actual >\n  score 1\n",
                                           encoding="utf-8")
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    shadow = tmp_path / "shadow" / "mof"
    shadow.mkdir(parents=True)
    (shadow / "2020.rules").write_text((ROOT / "rulesets/mof/2020.rules").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    return tmp_path


BAD = {
    "missing file": ["score", "{tmp}/missing.txt"],
    "unknown ending": ["score", "{tmp}/table.doc"],
    "broken xlsx": ["score", "{tmp}/broken.xlsx"],
    "not a perfrules json": ["score", "{tmp}/other.json"],
    "unknown ruleset": ["score", SEED, "--ruleset", "nope"],
    "unknown version": ["score", SEED, "--ruleset", "mof@1999"],
    "no version in effect, strict": ["score", SEED, "--year", "2019", "--strict-year"],
    "missing ruleset file": ["score", SEED, "--ruleset-file", "{tmp}/missing.rules"],
    "broken ruleset file": ["score", SEED, "--ruleset-file", "{tmp}/broken.rules"],
    "missing rulesets folder": ["score", SEED, "--rulesets", "{tmp}/no-such-folder"],
    "shadowing without --override": ["score", SEED, "--rulesets", "{tmp}/shadow"],
    "xlsx without -o": ["score", SEED, "--format", "xlsx"],
    "unknown format": ["score", SEED, "--format", "pdf"],
    "no file": ["score"],
    "both ruleset options": ["score", SEED, "--ruleset", "mof", "--ruleset-file", "rulesets/mof/2020.rules"],
    "year not a number": ["score", SEED, "--year", "twenty"],
    "output not a folder": ["score", SEED, SEED, "-o", "{tmp}/a-file"],
    "audit missing file": ["audit", "{tmp}/missing.txt"],
    "audit missing rulesets folder": ["audit", SEED, "--rulesets", "{tmp}/no-such-folder"],
    "explain no --row": ["explain", SEED],
    "explain missing ruleset file": ["explain", SEED, "--row", "1", "--ruleset-file", "{tmp}/missing.rules"],
    "rulesets missing folder": ["rulesets", "--rulesets", "{tmp}/no-such-folder"],
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_exits_2_with_one_paragraph(capsys, bad_files, case):
    argv = [a.replace("{tmp}", str(bad_files)) for a in BAD[case]]
    status, out, err = run(argv, capsys)
    assert status == 2, (status, err)
    assert err.strip(), "no message"
    assert "Traceback" not in err
    assert "\n\n" not in err.strip(), err


def test_no_traceback_from_the_real_command(tmp_path):
    for argv in (["score", str(tmp_path / "missing.txt")], ["score", SEED, "--rulesets", str(tmp_path / "nowhere")]):
        done = subprocess.run([sys.executable, "-m", "perfrules", *argv], cwd=ROOT, capture_output=True, text=True,
                              env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=60)
        assert done.returncode == 2, (argv, done.stderr)
        assert "Traceback" not in done.stderr, (argv, done.stderr)


def test_missing_folder_in_the_environment_is_no_traceback(tmp_path, monkeypatch, capsys):
    # PATH-like variables often name folders that are gone; either skip it
    # or say so, but never crash.
    monkeypatch.setenv("PERFRULES_PATH", str(tmp_path / "gone"))
    status, out, err = run(["score", SEED, "--format", "json"], capsys)
    assert status in (0, 2), err
    if status == 2:
        assert "gone" in err and "\n\n" not in err.strip()
    else:
        assert json.loads(out)["ruleset"]["name"] == "mof"


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "html"])
def test_score_output_is_what_the_traced_result_renders(fmt, capsys):
    """The table and CSV are scored without traces (faster), JSON and HTML
    with them: every format prints what the fully traced result renders."""
    from perfrules import Registry, render, score

    status, out, _ = run(["score", SEED, "--format", fmt], capsys)
    assert status == 0
    traced = score(read_sheet(SEED), Registry().resolve("mof", year=2024), trace=True)
    rendered = render(traced, fmt)
    assert out == (rendered.decode("utf-8") if isinstance(rendered, bytes) else rendered)


def test_a_file_with_no_indicator_rows_exits_2_and_still_shows_its_findings(capsys):
    """A list of targets is not a self-evaluation table: the run says so and
    exits 2, and the output with its findings is not withheld."""
    status, out, err = run(["score", "examples/tianjin-kjj-2024-targets.txt", SEED], capsys)
    assert status == 2
    assert "examples/tianjin-kjj-2024-targets.txt: no indicator rows were found" in err
    assert "no_rows" in out and "unread_lines" in out
    assert "95.36" in out  # the real table is still scored


# ---- fiscal years no version covers (issue 14) ----


def test_a_year_before_every_version_scores_with_the_nearest_and_says_so(capsys):
    status, out, err = run(["score", SEED, "--year", "2019"], capsys)
    assert status == 0, err
    assert err.startswith(f"{SEED}: warning: no version of ruleset 'mof' is in effect in fiscal year 2019")
    assert "mof@2020" in err and "ruleset_year" in out


def test_strict_year_refuses_and_names_the_file(capsys):
    status, out, err = run(["score", SEED, "--year", "2019", "--strict-year"], capsys)
    assert status == 2
    assert err.startswith(f"{SEED}: no version of ruleset 'mof' is in effect on 2019-12-31")


def test_every_error_in_a_batch_names_its_file(tmp_path, capsys):
    bad = tmp_path / "bad.xyz"
    bad.write_text("x", encoding="utf-8")
    status, out, err = run(["audit", SEED, str(bad), "--year", "2019", "--strict-year"], capsys)
    assert status == 2
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"{SEED}: ") and lines[1].startswith(f"{bad}: "), err


# ---- audit honesty (issue 14) ----

NONE_SCORABLE = """\
部门名称,测试单位
年度,2024年度
绩效目标,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分
绩效目标1,产出指标,数量指标,培训人次,≥10人次,十分好,50,50
绩效目标1,效益指标,社会效益指标,服务企业数,≥10家,5米,50,15
"""


def test_audit_fails_a_table_none_of_whose_rows_scores(tmp_path, capsys):
    path = tmp_path / "none.csv"
    path.write_text(NONE_SCORABLE, encoding="utf-8")
    status, out, err = run(["audit", str(path)], capsys)
    assert status == 1, out + err
    assert "total computed — (no indicator row could be scored: 2 unscorable)" in out
    assert "incomplete: 2 indicator rows could not be scored (rows 1, 2)" in out


def test_audit_fails_a_table_with_one_unscorable_row(tmp_path, capsys):
    path = tmp_path / "one.csv"
    path.write_text(CLEAN.replace("参训人员满意度,≥90%,95%", "参训人员满意度,≥90%,95米"), encoding="utf-8")
    status, out, err = run(["audit", str(path)], capsys)
    assert status == 1, out + err
    assert "incomplete: 1 indicator row could not be scored (row 3)" in out


def path_of_clean(tmp_path):
    path = tmp_path / "clean.csv"
    path.write_text(CLEAN, encoding="utf-8")
    return path


def test_audit_fails_a_table_only_partly_read(tmp_path, capsys):
    import attrs

    from perfrules import sheet_to_json

    sheet = attrs.evolve(read_sheet(path_of_clean(tmp_path)), unread=("这一行不属于任何一块",))
    path = tmp_path / "partly.json"
    path.write_text(json.dumps(sheet_to_json(sheet), ensure_ascii=False), encoding="utf-8")
    status, out, err = run(["audit", str(path)], capsys)
    assert status == 1
    assert "incomplete: the table was only partly read" in out


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "html"])
def test_a_table_with_no_scorable_row_has_no_total_in_any_format(tmp_path, capsys, fmt):
    path = tmp_path / "none.csv"
    path.write_text(NONE_SCORABLE, encoding="utf-8")
    status, out, err = run(["score", str(path), "--format", fmt], capsys)
    assert status == 0, err
    assert "0.00" not in out
    assert not re.search(r"computed\W+差|computed_grade\W+差|\"grade\": \"差\"", out)
    assert "no indicator row could be scored: 2 unscorable" in out
    if fmt == "json":
        data = json.loads(out)
        assert data["total"] is None and data["grade"] is None
        assert data["total_reason"] == "no indicator row could be scored: 2 unscorable"


def test_xlsx_has_no_total_either(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "none.csv"
    path.write_text(NONE_SCORABLE, encoding="utf-8")
    out = tmp_path / "none.xlsx"
    status, _, err = run(["score", str(path), "--format", "xlsx", "-o", str(out)], capsys)
    assert status == 0, err
    cells = [[c for c in row] for row in openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True)]
    total = next(row for row in cells if row[0] == "computed_total")
    grade = next(row for row in cells if row[0] == "computed_grade")
    assert total[1] == "—" and total[2] == "no indicator row could be scored: 2 unscorable"
    assert grade[1] == "—"
