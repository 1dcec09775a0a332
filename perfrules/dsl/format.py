"""Formatter: a syntax tree → the canonical text of the scoring language.

Formatting is idempotent, and parsing the output gives an equal tree.
Comments are kept, each before the item it stood in or before.
"""

from __future__ import annotations

from decimal import Decimal

from ..errors import Span
from . import ast
from ..cells.quantity import shift_decimal
from .parse import is_plain_name

__all__ = ["format_document", "format_expr", "format_number"]

_INDENT = "  "
_WIDTH = 80  # an if … else longer than this is broken into lines

# Precedence, loosest first.  Open-ended forms (if … else x, (a .. b)
# default x) end in an expression that would swallow what follows them.
_IMPLIES, _OR, _AND, _NOT, _TEST, _SUM, _PRODUCT, _UNARY, _ATOM = range(1, 10)
_SUM_OPS, _PRODUCT_OPS = ("+", "-"), ("*", "/")


def format_number(value: Decimal, unit: str | None = None) -> str:
    """A number literal as the language writes it (``30%`` for 0.30 with
    unit ``%``)."""
    if unit in ("%", "‰"):
        value = shift_decimal(value, 2 if unit == "%" else 3)
    text = format(value, "f")
    if "." in text:  # no trailing zeros; normalize() would round long numbers
        text = text.rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0") + (unit or "")


def _string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def _label(value: str) -> str:
    return value if is_plain_name(value) else _string(value)


def _precedence(expr: ast.Expr) -> int:
    if isinstance(expr, ast.Implies):
        return _IMPLIES
    if isinstance(expr, ast.Logical):
        return _OR if expr.op == "or" else _AND
    if isinstance(expr, ast.Unary):
        return _NOT if expr.op == "not" else _UNARY
    if isinstance(expr, (ast.Compare, ast.IsTest, ast.InTest, ast.Contains)):
        return _TEST
    if isinstance(expr, ast.Binary):
        return _SUM if expr.op in _SUM_OPS else _PRODUCT
    return _ATOM


def _open_ended(expr: ast.Expr) -> bool:
    """Whether the text of ``expr`` ends in an expression that would take in
    an operator written after it."""
    while True:
        if isinstance(expr, (ast.IfExpr, ast.Discretion)):
            return True
        if isinstance(expr, ast.Unary):
            expr = expr.operand
        elif isinstance(expr, ast.Binary):
            expr = expr.right
        elif isinstance(expr, ast.Logical):
            expr = expr.operands[-1]
        elif isinstance(expr, ast.Compare):
            expr = expr.operands[-1]
        elif isinstance(expr, ast.Implies):
            expr = expr.right
        elif isinstance(expr, ast.Contains):
            expr = expr.needle
        else:
            return False


