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

import re
from typing import Iterable

import attrs

from ..records import Sheet
from ..readers.grid import TEXT, Grid
from .columns import read_form
from .extras import split_extras, with_extras
from .fold import clean, key
from .stream import read_stream

__all__ = ["recognize"]


def _quality(sheets: list[Sheet]) -> float:
    clean = 0
    for sheet in sheets:
        weighed = any(r.weight is not None for r in sheet.rows)
        clean += sum(1 for r in sheet.rows if r.problem is None and r.name
                     and (r.weight is not None or not weighed and r.target.text))
    budgets = sum(1 for s in sheets if s.budget is not None and s.budget.problem is None)
    unread = sum(len(s.unread) for s in sheets)
    return clean + 0.5 * budgets - 0.5 * unread


def _clean(sheet: Sheet) -> bool:
    return bool(sheet.rows) and not sheet.unread and all(r.problem is None for r in sheet.rows)


_YEAR = re.compile(r"((?:19|20)\d\d)\s*年度?")


def _with_context(sheet: Sheet, grid: Grid, fiscal_year: int | None) -> Sheet:
    """What the text around a table says that the table does not: a web
    page's or a document's title, the year in it, the kind of table."""
    if not grid.context:
        return sheet
    changes: dict = {}
    titles = [clean(t) for t in grid.context if "自评" in key(t)]
    if not sheet.title and titles:
        changes["title"] = titles[0]
    if sheet.fiscal_year is None and fiscal_year is None:
        for text in [key(t) for t in titles + list(grid.context)]:
            found = _YEAR.search(text)
            if found:
                changes["fiscal_year"] = int(found.group(1))
                break
    if sheet.kind is None:
        words = " ".join([changes.get("title", sheet.title)] + titles)
        kind = "整体" if "整体" in words else "项目" if "项目" in words else None
        if kind:
            changes["kind"] = kind
    if not changes:
        return sheet
    if "fiscal_year" in changes:
        year = changes["fiscal_year"]
        changes["rows"] = [attrs.evolve(r, fiscal_year=year) for r in sheet.rows]
        if sheet.budget is not None:
            changes["budget"] = attrs.evolve(sheet.budget, fiscal_year=year)
    return attrs.evolve(sheet, **changes)


def recognize(grids: Iterable[Grid], *, fiscal_year: int | None = None) -> list[Sheet]:
    """The sheets in ``grids``, in order; at least one per grid (an empty
    sheet, whose findings say so, where nothing was found)."""
    sheets: list[Sheet] = []
    for grid in grids:
        sheets += [_with_context(sheet, grid, fiscal_year) for sheet in _read(grid, fiscal_year)]
    return sheets


def _read(grid: Grid, fiscal_year: int | None) -> list[Sheet]:
    # Columns the form does not name are read apart, by position, and put
    # back on the rows of their lines: neither reading has to place them.
    grid, extras = split_extras(grid)
    return [with_extras(sheet, extras) for sheet in _read_form(grid, fiscal_year)]


def _read_form(grid: Grid, fiscal_year: int | None) -> list[Sheet]:
    if grid.layout == TEXT:
        return read_stream(grid, fiscal_year=fiscal_year)
    by_columns = [read_form(grid.lines(), source=grid.label, fiscal_year=fiscal_year)]
    if _clean(by_columns[0]):
        return by_columns  # every line placed by its columns: nothing to doubt
    streamed = read_stream(grid, fiscal_year=fiscal_year)
    return by_columns if _quality(by_columns) >= _quality(streamed) else streamed
