"""Old Excel workbooks (.xls, Excel 97–2003), read with xlrd.

As for :mod:`.xlsx`: every worksheet with cells is a grid named by the
worksheet, a cell's text is what its number format shows
(:mod:`._numfmt`), and merged cells keep their span.
"""

from __future__ import annotations

from ..errors import PerfrulesError
from ._numfmt import shown
from .grid import Cell, Grid, column_letter

__all__ = ["xls_grids"]


def xls_grids(data: bytes, name: str) -> list[Grid]:
    """A grid for each worksheet of the workbook that has cells, named by
    the worksheet, in the workbook's order."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False)
    except Exception as error:  # xlrd raises XLRDError, struct and compound-document errors
        raise PerfrulesError(f"not a readable .xls workbook: {error}", path=name) from None
    grids = []
    for sheet in book.sheets():
        grid = _sheet_grid(book, sheet, name)
        if grid is not None:
            grids.append(grid)
    return grids


def _text(book, sheet, r: int, c: int) -> str:
    import xlrd

    cell = sheet.cell(r, c)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    fmt = "General"
    xf = book.xf_list[sheet.cell_xf_index(r, c)]
    if xf.format_key in book.format_map:
        fmt = book.format_map[xf.format_key].format_str
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return shown(xlrd.xldate_as_datetime(cell.value, book.datemode), fmt)
        except (ValueError, OverflowError):
            return shown(cell.value, "General")
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return shown(bool(cell.value), fmt)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERROR")
    return shown(cell.value, fmt)


def _sheet_grid(book, sheet, name: str) -> Grid | None:
    spans = {(r0, c0): (r1 - r0, c1 - c0) for r0, r1, c0, c1 in sheet.merged_cells}
    covered = {(r, c) for r0, r1, c0, c1 in sheet.merged_cells
               for r in range(r0, r1) for c in range(c0, c1) if (r, c) != (r0, c0)}
    cells = []
    for r in range(sheet.nrows):
        for c in range(sheet.ncols):
            if (r, c) in covered:
                continue
            text = _text(book, sheet, r, c)
            if not text.strip() and (r, c) not in spans:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            cells.append(Cell(text, r, c, rowspan, colspan, f"{name}!{sheet.name}!{column_letter(c)}{r + 1}"))
    if not cells:
        return None
    height = max(cell.row + cell.rowspan for cell in cells)
    positions = [f"{name}!{sheet.name}:{number}" for number in range(1, height + 1)]
    return Grid(cells, source=name, name=sheet.name, line_positions=positions)
