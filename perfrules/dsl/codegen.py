"""Code generation stage: the rules of a checked model → one Python function
that scores a row without a trace.

:mod:`.compile` turns every expression into closures and runs them over a
:class:`~.runtime.Facts`; that path explains each point and is the
reference.  This module writes the same rules as straight-line Python: each
row value a rule reads becomes a local variable, computed on first use (the
common cases inline, the rest through :class:`~.runtime.Facts`); arithmetic
on plain numbers is Python's own operators, and only expressions that can
hold a discretionary range go through the range-aware helpers.  The result
must equal the reference on every row (``tests/test_codegen.py`` checks it
with Hypothesis on generated rulesets and rows).

No text of the ruleset becomes code: numbers, strings and kind words are
passed in as constants (``k0``, ``k1`` …), values and rules are numbered
(``v0``, ``t0`` …).  The source is generated from the AST's shape only.
"""

from __future__ import annotations

from decimal import Decimal

from ..context import ALONE
from ..results import Discretionary, RowResult, status_of
from . import ast
from .builtins import BUILTINS
from .facts import (
    ACTUAL_WORDS,
    DIRECTION_OF_KIND,
    ROW_FACTS,
    TARGET_WORDS,
    Facts,
    same_unit_pair,
    target_of,
)
from .runtime import (
    Unavailable,
    _divide,
    add,
    BandPicker,
    contains_any,
    discretionary,
    div,
    mul,
    neg,
    sub,
)
from .types import MAX_ROUNDING_PLACES

__all__ = ["generate", "Generated"]

_ARITH = {"+": "add", "-": "sub", "*": "mul", "/": "div"}
_COMPARE = {op: op for op in ("==", "!=", "<", "<=", ">", ">=")}
_LOGICAL = {"and": "and", "or": "or"}
_BOOLEAN = (ast.Compare, ast.IsTest, ast.InTest, ast.Contains, ast.Logical)
#: Row values that are a field of the row as it is, read inline.
_ROW_FIELDS = {name: fact.field for name, fact in ROW_FACTS.items() if fact.field and fact.missing is None}
#: Row values that are a field the row may lack: read at the start when present.
_OPTIONAL_FIELDS = {name: fact for name, fact in ROW_FACTS.items() if fact.field and fact.missing is not None}
#: Row values computed from others, by the formula Facts uses too.
_DERIVED = {name: fact for name, fact in ROW_FACTS.items() if fact.formula is not None}
_UNSET = object()
# Below this magnitude a quantize to a step of 10^-k (k at most
# MAX_ROUNDING_PLACES, which the checker enforces) cannot run out of decimal
# arithmetic's 28 digits; a larger score is rounded by the evaluator's
# round_to.
_LIMIT = Decimal(10) ** (28 - MAX_ROUNDING_PLACES)
_PLAIN_ARITH = {"+": "+", "-": "-", "*": "*"}


def _scale(number, value):
    """``number * value`` where only ``value`` can be a range: ``mul``'s
    corners, two of them."""
    if type(value) is not Discretionary:
        return number * value
    low, high = number * value.low, number * value.high
    if high < low:
        low, high = high, low
    return Discretionary(low, high, number * value.default)


def _may_range(expr) -> bool:
    """Whether ``expr`` can evaluate to a :class:`Discretionary`."""
    if isinstance(expr, (ast.Discretion, ast.Band)):
        return True
    if isinstance(expr, ast.Binary):
        return _may_range(expr.left) or _may_range(expr.right)
    if isinstance(expr, ast.Unary):
        return expr.op != "not" and _may_range(expr.operand)
    if isinstance(expr, ast.Call):
        return any(_may_range(a) for a in expr.args)
    if isinstance(expr, ast.IfExpr):
        return _may_range(expr.then) or _may_range(expr.otherwise)
    if isinstance(expr, ast.Tiers):
        return any(_may_range(t.value) for t in expr.tiers) or _may_range(expr.otherwise)
    return False


# A value computed from others has computed them first.
_NEEDS = {name: fact.needs for name, fact in _DERIVED.items()}


