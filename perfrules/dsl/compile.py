"""Compile stage: a checked :class:`~perfrules.dsl.check.Model` → an
:class:`Evaluator`.

Every expression becomes a Python closure once, when the ruleset is
compiled: names are bound to accessors and operators to functions, so
evaluating a row parses nothing and looks nothing up by name.  These
closures explain every step (the trace) and are the reference; the rules
are also generated as one Python function (:mod:`.codegen`) that scores a
row without a trace and must give the same result.  No text of the ruleset
is ever executed as code.
"""

from __future__ import annotations

import gc
import operator
from decimal import Decimal, localcontext
from typing import Any, Callable

import attrs

from ..context import ALONE, RowContext
from ..numbers import exponent
from ..records import BLANK_ROW, INDICATOR, Row
from ..cells.values import ActualQuantity
from . import ast
from .check import Model
from .codegen import generate
from .format import format_expr
from ..results import Discretionary, RowResult, Status, Step, status_of
from .builtins import BUILTINS
from .facts import ROW_FACTS, Facts, SheetFacts
from .runtime import (
    _MODES,
    MISSING_WEIGHT,
    Unavailable,
    add,
    BandPicker,
    contains_any,
    discretionary,
    div,
    mul,
    neg,
    round_to,
    show,
    sub,
)

__all__ = ["Evaluator", "compile_expr"]

#: A compiled expression.  It is called with a row's :class:`Facts`, a
#: sheet's :class:`SheetFacts`, or None for a constant (a property's
#: points); what it returns depends on the expression's type in the
#: ruleset language, which the checker, not Python's, has verified.
Compiled = Callable[[Any], Any]

_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
            ">=": operator.ge}
_ARITH = {"+": add, "-": sub, "*": mul, "/": div}
_RATIOS = {"completion", "deviation", "overrun", "rate"}
# How many distinct results the generated scorer keeps for reuse.
_RESULTS_KEPT = 4096


def _constant(value) -> Compiled:
    return lambda facts: value


def _name(name: str) -> Compiled:
    return lambda facts: facts.get(name)


def _and(parts) -> Compiled:
    def run(facts):
        return all(part(facts) for part in parts)

    return run


def _or(parts) -> Compiled:
    def run(facts):
        return any(part(facts) for part in parts)

    return run


def _compare(operands, ops) -> Compiled:
    def run(facts):
        left = operands[0](facts)
        for op, operand in zip(ops, operands[1:]):
            right = operand(facts)
            if not op(left, right):
                return False
            left = right
        return True

    return run


def _discretion(low, high, default) -> Compiled:
    def run(facts):
        lo, hi, d = low(facts), high(facts), default(facts)
        return discretionary(lo, hi, d)

    return run


def _tiers(subject, tiers, otherwise) -> Compiled:
    def run(facts):
        value = subject(facts)
        for op, bound, result in tiers:
            if op(value, bound(facts)):
                return result(facts)
        return otherwise(facts)

    return run


def _band(entries) -> Compiled:
    picker = BandPicker([entry[1] for entry in entries])

    def run(facts):
        index, why = picker.pick(facts.row)
        label, _, low, high, default = entries[index]
        facts.notes.append(("band", f"{label} ({why})"))
        return _discretion(low, high, default)(facts)

    return run


