"""The grid: the one contract between file formats and the form.

A format reader knows its file format only.  It turns a file into one or
more :class:`Grid` values: cells with their text, row and column, spans
(merged cells) and the position they came from (``file:12`` or
``Sheet1!B7``).  The form recognizer (:mod:`perfrules.form`) reads grids
into sheets; no reader knows the form.

>>> grid = Grid.from_rows([["一级指标", "三级指标"], ["产出指标", "培训人次"]], source="t.csv")
>>> [line.cells for line in grid.lines()]
[('一级指标', '三级指标'), ('产出指标', '培训人次')]
>>> grid.lines()[1].position
't.csv:2'
"""

from __future__ import annotations

from typing import Iterable, Sequence

import attrs

from .._convert import strings

__all__ = ["Cell", "Grid", "Line", "TEXT", "CELLS", "column_letter"]

#: A grid whose lines are text as extracted, not yet split into cells: the
#: recognizer segments each line by layout and content.
TEXT = "text"
#: A grid whose cells a file format gave (CSV, a spreadsheet, an HTML or
#: Word table, a ruled PDF table).
CELLS = "cells"


def _stripped(cells: Iterable[str]) -> tuple[str, ...]:
    return tuple(c.strip() for c in cells)


def _indexes(indexes: Iterable[int]) -> frozenset[int]:
    return frozenset(indexes)


@attrs.frozen
class Line:
    """One line of a grid as the recognizer reads it: the texts of its
    cells (stripped), where it came from, and which cells are copies of a
    merged cell that began on an earlier line or column."""

    cells: tuple[str, ...] = attrs.field(converter=_stripped)
    position: str
    #: Indexes of cells that repeat a merged cell begun above or to the
    #: left (the text is there, as a reader of the form sees it).
    copies: frozenset[int] = attrs.field(default=frozenset(), converter=_indexes, eq=False)

    @property
    def filled(self) -> list[str]:
        return [c for c in self.cells if c]

    @property
    def distinct(self) -> list[str]:
        """The filled cells, a merged cell's copies counted once."""
        return list(dict.fromkeys(self.filled))


@attrs.frozen
class Cell:
    """A cell of a grid.  ``row`` and ``column`` count from 0; a merged
    cell spans ``rowspan`` rows and ``colspan`` columns from there."""

    text: str
    row: int
    column: int
    rowspan: int = 1
    colspan: int = 1
    position: str = ""


def column_letter(index: int) -> str:
    """The spreadsheet name of column ``index`` (from 0).

    >>> column_letter(0), column_letter(25), column_letter(26)
    ('A', 'Z', 'AA')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cells(cells: Iterable[Cell]) -> tuple[Cell, ...]:
    return tuple(cells)


@attrs.frozen
class Grid:
    """A table as a file format gives it.

    ``source`` names the file; ``name`` the table within it (a worksheet's
    name, ``2`` for a file's second table) or None for a file's only
    table.  ``context`` is text near the table that is not in it (a web
    page's title, the paragraphs before a Word table): the recognizer reads
    the unit and year from it.  ``layout`` is :data:`CELLS` or
    :data:`TEXT`.
    """

    cells: tuple[Cell, ...] = attrs.field(converter=_cells)
    source: str = "<grid>"
    name: str | None = None
    context: tuple[str, ...] = attrs.field(default=(), converter=strings)
    layout: str = attrs.field(default=CELLS, validator=attrs.validators.in_((CELLS, TEXT)))
    #: Positions of lines given explicitly (``file:line``), by row; missing
    #: rows are named ``source:row+1``.
    line_positions: tuple[str, ...] = attrs.field(default=(), converter=strings, eq=False)
    #: What the reader doubts about this table (a formula with no saved
    #: value, an encoding guessed): each becomes the sheet's read note.
    notes: tuple[str, ...] = attrs.field(default=(), converter=strings)

    @classmethod
    def from_rows(
        cls,
        rows: Sequence[Sequence[str]],
        *,
        source: str = "<grid>",
        name: str | None = None,
        context: Sequence[str] = (),
        layout: str = CELLS,
        positions: Sequence[str] = (),
        notes: Sequence[str] = (),
    ) -> "Grid":
        """A grid of plain rows of cell texts, no merged cells."""
        cells = [Cell(str(text if text is not None else ""), r, c)
                 for r, row in enumerate(rows) for c, text in enumerate(row)]
        return cls(cells, source=source, name=name, context=context, layout=layout, notes=notes,
                   line_positions=positions or [f"{source}:{r + 1}" for r in range(len(rows))])

    @property
    def label(self) -> str:
        """``source``, or ``source#name`` for one of several tables."""
        return self.source if self.name is None else f"{self.source}#{self.name}"

    @property
    def height(self) -> int:
        return max((c.row + c.rowspan for c in self.cells), default=0)

    def lines(self) -> list[Line]:
        """The grid's rows, a merged cell's text repeated in every place it
        covers (as a person reading the form sees it) and marked a copy
        outside its first place."""
        width = max((c.column + c.colspan for c in self.cells), default=0)
        height = self.height
        texts = [[""] * width for _ in range(height)]
        copies: list[set[int]] = [set() for _ in range(height)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.column, cell.column + cell.colspan):
                    texts[r][c] = cell.text
                    if (r, c) != (cell.row, cell.column):
                        copies[r].add(c)
        # Trailing empty cells carry nothing: a line is as long as its text.
        lines = []
        for r in range(height):
            row = texts[r]
            end = len(row)
            while end and not row[end - 1].strip():
                end -= 1
            position = self.line_positions[r] if r < len(self.line_positions) else f"{self.source}:{r + 1}"
            lines.append(Line(row[:end], position, {c for c in copies[r] if c < end}))
        return lines
