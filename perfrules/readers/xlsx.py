"""Excel workbooks (.xlsx), read with openpyxl.  Merged cells keep their
span; the recognizer sees a merged cell's text in every place it covers,
as a person reading the form does."""

from __future__ import annotations

import io
from decimal import Decimal

from ..errors import PerfrulesError
from .grid import Cell, Grid, column_letter

__all__ = ["xlsx_grids"]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # openpyxl gives binary floats; Decimal(str()) keeps what Excel shows.
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def xlsx_grids(data: bytes, name: str) -> list[Grid]:
    """The grid of the workbook's first sheet."""
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise PerfrulesError("reading .xlsx needs openpyxl (pip install openpyxl)", path=name) from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise PerfrulesError(f"not a readable .xlsx workbook: {error}", path=name) from None
    sheet = book.worksheets[0]
    spans = {(m.min_row, m.min_col): (m.max_row - m.min_row + 1, m.max_col - m.min_col + 1)
             for m in sheet.merged_cells.ranges}
    covered = {(r, c) for m in sheet.merged_cells.ranges
               for r in range(m.min_row, m.max_row + 1) for c in range(m.min_col, m.max_col + 1)
               if (r, c) != (m.min_row, m.min_col)}
    cells = []
    for row in sheet.iter_rows():
        for cell in row:
            if (cell.row, cell.column) in covered:
                continue
            rowspan, colspan = spans.get((cell.row, cell.column), (1, 1))
            cells.append(Cell(_text(cell.value), cell.row - 1, cell.column - 1, rowspan, colspan,
                              f"{name}!{sheet.title}!{column_letter(cell.column - 1)}{cell.row}"))
    positions = [f"{name}!{sheet.title}:{number}" for number in range(1, sheet.max_row + 1)]
    return [Grid(cells, source=name, line_positions=positions)]
