"""Examples in the scoring language: `example NAME / row … gives … / then …`
is read, checked against the ruleset, formatted back and run, and a failing
example says what differs with the row's trace."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfrules import Row, Ruleset, RulesetCheckError, RulesetSyntaxError
from perfrules.dsl.format import format_document
from perfrules.dsl.parse import parse_document
from perfrules.testing import PropertyFailed, check_ruleset, run_examples
from perfrules.testing.strategies import actual_texts, target_texts

RULES = """
ruleset demo
version 1
rule shortfall
  when direction is higher and actual < target
  score weight * actual / target
rule overshoot
  when direction is higher and deviation > 30%
  score weight * (50% .. 100%) default 100%
rule budget_execution
  when row is budget_execution
  score weight * min(rate, 100%)
rule moved
  when name contains "调剂" and number("调剂额") > 5
  score 0
rule met
  otherwise
  score weight
check no_reason
  when actual < target and note == ""
  warning "未完成须说明"
sheet rule 指标设置
  weight 10
  score weight * share(actual >= target among target is comparison)
grades { 优: total >= 90; 差: otherwise }
"""


def ruleset(examples: str) -> Ruleset:
    return Ruleset.from_text(RULES + examples)


def test_a_passing_example_states_rule_score_range_and_status():
    report = run_examples(ruleset("""
example cut
  row target "≥300项", actual "498项", weight 1, reported 0.5
    gives rule overshoot, score 1, allowed 0.5 .. 1, status within_discretion
"""))
    assert report.passed
    assert report.text().splitlines() == ["demo@1: 1 example", "  ok   example cut (line 27)"]


def test_a_failing_example_says_what_differs_and_prints_the_trace():
    report = run_examples(ruleset("""
example wrong
  row target "≥10次", actual "8次", weight 5
    gives rule met, score 5
"""))
    (result,) = report.examples
    assert not report.passed and not result.passed
    assert result.failures == ("row 1: rule: expected met, got shortfall", "row 1: score: expected 5, got 4.00")
    text = report.text()
    assert "FAIL example wrong" in text
    assert "rule: shortfall (when direction is higher and actual < target)" in text
    assert "score: weight * actual / target = 4" in text


def test_findings_of_a_row_and_of_the_table():
    report = run_examples(ruleset("""
example flagged
  row target "≥10次", actual "8次", weight 45, name "培训次数"
    gives finding no_reason
  row target "≥10次", actual "8次", weight 40, note "疫情影响"
    gives not finding no_reason
  then finding no_reason, not finding likely_slip, finding weight_total
"""))
    assert report.passed, report.text()


def test_a_table_total_grade_and_sheet_rule():
    report = run_examples(ruleset("""
example table
  row target "≥10次", actual "10次", weight 45
  row target "≥10次", actual "5次", weight 45, note "资金未到位"
  then total 72.50, grade 差, sheet rule 指标设置 5
"""))
    assert report.passed, report.text()
    wrong = run_examples(ruleset("""
example table
  row target "≥10次", actual "10次", weight 45
  then total 90, grade 优, sheet rule 指标设置 5
"""))
    assert wrong.examples[0].failures == (
        "then total: expected 90, got 55.00", "then grade: expected 优, got 差",
        "then sheet rule 指标设置: expected 5, got 10.00")


def test_the_budget_row_and_other_columns():
    report = run_examples(ruleset("""
example budget
  row budget 100, spent 96.47
    gives rule budget_execution, score 9.65
example moved
  row target "≥10次", actual "12次", weight 2, name "资金调剂", cell "调剂额" "8"
    gives rule moved, score 0
  row target "≥10次", actual "12次", weight 2, name "资金调剂", cell "调剂额" "3"
    gives rule met
"""))
    assert report.passed, report.text()


def test_an_unscorable_row_and_its_reason():
    report = run_examples(ruleset("""
example units
  row target "≥10次", actual "10项", weight 2
    gives status unscorable, reason "cannot be compared"
"""))
    assert report.passed, report.text()


@pytest.mark.parametrize("example, message", [
    ('row target "≥1", actual "1" gives rule shortfal', "there is no rule 'shortfal'; did you mean 'shortfall'?"),
    ('row target "≥1", actual "1" gives stauts agrees', "unknown outcome 'stauts'; did you mean 'status'?"),
    ('row targt "≥1"', "unknown cell 'targt'; did you mean 'target'?"),
    ('row target "≥1" gives total 5', "'total' is the whole table's: write it after the example's 'then'"),
    ('row target "≥1" then score 1', "'score' is a row's: write it after the row's 'gives'"),
    ('row target "≥1" gives status fine', "there is no status 'fine'"),
    ('row target "≥1" gives finding no_reasn', "there is no check 'no_reasn'; did you mean 'no_reason'?"),
    ('row target "≥1" then sheet rule 指标 1', "there is no sheet rule '指标'; did you mean '指标设置'?"),
    ('row target "≥1" then grade 良', "there is no grade '良'"),
    ('row target 5', "'target' takes text in quotes"),
    ('row target "≥1" gives allowed 1', "'allowed' takes a range (0.5 .. 1)"),
    ('row target "≥≥1"', "this row does not read"),
    ('row target "≥1", target "≥2"', "the row gives 'target' twice"),
    ('row budget 1 row budget 2', "a table has one budget-execution row"),
])
def test_a_wrong_example_is_a_check_error_with_a_caret(example, message):
    with pytest.raises(RulesetCheckError) as error:
        ruleset(f"example e {example}\n")
    assert message in str(error.value)
    assert "^" in str(error.value)


def test_an_example_named_twice_is_an_error():
    with pytest.raises(RulesetCheckError, match="example 'e' is defined twice"):
        ruleset('example e row target "≥1"\nexample e row target "≥2"\n')


def test_examples_do_not_change_the_rules_identity():
    plain = Ruleset.from_text(RULES)
    with_examples = ruleset('example e row target "≥1", actual "1", weight 1 gives score 1\n')
    assert plain.sha256 == with_examples.sha256


def test_examples_format_back_to_the_same_tree():
    text = RULES + """
