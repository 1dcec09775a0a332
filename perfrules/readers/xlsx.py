"""Excel workbooks (.xlsx), read with openpyxl.

Every worksheet with cells is a grid named by the worksheet.  A cell's
text is what Excel shows: its number format decides it (``95%``,
``2024-12-31`` or ``2024年12月31日``, ``1,234.50``; see :mod:`._numfmt`);
a formula gives the value Excel saved with it.  A merged cell keeps its
span; the recognizer sees its text in every place it covers, as a person
reading the form does.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import PerfrulesError
from ._numfmt import shown
from .grid import Cell, Grid, column_letter

__all__ = ["xlsx_grids"]


def _formulas_without_values(data: bytes, book) -> dict[str, list[str]]:
    """Per worksheet, the cells holding a formula whose value was never
    saved (a workbook written by a program, not by Excel): they read
    empty, and the sheet says so."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
        if not any(b"<f>" in xml or b"<f " in xml or b"<x:f" in xml for xml in sheets):
            return {}
    import openpyxl

    formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    missing: dict[str, list[str]] = {}
    for sheet in formulas.worksheets:
        values = book[sheet.title]
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and values.cell(cell.row, cell.column).value is None:
                    missing.setdefault(sheet.title, []).append(cell.coordinate)
    return missing


def xlsx_grids(data: bytes, name: str) -> list[Grid]:
    """A grid for each worksheet of the workbook that has cells, named by
    the worksheet, in the workbook's order."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        missing = _formulas_without_values(data, book)
    except Exception as error:  # openpyxl and zipfile raise many kinds for a bad file
        raise PerfrulesError(f"not a readable .xlsx workbook: {error}", path=name) from None
    grids = []
    for sheet in book.worksheets:
        grid = _sheet_grid(sheet, name, missing.get(sheet.title, ()))
        if grid is not None:
            grids.append(grid)
    return grids


def _sheet_grid(sheet, name: str, missing) -> Grid | None:
    if not hasattr(sheet, "iter_rows"):  # a chart sheet
        return None
    ranges = getattr(sheet, "merged_cells", None)
    ranges = list(ranges.ranges) if ranges is not None else []
    spans = {(m.min_row, m.min_col): (m.max_row - m.min_row + 1, m.max_col - m.min_col + 1) for m in ranges}
    covered = {(r, c) for m in ranges
               for r in range(m.min_row, m.max_row + 1) for c in range(m.min_col, m.max_col + 1)
               if (r, c) != (m.min_row, m.min_col)}
    cells = []
    for row in sheet.iter_rows():
        for cell in row:
            if (cell.row, cell.column) in covered:
                continue
            text = shown(cell.value, cell.number_format)
            if not text.strip() and (cell.row, cell.column) not in spans:
                continue
            rowspan, colspan = spans.get((cell.row, cell.column), (1, 1))
            cells.append(Cell(text, cell.row - 1, cell.column - 1, rowspan, colspan,
                              f"{name}!{sheet.title}!{column_letter(cell.column - 1)}{cell.row}"))
    if not cells:
        return None
    height = max(c.row + c.rowspan for c in cells)
    positions = [f"{name}!{sheet.title}:{number}" for number in range(1, height + 1)]
    notes = []
    if missing:
        shown_cells = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        notes.append(f"worksheet {sheet.title}: the formula cells {shown_cells} have no saved value "
                     f"(open and save the workbook in Excel to compute them); they read empty")
    return Grid(cells, source=name, name=sheet.title, line_positions=positions, notes=notes)
