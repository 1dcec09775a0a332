"""Lints and messages for the slips a policy author makes: each slip is a
warning with a caret (an error under `perfrules check --strict`), and the
shipped rulesets have none."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfrules import Registry, Ruleset, RulesetCheckError

ROOT = Path(__file__).resolve().parent.parent


def warnings_of(text: str, **options) -> list[str]:
    return [w.message for w in Ruleset.from_text(text, **options).warnings]


@pytest.mark.parametrize("rule, expected", [
    ("rule r when completion >= 130 score weight", "did you mean completion >= 130%?"),
    ("rule r when deviation > 30 score weight", "did you mean deviation > 30%?"),
    ("rule r when rate < 90 score weight", "did you mean rate < 90%?"),
    ("rule r otherwise score tiers completion { < 60: 0; else: weight }", "did you mean completion < 60%?"),
    ("rule r otherwise score weight * 50", "did you mean weight * 50%?"),
    ("rule r otherwise score 80 * weight", "did you mean weight * 80%?"),
    ("rule r when days_late > 30% score 0", "days_late is an amount, not a share: the bound 30% is the number 0.3"),
    ("rule r when unit is money and actual > 10% score 0", "actual is in money: the bound 10% is the number 0.1"),
    ("rule r when completion < 50% and completion > 80% score 0",
     "rule 'r' can never fire: no row has completion < 50% and completion > 80%"),
    ("rule r when target is deadline and target is qualitative score 0",
     "target cannot be both deadline and qualitative"),
    ('check c when row is budget_execution warning "x"', "checks look at indicator rows only"),
    ('check c when days_late > 5 and days_late < 3 warning "x"', "check 'c' can never match"),
    ("rule r otherwise score weight / 0", "division by 0"),
])
def test_a_slip_is_a_warning(rule, expected):
    found = warnings_of(f"ruleset demo version 1\n{rule}\nrule met otherwise score weight\n")
    assert any(expected in message for message in found), found


@pytest.mark.parametrize("rule", [
    "rule r when completion >= 130% score weight",
    "rule r when completion >= 1.3 score weight",
    "rule r when weight > 0 score weight * 50%",
    "rule r when weight > 0 score weight * 0.5",
    "rule r when weight > 0 score weight * 1.1",
    "rule r when weight > 0 score 2 * weight",
    "rule r when days_late > 30 score 0",
    "rule r when unit is ratio and actual > 10% score 0",
    "rule r when completion > 50% and completion < 80% score 0",
    "rule r when target is comparison and target is ge score 0",
    "rule r when weight > 0 score weight / 2",
])
def test_what_is_meant_is_no_warning(rule):
    assert warnings_of(f"ruleset demo version 1\n{rule}\nrule met otherwise score weight\n") == []


def test_a_child_rule_that_misspells_the_parents_adds_one_and_says_so():
    found = warnings_of("ruleset child version 1 extends mof@2020\n"
                        "rule overshot when direction is higher and deviation > 30% score weight * 80%\n")
    assert any("rule 'overshot' is not the parent's, so it adds a rule (the parent's 'overshoot' stays); "
               "did you mean to replace 'overshoot'?" in message for message in found), found


def test_a_child_rule_with_a_name_of_its_own_is_no_near_miss():
    assert warnings_of("ruleset child version 1 extends mof@2020\n"
                       'check deviation_reason when completion >= 130% and note == "" warning "须说明"\n') == []


def test_the_shipped_rulesets_have_no_warnings():
    for entry in Registry():
        assert Ruleset.from_file(entry.path).warnings == (), entry.path


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["completion", "deviation", "overrun", "rate"]), st.sampled_from(["<", "<=", ">", ">="]),
       st.integers(min_value=4, max_value=10_000))
def test_any_fraction_against_a_whole_number_above_3_is_flagged(name, op, number):
    found = warnings_of(f"ruleset demo version 1 rule r when {name} {op} {number} score 0 rule m otherwise score 1")
    assert any(f"did you mean {name} {op} {number}%?" in message for message in found)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=200))
def test_two_bounds_on_one_value_warn_exactly_when_no_value_meets_both(low, high):
    found = warnings_of(f"ruleset demo version 1 rule r when days_late > {low} and days_late < {high} score 0 "
                        "rule m otherwise score 1")
    never = any("can never fire" in message for message in found)
    assert never == (high <= low)  # a value between them meets both (days_late is a decimal)


@pytest.mark.parametrize("text, expected", [
    ("ruleset d version 1 rule m otherwise score weight\nexpect e: total <= 100",
     "'total' is the table's total, not a row's: state it as a table's expectation: sheet expect NAME: …"),
    ("ruleset d version 1 rule m otherwise score total",
     "'total' is the table's total, not a row's: read it in a sheet rule, a sheet check or a grade"),
    ("ruleset d version 1 rule m otherwise score weight\nsheet rule s weight 10 score sum(count(score > 0))",
     "count() inside sum(): an aggregate goes over the rows"),
    ("ruleset d version 1 rule m otherwise score weight\nsheet expect e: monotone score in actual",
     "a table's expectation is a condition"),
    ("ruleset d version 1 rule m otherwise score weight\nexpect e: finding(\"nope\")", "there is no check 'nope'"),
    ("ruleset d version 1 rule m otherwise score weight\nexpect e: points(\"s\") > 0",
     "points() is a table's: use it in a sheet expect"),
])
def test_messages_say_what_to_write(text, expected):
    with pytest.raises(RulesetCheckError) as error:
        Ruleset.from_text(text)
    assert expected in str(error.value)


def test_extends_not_found_says_where_it_looked(tmp_path):
    path = tmp_path / "county" / "2024.rules"
    path.parent.mkdir()
    path.write_text("ruleset county version 2024 extends mof@2021\n", encoding="utf-8")
    with pytest.raises(RulesetCheckError) as error:
        Ruleset.from_file(path)
    message = str(error.value)
    assert "cannot find ruleset mof@2021 to extend; looked for mof/2021.rules in " in message
    assert "in the rulesets folder holding this file (" in message
    assert "and among the rulesets shipped with perfrules" in message


def test_extends_not_found_in_a_registry_names_the_versions_known(tmp_path):
    folder = tmp_path / "county"
    folder.mkdir()
    (folder / "2024.rules").write_text("ruleset county version 2024 extends mof@2021\n", encoding="utf-8")
    with pytest.raises(RulesetCheckError) as error:
        Registry([tmp_path]).resolve("county")
    assert "versions of mof known: 2020" in str(error.value)
