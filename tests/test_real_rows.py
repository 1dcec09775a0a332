"""Rows as real units write them, scored with the national rules (issue 14):
reverse indicators, zero targets, actuals that repeat the target, month-only
dates, pinyin glosses, compound units, and the deviation-reason check."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfrules import PerfrulesError, Registry, Row, Ruleset, RulesetCheckError, Sheet, read_sheet, score


@pytest.fixture(scope="module")
def mof():
    return Registry().resolve("mof", year=2024)


def _row(**cells) -> Row:
    return Row.of(fiscal_year=2024, **cells)


# The rows of the issue's table, verbatim, each scored with mof for 2024.
ISSUE_ROWS = [
    (dict(name="预算调整率", target="3%", actual="0", weight="2"), "met", "2.00"),
    (dict(name="结转结余率", target="2%", actual="0", weight="2"), "met", "2.00"),
    (dict(name="安全事故发生数", target="0起", actual="1起", weight="5"), "zero_target", "0.00"),
    (dict(name="服务质量", target="高", actual="高", weight="2"), "qualitative", "2.00"),
    (dict(name="完成时间", target="9月前", actual="7月", weight="2"), "deadline", "2.00"),
    (dict(name="项目完成情况", target="达成预期指标", actual="達(dá)成預(yù)期指標(biāo)", weight="2"),
     "qualitative", "2.00"),
    (dict(name="种子发放量", target="≥550万粒", actual="560万粒", weight="2"), "met", "2.00"),
    (dict(name="补助标准", target="400元/人、天", actual="400元/人、天", weight="2"), "met", "2.00"),
]


@pytest.mark.parametrize("cells, rule, expected", ISSUE_ROWS, ids=[c["name"] for c, _, _ in ISSUE_ROWS])
def test_the_rows_of_issue_14_score_as_the_policy_means(mof, cells, rule, expected):
    result = mof.evaluate(_row(**cells))
    assert (result.rule, result.score) == (rule, D(expected)), result.explain()


@pytest.mark.parametrize("trace", [True, False], ids=["traced", "generated"])
def test_both_paths_agree_on_the_issue_rows(mof, trace):
    for cells, rule, expected in ISSUE_ROWS:
        result = mof.evaluate(_row(**cells), trace=trace)
        assert (result.rule, result.score) == (rule, D(expected)), cells


# ---- reverse indicators -----------------------------------------------------

REVERSE = ["预算调整率", "结转结余率", "投诉率", "安全事故发生率", "差错率", "超支率", "成本控制率", "单位运行成本"]


@pytest.mark.parametrize("name", REVERSE)
def test_a_bare_target_of_a_reverse_indicator_is_at_most(mof, name):
    below = mof.evaluate(_row(name=name, target="5%", actual="4%", weight="2"))
    above = mof.evaluate(_row(name=name, target="5%", actual="6%", weight="2"))
    assert (below.rule, below.score) == ("met", D("2.00"))
    assert (above.rule, above.score) == ("overrun", D("1.60"))


def test_an_ordinary_rate_is_still_higher_is_better(mof):
    result = mof.evaluate(_row(name="项目完成率", target="95%", actual="90%", weight="2"))
    assert result.rule == "shortfall"


def test_a_child_ruleset_extends_the_vocabulary():
    child = Ruleset.from_text(
        'ruleset demo.child version 1 extends mof@2020 direction lower when name contains ["空置率", "流失率"]'
    )
    lower = child.evaluate(_row(name="公租房空置率", target="5%", actual="3%", weight="2"))
    inherited = child.evaluate(_row(name="预算调整率", target="5%", actual="3%", weight="2"))
    assert lower.score == inherited.score == D("2.00")
    assert child.evaluate(_row(name="公租房空置率", target="5%", actual="6%", weight="2")).rule == "overrun"


def test_contains_a_list_wants_texts():
    with pytest.raises(RulesetCheckError, match="a word 'contains' looks for must be a text"):
        Ruleset.from_text("ruleset demo version 1 rule a when name contains [1, 2] score 1 rule b otherwise score 0")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(REVERSE),
    target=st.decimals(min_value=D("0.1"), max_value=D("100"), places=1),
    low=st.decimals(min_value=D(0), max_value=D("300"), places=1),
    step=st.decimals(min_value=D(0), max_value=D("100"), places=1),
)
def test_a_reverse_indicator_never_scores_more_for_a_higher_actual(mof, name, target, low, step):
    def points(actual):
        return mof.evaluate(_row(name=name, target=f"{target}%", actual=f"{actual}%", weight="10")).score

    assert points(low + step) <= points(low)


# ---- zero targets -------------------------------------------------------------


@pytest.mark.parametrize("target, actual, expected", [
    ("0起", "0起", "5.00"), ("0起", "1起", "0.00"), ("0次", "2次", "0.00"), ("0人次", "0人次", "5.00"),
    ("=0", "0", "5.00"), ("=0", "1", "0.00"), ("≤0起", "1起", "0.00"), ("≥0项", "3项", "5.00"),
])
def test_a_zero_target_is_met_only_at_zero(mof, target, actual, expected):
    result = mof.evaluate(_row(name="安全生产", target=target, actual=actual, weight="5"))
    assert (result.rule, result.score) == ("zero_target", D(expected)), result.explain()
    assert "实际大于0" in result.because


# ---- qualitative actuals -----------------------------------------------------------


@pytest.mark.parametrize("actual", ["是", "好", "高", "符合", "达到", "完成", "高。", "服务质量高"])
def test_an_actual_saying_yes_falls_in_the_achieved_band(mof, actual):
    result = mof.evaluate(_row(name="服务质量", target="服务质量高", actual=actual, weight="10"))
    assert result.allowed == (D("8.00"), D("10.00")), result.explain()


@pytest.mark.parametrize("actual", ["否", "低", "不符合", "不高"])
def test_an_actual_saying_no_falls_in_the_lowest_band(mof, actual):
    result = mof.evaluate(_row(name="服务质量", target="高", actual=actual, weight="10"))
    assert result.allowed == (D("0.00"), D("6.00")), result.explain()


def test_one_character_inside_a_sentence_decides_nothing(mof):
    # 低 in 降低 is not "low"; 高 in 提高 is not "high".
    result = mof.evaluate(_row(name="服务质量", target="促进发展", actual="降低成本", weight="10"))
    assert result.status == "unscorable"


def test_the_trace_says_the_actual_repeats_the_target(mof):
    result = mof.evaluate(_row(name="服务质量", target="群众满意度明显提升", actual="群众满意度明显提升", weight="2"))
    assert "the actual repeats the target" in result.explain()


# ---- deadlines at month precision ---------------------------------------------------


@pytest.mark.parametrize("target, actual, expected", [
    ("9月前", "7月", "2.00"), ("2023年12月", "2023年10月", "2.00"), ("12月底前", "12月", "2.00"),
    ("9月底前", "10月", "0.00"),
])
def test_a_month_only_actual_meets_a_deadline_at_month_precision(mof, target, actual, expected):
    result = mof.evaluate(_row(name="完成时间", target=target, actual=actual, weight="2"))
    assert (result.rule, result.score) == ("deadline", D(expected)), result.explain()


def test_a_month_counts_months_against_a_target_in_months(mof):
    result = mof.evaluate(_row(name="建设周期", target="≤8个月", actual="10月", weight="2"))
    assert (result.rule, result.score) == ("overrun", D("1.50"))


# ---- the deviation reason ----------------------------------------------------------------


def _findings(rows):
    return {f.code: f for f in score(Sheet(rows=rows, fiscal_year=2024), "mof").findings}


def test_a_shortfall_without_a_reason_is_a_warning():
    rows = [
        _row(name="培训次数", target="≥10次", actual="8次", weight="5"),
        _row(name="培训人数", target="≥100人", actual="80人", weight="5", note="疫情影响，下年度补足"),
        _row(name="完成时间", target="9月底前", actual="10月", weight="5", note="/"),
        _row(name="预算调整率", target="3%", actual="5%", weight="5"),
        _row(name="覆盖率", target="≥90%", actual="95%", weight="5"),
    ]
    finding = _findings(rows)["no_deviation_reason"]
    assert finding.severity == "warning"
    assert finding.rows == (1, 3, 4)


def test_a_child_ruleset_can_drop_the_deviation_check():
    child = Ruleset.from_text("ruleset demo.quiet version 1 extends mof@2020 remove check no_deviation_reason")
    scored = score(Sheet(rows=[_row(name="培训次数", target="≥10次", actual="8次", weight="5")]), child)
    assert "no_deviation_reason" not in {f.code for f in scored.findings}


# ---- API edges ------------------------------------------------------------------------

SEED = "examples/tianjin-kjj-2024-zhengti.txt"


def test_sheet_converts_its_amounts_like_row():
    assert Sheet(rows=[], reported_total="93.95").reported_total == D("93.95")
    assert Sheet(rows=[], reported_total=" 1,000 ").reported_total == D("1000")
    with pytest.raises(PerfrulesError, match="'abc' is not a number"):
        Sheet(rows=[], reported_total="abc")


def test_score_takes_a_path():
    from pathlib import Path

    assert score(SEED).total == score(Path(SEED)).total == score(read_sheet(SEED)).total
    with pytest.raises(PerfrulesError, match="no-such.txt"):
        score("no-such.txt")
    with pytest.raises(TypeError, match="a Sheet or the path of a table file"):
        score(42)


def test_row_of_takes_the_form_headers():
    row = Row.of(一级指标="产出指标", 二级指标="数量指标", 三级指标="培训次数", 年度指标值="≥10次", 实际完成值="8次",
                 分值="5", 得分="4", 偏差原因分析及改进措施="疫情影响")
    assert row == Row.of(level1="产出指标", level2="数量指标", name="培训次数", target="≥10次", actual="8次",
                         weight="5", reported="4", note="疫情影响")
    assert row.note == "疫情影响" and row.reported == D("4")


def test_row_of_refuses_a_cell_given_twice():
    with pytest.raises(TypeError, match="the target twice"):
        Row.of(target="≥1", 年度指标值="≥2")
    with pytest.raises(TypeError, match="the name twice"):
        Row.of(name="a", 三级指标="b")


# ---- fiscal years no version covers ------------------------------------------------------


def test_a_year_before_every_version_scores_with_the_nearest_and_warns():
    sheet = Sheet(rows=[_row(target="≥1项", actual="2项", weight="1")], fiscal_year=2019)
    scored = score(sheet)
    assert (scored.ruleset.name, scored.ruleset.version) == ("mof", "2020")
    finding = next(f for f in scored.findings if f.code == "ruleset_year")
    assert finding.severity == "warning"
    assert "'mof'" in finding.message and "2019" in finding.message and "mof@2020" in finding.message


def test_strict_year_refuses():
    with pytest.raises(PerfrulesError, match="no version of ruleset 'mof' is in effect on 2019-12-31"):
        score(Sheet(rows=[], fiscal_year=2019), strict_year=True)


def test_a_pinned_version_gives_no_year_warning():
    scored = score(Sheet(rows=[_row(target="≥1项", actual="2项", weight="1")], fiscal_year=2019), "mof@2020")
    assert "ruleset_year" not in {f.code for f in scored.findings}


def test_the_nearest_version_is_the_one_whose_dates_come_nearest(tmp_path):
    folder = tmp_path / "rules" / "demo"
    folder.mkdir(parents=True)
    for version, dates in [("1", "2015-01-01 until 2016-12-31"), ("2", "2021-01-01 until 2022-12-31")]:
        (folder / f"{version}.rules").write_text(
            f"ruleset demo version {version} effective {dates} rule met otherwise score weight", encoding="utf-8")
    registry = Registry([tmp_path / "rules"])
    assert registry.entry("demo", year=2017, nearest=True).version == "1"
    assert registry.entry("demo", year=2020, nearest=True).version == "2"
    assert registry.entry("demo", year=2030, nearest=True).version == "2"


# ---- no total without a scorable row -------------------------------------------------------


def test_no_scorable_row_gives_no_total_and_no_grade():
    sheet = Sheet(rows=[_row(target="≥10家", actual="5米", weight="50"), _row(target="/", actual="", weight="50")])
    scored = score(sheet, "mof")
    assert scored.total is None and scored.grade is None
    assert scored.total_reason == "no indicator row could be scored: 1 unscorable, 1 not applicable"
    assert "no total: no indicator row could be scored: 1 unscorable, 1 not applicable" in scored.gaps()


def test_one_scorable_row_gives_a_total_and_the_gap_of_the_other():
    sheet = Sheet(rows=[_row(target="≥10家", actual="5米", weight="50"), _row(target="≥10家", actual="10家", weight="50")])
    scored = score(sheet, "mof")
    assert scored.total == D("50.00") and scored.total_reason is None
    assert scored.gaps() == ["1 indicator row could not be scored (row 1)"]


@pytest.mark.parametrize("trace", [True, False], ids=["traced", "generated"])
def test_a_repeated_target_takes_the_band_written_first_even_without_words(trace):
    # The fallback band (no words) is written first: both paths agree on it.
    ruleset = Ruleset.from_text(
        'ruleset demo version 1 rule q when target is qualitative score weight * band {'
        ' 照写: 90% .. 100% default 100%; 未达成: 0% .. 60% default 30% words "未达成" }'
        ' rule met otherwise score weight'
    )
    result = ruleset.evaluate(_row(target="服务质量高", actual="服务质量高", weight="10"), trace=trace)
    assert result.allowed == (D("9.00"), D("10.00"))
    result = ruleset.evaluate(_row(target="服务质量高", actual="未达成", weight="10"), trace=trace)
    assert result.allowed == (D("0.00"), D("6.00"))


def test_a_month_against_a_deadline_is_not_counted_as_months(mof):
    # The deadline rule reads days_late; `actual` on a deadline row says why it cannot be a number.
    result = Ruleset.from_text("ruleset demo version 1 rule a otherwise score actual").evaluate(
        _row(target="9月前", actual="7月", weight="1"))
    assert result.status == "unscorable" and "the actual is a date" in result.reason


ISSUE_CSV = """\
三级指标,年度指标值,实际完成值,分值,得分,偏差原因分析及改进措施
预算调整率,3%,0,10,10,
结转结余率,2%,0,10,10,
安全事故发生数,0起,1起,5,5,
服务质量,高,高,10,10,
完成时间,9月前,7月,10,10,
项目完成情况,达成预期指标,達(dá)成預(yù)期指標(biāo),10,10,
种子发放量,≥550万粒,560万粒,10,10,
补助标准,400元/人、天,400元/人、天,10,10,
"""


def test_the_rows_of_issue_14_as_a_csv_file(tmp_path, capsys):
    import json

    from perfrules import cli

    path = tmp_path / "issue14.csv"
    path.write_text(ISSUE_CSV, encoding="utf-8")
    assert cli.main(["score", str(path), "--year", "2024", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    got = [(row["name"], row["rule"], row["score"]) for row in rows]
    assert got == [
        ("预算调整率", "met", "10.00"), ("结转结余率", "met", "10.00"), ("安全事故发生数", "zero_target", "0.00"),
        ("服务质量", "qualitative", "10.00"), ("完成时间", "deadline", "10.00"),
        ("项目完成情况", "qualitative", "10.00"), ("种子发放量", "met", "10.00"), ("补助标准", "met", "10.00"),
    ]
