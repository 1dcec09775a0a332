"""The names and functions an ``expect`` can read, besides a rule's.

A row's expectation (``expect NAME: …``) reads the row's values, its
``score`` and ``finding("CHECK")``: whether that check flags the row.  A
table's (``sheet expect NAME: …``) reads ``total``, ``weight_total``,
``grade``, the aggregates ``count()``, ``sum()`` and ``share()`` over the
rows, ``finding("CODE")`` (the table has a finding of that code) and
``points("SHEET RULE")`` (what a sheet rule gave).
"""

from __future__ import annotations

import attrs

from . import ast
from .types import ANY, BOOL, NUM, ROW_NAMES_WITH_SCORE, TEXT, Typer, suggest

__all__ = ["ExpectTyper", "SHEET_EXPECT_NAMES", "EXPECT_FUNCTIONS", "check_expect_names"]

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
    if isinstance(node, ast.Call):
        yield node
    if isinstance(node, tuple):
        for child in node:
            yield from _calls(child)
    elif isinstance(node, ast.Node):
        for field in attrs.fields(type(node)):
            yield from _calls(getattr(node, field.name))


def check_expect_names(document: ast.Document, model, problems) -> None:
    """``finding("X")`` and ``points("Y")`` in this file's expectations
    name a check (or a finding perfrules reports) and a sheet rule the
    ruleset has."""
    from .examples import AUDIT_CODES

    for item in document.items:
        if not isinstance(item, ast.ExpectDecl) or item.prop is None:
            continue
        checks = [c.name for c in model.checks if item.sheet or not c.sheet] + list(AUDIT_CODES)
        for call in _calls(item.prop):
            if call.function not in EXPECT_FUNCTIONS or len(call.args) != 1 or not isinstance(call.args[0], ast.String):
                continue
            name = call.args[0].value
            known = checks if call.function == "finding" else [r.name for r in model.sheet_rules]
            what = "check" if call.function == "finding" else "sheet rule"
            if name not in known:
                problems.error(f"there is no {what} '{name}'{suggest(name, known)}", call)
