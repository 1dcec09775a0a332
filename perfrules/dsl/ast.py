"""The syntax tree of the scoring language.

Nodes are frozen attrs classes named after the grammar rules of
``grammar/rules.lark``.  Every node carries the :class:`~perfrules.errors.Span`
it was read from; equality ignores spans, so a tree compares by structure.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Callable, Iterator

import attrs

from ..errors import Span
from ..results import Severity

__all__ = [
    "Node", "Expr", "walk",
    "Number", "String", "Name", "Call", "Aggregate", "ListExpr", "Unary", "Binary", "Logical",
    "Implies", "Compare", "IsTest", "InTest", "Contains", "IfExpr", "Discretion", "Tiers", "Tier",
    "Band", "BandEntry",
    "Document", "Comment", "RulesetDecl", "VersionDecl", "EffectiveDecl", "TitleDecl", "SourceDecl",
    "ExtendsDecl", "RoundingDecl", "GradesDecl", "GradeEntry", "WeightsDecl", "WeightEntry",
    "NotApplicableDecl", "DirectionDecl", "RuleDecl", "Position", "RemoveDecl", "CheckDecl",
    "SheetRuleDecl", "ExpectDecl", "Monotone", "Continuous",
]


def _span():
    return attrs.field(default=None, eq=False, repr=False, kw_only=True)


@attrs.frozen
class Node:
    """Base of all nodes."""

    # Inline, not through _span(), so type checkers see it is keyword-only.
    span: Span | None = attrs.field(default=None, eq=False, repr=False, kw_only=True)

    def children(self) -> Iterator["Node"]:
        """The nodes directly under this one, in the order written."""
        for field in attrs.fields(type(self)):
            value = getattr(self, field.name)
            if isinstance(value, Node):
                yield value
            elif isinstance(value, tuple):
                for item in value:
                    if isinstance(item, Node):
                        yield item


def walk(node: Node, *, prune: Callable[[Node], bool] | None = None) -> Iterator[Node]:
    """``node`` and every node under it, depth first in the order written
    (iteratively: a deep tree does not exhaust the stack).  Below a node
    for which ``prune`` is true nothing is visited.

    >>> from perfrules.dsl.parse import parse_document
    >>> rule = parse_document("ruleset r version 1 rule a when actual < target score weight").items[2]
    >>> [n.name for n in walk(rule) if isinstance(n, Name)]
    ['actual', 'target', 'weight']
    """
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if prune is None or not prune(current):
            stack.extend(reversed(list(current.children())))


@attrs.frozen
class Expr(Node):
    """Base of expression nodes."""


# ---- expressions -------------------------------------------------------------


@attrs.frozen
class Number(Expr):
    """A number; ``unit`` is ``%`` or ``‰`` when written as a percentage, and
    ``value`` is then already divided (``30%`` has value 0.30)."""

    value: Decimal
    unit: str | None = None


@attrs.frozen
class String(Expr):
    value: str


@attrs.frozen
class Name(Expr):
    """A value of the row (``weight``, ``actual`` ...) or of the sheet."""

    name: str


@attrs.frozen
class Call(Expr):
    function: str
    args: tuple[Expr, ...]


@attrs.frozen
class Aggregate(Expr):
    """``count``, ``sum`` or ``share`` over the indicator rows of a sheet."""

    function: str
    value: Expr
    where: Expr | None = None
    among: Expr | None = None


@attrs.frozen
class ListExpr(Expr):
    items: tuple[Expr, ...]


@attrs.frozen
class Unary(Expr):
    op: str  # "not" or "-"
    operand: Expr


@attrs.frozen
class Binary(Expr):
    op: str  # + - * /
    left: Expr
    right: Expr


@attrs.frozen
class Logical(Expr):
    op: str  # "and" or "or"
    operands: tuple[Expr, ...]


@attrs.frozen
class Implies(Expr):
    left: Expr
    right: Expr


@attrs.frozen
class Compare(Expr):
    """A chain of comparisons: ``0 <= score <= weight``."""

    operands: tuple[Expr, ...]
    ops: tuple[str, ...]


@attrs.frozen
class IsTest(Expr):
    """``target is qualitative``, ``direction is higher``, ``actual is not missing``."""

    subject: Expr
    kind: str
    negated: bool = False


@attrs.frozen
class InTest(Expr):
    subject: Expr
    items: ListExpr
    negated: bool = False


@attrs.frozen
class Contains(Expr):
    subject: Expr
    needle: Expr


@attrs.frozen
class IfExpr(Expr):
    condition: Expr
    then: Expr
    otherwise: Expr


@attrs.frozen
class Discretion(Expr):
    """``(low .. high) default d``: the policy leaves the score to the
    assessor inside the range; ``default`` is what the engine computes."""

    low: Expr
    high: Expr
    default: Expr


@attrs.frozen
class Tier(Node):
    op: str
    bound: Expr
    value: Expr


@attrs.frozen
class Tiers(Expr):
    """A piecewise value: the first tier whose ``subject op bound`` holds."""

    subject: Expr
    tiers: tuple[Tier, ...]
    otherwise: Expr


@attrs.frozen
class BandEntry(Node):
    label: str
    low: Expr
    high: Expr
    default: Expr
    words: tuple[str, ...] = ()


@attrs.frozen
class Band(Expr):
    """Qualitative bands: the actual's words pick a band, which gives a
    discretionary share of the weight."""

    entries: tuple[BandEntry, ...]


# ---- declarations ---------------------------------------------------------------


@attrs.frozen
class Comment:
    line: int
    text: str


@attrs.frozen
class RulesetDecl(Node):
    name: str


@attrs.frozen
class VersionDecl(Node):
    version: str


@attrs.frozen
class EffectiveDecl(Node):
    start: _dt.date
    until: _dt.date | None = None


@attrs.frozen
class TitleDecl(Node):
    text: str


@attrs.frozen
class SourceDecl(Node):
    text: str


@attrs.frozen
class ExtendsDecl(Node):
    name: str
    version: str


@attrs.frozen
class RoundingDecl(Node):
    step: Decimal
    mode: str
    #: Where the step is written, for an error about it.
    step_span: Span | None = _span()


@attrs.frozen
class GradeEntry(Node):
    label: str
    condition: Expr | None  # None: otherwise


@attrs.frozen
class GradesDecl(Node):
    entries: tuple[GradeEntry, ...]


@attrs.frozen
class WeightEntry(Node):
    label: str
    value: Decimal


@attrs.frozen
class WeightsDecl(Node):
    entries: tuple[WeightEntry, ...]


@attrs.frozen
class NotApplicableDecl(Node):
    mode: str  # rescale or zero


@attrs.frozen
class DirectionDecl(Node):
    """For a target written without an operator: which way is better."""

    direction: str
    condition: Expr


@attrs.frozen
class Position(Node):
    where: str  # before or after
    anchor: str


@attrs.frozen
class RuleDecl(Node):
    name: str
    condition: Expr | None  # None: otherwise
    score: Expr
    because: str | None = None
    position: Position | None = None


@attrs.frozen
class RemoveDecl(Node):
    """``remove rule NAME`` (or ``check``, ``expect``): drop a parent's item."""

    name: str
    what: str = "rule"


@attrs.frozen
class CheckDecl(Node):
    name: str
    condition: Expr
    severity: Severity
    message: str
    sheet: bool = False


@attrs.frozen
class SheetRuleDecl(Node):
    """``sheet rule NAME weight N [within] score EXPR``: N points scored from
    the rows; ``within``: taken out of the rows' full weight, not added."""

    name: str
    weight: Decimal
    score: Expr
    because: str | None = None
    within: bool = False


@attrs.frozen
class Monotone(Node):
    subject: Name
    variable: Name
    where: Expr | None = None


@attrs.frozen
class Continuous(Node):
    """The score has no jump larger than ``within`` where ``variable``
    crosses the values ``at`` (default: the edges the rules compare it with)."""

    subject: Name
    variable: Name
    at: tuple[Expr, ...] = ()
    where: Expr | None = None
    within: Expr | None = None


@attrs.frozen
class ExpectDecl(Node):
    """A property the ruleset promises; ``prop`` None names a built-in one
    (``expect standard``)."""

    name: str
    prop: Expr | Monotone | Continuous | None = None


@attrs.frozen
class Document(Node):
    items: tuple[Node, ...]
    comments: tuple[Comment, ...] = attrs.field(default=(), eq=False, repr=False)
