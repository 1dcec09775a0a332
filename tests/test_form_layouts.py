"""The layouts the form recognizer reads, each with a small table made
here, and the edges around them: lines that end early, totals that are
names, a table without weights, grids of any shape."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import perfrules
from perfrules.errors import PerfrulesError
from perfrules.form import recognize
from perfrules.readers import Grid, read_sheets

HEADER = "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施"
BUDGET = "年初预算数 全年预算数 全年执行数 分值 执行率 得分\n年度资金总额 100 100 95 10 95% 9.5\n"
ROWS = [("培训人次", "≥100人次", "120人次", "30", "30"), ("验收合格率", "100%", "100%", "30", "30"),
        ("完成时间", "2024年12月31日前", "2024年11月", "30", "30")]
EXPECTED = [(name, target, actual, perfrules.records.parse_amount(w), perfrules.records.parse_amount(s))
            for name, target, actual, w, s in ROWS]


def _rows(sheet):
    return [(r.name, r.target.text, r.actual.text, r.weight, r.reported) for r in sheet.rows]


def _text(separator, row_separator="\n"):
    lines = ["项目支出绩效自评表", "(2024年度)"] + [line.replace(" ", separator) for line in BUDGET.splitlines()] + [
             HEADER.replace(" ", separator),
             separator.join(("产出指标", "数量指标") + ROWS[0]),
             separator.join(("质量指标",) + ROWS[1]), separator.join(("时效指标",) + ROWS[2]),
             separator.join(("总分", "100", "99.5"))]
    return row_separator.join(lines) + "\n"


@pytest.mark.parametrize("layout", ["tabs", "pipes", "spaces", "one cell per line", "run together"])
def test_every_layout_reads_the_same_rows(tmp_path, layout):
    text = {
        "tabs": _text("\t"), "pipes": _text(" | "), "spaces": _text(" "),
        "one cell per line": _text("\n\n"),
        "run together": _text("", ""),
    }[layout]
    path = tmp_path / "table.txt"
    path.write_text(text, encoding="utf-8")
    sheet = read_sheets(path)[0]
    assert _rows(sheet) == EXPECTED
    assert sheet.budget.spent == 95 and sheet.budget.reported == perfrules.records.parse_amount("9.5")
    assert sheet.reported_total == perfrules.records.parse_amount("99.5")
    assert sheet.fiscal_year == 2024


def test_split_target_cells_and_weight_before_target():
    text = ("一级指标 | 二级指标 | 三级指标 | 分值 | 年度指标值 | 实际完成值 | 得分\n"
            " | | | | 指标性质 | 指标值 | 度量单位 | \n"
            "产出指标 | 数量指标 | 培训人次 | 20 | ≥ | 100 | 人次 | 98人次 | 19.6\n")
    sheet = perfrules.read_text(text)
    assert _rows(sheet) == [("培训人次", "≥100人次", "98人次", 20, perfrules.records.parse_amount("19.6"))]


def test_a_line_that_ends_after_its_target_is_kept():
    text = ("一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
            "产出指标\t数量指标\t培训\t≥10次\t12次\t10\t10\n产出指标\t数量指标\t会议\t≥5次\n")
    sheet = perfrules.read_text(text)
    assert [r.name for r in sheet.rows] == ["培训", "会议"]


def test_score_is_never_taken_for_a_missing_weight(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("一级指标,二级指标,三级指标,年度指标值,实际完成值,得分\n产出指标,数量指标,培训,≥10次,12次,9\n",
                    encoding="utf-8")
    sheet = read_sheets(path)[0]
    assert (sheet.rows[0].weight, sheet.rows[0].reported) == (None, 9)
    assert any("分值" in note for note in sheet.read_notes)
    result = perfrules.score(sheet, "mof@2020")
    assert any(f.code == "read_doubt" for f in result.findings)


def test_indicators_named_like_totals_are_rows():
    text = ("一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
            "产出指标\t数量指标\t培训\t≥10次\t12次\t50\t50\n\t\t总分达标率\t≥90%\t95%\t20\t20\n"
            "\t\t合计完成投资额\t≥100万元\t120万元\t20\t20\n\t\t评估结论采纳率\t≥90%\t95%\t10\t10\n"
            "总分\t\t\t\t\t100\t100\n")
    sheet = perfrules.read_text(text)
    assert [r.name for r in sheet.rows] == ["培训", "总分达标率", "合计完成投资额", "评估结论采纳率"]
    assert sheet.reported_total == 100


_CELLS = st.sampled_from(["一级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "产出指标",
                          "数量指标", "≥10次", "12次", "10", "9", "", "总分", "全年预算数", "全年执行数", "95%",
                          "≧", "人次", "有效", "x", "……", "指标1:"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_CELLS, max_size=9), max_size=12))
def test_any_grid_reads_or_raises_our_error(rows):
    try:
        sheets = recognize([Grid.from_rows(rows, source="<grid>")])
    except PerfrulesError:
        return
    assert sheets
    for sheet in sheets:
        assert all(row.position for row in sheet.rows)


@pytest.mark.parametrize("separator", [" ", "\n"], ids=["spaces", "one cell per line"])
def test_the_bundled_table_copied_without_tabs_reads_the_same(separator):
    path = Path(__file__).parent.parent / "examples" / "tianjin-kjj-2024-zhengti.txt"
    seed = read_sheets(path)[0]
    text = "\n".join(separator.join(c for c in line.split("\t") if c.strip())
                     for line in path.read_text(encoding="utf-8").splitlines())
    sheet = perfrules.read_text(text)
    key = lambda r: (r.goal, r.level1, r.level2, r.name, r.target.text, r.actual.text, r.weight, r.reported)  # noqa: E731
    assert [key(r) for r in sheet.rows] == [key(r) for r in seed.rows]
    assert (sheet.reported_total, sheet.reported_grade, sheet.budget.spent) == (
        seed.reported_total, seed.reported_grade, seed.budget.spent)
    assert [g.number for g in sheet.goals] == [g.number for g in seed.goals]


def test_a_name_split_at_a_space_stays_one_name():
    text = "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n产出指标 数量指标 促进 学校发展 ≥95% 98% 10 10\n"
    assert [(r.name, r.target.text) for r in perfrules.read_text(text).rows] == [("促进学校发展", "≥95%")]


def test_a_budget_block_alone_is_no_table_to_score(tmp_path, capsys):
    from perfrules.cli import main

    path = tmp_path / "budget.txt"
    path.write_text("项目支出绩效自评表\n" + BUDGET, encoding="utf-8")
    assert main(["score", str(path), "--year", "2024"]) == 2
    assert "no indicator rows were found" in capsys.readouterr().err


def test_budget_labels_without_amounts_are_a_doubt_the_audit_fails_on(tmp_path, capsys):
    from perfrules.cli import main

    path = tmp_path / "t.txt"
    path.write_text("年初预算数 全年预算数 全年执行数 分值 执行率 得分\n" + HEADER + "\n"
                    "产出指标 数量指标 培训人次 ≥100人次 120人次 10 10\n", encoding="utf-8")
    assert any("amounts" in note for note in read_sheets(path)[0].read_notes)
    assert main(["audit", str(path), "--year", "2024"]) == 1
