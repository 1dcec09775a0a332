"""Readers: a table file → grids → :class:`~perfrules.records.Sheet` values.

One module per format turns a file into :class:`~.grid.Grid` values; the
form recognizer (:mod:`perfrules.form`) reads each grid into sheets.
:func:`read_sheets` picks the format by the file's ending.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import PerfrulesError
from ..records import Sheet
from .encoding import decode
from .grid import Cell, Grid, Line
from .json import sheet_from_json, sheet_to_json

__all__ = [
    "read_sheet", "read_sheets", "read_grids", "read_text", "sheet_to_json", "sheet_from_json", "FORMATS",
    "Grid", "Cell", "Line",
]

#: File endings read, and what they hold.
FORMATS = {
    ".txt": "text exported from Word, PDF or a web page",
    ".tsv": "tab-separated text",
    ".csv": "CSV with the form's headers (UTF-8, UTF-8 with BOM, GB18030)",
    ".xlsx": "Excel workbook (first sheet)",
    ".json": "perfrules' JSON sheet (sheet/1)",
}


def _grids(data: bytes, name: str, suffix: str) -> list[Grid]:
    if suffix == ".csv":
        from .csv import csv_grids

        return csv_grids(data, name)
    if suffix == ".xlsx":
        from .xlsx import xlsx_grids

        return xlsx_grids(data, name)
    from .text import text_grids

    return text_grids(decode(data, name), name)


def _load(path: str | Path) -> tuple[str, str, bytes]:
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(FORMATS)
        raise PerfrulesError(f"cannot read '{suffix or path.name}' files; perfrules reads {known}", path=name)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PerfrulesError(f"cannot read the file: {error.strerror or error}", path=name) from None
    return name, suffix, data


def read_grids(path: str | Path) -> list[Grid]:
    """The grids of the table file ``path`` (one per table the format
    marks out: a worksheet, an HTML or Word table)."""
    name, suffix, data = _load(path)
    if suffix == ".json":
        raise PerfrulesError("a perfrules JSON sheet holds a sheet, not a grid: use read_sheets", path=name)
    return _grids(data, name, suffix)


def read_sheets(path: str | Path, *, fiscal_year: int | None = None) -> list[Sheet]:
    """Every table in the file ``path``, each a sheet; ``fiscal_year``
    overrides the year the table states.  A file holding two tables gives
    two sheets, whose ``source`` is ``path#1`` and ``path#2``.  Raises
    :class:`~perfrules.errors.PerfrulesError` naming the file when it
    cannot be read at all."""
    from ..form import recognize

    name, suffix, data = _load(path)
    if suffix == ".json":
        return [sheet_from_json(decode(data, name), source=name, fiscal_year=fiscal_year)]
    return recognize(_grids(data, name, suffix), fiscal_year=fiscal_year)


def read_sheet(path: str | Path, *, fiscal_year: int | None = None) -> Sheet:
    """The table in ``path`` (the first, where the file holds several: see
    :func:`read_sheets`)."""
    return read_sheets(path, fiscal_year=fiscal_year)[0]


def read_text(text: str, *, name: str = "<text>", fiscal_year: int | None = None) -> Sheet:
    """A sheet from exported text already in memory (the first table)."""
    from ..form import recognize
    from .text import text_grids

    return recognize(text_grids(text, name), fiscal_year=fiscal_year)[0]
