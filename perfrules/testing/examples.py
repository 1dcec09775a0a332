"""Running a ruleset's examples: each ``example`` is scored as the table
it stands for, and what it states (``gives``, ``then``) is compared with
what the ruleset decided.  A failing example says what differs and prints
the row's trace, as ``perfrules explain`` does.

>>> from perfrules import Ruleset
>>> ruleset = Ruleset.from_text('''
... ruleset demo version 1
... rule shortfall when actual < target score weight * actual / target
... rule met otherwise score weight
... example short
...   row target "≥10次", actual "8次", weight 5
...     gives rule shortfall, score 4
... ''')
>>> run_examples(ruleset).passed
True
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from ..dsl import ast
from ..dsl.examples import example_sheet
from ..evaluate import ScoredRow, ScoreSheet, score
from ..ruleset import Ruleset

__all__ = ["ExampleResult", "ExamplesReport", "run_examples"]


@attrs.frozen
class ExampleResult:
    """One example: whether it ``passed``, and for each thing it states
    that the ruleset decided otherwise, a line saying so (``failures``),
    with the traces of the rows concerned (``traces``)."""

    name: str
    line: int | None
    passed: bool
    failures: tuple[str, ...] = ()
    traces: tuple[str, ...] = ()
    #: The scored table (for coverage and for a closer look).
    scored: ScoreSheet | None = attrs.field(default=None, eq=False, repr=False)

    def text(self) -> str:
        """The result as ``perfrules check`` prints it."""
        where = f" (line {self.line})" if self.line else ""
        if self.passed:
            return f"  ok   example {self.name}{where}"
        lines = [f"  FAIL example {self.name}{where}"]
        lines += [f"       {failure}" for failure in self.failures]
        for trace in self.traces:
            lines += [f"         {line}" for line in trace.splitlines()]
        return "\n".join(lines)


@attrs.frozen
class ExamplesReport:
    """Every example of a ruleset, in the order written."""

    ruleset: str
    examples: tuple[ExampleResult, ...]

    @property
    def passed(self) -> bool:
        """Whether every example held."""
        return all(e.passed for e in self.examples)

    def text(self) -> str:
        """The report as ``perfrules check`` prints it."""
        count = len(self.examples)
        failed = sum(not e.passed for e in self.examples)
        head = f"{self.ruleset}: {count} example{'' if count == 1 else 's'}"
        head += f", {failed} failed" if failed else ""
        return "\n".join([head] + [e.text() for e in self.examples])

    def to_json(self) -> dict:
        """The report as a JSON-ready dict (``examples`` of ``perfrules check --json``)."""
        return {"ruleset": self.ruleset, "passed": self.passed,
                "examples": [{"name": e.name, "line": e.line, "passed": e.passed, "failures": list(e.failures),
                              "traces": list(e.traces)} for e in self.examples]}


def _shown(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, tuple):
        return " .. ".join(str(v) for v in value)
    return str(value)  # a score as rounded (4.00), a number as written (4)


def _number(value: Decimal | None, wanted: Decimal) -> bool:
    return value is not None and value == wanted


def _row_outcome(outcome: ast.ExampleOutcome, scored: ScoredRow, sheet: ScoreSheet) -> str | None:
    """What differs from ``outcome`` for the row ``scored``; None when it holds."""
    result = scored.result
    wanted: Any = outcome.values[0]
    got: Any
    if outcome.name == "finding":
        found = any(f.code == wanted and (scored.index in f.rows or (scored.index == 0 and not f.rows))
                    for f in sheet.findings)
        if found == outcome.negated:
            return f"finding {wanted}: expected {'none' if outcome.negated else 'it on this row'}, " \
                   f"got {'it' if found else 'none'}"
        return None
    if outcome.name == "allowed":
        got, wanted = result.allowed, (wanted.low, wanted.high)
        holds = got is not None and got == wanted
    elif outcome.name == "score":
        got = result.score
        holds = _number(got, wanted)
    elif outcome.name == "reason":
        got = result.reason
        holds = got is not None and wanted in got
    else:
        got = {"rule": result.rule, "status": result.status}[outcome.name]
        holds = got == wanted
    if holds != outcome.negated:
        return None
    prefix = "not " if outcome.negated else ""
    return f"{outcome.name}: expected {prefix}{_shown(wanted)}, got {_shown(got)}"


def _sheet_outcome(outcome: ast.ExampleOutcome, sheet: ScoreSheet) -> str | None:
    wanted: Any = outcome.values[0]
    got: Any
    if outcome.name == "finding":
        found = [f for f in sheet.findings if f.code == wanted]
        if bool(found) == outcome.negated:
            got = "; ".join(str(f) for f in found) if found else \
                ("only " + ", ".join(f.code for f in sheet.findings) if sheet.findings else "no findings")
            return f"finding {wanted}: expected {'none' if outcome.negated else 'it'}, got {got}"
        return None
    if outcome.name == "sheet rule":
        part = next((r for r in sheet.sheet_rules if r.name == wanted), None)
        got = None if part is None else part.score
        wanted = outcome.values[1]
        holds = _number(got, wanted)
        label = f"sheet rule {outcome.values[0]}"
        if part is not None and got is None:
            got = f"nothing ({part.reason})"
    elif outcome.name == "total":
        got = sheet.total
        holds = _number(got, wanted)
        label = "total"
        if got is None:
            got = f"nothing ({sheet.total_reason})"
    else:
        got, holds, label = sheet.grade, sheet.grade == wanted, "grade"
    if holds != outcome.negated:
        return None
    return f"{label}: expected {'not ' if outcome.negated else ''}{_shown(wanted)}, got {_shown(got)}"


def run_example(ruleset: Ruleset, example: ast.ExampleDecl) -> ExampleResult:
    """Score one example's table with ``ruleset`` and compare."""
    sheet = example_sheet(example)
    scored = score(sheet, ruleset, trace=True)
    by_row = iter(scored.rows)
    failures: list[str] = []
    traces: list[str] = []
    for number, row_decl in enumerate(example.rows, 1):
        entry = scored.budget if _budget(row_decl, sheet) else next(by_row)
        assert entry is not None  # a budget row in the example is the sheet's budget row
        missed = [m for m in (_row_outcome(o, entry, scored) for o in row_decl.gives) if m]
        label = "the budget row" if entry.index == 0 else f"row {number}"
        failures += [f"{label}: {m}" for m in missed]
        if missed:
            traces.append(f"{label}: {entry.result.explain()}".replace(": ", ":\n", 1))
    for outcome in example.then:
        problem = _sheet_outcome(outcome, scored)
        if problem:
            failures.append(f"then {problem}")
    line = example.span.line if example.span is not None else None
    return ExampleResult(example.name, line, not failures, tuple(failures), tuple(traces), scored)


def _budget(row_decl: ast.ExampleRow, sheet) -> bool:
    fields = {f.name: f.values for f in row_decl.fields}
    return sheet.budget is not None and (fields.get("kind") == ("budget_execution",) or "budget" in fields
                                         or "spent" in fields)


def run_examples(ruleset: Ruleset) -> ExamplesReport:
    """Run every example ``ruleset`` states (its own, not its parent's)."""
    return ExamplesReport(f"{ruleset.name}@{ruleset.version}",
                          tuple(run_example(ruleset, example) for example in ruleset.model.examples))
