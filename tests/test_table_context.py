"""What a rule reads beyond its row: the budget block (in indicator rules,
checks, sheet rules and sheet checks), the row's group, the calendar by
the month, truncation, the text of a cell; and sheet rules within the
full weight.  The traced and the generated evaluator agree on each."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfrules import Row, Ruleset, Sheet
from perfrules.dsl.format import format_document
from perfrules.dsl.parse import parse_document
from perfrules.errors import RulesetCheckError

_CENT = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(_CENT, ROUND_HALF_UP)


def _ruleset(*lines: str) -> Ruleset:
    return Ruleset.from_text("ruleset t\nversion 1\n" + "\n".join(lines) + "\n")


def _one(expr: str) -> Ruleset:
    return _ruleset("rule all", "  otherwise", f"  score {expr}")


def _both(ruleset: Ruleset, row: Row):
    """The traced result, checked against the generated scorer's."""
    traced, fast = ruleset.evaluate(row), ruleset.evaluate(row, trace=False)
    assert (traced.score, traced.low, traced.high, traced.status, traced.rule, traced.reason) == (
        fast.score, fast.low, fast.high, fast.status, fast.rule, fast.reason)
    return traced


# ---- the row's group ----------------------------------------------------------

_LEVELS = st.sampled_from([("产出指标", "数量指标"), ("产出指标", "质量指标"), ("效益指标", "社会效益指标"), ("产出指标", "")])


def _rows(draw_levels):
    return [Row.of(target="≥10次", actual="10次", weight=str(weight), level1=l1, level2=l2, goal=goal, name=f"r{i}")
            for i, ((l1, l2), weight, goal) in enumerate(draw_levels)]


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(st.tuples(_LEVELS, st.integers(0, 20), st.sampled_from(["", "目标1", "目标2"])),
                      min_size=1, max_size=12),
       trace=st.booleans())
def test_group_values_count_the_rows_of_the_group(cells, trace):
    rows = _rows(cells)
    ruleset = _ruleset("rule all", "  otherwise", "  score group_rows * 1000 + group_weight",
                       "check big_level when level1_rows > 3 and level1_weight > 10 info \"big\"")
    scored = ruleset.score_sheet(Sheet(rows), trace=trace)
    for entry in scored.rows:
        row = entry.row
        group = [r for r in rows if (r.goal, r.level1, r.level2) == (row.goal, row.level1, row.level2)]
        assert entry.result.score == len(group) * 1000 + sum(r.weight for r in group)
    big = [i for i, row in enumerate(rows, 1)
           if len(level := [r for r in rows if (r.goal, r.level1) == (row.goal, row.level1)]) > 3
           and sum(r.weight for r in level) > 10]
    assert [f.rows for f in scored.findings if f.code == "big_level"] == ([tuple(big)] if big else [])


def test_a_blank_row_is_in_no_group_and_a_row_alone_has_none():
    rows = [Row.of(target="≥1", actual="1", weight="5", level2="数量指标", name="a"), Row.read(level2="数量指标"),
            Row.of(target="≥1", actual="1", weight="5", level2="数量指标", name="b")]
    ruleset = _one("weight * table_rows / group_rows")
    assert [e.result.score for e in ruleset.score_sheet(Sheet(rows)).rows] == [Decimal("5.00"), None, Decimal("5.00")]
    alone = _both(ruleset, rows[0])
    assert alone.status == "unscorable" and "scored alone, without its table (table_rows)" in alone.reason


# ---- the budget block ------------------------------------------------------------

BUDGET = Row.budget_execution(budget="200", spent="150", weight="10", columns={"年初预算数": "250", "执行率": "75%"})


@pytest.mark.parametrize("expr, expected", [
    ("rate * 100", Decimal("75.00")), ("budget", Decimal("200.00")), ("spent", Decimal("150.00")),
    ("initial_budget", Decimal("250.00")),
])
def test_an_indicator_rule_reads_the_tables_budget_block(expr, expected):
    row = Row.of(target="≥10次", actual="10次", weight="5")
    for trace in (True, False):
        scored = _one(expr).score_sheet(Sheet([row], budget=BUDGET), trace=trace)
        assert scored.rows[0].result.score == expected
        assert scored.budget.result.score == expected  # the budget row reads its own


