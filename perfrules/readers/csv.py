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
    return [Grid.from_rows(rows, source=name, notes=[decoded.note] if decoded.note else [])]
