"""The built-in functions of the scoring language, defined once.

:data:`BUILTINS` maps each name to a :class:`Builtin`: how many arguments
it takes, the type it gives, the range-aware function (arguments may be
discretionary ranges ``a .. b default d``) and its plain fast form (for
arguments that are numbers).  The type checker reads the arity and the
type, the traced evaluator calls ``ranged``, the code generator calls
``plain`` where no argument can be a range and ``ranged`` where one can.
Adding a built-in is one entry here and its line in ``docs/rules.md``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

import attrs

from .facts import Facts
from .primitives import count_items, floor_to, number_in
from .runtime import Discretionary, Unavailable, absolute, clamp, maximum, minimum, round_to, show

__all__ = ["Builtin", "BUILTINS", "NUMBERS", "TEXT_RESULT", "NUMBER_RESULT", "OF_TEXT"]

#: Result types: a number, or a range when an argument is one (``NUMBERS``);
#: always a text or always a number (for a column read by its header);
#: a number read from text arguments (``OF_TEXT``: ``items(actual_text)``).
NUMBERS, TEXT_RESULT, NUMBER_RESULT, OF_TEXT = "numbers", "text", "number", "of text"
_ONE = Decimal(1)


@attrs.frozen
class Builtin:
    """One built-in function.

    ``low``/``high``: how many arguments (``high`` None: any number from
    ``low``).  ``result``: :data:`NUMBERS` (the arguments are numbers or
    ranges, and so is the result), :data:`TEXT_RESULT` or
    :data:`NUMBER_RESULT`.  ``ranged``: the function, taking numbers or
    :class:`~perfrules.results.Discretionary` ranges.  ``plain``: the same
    for numbers only, faster (None: ``ranged`` serves).  ``column``: the
    one argument is a column's header in quotes, and the function takes the
    row's :class:`~.facts.Facts` first."""

    name: str
    low: int
    high: int | None
    result: str
    ranged: Callable
    doc: str
    plain: Callable | None = None
    column: bool = False
    #: A column function that reads the budget block, not the row: it
    #: works in sheet rules and sheet checks too.
    budget: bool = False
    #: The same over whole columns (:mod:`perfrules.columnar`): a function
    #: of its :class:`~perfrules.columnar.Ops` and the argument columns;
    #: None: rows that need it take the row path.
    columnar: Callable | None = None

    @property
    def fast(self) -> Callable:
        """The function for arguments that are plain numbers."""
        return self.plain if self.plain is not None else self.ranged


def _stepped(name: str, mode: str) -> Callable:
    """``name(x)`` / ``name(x, step)``: ``x`` to a multiple of ``step`` (1
    by default) in rounding ``mode``; a range has each end and its default
    moved the same way (each of these roundings keeps order)."""

    def function(value, step=_ONE):
        if isinstance(step, Discretionary) or step <= 0:
            raise Unavailable(f"{name}() needs a step above zero, not {show(step)}")
        if isinstance(value, Discretionary):
            return Discretionary(*(round_to(v, step, mode) for v in (value.low, value.high, value.default)))
        return round_to(value, step, mode)

    function.__name__ = name
    return function


def _budget_number(facts, column: str) -> Decimal:
    # A row's facts or a sheet's: each finds the budget block its own way.
    return facts.budget_number(column)


def _plain_clamp(value, low, high):
    return min(max(value, low), high)


# Columnar forms.  Python's min and max keep the first of equal values,
# and so do these: a later argument replaces the one kept only when strictly
# less (greater).
def _columnar_min(ops, first, *rest):
    for value in rest:
        first = ops.select(ops.lt(value, first), value, first)
    return first


def _columnar_max(ops, first, *rest):
    for value in rest:
        first = ops.select(ops.gt(value, first), value, first)
    return first


def _columnar_clamp(ops, value, low, high):
    return _columnar_min(ops, _columnar_max(ops, value, low), high)


def _columnar_abs(ops, value):
    return ops.abs(value)


def _table(*builtins: Builtin) -> dict[str, Builtin]:
    return {builtin.name: builtin for builtin in builtins}


#: Every built-in function of the language, by name.
BUILTINS: dict[str, Builtin] = _table(
    Builtin("min", 2, None, NUMBERS, minimum, "the least of its arguments", plain=min,
            columnar=_columnar_min),
    Builtin("max", 2, None, NUMBERS, maximum, "the greatest of its arguments", plain=max,
            columnar=_columnar_max),
    Builtin("clamp", 3, 3, NUMBERS, clamp, "clamp(x, low, high): x kept between low and high",
            plain=_plain_clamp, columnar=_columnar_clamp),
    Builtin("abs", 1, 1, NUMBERS, absolute, "the absolute value", plain=abs, columnar=_columnar_abs),
    Builtin("round", 1, 2, NUMBERS, _stepped("round", "half-up"),
            "round(x) / round(x, step): half-up to a multiple of step (1 by default)"),
    Builtin("trunc", 1, 2, NUMBERS, _stepped("trunc", "down"),
            "trunc(x) / trunc(x, step): cut toward zero to a multiple of step (1 by default)"),
    Builtin("floor", 1, 2, NUMBERS, floor_to,
            "floor(x) / floor(x, step): down to a multiple of step (1 by default), as counties truncate to 0.1"),
    Builtin("items", 1, 1, OF_TEXT, count_items,
            "items(text): how many items a list written as text holds (、，； or numbered 1. (2) ③)"),
    Builtin("number_in", 1, 1, OF_TEXT, number_in,
            "number_in(text): the first number written in a sentence (95% is 0.95)"),
    Builtin("cell", 1, 1, TEXT_RESULT, Facts.cell, 'cell("调剂额"): the text of a column, by its header',
            column=True),
    Builtin("number", 1, 1, NUMBER_RESULT, Facts.number,
            'number("调剂额"): a column\'s number (5% is 0.05), by its header', column=True),
    Builtin("budget_number", 1, 1, NUMBER_RESULT, _budget_number,
            'budget_number("当年财政拨款/全年执行数"): a number of the budget block, by its header',
            column=True, budget=True),
)
