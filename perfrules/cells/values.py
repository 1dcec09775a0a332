"""Typed values of target (年度指标值) and actual (实际完成值) cells.

:func:`perfrules.parse_target` and :func:`perfrules.parse_actual` return these.
Each value keeps the cell as written in ``text`` (not part of equality) and
prints back to a canonical text that parses to an equal value:

>>> from perfrules import parse_target
>>> t = parse_target("不低于 95 ％")
>>> t, str(t)
(Comparison(op='ge', quantity=Quantity('95', '%')), '≥95%')
>>> parse_target(str(t)) == t
True
"""

from __future__ import annotations

import calendar
from typing import ClassVar

import attrs

from .quantity import Quantity, format_decimal

__all__ = [
    "OPERATORS",
    "Target",
    "Comparison",
    "BareValue",
    "Range",
    "Deadline",
    "Qualitative",
    "NotApplicable",
    "Actual",
    "ActualQuantity",
    "ActualDate",
    "ActualDone",
    "ActualStatement",
    "ActualEmpty",
]

#: Operator names and the symbol each prints as.
OPERATORS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "eq": "="}


def _written(**kwargs):
    # The cell as written: kept for display, never part of equality.
    return attrs.field(default=None, eq=False, repr=False, kw_only=True, **kwargs)


def _quantity_json(quantity: Quantity) -> dict:
    unit = quantity.unit
    return {
        "value": format_decimal(quantity.value),
        "unit": unit.symbol if unit else None,
        "dimension": unit.dimension if unit else None,
    }


def _op_valid(instance, attribute, value):
    if value not in OPERATORS:
        raise ValueError(f"{attribute.name} must be one of {', '.join(OPERATORS)}, not {value!r}")


class _Value:
    """What targets and actuals share: ``kind``, ``text``, ``to_json``."""

    kind: ClassVar[str]
    text: str | None

    def to_json(self) -> dict:
        """The value as a JSON-ready dict: ``text``, ``kind`` and the
        kind's fields (numbers as decimal strings, to stay exact)."""
        text = self.text if self.text is not None else str(self)
        return {"text": text, "kind": self.kind, **self._fields_json()}

    def _fields_json(self) -> dict:
        return {}


class Target(_Value):
    """Base of the target kinds."""


class Actual(_Value):
    """Base of the actual kinds."""


@attrs.frozen
class Comparison(Target):
    """A quantity with an operator: ``≥10次``, ``不超过5115万元``, ``98%以上``.
    ``op`` is one of ``ge gt le lt eq``, which is also its ``kind``."""

    op: str = attrs.field(validator=_op_valid)
    quantity: Quantity
    text: str | None = _written()

    @property
    def kind(self) -> str:  # type: ignore[override]  # the other kinds are a class constant; a comparison's is its operator
        """The operator: ``ge gt le lt eq``."""
        return self.op

    def __str__(self) -> str:
        return OPERATORS[self.op] + str(self.quantity)

    def _fields_json(self) -> dict:
        return _quantity_json(self.quantity)


@attrs.frozen
class BareValue(Target):
    """A number with no operator (``100%``, ``43.2``): only the indicator
    tells whether more is better, so the ruleset decides."""

    kind: ClassVar[str] = "value"
    quantity: Quantity
    text: str | None = _written()

    def __str__(self) -> str:
        return str(self.quantity)

    def _fields_json(self) -> dict:
        return _quantity_json(self.quantity)


@attrs.frozen
class Range(Target):
    """A band the actual should fall in: ``80%-90%``, ``80%至90%``."""

    kind: ClassVar[str] = "range"
    low: Quantity
    high: Quantity
    text: str | None = _written()

    def __str__(self) -> str:
        return f"{self.low}-{self.high}"

    def _fields_json(self) -> dict:
        unit = self.high.unit or self.low.unit
        data = {
            "low": format_decimal(self.low.value),
            "high": format_decimal(self.high.value),
            "unit": unit.symbol if unit else None,
            "dimension": unit.dimension if unit else None,
        }
        if self.low.unit != self.high.unit and self.low.unit is not None:
            data["low_unit"] = self.low.unit.symbol
        return data