def _computed(expr) -> set[str]:
    """The row values that evaluating ``expr`` certainly computes (when it
    does not raise): what is evaluated whatever the row, short circuits
    and branches aside."""
    found: set[str] = set()
    if isinstance(expr, ast.Name):
        found.add(expr.name)
    elif isinstance(expr, ast.Binary):
        found |= _computed(expr.left) | _computed(expr.right)
    elif isinstance(expr, ast.Unary):
        found |= _computed(expr.operand)
    elif isinstance(expr, ast.Compare):
        found |= _computed(expr.operands[0]) | _computed(expr.operands[1])
    elif isinstance(expr, ast.Logical):
        found |= _computed(expr.operands[0])
    elif isinstance(expr, ast.Implies):
        found |= _computed(expr.left)
    elif isinstance(expr, (ast.IfExpr, ast.Tiers)):
        found |= _computed(expr.condition if isinstance(expr, ast.IfExpr) else expr.subject)
    elif isinstance(expr, ast.IsTest):
        assert isinstance(expr.subject, ast.Name)  # the checker allows only a name here
        if expr.subject.name not in ("target", "actual"):  # those test the cell's kind, not the value
            found.add(expr.subject.name)
    elif isinstance(expr, ast.InTest):
        found |= _computed(expr.subject) | _computed(expr.items)
    elif isinstance(expr, ast.Contains):
        found |= _computed(expr.needle) | _computed(expr.subject)
    elif isinstance(expr, ast.ListExpr):
        for item in expr.items:
            found |= _computed(item)
    elif isinstance(expr, ast.Call) and not BUILTINS[expr.function].column:
        for arg in expr.args:
            found |= _computed(arg)
    elif isinstance(expr, ast.Discretion):
        found |= _computed(expr.low) | _computed(expr.high) | _computed(expr.default)
    more = set(found)
    while more:
        more = {need for name in more for need in _NEEDS.get(name, ())} - found
        found |= more
    return found


def _scaled_constant_range(expr):
    """``(factor, (low, high, default))`` for a score ``factor * (low ..
    high) default d`` with constant ends and a factor that is a number."""
    if (isinstance(expr, ast.Binary) and expr.op == "*" and not _may_range(expr.left)
            and isinstance(expr.right, ast.Discretion)):
        low, high, default = expr.right.low, expr.right.high, expr.right.default
        if (isinstance(low, ast.Number) and isinstance(high, ast.Number) and isinstance(default, ast.Number)
                and low.value <= default.value <= high.value):
            return expr.left, (low.value, high.value, default.value)
    return None


def _is_bool(expr) -> bool:
    return isinstance(expr, _BOOLEAN) or (isinstance(expr, ast.Unary) and expr.op == "not")


class Generated:
    """The generated scorer: ``run(row)`` scores a row (one that is not
    ``/`` and has no problem: the evaluator sees to those); ``source`` is
    its Python, for reading."""

    def __init__(self, source: str, namespace: dict) -> None:
        self.source = source
        code = compile(source, "<perfrules generated>", "exec")
        exec(code, namespace)  # noqa: S102 - source built from the AST's shape, constants passed as objects
        self.run = namespace["score_row"]


