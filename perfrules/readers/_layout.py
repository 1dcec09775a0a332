"""What the readers of laid-out documents (web pages, Word, PDF) share:
a cell's wrapped lines read as one, and tables that sit one under the
other with nothing between them read as one table.

>>> one_line(["项目竣工", "验收率", ""]), one_line(["not", " applicable "])
('项目竣工验收率', 'not applicable')
"""

from __future__ import annotations

import re
from typing import Iterable

import attrs

from .grid import Grid

__all__ = ["one_line", "stacked"]

_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


def _wide(char: str) -> bool:
    # CJK characters and full-width forms: a line wrapped between two of
    # them had no space there.
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def one_line(lines: Iterable[str]) -> str:
    """A cell's lines as one line: wrapped Chinese joins directly, other
    words with a space; runs of spaces become one."""
    text = ""
    for line in lines:
        line = _SPACES.sub(" ", line).strip()
        if not line:
            continue
        if text and not (_wide(text[-1]) or _wide(line[0])):
            text += " "
        text += line
    return text


def stacked(upper: Grid, lower: Grid) -> Grid:
    """One grid of ``lower``'s rows under ``upper``'s: two tables with
    nothing between them look like one, and a form is often cut so (its
    header block and its indicator block as two tables)."""
    offset = upper.height
    positions = [line.position for line in upper.lines()]
    cells = list(upper.cells) + [attrs.evolve(c, row=c.row + offset) for c in lower.cells]
    return attrs.evolve(upper, cells=cells, line_positions=positions + [line.position for line in lower.lines()],
                        notes=list(dict.fromkeys(upper.notes + lower.notes)))
