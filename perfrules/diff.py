"""Comparing two rulesets on the same tables: which rows change.

>>> from perfrules.readers import read_sheet
>>> sheet = read_sheet("examples/tianjin-kjj-2024-zhengti.txt")
>>> change = diff_sheets(score(sheet, "mof"), score(sheet, "mof-cost-ratio"))
>>> [(c.index, str(c.before.score), str(c.after.score)) for c in change.rows]
[(57, '0.71', '0.78')]
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from .numbers import format_optional as _n
from .results import RowResult
from .evaluate import ScoreSheet, score

__all__ = ["RowChange", "SheetDiff", "diff_sheets", "diff_to_json", "score"]


@attrs.frozen
class RowChange:
    """A row whose score or status differs between the two rulesets
    (``index`` 0 is the budget row)."""

    index: int
    name: str
    before: RowResult
    after: RowResult


@attrs.frozen
class SheetDiff:
    """One sheet scored under two rulesets (``before`` and ``after``) and
    the ``rows`` whose score, allowed range or status changes."""

    before: ScoreSheet
    after: ScoreSheet
    rows: tuple[RowChange, ...]

    @property
    def total_change(self) -> Decimal | None:
        """``after.total - before.total``; None when either has no total."""
        if self.before.total is None or self.after.total is None:
            return None
        return self.after.total - self.before.total


def diff_sheets(before: ScoreSheet, after: ScoreSheet) -> SheetDiff:
    """The rows of one sheet whose score, allowed range or status changes
    from ``before`` to ``after``."""
    pairs = []
    if before.budget is not None and after.budget is not None:
        pairs.append((before.budget, after.budget))
    pairs += list(zip(before.rows, after.rows))
    changes = []
    for old, new in pairs:
        a, b = old.result, new.result
        if (a.score, a.low, a.high, a.status) != (b.score, b.low, b.high, b.status):
            changes.append(RowChange(old.index, old.row.name, a, b))
    return SheetDiff(before, after, tuple(changes))




def _side(result: RowResult) -> dict:
    return {
        "rule": result.rule, "score": _n(result.score),
        "allowed": None if result.low is None else [_n(result.low), _n(result.high)],
        "status": result.status, "reason": result.reason,
    }


def diff_to_json(diff: SheetDiff) -> dict:
    """The diff as a JSON-ready dict, numbers as decimal strings (what
    ``perfrules diff --format json`` prints)."""
    return {
        "source": diff.before.sheet.source,
        "before": {"ruleset": f"{diff.before.ruleset.name}@{diff.before.ruleset.version}",
                   "sha256": diff.before.ruleset.sha256, "total": _n(diff.before.total), "grade": diff.before.grade},
        "after": {"ruleset": f"{diff.after.ruleset.name}@{diff.after.ruleset.version}",
                  "sha256": diff.after.ruleset.sha256, "total": _n(diff.after.total), "grade": diff.after.grade},
        "total_change": _n(diff.total_change),
        "rows": [{"index": c.index, "name": c.name, "reported": _n(c.before.reported),
                  "before": _side(c.before), "after": _side(c.after)} for c in diff.rows],
    }
