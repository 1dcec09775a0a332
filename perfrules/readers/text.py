"""Text exported from Word or PDF: one table line per line, cells split by
tabs (or by ``|`` where a converter wrote pipes)."""

from __future__ import annotations

from .form import Line

__all__ = ["text_lines"]


def text_lines(text: str, name: str) -> list[Line]:
    """The grid of ``text``; ``name`` labels positions (``name:line``)."""
    rows = text.splitlines()
    pipes = sum(r.count("|") for r in rows) > sum(r.count("\t") for r in rows)
    separator = "|" if pipes else "\t"
    return [Line(row.split(separator), f"{name}:{number}") for number, row in enumerate(rows, start=1)]
