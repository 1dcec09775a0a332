"""Indicator rows, as a ruleset sees them.

A :class:`Row` holds a table row's cells as written and their parsed
values.  ``Row.of`` builds one from cell texts:

>>> row = Row.of(target="≥300项", actual="498项", weight="1", reported="0.5", name="应用基础研究立项项目数")
>>> row.target.kind, row.actual.quantity.value, row.weight
('ge', Decimal('498'), Decimal('1'))
"""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, Final, Iterable, Literal, Mapping, get_args

import attrs

from ._convert import strings
from .errors import PerfrulesError
from .cells.quantity import Quantity, Unit, unit as _unit
from .cells.targets import parse_actual, parse_target
from .cells.values import OPERATORS, Actual, ActualEmpty, ActualQuantity, BareValue, Comparison, NotApplicable, Target

__all__ = ["Row", "RowKind", "Sheet", "Goal", "parse_amount", "FORM_HEADERS"]

#: The form's column headers that :meth:`Row.of` takes as names of its
#: arguments, and the argument each stands for.
FORM_HEADERS = MappingProxyType({
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "年度指标值": "target",
    "实际完成值": "actual",
    "分值": "weight",
    "得分": "reported",
    "偏差原因分析及改进措施": "note",
})

#: What a row of the form is: an indicator (绩效指标) or the budget-execution
#: row (预算执行率).
RowKind = Literal["indicator", "budget_execution"]
INDICATOR: Final = "indicator"
BUDGET_EXECUTION: Final = "budget_execution"
ROW_KINDS: tuple[str, ...] = get_args(RowKind)
#: Why an indicator row with every scoring cell empty is ``unscorable``.
BLANK_ROW = "the row has no target, actual, weight or score"


def parse_amount(text: str | Decimal | int | None) -> Decimal | None:
    """A weight, score or money amount cell as a Decimal; None when empty.

    >>> parse_amount("1,234.5"), parse_amount(" "), parse_amount(2)
    (Decimal('1234.5'), None, Decimal('2'))
    """
    if text is None:
        return None
    if isinstance(text, Decimal):
        return text
    if isinstance(text, int):
        return Decimal(text)
    return _amount(str(text))


@functools.lru_cache(maxsize=4096)
def _amount(text: str) -> Decimal | None:
    # Weights and scores repeat (1, 2, 10 …): each is read once.
    cleaned = text.strip().replace(",", "").replace("，", "")
    if cleaned in ("", "/", "-", "—", "——"):
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise PerfrulesError(f"'{text}' is not a number") from None
    if not value.is_finite():
        raise PerfrulesError(f"'{text}' is not a number")
    return value


def _merge_problems(found: list[str], given: str | None) -> str | None:
    """The problems read now and the one a file carried (an export writes
    why a row could not be read): each said once."""
    if given and all(problem in given for problem in found):
        return given
    return "; ".join(found + ([given] if given else [])) or None


def _number(value, what: str) -> Decimal:
    """A number a caller holds, as the Decimal it means: a float as the
    decimal it prints as (0.1 is 0.1, not 0.1000000000000000055…)."""
    kind = type(value)
    if kind is Decimal:
        number = value
    elif kind is int:
        return Decimal(value)
    elif kind is float:
        number = Decimal(repr(value))
    elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(float(value)))
    else:
        raise TypeError(f"{what} must be a number (Decimal, int or float), not {type(value).__name__}")
    if not number.is_finite():
        raise PerfrulesError(f"{what} must be a finite number, not {value!r}")
    return number


def _unit_of(value) -> Unit | None:
    return value if value is None or isinstance(value, Unit) else _unit(value)


def _target_of(value, op: str | None, unit) -> Target:
    if isinstance(value, str):
        return parse_target(value)
    if isinstance(value, Target):
        return value
    if value is None:
        return NotApplicable()
    quantity = Quantity(_number(value, "a target"), unit)
    return BareValue(quantity) if op is None else Comparison(op, quantity)


def _actual_of(value, unit) -> Actual:
    if isinstance(value, str):
        return parse_actual(value)
    if isinstance(value, Actual):
        return value
    if value is None:
        return ActualEmpty()
    return ActualQuantity(Quantity(_number(value, "an actual"), unit))


def _amount_of(value, what: str) -> Decimal | None:
    if value is None:
        return value
    if isinstance(value, str):
        return parse_amount(value)
    return _number(value, what)


_NO_COLUMNS: Mapping[str, str] = MappingProxyType({})


def _frozen_mapping(value: Mapping[str, str] | None) -> Mapping[str, str]:
    if not value:
        return _NO_COLUMNS
    return MappingProxyType(dict(value))