class _Writer:
    def __init__(self, directions) -> None:
        self.constants: list = []
        self.names: dict[str, str] = {}
        #: Values certainly computed by now (a condition before this one
        #: computed them): read without the first-use test.
        self.sure: set[str] = set()
        self.namespace: dict = {
            "U": _UNSET, "Facts": Facts, "Unavailable": Unavailable,
            "Discretionary": Discretionary, "add": add, "sub": sub, "mul": mul, "div": div, "neg": neg,
            "_div": _divide, "_discretion": discretionary, "scale": _scale,
            "DIRECTIONS": directions, "slow": _slow, "TARGET_OF": target_of, "CONTAINS_ANY": contains_any,
            "ALONE": ALONE,
            "DIRECTION_OF_KIND": DIRECTION_OF_KIND, "PAIR": same_unit_pair, "STATUS_OF": status_of,
            # The built-ins, range-aware (R_) and plain (P_), from the one table.
            **{f"R_{name}": builtin.ranged for name, builtin in BUILTINS.items()},
            **{f"P_{name}": builtin.fast for name, builtin in BUILTINS.items()},
            # The derived row values' formulas, Facts' own.
            **{f"F_{name}": fact.formula for name, fact in _DERIVED.items()},
        }
        self.temps = 0

    def constant(self, value) -> str:
        for index, known in enumerate(self.constants):
            if type(known) is type(value) and known == value and str(known) == str(value):
                return f"k{index}"
        self.constants.append(value)
        self.namespace[f"k{len(self.constants) - 1}"] = value
        return f"k{len(self.constants) - 1}"

    def temp(self) -> str:
        self.temps += 1
        return f"t{self.temps}"

    def name(self, name: str) -> str:
        """A row value: a local computed on first use, the same way as
        :class:`Facts` computes it (and in the same order, so a value the
        row lacks is reported the same)."""
        if name in _ROW_FIELDS:
            return f"row.{_ROW_FIELDS[name]}"
        if name not in self.names:
            self.names[name] = f"v{len(self.names)}"
        var = self.names[name]
        if name in self.sure:
            return var
        return f"({var} if {var} is not U else ({var} := {self.computation(name)}))"

    def computation(self, name: str) -> str:
        """How ``name`` is computed when it is first used and ``score_row``'s
        opening lines did not already read it (a weight, an actual in the
        target's unit, a comparison's direction: those never fail)."""
        if name == "target":
            return "TARGET_OF(row, DIRECTIONS)"
        if name in _DERIVED:
            # As Facts: each value it needs, in order, then its formula.
            return f"F_{name}({', '.join(self.name(need) for need in _DERIVED[name].needs)})"
        return f"slow(row, {self.constant(name)}, DIRECTIONS, context)"

    # ---- expressions ----

    def expr(self, e) -> str:
        method = getattr(self, "_" + type(e).__name__)
        return method(e)

    def _Number(self, e):
        return self.constant(e.value)

    _String = _Number

    def _Name(self, e):
        return self.name(e.name)

    def _Call(self, e):
        if BUILTINS[e.function].column:
            return f"R_{e.function}(Facts(row, DIRECTIONS, None, context), {self.constant(e.args[0].value)})"
        args = ", ".join(self.expr(a) for a in e.args)
        return f"{'R' if _may_range(e) else 'P'}_{e.function}({args})"

    def _ListExpr(self, e):
        return "(" + "".join(self.expr(i) + ", " for i in e.items) + ")"

    def _Unary(self, e):
        if e.op == "not":
            return f"(not {self.expr(e.operand)})"
        if _may_range(e.operand):
            return f"neg({self.expr(e.operand)})"
        return f"(-{self.expr(e.operand)})"

    def _Binary(self, e):
        left, right = self.expr(e.left), self.expr(e.right)
        if _may_range(e):
            if e.op == "*" and not _may_range(e.left):
                return f"scale({left}, {right})"
            return f"{_ARITH[e.op]}({left}, {right})"
        if e.op == "/":
            return f"_div({left}, {right})"
        return f"({left} {_PLAIN_ARITH[e.op]} {right})"

    def _Logical(self, e):
        # all() and any() of the reference give a bool: so does this.
        parts = (self.expr(o) if _is_bool(o) else f"bool({self.expr(o)})" for o in e.operands)
        return "(" + f" {_LOGICAL[e.op]} ".join(parts) + ")"

    def _Implies(self, e):
        return f"((not {self.expr(e.left)}) or {self.expr(e.right)})"

    def _Compare(self, e):
        # Python's chained comparison: each operand once, left to right,
        # stopping at the first that fails, as the reference does.
        parts = [self.expr(e.operands[0])]
        for op, operand in zip(e.ops, e.operands[1:]):
            parts += [_COMPARE[op], self.expr(operand)]
        return "(" + " ".join(parts) + ")"

    def _IsTest(self, e):
        subject, kind = e.subject.name, e.kind
        # The sets of kinds each word matches: facts.target_is/actual_is's own.
        if subject == "target":
            test = f"(tk in {self.constant(TARGET_WORDS[kind])})"
        elif subject == "actual":
            test = f"(row.actual.kind in {self.constant(ACTUAL_WORDS[kind])})"
        else:
            test = f"({self.name(subject)} == {self.constant(kind)})"
        return f"(not {test})" if e.negated else test

    def _InTest(self, e):
        return f"({self.expr(e.subject)} {'not in' if e.negated else 'in'} {self.expr(e.items)})"

    def _Contains(self, e):
        needle, subject = self.expr(e.needle), self.expr(e.subject)
        if isinstance(e.needle, ast.ListExpr):
            return f"CONTAINS_ANY({subject}, {needle})"
        return f"({needle} in {subject})"

    def _IfExpr(self, e):
        condition, then, otherwise = self.expr(e.condition), self.expr(e.then), self.expr(e.otherwise)
        return f"({then} if {condition} else {otherwise})"

    def _Discretion(self, e):
        parts = (e.low, e.high, e.default)
        if all(isinstance(p, ast.Number) for p in parts) and e.low.value <= e.default.value <= e.high.value:
            return self.constant(Discretionary(e.low.value, e.high.value, e.default.value))
        return f"_discretion({self.expr(e.low)}, {self.expr(e.high)}, {self.expr(e.default)})"

    def _Tiers(self, e):
        # The subject once, then each bound in turn: the first tier that
        # holds gives the value.
        subject = self.temp()
        text = self.expr(e.otherwise)
        for index in reversed(range(len(e.tiers))):
            tier = e.tiers[index]
            value = f"({subject} := {self.expr(e.subject)})" if index == 0 else subject
            text = f"({self.expr(tier.value)} if {value} {_COMPARE[tier.op]} {self.expr(tier.bound)} else {text})"
        return text

    def _Band(self, e):
        # The entry the actual falls in, chosen as the traced evaluator
        # chooses it (runtime.BandPicker), then that entry's range.
        pick = self.constant(BandPicker([entry.words for entry in e.entries]).index)
        chosen = self.temp()
        text = None
        for index in reversed(range(len(e.entries))):
            entry = e.entries[index]
            value = f"_discretion({self.expr(entry.low)}, {self.expr(entry.high)}, {self.expr(entry.default)})"
            text = value if text is None else f"({value} if {chosen} == {index} else {text})"
        return f"(({chosen} := {pick}(row)), {text})[1]"

    def _Aggregate(self, e):
        raise _Unsupported("an aggregate is scored over the sheet")