def compile_expr(expr: ast.Expr) -> Compiled:
    """A closure computing ``expr`` from a row's :class:`Facts`."""
    if isinstance(expr, (ast.Number, ast.String)):
        return _constant(expr.value)
    if isinstance(expr, ast.Name):
        return _name(expr.name)
    if isinstance(expr, ast.Call):
        if expr.function in ("finding", "points"):  # expectations' own: the facts they run on know them
            named, method = expr.args[0], expr.function
            assert isinstance(named, ast.String)  # the checker saw to it
            return lambda facts: getattr(facts, method)(named.value)
        builtin = BUILTINS[expr.function]
        if builtin.column:
            column_name = expr.args[0]
            assert isinstance(column_name, ast.String)  # the checker allows only a string here
            column, read = column_name.value, builtin.ranged
            return lambda facts: read(facts, column)
        function, args = builtin.ranged, [compile_expr(a) for a in expr.args]
        return lambda facts: function(*(arg(facts) for arg in args))
    if isinstance(expr, ast.Aggregate):
        return _aggregate(expr)
    if isinstance(expr, ast.ListExpr):
        items = [compile_expr(i) for i in expr.items]
        return lambda facts: tuple(item(facts) for item in items)
    if isinstance(expr, ast.Unary):
        operand = compile_expr(expr.operand)
        if expr.op == "not":
            return lambda facts: not operand(facts)
        return lambda facts: neg(operand(facts))
    if isinstance(expr, ast.Binary):
        left, right, op = compile_expr(expr.left), compile_expr(expr.right), _ARITH[expr.op]
        return lambda facts: op(left(facts), right(facts))
    if isinstance(expr, ast.Logical):
        parts = [compile_expr(o) for o in expr.operands]
        return _and(parts) if expr.op == "and" else _or(parts)
    if isinstance(expr, ast.Implies):
        left, right = compile_expr(expr.left), compile_expr(expr.right)
        return lambda facts: (not left(facts)) or right(facts)
    if isinstance(expr, ast.Compare):
        return _compare([compile_expr(o) for o in expr.operands], [_COMPARE[op] for op in expr.ops])
    if isinstance(expr, ast.IsTest):
        assert isinstance(expr.subject, ast.Name)  # the checker allows only a name here
        tested, kind, negated = expr.subject.name, expr.kind, expr.negated
        return lambda facts: facts.is_kind(tested, kind) != negated
    if isinstance(expr, ast.InTest):
        subject, members, negated = compile_expr(expr.subject), compile_expr(expr.items), expr.negated
        return lambda facts: (subject(facts) in members(facts)) != negated
    if isinstance(expr, ast.Contains):
        subject, needle = compile_expr(expr.subject), compile_expr(expr.needle)
        if isinstance(expr.needle, ast.ListExpr):
            return lambda facts: contains_any(subject(facts), needle(facts))
        return lambda facts: needle(facts) in subject(facts)
    if isinstance(expr, ast.IfExpr):
        condition, then, otherwise = (compile_expr(e) for e in (expr.condition, expr.then, expr.otherwise))
        return lambda facts: then(facts) if condition(facts) else otherwise(facts)
    if isinstance(expr, ast.Discretion):
        return _discretion(*(compile_expr(e) for e in (expr.low, expr.high, expr.default)))
    if isinstance(expr, ast.Tiers):
        tiers = [(_COMPARE[t.op], compile_expr(t.bound), compile_expr(t.value)) for t in expr.tiers]
        return _tiers(compile_expr(expr.subject), tiers, compile_expr(expr.otherwise))
    if isinstance(expr, ast.Band):
        return _band([(e.label, e.words, compile_expr(e.low), compile_expr(e.high), compile_expr(e.default))
                      for e in expr.entries])
    raise TypeError(f"cannot compile {type(expr).__name__}")


def _aggregate(expr: ast.Aggregate) -> Compiled:
    value = compile_expr(expr.value)
    where = compile_expr(expr.where) if expr.where is not None else None
    among = compile_expr(expr.among) if expr.among is not None else None

    def decided(condition, facts) -> bool:
        try:
            return bool(condition(facts))
        except Unavailable:
            return False  # a row the condition cannot be decided for does not count

    def run(sheet):
        rows = [f for f in sheet.rows if where is None or decided(where, f)]
        if expr.function == "sum":
            total = Decimal(0)
            for facts in rows:
                total += value(facts)
            return total
        if expr.function == "count":
            return Decimal(sum(1 for facts in rows if decided(value, facts)))
        pool = [f for f in rows if among is None or decided(among, f)]
        if not pool:
            raise Unavailable("share() over no rows")
        return Decimal(sum(1 for facts in pool if decided(value, facts))) / Decimal(len(pool))

    return run


def _names(node) -> list[str]:
    """The row values an expression reads, in order of first use (an
    ``is`` test reads a kind, not a value)."""
    if node is None:
        return []
    names = (n.name for n in ast.walk(node, prune=lambda n: isinstance(n, ast.IsTest)) if isinstance(n, ast.Name))
    return list(dict.fromkeys(names))