@attrs.frozen
class Row:
    """One row of a self-evaluation table.

    ``kind`` is ``indicator`` or ``budget_execution`` (the 预算执行情况
    block, whose ``budget`` is 全年预算数 and ``spent`` 全年执行数).
    ``columns`` holds any other cells by their column header.
    """

    target: Target = attrs.field(factory=NotApplicable)
    actual: Actual = attrs.field(factory=ActualEmpty)
    weight: Decimal | None = attrs.field(default=None, converter=parse_amount)
    reported: Decimal | None = attrs.field(default=None, converter=parse_amount)
    name: str = ""
    level1: str = ""
    level2: str = ""
    goal: str = ""
    note: str = ""
    kind: RowKind = attrs.field(default=INDICATOR, validator=attrs.validators.in_(ROW_KINDS))
    budget: Decimal | None = attrs.field(default=None, converter=parse_amount)
    spent: Decimal | None = attrs.field(default=None, converter=parse_amount)
    fiscal_year: int | None = None
    columns: Mapping[str, str] = attrs.field(default=_NO_COLUMNS, converter=_frozen_mapping, eq=False, hash=False)
    #: Where the row was read from (``file:line`` or ``file!sheet:row``).
    position: str | None = None
    #: Why the row cannot be scored as read (a cell that did not parse …);
    #: such a row is kept and comes out ``unscorable`` with this reason.
    problem: str | None = None

    @property
    def blank(self) -> bool:
        """An indicator row whose target, actual, weight and score cells are
        all empty: there is nothing to score, and it is not a ``/`` row."""
        return (
            self.kind == INDICATOR
            and isinstance(self.target, NotApplicable)
            and not self.target.text
            and isinstance(self.actual, ActualEmpty)
            and not self.actual.text
            and self.weight is None
            and self.reported is None
        )

    def __getstate__(self):  # MappingProxyType does not pickle
        state = {field.name: getattr(self, field.name) for field in attrs.fields(Row)}
        state["columns"] = dict(self.columns)
        return state

    def __setstate__(self, state):
        for key, value in state.items():
            object.__setattr__(self, key, _frozen_mapping(value) if key == "columns" else value)

    @classmethod
    def of(
        cls,
        *,
        target: str = "",
        actual: str = "",
        weight: str | Decimal | int | None = None,
        reported: str | Decimal | int | None = None,
        **cells,
    ) -> "Row":
        """A row from cell texts: the target and actual are parsed, the
        weight and reported score read as decimals.  Raises a
        :class:`~perfrules.errors.PerfrulesError` for a cell that does not
        read; :meth:`read` keeps such a row instead.

        The form's own headers may name the cells (``FORM_HEADERS``):

        >>> row = Row.of(三级指标="培训次数", 年度指标值="≥10次", 实际完成值="12次", 分值="5", 得分="5")
        >>> row.name, row.target.kind, row.weight
        ('培训次数', 'ge', Decimal('5'))
        """
        if cells and not FORM_HEADERS.keys().isdisjoint(cells):
            named: dict[str, Any] = {"target": target, "actual": actual, "weight": weight, "reported": reported}
            for header in [h for h in cells if h in FORM_HEADERS]:
                field = FORM_HEADERS[header]
                if named.get(field) not in (None, "") or field in cells:
                    raise TypeError(f"Row.of() got the {field} twice: as {field} and as {header}")
                (named if field in named else cells)[field] = cells.pop(header)
            target, actual, weight, reported = named.values()
        # The weight and score go through the fields' converter, parse_amount;
        # the first four fields are target, actual, weight, reported.
        if cells:
            return cls(parse_target(target), parse_actual(actual), weight, reported, **cells)
        return cls(parse_target(target), parse_actual(actual), weight, reported)

    @classmethod
    def from_values(
        cls,
        target=None,
        actual=None,
        weight=None,
        reported=None,
        *,
        op: str | None = "ge",
        unit: str | Unit | None = None,
        actual_unit: str | Unit | None = None,
        **cells,
    ) -> "Row":
        """A row from the numbers a caller holds, with no cell text to read.

        ``target`` and ``actual`` are numbers (Decimal, int or float; a
        float is the decimal it prints as), or cell texts (read like
        :meth:`of`), or values already built; ``op`` is the target's
        operator (``ge gt le lt eq``; None: a bare value whose direction the
        ruleset decides) and ``unit`` its unit, which the actual shares
        unless ``actual_unit`` says otherwise.  ``weight`` and ``reported``
        are numbers or texts.  Other cells (``name``, ``level1`` …) are
        passed on.

        >>> row = Row.from_values(12.5, 13, 2, op="le", unit="万元")
        >>> str(row.target), str(row.actual), row.weight
        ('≤12.5万元', '13万元', Decimal('2'))
        >>> Row.from_values(10, 12, 1) == Row.of(target="≥10", actual="12", weight="1")
        True
        """
        if op is not None and op not in OPERATORS:
            raise ValueError(f"op must be one of {', '.join(OPERATORS)} or None, not {op!r}")
        unit = _unit_of(unit)
        actual_unit = unit if actual_unit is None else _unit_of(actual_unit)
        built = cls(_target_of(target, op, unit), _actual_of(actual, actual_unit),
                    _amount_of(weight, "the weight"), _amount_of(reported, "the reported score"), **cells)
        return built

    @classmethod
    def from_mapping(cls, values: Mapping) -> "Row":
        """A row from a mapping of :meth:`from_values`' arguments (a record
        of a data frame, a JSON object):

        >>> Row.from_mapping({"target": 95, "actual": 97.5, "weight": 2, "unit": "%"}).target
        Comparison(op='ge', quantity=Quantity('95', '%'))
        """
        if not isinstance(values, Mapping):
            raise TypeError(f"expected a mapping of a row's values, not {type(values).__name__}")
        return cls.from_values(**values)

    @classmethod
    def read(
        cls,
        *,
        target: str = "",
        actual: str = "",
        weight: str | None = None,
        reported: str | None = None,
        **cells,
    ) -> "Row":
        """Like :meth:`of`, but a cell that does not read makes the row's
        ``problem`` instead of an error: nothing a table holds is lost."""
        problems = []
        given = cells.pop("problem", None)

        def attempt(function, text, label, fallback):
            try:
                return function(text)
            except PerfrulesError as error:
                problems.append(f"{label} '{text}': {error.message}")
                return fallback

        return cls(
            target=attempt(parse_target, target, "target", NotApplicable(text=target)),
            actual=attempt(parse_actual, actual, "actual", ActualEmpty(text=actual)),
            weight=attempt(parse_amount, weight, "weight", None),
            reported=attempt(parse_amount, reported, "score", None),
            problem=_merge_problems(problems, given),
            **cells,
        )

    @classmethod
    def budget_execution(
        cls,
        *,
        budget: str | Decimal | None,
        spent: str | Decimal | None,
        weight: str | Decimal | int | None = 10,
        reported: str | Decimal | None = None,
        **cells,
    ) -> "Row":
        """The budget-execution row: 全年预算数 ``budget``, 全年执行数 ``spent``."""
        return cls(
            kind=BUDGET_EXECUTION,
            budget=parse_amount(budget),
            spent=parse_amount(spent),
            weight=parse_amount(weight),
            reported=parse_amount(reported),
            name=cells.pop("name", "预算执行率"),
            **cells,
        )


