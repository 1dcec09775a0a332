"""The one table of built-in functions: every entry is documented, typed,
and scored the same by the traced and the generated evaluator."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfrules import Ruleset
from perfrules.dsl.builtins import BUILTINS
from perfrules.errors import RulesetCheckError
from perfrules.records import Row

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_every_builtin_is_in_the_functions_table_of_the_docs(name):
    text = DOCS.read_text(encoding="utf-8")
    table = text[text.index("### Functions"):]
    table = table[:table.index("```")]
    assert f"`{name}(" in table


def _ruleset(score: str) -> Ruleset:
    return Ruleset.from_text(f"ruleset t\nversion 1\nrule all\n  otherwise\n  score {score}\n")


def test_trunc_cuts_toward_zero_where_round_goes_half_up():
    row = Row.of(target="≥20次", actual="15次", weight="4")
    assert _ruleset("trunc(weight * 0.79, 0.1)").evaluate(row).score == Decimal("3.10")
    assert _ruleset("round(weight * 0.79, 0.1)").evaluate(row).score == Decimal("3.20")
    assert _ruleset("trunc(0 - 2.75)").evaluate(row).score == Decimal("-2.00")


def test_trunc_keeps_a_discretionary_range_and_its_default():
    result = _ruleset("trunc(weight * (50% .. 100%) default 79%, 0.5)").evaluate(
        Row.of(target="≥20次", actual="15次", weight="4", reported="3"))
    assert (result.low, result.high, result.score, result.status) == (
        Decimal("2.00"), Decimal("4.00"), Decimal("3.00"), "within_discretion")


def test_a_builtin_with_the_wrong_number_of_arguments_is_a_check_error():
    with pytest.raises(RulesetCheckError, match=r"trunc\(\) takes 1 to 2 arguments"):
        _ruleset("trunc(weight, 1, 2)")


@given(weight=st.decimals(min_value=0, max_value=1000, places=3),
       step=st.sampled_from(["1", "0.1", "0.5", "0.25", "3"]),
       reported=st.none() | st.decimals(min_value=0, max_value=1000, places=2))
def test_trunc_is_scored_the_same_with_and_without_a_trace(weight, step, reported):
    ruleset = _ruleset(f"trunc(weight * completion, {step})")
    row = Row.of(target="≥7次", actual="5次", weight=weight, reported=reported)
    traced, fast = ruleset.evaluate(row), ruleset.evaluate(row, trace=False)
    assert (traced.score, traced.status, traced.rule) == (fast.score, fast.status, fast.rule)
    assert 0 <= traced.score <= weight * 5 / 7
