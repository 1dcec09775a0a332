"""Readers: a table file → a :class:`~perfrules.records.Sheet`.

One module per format; :func:`read_sheet` picks by the file's ending.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import PerfrulesError
from ..records import Sheet
from .csv import csv_lines, decode
from .form import read_form
from .json import sheet_from_json, sheet_to_json
from .text import text_lines

__all__ = ["read_sheet", "read_text", "sheet_to_json", "sheet_from_json", "FORMATS"]

#: File endings read, and what they hold.
FORMATS = {
    ".txt": "text exported from Word or PDF (tab or | separated)",
    ".tsv": "tab-separated text",
    ".csv": "CSV with the form's headers (UTF-8, UTF-8 with BOM, GB18030)",
    ".xlsx": "Excel workbook (first sheet)",
    ".json": "perfrules' JSON sheet (sheet/1)",
}


def read_text(text: str, *, name: str = "<text>", fiscal_year: int | None = None) -> Sheet:
    """A sheet from exported text already in memory."""
    return read_form(text_lines(text, name), source=name, fiscal_year=fiscal_year)


def read_sheet(path: str | Path, *, fiscal_year: int | None = None) -> Sheet:
    """Read the table in ``path``; ``fiscal_year`` overrides the year the
    table states.  Raises :class:`~perfrules.errors.PerfrulesError` naming
    the file when it cannot be read at all."""
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
    if suffix == ".json":
        return sheet_from_json(decode(data, name), source=name, fiscal_year=fiscal_year)
    if suffix == ".csv":
        lines = csv_lines(data, name)
    elif suffix == ".xlsx":
        from .xlsx import xlsx_lines

        lines = xlsx_lines(data, name)
    else:
        lines = text_lines(decode(data, name), name)
    return read_form(lines, source=name, fiscal_year=fiscal_year)