@attrs.frozen
class Goal:
    """A line of the 年度绩效目标完成情况 block: the goal and what was done."""

    number: str
    text: str
    outcome: str = ""


def _rows(rows: Iterable[Row]) -> tuple[Row, ...]:
    return tuple(rows)


def _goals(goals: Iterable[Goal]) -> tuple[Goal, ...]:
    return tuple(goals)


@attrs.frozen
class Sheet:
    """A whole self-evaluation table, as read.

    ``budget`` is the budget-execution row (or None when the table has no
    such block); ``rows`` are the indicator rows in table order.  The
    unit's own total and grade are kept as ``reported_total`` and
    ``reported_grade``.
    """

    rows: tuple[Row, ...] = attrs.field(converter=_rows)
    budget: Row | None = None
    title: str = ""
    organisation: str = ""
    fiscal_year: int | None = None
    kind: str | None = None  # 整体 (department) or 项目 (project)
    source: str | None = None
    goals: tuple[Goal, ...] = attrs.field(default=(), converter=_goals)
    reported_total: Decimal | None = attrs.field(default=None, converter=parse_amount)
    reported_grade: str | None = None
    conclusion: str = ""
    #: Lines of the file that were not part of any block, kept for the record.
    unread: tuple[str, ...] = attrs.field(default=(), converter=strings)
    #: What the reader doubts about the table as a whole (a column the form
    #: asks for is missing, the text ends mid-row, names were paired with
    #: values by their order): each becomes an audit finding.
    read_notes: tuple[str, ...] = attrs.field(default=(), converter=strings)
    #: The line read as the table's total (``position: text``), so that what
    #: was taken for a total, and not for a row, is in the output.
    total_line: str | None = None