def test_without_a_budget_block_the_rule_says_so():
    row = Row.of(target="≥10次", actual="10次", weight="5")
    scored = _one("weight * rate").score_sheet(Sheet([row]))
    assert scored.rows[0].result.reason == "rule 'all' cannot score this row: the table has no budget block (全年预算数)"
    assert "without its table's budget block" in _both(_one("weight * rate"), row).reason
    no_initial = Sheet([row], budget=Row.budget_execution(budget="1", spent="1"))
    assert "no 年初预算数" in _one("initial_budget").score_sheet(no_initial).rows[0].result.reason


def test_a_check_on_the_budget_row_fires_and_one_on_indicators_does_not_reach_it():
    ruleset = _ruleset("rule b when row is budget_execution score weight * rate", "rule m otherwise score weight",
                       'check low when row is budget_execution and rate < 80% warning "执行率偏低"',
                       'check short when row is indicator and score < weight warning "未满分"')
    rows = [Row.of(target="≥10次", actual="10次", weight="90")]
    scored = ruleset.score_sheet(Sheet(rows, budget=BUDGET))
    assert [(f.code, f.message, f.rows) for f in scored.findings if f.code in ("low", "short")] == [
        ("low", "执行率偏低 (the budget-execution row)", ())]


@given(spent=st.decimals(min_value=0, max_value=1000, places=2), budget=st.decimals(min_value=1, max_value=1000, places=2))
def test_a_sheet_check_and_a_sheet_rule_read_the_execution_rate(spent, budget):
    ruleset = _ruleset("rule m otherwise score weight", "sheet rule spending weight 10 score weight * min(1, rate)",
                       'sheet check low when rate < 90% warning "执行率低于90%"')
    block = Row.budget_execution(budget=budget, spent=spent, weight="0")
    scored = ruleset.score_sheet(Sheet([Row.of(target="≥1", actual="1", weight="90")], budget=block))
    rate = spent / budget
    assert scored.sheet_rules[0].score == _round(10 * min(Decimal(1), rate))
    assert any(f.code == "low" for f in scored.findings) == (rate < Decimal("0.9"))


def test_the_budget_names_are_the_only_new_names_of_a_sheet_check():
    with pytest.raises(RulesetCheckError, match="unknown name 'group_rows'"):
        _ruleset("rule m otherwise score weight", 'sheet check x when group_rows > 1 info "x"')


# ---- sheet rules within the full weight ----------------------------------------------

_WITHIN = ("rule b when row is budget_execution score weight * rate",
           "rule m when actual < target score weight * actual / target", "rule ok otherwise score weight")


@settings(max_examples=60, deadline=None)
@given(actuals=st.lists(st.integers(0, 12), min_size=1, max_size=6), within=st.integers(1, 120),
       weight=st.integers(1, 30))
def test_a_sheet_rule_within_takes_its_points_out_of_the_full_weight(actuals, within, weight):
    ruleset = _ruleset(*_WITHIN, f"sheet rule s weight {within} within score weight * share(actual >= target)")
    rows = [Row.of(target="≥10次", actual=f"{a}次", weight=str(weight)) for a in actuals]
    scored = ruleset.score_sheet(Sheet(rows))
    full = weight * len(rows)
    points = sum(r.result.score for r in scored.rows)
    assert scored.weight_total == full
    rule = scored.sheet_rules[0]
    if within >= full:
        assert rule.score is None and "do not fit within the rows' full weight" in rule.reason
        assert scored.total == _round(points)
    else:
        share = Decimal(sum(a >= 10 for a in actuals)) / len(actuals)
        assert rule.score == _round(within * share)
        assert scored.total == _round(points * (full - within) / full + rule.score)
        assert scored.total <= full


