"""The generated scorer (trace off) gives what the reference closures (trace
on) give, on every row: shipped rulesets and generated ones, generated rows
and the seed table."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfrules import Registry, Row, Ruleset, read_sheet
from perfrules.testing import budget_rows, rows, targets
from rule_strategies import rows as _rows, typed_rulesets

FAST = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))
ROOT = Path(__file__).resolve().parents[1]


def _outcome(result):
    return (result.status, result.score, result.low, result.high, result.reported, result.rule, result.because,
            result.reason)


def _same(ruleset: Ruleset, row: Row) -> None:
    fast = ruleset.evaluate(row, trace=False)
    reference = ruleset.evaluate(row, trace=True)
    assert fast.trace == ()
    assert _outcome(fast) == _outcome(reference), f"{row}\n{reference.explain()}"
    # Scores have the same digits, not only the same value.
    assert [str(v) for v in _outcome(fast)[1:5]] == [str(v) for v in _outcome(reference)[1:5]]


def test_every_shipped_ruleset_is_generated():
    registry = Registry()
    for name in registry.names():
        assert registry.resolve(name)._evaluator.generated is not None, name


def test_the_generated_source_holds_no_text_of_the_ruleset():
    ruleset = Ruleset.from_text('ruleset r\nversion 1\nrule 甲\n  when name == "乙\\"; import os"\n  score weight\n'
                                'rule 丙\n  otherwise\n  score 0\n')
    source = ruleset._evaluator.generated.source
    assert "乙" not in source and "甲" not in source and "import" not in source
    assert ruleset.evaluate(Row.of(target="≥1次", actual="1次", weight="2", name='乙"; import os'),
                            trace=False).rule == "甲"


_SHIPPED = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "rulesets").glob("*/*.rules"))]
_row_strategy = st.one_of(
    rows(),
    rows(edges=(Decimal(1), Decimal("1.3"), Decimal(2))),
    rows(targets(("comparison", "value")), completion=Decimal(1)),
    budget_rows(),
    _rows(),
)


@pytest.mark.parametrize("path", _SHIPPED)
@settings(FAST, max_examples=150)
@given(row=_row_strategy)
def test_shipped_rulesets_score_alike_with_and_without_a_trace(path, row):
    _same(_shipped(path), row)


_CACHE: dict[str, Ruleset] = {}


def _shipped(path: str) -> Ruleset:
    if path not in _CACHE:
        _CACHE[path] = Ruleset.from_file(ROOT / path, resolve=Registry().resolver())
    return _CACHE[path]


@settings(FAST, max_examples=120)
@given(text=typed_rulesets(), data=st.data())
def test_generated_rulesets_score_alike_with_and_without_a_trace(text, data):
    ruleset = Ruleset.from_text(text)
    for row in data.draw(st.lists(_rows(), min_size=1, max_size=8), label="rows"):
        _same(ruleset, row)


def test_the_seed_table_scores_alike_with_and_without_a_trace():
    sheet = read_sheet(ROOT / "examples" / "tianjin-kjj-2024-zhengti.txt")
    ruleset = Registry().resolve("mof", year=2024)
    for row in [sheet.budget, *sheet.rows]:
        _same(ruleset, row)
    assert [_outcome(r) for r in ruleset.evaluate_many(sheet.rows)] == [
        _outcome(ruleset.evaluate(r)) for r in sheet.rows
    ]


@pytest.mark.parametrize("target, actual", [
    ("≥95%", "97%"), ("≥95%", "94.99%"), ("95%", "95%"), ("≥95", "97%"), ("≥95%", "97"), ("≤5‰", "6‰"),
    ("≥95%", "97百分比"), ("≥10项", "12项"), ("≥1亿元", "9000万元"), ("≥0%", "0%"), ("=100%", "100.0%"),
])
def test_percentages_and_units_are_read_alike_with_and_without_a_trace(target, actual):
    """Percent literals in a rule meet percentages in the row as fractions."""
    ruleset = Ruleset.from_text("""
ruleset units
version 1
rule high
  when actual >= 95% and target >= 95%
  score weight
rule ratio
  when actual >= target
  score weight * completion - 1% + deviation + overrun
rule rest
  otherwise
  score weight * actual / target
""")
    _same(ruleset, Row.of(target=target, actual=actual, weight="10", reported="10"))


def test_evaluate_many_leaves_the_garbage_collector_as_it_found_it():
    import gc

    ruleset = Ruleset.from_text("ruleset r\nversion 1\nrule met\n  otherwise\n  score weight\n")
    rows = [Row.of(target="≥1次", actual="1次", weight="2")] * 3
    assert gc.isenabled()
    assert [r.score for r in ruleset.evaluate_many(rows)] == [Decimal("2.00")] * 3
    assert gc.isenabled()
    with pytest.raises(AttributeError):
        ruleset.evaluate_many([None])
    assert gc.isenabled()
    gc.disable()
    try:
        ruleset.evaluate_many(rows, trace=True)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_kept_results_keep_their_digits_and_sign():
    """Results are reused between rows; -0.00 and 0.00, or a reported 1 and
    1.0, are told apart."""
    ruleset = Ruleset.from_text("ruleset r\nversion 1\nrule tiny\n  otherwise\n  score (1 - weight) * 0.0001\n")
    rows = [Row.of(target="≥1次", actual="1次", weight=w, reported=r)
            for w, r in (("1", None), ("2", None), ("1", "0"), ("1", "0.0"), ("2", "0"), ("1", None))]
    for row in rows * 2:
        _same(ruleset, row)
    ranged = Ruleset.from_text("ruleset r\nversion 1\nrule cut\n  otherwise\n"
                               "  score (1 - weight) * (0.0001 .. 0.0002) default 0.0001\n")
    for row in rows * 2:
        _same(ranged, row)


@pytest.mark.parametrize("actual", ["0.004999999999999999999999999999999", "0.005000000000000000000000000000001",
                                    "12345678901234567890123.455", "99999999999999999999.995"])
def test_long_numbers_are_rounded_once_on_both_paths(actual):
    """A cell can hold more digits than decimal arithmetic keeps: the score
    is rounded once, from the value as written, with and without a trace."""
    from perfrules.dsl.runtime import round_to

    ruleset = Ruleset.from_text("ruleset r\nversion 1\nrule as_is\n  otherwise\n  score actual\n")
    row = Row.of(target="≥1", actual=actual, weight="1")
    _same(ruleset, row)
    assert ruleset.evaluate(row, trace=False).score == Decimal(actual).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    assert round_to(Decimal(actual), Decimal("0.01"), "half-up") == ruleset.evaluate(row).score


def test_a_coarse_step_with_places_rounds_a_huge_value_alike_with_and_without_a_trace():
    """A step with eight places under twenty digits, and a completion of
    about 10^121: rounding keeps every digit down to the step's last."""
    ruleset = Ruleset.from_text("ruleset typed\nversion 1\nrounding 99999999999999999999.99999999 half-up\n"
                                "rule r0\n  otherwise\n  score completion\n")
    row = Row.of(target="≥0." + "0" * 120 + "1次", actual="3次", weight="0", name="指标")
    _same(ruleset, row)
