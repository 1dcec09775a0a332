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
from .runtime import Discretionary, Unavailable, absolute, clamp, maximum, minimum, round_to, show

__all__ = ["Builtin", "BUILTINS", "NUMBERS", "TEXT_RESULT", "NUMBER_RESULT"]

#: Result types: a number, or a range when an argument is one (``NUMBERS``);
#: always a text or always a number (for a column read by its header).
NUMBERS, TEXT_RESULT, NUMBER_RESULT = "numbers", "text", "number"
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


def _plain_clamp(value, low, high):
    return min(max(value, low), high)


def _table(*builtins: Builtin) -> dict[str, Builtin]:
    return {builtin.name: builtin for builtin in builtins}


#: Every built-in function of the language, by name.
BUILTINS: dict[str, Builtin] = _table(
    Builtin("min", 2, None, NUMBERS, minimum, "the least of its arguments", plain=min),
    Builtin("max", 2, None, NUMBERS, maximum, "the greatest of its arguments", plain=max),
    Builtin("clamp", 3, 3, NUMBERS, clamp, "clamp(x, low, high): x kept between low and high",
            plain=_plain_clamp),
    Builtin("abs", 1, 1, NUMBERS, absolute, "the absolute value", plain=abs),
    Builtin("round", 1, 2, NUMBERS, _stepped("round", "half-up"),
            "round(x) / round(x, step): half-up to a multiple of step (1 by default)"),
    Builtin("trunc", 1, 2, NUMBERS, _stepped("trunc", "down"),
            "trunc(x) / trunc(x, step): cut toward zero to a multiple of step (1 by default)"),
    Builtin("cell", 1, 1, TEXT_RESULT, Facts.cell, 'cell("调剂额"): the text of a column, by its header',
            column=True),
    Builtin("number", 1, 1, NUMBER_RESULT, Facts.number,
            'number("调剂额"): a column\'s number (5% is 0.05), by its header', column=True),
)
