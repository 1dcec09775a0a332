"""Text exported from Word, PDF or a web page.

Where a converter separated cells by tabs or ``|``, each line is split
there; otherwise the lines are left whole (a :data:`~.grid.TEXT` grid) for
the recognizer, which segments them by layout and content.
"""

from __future__ import annotations

import re

from .grid import CELLS, TEXT, Grid

__all__ = ["text_grids"]

_PIPES = re.compile(r"[|│]")


def text_grids(text: str, name: str) -> list[Grid]:
    """The grid of ``text``; ``name`` labels positions (``name:line``)."""
    rows = text.splitlines()
    pipes = sum(len(_PIPES.findall(r)) for r in rows)
    tabs = sum(r.count("\t") for r in rows)
    positions = [f"{name}:{number}" for number in range(1, len(rows) + 1)]
    if pipes > tabs and pipes >= len([r for r in rows if r.strip()]) // 2:
        cells = [_PIPES.split(row) for row in rows]
    elif tabs and tabs >= pipes:
        cells = [row.split("\t") for row in rows]
    else:
        return [Grid.from_rows([[row] for row in rows], source=name, layout=TEXT, positions=positions)]
    return [Grid.from_rows(cells, source=name, layout=CELLS, positions=positions)]
