"""The form recognizer: grids → sheets.

It knows the self-evaluation form (the national templates' blocks, header
synonyms, level words, totals) and nothing of file formats: every reader
hands it :class:`~perfrules.readers.grid.Grid` values.  Text that no
format split into cells is segmented first (:mod:`.segment`).
"""

from __future__ import annotations

from typing import Iterable

from ..records import Sheet
from ..readers.grid import TEXT, Grid
from .columns import read_form

__all__ = ["recognize"]


def recognize(grids: Iterable[Grid], *, fiscal_year: int | None = None) -> list[Sheet]:
    """The sheets in ``grids``, in order; at least one (an empty sheet,
    whose findings say so, where nothing was found)."""
    sheets: list[Sheet] = []
    for grid in grids:
        sheets.append(read_form(grid.lines(), source=grid.label, fiscal_year=fiscal_year))
    return sheets
