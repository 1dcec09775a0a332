"""Renderers: a scored sheet → table, JSON, CSV, XLSX or HTML."""

from __future__ import annotations

from ._json import dumps_indented
from .grid import grid_csv, sheet_grid
from .html import render_html
from .result import result_to_json
from .table import render_table

__all__ = ["render", "FORMATS", "result_to_json"]

#: Output formats, and whether they are binary.
FORMATS = {"table": False, "json": False, "csv": True, "xlsx": True, "html": False}


def render(scored, format: str = "table", *, csv_guard: bool = True, lang: str = "zh") -> str | bytes:
    """``scored`` (a :class:`~perfrules.evaluate.ScoreSheet`) in ``format``.

    ``csv_guard``: in CSV, write a cell a spreadsheet would run as a formula
    (``=…``, ``+…``, ``-…``, ``@…``) with a leading ``'`` so it opens as
    text; ``False`` writes every cell as it is.  XLSX always writes text
    cells as text, and HTML escapes them."""
    if format == "table":
        return render_table(scored)
    if format == "json":
        return dumps_indented(result_to_json(scored)) + "\n"
    if format == "csv":
        return grid_csv(sheet_grid(scored.sheet, scored), guard=csv_guard)
    if format == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx(scored)
    if format == "html":
        return render_html(scored, lang)
    raise ValueError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
