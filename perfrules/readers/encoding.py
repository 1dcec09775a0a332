"""Text encodings of table files: which one a file's bytes are in."""

from __future__ import annotations

from ..errors import PerfrulesError

__all__ = ["decode"]

_ENCODINGS = ("utf-8-sig", "gb18030")


def decode(data: bytes, name: str) -> str:
    """The text of ``data``: UTF-8 (with or without BOM), else GB18030."""
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PerfrulesError("the file is neither UTF-8 nor GB18030 text", path=name)