class _Printer:
    def __init__(self, indent: str = "") -> None:
        self.indent = indent

    def expr(self, expr: ast.Expr, minimum: int = 0, *, closed: bool = True) -> str:
        """``expr`` as text, in parentheses when it binds looser than
        ``minimum`` or, not being ``closed`` off by what follows, is
        open-ended."""
        text = getattr(self, "_" + type(expr).__name__)(expr)
        if _precedence(expr) < minimum or (not closed and _open_ended(expr)):
            return f"({text})"
        return text

    def _Number(self, e):
        return format_number(e.value, e.unit)

    def _String(self, e):
        return _string(e.value)

    def _Name(self, e):
        return e.name

    def _Call(self, e):
        return f"{e.function}({', '.join(self.expr(a) for a in e.args)})"

    def _Aggregate(self, e):
        text = self.expr(e.value)
        if e.where is not None:
            text += f" where {self.expr(e.where)}"
        if e.among is not None:
            text += f" among {self.expr(e.among)}"
        return f"{e.function}({text})"

    def _ListExpr(self, e):
        return "[" + ", ".join(self.expr(i) for i in e.items) + "]"

    def _Unary(self, e):
        if e.op == "not":
            return f"not {self.expr(e.operand, _NOT)}"
        return f"-{self.expr(e.operand, _UNARY)}"

    def _Binary(self, e):
        level = _SUM if e.op in _SUM_OPS else _PRODUCT
        left = self.expr(e.left, level, closed=False)
        right = self.expr(e.right, level + 1)
        return f"{left} {e.op} {right}"

    def _Logical(self, e):
        level = _OR if e.op == "or" else _AND
        last = len(e.operands) - 1
        parts = [self.expr(o, level + 1, closed=i == last) for i, o in enumerate(e.operands)]
        return f" {e.op} ".join(parts)

    def _Implies(self, e):
        return f"{self.expr(e.left, _OR, closed=False)} implies {self.expr(e.right, _OR)}"

    def _Compare(self, e):
        last = len(e.operands) - 1
        parts = [self.expr(e.operands[0], _SUM, closed=False)]
        for index, (op, operand) in enumerate(zip(e.ops, e.operands[1:]), start=1):
            parts.append(f"{op} {self.expr(operand, _SUM, closed=index == last)}")
        return " ".join(parts)

    def _IsTest(self, e):
        kind = "not_applicable" if e.kind == "not_applicable" else e.kind
        return f"{self.expr(e.subject, _SUM, closed=False)} is {'not ' if e.negated else ''}{kind}"

    def _InTest(self, e):
        return f"{self.expr(e.subject, _SUM, closed=False)} {'not ' if e.negated else ''}in {self.expr(e.items)}"

    def _Contains(self, e):
        return f"{self.expr(e.subject, _SUM, closed=False)} contains {self.expr(e.needle, _SUM)}"

    def _IfExpr(self, e):
        # Each part is formatted once (nested ifs would otherwise cost 2^n).
        branches, rest = [], e
        while isinstance(rest, ast.IfExpr):
            then = self.expr(rest.then)
            if isinstance(rest.then, ast.IfExpr):  # an if inside 'then' reads better bracketed
                then = f"({then})"
            branches.append(f"if {self.expr(rest.condition)} then {then}")
            rest = rest.otherwise
        last = f"else {self.expr(rest)}"
        text = " else ".join(branches) + " " + last
        if len(text) <= _WIDTH and "\n" not in text:
            return text
        # A long chain: each 'else' on a line of its own.
        return f"\n{self.indent}{_INDENT}else ".join(branches) + f"\n{self.indent}{_INDENT}" + last

    def _Discretion(self, e):
        return f"({self.expr(e.low)} .. {self.expr(e.high)}) default {self.expr(e.default)}"

    def _nested(self) -> "_Printer":
        return _Printer(self.indent + _INDENT)

    def _Tiers(self, e):
        inner = self._nested()
        lines = [f"{inner.indent}{t.op} {inner.expr(t.bound, _SUM, closed=False)}: {inner.expr(t.value)};"
                 for t in e.tiers]
        lines.append(f"{inner.indent}else: {inner.expr(e.otherwise)}")
        return f"tiers {self.expr(e.subject, _SUM, closed=False)} {{\n" + "\n".join(lines) + f"\n{self.indent}}}"

    def _Band(self, e):
        inner = self._nested()
        lines = []
        for index, entry in enumerate(e.entries):
            text = (
                f"{inner.indent}{_label(entry.label)}: {inner.expr(entry.low, _SUM, closed=False)} .. "
                f"{inner.expr(entry.high, _SUM, closed=False)} default "
                f"{inner.expr(entry.default, _SUM, closed=not entry.words)}"
            )
            if entry.words:
                text += " words " + " ".join(_string(w) for w in entry.words)
            lines.append(text + (";" if index < len(e.entries) - 1 else ""))
        return "band {\n" + "\n".join(lines) + f"\n{self.indent}}}"


def format_expr(expr: ast.Expr, indent: str = "") -> str:
    """One expression as canonical text.

    >>> from perfrules.dsl.parse import parse_document
    >>> rule = parse_document("ruleset r version 1 rule a when (x>1) and y<2 score weight*actual/target").items[2]
    >>> format_expr(rule.condition), format_expr(rule.score)
    ('x > 1 and y < 2', 'weight * actual / target')
    """
    return _Printer(indent).expr(expr)