def _date_text(year, month, day) -> str:
    return (
        (f"{year}年" if year is not None else "")
        + (f"{month}月" if month is not None else "")
        + (f"{day}日" if day is not None else "")
    )


def _check_date(value) -> None:
    if value.year is None and value.month is None:
        raise ValueError("a date needs a year or a month")
    if value.day is not None and value.month is None:
        raise ValueError("a date with a day needs a month")
    if value.month is not None and not 1 <= value.month <= 12:
        raise ValueError(f"month {value.month} is not 1-12")
    if value.day is not None and not 1 <= value.day <= calendar.monthrange(value.year or 2000, value.month)[1]:
        raise ValueError(f"{value.month}月 has no day {value.day}")


def _date_json(value) -> dict:
    return {"year": value.year, "month": value.month, "day": value.day}


@attrs.frozen
class Deadline(Target):
    """A date to finish by: ``2024年12月31日前``, ``12月底前``, ``2024年12月``
    (within that month). Parts not written are None; ``end_of_period`` is
    ``底`` (end of the month or year), ``before`` is ``前``."""

    kind: ClassVar[str] = "deadline"
    year: int | None = None
    month: int | None = None
    day: int | None = None
    end_of_period: bool = False
    before: bool = False
    text: str | None = _written()

    def __attrs_post_init__(self) -> None:
        _check_date(self)

    def __str__(self) -> str:
        text = (
            _date_text(self.year, self.month, self.day)
            + ("底" if self.end_of_period else "")
            + ("前" if self.before else "")
        )
        if self.year is None and self.day is None and not (self.end_of_period or self.before):
            return text + "完成"  # 10月 alone would read back as ten months
        return text

    def _fields_json(self) -> dict:
        return _date_json(self)


@attrs.frozen
class Qualitative(Target):
    """A sentence, not a measure: ``促进我市重大疾病防治技术发展``."""

    kind: ClassVar[str] = "qualitative"
    statement: str
    text: str | None = _written()

    def __str__(self) -> str:
        return self.statement


@attrs.frozen
class NotApplicable(Target):
    """No target: ``/``, ``—``, ``不适用`` or an empty cell."""

    kind: ClassVar[str] = "not_applicable"
    text: str | None = _written()

    def __str__(self) -> str:
        return "/"


@attrs.frozen
class ActualQuantity(Actual):
    """A measured amount; ``op`` is set when the cell repeats an operator
    (``≥266米``)."""

    kind: ClassVar[str] = "quantity"
    quantity: Quantity
    op: str | None = attrs.field(default=None, validator=attrs.validators.optional(_op_valid))
    text: str | None = _written()

    def __str__(self) -> str:
        return (OPERATORS[self.op] if self.op else "") + str(self.quantity)

    def _fields_json(self) -> dict:
        return {**_quantity_json(self.quantity), "op": self.op}


@attrs.frozen
class ActualDate(Actual):
    """When the work was finished: ``已于2024年12月31日前完成``, ``2023年10月``."""

    kind: ClassVar[str] = "date"
    year: int | None = None
    month: int | None = None
    day: int | None = None
    text: str | None = _written()

    def __attrs_post_init__(self) -> None:
        _check_date(self)

    def __str__(self) -> str:
        # 12月 alone would read back as twelve months: say 12月底.
        end = "底" if self.year is None and self.day is None else ""
        return _date_text(self.year, self.month, self.day) + end

    def _fields_json(self) -> dict:
        return _date_json(self)


@attrs.frozen
class ActualDone(Actual):
    """The work is reported done: ``已完成``, ``按时完成``, ``达成预期指标``."""

    kind: ClassVar[str] = "done"
    text: str | None = _written()

    def __str__(self) -> str:
        return "已完成"


@attrs.frozen
class ActualStatement(Actual):
    """A sentence describing the outcome: ``基本达到``, ``全部达到预期指标``."""

    kind: ClassVar[str] = "qualitative"
    statement: str
    text: str | None = _written()

    def __str__(self) -> str:
        return self.statement


@attrs.frozen
class ActualEmpty(Actual):
    """Nothing reported: an empty cell, ``/`` or ``—``."""

    kind: ClassVar[str] = "empty"
    text: str | None = _written()

    def __str__(self) -> str:
        return ""
