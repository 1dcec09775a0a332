"""Lints: what type-checks but is almost certainly a slip of the author.

Each lint is a plain function over the items a file writes, applied in
order from :data:`LINTS`; what it finds is a warning (``perfrules check
--strict`` fails on warnings).  The slips:

- a fraction compared with a number written without ``%`` (``completion
  >= 130``: completion is 1.3 at 130%);
- the weight multiplied by a whole number (``weight * 50``, meant 50%);
- a bound in % against an amount that is no share (``days_late > 30%``,
  or ``actual`` in a rule for ``unit is money``);
- a rule or check whose condition can never hold (``completion < 50% and
  completion > 80%``; a check ``when row is budget_execution``, while checks
  look at indicator rows);
- a child's new rule or check whose name is a near miss of the parent's
  (it adds an item where replacing one was meant);
- division by a literal 0.
"""

from __future__ import annotations

import operator
from decimal import Decimal

from . import ast
from .format import format_number
from .types import Problems

__all__ = ["lint", "LINTS", "FRACTIONS", "AMOUNTS"]

#: Values that are fractions (1 is 100%): compared with a number > 3 is a slip.
FRACTIONS = ("completion", "deviation", "overrun", "rate")
#: Values that are never shares: a bound in % against them is a slip.
AMOUNTS = ("days_late", "months_late", "budget", "spent", "weight", "reported", "year")
_FRACTION_LIMIT = Decimal(3)
# The weight times more than this is a percentage without its %: 1.1 (110%)
# and 2 (double) are meant, 50 is not.
_WEIGHT_LIMIT = Decimal(2)
# A unit kind tested with `unit is` that makes actual and target amounts.
_SHARE_UNITS = ("ratio", "none", "number")
_ROW_VALUES = ("actual", "target", "target_low", "target_high")
_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _walk(node):
    """``node`` and every node inside it (nothing for a missing one)."""
    return ast.walk(node) if isinstance(node, ast.Node) else ()


def _conjuncts(expr) -> list:
    if isinstance(expr, ast.Logical) and expr.op == "and":
        return [c for operand in expr.operands for c in _conjuncts(operand)]
    return [] if expr is None else [expr]


def _expressions(item) -> list[tuple[ast.Expr | None, ast.Expr | None]]:
    """The expressions of an item a file writes, each with the condition it
    is scored under (a rule's ``when``), for context."""
    if isinstance(item, ast.RuleDecl):
        return [(item.condition, item.condition), (item.score, item.condition)]
    if isinstance(item, (ast.CheckDecl, ast.DirectionDecl)):
        return [(item.condition, item.condition)]
    if isinstance(item, ast.SheetRuleDecl):
        return [(item.score, None)]
    if isinstance(item, ast.ExpectDecl) and isinstance(item.prop, ast.Expr):
        return [(item.prop, None)]
    if isinstance(item, ast.GradesDecl):
        return [(entry.condition, None) for entry in item.entries if entry.condition is not None]
    return []


def _percent(number: ast.Number) -> str:
    """A plain number as the percentage its author likely meant (130 → 130%)."""
    return format_number(number.value, None) + "%"


def _without_percent(number: ast.Number) -> str:
    """30% written as the amount its author likely meant: 30."""
    return format_number(number.value * (100 if number.unit == "%" else 1000))


def _written(number: ast.Number) -> str:
    return format_number(number.value, number.unit)


def _pairs(node):
    """(name, op, number) for every comparison of a name with a literal in
    ``node`` (comparisons and tiers), the name on the left."""
    for found in _walk(node):
        if isinstance(found, ast.Compare):
            for left, op, right in zip(found.operands, found.ops, found.operands[1:]):
                if isinstance(left, ast.Name) and isinstance(right, ast.Number):
                    yield found, left.name, op, right
                elif isinstance(right, ast.Name) and isinstance(left, ast.Number):
                    yield found, right.name, _FLIP[op], left
        elif isinstance(found, ast.Tiers) and isinstance(found.subject, ast.Name):
            for tier in found.tiers:
                if isinstance(tier.bound, ast.Number):
                    yield tier, found.subject.name, tier.op, tier.bound


def forgotten_percent(item, context, problems: Problems, parent) -> None:
    """``completion >= 130``: a fraction against a number far above 1."""
    for node, _condition in _expressions(item):
        for where, name, op, number in _pairs(node):
            if name in FRACTIONS and number.unit is None and abs(number.value) > _FRACTION_LIMIT:
                problems.warn(f"{name} is a fraction (130% is 1.3), so '{name} {op} {_written(number)}' "
                              f"compares it with {format_number(number.value * 100)}%; did you mean "
                              f"{name} {op} {_percent(number)}?", where)


def weight_times_whole(item, context, problems: Problems, parent) -> None:
    """``weight * 50``: the weight fifty times over, where 50% was meant."""
    for node, _condition in _expressions(item):
        for found in _walk(node):
            if not (isinstance(found, ast.Binary) and found.op == "*"):
                continue
            for name, number in ((found.left, found.right), (found.right, found.left)):
                if (isinstance(name, ast.Name) and name.name == "weight" and isinstance(number, ast.Number)
                        and number.unit is None and number.value > _WEIGHT_LIMIT):
                    problems.warn(f"'weight * {format(number.value, 'f')}' is {format(number.value, 'f')} times the "
                                  f"weight; did you mean weight * {_percent(number)}?", found)


