"""Real tables as published (tests/data/dev: ten tables copied from web
pages and PDFs, with hand-labelled rows), read by the form recognizer."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import perfrules
from perfrules.errors import PerfrulesError
from perfrules.form.budget import place_budget
from perfrules.form.cells import place, split_amounts, split_run
from perfrules.form.fidelity import measure
from perfrules.readers import read_sheets

DEV = Path(__file__).parent / "data" / "dev"


def _scored(path):
    return [perfrules.score(sheet, "mof@2020") for sheet in read_sheets(path)]


@pytest.fixture(scope="module")
def fidelity():
    return measure(DEV, _scored)


def test_every_labelled_row_is_read_right(fidelity):
    assert fidelity.labelled == 82
    assert fidelity.right == fidelity.labelled, fidelity.notes


def test_no_row_is_wrong_without_a_flag(fidelity):
    assert fidelity.silent == 0, fidelity.notes


def test_printed_budget_blocks_and_totals_are_read(fidelity):
    assert (fidelity.budgets_right, fidelity.totals_right) == (fidelity.budgets, fidelity.totals), fidelity.notes


def test_two_tables_in_one_text_are_two_sheets():
    sheets = read_sheets(DEV / "29_shanghai-putuo-tiyu-zhongxin-2022.txt")
    assert [s.source.rsplit("#", 1)[1] for s in sheets] == ["1", "2"]
    assert len(sheets[0].rows) == 5 and not sheets[1].rows
    assert sheets[1].budget.spent == perfrules.records.parse_amount("9034")
    assert any("interleaved" in note for note in sheets[0].read_notes)
    assert any("scattered" in note for note in sheets[1].read_notes)


def test_header_line_that_carries_the_first_row_loses_nothing():
    sheet = read_sheets(DEV / "07_yunnan-yongde-minglang-zhongxue-yingyang-2022.txt")[0]
    first = sheet.rows[0]
    assert (first.name, first.target.text, first.actual.text) == ("学生受资助人数", "≧735人次", "735")
    assert sheet.reported_total == 96 and sheet.reported_grade == "优"
    assert all(r.weight != 100 for r in sheet.rows)  # 总分 100 96 is no row


def test_a_table_without_weights_says_so():
    sheet = read_sheets(DEV / "14_hubei-caidian-yuanlin-senlinfanghuo-2021_noweights.txt")[0]
    assert any("分值" in note for note in sheet.read_notes)
    scored = perfrules.score(sheet, "mof@2020")
    assert {e.result.status for e in scored.rows} == {"not_applicable"}
    assert any(f.code == "read_doubt" for f in scored.findings)


def test_a_text_cut_short_flags_its_last_row():
    sheet = read_sheets(DEV / "22_anhui-xiaoxian-yanglou-zhongyangzhi-2023.txt")[0]
    assert "cut off" in sheet.rows[-1].problem
    assert any("cut short" in note for note in sheet.read_notes)


def test_traditional_characters_and_pinyin_glosses():
    text = ("績(jì)效指標(biāo)\n一級指標 二級指標 三級指標 年度指標值 實際完成值 分值 得分\n"
            "產(chǎn)出指標 數量指標 培訓人數 ≥10人 12人 10 10\n")
    sheet = perfrules.read_text(text)
    assert [(r.level1, r.name, r.target.text, r.weight) for r in sheet.rows] == [
        ("產出指標", "培訓人數", "≥10人", 10)]


def test_cells_of_a_row_are_placed_by_what_they_hold():
    order = ("target", "actual", "weight", "score", "note")
    assert place(["10", "10"], order)[1] == {"weight": "10", "score": "10"}
    assert place(["1", "1", "10", "10"], order)[1] == {"target": "1", "actual": "1", "weight": "10", "score": "10"}
    assert place(["5.5亩", "5.5亩"], ("weight", "target", "actual", "score"))[1] == {"target": "5.5亩",
                                                                                     "actual": "5.5亩"}


def test_run_together_rows_are_split_by_content():
    rows, left = split_run("项目(工程)验收合格率20100%100%20群众生产生活条件改善状况10显著提升显著提升10",
                           ("weight", "target", "actual", "score", "note"))
    assert rows == [["项目(工程)验收合格率", "20", "100%", "100%", "20", None],
                    ["群众生产生活条件改善状况", "10", "显著提升", "显著提升", "10", None]]
    assert left == ""


def test_budget_amounts_written_together_are_placed_where_they_agree():
    assert ["20", "20", "10", "100.00%", "10"] in split_amounts("202010100.00%10", 5)
    values, doubt = place_budget(["budget", "spent", "weight", "rate", "score"], [["202010100.00%10"]], [])
    assert values == {"budget": "20", "spent": "20", "weight": "10", "rate": "100.00%", "score": "10"}
    assert doubt is None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                                 "产出指标", "数量指标", "≥10次", "12次", "10", "9.5", "达成预期指标", "总分",
                                 "年度资金总额", "全年预算数", "全年执行数", "执行率", "96%", " ", "\t", "|", "\n",
                                 "指标1:", "……", "(50分)", "培训", "x"]), max_size=60).map("".join))
def test_any_text_reads_or_raises_our_error(text):
    try:
        sheets = read_sheets_of_text(text)
    except PerfrulesError:
        return
    for sheet in sheets:
        for row in sheet.rows:
            assert row.position


def read_sheets_of_text(text):
    from perfrules.form import recognize
    from perfrules.readers.text import text_grids

    return recognize(text_grids(text, "<fuzz>"))


def _relaid(tmp_path, joiner_cells, joiner_lines):
    import re
    import shutil

    for path in DEV.glob("*.txt"):
        lines = path.read_text(encoding="utf-8").splitlines()
        cells = [[c.strip() for c in re.split(r"[|│\t ]+", line) if c.strip()] for line in lines[2:]]
        body = joiner_lines.join(joiner_cells.join(c) for c in cells)
        (tmp_path / path.name).write_text("\n".join(lines[:2] + [body]) + "\n", encoding="utf-8")
    for name in ("rows.csv", "blocks.csv"):
        shutil.copy(DEV / name, tmp_path / name)
    return measure(tmp_path, _scored)


@pytest.mark.parametrize("cells, lines", [(" ", "\n"), ("\n", "\n\n")], ids=["spaces", "one cell per line"])
def test_the_real_tables_relaid_read_the_same(tmp_path, cells, lines):
    """Whatever separates the cells (pipes, tabs, spaces, line breaks), the
    same rows come out."""
    fidelity = _relaid(tmp_path, cells, lines)
    assert (fidelity.right, fidelity.silent) == (fidelity.labelled, 0), fidelity.notes
