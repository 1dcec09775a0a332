"""CSV with the form's headers (一级指标 … or level1 …), as Excel in China
writes it: UTF-8, UTF-8 with a byte-order mark, UTF-16 ("Unicode text"),
GB18030 or Big5 (:mod:`.encoding`)."""

from __future__ import annotations

import csv
import io

from ..errors import PerfrulesError
from .encoding import detect
from .grid import Grid

__all__ = ["csv_grids"]


def csv_grids(data: bytes, name: str) -> list[Grid]:
    """The grid of a CSV file's bytes."""
    decoded = detect(data, name)
    text = decoded.text
    # Only the delimiter is guessed; quoting stays Excel's, which the
    # sniffer can misjudge on a quoted "1,000".
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise PerfrulesError(f"not a readable CSV file: {error}", path=name) from None
    return [Grid.from_rows([[_unguard(cell) for cell in row] for row in rows], source=name,
                           notes=[decoded.note] if decoded.note else [])]


def _unguard(cell: str) -> str:
    """A cell as written before a spreadsheet guard: ``'=100%`` is ``=100%``
    (perfrules' own CSV output, and Excel's habit, put the ``'`` there)."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r":
        return cell[1:]
    return cell