def test_a_sheet_rule_on_top_still_adds_its_weight():
    ruleset = _ruleset(*_WITHIN, "sheet rule s weight 10 score weight")
    scored = ruleset.score_sheet(Sheet([Row.of(target="≥10次", actual="10次", weight="90")]))
    assert (scored.total, scored.weight_total) == (Decimal("100.00"), Decimal("100"))


def test_within_is_printed_and_read_back():
    text = "ruleset t\nversion 1\nrule m otherwise score weight\nsheet rule s weight 10 within score weight\n"
    printed = format_document(parse_document(text))
    assert "weight 10 within" in printed
    assert parse_document(printed) == parse_document(text)
    assert Ruleset.from_text(text).sha256 != Ruleset.from_text(text.replace(" within", "")).sha256


# ---- calendar, truncation, text ------------------------------------------------------

_MONTH = st.integers(1, 12)


@settings(max_examples=80, deadline=None)
@given(due=_MONTH, done=_MONTH, year=st.sampled_from([2023, 2024]), style=st.sampled_from(["{m}月前", "{m}月底前", "{y}年{m}月"]))
def test_months_late_counts_months_and_days_late_counts_a_month_only_date_from_its_first_day(due, done, year, style):
    row = Row.of(target=style.format(m=due, y=year), actual=f"{year}年{done}月", weight="1", fiscal_year=year)
    months = _both(_one("months_late"), row).score
    days = _both(_one("days_late"), row).score
    assert months == max(0, done - due)
    assert (days > 0) == (months > 0)


@settings(max_examples=60, deadline=None)
@given(weight=st.decimals(min_value=0, max_value=100, places=3), step=st.sampled_from(["0.1", "0.5", "1", "0.25"]),
       actual=st.integers(0, 30))
def test_floor_truncates_per_rule_below_the_rounding(weight, step, actual):
    row = Row.of(target="≥30次", actual=f"{actual}次", weight=weight)
    floored = _both(_one(f"floor(weight * completion, {step})"), row).score
    exact = weight * actual / 30
    assert floored <= exact.quantize(_CENT, rounding="ROUND_CEILING")
    assert exact - floored < Decimal(step)


@settings(max_examples=60, deadline=None)
@given(planned=st.lists(st.sampled_from(["制度修订", "人员培训", "设备采购", "系统验收", "道路硬化"]), min_size=1, max_size=5,
                        unique=True), done=st.integers(0, 5), numbered=st.booleans())
def test_half_a_point_for_each_item_missing(planned, done, numbered):
    achieved = planned[:done]
    text = "；".join(f"{i + 1}.{item}" for i, item in enumerate(achieved)) if numbered else "、".join(achieved)
    row = Row.of(target="完成" + "、".join(planned), actual=text or "无", weight="3")
    result = _both(_one("max(0, weight - 0.5 * max(0, items(target_text) - items(actual_text)))"), row)
    missing = len(planned) - len(achieved)
    assert result.score == _round(max(Decimal(0), 3 - Decimal("0.5") * missing))


@given(value=st.decimals(min_value=0, max_value=1000, places=1), words=st.sampled_from(["完成率达到", "实际完成", "共"]))
def test_a_number_in_a_sentence(value, words):
    row = Row.of(target="≥50%", actual=f"{words}{value}%，较好", weight="2")
    assert _both(_one("number_in(actual_text) * 100"), row).score == _round(value)


@pytest.mark.parametrize("expr, message", [
    ("items(weight)", "the argument of items() must be a text, not a number"),
    ("number_in(1, 2)", "number_in() takes 1 argument"),
    ("floor(name)", "an argument of floor() must be a number or a discretionary range, not a text"),
    ("if months_late is month then 1 else 0", "'is' tests one of"),
    ("if actual_precision is week then 1 else 0", "actual_precision cannot be 'week'"),
])
def test_misused_builtins_and_facts_are_check_errors(expr, message):
    with pytest.raises(RulesetCheckError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _one(expr)
