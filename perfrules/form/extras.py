"""The columns of a table that the form does not score by: 复核分, 调剂额,
评分标准 or any other header a bureau adds.  Rules read them by their
header (``cell("复核分")``, ``number("调剂额")``), so every row keeps its
cell under each in ``Row.columns``, named by the header's folded text
(simplified characters, no spaces: ``復核 分`` is ``复核分``).

Where a format gives cells (a spreadsheet, CSV, a web page, Word, a ruled
PDF, tab-separated text), a column is a position.  :func:`split_extras`
takes the extra columns out of the grid (so that neither reading of the
form mistakes 复核分's 1.5 for a weight) and keeps their cells by line;
:func:`with_extras` puts them back on the rows read from those lines.
Text that lost its cell boundaries keeps only the extra columns the
vocabulary knows (复核分, 得分系数, 得分计算方法), which the stream reading
places by content.

>>> from perfrules.readers.grid import Grid
>>> grid = Grid.from_rows([["三级指标", "年度指标值", "实际完成值", "分值", "得分", "复 核 分"],
...                        ["培训次数", "≥10次", "12次", "2", "2", "1.5"]], source="t.csv")
>>> rest, extras = split_extras(grid)
>>> [line.cells for line in rest.lines()]
[('三级指标', '年度指标值', '实际完成值', '分值', '得分'), ('培训次数', '≥10次', '12次', '2', '2')]
>>> [cells for _, cells in extras["t.csv:2"]]
[{'复核分': '1.5'}]
"""

from __future__ import annotations

import attrs

from ..readers.grid import CELLS, Grid
from ..records import Row, Sheet
from . import vocabulary as V
from .fold import key
from .tokens import is_amount

__all__ = ["split_extras", "with_extras"]

#: Header fields the readings of the form place a row's cells by; a
#: column under any other header is an extra column.
_FORM_FIELDS = frozenset({"goal", "level1", "level2", "name", "target", "actual", "weight", "score", "note",
                          "operator", "unit"})
#: The budget columns perfrules' own exports write beside the form's, and
#: why a row could not be read (问题): the column reading reads them.
_EXPORT_WORDS = frozenset({"全年预算数", "全年执行数", "执行率", "问题", "budget", "spent", "rate", "problem"})
_ENGLISH = frozenset({"goal", "level1", "level2", "name", "target", "actual", "weight", "score", "note"})


def _word(text: str) -> str:
    return key(text).rstrip(":：")


def _header_fields(cells: list[str]) -> set[str]:
    found: set[str] = set()
    for cell in cells:
        word = _word(cell)
        field = V.header_field(word) or (word if word in _ENGLISH else None)
        if field is not None:
            found.add(field)
    return found


def _is_header(cells: list[str]) -> bool:
    """Whether a line is an indicator header and only that: a line that
    runs the header into rows (text whose cell boundaries were lost) has
    no columns to read extras from."""
    fields = _header_fields(cells)
    if not ({"target", "actual"} <= fields and {"name", "level1"} & fields):
        return False
    words = [_word(c) for c in cells if _word(c)]
    if any(w in V.LEVEL1 or w in V.LEVEL2 or is_amount(w) for w in words):
        return False
    unknown = sum(1 for w in words if V.header_field(w) is None and _extra(w))
    return unknown < len(words) - unknown


def _extra(word: str) -> bool:
    if not word or len(word) > 20 or word in _ENGLISH or word in _EXPORT_WORDS or word in V.SKIP_LABELS:
        return False
    if word in V.COMPUTED_HEADERS or word in V.LEVEL1 or word in V.LEVEL2:
        return False
    return V.header_field(word) not in _FORM_FIELDS


#: Line position → for each line there (a PDF page's lines share one), the
#: folded texts of its other cells and its extra cells by header.
Extras = dict[str, list[tuple[frozenset, dict[str, str]]]]


def split_extras(grid: Grid) -> tuple[Grid, Extras]:
    """``grid`` without its extra columns, and the cells taken out, by line
    (see :data:`Extras`; "" for an empty cell).  An extra column runs
    from its header line to the next header line or the grid's end.  A
    grid with no extra column, or whose layout is text, is returned as it
    is."""
    if grid.layout != CELLS:
        return grid, {}
    by_row: dict[int, list] = {}
    for cell in grid.cells:
        by_row.setdefault(cell.row, []).append(cell)
    extras: dict[int, str] = {}  # column → header, in force from the last header line
    dropped: set[int] = set()
    found: Extras = {}
    for row in sorted(by_row):
        cells = sorted(by_row[row], key=lambda c: c.column)
        if _is_header([c.text for c in cells]):
            names: set[str] = set()
            extras = {}
            for c in cells:
                word = _word(c.text)
                if _extra(word) and word not in names:
                    names.add(word)
                    extras[c.column] = word
            dropped.update(id(c) for c in cells if c.column in extras)
            continue
        if not extras:
            continue
        position = grid.line_positions[row] if row < len(grid.line_positions) else f"{grid.source}:{row + 1}"
        texts = {name: "" for name in extras.values()}
        others = set()
        for c in cells:
            if c.column in extras:
                texts[extras[c.column]] = c.text.strip()
                dropped.add(id(c))
            elif c.text.strip():
                others.add(key(c.text))
        # A cell merged down over several rows is in each of them.
        for c in grid.cells:
            if c.column in extras and c.row < row < c.row + c.rowspan:
                texts[extras[c.column]] = c.text.strip()
        found.setdefault(position, []).append((frozenset(others), texts))
    if not dropped:
        return grid, {}
    return attrs.evolve(grid, cells=[c for c in grid.cells if id(c) not in dropped]), found


def _row(row: Row, found: Extras, used: set) -> Row:
    lines = found.get(row.position or "", ())
    # Where lines share a position, the row's line is the first not yet
    # taken that holds its name (or, for a row without one, its target).
    mark = key(row.name) if row.name else key(row.target.text or "")
    for index, (others, extra) in enumerate(lines):
        if (row.position, index) in used or len(lines) > 1 and not any(mark in text for text in others):
            continue
        used.add((row.position, index))
        return attrs.evolve(row, columns={**extra, **row.columns})
    return row


def with_extras(sheet: Sheet, found: Extras) -> Sheet:
    """``sheet`` with each row's extra cells (see :func:`split_extras`) in
    its ``columns``, beside those the reading found."""
    if not found:
        return sheet
    used: set = set()
    budget = _row(sheet.budget, found, used) if sheet.budget is not None else None
    return attrs.evolve(sheet, rows=[_row(r, found, used) for r in sheet.rows], budget=budget)