def _item(item: ast.Node) -> str:
    p = _Printer(_INDENT)
    if isinstance(item, ast.RulesetDecl):
        return f"ruleset {item.name}"
    if isinstance(item, ast.VersionDecl):
        return f"version {item.version}"
    if isinstance(item, ast.EffectiveDecl):
        until = f" until {item.until.isoformat()}" if item.until else ""
        return f"effective {item.start.isoformat()}{until}"
    if isinstance(item, ast.TitleDecl):
        return f"title {_string(item.text)}"
    if isinstance(item, ast.SourceDecl):
        return f"source {_string(item.text)}"
    if isinstance(item, ast.ExtendsDecl):
        return f"extends {item.name}@{item.version}"
    if isinstance(item, ast.RoundingDecl):
        return f"rounding {format_number(item.step)} {item.mode}"
    if isinstance(item, ast.NotApplicableDecl):
        return f"not_applicable {item.mode}"
    if isinstance(item, ast.GradesDecl):
        entries = [
            f"{_INDENT}{_label(e.label)}: {p.expr(e.condition) if e.condition is not None else 'otherwise'}"
            for e in item.entries
        ]
        return "grades {\n" + ";\n".join(entries) + "\n}"
    if isinstance(item, ast.WeightsDecl):
        entries = [f"{_INDENT}{_label(e.label)}: {format_number(e.value)}" for e in item.entries]
        return "weights {\n" + ";\n".join(entries) + "\n}"
    if isinstance(item, ast.DirectionDecl):
        return f"direction {item.direction} when {p.expr(item.condition)}"
    if isinstance(item, ast.RuleDecl):
        head = f"rule {item.name}"
        if item.position is not None:
            head += f" {item.position.where} {item.position.anchor}"
        lines = [head, f"{_INDENT}when {p.expr(item.condition)}" if item.condition is not None
                 else f"{_INDENT}otherwise", f"{_INDENT}score {p.expr(item.score)}"]
        if item.because is not None:
            lines.append(f"{_INDENT}because {_string(item.because)}")
        return "\n".join(lines)
    if isinstance(item, ast.RemoveDecl):
        return f"remove {item.what} {item.name}"
    if isinstance(item, ast.CheckDecl):
        head = ("sheet " if item.sheet else "") + f"check {item.name}"
        return (f"{head}\n{_INDENT}when {p.expr(item.condition)}\n"
                f"{_INDENT}{item.severity} {_string(item.message)}")
    if isinstance(item, ast.SheetRuleDecl):
        lines = [f"sheet rule {item.name}",
                 f"{_INDENT}weight {format_number(item.weight)}" + (" within" if item.within else ""),
                 f"{_INDENT}score {p.expr(item.score)}"]
        if item.because is not None:
            lines.append(f"{_INDENT}because {_string(item.because)}")
        return "\n".join(lines)
    if isinstance(item, ast.ExpectDecl):
        prop = item.prop
        if prop is None:
            return f"expect {item.name}"
        if isinstance(prop, ast.Continuous):
            text = f"continuous {prop.subject.name} in {prop.variable.name}"
            if prop.at:
                text += " at " + ", ".join(p.expr(v, _SUM, closed=False) for v in prop.at)
            if prop.where is not None:
                text += f" where {p.expr(prop.where, closed=prop.within is None)}"
            if prop.within is not None:
                text += f" within {p.expr(prop.within, _SUM)}"
            return f"expect {item.name}: {text}"
        if isinstance(prop, ast.Monotone):
            text = f"monotone {prop.subject.name} in {prop.variable.name}"
            if prop.where is not None:
                text += f" where {p.expr(prop.where)}"
        else:
            text = p.expr(prop)
        return f"expect {item.name}: {text}"
    raise TypeError(f"cannot format {type(item).__name__}")


_HEADER = (ast.RulesetDecl, ast.VersionDecl, ast.EffectiveDecl, ast.TitleDecl, ast.SourceDecl, ast.ExtendsDecl)
_BLOCKS = (ast.RuleDecl, ast.CheckDecl, ast.SheetRuleDecl, ast.GradesDecl, ast.WeightsDecl)


def _group(item: ast.Node) -> str:
    if isinstance(item, _HEADER):
        return "header"
    if isinstance(item, ast.ExpectDecl):
        return "expect"
    if isinstance(item, _BLOCKS):
        return "block"
    return "setting"


def format_document(document: ast.Document, *, comments: bool = True) -> str:
    """The canonical text of a ruleset: one item per line (blocks on
    several), a blank line between groups and around multi-line items.
    ``comments=False`` leaves comments out (the text a ruleset's identity
    hash is taken of)."""
    pending = sorted(document.comments, key=lambda c: c.line) if comments else []
    out: list[str] = []
    previous = None
    for item in document.items:
        text = _item(item)
        # A comment goes before the item it stands in or above.
        end = _end_line(item.span) if item.span is not None else 0
        leading = [c for c in pending if c.line <= end]
        pending = [c for c in pending if c.line > end]
        if previous is not None and (
            _group(item) != _group(previous) or "\n" in text or isinstance(previous, _BLOCKS) or leading
        ):
            out.append("")
        out.extend(c.text for c in leading)
        if leading and item.span is not None and leading[-1].line < item.span.line - 1 and out[:-len(leading)] == []:
            out.append("")  # a file's opening comment stays apart from the first item
        out.append(text)
        previous = item
    if pending:
        out.append("")
        out.extend(c.text for c in pending)
    return "\n".join(out) + "\n"


def _end_line(span: Span) -> int:
    return span.end_line or span.line
