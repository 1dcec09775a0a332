"""The names and functions an ``expect`` can read, besides a rule's.

A row's expectation (``expect NAME: …``) reads the row's values, its
``score`` and ``finding("CHECK")``: whether that check flags the row.  A
table's (``sheet expect NAME: …``) reads ``total``, ``weight_total``,
``grade``, the aggregates ``count()``, ``sum()`` and ``share()`` over the
rows, ``finding("CODE")`` (the table has a finding of that code) and
``points("SHEET RULE")`` (what a sheet rule gave).
"""

from __future__ import annotations

from typing import Any

import attrs

from . import ast
from .types import ANY, BOOL, NUM, ROW_NAMES_WITH_SCORE, TEXT, Typer, suggest

__all__ = ["ExpectTyper", "SHEET_EXPECT_NAMES", "EXPECT_FUNCTIONS", "check_expect_names", "inline_findings",
           "TableFacts"]

#: What a ``sheet expect`` reads.
SHEET_EXPECT_NAMES = {"total": NUM, "weight_total": NUM, "grade": TEXT}
#: The functions only expectations have: ``name: (type, scopes)``.
EXPECT_FUNCTIONS = {"finding": (BOOL, ("row", "sheet")), "points": (NUM, ("sheet",))}


class ExpectTyper(Typer):
    """Types an expectation: a row's (``sheet=False``) or a table's."""

    table_hint = "state it as a table's expectation: sheet expect NAME: …"

    def __init__(self, problems, *, sheet: bool) -> None:
        super().__init__(problems, SHEET_EXPECT_NAMES if sheet else ROW_NAMES_WITH_SCORE, sheet=sheet)

    def _Call(self, expr):
        if expr.function not in EXPECT_FUNCTIONS:
            return super()._Call(expr)
        kind, scopes = EXPECT_FUNCTIONS[expr.function]
        if ("sheet" if self.sheet else "row") not in scopes:
            self.problems.error(f"{expr.function}() is a table's: use it in a sheet expect", expr)
            return ANY
        if len(expr.args) != 1 or not isinstance(expr.args[0], ast.String):
            name = "CHECK" if expr.function == "finding" else "SHEET RULE"
            self.problems.error(f'{expr.function}() takes one name in quotes: {expr.function}("{name}")', expr)
        return kind


def _calls(node):
    """Every :class:`~.ast.Call` in ``node``."""
    return (found for found in ast.walk(node) if isinstance(found, ast.Call))


def check_expect_names(document: ast.Document, model, problems) -> None:
    """``finding("X")`` and ``points("Y")`` in this file's expectations
    name a check (or a finding perfrules reports) and a sheet rule the
    ruleset has."""
    from .examples import AUDIT_CODES

    for item in document.items:
        if not isinstance(item, ast.ExpectDecl) or item.prop is None:
            continue
        # A row's finding() is a check's condition on the row; a table's,
        # any finding of the table (perfrules' own among them).
        checks = [c.name for c in model.checks if item.sheet or not c.sheet] + (list(AUDIT_CODES) if item.sheet else [])
        for call in _calls(item.prop):
            if call.function not in EXPECT_FUNCTIONS or len(call.args) != 1 or not isinstance(call.args[0], ast.String):
                continue
            name = call.args[0].value
            known = checks if call.function == "finding" else [r.name for r in model.sheet_rules]
            what = "check" if call.function == "finding" else "sheet rule"
            if name not in known:
                problems.error(f"there is no {what} '{name}'{suggest(name, known)}", call)


def inline_findings(expr: ast.Expr, checks) -> ast.Expr:
    """A row's expectation with each ``finding("CHECK")`` replaced by that
    check's condition: whether the check flags the row is whether its
    condition holds for it."""
    conditions = {check.name: check.condition for check in checks if not check.sheet}

    def rewrite(node):
        if isinstance(node, ast.Call) and node.function == "finding" and len(node.args) == 1 \
                and isinstance(node.args[0], ast.String) and node.args[0].value in conditions:
            return conditions[node.args[0].value]
        if not isinstance(node, ast.Node):
            return node
        changes: dict[str, Any] = {}
        for field in attrs.fields(type(node)):
            value = getattr(node, field.name)
            new = tuple(rewrite(v) for v in value) if isinstance(value, tuple) else rewrite(value)
            if new != value or new is not value:
                changes[field.name] = new
        return attrs.evolve(node, **changes) if changes else node

    return rewrite(expr)


class TableFacts:
    """A scored table as a ``sheet expect`` reads it: ``total``,
    ``weight_total``, ``grade``, the rows' facts for the aggregates,
    ``finding()`` and ``points()``."""

    def __init__(self, rows: list, scored) -> None:
        self.rows = rows
        self.notes: list = []
        self._scored = scored

    def get(self, name: str):
        from .runtime import Unavailable

        scored = self._scored
        if name == "total":
            if scored.total is None:
                raise Unavailable(f"the table has no total: {scored.total_reason}")
            return scored.total
        if name == "grade":
            if scored.grade is None:
                raise Unavailable("the table has no grade")
            return scored.grade
        return {"weight_total": scored.weight_total}[name]

    def finding(self, code: str) -> bool:
        return any(f.code == code for f in self._scored.findings)

    def points(self, name: str):
        from .runtime import Unavailable

        part = next(r for r in self._scored.sheet_rules if r.name == name)
        if part.score is None:
            raise Unavailable(f"sheet rule '{name}' gave nothing: {part.reason}")
        return part.score
