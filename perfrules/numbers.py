"""How perfrules writes numbers and measures text: one formatter, one
display width, used by every renderer, trace and message."""

from __future__ import annotations

import functools
import unicodedata
from decimal import Decimal
from typing import overload

__all__ = ["format_decimal", "format_optional", "format_cell", "format_short", "display_width", "exponent"]


def exponent(value: Decimal) -> int:
    """The exponent of a finite decimal (``Decimal.as_tuple`` types it
    ``int | str`` for the sake of NaN and infinity).

    >>> exponent(Decimal("0.01")), exponent(Decimal("1E+3"))
    (-2, 3)
    """
    power = value.as_tuple().exponent
    assert isinstance(power, int), f"{value} is not finite"
    return power


def format_decimal(value: Decimal) -> str:
    """A decimal as plain digits, never in exponent form (and never ``-0``).

    >>> format_decimal(Decimal("1E+3")), format_decimal(Decimal("19574.")), format_decimal(Decimal("-0.00"))
    ('1000', '19574', '0.00')
    """
    return format(abs(value) if value.is_zero() else value, "f")


@overload
def format_optional(value: Decimal | None, empty: str) -> str: ...


@overload
def format_optional(value: Decimal | None, empty: None = None) -> str | None: ...


def format_optional(value: Decimal | None, empty: str | None = None) -> str | None:
    """:func:`format_decimal`, or ``empty`` for no value.

    >>> format_optional(Decimal("9.65")), format_optional(None, "")
    ('9.65', '')
    """
    return empty if value is None else format_decimal(value)


def format_cell(value: Decimal | None) -> str:
    """:func:`format_decimal` for a table's cell: empty for no value.

    >>> format_cell(Decimal("95.36")), format_cell(None)
    ('95.36', '')
    """
    return "" if value is None else format_decimal(value)


def format_short(value: Decimal) -> str:
    """A decimal without the zeros after its last digit, as a trace or a
    message writes it.

    >>> format_short(Decimal("2.50")), format_short(Decimal("1E+2")), format_short(Decimal("-0.0"))
    ('2.5', '100', '0')
    """
    text = format_decimal(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


@functools.lru_cache(maxsize=65_536)
def display_width(text: str) -> int:
    """Columns a terminal gives ``text``: CJK and full-width characters take
    two, so that a caret or a column lines up under Chinese text.  Counted
    once a text (tables repeat their cells), an ASCII text by its length.

    >>> display_width("得分 score")
    10
    """
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