example mixed
  row target "≥300项", actual "498项", weight 1, cell "调剂额" "5万元", year 2024
    gives rule overshoot, allowed 0.5 .. 1, not finding no_reason
  row kind budget_execution, budget 100, spent 90
  then total 100, sheet rule 指标设置 10, grade 优
"""
    document = parse_document(text)
    formatted = format_document(document)
    assert parse_document(formatted) == document
    assert format_document(parse_document(formatted)) == formatted


def test_a_child_runs_its_own_examples_not_its_parents():
    parent = ruleset('example p row target "≥1", actual "1", weight 1 gives score 1\n')
    child = Ruleset.from_text("ruleset child version 1 extends demo@1\nrule met otherwise score 0\n",
                              resolve=lambda name, version: (parent.text, None))
    assert run_examples(child).examples == ()


def test_check_ruleset_fails_a_test_on_a_failing_example():
    broken = ruleset('example e row target "≥10次", actual "8次", weight 5 gives score 5\n')
    with pytest.raises(PropertyFailed) as failed:
        check_ruleset(broken, max_examples=10, seed=0, database=None)
    assert isinstance(failed.value, AssertionError)
    assert "FAIL example e" in str(failed.value) and "score: expected 5, got 4.00" in str(failed.value)


def _cell(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@settings(max_examples=60, deadline=None)
@given(target_texts(), actual_texts(), st.sampled_from(["1", "2", "12.5"]))
def test_an_example_stating_what_the_ruleset_computes_passes_and_one_off_fails(target, actual, weight):
    """For any cells that read, an example written from the computed result
    passes, and one that says a score 0.01 off fails."""
    rules = Ruleset.from_text(RULES)
    try:
        row = Row.of(target=target, actual=actual, weight=weight)
    except Exception:
        return
    result = rules.evaluate(row)
    cells = f"row target {_cell(target)}, actual {_cell(actual)}, weight {weight}"
    said = [f"status {result.status}"] + ([f"rule {result.rule}"] if result.rule else [])
    if result.score is not None:
        said.append(f"score {result.score}")
    example = f"example e\n  {cells}\n    gives {', '.join(said)}\n"
    assert run_examples(Ruleset.from_text(RULES + example)).passed
    if result.score is not None:
        off = example.replace(f"score {result.score}", f"score {result.score + Decimal('0.01')}")
        assert not run_examples(Ruleset.from_text(RULES + off)).passed


def test_tiers_without_else_say_so():
    with pytest.raises(RulesetSyntaxError, match="tiers need an 'else: VALUE' tier, last"):
        Ruleset.from_text("ruleset d version 1 rule a otherwise score tiers completion { < 50%: 0; < 80%: 1 }")
    with pytest.raises(RulesetSyntaxError, match="'else' is the last tier"):
        Ruleset.from_text("ruleset d version 1 rule a otherwise score tiers completion { < 50%: 0; else: 1; < 80%: 1 }")


_WORDS = st.from_regex(r"[a-z_\u4e00-\u9fa5][a-z0-9_\u4e00-\u9fa5]{0,8}", fullmatch=True).filter(
    lambda word: word not in ("row", "then", "gives", "not", "rule", "check", "sheet", "weight", "score",
                              "example", "expect", "remove", "direction", "ruleset", "version", "effective",
                              "title", "source", "extends", "rounding", "grades", "weights", "not_applicable",
                              "otherwise", "when", "because", "before", "after", "and", "or", "is", "in",
                              "contains", "implies", "if", "else", "default", "words", "band", "tiers", "where",
                              "among", "monotone", "continuous", "at", "within", "count", "sum", "share",
                              "error", "warning", "info", "rescale", "zero", "direction"))
_TEXTS = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
_NUMBERS = st.decimals(min_value=-1000, max_value=1000, places=2).map(lambda d: d.normalize() if d else Decimal(0))
_VALUES = st.one_of(_TEXTS, _NUMBERS, _WORDS,
                    st.builds(lambda a, b: ("range", a, b), _NUMBERS.filter(lambda d: d >= 0),
                              _NUMBERS.filter(lambda d: d >= 0)))


def _value_text(value) -> str:
    if isinstance(value, tuple):
        return f"{format(value[1], 'f')} .. {format(value[2], 'f')}"
    if isinstance(value, Decimal):
        return format(value, "f")
    return _cell(value)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.tuples(_WORDS, st.lists(_VALUES, min_size=1, max_size=2)), min_size=1, max_size=3),
                min_size=1, max_size=3),
       st.lists(st.tuples(st.booleans(), _WORDS, st.lists(_VALUES, min_size=1, max_size=2)), max_size=3))
def test_any_example_text_formats_back_to_the_same_tree(rows, then):
    """Whatever an example's names and values, `perfrules fmt` prints it as
    text that reads back to the same tree (and prints that text unchanged)."""
    lines = ["ruleset demo version 1", "example e"]
    for fields in rows:
        lines.append("  row " + ", ".join(f"{name} {' '.join(_value_text(v) for v in values)}"
                                         for name, values in fields))
    if then:
        lines.append("  then " + ", ".join(f"{'not ' if negated else ''}{name} "
                                           f"{' '.join(_value_text(v) for v in values)}"
                                           for negated, name, values in then))
    document = parse_document("\n".join(lines) + "\n")
    formatted = format_document(document)
    assert parse_document(formatted) == document
    assert format_document(parse_document(formatted)) == formatted
