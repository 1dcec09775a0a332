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


def test_a_property_no_generated_row_reaches_is_untested_not_failed():
    """A region no row falls in would otherwise pass having tried nothing;
    it does not pass, and it does not read as a failure with 0 examples."""
    narrow = Ruleset.from_text(BASE.format(met="weight") + "expect nowhere: actual < 0 implies score == weight\n")
    report = run_properties(narrow, seed=0, max_examples=30)
    (nowhere,) = report.properties
    assert (nowhere.passed, nowhere.examples, nowhere.status) == (False, 0, "untested")
    assert nowhere.counterexample is None and "not tested" in nowhere.note
    assert "UNTESTED nowhere" in report.text() and "FAIL" not in report.text()


def test_a_failed_property_counts_the_rows_that_broke_it():
    """The first row in the region may break the property: it was tried,
    so a failure never reads '(0 examples)'."""
    broken = Ruleset.from_text(BASE.format(met="weight * 2") + "expect bounded\n")
    (bounded,) = run_properties(broken, seed=0, max_examples=30).properties
    assert bounded.status == "failed" and bounded.examples >= 1


def test_a_name_the_ruleset_tests_for_is_generated():
    """A rule keyed on an indicator name of the ruleset's own is reached."""
    keyed = Ruleset.from_text(BASE.format(met="weight").replace(
        "rule shortfall", 'rule adjust when name contains "预算调整率" score weight / 2\nrule shortfall')
        + 'expect halved: name contains "预算调整率" implies score * 2 == weight\n')
    report = run_properties(keyed, seed=0, max_examples=30)
    assert report.passed and report.properties[0].examples > 0
    assert report.fired["adjust"] > 0


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
