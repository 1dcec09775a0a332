"""The budget block's fund sources (其中：当年财政拨款, 上年结转资金, 其他资金)
are read in every format and by both readings, placed only where that is
certain, and rules read them with budget_number()."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import forms
from perfrules import Row, Ruleset, Sheet, read_sheet, score
from perfrules.errors import RulesetCheckError
from perfrules.form.budget import fund_source, source_columns

SOURCES = [("其中：当年财政拨款", "30", "30.4", "29.69"), ("上年结转资金", "—", "2", "2"), ("其他资金", "—", "—", "—")]
EXPECTED = {"当年财政拨款/年初预算数": "30", "当年财政拨款/全年预算数": "30.4", "当年财政拨款/全年执行数": "29.69",
            "上年结转资金/全年预算数": "2", "上年结转资金/全年执行数": "2"}


@pytest.mark.parametrize("fmt", list(forms.ALL_WRITERS))
def test_the_fund_sources_are_read_in_every_format(tmp_path, fmt):
    plain_path, path = tmp_path / f"plain.{fmt}", tmp_path / f"sources.{fmt}"
    plain_path.write_bytes(forms.ALL_WRITERS[fmt](forms.project("13")))
    path.write_bytes(forms.ALL_WRITERS[fmt](forms.with_sources(forms.project("13"), SOURCES)))
    plain, sheet = read_sheet(plain_path), read_sheet(path)
    assert {k: v for k, v in sheet.budget.columns.items() if "/" in k} == EXPECTED
    assert (sheet.budget.budget, sheet.budget.spent) == (plain.budget.budget, plain.budget.spent)
    assert [(r.name, r.target.text, r.weight) for r in sheet.rows] == [(r.name, r.target.text, r.weight) for r in plain.rows]
    assert len(sheet.unread) == len(plain.unread)


@pytest.mark.parametrize("number, expected", [
    ("03", {"当年财政拨款/年初预算数": "880", "当年财政拨款/全年预算数": "880", "当年财政拨款/全年执行数": "880"}),
    # No 全年预算数 column: 年初预算数 and 全年执行数 only.
    ("19", {"当年财政拨款/年初预算数": "45", "当年财政拨款/全年执行数": "45"}),
    ("22", {"当年财政拨款/全年预算数": "8.408", "当年财政拨款/全年执行数": "8.408", "当年财政拨款/执行率": "100.00%",
            "其他资金/全年预算数": "0", "其他资金/全年执行数": "0"}),
    ("30", {"当年财政拨款/年初预算数": "43.2", "当年财政拨款/全年预算数": "43.2", "当年财政拨款/全年执行数": "37.24"}),
    ("07", {}),  # the source lines hold dashes only
])
def test_the_fund_sources_of_real_tables_copied_as_text(number, expected):
    path = next(forms.DEV.glob(f"{number}_*.txt"))
    columns = read_sheet(path).budget.columns
    assert {k: v for k, v in columns.items() if "/" in k} == expected


@pytest.mark.parametrize("label, source", [("其中：本年财政拨款", "当年财政拨款"), ("其中:财政拨款", "当年财政拨款"),
                                           ("上年结转", "上年结转资金"), ("其 他 资 金", "其他资金"), ("年度资金总额", None),
                                           ("其中", None)])
def test_fund_source_labels(label, source):
    assert fund_source(label) == source


_FIELDS = st.lists(st.sampled_from(["initial", "budget", "spent", "weight", "rate", "score"]), min_size=1, max_size=6,
                   unique=True)
_CELL = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**6, places=2).map(str), st.just("97.5%"))


@given(fields=_FIELDS, values=st.lists(_CELL, max_size=7))
def test_source_cells_are_placed_only_where_that_is_certain(fields, values):
    placed = source_columns("其他资金", fields, values)
    while values and values[-1] is None:
        values = values[:-1]
    money = 0
    for field in fields:
        if field not in ("initial", "budget", "spent"):
            break
        money += 1
    if len(values) not in (len(fields), money) or not values:
        assert placed == {}
    labels = {"initial": "年初预算数", "budget": "全年预算数", "spent": "全年执行数", "rate": "执行率"}
    for field, value in zip(fields, values):
        key = f"其他资金/{labels.get(field)}"
        if key in placed:
            assert placed[key] == value and value is not None
    assert all(not k.endswith(("分值", "得分")) for k in placed)


GRANT = Ruleset.from_text("""
ruleset grant version 1
rule budget_execution
  when row is budget_execution
  score weight * min(1, budget_number("当年财政拨款/全年执行数") / budget_number("当年财政拨款/全年预算数"))
rule met otherwise score weight
sheet check grant_low
  when budget_number("当年财政拨款/全年执行数") < 90% * budget_number("当年财政拨款/全年预算数")
  warning "财政拨款执行率低于90%"
""")


@given(budget=st.decimals(min_value=1, max_value=10**5, places=2), share=st.integers(0, 100))
def test_a_rule_and_a_sheet_check_read_a_fund_source(budget, share):
    spent = (budget * share / 100).quantize(Decimal("0.01"))
    block = Row.budget_execution(budget=budget, spent=spent, columns={
        "当年财政拨款/全年预算数": str(budget), "当年财政拨款/全年执行数": str(spent)})
    for trace in (True, False):
        scored = GRANT.score_sheet(Sheet([Row.of(target="≥1", actual="1", weight="90")], budget=block), trace=trace)
        assert scored.budget.result.score == (10 * min(Decimal(1), spent / budget)).quantize(Decimal("0.01"), "ROUND_HALF_UP")
        assert any(f.code == "grant_low" for f in scored.findings) == (spent < budget * Decimal("0.9"))


def test_a_budget_block_without_the_source_says_so():
    scored = score(Sheet([Row.of(target="≥1", actual="1", weight="90")], budget=Row.budget_execution(budget="1", spent="1")),
                   GRANT)
    assert scored.budget.result.reason == ("rule 'budget_execution' cannot score this row: "
                                           "the budget block has no column '当年财政拨款/全年执行数'")


def test_a_rows_column_in_a_sheet_rule_is_a_check_error_not_a_crash():
    with pytest.raises(RulesetCheckError, match=r"number\(\) reads a row's column: in a sheet rule or sheet check"):
        Ruleset.from_text('ruleset t version 1 rule m otherwise score weight sheet rule x weight 1 score number("a")')
    # over the rows it is fine
    Ruleset.from_text('ruleset t version 1 rule m otherwise score weight '
                      'sheet rule x weight 1 score min(1, sum(number("a") where cell("a") != ""))')
