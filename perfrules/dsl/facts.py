"""The facts of a row: every value a rule can read, defined once.

:data:`ROW_FACTS` is the one table of them (name → type, how it is
computed, the words ``is`` tests it for).  The type checker reads its
types (:data:`.types.ROW_NAMES`), :class:`Facts` computes them for the
traced evaluator, and the code generator writes the same computations
inline: a field of the row as it is, a value derived from others through
the very function :class:`Facts` calls (:func:`completion_of` …), the rest
through :class:`Facts` itself.  Adding a row fact is one entry here.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Callable

import attrs

from ..cells.quantity import Quantity
from ..cells.values import ActualDate, ActualDone, ActualQuantity, BareValue, Comparison, Deadline, Range
from ..context import ALONE, RowContext
from ..records import BUDGET_EXECUTION, Row, parse_amount
from .primitives import months_late, precision
from .runtime import MISSING_WEIGHT, Unavailable

__all__ = ["Fact", "Facts", "SheetFacts", "SHEET_BUDGET_FACTS", "ROW_FACTS", "FACT_TYPES", "KIND_WORDS",
           "DIRECTION_OF_KIND", "completion_of", "deviation_of", "overrun_of", "rate_of", "same_unit_pair", "target_of",
           "target_is", "actual_is"]

# Types of expressions (the type checker's words).
NUM, TEXT, KIND = "number", "text", "kind"

_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_COMPARISONS = ("ge", "gt", "le", "lt", "eq")

#: The direction each kind of target gives; a bare value's comes from the
#: ruleset's direction classes.
DIRECTION_OF_KIND = {"ge": "higher", "gt": "higher", "le": "lower", "lt": "lower", "eq": "exact",
                     "range": "band", "deadline": "none", "qualitative": "none", "not_applicable": "none"}


@attrs.frozen
class Fact:
    """One value of a row a rule can read.

    Exactly one of ``field`` (a field of :class:`~perfrules.records.Row`
    read as it is; ``missing`` says why a row without it cannot be scored),
    ``needs`` + ``formula`` (computed from other facts, in that order) or
    ``compute`` (from the row's :class:`Facts`) says how it is found.
    ``kinds``: the words ``is`` tests it for (``target is range``)."""

    name: str
    type: str
    doc: str
    field: str | None = None
    missing: str | None = None
    needs: tuple[str, ...] = ()
    formula: Callable | None = None
    compute: Callable[["Facts"], object] | None = None
    kinds: tuple[str, ...] = ()


# ---- formulas: the derived facts, called by Facts and by generated code ----


def completion_of(target: Decimal, actual: Decimal) -> Decimal:
    """``actual / target``; undefined for a target of 0."""
    if not target:
        raise Unavailable("completion is undefined: the target is 0")
    return actual / target


def deviation_of(completion: Decimal) -> Decimal:
    return completion - _ONE


def overrun_of(deviation: Decimal) -> Decimal:
    return max(_ZERO, deviation)


def rate_of(budget: Decimal, spent: Decimal) -> Decimal:
    """The execution rate ``spent / budget``; undefined for a budget of 0."""
    if budget == 0:
        raise Unavailable("the execution rate is undefined: the budget is 0")
    return spent / budget


_TARGET_KINDS = ("comparison", "value", "range", "deadline", "qualitative", "not_applicable", *_COMPARISONS)
_ACTUAL_KINDS = ("quantity", "date", "done", "qualitative", "empty", "missing")
#: For each word of ``target is WORD``, the target kinds it matches
#: (``comparison`` is any of ≥ > ≤ < =); the generated code tests the very sets.
TARGET_WORDS = {word: frozenset(_COMPARISONS if word == "comparison" else (word,)) for word in _TARGET_KINDS}
#: For each word of ``actual is WORD``, the actual kinds it matches (``missing`` is an empty cell).
ACTUAL_WORDS = {word: frozenset(("empty",) if word == "missing" else (word,)) for word in _ACTUAL_KINDS}


def target_is(target_kind: str, word: str) -> bool:
    """``target is WORD``."""
    return target_kind in TARGET_WORDS[word]


def actual_is(actual_kind: str, word: str) -> bool:
    """``actual is WORD``."""
    return actual_kind in ACTUAL_WORDS[word]


def same_unit_pair(row: Row) -> tuple[Decimal, Decimal] | None:
    """``(target, actual)`` in the reference unit for the common row, a
    comparison or bare value against an amount in the very same unit (a
    percentage as a fraction); None for every other row."""
    target, actual = row.target, row.actual
    if type(actual) is ActualQuantity and (type(target) is Comparison or type(target) is BareValue):
        quantity = target.quantity
        unit = quantity.unit
        if unit is actual.quantity.unit:
            if unit is None or unit.dimension != "ratio":
                return quantity.value, actual.quantity.value
            if unit.symbol == "%" and unit.scale == 1:
                return quantity.value / _HUNDRED, actual.quantity.value / _HUNDRED
    return None


def target_of(row: Row, directions=()) -> Decimal:
    """``target`` in the reference unit: as written for a plain number or a
    unit the actual shares, a percentage as a fraction (95% is 0.95)."""
    target = row.target
    if type(target) is Comparison or type(target) is BareValue:
        quantity = target.quantity
        unit = quantity.unit
        if unit is None:
            actual = row.actual
            if type(actual) is not ActualQuantity or actual.quantity.unit is None:
                return quantity.value
        elif unit.dimension != "ratio":
            return quantity.value
        elif unit.symbol == "%" and unit.scale == 1:
            return quantity.value / _HUNDRED
    return Facts(row, directions)._target_in_unit()


# ---- descriptions, for reasons ----


def _written(value) -> str:
    """A cell's text as written (a value built in code: as it prints)."""
    if value.text is not None:
        return value.text
    return "" if value.kind in ("not_applicable", "empty") else str(value)


def _exact(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _describe_target(target) -> str:
    return {
        "value": "a bare value",
        "range": "a range",
        "deadline": "a deadline",
        "qualitative": "a sentence (qualitative)",
        "not_applicable": "not applicable",
    }.get(target.kind, "a comparison")


def _describe_actual(actual) -> str:
    return {
        "quantity": "an amount",
        "date": "a date",
        "done": "done (已完成)",
        "qualitative": "a sentence",
        "empty": "empty",
    }[actual.kind]


class Facts:
    """The values of one row that rules can use (:data:`ROW_FACTS`),
    computed when first asked for.  A value the row does not have raises
    :class:`~.runtime.Unavailable`."""

    def __init__(self, row: Row, directions=(), score: Decimal | None = None,
                 context: RowContext = ALONE) -> None:
        self.row = row
        self._directions = directions
        self._given_score = score
        #: The table around the row (:mod:`perfrules.context`).
        self.context = context
        self._cache: dict[str, object] = {}
        #: What evaluation chose along the way (the band a sentence fell
        #: in), for the trace.
        self.notes: list[tuple[str, str]] = []

    def get(self, name: str):
        try:
            return self._cache[name]
        except KeyError:
            pass
        fact = _EVERY_FACT[name]
        if fact.field is not None:
            value = getattr(self.row, fact.field)
            if value is None and fact.missing is not None:
                raise Unavailable(fact.missing)
        elif fact.formula is not None:
            value = fact.formula(*(self.get(need) for need in fact.needs))
        else:
            assert fact.compute is not None  # a fact is found by its field, its formula or this
            value = fact.compute(self)
        self._cache[name] = value
        return value

    # ---- the target and the actual in one unit ----

    def _target_quantity(self) -> Quantity:
        target = self.row.target
        if isinstance(target, (Comparison, BareValue)):
            return target.quantity
        raise Unavailable(f"the target is {_describe_target(target)}, not a number")

    def reference_unit(self):
        """The unit target and actual are compared in: the target's, or the
        actual's when the target has none (``≥95`` against ``97%`` compares
        95% with 97%)."""
        target = self.row.target
        unit = target.high.unit if isinstance(target, Range) else self._target_quantity().unit
        if unit is None and isinstance(self.row.actual, ActualQuantity):
            return self.row.actual.quantity.unit
        return unit

    def _in_reference_unit(self, quantity: Quantity, what: str) -> Decimal:
        """``quantity`` as a number in the target's unit; a ratio (% ‰) as a
        fraction, so that 95% is 0.95 like the literal ``95%`` of a rule."""
        unit = self.reference_unit()
        if unit is None or quantity.unit is None:
            # No unit on one side: the number is taken in the other's.
            unit = unit or quantity.unit
            if unit is not None and unit.dimension == "ratio":
                return _exact(Fraction(quantity.value) * unit.scale / 100)
            return quantity.value
        if not quantity.unit.compatible(unit):
            raise Unavailable(
                f"the {what} is in {quantity.unit.symbol} ({quantity.unit.dimension}), the target in "
                f"{unit.symbol} ({unit.dimension}): they cannot be compared"
            )
        if unit.dimension == "ratio":
            return _exact(quantity.magnitude() / 100)
        if quantity.unit == unit:
            return quantity.value
        return _exact(quantity.magnitude() / unit.scale)

    def _counts_months(self) -> bool:
        try:
            unit = self.reference_unit()
        except Unavailable:
            return False
        return unit is not None and unit.base == "个月"

    def _target_in_unit(self) -> Decimal:
        if isinstance(self.row.target, Range):
            raise Unavailable("the target is a range: use target_low and target_high")
        return self._in_reference_unit(self._target_quantity(), "target")

    def _range_end(self, end: str) -> Decimal:
        target = self.row.target
        if not isinstance(target, Range):
            raise Unavailable(f"the target is {_describe_target(target)}, not a range")
        return self._in_reference_unit(getattr(target, end), f"target's {end} end")

    def _actual_in_unit(self) -> Decimal:
        actual = self.row.actual
        if isinstance(actual, ActualDate) and actual.year is None and actual.day is None and self._counts_months():
            # 7月 is July, unless the target counts months (≤8个月): then 7 of them.
            assert actual.month is not None  # a date with neither year nor day has its month
            return self._in_reference_unit(Quantity(actual.month, "月"), "actual")
        if not isinstance(actual, ActualQuantity):
            raise Unavailable(f"the actual is {_describe_actual(actual)}, not an amount")
        return self._in_reference_unit(actual.quantity, "actual")

    def _days_late(self) -> Decimal:
        target, actual = self.row.target, self.row.actual
        if not isinstance(target, Deadline):
            raise Unavailable(f"the target is {_describe_target(target)}, not a deadline")
        if isinstance(actual, ActualDone):
            return _ZERO
        if not isinstance(actual, ActualDate):
            raise Unavailable(f"the actual is {_describe_actual(actual)}, not a date")
        year = target.year or self.row.fiscal_year or actual.year
        if year is None:
            raise Unavailable("the deadline has no year and the table no fiscal year")
        month = target.month or 12
        due = dt.date(year, month, target.day or calendar.monthrange(year, month)[1])
        done_year = actual.year or year
        done_month = actual.month or 12
        # An actual without a day is taken as done on the first of its month.
        done = dt.date(done_year, done_month, actual.day or 1)
        return Decimal(max(0, (done - due).days))

    def _months_late(self) -> Decimal:
        if not isinstance(self.row.target, Deadline):
            raise Unavailable(f"the target is {_describe_target(self.row.target)}, not a deadline")
        if not isinstance(self.row.actual, (ActualDate, ActualDone)):
            raise Unavailable(f"the actual is {_describe_actual(self.row.actual)}, not a date")
        return months_late(self.row.target, self.row.actual, self.row.fiscal_year)

    # ---- the table around the row ----

    def _budget_row(self, label: str) -> Row:
        """The row holding the budget block: this row when it is the budget
        row, else the table's."""
        if self.row.kind == BUDGET_EXECUTION:
            return self.row
        budget = self.context.budget
        if budget is None:
            if not self.context.in_table:
                raise Unavailable(f"the row is scored alone, without its table's budget block ({label})")
            raise Unavailable(f"the table has no budget block ({label})")
        return budget

    def _budget_amount(self, field: str, label: str) -> Decimal:
        value = getattr(self._budget_row(label), field)
        if value is None:
            raise Unavailable(f"the budget block has no {label}")
        return value

    def _initial_budget(self) -> Decimal:
        text = self._budget_row("年初预算数").columns.get("年初预算数", "")
        try:
            value = parse_amount(text)
        except Exception:
            raise Unavailable(f"the budget block's 年初预算数 '{text}' is not a number") from None
        if value is None:
            raise Unavailable("the budget block has no 年初预算数")
        return value

    def _group(self, name: str, what: str):
        value = getattr(self.context, name)
        if value is None:
            if not self.context.in_table:
                raise Unavailable(f"the row is scored alone, without its table ({what})")
            raise Unavailable(f"the budget row is in no group ({what})")
        return value if isinstance(value, Decimal) else Decimal(value)

    def _score(self) -> Decimal:
        if self._given_score is None:
            raise Unavailable("the row has no score")
        return self._given_score

    def _year(self) -> Decimal:
        if self.row.fiscal_year is None:
            raise Unavailable("the table has no fiscal year")
        return Decimal(self.row.fiscal_year)

    # ---- kinds, for `is` ----

    def _direction(self) -> str:
        kind = self.row.target.kind
        direction = DIRECTION_OF_KIND.get(kind)
        if direction is not None:
            return direction
        if kind == "value":
            for direction, condition in self._directions:
                try:
                    if condition(self):
                        return direction
                except Unavailable:
                    continue  # a class the row cannot be tested for is not its class
            return "higher"
        return "none"

    def _unit(self) -> str:
        if self.row.kind == BUDGET_EXECUTION:
            return "money"
        try:
            unit = self.reference_unit()
        except Unavailable:
            return "none"
        return unit.dimension.split("/")[0] if unit is not None else "none"

    def is_kind(self, subject: str, kind: str) -> bool:
        if subject == "target":
            return target_is(self.row.target.kind, kind)
        if subject == "actual":
            return actual_is(self.row.actual.kind, kind)
        return self.get(subject) == kind

    # ---- columns by their header ----

    def cell(self, column: str) -> str:
        try:
            return self.row.columns[column]
        except KeyError:
            raise Unavailable(f"the row has no column '{column}'") from None

    def budget_number(self, column: str) -> Decimal:
        """``budget_number("当年财政拨款/全年执行数")``: a number of the budget
        block by its header (a fund source's amount, 调整后预算数 …)."""
        budget = self._budget_row(column)
        try:
            text = budget.columns[column]
        except KeyError:
            raise Unavailable(f"the budget block has no column '{column}'") from None
        return _column_number(text, f"the budget block's column '{column}'")

    def number(self, column: str) -> Decimal:
        return _column_number(self.cell(column), f"column '{column}'")


def _column_number(text: str, what: str) -> Decimal:
    """A column's text as a number (5% is 0.05, as in a rule)."""
    stripped = text.strip()
    try:
        if stripped.endswith(("%", "％")):  # 5% is 0.05, as in a rule
            value = parse_amount(stripped[:-1])
            value = None if value is None else value / 100
        else:
            value = parse_amount(text)
    except Exception:
        raise Unavailable(f"{what} holds '{text}', not a number") from None
    if value is None:
        raise Unavailable(f"{what} is empty")
    return value


def _pair_or(which: int, general: Callable[[Facts], Decimal]) -> Callable[[Facts], Decimal]:
    def compute(facts: Facts) -> Decimal:
        pair = same_unit_pair(facts.row)
        return pair[which] if pair is not None else general(facts)

    return compute


def _table(*facts: Fact) -> dict[str, Fact]:
    return {fact.name: fact for fact in facts}


#: Every value of a row a rule may read.
ROW_FACTS: dict[str, Fact] = _table(
    Fact("weight", NUM, "the row's weight (分值)", field="weight", missing=MISSING_WEIGHT),
    Fact("target", NUM, "the target in the reference unit (95% is 0.95)",
         compute=_pair_or(0, Facts._target_in_unit), kinds=_TARGET_KINDS),
    Fact("target_low", NUM, "a range target's low end", compute=lambda facts: facts._range_end("low")),
    Fact("target_high", NUM, "a range target's high end", compute=lambda facts: facts._range_end("high")),
    Fact("actual", NUM, "the actual in the target's unit", compute=_pair_or(1, Facts._actual_in_unit),
         kinds=_ACTUAL_KINDS),
    Fact("completion", NUM, "actual / target", needs=("target", "actual"), formula=completion_of),
    Fact("deviation", NUM, "completion - 1", needs=("completion",), formula=deviation_of),
    Fact("overrun", NUM, "max(0, deviation)", needs=("deviation",), formula=overrun_of),
    Fact("days_late", NUM, "days past a deadline", compute=Facts._days_late),
    Fact("months_late", NUM, "calendar months past a deadline's month", compute=Facts._months_late),
    Fact("target_precision", KIND, "how precisely a deadline is written", compute=lambda f: precision(f.row.target),
         kinds=("day", "month", "year", "none")),
    Fact("actual_precision", KIND, "how precisely a completion date is written",
         compute=lambda f: precision(f.row.actual), kinds=("day", "month", "year", "none")),
    Fact("target_text", TEXT, "the target cell as written", compute=lambda f: _written(f.row.target)),
    Fact("actual_text", TEXT, "the actual cell as written", compute=lambda f: _written(f.row.actual)),
    Fact("reported", NUM, "the score the unit gave itself (得分)", field="reported",
         missing="the unit reported no score (得分)"),
    Fact("rate", NUM, "the execution rate spent / budget", needs=("budget", "spent"), formula=rate_of),
    Fact("budget", NUM, "the budget block's 全年预算数 (the budget row's own, or its table's)",
         compute=lambda facts: facts._budget_amount("budget", "全年预算数")),
    Fact("spent", NUM, "the budget block's 全年执行数", compute=lambda facts: facts._budget_amount("spent", "全年执行数")),
    Fact("initial_budget", NUM, "the budget block's 年初预算数", compute=Facts._initial_budget),
    Fact("group_rows", NUM, "the rows of the row's group (goal, 一级指标, 二级指标)",
         compute=lambda facts: facts._group("group_rows", "group_rows")),
    Fact("group_weight", NUM, "the weights of the row's group added up",
         compute=lambda facts: facts._group("group_weight", "group_weight")),
    Fact("level1_rows", NUM, "the rows of the row's level-1 group (goal, 一级指标)",
         compute=lambda facts: facts._group("level1_rows", "level1_rows")),
    Fact("level1_weight", NUM, "the weights of the row's level-1 group added up",
         compute=lambda facts: facts._group("level1_weight", "level1_weight")),
    Fact("table_rows", NUM, "the indicator rows of the table", compute=lambda facts: facts._group("table_rows", "table_rows")),
    Fact("year", NUM, "the table's fiscal year", compute=Facts._year),
    Fact("level1", TEXT, "the first-level indicator (一级指标)", field="level1"),
    Fact("level2", TEXT, "the second-level indicator (二级指标)", field="level2"),
    Fact("name", TEXT, "the indicator's name (三级指标)", field="name"),
    Fact("note", TEXT, "the note (偏差原因 / 备注)", field="note"),
    Fact("goal", TEXT, "the goal the row belongs to", field="goal"),
    Fact("direction", KIND, "which way is better, from the target", compute=Facts._direction,
         kinds=("higher", "lower", "exact", "band", "none")),
    Fact("row", KIND, "the kind of row", field="kind", kinds=("indicator", "budget_execution")),
    Fact("unit", KIND, "the kind of unit the row is measured in", compute=Facts._unit,
         kinds=("money", "ratio", "duration", "workdays", "length", "area", "volume", "mass", "data",
                "count", "number", "other", "none")),
)

#: What checks and expectations read beside the row: the score.
SCORE_FACT = Fact("score", NUM, "the row's computed score", compute=Facts._score)

_EVERY_FACT = {**ROW_FACTS, "score": SCORE_FACT}

#: Every fact's type, for the type checker.
FACT_TYPES: dict[str, str] = {name: fact.type for name, fact in ROW_FACTS.items()}
#: What each kind subject can be tested for with ``is``.
KIND_WORDS: dict[str, tuple[str, ...]] = {name: fact.kinds for name, fact in ROW_FACTS.items() if fact.kinds}


#: The budget block's values a sheet rule and a sheet check read.
SHEET_BUDGET_FACTS = ("budget", "spent", "rate", "initial_budget")


class SheetFacts:
    """What a sheet rule, sheet check or grade sees: the rows' facts (with
    their scores), ``weight`` and ``total``, and the budget block's
    amounts (:data:`SHEET_BUDGET_FACTS`) through ``budget``, the budget
    row's facts (None: the table has none)."""

    def __init__(self, rows: list[Facts], weight: Decimal, total: Decimal | None,
                 budget: Facts | None = None) -> None:
        self.rows = rows
        self._values = {"weight": weight, "total": total}
        self._budget = budget
        self.notes: list[tuple[str, str]] = []

    def budget_number(self, column: str) -> Decimal:
        if self._budget is None:
            raise Unavailable(f"the table has no budget block ('{column}')")
        return self._budget.budget_number(column)

    def get(self, name: str):
        if name in SHEET_BUDGET_FACTS:
            if self._budget is None:
                raise Unavailable(f"the table has no budget block ({name})")
            return self._budget.get(name)
        value = self._values[name]
        if value is None:
            raise Unavailable(f"the sheet has no {name}")
        return value
