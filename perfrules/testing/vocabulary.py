"""What a ruleset's own text says about the rows it cares for: the names,
levels, columns, band words and units it tests for, and the constants it
compares values with.  Generated rows draw from it, so a rule keyed on
``name contains "预算调整率"``, on ``cell("调剂额")`` or on a 28-day band is
reached by every run, not by some seeds.

>>> from perfrules import Ruleset
>>> ruleset = Ruleset.from_text('''
... ruleset demo version 1
... rule adjust when name contains "预算调整率" and days_late <= 28 score weight * 50%
... rule moved when number("调剂额") > 5 score 0
... rule met otherwise score weight
... ''')
>>> words = vocabulary_of(ruleset.model)
>>> words.names, words.columns, words.constants_of("days_late")
(('预算调整率',), ('调剂额',), (Decimal('28'),))
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import attrs

from ..dsl import ast
from ..quantity import unit
from .strategies import UNITS

__all__ = ["Vocabulary", "vocabulary_of"]

_TEXT_NAMES = ("name", "level1", "level2", "note", "goal")


@attrs.frozen
class Vocabulary:
    """The literals of a ruleset, by what they are compared with."""

    names: tuple[str, ...] = ()
    level1: tuple[str, ...] = ()
    level2: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    #: Columns read with cell() or number(), and texts compared with cell().
    columns: tuple[str, ...] = ()
    #: ``((column, texts), …)``: texts compared with cell(column).
    column_texts: tuple = ()
    #: Words of the bands, which place an actual in one.
    band_words: tuple[str, ...] = ()
    #: Units of the dimensions the ruleset tests with ``unit is``.
    units: tuple[str, ...] = ()
    #: ``((name, constants), …)``: what each value is compared with
    #: (``days_late``, ``actual``, ``weight``, ``rate``, ``number:调剂额`` …).
    constants: tuple = ()

    def constants_of(self, name: str) -> tuple[Decimal, ...]:
        """The constants ``name`` is compared with."""
        return dict(self.constants).get(name, ())

    def texts_of(self, column: str) -> tuple[str, ...]:
        """The texts ``cell(column)`` is compared with."""
        return dict(self.column_texts).get(column, ())

    def near(self, name: str, *, step: Decimal = Decimal(1)) -> tuple[Decimal, ...]:
        """The constants of ``name`` and a ``step`` either side of each."""
        return _near(self, name, step)


@lru_cache(maxsize=None)
def _near(vocabulary: Vocabulary, name: str, step: Decimal) -> tuple[Decimal, ...]:
    found = []
    for value in vocabulary.constants_of(name):
        found += [value, value - step, value + step]
    return tuple(dict.fromkeys(found))


def _nodes(node):
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, tuple):
            stack.extend(current)
        elif isinstance(current, ast.Node):
            yield current
            stack.extend(getattr(current, f.name) for f in attrs.fields(type(current)))


def _subject(expr) -> str | None:
    """``name``, ``level1`` … or ``cell:列`` / ``number:列`` for what a test reads."""
    if isinstance(expr, ast.Name):
        return expr.name
    if isinstance(expr, ast.Call) and expr.function in ("cell", "number") and expr.args \
            and isinstance(expr.args[0], ast.String):
        return f"{expr.function}:{expr.args[0].value}"
    return None


def _strings(expr) -> list[str]:
    if isinstance(expr, ast.String):
        return [expr.value]
    if isinstance(expr, ast.ListExpr):
        return [i.value for i in expr.items if isinstance(i, ast.String)]
    return []


def _roots(model):
    for collection in (model.rules, model.checks, model.directions, model.sheet_rules, model.expects):
        yield from collection


def vocabulary_of(model) -> Vocabulary:
    """The :class:`Vocabulary` of a checked model (with its parents')."""
    texts: dict[str, list[str]] = {}
    constants: dict[str, list[Decimal]] = {}
    columns: list[str] = []
    words: list[str] = []
    dimensions: list[str] = []

    def text(subject, values):
        if subject is not None:
            texts.setdefault(subject, []).extend(v for v in values if v)

    def constant(subject, number):
        if subject is not None and isinstance(number, ast.Number):
            constants.setdefault(subject, []).append(number.value)

    for root in _roots(model):
        for node in _nodes(root):
            if isinstance(node, ast.Call) and node.function in ("cell", "number") and node.args \
                    and isinstance(node.args[0], ast.String):
                columns.append(node.args[0].value)
            elif isinstance(node, ast.Compare):
                for left, right in zip(node.operands, node.operands[1:]):
                    for a, b in ((left, right), (right, left)):
                        text(_subject(a), _strings(b))
                        constant(_subject(a), b)
            elif isinstance(node, (ast.Contains, ast.InTest)):
                needle = node.needle if isinstance(node, ast.Contains) else node.items
                text(_subject(node.subject), _strings(needle))
                if isinstance(node, ast.InTest):
                    for item in node.items.items:
                        constant(_subject(node.subject), item)
            elif isinstance(node, ast.Tiers):
                for tier in node.tiers:
                    constant(_subject(node.subject), tier.bound)
            elif isinstance(node, ast.BandEntry):
                words.extend(node.words)
            elif isinstance(node, ast.IsTest) and isinstance(node.subject, ast.Name) and node.subject.name == "unit":
                dimensions.append(node.kind)
    units = [symbol for symbol in UNITS if unit(symbol).dimension.split("/")[0] in dimensions]
    column_texts = {key.split(":", 1)[1]: tuple(dict.fromkeys(values))
                    for key, values in texts.items() if key.startswith("cell:")}
    for key, values in constants.items():
        if key.startswith("number:"):
            column_texts.setdefault(key.split(":", 1)[1], ())

    def unique(values):
        return tuple(dict.fromkeys(values))

    return Vocabulary(
        names=unique(texts.get("name", ())),
        level1=unique(texts.get("level1", ())),
        level2=unique(texts.get("level2", ())),
        notes=unique(texts.get("note", ())),
        goals=unique(texts.get("goal", ())),
        columns=unique(columns),
        column_texts=tuple(sorted(column_texts.items())),
        band_words=unique(words),
        units=unique(units),
        constants=tuple(sorted((key, tuple(sorted(set(values)))) for key, values in constants.items())),
    )
