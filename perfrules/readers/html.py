"""Web pages (.html, .htm), read with lxml's HTML parser (which mends
broken markup as browsers do).

Every ``<table>`` is a grid, in the page's order; ``rowspan`` and
``colspan`` become spans.  A table nested in a cell is a grid of its own,
and its text is left out of the outer cell.  Inside a cell, ``<br>`` and
block elements break lines; a cell's lines are joined into one (with a
space between words, nothing between Chinese characters).  The page's
``<title>`` and the text between the previous table and this one are the
grid's context, where the recognizer finds the unit and year; a table
with nothing but white space between it and the one before is read as
part of it (the eye sees one table).  The encoding is the page's
``<meta charset>``, or else detected (:mod:`.encoding`).
"""

from __future__ import annotations

import re
from typing import Sequence

import attrs

from ..errors import PerfrulesError
from ._layout import one_line, stacked
from .encoding import detect
from .grid import Cell, Grid

__all__ = ["html_grids"]

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# GB2312 and GBK pages hold characters only GB18030 (their superset) names.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs",
              "utf-8": "utf-8-sig", "utf8": "utf-8-sig"}
_BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "section", "article",
           "header", "footer", "blockquote", "pre", "table", "dd", "dt", "center", "form"}
_SKIP = {"script", "style", "noscript", "template", "head"}
#: Most rows or columns a cell may span; larger values are typing slips.
_MOST = 1000


def _text_of(data: bytes, name: str) -> tuple[str, str | None]:
    match = _META.search(data[:4096])
    if match:
        declared = match.group(1).decode("ascii").lower()
        encoding = _SUPERSETS.get(declared, declared)
        try:
            return data.decode(encoding), None
        except (LookupError, UnicodeDecodeError):
            pass  # the page says wrong: read what it is
    decoded = detect(data, name)
    return decoded.text, decoded.note


def _flatten(element, out: list[str]) -> None:
    """Append ``element``'s text to ``out`` (a list of lines being built),
    leaving out nested tables (grids of their own)."""
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _SKIP or not tag:
            if child.tail:
                out[-1] += child.tail
            continue
        if tag == "table":
            out.append("")
        elif tag == "br":
            out.append("")
        elif tag in _BLOCKS or tag in ("td", "th"):
            out.append(child.text or "")
            _flatten(child, out)
            out.append("")
        else:
            out[-1] += child.text or ""
            _flatten(child, out)
        if child.tail:
            out[-1] += child.tail


def _cell_text(cell) -> str:
    lines = [cell.text or ""]
    _flatten(cell, lines)
    return one_line(lines)


def _span(cell, attribute: str) -> int:
    try:
        value = int(str(cell.get(attribute, "1")).strip().rstrip(";") or 1)
    except ValueError:
        return 1
    return min(max(value, 0), _MOST)


def _rows(table) -> list:
    # The table's own rows, not those of tables nested in its cells.
    return table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


def _grid(table, source: str, context: Sequence[str], note: str | None) -> Grid:
    rows = _rows(table)
    taken: set[tuple[int, int]] = set()
    cells, positions = [], []
    for r, tr in enumerate(rows):
        positions.append(f"{source}:{tr.sourceline}" if tr.sourceline else f"{source}:row {r + 1}")
        c = 0
        for td in tr.xpath("./td|./th"):
            while (r, c) in taken:
                c += 1
            rowspan = _span(td, "rowspan") or (len(rows) - r)  # rowspan="0": to the table's end
            rowspan = min(rowspan, len(rows) - r)
            colspan = _span(td, "colspan") or 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            cells.append(Cell(_cell_text(td), r, c, rowspan, colspan,
                              f"{source}:{td.sourceline}" if td.sourceline else positions[-1]))
            c += colspan
    # A <caption> (often the form's title) is the table's, but not a row.
    captions = [one_line([c.text_content()]) for c in table.xpath("./caption")]
    context = list(context) + [c for c in captions if c]
    return Grid(cells, source=source, context=context, line_positions=positions, notes=[note] if note else [])


def _has_text(grid: Grid) -> bool:
    return any(cell.text for cell in grid.cells)


def html_grids(data: bytes, name: str) -> list[Grid]:
    """A grid for each ``<table>`` of the page with text, in document
    order, named ``1``, ``2`` …; a page with no table gives its text
    lines, read as exported text."""
    import lxml.html

    text, note = _text_of(data, name)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses a declared encoding in a str
    if not text.strip():
        raise PerfrulesError("the page is empty", path=name)
    try:
        root = lxml.html.document_fromstring(text)
    except Exception as error:  # lxml's ParserError for a page with nothing in it
        raise PerfrulesError(f"not a readable web page: {error}", path=name) from None
    title = one_line([t.text_content() for t in root.xpath("//title")[:1]])
    grids: list[Grid] = []
    # Walk the page once: the text between tables is the next table's
    # context; a nested table shares its outer table's.
    between: list[str] = [""]

    last_top: list[int] = []  # where the last table outside any table is in grids

    def walk(element, table_context: Sequence[str] | None) -> None:
        outside = table_context is None
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "table":
                context = table_context
                grid = None
                if outside:
                    lines = [line for line in (one_line([part]) for part in between) if line]
                    if last_top and not lines and _has_text(grids[last_top[-1]]):
                        # Nothing between this table and the last: one table to the eye.
                        grid = grids[last_top[-1]] = stacked(grids[last_top[-1]], _grid(child, name, [], note))
                        context = grid.context
                    else:
                        context = ([title] if title else []) + lines[-20:]
                    between[:] = [""]
                if grid is None:
                    assert context is not None  # a table outside any table set it; one inside has its outer's
                    grids.append(_grid(child, name, context, note))
                    if outside:
                        last_top.append(len(grids) - 1)
                walk(child, context)
            elif tag and tag not in _SKIP:
                if outside:
                    if tag in _BLOCKS or tag == "br":
                        between.append("")
                    between[-1] += child.text or ""
                walk(child, table_context)
                if outside and tag in _BLOCKS:
                    between.append("")
            if outside and child.tail:
                between[-1] += child.tail

    body = root.find("body")
    walk(body if body is not None else root, None)
    grids = [g for g in grids if _has_text(g)]
    if not grids:
        # A table laid out without <table> (divs, preformatted text): the
        # page's text lines, for the recognizer to segment.
        from .text import text_grids

        lines = [line for line in (one_line([part]) for part in between) if line]
        return [attrs.evolve(g, name="1", notes=[note] if note else [], context=[title] if title else [])
                for g in text_grids("\n".join(lines), name)] if lines else []
    return [attrs.evolve(g, name=str(i + 1)) for i, g in enumerate(grids)]
