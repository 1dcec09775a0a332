"""perfrules.testing: the properties a ruleset declares are tried on
generated rows, and a broken policy is caught with a small counterexample."""

from __future__ import annotations

import pytest

from perfrules import Ruleset
from perfrules.testing import PropertyFailed, check_ruleset, run_properties

BASE = """
ruleset demo
version 1
rule shortfall
  when direction is higher and actual < target
  score weight * actual / target
rule met
  otherwise
  score {met}
"""


def test_a_sound_policy_passes_every_property_it_declares():
    sound = Ruleset.from_text(BASE.format(met="weight") + "expect bounded\nexpect rising\n")
    report = run_properties(sound, seed=0, max_examples=60)
    assert report.passed
    assert [(p.name, p.passed) for p in report.properties] == [("bounded", True), ("rising", True)]
    assert all(p.examples > 0 for p in report.properties)


def test_an_overpaying_rule_fails_bounded_with_a_traced_counterexample():
    typo = Ruleset.from_text(BASE.format(met="weight * 1.1") + "expect bounded\n")
    report = run_properties(typo, seed=0, max_examples=60)
    (bounded,) = report.properties
    assert not bounded.passed and not report.passed
    (row,) = bounded.counterexample.rows
    (result,) = bounded.counterexample.results
    assert result.rule == "met" and result.score > row.weight
    assert "rule: met (otherwise)" in report.text()
    assert "FAIL bounded" in report.text()


def test_the_same_seed_gives_the_same_report():
    typo = Ruleset.from_text(BASE.format(met="weight * 1.1") + "expect bounded\n")
    first = run_properties(typo, seed=3, max_examples=40).text()
    assert run_properties(typo, seed=3, max_examples=40).text() == first


def test_a_property_no_generated_row_reaches_fails_as_untested():
    """A region no row falls in would otherwise pass having tried nothing."""
    narrow = Ruleset.from_text(BASE.format(met="weight")
                               + 'expect nowhere: name == "没有这个指标" implies score == weight\n')
    report = run_properties(narrow, seed=0, max_examples=30)
    (nowhere,) = report.properties
    assert (nowhere.passed, nowhere.examples) == (False, 0)
    assert "not tested" in nowhere.note
    assert "(0 examples)" in report.text()


def test_check_ruleset_raises_an_assertion_error_holding_the_report():
    typo = Ruleset.from_text(BASE.format(met="weight * 1.1") + "expect bounded\n")
    with pytest.raises(PropertyFailed) as failed:
        check_ruleset(typo, seed=0, max_examples=40, database=None)
    assert isinstance(failed.value, AssertionError)
    assert "FAIL bounded" in str(failed.value) and "the score leaves 0 .. weight" in str(failed.value)


def test_the_report_as_json_names_each_property_and_its_counterexample():
    typo = Ruleset.from_text(BASE.format(met="weight * 1.1") + "expect bounded\n")
    document = run_properties(typo, seed=0, max_examples=40).to_json()
    assert document["passed"] is False
    (bounded,) = document["properties"]
    assert bounded["name"] == "bounded" and bounded["counterexample"]["rows"]
    assert document["fired"]["met"] > 0
