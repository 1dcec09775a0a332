"""Coverage and generators that reach the rules: what reached each rule and
check, `perfrules check --strict` failing on what the file adds and nothing
reached, a folder of policies, JSON also on errors, and generated rows in
the ruleset's own vocabulary."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings

from perfrules import Ruleset
from perfrules.cli import main
from perfrules.testing import (check_policy, coverage_of, rows, run_examples, run_properties, ruleset_files,
                               targets, vocabulary_of)
from perfrules.values import ActualDate, ActualQuantity, Comparison, Deadline

CHILD = """ruleset county
version 2024

rule adjust
  when name contains "预算调整率" and direction is lower
  score tiers actual {{ <= 0%: weight; <= 10%: weight * 60%; else: 0 }}

rule late
  when target is deadline and days_late > 28
  score 0

rule met
  otherwise
  score weight

check late_note
  when days_late > 28 and note == ""
  warning "逾期超过28天须说明原因"
{extra}
expect bounded
"""


@pytest.fixture(autouse=True)
def _quiet_hypothesis(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # Hypothesis keeps its .hypothesis folder here


def policy(tmp_path, extra: str = "", name: str = "county") -> str:
    path = tmp_path / "policies" / name / "2024.rules"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CHILD.format(extra=extra).replace("ruleset county", f"ruleset {name}"), encoding="utf-8")
    return str(path)


def test_coverage_counts_examples_and_generated_rows_per_rule_and_check():
    ruleset = Ruleset.from_text(CHILD.format(extra="""
example small
  row target "≤10%", actual "5%", weight 3, name "预算调整率"
    gives rule adjust, score 1.8
"""))
    report = check_policy(ruleset, max_examples=30, seed=0)
    items = {(i.what, i.name): i for i in report.coverage.items}
    assert items["rule", "adjust"].examples == 1 and items["rule", "adjust"].generated > 0
    assert items["rule", "adjust"].own and items["rule", "met"].own
    assert items["check", "late_note"].generated > 0  # the 28-day band is drawn, whatever the seed
    assert "* rule adjust: 1 + " in report.coverage.text()


@pytest.mark.parametrize("seed", range(3))
def test_a_narrow_day_band_and_a_name_of_the_ruleset_are_reached_by_every_seed(seed):
    ruleset = Ruleset.from_text(CHILD.format(extra=""))
    coverage = check_policy(ruleset, max_examples=20, seed=seed).coverage
    assert coverage.unreached() == ()


def test_strict_fails_on_what_the_file_adds_and_nothing_reached(tmp_path, capsys):
    path = policy(tmp_path, extra="\nrule never_named before met\n  when weight < 0\n  score 0\n")
    assert main(["check", "--seed", "0", "--max-examples", "20", path]) == 0
    assert main(["check", "--strict", "--seed", "0", "--max-examples", "20", path]) == 1
    out = capsys.readouterr().out
    assert "* rule never_named: 0 + 0  NOT REACHED" in out
    assert "strict: fails because" in out
    assert "rule 'never_named', which this file adds, is reached by no example and no generated row" in out


def test_strict_fails_on_a_lint(tmp_path, capsys):
    path = tmp_path / "child.rules"
    path.write_text("ruleset child version 1 extends mof@2020\n"
                    "rule overshot when direction is higher and deviation > 30% score weight * 80%\n", encoding="utf-8")
    path = str(path)
    assert main(["check", "--no-properties", path]) == 0
    assert "did you mean to replace 'overshoot'?" in capsys.readouterr().err
    assert main(["check", "--strict", "--no-properties", path]) == 1


def test_a_folder_checks_every_ruleset_and_its_examples(tmp_path, capsys):
    policy(tmp_path, name="county")
    policy(tmp_path, name="town", extra='\nexample wrong\n  row target "≥10次", actual "8次", weight 5\n'
                                        '    gives score 3\n')
    assert main(["check", "--no-properties", str(tmp_path / "policies")]) == 1
    out = capsys.readouterr().out
    assert "county/2024.rules: ok" in out and "town/2024.rules: ok" in out
    assert "FAIL example wrong" in out and "score: expected 3, got 5.00" in out
    assert [p.name for p in ruleset_files(tmp_path / "policies")] == ["2024.rules", "2024.rules"]


def test_check_json_reports_examples_coverage_and_errors(tmp_path, capsys):
    good = policy(tmp_path)
    bad = tmp_path / "policies" / "bad" / "1.rules"
    bad.parent.mkdir()
    bad.write_text("ruleset bad version 1 rule a when wieght > 1 score 1\n", encoding="utf-8")
    assert main(["check", "--json", "--no-properties", good, str(bad), str(tmp_path / "nope.rules")]) == 2
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["passed"] for line in lines] == [True, False, False]
    assert {"examples", "coverage", "properties", "warnings"} <= set(lines[0])
    assert "unknown name 'wieght'; did you mean 'weight'?" in lines[1]["errors"][0]
    assert "cannot read" in lines[2]["errors"][0]


def test_check_json_on_a_folder_without_rulesets(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["check", "--json", str(tmp_path / "empty")]) == 2
    (line,) = capsys.readouterr().out.splitlines()
    assert "no .rules files" in json.loads(line)["errors"][0]


def test_a_sheet_expectation_catches_a_sheet_rule_that_overpays():
    sound = """ruleset frame version 1