def _one_line(expr: ast.Expr) -> str:
    """An expression for a trace line: bands and tiers shortened."""
    if isinstance(expr, (ast.Band, ast.Tiers)):
        return "band {…}" if isinstance(expr, ast.Band) else f"tiers {format_expr(expr.subject)} {{…}}"
    if isinstance(expr, ast.Binary) and isinstance(expr.right, (ast.Band, ast.Tiers)):
        return f"{format_expr(expr.left)} {expr.op} {_one_line(expr.right)}"
    return " ".join(format_expr(expr).split())


#: Why an indicator row without a weight, whose rule needs one, is not scored.
NO_WEIGHT = "the row has no weight (分值): it carries no points"


def _unavailable(rule: str, reason: str, row: Row) -> RowResult:
    """The result of a row its rule cannot score for want of ``reason``.
    A row with no weight where the rule needs one (a sub-row of a weighted
    group, a table without 分值) is not applicable: nothing was misread."""
    if reason == MISSING_WEIGHT and row.kind == INDICATOR:
        return RowResult("not_applicable", reported=row.reported, rule=rule, reason=NO_WEIGHT)
    return RowResult("unscorable", reported=row.reported, rule=rule,
                     reason=f"rule '{rule}' cannot score this row: {reason}")


@attrs.frozen
class _Rule:
    name: str
    condition: Compiled | None
    score: Compiled
    because: str | None
    condition_text: str
    score_text: str
    names: tuple[str, ...]


def _show_fact(name: str, value) -> str:
    """A value for a trace line: ratios as percentages, long decimals cut
    to four places (in a context wide enough for the value, so a huge
    completion still shows)."""
    if not isinstance(value, Decimal):
        return show(value)
    with localcontext() as context:
        context.prec = max(200, value.adjusted() + 10)
        if name in _RATIOS:
            return f"{(value * 100).quantize(Decimal('0.01'))}%"
        return show(value.quantize(Decimal("0.0001")).normalize() if exponent(value) < -4 else value)


