"""CSV with the form's headers (一级指标 … or level1 …), as Excel in China
writes it: UTF-8, UTF-8 with a byte-order mark, or GB18030."""

from __future__ import annotations

import csv
import io

from ..errors import PerfrulesError
from .form import Line

__all__ = ["csv_lines", "decode"]

_ENCODINGS = ("utf-8-sig", "gb18030")


def decode(data: bytes, name: str) -> str:
    """The text of ``data``: UTF-8 (with or without BOM), else GB18030."""
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PerfrulesError("the file is neither UTF-8 nor GB18030 text", path=name)


def csv_lines(data: bytes, name: str) -> list[Line]:
    """The grid of a CSV file's bytes."""
    text = decode(data, name)
    # Only the delimiter is guessed; quoting stays Excel's, which the
    # sniffer can misjudge on a quoted "1,000".
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return [Line(row, f"{name}:{number}") for number, row in enumerate(reader, start=1)]
    except csv.Error as error:
        raise PerfrulesError(f"not a readable CSV file: {error}", path=name) from None
