"""PDF files, read with pdfplumber.

A table drawn with ruling lines is read by pdfplumber's table finder: each
cell its box, a merged cell one cell spanning the columns and rows its box
covers.  A table that goes on over a page break is one grid: the first
table of a page continues the last table of the page before when it has
the same columns and does not start again with that table's first row.
The text of a page outside its tables (the title, the unit, the year) is
the context of the page's first table.

A page with text but no ruled table gives its text lines, as a
:data:`~.grid.TEXT` grid, for the recognizer to segment as it does
exported text.  A PDF with no text at all is a scan: that is an error
saying to OCR it first.
"""

from __future__ import annotations

import io
import re

import attrs

from ..errors import PerfrulesError
from ._layout import one_line
from .grid import TEXT, Cell, Grid

__all__ = ["pdf_grids"]

#: Points within which two cell edges are the same ruling line.
_SNAP = 2.0


def _edges(values: list[float]) -> list[float]:
    """The distinct positions among ``values``, nearby ones merged."""
    edges: list[float] = []
    for value in sorted(values):
        if not edges or value - edges[-1] > _SNAP:
            edges.append(value)
    return edges


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


@attrs.frozen
class _Table:
    """A ruled table of one page: its cells as (text, top, bottom, left,
    right) boxes."""

    boxes: tuple[tuple[str, float, float, float, float], ...]
    page: int

    @property
    def columns(self) -> list[float]:
        return _edges([b[3] for b in self.boxes] + [b[4] for b in self.boxes])

    def first_row(self) -> tuple[str, ...]:
        top = min(b[1] for b in self.boxes)
        return tuple(b[0] for b in sorted(self.boxes, key=lambda b: b[3]) if abs(b[1] - top) <= _SNAP)


def _tables(found, number: int) -> list[_Table]:
    tables = []
    for table in found:
        texts = table.extract()
        boxes = []
        for row, row_texts in zip(table.rows, texts):
            for bbox, text in zip(row.cells, row_texts):
                if bbox is None:
                    continue  # covered by a merged cell
                x0, top, x1, bottom = bbox
                boxes.append((one_line((text or "").splitlines()), top, bottom, x0, x1))
        if boxes:
            tables.append(_Table(tuple(boxes), number))
    return tables


# Page furniture above a table that goes on from the page before: a page
# number (3, - 3 -, 第3页, 第3页/共5页).
_PAGE_NUMBER = re.compile(r"^[-—\s第页共/\d]*$")


def _text_above(page, top: float) -> list[str]:
    text = page.crop((0, 0, page.width, max(top, 0.1))).extract_text() if top > 1 else ""
    return [line for line in (text or "").splitlines() if line.strip() and not _PAGE_NUMBER.match(line)]


def _continues(parts: list[_Table], first: _Table, above: list[str]) -> bool:
    """Whether ``first``, a page's first table, goes on with the table of
    ``parts``: the same columns, nothing but a page number above it, and
    not starting as that table did (a second form of the same template
    starts with the same label, 项目名称, if not the same row)."""
    start, again = parts[0].first_row(), first.first_row()
    same_start = start == again or bool(start and start[0] and again and start[0] == again[0])
    return not above and _same_columns(parts[-1], first) and not same_start


def _same_columns(a: _Table, b: _Table) -> bool:
    ca, cb = a.columns, b.columns
    return len(ca) == len(cb) and all(abs(x - y) <= _SNAP * 2 for x, y in zip(ca, cb))


def _grid(parts: list[_Table], source: str, context: list[str]) -> Grid:
    """One grid of a table and its continuations on the following pages."""
    columns = _edges([x for part in parts for b in part.boxes for x in (b[3], b[4])])
    cells, positions = [], []
    offset = 0
    for part in parts:
        rows = _edges([y for b in part.boxes for y in (b[1], b[2])])
        for text, top, bottom, left, right in part.boxes:
            r0, r1 = _index(rows, top), _index(rows, bottom)
            c0, c1 = _index(columns, left), _index(columns, right)
            cells.append(Cell(text, offset + r0, c0, max(1, r1 - r0), max(1, c1 - c0),
                              f"{source}:page {part.page}"))
        positions += [f"{source}:page {part.page}"] * (len(rows) - 1)
        offset += len(rows) - 1
    return Grid(cells, source=source, context=context, line_positions=positions)


def _outside(page, tables) -> list[str]:
    """The page's text lines outside its tables."""
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    text = page.filter(outside).extract_text() if boxes else page.extract_text()
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def pdf_grids(data: bytes, name: str) -> list[Grid]:
    """The grids of a PDF: its ruled tables (continued over pages as one),
    and the text lines of pages without one; named ``1``, ``2`` … when
    there are several."""
    import pdfplumber

    try:
        document = pdfplumber.open(io.BytesIO(data))
    except Exception as error:  # pdfminer raises several kinds for a damaged file
        raise PerfrulesError(f"not a readable PDF: {error}", path=name) from None
    with document:
        try:
            count = len(document.pages)
            grids, blank, scanned = _read_pages(document.pages, name)
        except PerfrulesError:
            raise
        except Exception as error:  # pdfminer on a damaged page
            raise PerfrulesError(f"not a readable PDF: {error}", path=name) from None
    if not count:
        raise PerfrulesError("the PDF has no pages", path=name)
    if len(blank) == count:
        raise PerfrulesError("a scanned PDF with no text: OCR it first (e.g. `ocrmypdf in.pdf out.pdf`) "
                             "and read the result", path=name)
    notes = [f"page{'s' if len(scanned) > 1 else ''} {', '.join(map(str, scanned))} of the PDF "
             f"{'are images' if len(scanned) > 1 else 'is an image'} with no text (scanned): not read"] \
        if scanned else []
    return [attrs.evolve(g, name=str(i + 1), notes=g.notes + tuple(notes)) for i, g in enumerate(grids)]


def _read_pages(pages, name: str) -> tuple[list[Grid], list[int], list[int]]:
    """The grids of the pages; the numbers of the pages with no text, and
    of those among them that hold an image (a scanned page)."""
    grids: list[Grid] = []
    blank: list[int] = []
    scanned: list[int] = []
    table: list[_Table] = []  # a table being read, and its continuations
    table_context: list[str] = []
    text: list[tuple[str, str]] = []  # lines of pages without a table, with their page

    def close_table() -> None:
        if table:
            grids.append(_grid(table, name, table_context))
            table.clear()

    def close_text() -> None:
        if text:
            grids.append(Grid.from_rows([[line] for line, _ in text], source=name, layout=TEXT,
                                        positions=[position for _, position in text]))
            text.clear()

    for number, page in enumerate(pages, start=1):
        # Bold made by printing a character twice, a hair apart, would
        # read 项项目目: each character once.
        page = page.dedupe_chars()
        if not page.chars:
            blank.append(number)
            if page.images:
                scanned.append(number)
        ruled = page.chars and (page.lines or page.rects or page.curves)
        # A frame around the whole page, or a box around a paragraph, is
        # one cell: not a table.
        found = [t for t in page.find_tables() if len(t.cells) > 1] if ruled else []
        tables = _tables(found, number)
        outside = _outside(page, found) if page.chars else []
        if not tables:
            close_table()
            text.extend((line, f"{name}:page {number}") for line in outside)
            continue
        close_text()
        first = tables[0]
        if table and _continues(table, first, _text_above(page, found[0].bbox[1])):
            table.append(first)
            tables = tables[1:]
        for found_table in tables:
            close_table()
            table.append(found_table)
            table_context = outside
            outside = []
    close_table()
    close_text()
    return grids, blank, scanned
