"""A scored table made ready for ``perfrules score`` where it was scored.

With ``--jobs N`` each table is scored in a worker process; sending the
whole :class:`~perfrules.evaluate.ScoreSheet` back (every row, value and
trace) and rendering it in the parent made the parent the bottleneck.  The
worker renders instead and sends back this: the output, and the little the
command still needs to know about the table.
"""

from __future__ import annotations

import attrs

from . import render
from .result import result_to_json

__all__ = ["Prepared", "Preparer"]


@attrs.frozen
class Prepared:
    """One scored table's output: ``data`` is the rendered text or bytes,
    or for JSON the document (the command joins several into one list)."""

    source: str | None
    rows: int
    #: The findings the command repeats on standard error (a ruleset not in
    #: effect in the table's year).
    warnings: tuple[str, ...]
    data: object


@attrs.frozen
class Preparer:
    """``Preparer(format, csv_guard)(scored)``: the :class:`Prepared` form of
    ``scored`` in ``format`` (a picklable callable, sent to the workers)."""

    format: str
    csv_guard: bool = True
    lang: str = "zh"

    def __call__(self, scored) -> Prepared:
        data = (result_to_json(scored) if self.format == "json"
                else render(scored, self.format, csv_guard=self.csv_guard, lang=self.lang))
        warnings = tuple(f.message for f in scored.findings if f.code == "ruleset_year")
        return Prepared(scored.sheet.source, len(scored.sheet.rows), warnings, data)