def _unit_kinds(condition) -> set[str]:
    return {c.kind for c in _conjuncts(condition)
            if isinstance(c, ast.IsTest) and not c.negated and isinstance(c.subject, ast.Name)
            and c.subject.name == "unit"}


def percent_against_amount(item, context, problems: Problems, parent) -> None:
    """``days_late > 30%``, or a % bound on ``actual`` in a rule for money."""
    for node, condition in _expressions(item):
        units = _unit_kinds(condition)
        amounts = set(AMOUNTS)
        if units and not units & set(_SHARE_UNITS):
            amounts |= set(_ROW_VALUES)
        for where, name, op, number in _pairs(node):
            if name in amounts and number.unit in ("%", "‰"):
                what = f"{name} is in {', '.join(sorted(units))}" if name in _ROW_VALUES else \
                    f"{name} is an amount, not a share"
                problems.warn(f"{what}: the bound {_written(number)} is the number {format_number(number.value)}; "
                              f"write the bound as an amount ({name} {op} {_without_percent(number)})", where)


def _interval_conflict(conjuncts) -> tuple | None:
    """Two comparisons of one name with literals that no value meets."""
    bounds: dict[str, list] = {}
    for c in conjuncts:
        for _, name, op, number in _pairs(c):
            if op in _OPS:
                bounds.setdefault(name, []).append((op, number, c))
    for name, found in bounds.items():
        candidates = sorted({n.value for _, n, _ in found})
        points = set(candidates)
        for a, b in zip(candidates, candidates[1:]):
            points.add((a + b) / 2)
        if candidates:
            points |= {candidates[0] - 1, candidates[-1] + 1}
        if not any(all(_OPS[op](p, n.value) for op, n, _ in found) for p in points):
            return name, found
    return None


def _kind_conflict(conjuncts) -> str | None:
    tests: dict[str, set[str]] = {}
    for c in conjuncts:
        if isinstance(c, ast.IsTest) and not c.negated and isinstance(c.subject, ast.Name):
            kind = c.kind
            if c.subject.name == "target" and kind in ("ge", "gt", "le", "lt", "eq"):
                kind = "comparison"  # ge is a comparison: not a conflict with it
            if c.subject.name == "actual" and kind == "missing":
                kind = "empty"
            tests.setdefault(c.subject.name, set()).add(kind)
    for subject, kinds in tests.items():
        if len(kinds) > 1:
            return f"{subject} cannot be both {' and '.join(sorted(kinds))}"
    return None


def _never(condition, check: bool) -> str | None:
    conjuncts = _conjuncts(condition)
    if check and any(isinstance(c, ast.IsTest) and not c.negated and isinstance(c.subject, ast.Name)
                     and c.subject.name == "row" and c.kind == "budget_execution" for c in conjuncts):
        return "checks look at indicator rows only, and this one asks for the budget-execution row"
    conflict = _interval_conflict(conjuncts)
    if conflict is not None:
        name, found = conflict
        shown = " and ".join(f"{name} {op} {_written(n)}" for op, n, _ in found)
        return f"no row has {shown}"
    return _kind_conflict(conjuncts)


def never_matches(item, context, problems: Problems, parent) -> None:
    """A rule or check whose condition can never hold."""
    if isinstance(item, ast.CheckDecl):
        why = _never(item.condition, not item.sheet)
        if why:
            problems.warn(f"check '{item.name}' can never match: {why}", item)
    elif isinstance(item, ast.RuleDecl) and item.condition is not None:
        why = _never(item.condition, False)
        if why:
            problems.warn(f"rule '{item.name}' can never fire: {why}", item)


def near_miss(item, context, problems: Problems, parent) -> None:
    """A child's new rule or check named like one of the parent's."""
    if parent is None:
        return
    if isinstance(item, ast.RuleDecl) and item.position is None:
        known, word = [r.name for r in parent.rules], "rule"
    elif isinstance(item, ast.CheckDecl):
        known, word = [c.name for c in parent.checks], "check"
    else:
        return
    if item.name in known:
        return
    close = [name for name in known if _misspelt(item.name, name)]
    if close:
        problems.warn(f"{word} '{item.name}' is not the parent's, so it adds a {word} (the parent's "
                      f"'{close[0]}' stays); did you mean to replace '{close[0]}'?", item)


def _distance(a: str, b: str) -> int:
    """The edit distance of two names (insertions, deletions, changes)."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def _misspelt(name: str, other: str) -> bool:
    """A slip of a letter or two (overshot for overshoot), not a name of its
    own (deviation_reason beside no_deviation_reason)."""
    distance = _distance(name, other)
    return 0 < distance <= 2 and distance * 3 < min(len(name), len(other))


def literal_zero_division(item, context, problems: Problems, parent) -> None:
    """``x / 0``: every row it scores is unscorable."""
    for node, _condition in _expressions(item):
        for found in _walk(node):
            if isinstance(found, ast.Binary) and found.op == "/" and isinstance(found.right, ast.Number) \
                    and found.right.value == 0:
                problems.warn("division by 0: every row this reaches is unscorable", found)


#: The lints, applied in order to every item a file writes.
LINTS = (forgotten_percent, weight_times_whole, percent_against_amount, never_matches, near_miss,
         literal_zero_division)


def lint(document: ast.Document, model, parent, problems: Problems) -> None:
    """Apply every lint to the items ``document`` writes (a parent's were
    linted when it was checked)."""
    for item in document.items:
        for rule in LINTS:
            rule(item, model, problems, parent)
