"""Excel workbooks (.xlsx), read with openpyxl.  A merged cell's value is
copied into every cell it covers, as a person reading the form sees it."""

from __future__ import annotations

import io
from decimal import Decimal

from ..errors import PerfrulesError
from .form import Line

__all__ = ["xlsx_lines"]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # openpyxl gives binary floats; Decimal(str()) keeps what Excel shows.
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def xlsx_lines(data: bytes, name: str) -> list[Line]:
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
    grid = [[_text(cell.value) for cell in row] for row in sheet.iter_rows()]
    for merged in sheet.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
                    grid[r - 1][c - 1] = value
    return [Line(row, f"{name}!{sheet.title}:{number}") for number, row in enumerate(grid, start=1)]
