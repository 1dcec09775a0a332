"""Examples in the scoring language, the check side: what an ``example``
may say, checked against the ruleset it is in, and the rows it builds.

An example is a worked case (``example NAME``): one or more rows, each
with the cells a table would give it and what it must score (``gives``),
and what the whole table must come to (``then``)::

    example overshoot_cut
      row target "≥300项", actual "498项", weight 1, reported 0.5
        gives rule overshoot, allowed 0.5 .. 1, status within_discretion

The field and outcome names are data (:data:`ROW_FIELDS`,
:data:`ROW_OUTCOMES`, :data:`SHEET_OUTCOMES`); a misspelt one gets the
nearest known name.  Running examples is :mod:`perfrules.testing.examples`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..errors import PerfrulesError
from ..records import Row, Sheet
from ..cells.targets import parse_actual, parse_target
from . import ast
from ..results import STATUSES
from .types import Problems, suggest

__all__ = ["ROW_FIELDS", "ROW_OUTCOMES", "SHEET_OUTCOMES", "AUDIT_CODES", "check_examples", "example_sheet"]

# What a value must be: text in quotes, a number, a word, a range.
TEXT, NUMBER, AMOUNT, WORD, RANGE, YEAR = "text", "number", "amount", "word", "range", "year"

#: The cells an example row may give: ``name: (what each value is, …)``.
ROW_FIELDS = {
    "target": (TEXT,), "actual": (TEXT,), "weight": (AMOUNT,), "reported": (AMOUNT,),
    "name": (TEXT,), "level1": (TEXT,), "level2": (TEXT,), "note": (TEXT,), "goal": (TEXT,),
    "year": (YEAR,), "kind": (WORD,), "budget": (AMOUNT,), "spent": (AMOUNT,),
    # Any other column, by its header: cell "调剂额" "5万元".
    "cell": (TEXT, AMOUNT),
}
#: What a row's ``gives`` may state.
ROW_OUTCOMES = {
    "rule": (WORD,), "score": (NUMBER,), "allowed": (RANGE,), "status": (WORD,), "reason": (TEXT,),
    "finding": (WORD,),
}
#: What an example's ``then`` may state about the whole table.
SHEET_OUTCOMES = {"total": (NUMBER,), "grade": (WORD,), "finding": (WORD,), "sheet rule": (WORD, NUMBER)}
#: The findings perfrules itself reports (besides the ruleset's checks).
AUDIT_CODES = (
    "no_rows", "unread_lines", "read_doubt", "reported_total", "reported_grade", "execution_rate",
    "level_weights", "weight_total", "score_above_weight", "incompatible_units", "likely_slip", "unscorable",
    "not_applicable_scored", "overshoot_not_monotone", "ruleset_year",
)
_KINDS = ("indicator", "budget_execution")
_WORDS = {"text": 'text in quotes ("≥10次")', "number": "a number", "amount": "a number",
          "word": "a name", "range": "a range (0.5 .. 1)", "year": "a year (2024)"}


def _value_ok(kind: str, value) -> bool:
    if kind == TEXT:
        return isinstance(value, str)
    if kind in (NUMBER, YEAR):
        return isinstance(value, Decimal) and (kind == NUMBER or value == value.to_integral_value())
    if kind == AMOUNT:
        return isinstance(value, (Decimal, str))
    if kind == WORD:
        return isinstance(value, str)
    return isinstance(value, ast.ExampleRange)


def _shape(field: ast.ExampleField, known: dict, what: str, problems: Problems, elsewhere: dict,
           where: str) -> bool:
    """Whether ``field`` is one of ``known`` with values of the right kinds."""
    kinds = known.get(field.name)
    if kinds is None:
        if field.name in elsewhere:
            problems.error(f"'{field.name}' {where}", field)
        else:
            problems.error(f"unknown {what} '{field.name}'{suggest(field.name, known)} "
                           f"(one of: {', '.join(known)})", field)
        return False
    if len(field.values) != len(kinds) or not all(_value_ok(k, v) for k, v in zip(kinds, field.values)):
        wanted = " and ".join(_WORDS[k] for k in kinds)
        problems.error(f"'{field.name}' takes {wanted}: {_sample(field.name)}", field)
        return False
    return True


_SAMPLES = {
    "target": 'target "≥10次"', "actual": 'actual "12次"', "cell": 'cell "调剂额" "5万元"', "kind": "kind budget_execution",
    "year": "year 2024", "allowed": "allowed 0.5 .. 1", "sheet rule": "sheet rule 指标设置 3.33",
    "reason": 'reason "no band"', "status": "status agrees", "rule": "rule shortfall", "finding": "finding no_reason",
}


def _sample(name: str) -> str:
    return _SAMPLES.get(name, f"{name} 1")


def _one_word(field, choices, what, problems: Problems) -> None:
    word = field.values[0]
    if word not in choices:
        problems.error(f"there is no {what} '{word}'{suggest(word, choices)}"
                       f" ({'one of: ' + ', '.join(choices) if choices else 'the ruleset has none'})", field)


def check_examples(document: ast.Document, model, problems: Problems) -> None:
    """Check the examples ``document`` states against ``model`` (the
    ruleset they test): the names of fields and outcomes, the rules, checks,
    statuses, grades and sheet rules they name, and that every row's cells
    read."""
    rules = [rule.name for rule in model.rules] + ["not_applicable"]
    row_checks = [c.name for c in model.checks if not c.sheet]
    sheet_checks = [c.name for c in model.checks if c.sheet]
    grades = [g.label for g in model.grades]
    sheet_rules = [r.name for r in model.sheet_rules]
    seen: dict[str, ast.ExampleDecl] = {}
    for item in document.items:
        if not isinstance(item, ast.ExampleDecl):
            continue
        if item.name in seen:
            first = seen[item.name].span
            where = f" (first at line {first.line})" if first is not None else ""
            problems.error(f"example '{item.name}' is defined twice{where}", item)
        seen.setdefault(item.name, item)
        for row in item.rows:
            good = all([_shape(f, ROW_FIELDS, "cell", problems, ROW_OUTCOMES,
                               "is what a row gives, not one of its cells: write it after 'gives'")
                        for f in row.fields])
            for field in row.fields:
                if field.name == "kind" and good:
                    _one_word(field, _KINDS, "row kind", problems)
            names = [f.name for f in row.fields if f.name != "cell"]
            for name in sorted({n for n in names if names.count(n) > 1}):
                problems.error(f"the row gives '{name}' twice", row)
            for outcome in row.gives:
                if not _shape(outcome, ROW_OUTCOMES, "outcome", problems, SHEET_OUTCOMES,
                              "is the whole table's: write it after the example's 'then'"):
                    continue
                if outcome.name == "rule":
                    _one_word(outcome, rules, "rule", problems)
                elif outcome.name == "status":
                    _one_word(outcome, STATUSES, "status", problems)
                elif outcome.name == "finding":
                    _one_word(outcome, row_checks + list(AUDIT_CODES), "check", problems)
            if good:
                try:
                    example_row(row)
                except PerfrulesError as error:
                    problems.error(f"this row does not read: {error.message}", row)
        budgets = [row for row in item.rows if _is_budget(row)]
        if len(budgets) > 1:
            problems.error("a table has one budget-execution row; this example gives "
                           f"{len(budgets)}", budgets[1])
        for outcome in item.then:
            if not _shape(outcome, SHEET_OUTCOMES, "outcome of the table", problems, ROW_OUTCOMES,
                          "is a row's: write it after the row's 'gives'"):
                continue
            if outcome.name == "grade":
                _one_word(outcome, grades, "grade", problems)
            elif outcome.name == "sheet rule":
                _one_word(outcome, sheet_rules, "sheet rule", problems)
            elif outcome.name == "finding":
                _one_word(outcome, row_checks + sheet_checks + list(AUDIT_CODES), "check", problems)


def _is_budget(row: ast.ExampleRow) -> bool:
    fields = {f.name: f.values for f in row.fields}
    return fields.get("kind") == ("budget_execution",) or "budget" in fields or "spent" in fields


def _text(value) -> str:
    return value if isinstance(value, str) else format(value, "f")


def example_row(row: ast.ExampleRow) -> Row:
    """The :class:`~perfrules.Row` an example row stands for; raises a
    :class:`~perfrules.PerfrulesError` for a cell that does not read."""
    cells: dict[str, Any] = {}
    columns: dict[str, str] = {}
    for field in row.fields:
        if field.name == "cell":
            columns[str(field.values[0])] = _text(field.values[1])
        else:
            cells[field.name] = field.values[0]
    year = cells.pop("year", None)
    fiscal_year = int(year) if year is not None else None
    cells.pop("kind", None)
    texts = {name: cells.pop(name) for name in ("name", "level1", "level2", "note", "goal") if name in cells}
    if _is_budget(row):
        return Row.budget_execution(
            budget=_text(cells.pop("budget", "")), spent=_text(cells.pop("spent", "")),
            weight=cells.pop("weight", Decimal(10)), reported=cells.pop("reported", None),
            fiscal_year=fiscal_year, columns=columns or None, **texts)
    return Row(
        target=parse_target(cells.pop("target", "")),
        actual=parse_actual(cells.pop("actual", "")),
        weight=cells.pop("weight", None),
        reported=cells.pop("reported", None),
        fiscal_year=fiscal_year,
        columns=columns or None,
        **texts,
    )


def example_sheet(example: ast.ExampleDecl) -> Sheet:
    """The table an example stands for: its indicator rows in order, its
    budget row apart."""
    rows = [example_row(row) for row in example.rows]
    budget = next((row for row in rows if row.kind == "budget_execution"), None)
    indicators = [row for row in rows if row.kind != "budget_execution"]
    years = [row.fiscal_year for row in rows if row.fiscal_year is not None]
    return Sheet(rows=indicators, budget=budget, fiscal_year=years[0] if years else None)
