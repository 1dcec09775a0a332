"""Names and types of the scoring language: what a rule can read, and the
type every expression has, inferred before anything runs."""

from __future__ import annotations

import difflib

from ..errors import RulesetError, Span
from . import ast
from .builtins import BUILTINS, NUMBERS, OF_TEXT, TEXT_RESULT
from .facts import FACT_TYPES, KIND, KIND_WORDS, NUM, SHEET_BUDGET_FACTS, TEXT

__all__ = ["Problems", "Typer", "suggest", "ROW_NAMES", "KIND_WORDS", "SCOPES", "MAX_PROBLEMS",
           "MAX_ROUNDING_PLACES", "MAX_NUMBER_DIGITS", "NUM", "RANGE", "BOOL", "TEXT", "KIND", "LIST", "ANY"]

MAX_PROBLEMS = 50
#: The finest rounding step a ruleset may give: 0.00000001.  The generated
#: scorer rounds a score below 10^(28 - this) with one quantize, which
#: decimal arithmetic's 28 digits must hold.
MAX_ROUNDING_PLACES = 8
#: The most digits a number in a ruleset may have before its decimal point,
#: and after it.  Arithmetic keeps 28 significant digits anyway; the bound
#: keeps every product and quotient of a file's numbers far inside
#: Decimal's exponent range (10^±999999), so none can overflow.
MAX_NUMBER_DIGITS = 20

# Types of expressions (a row fact is a number, a text or a kind: NUM, TEXT, KIND).
RANGE, BOOL, LIST, ANY = "discretionary range", "condition", "list", "any"

#: Values of a row a rule may use, and their types (the table of row facts).
ROW_NAMES = dict(FACT_TYPES)


class Problems:
    """Collects the problems of one file, each with a caret."""

    def __init__(self, source: str, path: str | None) -> None:
        self.source, self.path = source, path
        self.errors: list[RulesetError] = []
        self.warnings: list[RulesetError] = []

    def _make(self, message: str, span: Span | None) -> RulesetError:
        if span is None:
            span = Span(0, 0, 1, 1)
        return RulesetError(message, source=self.source, span=span, path=self.path)

    def error(self, message: str, node) -> None:
        if len(self.errors) < MAX_PROBLEMS:
            self.errors.append(self._make(message, getattr(node, "span", node)))

    def warn(self, message: str, node) -> None:
        self.warnings.append(self._make("warning: " + message, getattr(node, "span", node)))


def suggest(word: str, known) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


