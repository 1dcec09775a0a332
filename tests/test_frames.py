"""DataFrames at the top level (issue 17): Sheet.from_frame,
ScoreSheet.to_frame and a review's summary frame; exact numbers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import perfrules
from perfrules import Sheet
from perfrules.review import review

pandas = pytest.importorskip("pandas")

SEED = Path(__file__).resolve().parents[1] / "examples" / "tianjin-kjj-2024-zhengti.txt"


@pytest.fixture(scope="module")
def scored():
    return perfrules.score(SEED)


def test_to_frame_has_every_row_with_exact_numbers(scored):
    frame = scored.to_frame()
    assert list(frame.index) == [0] + list(range(1, 61))
    assert frame.loc[0, "kind"] == "budget_execution" and frame.loc[0, "score"] == Decimal("9.65")
    row = frame.loc[57]
    assert (row["name"], row["reported"], row["score"], row["status"]) == (
        scored.row(57).row.name, Decimal("0.3"), Decimal("0.71"), "differs")
    assert all(isinstance(v, Decimal) for v in frame["score"].dropna())
    assert "completion" in frame.loc[57, "trace"]


def test_a_frame_round_trips_to_the_same_scores(scored):
    again = Sheet.from_frame(scored.to_frame(), organisation="天津市科学技术局", fiscal_year=2024)
    result = perfrules.score(again)
    assert [r.result.score for r in result.rows] == [r.result.score for r in scored.rows]
    assert result.budget.result.score == scored.budget.result.score
    assert result.total == scored.total


def test_chinese_headings_are_read_too():
    frame = pandas.DataFrame({"三级指标": ["立项数", "成本"], "年度指标值": ["≥300项", "≤100万元"],
                              "实际完成值": ["498项", "120万元"], "分值": ["1", "2"], "自评得分": ["0.5", "2"],
                              "备注": ["ignored", "ignored"]})
    sheet = Sheet.from_frame(frame, fiscal_year=2024)
    assert [r.name for r in sheet.rows] == ["立项数", "成本"]
    assert sheet.rows[0].reported == Decimal("0.5") and sheet.rows[1].weight == Decimal(2)


def test_bad_cells_make_rows_unscorable_not_errors():
    frame = pandas.DataFrame({"target": ["≥10次", "≥≥"], "actual": ["12次", None], "weight": ["1", "x"]})
    sheet = Sheet.from_frame(frame)
    assert len(sheet.rows) == 2 and sheet.rows[1].problem
    assert perfrules.score(sheet, "mof@2020").rows[1].result.status == "unscorable"


def test_frames_without_target_or_actual_are_refused():
    with pytest.raises(ValueError, match="no target or actual"):
        Sheet.from_frame(pandas.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="both give"):
        Sheet.from_frame(pandas.DataFrame({"target": ["1"], "年度指标值": ["2"]}))
    with pytest.raises(TypeError):
        Sheet.from_frame([{"target": "1"}])


def test_review_summary_frame():
    frame = review([SEED, SEED.with_suffix(".html")]).to_frame()
    assert list(frame["unit"]) == ["天津市科学技术局"] * 2
    assert list(frame["total"]) == [Decimal("95.36")] * 2 and frame.loc[0, "gap"] == Decimal("-1.41")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["≥10次", "≤5万元", "100%", "达成", "/", "", "≥"]),
                          st.sampled_from(["12次", "4万元", "90%", "已完成", "", "abc"]),
                          st.one_of(st.none(), st.decimals(0, 20, places=1)),
                          st.one_of(st.none(), st.decimals(0, 20, places=2), st.floats(0, 20))),
                min_size=1, max_size=8))
def test_any_frame_gives_a_sheet_that_scores_and_keeps_every_row(cells):
    frame = pandas.DataFrame(cells, columns=["target", "actual", "weight", "reported"])
    sheet = Sheet.from_frame(frame, fiscal_year=2024)
    assert len(sheet.rows) == len(cells)
    result = perfrules.score(sheet)
    assert len(result.to_frame()) == len(cells)
    for row, (_, _, weight, _) in zip(sheet.rows, cells):
        assert row.weight == (None if weight is None else weight)
