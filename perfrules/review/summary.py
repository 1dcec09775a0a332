"""One line per table: what a reviewer reads first.

:class:`TableSummary` is the summary of one table (or of a file that could
not be read); :data:`COLUMNS` names its fields, each with a stable English
key (JSON, the store, DataFrames) and Chinese and English headings (the
terminal table, CSV, XLSX, HTML).  :func:`select` sorts and filters the
lines the way the ``review`` command's options ask.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

import attrs

from ..dsl.runtime import round_to
from ..numbers import format_decimal

__all__ = ["TableSummary", "Column", "COLUMNS", "READ_STATUSES", "summarize", "unreadable", "select",
           "heading", "SORT_KEYS"]

#: How much of a file was read: every line, some lines left over or
#: doubted (``partial``), or none (``error``: the file could not be read).
READ_STATUSES = ("full", "partial", "error")


@attrs.frozen
class Column:
    """A summary column: its ``key``, headings, and whether it holds a number."""

    key: str
    zh: str
    en: str
    number: bool = False


COLUMNS = (
    Column("file", "文件", "file"),
    Column("table", "表", "table"),
    Column("unit", "单位", "unit"),
    Column("project", "项目", "project"),
    Column("year", "年度", "year", True),
    Column("kind", "类型", "kind"),
    Column("ruleset", "规则集", "ruleset"),
    Column("reported_total", "自评总分", "reported total", True),
    Column("total", "计算总分", "computed total", True),
    Column("total_low", "允许下限", "allowed low", True),
    Column("total_high", "允许上限", "allowed high", True),
    Column("gap", "差额", "gap", True),
    Column("reported_grade", "自评等级", "reported grade"),
    Column("grade", "计算等级", "computed grade"),
    Column("rows", "读取行数", "rows read", True),
    Column("differ", "不符行数", "rows differing", True),
    Column("unscorable", "无法评分行数", "rows unscorable", True),
    Column("errors", "错误", "errors", True),
    Column("warnings", "警告", "warnings", True),
    Column("infos", "提示", "notes", True),
    Column("read_status", "读取状态", "read status"),
    Column("message", "说明", "message"),
)
_BY_KEY = {c.key: c for c in COLUMNS}
#: The keys ``--sort`` takes.
SORT_KEYS = tuple(c.key for c in COLUMNS)


def heading(key: str, lang: str = "zh") -> str:
    """The heading of column ``key`` in ``lang`` (``zh`` or ``en``).

    >>> heading("gap"), heading("gap", "en")
    ('差额', 'gap')
    """
    column = _BY_KEY[key]
    return column.zh if lang == "zh" else column.en


@attrs.frozen
class TableSummary:
    """The summary of one table: who, which rules, the totals side by side
    (``gap`` is reported − computed: above 0 the unit scored itself higher
    than the rules allow), the grades, how many rows were read, differ or
    could not be scored, the findings by severity, and how fully the file
    was read.  ``ruleset_sha256`` and ``file_sha256`` make it reproducible.
    """

    file: str
    table: str | None = None
    unit: str = ""
    project: str = ""
    year: int | None = None
    kind: str | None = None
    ruleset: str = ""
    ruleset_sha256: str = ""
    reported_total: Decimal | None = None
    total: Decimal | None = None
    total_low: Decimal | None = None
    total_high: Decimal | None = None
    gap: Decimal | None = None
    reported_grade: str | None = None
    grade: str | None = None
    rows: int = 0
    differ: int = 0
    unscorable: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    read_status: str = attrs.field(default="full", validator=attrs.validators.in_(READ_STATUSES))
    message: str = ""
    file_sha256: str = ""
    #: Whether this line comes from the store (the file was unchanged).
    stored: bool = attrs.field(default=False, eq=False)

    def value(self, key: str):
        """The value of column ``key``."""
        if key not in _BY_KEY:
            raise KeyError(f"no summary column {key!r}; choose one of {', '.join(SORT_KEYS)}")
        return getattr(self, key)

    def to_json(self) -> dict:
        """The line with its English keys, numbers as exact decimal strings."""
        out = {}
        for column in COLUMNS:
            value = getattr(self, column.key)
            out[column.key] = format_decimal(value) if isinstance(value, Decimal) else value
        out["ruleset_sha256"] = self.ruleset_sha256
        out["file_sha256"] = self.file_sha256
        return out


def _range(scored) -> tuple[Decimal | None, Decimal | None]:
    """The lowest and highest totals the policy allows: every row at the
    low, then at the high end of its range, scaled as the total was (a
    sheet whose not-applicable rows were rescaled)."""
    if scored.total is None:
        return None, None
    entries = ([scored.budget] if scored.budget else []) + list(scored.rows)
    scored_rows = [e.result for e in entries if e.result.score is not None and e.result.status != "not_applicable"]
    raw = sum((r.score for r in scored_rows), Decimal(0)) + sum(
        (r.score for r in scored.sheet_rules if r.score is not None), Decimal(0))
    scale = scored.total / raw if raw else Decimal(1)
    down = sum((r.score - r.low for r in scored_rows if r.low is not None), Decimal(0))
    up = sum((r.high - r.score for r in scored_rows if r.high is not None), Decimal(0))
    step = Decimal("0.01")
    return (round_to(scored.total - down * scale, step, "half-up"),
            round_to(scored.total + up * scale, step, "half-up"))


def summarize(scored, *, file: str, table: str | None = None, file_sha256: str = "") -> TableSummary:
    """The summary line of a :class:`~perfrules.ScoreSheet` read from ``file``."""
    sheet = scored.sheet
    statuses = [e.result.status for e in ([scored.budget] if scored.budget else []) + list(scored.rows)]
    severities = [f.severity for f in scored.findings]
    low, high = _range(scored)
    gap = None
    if scored.total is not None and scored.reported_total is not None:
        gap = scored.reported_total - scored.total
    partial = bool(sheet.unread or getattr(sheet, "read_notes", ()))
    return TableSummary(
        file=file, table=table, unit=sheet.organisation, project=sheet.title, year=sheet.fiscal_year,
        kind=sheet.kind, ruleset=f"{scored.ruleset.name}@{scored.ruleset.version}",
        ruleset_sha256=scored.ruleset.sha256, reported_total=scored.reported_total, total=scored.total,
        total_low=low, total_high=high, gap=gap, reported_grade=scored.reported_grade,
        grade=None if scored.total_reason else scored.grade, rows=len(scored.rows),
        differ=statuses.count("differs"), unscorable=statuses.count("unscorable"),
        errors=severities.count("error"), warnings=severities.count("warning"), infos=severities.count("info"),
        read_status="partial" if partial else "full", message=scored.total_reason or "", file_sha256=file_sha256,
    )


def unreadable(file: str, message: str, *, file_sha256: str = "") -> TableSummary:
    """The summary line of a file that could not be read, with why."""
    return TableSummary(file=file, read_status="error", message=message, file_sha256=file_sha256)


def select(lines: Iterable[TableSummary], *, sort: str | None = None, reverse: bool = False,
           min_gap: Decimal | None = None, differs: bool = False, grade: str | None = None,
           read_status: str | None = None) -> list[TableSummary]:
    """The lines a reviewer asked for, in the order asked.

    ``sort`` names a column: numbers sort largest first (``gap``: the most
    overstated tables first), text in order; lines with no value come last;
    ``reverse`` turns the order round (lines with no value still last).
    ``min_gap`` keeps tables whose gap is at least that; ``differs`` those
    with a differing row; ``grade`` those of that computed grade;
    ``read_status`` those read ``full``, ``partial`` or ``error``.

    >>> from decimal import Decimal
    >>> from perfrules.review import TableSummary, select
    >>> a = TableSummary("a.txt", gap=Decimal("6.2"))
    >>> b = TableSummary("b.txt", gap=Decimal("-1"))
    >>> [s.file for s in select([b, a], sort="gap")]
    ['a.txt', 'b.txt']
    >>> [s.file for s in select([a, b], min_gap=Decimal(5))]
    ['a.txt']
    """
    out = list(lines)
    if min_gap is not None:
        out = [s for s in out if s.gap is not None and s.gap >= min_gap]
    if differs:
        out = [s for s in out if s.differ]
    if grade is not None:
        out = [s for s in out if s.grade == grade]
    if read_status is not None:
        if read_status not in READ_STATUSES:
            raise ValueError(f"read_status must be one of {', '.join(READ_STATUSES)}, not {read_status!r}")
        out = [s for s in out if s.read_status == read_status]
    if sort is not None:
        column = _BY_KEY.get(sort)
        if column is None:
            raise ValueError(f"cannot sort by {sort!r}; choose one of {', '.join(SORT_KEYS)}")
        present = [s for s in out if getattr(s, sort) is not None]
        missing = [s for s in out if getattr(s, sort) is None]
        present.sort(key=lambda s: getattr(s, sort), reverse=column.number != reverse)
        out = present + missing
    return out