class Typer:
    """Infers the type of expressions in one scope, reporting problems."""

    def __init__(self, problems: Problems, names: dict[str, str], *, sheet: bool = False) -> None:
        self.problems, self.names, self.sheet = problems, names, sheet

    def expect(self, expr: ast.Expr, wanted: tuple[str, ...], what: str) -> str:
        found = self.infer(expr)
        if found not in wanted and found != ANY:
            self.problems.error(f"{what} must be a {' or a '.join(wanted)}, not a {found}", expr)
            return ANY
        return found

    def infer(self, expr: ast.Expr) -> str:
        method = getattr(self, "_" + type(expr).__name__)
        return method(expr)

    def _Number(self, expr):
        return NUM

    def _String(self, expr):
        return TEXT

    def _Name(self, expr):
        kind = self.names.get(expr.name)
        if kind is None:
            self.problems.error(f"unknown name '{expr.name}'{suggest(expr.name, self.names)}", expr)
            return ANY
        if kind == KIND:
            self.problems.error(
                f"'{expr.name}' can only be tested with 'is' ({expr.name} is {KIND_WORDS[expr.name][0]})", expr
            )
            return ANY
        return kind

    def _Call(self, expr):
        builtin = BUILTINS.get(expr.function)
        if builtin is None:
            self.problems.error(f"unknown function '{expr.function}'{suggest(expr.function, BUILTINS)} "
                                f"(functions: {', '.join(BUILTINS)})", expr)
            for arg in expr.args:
                self.infer(arg)
            return ANY
        low, high = builtin.low, builtin.high
        if len(expr.args) < low or (high is not None and len(expr.args) > high):
            count = f"{low}" if low == high else f"at least {low}" if high is None else f"{low} to {high}"
            self.problems.error(f"{expr.function}() takes {count} argument{'s' if (high or low) > 1 else ''}", expr)
        if builtin.column:
            if self.sheet and not builtin.budget:
                self.problems.error(f"{expr.function}() reads a row's column: in a sheet rule or sheet check, "
                                    f"read it over the rows, as in sum({expr.function}(…) where …)", expr)
            if expr.args and not isinstance(expr.args[0], ast.String):
                self.problems.error(f'{expr.function}() takes a column name in quotes: {expr.function}("调剂额")', expr)
            return TEXT if builtin.result == TEXT_RESULT else NUM
        if builtin.result == OF_TEXT:
            for arg in expr.args:
                self.expect(arg, (TEXT,), f"the argument of {expr.function}()")
            return NUM
        kinds = [self.expect(arg, (NUM, RANGE), f"an argument of {expr.function}()") for arg in expr.args]
        assert builtin.result == NUMBERS, builtin
        return RANGE if RANGE in kinds else NUM

    def _Aggregate(self, expr):
        if not self.sheet:
            self.problems.error(f"{expr.function}() works over the rows of a sheet: use it in a sheet rule", expr)
        inner = Typer(self.problems, ROW_NAMES_WITH_SCORE)
        if expr.function == "sum":
            inner.expect(expr.value, (NUM,), "what sum() adds up")
        else:
            inner.expect(expr.value, (BOOL,), f"what {expr.function}() counts")
        if expr.where is not None:
            inner.expect(expr.where, (BOOL,), "a where clause")
        if expr.among is not None:
            if expr.function != "share":
                self.problems.error("'among' belongs to share(): share(A among B)", expr.among)
            inner.expect(expr.among, (BOOL,), "an among clause")
        return NUM

    def _ListExpr(self, expr):
        kinds = {self.expect(item, (NUM, TEXT), "a list item") for item in expr.items} - {ANY}
        if len(kinds) > 1:
            self.problems.error("a list holds numbers or texts, not both", expr)
        return LIST

    def _Unary(self, expr):
        if expr.op == "not":
            self.expect(expr.operand, (BOOL,), "the operand of 'not'")
            return BOOL
        return self.expect(expr.operand, (NUM, RANGE), "the operand of '-'")

    def _Binary(self, expr):
        left = self.expect(expr.left, (NUM, RANGE), f"the left side of '{expr.op}'")
        right = self.expect(expr.right, (NUM, RANGE), f"the right side of '{expr.op}'")
        return RANGE if RANGE in (left, right) else NUM

    def _Logical(self, expr):
        for operand in expr.operands:
            self.expect(operand, (BOOL,), f"each side of '{expr.op}'")
        return BOOL

    def _Implies(self, expr):
        self.expect(expr.left, (BOOL,), "the left side of 'implies'")
        self.expect(expr.right, (BOOL,), "the right side of 'implies'")
        return BOOL

    def _Compare(self, expr):
        kinds = []
        for operand in expr.operands:
            kind = self.infer(operand)
            if kind == RANGE:
                self.problems.error("a discretionary range cannot be compared: the assessor picks its value", operand)
                kind = ANY
            elif kind not in (NUM, TEXT, ANY):
                self.problems.error(f"only numbers and texts can be compared, not a {kind}", operand)
                kind = ANY
            kinds.append(kind)
        known = {k for k in kinds if k != ANY}
        if len(known) > 1:
            self.problems.error("a number cannot be compared with a text", expr)
        elif known == {TEXT} and any(op not in ("==", "!=") for op in expr.ops):
            self.problems.error("texts can only be compared with == and !=", expr)
        return BOOL

    def _IsTest(self, expr):
        subject = expr.subject
        if not isinstance(subject, ast.Name) or subject.name not in KIND_WORDS:
            self.problems.error(f"'is' tests one of {', '.join(KIND_WORDS)}: target is qualitative", subject)
            return BOOL
        if subject.name not in self.names:
            self.problems.error(f"'{subject.name}' is not known here", subject)
        words = KIND_WORDS[subject.name]
        if expr.kind not in words:
            self.problems.error(
                f"{subject.name} cannot be '{expr.kind}'{suggest(expr.kind, words)} "
                f"(it is one of: {', '.join(words)})",
                expr,
            )
        return BOOL

    def _InTest(self, expr):
        self.expect(expr.subject, (NUM, TEXT), "what 'in' looks for")
        self.infer(expr.items)
        return BOOL

    def _Contains(self, expr):
        # `name contains ["成本", "控制率"]`: any of them (a vocabulary).
        self.expect(expr.subject, (TEXT,), "the left side of 'contains'")
        if isinstance(expr.needle, ast.ListExpr):
            for item in expr.needle.items:
                self.expect(item, (TEXT,), "a word 'contains' looks for")
        else:
            self.expect(expr.needle, (TEXT,), "the right side of 'contains'")
        return BOOL

    def _IfExpr(self, expr):
        self.expect(expr.condition, (BOOL,), "the condition of 'if'")
        then, otherwise = self.infer(expr.then), self.infer(expr.otherwise)
        return self._join((then, otherwise), expr)

    def _join(self, kinds, node) -> str:
        known = {k for k in kinds if k != ANY}
        if known <= {NUM, RANGE} and known:
            return RANGE if RANGE in known else NUM
        if len(known) == 1:
            return known.pop()
        if known:
            self.problems.error(f"the branches give different kinds of value ({', '.join(sorted(known))})", node)
        return ANY

    def _literal_order(self, low, default, high, node) -> None:
        values = [n.value for n in (low, default, high) if isinstance(n, ast.Number)]
        if len(values) == 3 and not values[0] <= values[1] <= values[2]:
            self.problems.error("a discretionary range needs low <= default <= high", node)

    def _Discretion(self, expr):
        for part, what in ((expr.low, "the low end"), (expr.high, "the high end"), (expr.default, "the default")):
            self.expect(part, (NUM,), what)
        self._literal_order(expr.low, expr.default, expr.high, expr)
        return RANGE

    def _Tiers(self, expr):
        self.expect(expr.subject, (NUM,), "what tiers divides")
        kinds = []
        for tier in expr.tiers:
            self.expect(tier.bound, (NUM,), "a tier's bound")
            kinds.append(self.expect(tier.value, (NUM, RANGE), "a tier's value"))
        kinds.append(self.expect(expr.otherwise, (NUM, RANGE), "the else value"))
        return RANGE if RANGE in kinds else NUM

    def _Band(self, expr):
        labels = set()
        fallbacks = [entry for entry in expr.entries if not entry.words]
        for entry in expr.entries:
            if entry.label in labels:
                self.problems.error(f"band '{entry.label}' is named twice", entry)
            labels.add(entry.label)
            for part, what in ((entry.low, "a band's low end"), (entry.high, "a band's high end"),
                               (entry.default, "a band's default")):
                self.expect(part, (NUM,), what)
            self._literal_order(entry.low, entry.default, entry.high, entry)
        for extra in fallbacks[1:]:
            self.problems.error("only one band may have no words (the band for actuals no word matches)", extra)
        return RANGE


ROW_NAMES_WITH_SCORE = {**ROW_NAMES, "score": NUM}
SCOPES = {
    "rule": ROW_NAMES,
    "check": ROW_NAMES_WITH_SCORE,
    "expect": ROW_NAMES_WITH_SCORE,
    "direction": {k: v for k, v in ROW_NAMES.items() if k != "direction"},
    "grade": {"total": NUM},
    "sheet": {"weight": NUM, "total": NUM, **{name: NUM for name in SHEET_BUDGET_FACTS}},
    "sheet_check": {"total": NUM, **{name: NUM for name in SHEET_BUDGET_FACTS}},
}


