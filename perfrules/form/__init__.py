"""The form recognizer: grids → sheets.

It knows the self-evaluation form (the national templates' blocks, header
synonyms, level words, totals) and nothing of file formats: every reader
hands it :class:`~perfrules.readers.grid.Grid` values.

Two readings serve different layouts.  Where a file gives cells that keep
the header's columns (a spreadsheet, CSV, perfrules' own exports, tab-
separated text), :mod:`.columns` reads each line by its columns.  Where
the layout is lost (text copied from a web page or a PDF, merged cells
flattened, cells run together), :mod:`.stream` reads the cells as one
stream by content.  A cell grid is read both ways and the reading that
places more rows cleanly is kept.
"""

from __future__ import annotations

from typing import Iterable

from ..records import Sheet
from ..readers.grid import TEXT, Grid
from .columns import read_form
from .stream import read_stream

__all__ = ["recognize"]


def _quality(sheets: list[Sheet]) -> float:
    rows = [r for s in sheets for r in s.rows]
    clean = sum(1 for r in rows if r.problem is None and (r.weight is not None or r.target.text))
    budgets = sum(1 for s in sheets if s.budget is not None and s.budget.problem is None)
    unread = sum(len(s.unread) for s in sheets)
    return clean + 0.5 * budgets - 0.05 * unread


def _clean(sheet: Sheet) -> bool:
    return bool(sheet.rows) and not sheet.unread and all(r.problem is None for r in sheet.rows)


def recognize(grids: Iterable[Grid], *, fiscal_year: int | None = None) -> list[Sheet]:
    """The sheets in ``grids``, in order; at least one per grid (an empty
    sheet, whose findings say so, where nothing was found)."""
    sheets: list[Sheet] = []
    for grid in grids:
        if grid.layout == TEXT:
            sheets += read_stream(grid, fiscal_year=fiscal_year)
            continue
        by_columns = [read_form(grid.lines(), source=grid.label, fiscal_year=fiscal_year)]
        if _clean(by_columns[0]):
            sheets += by_columns  # every line placed by its columns: nothing to doubt
            continue
        streamed = read_stream(grid, fiscal_year=fiscal_year)
        sheets += by_columns if _quality(by_columns) >= _quality(streamed) else streamed
    return sheets
