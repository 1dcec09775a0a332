"""``perfrules try``: one row from the command line, scored and explained
as the API scores it; bad cells and options exit 2 with a message."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfrules import Registry, Row
from perfrules.cli import main

REVIEW = """ruleset review version 1
rule reviewed when cell("复核分") != "" score min(weight, number("复核分"))
rule met otherwise score weight
check 复核扣分 when score < weight warning "复核分低于分值"
"""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    import sys

    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = main(["try", *argv])
    finally:
        sys.stdout, sys.stderr = saved
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def review(tmp_path):
    path = tmp_path / "review.rules"
    path.write_text(REVIEW, encoding="utf-8")
    return str(path)


def test_a_row_is_scored_and_explained():
    code, out, _ = run("mof@2020", "--target", "≥300项", "--actual", "498项", "--weight", "1", "--reported", "0.5")
    assert code == 0
    assert "rule: overshoot (when direction is higher and deviation > 30%)" in out
    assert "rounded: 1.00 (the policy allows 0.50 .. 1.00)" in out
    assert out.rstrip().endswith("status: within_discretion")


def test_a_column_is_read_by_the_rules_and_a_check_that_holds_is_printed(review):
    code, out, _ = run(review, "--target", "≥10次", "--actual", "12次", "--weight", "2", "--col", "复核分=1.5")
    assert code == 0
    assert "rounded: 1.50" in out and "warning: 复核扣分: 复核分低于分值 (row 1)" in out


def test_without_the_column_the_next_rule_scores(review):
    code, out, _ = run(review, "--target", "≥10次", "--actual", "12次", "--weight", "2")
    assert code == 1  # cell() of a column the row lacks: the row is unscorable
    assert "the row has no column '复核分'" in out and "status: unscorable" in out


def test_an_unscorable_row_exits_1_with_its_reason(review):
    code, out, _ = run(review, "--target", "≥10次", "--actual", "12次", "--weight", "2", "--col", "复核分=半分")
    assert code == 1
    assert "column '复核分' holds '半分', not a number" in out


def test_the_budget_execution_row():
    code, out, _ = run("mof@2020", "--budget", "176875.03", "--spent", "170639.2", "--reported", "9.65", "--json")
    data = json.loads(out)
    assert code == 0 and (data["score"], data["status"]) == ("9.65", "agrees")


@pytest.mark.parametrize("argv, message", [
    (["--target", "≥abc", "--actual", "1"], "perfrules try: --target:1:2: unexpected 'abc' in a target"),
    (["--target", "≥1", "--actual", "1", "--weight", "两分"], "perfrules try: --weight: '两分' is not a number"),
    (["--target", "≥1", "--col", "复核分"], "--col takes NAME=VALUE (复核分=0.8), not '复核分'"),
    (["--target", "≥1", "--col", "a=1", "--col", "a=2"], "--col gives the column 'a' twice"),
    (["--budget", "100"], "the budget block needs both --budget (全年预算数) and --spent"),
    (["--target", "≥1", "--initial-budget", "100"], "the budget block needs both"),
    (["--weight", "1"], "give the row: --target and --actual (an indicator row), or --budget and --spent"),
    (["--target", "≥1", "--budget", "1百", "--spent", "1"], "perfrules try: --budget: '1百' is not a number"),
])
def test_bad_input_exits_2_with_a_message(argv, message):
    code, out, err = run("mof@2020", *argv)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_an_indicator_row_in_a_table_with_a_budget_block(tmp_path):
    path = tmp_path / "spending.rules"
    path.write_text("ruleset spending version 1\n"
                    "rule slow when rate < 80% score weight * 80%\n"
                    "rule met otherwise score weight\n"
                    'check cut when initial_budget > budget warning "预算调减"\n', encoding="utf-8")
    code, out, _ = run(str(path), "--target", "≥1", "--actual", "1", "--weight", "5", "--budget", "100",
                       "--spent", "70", "--initial-budget", "120", "--json")
    data = json.loads(out)
    assert code == 0 and (data["rule"], data["score"]) == ("slow", "4.00")
    # The check reads the table's budget block: it holds on row 1 and on the budget row.
    assert [(f["code"], f["rows"]) for f in data["findings"]] == [("cut", [1]), ("cut", [])]
    code, out, _ = run(str(path), "--target", "≥1", "--actual", "1", "--weight", "5")
    assert code == 1 and "the table has no budget block" in out


def test_an_unknown_ruleset_exits_2():
    code, _, err = run("nosuch", "--target", "≥1")
    assert code == 2 and "no ruleset named 'nosuch'" in err


def test_a_bare_name_takes_the_version_in_effect_in_the_year():
    code, out, _ = run("mof", "--year", "2024", "--target", "≥1", "--actual", "1", "--weight", "1", "--json")
    assert code == 0 and json.loads(out)["ruleset"]["version"] == Registry().entry("mof", year=2024, nearest=True).version


MOF = Registry().resolve("mof@2020")
_AMOUNT = st.decimals(min_value=0, max_value=10**6, places=2)


@settings(max_examples=60, deadline=None)
@given(target=_AMOUNT, actual=_AMOUNT, weight=st.decimals(min_value=0, max_value=100, places=1),
       op=st.sampled_from(["≥", "≤", "=", ""]), unit=st.sampled_from(["", "万元", "%", "项"]))
def test_try_scores_as_the_api_does(target, actual, weight, op, unit):
    cells = dict(target=f"{op}{target}{unit}", actual=f"{actual}{unit}", weight=str(weight))
    code, out, _ = run("mof@2020", *[f"--{k}={v}" for k, v in cells.items()], "--json")
    expected = MOF.evaluate(Row.of(**cells))
    data = json.loads(out)
    assert (data["score"], data["status"], data["rule"]) == (
        None if expected.score is None else str(expected.score), expected.status, expected.rule)
    assert code == (1 if expected.status == "unscorable" else 0)


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=12))
def test_any_target_text_is_scored_or_refused_without_a_traceback(text):
    code, out, err = run("mof@2020", f"--target={text}", "--actual=1", "--weight=1")
    assert code in (0, 1, 2)
    assert "Traceback" not in err
    assert (code == 2) == (out == "")
