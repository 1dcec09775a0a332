"""Typed converters for attrs fields that hold tuples.

``attrs.field(converter=tuple)`` works, but a type checker reads the
field's ``__init__`` argument from ``tuple``'s constructor and loses the
element type; a converter per element type keeps it.
"""

from __future__ import annotations

from typing import Iterable


def strings(items: Iterable[str]) -> tuple[str, ...]:
    """The texts as a tuple."""
    return tuple(items)


def ints(items: Iterable[int]) -> tuple[int, ...]:
    """The numbers as a tuple."""
    return tuple(items)