class _Unsupported(Exception):
    pass


def _slow(row, name: str, directions, context):
    """A row value through :class:`Facts`: the reference computation."""
    return Facts(row, directions, None, context).get(name)


def _ranged(index: int, name: str, because: str, quantum: bool, key: str | None = None) -> list[str]:
    """The lines that finish a discretionary score ``a .. b`` default ``d``
    (``d`` lies between them): rounded, compared with the reported score,
    and kept for rows that score alike, as the evaluator's ``_ranged``.
    ``key``: the variable already holding the key to keep it under."""
    if not quantum:
        return [f"return RANGED({index}, a, b, d, rep)"]
    lookup = [] if key else [
        f"    key = ({index}, a, b, d, a.is_signed(), b.is_signed(), d.is_signed(), id(rep))",
        "    found = RESULTS.get(key)",
        "    if found is not None: return found",
    ]
    return [
        "if -LIM < a and b < LIM:",
        "    a, b, d = a.quantize(Q, RND), b.quantize(Q, RND), d.quantize(Q, RND)",
        *lookup,
        f"    return KEEP(key, RowResult(STATUS_OF(d, a, b, rep), d, a, b, rep, {name}, {because}))",
        f"return RANGED({index}, a, b, d, rep)",
    ]


def _ending(writer: _Writer, index: int, rule, quantum: bool) -> list[str]:
    """The lines that score rule ``index`` once its condition holds."""
    name, because = writer.constant(rule.name), writer.constant(rule.because)
    scaled = _scaled_constant_range(rule.score)
    if scaled is not None:
        # weight * (50% .. 100%) default 100%: the ends and the default
        # directly, no range built.
        low, high, default = (writer.constant(v) for v in scaled[1])
        # The result follows from the factor's value and sign and the
        # reported score: look it up before computing anything.
        return [f"s = {writer.expr(scaled[0])}", f"key = ({index}, s, s.is_signed(), id(rep))",
                "found = RESULTS.get(key)", "if found is not None: return found",
                f"a, b, d = s * {low}, s * {high}, s * {default}",
                "if b < a: a, b = b, a"] + _ranged(index, name, because, quantum, "key")
    ending = [f"s = {writer.expr(rule.score)}"]
    if _may_range(rule.score):
        ending += ["if type(s) is Discretionary:", "    a, b, d = s.low, s.high, s.default"]
        ending += ["    " + line for line in _ranged(index, name, because, quantum)]
    # Results are immutable and tables repeat them (full marks …): one
    # object serves every row with the same rule, score (its sign too: -0.00
    # is not 0.00) and reported score (the very object, by id: the kept
    # result keeps it alive).  The score before rounding is the key: it is
    # often the weight itself, whose hash Python keeps.
    return ending + [
        f"key = ({index}, s, s.is_signed(), id(rep))", "found = RESULTS.get(key)",
        "if found is not None: return found",
        "p = s.quantize(Q, RND) if -LIM < s < LIM else ROUND(s)" if quantum else "p = ROUND(s)",
        f"return KEEP(key, RowResult(STATUS_OF(p, p, p, rep), p, p, p, rep, {name}, {because}))",
    ]


