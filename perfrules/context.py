"""What a row's rules can see of the table around it: the budget block's
amounts and the row's group.

Policies derive a row's points from its table: a weight split evenly among
the rows of a 二级指标 group (数量指标 20 points, four rows: 5 each), a cut
when the table's execution rate is low, a rule on 年初预算数.  A row
scored inside a sheet gets its :class:`RowContext`; a row scored alone
(:meth:`~perfrules.Ruleset.evaluate`) gets :data:`ALONE`, where each of
these values is missing and a rule that needs one leaves the row
unscorable, saying so.

A row's group is the rows of the same goal (绩效目标, in department tables
that repeat the levels under each goal), 一级指标 and 二级指标; its level-1
group the rows of the same goal and 一级指标.  Blank rows (no target,
actual, weight or score) are in no group.

>>> from perfrules.records import Row, Sheet
>>> rows = [Row.of(target="≥1", weight=w, level1="产出指标", level2=l2) for w, l2 in
...         [("5", "数量指标"), ("5", "数量指标"), ("10", "质量指标")]]
>>> first = contexts(Sheet(rows))[0]
>>> first.group_rows, first.group_weight, first.level1_rows, first.level1_weight, first.table_rows
(2, Decimal('10'), 3, Decimal('20'), 3)
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from .records import Row, Sheet

__all__ = ["RowContext", "ALONE", "contexts"]


@attrs.frozen
class RowContext:
    """The table around one row (None: not known, as for a row scored
    alone).  ``budget`` is the table's budget-execution row."""

    budget: Row | None = None
    #: Rows in the row's group (goal, 一级指标, 二级指标), the row included.
    group_rows: int | None = None
    #: The weights of the group's rows added up (rows without one add 0).
    group_weight: Decimal | None = None
    #: Rows in the row's level-1 group (goal, 一级指标), the row included.
    level1_rows: int | None = None
    level1_weight: Decimal | None = None
    #: Indicator rows in the table (blank rows aside).
    table_rows: int | None = None
    #: Whether the row is scored inside a table (else the group values are
    #: missing because nobody gave the table, not because it lacks them).
    in_table: bool = False


#: The context of a row scored alone.
ALONE = RowContext()


def contexts(sheet: Sheet) -> tuple[RowContext, ...]:
    """The context of each of ``sheet``'s indicator rows, in order."""
    counted = [r for r in sheet.rows if not r.blank]
    groups: dict[tuple, list[Row]] = {}
    level1: dict[tuple, list[Row]] = {}
    for row in counted:
        groups.setdefault((row.goal, row.level1, row.level2), []).append(row)
        level1.setdefault((row.goal, row.level1), []).append(row)

    def weight(rows: list[Row]) -> Decimal:
        return sum((r.weight for r in rows if r.weight is not None), Decimal(0))

    cache: dict[tuple, RowContext] = {}
    found = []
    for row in sheet.rows:
        key = (row.goal, row.level1, row.level2, row.blank)
        if key not in cache:
            group = [] if row.blank else groups[key[:3]]
            upper = [] if row.blank else level1[key[:2]]
            cache[key] = RowContext(
                budget=sheet.budget, group_rows=len(group), group_weight=weight(group), level1_rows=len(upper),
                level1_weight=weight(upper), table_rows=len(counted), in_table=True,
            )
        found.append(cache[key])
    return tuple(found)


def budget_context(sheet: Sheet) -> RowContext:
    """The context of the sheet's budget row, and of its sheet rules and
    sheet checks: the budget block and the table's row count."""
    return RowContext(budget=sheet.budget, table_rows=sum(1 for r in sheet.rows if not r.blank), in_table=True)
