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

import datetime as dt
from decimal import Decimal
from functools import lru_cache

import attrs

from ..dsl import ast
from ..cells.quantity import Quantity, unit
from ..records import Row, Sheet
from ..cells.values import (
    Actual,
    ActualDate,
    ActualQuantity,
    ActualStatement,
    BareValue,
    Comparison,
    Deadline,
    Qualitative,
    Target,
)
from .strategies import UNITS

__all__ = ["Vocabulary", "vocabulary_of", "boundary_rows", "boundary_sheets"]

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
        for node in ast.walk(root):
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
    for key in constants:
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


_DUE = dt.date(2024, 6, 30)
# Name-and-scenario pairs beyond which each scenario takes one name in turn.
_MOST = 400


def _plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros (99.99, not 99.9900)."""
    return value.normalize() if value else Decimal(0)


def _scenarios(vocabulary: Vocabulary, edges) -> list[tuple[Target, Actual]]:
    """(target, actual) pairs at the ruleset's boundaries."""
    found: list[tuple[Target, Actual]] = []
    count = unit("项")
    for kind in ("ge", "le", "eq"):
        # At, just below and just above every completion edge.
        for edge in tuple(edges) + (Decimal(1),):
            for value in (edge - Decimal("0.0001"), edge, edge + Decimal("0.0001")):
                found.append((Comparison(kind, Quantity(Decimal(100), count)),
                              ActualQuantity(Quantity(_plain(max(Decimal(0), value * 100)), count))))
        # A target of 0 against nothing and against something.
        for actual in (Decimal(0), Decimal(5)):
            found.append((Comparison(kind, Quantity(Decimal(0), count)), ActualQuantity(Quantity(actual, count))))
    for actual in (Decimal(0), Decimal(5)):
        found.append((BareValue(Quantity(Decimal(0), count)), ActualQuantity(Quantity(actual, count))))
    # The amounts the ruleset compares actual and target with, either side.
    for value in vocabulary.near("actual", step=Decimal("0.01")) + vocabulary.near("target", step=Decimal("0.01")):
        for symbol in ("%",) + tuple(vocabulary.units[:2]) + (None,):
            u = unit(symbol) if symbol else None
            shown = value * 100 if symbol == "%" else value
            if shown >= 0:
                found.append((Comparison("ge", Quantity(abs(shown) or Decimal(1), u)), ActualQuantity(Quantity(shown, u))))
                found.append((Comparison("le", Quantity(abs(shown) or Decimal(1), u)), ActualQuantity(Quantity(shown, u))))
    # Deadlines met, a day late, and at and around the day counts named.
    for late in dict.fromkeys((Decimal(0), Decimal(1)) + vocabulary.near("days_late")):
        if late >= 0:
            done = _DUE + dt.timedelta(days=int(late))
            found.append((Deadline(2024, 6, 30, before=True), ActualDate(done.year, done.month, done.day)))
    # Months late: the month after the deadline's, and as many as named.
    for late in dict.fromkeys((Decimal(1),) + vocabulary.near("months_late")):
        if late >= 0:
            month = _DUE.month + int(late)
            year, month = _DUE.year + (month - 1) // 12, (month - 1) % 12 + 1
            found.append((Deadline(2024, 6, 30, before=True), ActualDate(year, month, 15)))
    # Sentences, in the words of each band.
    for word in vocabulary.band_words:
        found.append((Qualitative("提升服务水平"), ActualStatement(word)))
    return found


def boundary_rows(vocabulary: Vocabulary, edges=()) -> list[Row]:
    """Rows at the ruleset's own boundaries, the same every run: each of
    its names (and levels) with targets and actuals at and around every
    completion edge, amount and day count it compares with, a target of 0
    with a positive actual, the words of its bands, with and without a
    deviation note, and the columns it reads with each value it compares
    them with.  A narrow region (a 28-day band) is reached by all of them,
    not by a lucky seed."""
    names = vocabulary.names or ("科技创新券支持企业数",)
    levels = list(zip(vocabulary.level1 or ("产出指标",), vocabulary.level2 or ("数量指标",)))
    rows = []
    scenarios = _scenarios(vocabulary, edges)
    columns: list[dict[str, str]] = [{}]
    for column in vocabulary.columns:
        texts = vocabulary.texts_of(column) + tuple(format(v, "f") for v in
                                                    vocabulary.near(f"number:{column}", step=Decimal("0.01")))
        columns += [{column: text} for text in texts]
    full = {c: (vocabulary.texts_of(c) + ("1",))[0] for c in vocabulary.columns}
    # Every name with every scenario while that stays small; beyond, each
    # scenario with one name in turn, and each name with every completion edge.
    pairs = [(name, scenario) for name in names for scenario in scenarios]
    if len(pairs) > _MOST:
        pairs = [(names[i % len(names)], scenario) for i, scenario in enumerate(scenarios)]
        pairs += [(name, scenario) for name in names for scenario in scenarios[:3 * (len(edges) + 1)]]
    for index, (name, (target, actual)) in enumerate(pairs):
        level1, level2 = levels[index % len(levels)]
        for note in ("", "已说明偏差原因"):
            rows.append(Row(target=target, actual=actual, weight=Decimal(10), name=name, level1=level1,
                            level2=level2, note=note, fiscal_year=2024, columns=full))
    target, actual = Comparison("ge", Quantity(Decimal(100), unit("项"))), ActualQuantity(Quantity(Decimal(100),
                                                                                                    unit("项")))
    for cells in columns:
        for name in names:
            rows.append(Row(target=target, actual=actual, weight=Decimal(10), name=name, fiscal_year=2024,
                            columns={**full, **cells}))
    for rate in vocabulary.near("rate", step=Decimal("0.0001")) + (Decimal(1),):
        if rate >= 0:
            rows.append(Row.budget_execution(budget=Decimal(10000), spent=(rate * 10000).quantize(Decimal("0.01")),
                                             weight=10, fiscal_year=2024))
    return rows


def boundary_sheets(rows: list[Row], *, size: int = 8) -> list[Sheet]:
    """Tables of boundary rows, ``size`` indicator rows each, in order (so
    rows at the same edge share a table), the first with a budget row: an
    aggregate over many rows in one region (``count()``, ``share()``) is
    tried with all of them."""
    indicators = [row for row in rows if row.kind == "indicator"]
    budgets = [row for row in rows if row.kind != "indicator"]
    tables = []
    for index, start in enumerate(range(0, len(indicators), size)):
        budget = budgets[index] if index < len(budgets) else None
        tables.append(Sheet(rows=indicators[start:start + size], budget=budget, fiscal_year=2024))
    return tables
