"""Word documents (.docx), read with python-docx.

Every table is a grid, in the document's order, named ``1``, ``2`` ….  A
cell merged across columns (``gridSpan``) or down rows (``vMerge``) is one
cell with its span, read once from the underlying XML cell rather than
from python-docx's repeated cell objects.  A table nested in a cell is a
grid of its own, and its text is left out of the outer cell.  The
paragraphs between the previous table and this one are the grid's context
(the title, the unit, the year); a table with only empty paragraphs
between it and the one before is read as part of it.
"""

from __future__ import annotations

import io
import zipfile

import attrs

from ..errors import PerfrulesError
from ._layout import one_line, stacked
from .grid import Cell, Grid

__all__ = ["docx_grids"]

#: Paragraphs before a table kept as its context.
_CONTEXT = 20


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _children(element, tag: str):
    """The children of ``element`` with ``tag``, looking inside content
    controls (``w:sdt``) and custom XML, which wrap cells, paragraphs and
    tables in forms made from templates."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in (_qn("w:sdt"), _qn("w:customXml")):
            content = child.find(_qn("w:sdtContent")) if child.tag == _qn("w:sdt") else child
            if content is not None:
                yield from _children(content, tag)


def _blocks(body):
    """The paragraphs and tables of the body, in order, unwrapped."""
    for child in body.iterchildren():
        if child.tag in (_qn("w:p"), _qn("w:tbl")):
            yield child
        elif child.tag in (_qn("w:sdt"), _qn("w:customXml")):
            content = child.find(_qn("w:sdtContent")) if child.tag == _qn("w:sdt") else child
            if content is not None:
                yield from _blocks(content)


def _paragraph_lines(p) -> list[str]:
    # Text runs, tabs and line breaks of one paragraph (w:t, w:tab, w:br).
    lines = [""]
    for node in p.iter(_qn("w:t"), _qn("w:tab"), _qn("w:br"), _qn("w:cr")):
        if node.tag == _qn("w:t"):
            lines[-1] += node.text or ""
        elif node.tag == _qn("w:tab"):
            lines[-1] += " "
        else:
            lines.append("")
    return lines


def _paragraph_text(p) -> str:
    return one_line(_paragraph_lines(p))


def _cell_text(tc) -> str:
    # Only the cell's own paragraphs: a nested table is a grid of its own.
    return one_line(line for p in _children(tc, _qn("w:p")) for line in _paragraph_lines(p))


def _grid_span(tc) -> int:
    pr = tc.find(_qn("w:tcPr"))
    span = pr.find(_qn("w:gridSpan")) if pr is not None else None
    try:
        return max(1, int(span.get(_qn("w:val")))) if span is not None else 1
    except (TypeError, ValueError):
        return 1


def _v_merge(tc) -> str | None:
    """``restart`` for a cell that begins a vertical merge, ``continue``
    for one that continues the cell above, None otherwise."""
    pr = tc.find(_qn("w:tcPr"))
    merge = pr.find(_qn("w:vMerge")) if pr is not None else None
    if merge is None:
        return None
    return merge.get(_qn("w:val")) or "continue"


def _grid_before(tr) -> int:
    pr = tr.find(_qn("w:trPr"))
    before = pr.find(_qn("w:gridBefore")) if pr is not None else None
    try:
        return int(before.get(_qn("w:val"))) if before is not None else 0
    except (TypeError, ValueError):
        return 0


def _table_grids(tbl, source: str, context: list[str], grids: list[Grid]) -> None:
    """Append the grid of ``tbl`` and then those of tables nested in it."""
    index = len(grids)
    label = f"{source}#{index + 1}"
    cells: list[list] = []  # [text, row, column, rowspan, colspan]
    above: dict[int, list] = {}  # column → the cell a vMerge continues
    nested = []
    rows = list(_children(tbl, _qn("w:tr")))
    for r, tr in enumerate(rows):
        c = _grid_before(tr)
        for tc in _children(tr, _qn("w:tc")):
            span = _grid_span(tc)
            merge = _v_merge(tc)
            if merge == "continue" and c in above:
                above[c][3] += 1
            else:
                cell = [_cell_text(tc), r, c, 1, span]
                cells.append(cell)
                for k in range(c, c + span):
                    above[k] = cell
            nested.extend(tc.iter(_qn("w:tbl")))
            c += span
    positions = [f"{label}:{r + 1}" for r in range(len(rows))]
    # Appended before the nested tables are read: document order.
    grids.append(Grid([Cell(t, r, c, rs, cs, f"{label}:{r + 1}") for t, r, c, rs, cs in cells],
                      source=source, name=str(index + 1), context=context, line_positions=positions))
    for inner in nested:
        # Only tables directly in this table's cells; deeper ones come
        # from their own parent.
        if next(inner.iterancestors(_qn("w:tbl"))) is tbl:
            _table_grids(inner, source, context, grids)


def docx_grids(data: bytes, name: str) -> list[Grid]:
    """A grid for each table of the document, in order, named ``1``,
    ``2`` …; a document with no table has its paragraphs read as exported
    text."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        message = "it is an old Word .doc file: save it as .docx" if data[:4] == b"\xd0\xcf\x11\xe0" else error
        raise PerfrulesError(f"not a readable .docx document: {message}", path=name) from None
    except Exception as error:  # python-docx raises its own for a package that is not a document
        raise PerfrulesError(f"not a readable .docx document: {error}", path=name) from None
    grids: list[Grid] = []
    paragraphs: list[str] = []
    last_top = None  # where the last table of the body is in grids
    for block in _blocks(document.element.body):
        if block.tag == _qn("w:p"):
            text = _paragraph_text(block)
            if text:
                paragraphs.append(text)
        elif block.tag == _qn("w:tbl"):
            if last_top is not None and not paragraphs:
                # Only empty paragraphs since the last table: one table to
                # the eye (a form cut in two where a page broke).
                lower: list[Grid] = []
                _table_grids(block, name, [], lower)
                whole = stacked(grids[last_top], lower[0])
                label = f"{name}#{whole.name}"
                grids[last_top] = attrs.evolve(
                    whole, cells=[attrs.evolve(c, position=f"{label}:{c.row + 1}") for c in whole.cells],
                    line_positions=[f"{label}:{r + 1}" for r in range(whole.height)])
                grids += [attrs.evolve(g, name=str(len(grids) + i + 1)) for i, g in enumerate(lower[1:])]
                continue
            last_top = len(grids)
            _table_grids(block, name, paragraphs[-_CONTEXT:], grids)
            paragraphs = []
    if not grids and paragraphs:
        from .text import text_grids

        return text_grids("\n".join(paragraphs), name)
    return grids