rule met otherwise score weight
sheet rule 指标设置 weight 10 score weight * share(actual >= target among target is comparison)
sheet expect within: points("指标设置") <= 10
"""
    assert run_properties(Ruleset.from_text(sound), seed=0, max_examples=30).passed
    broken = Ruleset.from_text(sound.replace("score weight * share", "score 100 * share"))
    report = run_properties(broken, seed=0, max_examples=30)
    (within,) = report.properties
    assert within.status == "failed" and "within does not hold for this table" in report.text()


def test_a_row_expectation_reads_a_check():
    text = """ruleset flags version 1
rule met otherwise score weight
check short when actual < target and note == "" warning "须说明"
expect flagged: actual < target and note == "" implies finding("short")
"""
    assert run_properties(Ruleset.from_text(text), seed=0, max_examples=30).passed
    broken = Ruleset.from_text(text.replace('note == "" warning', 'note == "x" warning'))
    assert not run_properties(broken, seed=0, max_examples=30).passed


def test_coverage_without_generated_rows_counts_examples_alone():
    ruleset = Ruleset.from_text(CHILD.format(extra=""))
    coverage = coverage_of(ruleset, run_examples(ruleset), None)
    assert not coverage.generated
    assert {(i.what, i.name) for i in coverage.unreached()} == {("rule", n) for n in ("adjust", "late", "met")} | {
        ("check", "late_note")}


VOCABULARY = vocabulary_of(Ruleset.from_text("""ruleset v version 1
direction lower when name contains "预算调整率"
rule moved when cell("调剂方式") == "跨科目" and number("调剂额") > 5 score 0
rule late when days_late > 28 and days_late <= 60 score weight / 2
rule money when unit is money and actual >= 500 score weight
rule met otherwise score weight
""").model)


@settings(max_examples=200, deadline=None, database=None)
@given(rows(targets(("comparison",), vocabulary=VOCABULARY), vocabulary=VOCABULARY))
def test_generated_rows_carry_the_columns_the_ruleset_reads(row):
    assert set(row.columns) <= {"调剂方式", "调剂额"}
    if "调剂方式" in row.columns:
        assert row.columns["调剂方式"] in ("跨科目", "", "0", "1", "5", "5万元", "是", "否")


def test_the_vocabulary_is_drawn():
    seen = {"name": set(), "column": set(), "late": set(), "zero_positive": 0}

    @settings(max_examples=400, deadline=None, database=None, derandomize=True)
    @given(rows(targets(("comparison", "deadline"), vocabulary=VOCABULARY), vocabulary=VOCABULARY))
    def draw(row):
        seen["name"].add(row.name)
        seen["column"].add(row.columns.get("调剂方式"))
        if isinstance(row.target, Deadline) and isinstance(row.actual, ActualDate) and row.actual.day:
            seen["late"].add((row.target, row.actual))
        if isinstance(row.target, Comparison) and row.target.quantity.value == 0 \
                and isinstance(row.actual, ActualQuantity) and row.actual.quantity.value > 0:
            seen["zero_positive"] += 1

    draw()
    assert "预算调整率" in seen["name"] and "跨科目" in seen["column"]
    assert seen["zero_positive"] > 0  # a zero target meets a positive actual
    ruleset = Ruleset.from_text("ruleset d version 1 rule met otherwise score weight")
    from perfrules import Row

    days = {int(ruleset._evaluator.facts(Row(target=t, actual=a, fiscal_year=2024)).get("days_late"))
            for t, a in seen["late"]}
    assert {28, 29} <= days  # at and just past the ruleset's 28 days


def test_the_vocabulary_lists_what_the_ruleset_compares_with():
    assert VOCABULARY.names == ("预算调整率",)
    assert VOCABULARY.columns == ("调剂方式", "调剂额")
    assert VOCABULARY.texts_of("调剂方式") == ("跨科目",)
    assert VOCABULARY.constants_of("days_late") == (Decimal(28), Decimal(60))
    assert VOCABULARY.constants_of("number:调剂额") == (Decimal(5),)
    assert "万元" in VOCABULARY.units


def test_a_table_condition_reads_total_aggregates_findings_and_sheet_rules():
    ruleset = Ruleset.from_text("""ruleset frame version 1
rule short when actual < target score weight * actual / target
rule met otherwise score weight
check no_note when actual < target and note == "" warning "须说明"
sheet rule 指标设置 weight 10 score weight * share(actual >= target among target is comparison)
grades { 优: total >= 90; 差: otherwise }
sheet expect sane: total <= weight_total
""")
    from perfrules import Row, Sheet, score

    scored = score(Sheet([Row.of(target="≥10次", actual="10次", weight="45"),
                          Row.of(target="≥10次", actual="5次", weight="45")]), ruleset)
    assert (scored.total, scored.grade) == (Decimal("72.50"), "差")

    def holds(text):
        expect = Ruleset.from_text(ruleset.text.replace("total <= weight_total", text)).model.expects[0]
        return ruleset.table_condition(expect.prop)(scored)

    assert holds("total == 72.5") and holds('grade == "差"') and holds("weight_total == 100")
    assert holds("count(actual < target) == 1") and holds("share(actual >= target) == 0.5")
    assert holds('finding("no_note") and not finding("likely_slip")') and holds('points("指标设置") == 5')
    assert holds("sum(score where actual >= target) == 45")
    assert holds("count(score > 100) > 0") is False


def test_a_property_reading_a_check_is_described_as_written():
    text = """ruleset flags version 1
rule met otherwise score weight
check short when actual < target and note == "" warning "须说明"
expect flagged: actual < target and note == "" implies finding("short")
"""
    (flagged,) = run_properties(Ruleset.from_text(text), seed=0, max_examples=10).properties
    assert flagged.description == 'actual < target and note == "" implies finding("short")'
