"""Ruleset.score_sheet is the one door to scoring a sheet: rows, budget
row, sheet rules with their ranges, total, grade and the ruleset's checks;
perfrules.score chooses the ruleset, calls it and adds the audit, which
takes a ScoreSheet."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfrules import Row, Ruleset, Sheet, read_sheet, score
from perfrules.audit import audit
from perfrules.results import SEVERITIES, ScoreSheet
from support import ROOT, SEED

MOF = ROOT / "rulesets" / "mof" / "2020.rules"
RANGED = """ruleset ranged
version 1
rule met
  otherwise
  score weight
check low_share when completion < 50% warning "less than half done"
sheet rule discipline weight 10 score weight * (60% .. 100%) default 80%
"""


def _sheet(*rows: Row) -> Sheet:
    return Sheet(rows=rows, fiscal_year=2024)


def test_score_is_score_sheet_with_the_ruleset_chosen():
    sheet = read_sheet(ROOT / SEED)
    ruleset = Ruleset.from_file(MOF)
    direct, chosen = ruleset.score_sheet(sheet), score(sheet, ruleset)
    assert isinstance(direct, ScoreSheet)
    assert (direct.total, direct.grade) == (chosen.total, chosen.grade)
    assert set(chosen.findings) == set(direct.findings) | set(audit(direct, ruleset))
    assert [r.result for r in direct.rows] == [r.result for r in chosen.rows]
    assert direct.total == Decimal("95.36")


def test_a_sheet_rule_keeps_the_range_it_leaves_to_the_assessor():
    scored = Ruleset.from_text(RANGED).score_sheet(_sheet(Row.of(target="≥10次", actual="12次", weight="90")))
    (rule,) = scored.sheet_rules
    assert (rule.score, rule.low, rule.high, rule.allowed) == (
        Decimal("8.00"), Decimal("6.00"), Decimal("10.00"), (Decimal("6.00"), Decimal("10.00")))
    assert scored.total == Decimal("98.00") and scored.weight_total == Decimal("100")


def test_the_rulesets_checks_and_the_audit_are_both_in_the_findings_errors_first():
    rows = (Row.of(target="≥10次", actual="4次", weight="50", reported="60"),
            Row.of(target="≥10次", actual="10次", weight="40", reported="40"))
    scored = score(_sheet(*rows), Ruleset.from_text(RANGED))
    codes = [f.code for f in scored.findings]
    assert "low_share" in codes and "score_above_weight" in codes
    assert [SEVERITIES.index(f.severity) for f in scored.findings] == sorted(
        SEVERITIES.index(f.severity) for f in scored.findings)
    (check,) = [f for f in scored.findings if f.code == "low_share"]
    assert check.rows == (1,)


def test_score_sheet_refuses_what_is_not_a_sheet():
    with pytest.raises(TypeError, match="takes a Sheet"):
        Ruleset.from_file(MOF).score_sheet([Row.of(target="≥1次")])


def test_value_and_grade_give_what_a_rule_sees():
    ruleset = Ruleset.from_file(MOF)
    row = Row.of(target="2024年12月31日前", actual="2025年1月3日", weight="5", fiscal_year=2024)
    assert ruleset.value(row, "days_late") == Decimal("3")
    assert ruleset.value(row, "completion") is None  # a deadline has no completion
    assert ruleset.grade(Decimal("90")) == "优" and ruleset.grade(None) is None
    with pytest.raises(ValueError, match="not a value a rule can read"):
        ruleset.value(row, "completon")


def test_audit_takes_a_score_sheet_and_finds_its_ruleset_in_the_registry():
    scored = score(read_sheet(ROOT / SEED))
    assert set(audit(scored)) < set(scored.findings)  # the rest are the ruleset's own checks
    assert audit(scored) == audit(scored, Ruleset.from_file(MOF))


def test_audit_without_the_ruleset_refuses_rules_the_registry_does_not_hold():
    scored = Ruleset.from_text(RANGED).score_sheet(_sheet(Row.of(target="≥10次", actual="12次", weight="90")))
    with pytest.raises(ValueError, match="pass the Ruleset to audit"):
        audit(scored)
    assert isinstance(audit(scored, Ruleset.from_text(RANGED)), list)