class Evaluator:
    """A compiled ruleset: scores rows.  Build it with :func:`compile_model`
    (or :class:`perfrules.Ruleset`), once; it is reused for every row."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.step, self.mode = model.rounding
        self._directions = tuple((d.direction, compile_expr(d.condition)) for d in model.directions)
        self._rules = tuple(
            _Rule(
                name=rule.name,
                condition=compile_expr(rule.condition) if rule.condition is not None else None,
                score=compile_expr(rule.score),
                because=rule.because,
                condition_text="otherwise" if rule.condition is None else "when " + format_expr(rule.condition),
                score_text=_one_line(rule.score),
                names=tuple(dict.fromkeys(_names(rule.condition) + _names(rule.score))),
            )
            for rule in model.rules
        )
        self.grades = tuple(
            (entry.label, compile_expr(entry.condition) if entry.condition is not None else None)
            for entry in model.grades
        )
        self.row_checks = tuple((c, compile_expr(c.condition)) for c in model.checks if not c.sheet)
        self.sheet_checks = tuple((c, compile_expr(c.condition)) for c in model.checks if c.sheet)
        self.sheet_rules = tuple((r, compile_expr(r.score)) for r in model.sheet_rules)
        #: The rules as generated Python, for scoring without a trace.
        self._results: dict = {}
        self.generated = generate(model.rules, self._directions, {
            "quantum": _power_of_ten(self.step), "rounding": _MODES[self.mode], "round": self._round,
            "ranged": self._ranged, "no_rule": self._no_rule, "unavailable": self._unavailable,
            "slow": self._evaluate_untraced, "results": self._results, "keep": self._keep,
        })
        self._fast = self.generated.run if self.generated is not None else None
        #: ``row -> RowResult`` without a trace: the generated scorer, or
        #: the closures when the rules need them.
        self.untraced = self._fast if self._fast is not None else self._evaluate_untraced

    def grade(self, total: Decimal | None) -> str | None:
        """The grade the ruleset gives ``total`` (None without grades)."""
        if total is None:
            return None
        sheet = SheetFacts([], Decimal(0), total)
        for label, condition in self.grades:
            if condition is None or condition(sheet):
                return label
        return None

    def facts(self, row: Row, score: Decimal | None = None, context: RowContext = ALONE) -> Facts:
        """The facts of ``row`` (in the table ``context``) as this ruleset sees them."""
        return Facts(row, self._directions, score, context)

    def value(self, row: Row, name: str, score: Decimal | None = None):
        """The value ``name`` has for ``row``; None when the row lacks it.
        A name no rule can read is a :class:`ValueError`."""
        if name not in ROW_FACTS and name != "score":
            raise ValueError(f"'{name}' is not a value a rule can read (known: {', '.join(ROW_FACTS)})")
        try:
            return self.facts(row, score).get(name)
        except Unavailable:
            return None

    def condition(self, expr: ast.Expr) -> Callable[[Row, Decimal | None], bool | None]:
        """``expr``, a condition of the language, as a test of a row (and
        its score): True or False, or None when the row lacks a value the
        condition reads."""
        compiled = compile_expr(expr)

        def test(row: Row, score: Decimal | None = None) -> bool | None:
            try:
                return bool(compiled(self.facts(row, score)))
            except Unavailable:
                return None

        return test

    def _round(self, value: Decimal) -> Decimal:
        return round_to(value, self.step, self.mode)

    def evaluate(self, row: Row, *, trace: bool = True, context: RowContext = ALONE) -> RowResult:
        """Score one row (in the table ``context``: its budget block and
        group, :mod:`perfrules.context`).  Never raises for a well-formed
        :class:`Row`: a row the ruleset cannot score comes back
        ``unscorable`` with a reason.  Without ``trace`` the generated code
        scores it (same result, no explanation)."""
        if not trace and self._fast is not None:
            return self._fast(row, context)
        return self._evaluate_reference(row, trace, context)

    def _evaluate_reference(self, row: Row, trace: bool, context: RowContext = ALONE) -> RowResult:
        """Score ``row`` with the closures, explaining each step if ``trace``."""
        facts = self.facts(row, None, context)
        steps: list[Step] = self._row_steps(row, facts) if trace else []
        problem = row.problem if row.problem is not None else BLANK_ROW if row.blank else None
        if problem is not None:
            if trace:
                steps.append(Step("unscorable", problem))
            return RowResult("unscorable", reported=row.reported, reason=problem, trace=tuple(steps))
        if row.kind == INDICATOR and row.target.kind == "not_applicable" and self.model.not_applicable:
            return self._not_applicable(row, steps, trace)
        for rule in self._rules:
            try:
                if rule.condition is not None and not rule.condition(facts):
                    continue
                value = rule.score(facts)
            except Unavailable as missing:
                result = _unavailable(rule.name, missing.reason, row)
                if trace:
                    assert result.reason is not None  # _unavailable always says why
                    steps.append(Step(result.status.replace("_", " "), result.reason))
                return attrs.evolve(result, trace=tuple(steps))
            return self._scored(rule, value, row, facts, steps, trace)
        reason = "no rule matches this row"
        if trace:
            steps.append(Step("unscorable", reason))
        return RowResult("unscorable", reported=row.reported, reason=reason, trace=tuple(steps))

    def evaluate_many(self, rows, *, trace: bool = False) -> list[RowResult]:
        """Score ``rows`` in order; without a trace by default.

        The cyclic garbage collector is paused while the list of results
        grows (scoring makes no reference cycles): with it running, a
        100,000-row batch spends a third of its time in collections that
        find nothing to free."""
        paused = gc.isenabled()
        if paused:
            gc.disable()
        try:
            fast = self._fast
            if not trace and fast is not None:
                return [fast(row) for row in rows]
            return [self.evaluate(row, trace=trace) for row in rows]
        finally:
            if paused:
                gc.enable()

    # ---- the generated code's own steps ----

    def _evaluate_untraced(self, row: Row, context: RowContext = ALONE) -> RowResult:
        return self._evaluate_reference(row, False, context)

    def _keep(self, key: tuple, result: RowResult) -> RowResult:
        """Remember ``result`` for rows that score the same (bounded: the
        cache starts again when full)."""
        if len(self._results) >= _RESULTS_KEPT:
            self._results.clear()
        self._results[key] = result
        return result

    def _ranged(self, index: int, low: Decimal, high: Decimal, point: Decimal,
                reported: Decimal | None) -> RowResult:
        """A discretionary score the generated code does not round itself
        (a step that is not 10^-k, or a value too large for one quantize)."""
        rule = self._rules[index]
        low, high, point = self._round(low), self._round(high), self._round(point)
        return RowResult(status_of(point, low, high, reported), point, low, high, reported, rule.name, rule.because)

    def _unavailable(self, index: int, reason: str, row: Row) -> RowResult:
        return _unavailable(self._rules[index].name, reason, row)

    @staticmethod
    def _no_rule(row: Row) -> RowResult:
        return RowResult("unscorable", reported=row.reported, reason="no rule matches this row")

    def _scored(self, rule: _Rule, value, row: Row, facts: Facts, steps: list, trace: bool) -> RowResult:
        if isinstance(value, Discretionary):
            low, high, point = (self._round(v) for v in (value.low, value.high, value.default))
        else:
            low = high = point = self._round(value)
        if trace:
            shown = {step.label for step in steps}
            for name in rule.names:
                if name in shown or name in ("target", "actual", "direction", "row", "unit"):  # shown above
                    continue
                try:
                    steps.append(Step(name, _show_fact(name, facts.get(name))))
                except Unavailable as missing:
                    steps.append(Step(name, f"unavailable ({missing.reason})"))
            steps.extend(Step(label, value) for label, value in facts.notes)
            steps.append(Step("rule", f"{rule.name} ({rule.condition_text})"))
            score_shown = value if isinstance(value, Discretionary) else _show_fact("score", value)
            steps.append(Step("score", f"{rule.score_text} = {score_shown}"))
            rounding = f"{show(self.step)} {self.mode}"
            allowed = f"{point}" if low == high else f"{point} (the policy allows {low} .. {high})"
            steps.append(Step("rounded", f"{allowed} [{rounding}]"))
            if rule.because:
                steps.append(Step("because", rule.because))
        status = status_of(point, low, high, row.reported)
        return RowResult(status, point, low, high, row.reported, rule.name, rule.because, trace=tuple(steps))

    def _not_applicable(self, row: Row, steps: list, trace: bool) -> RowResult:
        zero = self.model.not_applicable == "zero"
        score = self._round(Decimal(0)) if zero else None
        if trace:
            steps.append(Step("not applicable", "scored 0" if zero else "left out; the other rows are rescaled"))
        status: Status = status_of(score, score, score, row.reported) if score is not None else "not_applicable"
        return RowResult(status, score, score, score, row.reported, rule="not_applicable", trace=tuple(steps))

    def _row_steps(self, row: Row, facts: Facts) -> list[Step]:
        steps = []
        target, actual = row.target, row.actual
        if row.kind == INDICATOR:
            written = target.text if target.text is not None else str(target)
            direction = facts.get("direction")
            steps.append(Step("target", f"{written} → {target.kind} {str(target)}".rstrip()
                              + (f" ({direction} is better)" if direction != "none" else "")))
            shown = actual.text if actual.text is not None else str(actual)
            steps.append(Step("actual", f"{shown} → {actual.kind} {str(actual)}".rstrip()))
            try:
                steps.append(Step("completion", _show_fact("completion", facts.get("completion"))))
            except Unavailable:
                pass
            if isinstance(actual, ActualQuantity) and actual.quantity.unit is not None:
                try:
                    reference = facts.reference_unit()
                    if reference is not None and reference != actual.quantity.unit:
                        steps.append(Step("actual in the target's unit", f"{show(facts.get('actual'))}{reference}"))
                except Unavailable as missing:
                    steps.append(Step("actual in the target's unit", f"unavailable ({missing.reason})"))
        else:
            steps.append(Step("budget execution", f"spent {show(row.spent)} of {show(row.budget)}"
                              if row.spent is not None and row.budget is not None else "incomplete"))
        if row.weight is not None:
            steps.append(Step("weight", show(row.weight)))
        return steps


def _power_of_ten(step: Decimal) -> Decimal | None:
    """``step`` if it is 1, 0.1, 0.01 …: rounding to it is one quantize.
    (Not 10, 100 …: a quantize to those would write 1E+1 where round_to
    writes 10.)"""
    if 0 < step <= 1 and exponent(step) <= 0 and step == Decimal(1).scaleb(step.adjusted()):
        return Decimal(1).scaleb(step.adjusted())
    return None


def compile_model(model: Model) -> Evaluator:
    """Compile a checked model into an evaluator."""
    return Evaluator(model)