def generate(rules, directions, finish) -> Generated | None:
    """Python for the ``rules`` of a model: ``score_row(row)`` gives the
    row's :class:`~.runtime.RowResult` (None if a rule uses something only
    the reference path computes).  ``finish`` holds the evaluator's own
    steps: ``quantum`` and ``rounding`` (a step of 10^-k rounds with one
    quantize; None: ``round`` does it), ``round``, ``ranged(index, low, high,
    default, reported)`` for a discretionary score, ``no_rule(row)``,
    ``unavailable(index, reason, row)``, ``slow(row)`` for a row with a
    problem or a ``/`` target, and ``results``/``keep(key, result)``: the
    bounded cache of results."""
    writer = _Writer(directions)
    namespace = writer.namespace
    namespace.update(RowResult=RowResult, ROUND=finish["round"], RANGED=finish["ranged"],
                     NO_RULE=finish["no_rule"], UNAVAILABLE=finish["unavailable"], SLOW=finish["slow"],
                     RESULTS=finish["results"], KEEP=finish["keep"], INDICATOR="indicator",
                     NOT_APPLICABLE="not_applicable", Q=finish["quantum"], RND=finish["rounding"], LIM=_LIMIT)
    body = []
    try:
        for index, rule in enumerate(rules):
            ending = _ending(writer, index, rule, finish["quantum"] is not None)
            body.append(f"        r = {index}")
            if rule.condition is None:
                body += [f"        {line}" for line in ending]
                break
            body.append(f"        if {writer.expr(rule.condition)}:")
            body += [f"            {line}" for line in ending]
            # Past this condition (true or false), what it computed is known.
            writer.sure |= _computed(rule.condition)
        else:
            body.append("        return NO_RULE(row)")
    except _Unsupported:
        return None
    both = "target" in writer.names or "actual" in writer.names
    if both:
        target, actual = (writer.names.setdefault(n, f"v{len(writer.names)}") for n in ("target", "actual"))
    # ``context``: the table around the row (perfrules.context), for the
    # values read from it.
    lines = ["def score_row(row, context=ALONE):"]
    if writer.names:
        lines.append("    " + " = ".join(writer.names.values()) + " = U")
    if both:
        # The common case, both at once and before any rule: the target and
        # an amount in the very same unit (a percentage as a fraction), as
        # Facts gives them (same_unit_pair); it cannot fail.  Other rows
        # compute each when first used (target_of, or Facts for the actual).
        lines += ["    p0 = PAIR(row)", f"    if p0 is not None: {target}, {actual} = p0"]
    for name, fact in _OPTIONAL_FIELDS.items():
        if name in writer.names:
            lines.append(f"    if row.{fact.field} is not None: {writer.names[name]} = row.{fact.field}")
    lines.append("    tk = row.target.kind")  # a property on comparisons: read once
    if "direction" in writer.names:
        # A bare value's direction waits: the ruleset's classes decide it.
        lines.append(f"    {writer.names['direction']} = DIRECTION_OF_KIND.get(tk, U)")
    lines += [
        # A row with a problem, and a '/' row, are the reference path's.
        "    if row.problem is not None or (row.kind == INDICATOR and tk == NOT_APPLICABLE):",
        "        return SLOW(row, context)",
        "    rep = row.reported", "    r = -1", "    try:"] + body + [
        "    except Unavailable as missing:",
        "        return UNAVAILABLE(r, missing.reason, row)",
    ]
    return Generated("\n".join(lines) + "\n", namespace)
