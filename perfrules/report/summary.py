"""A review's summary (one line per table) as a terminal table, CSV, JSON
or an Excel workbook; the findings of every table beside it (a second CSV,
a second worksheet, a key of the JSON).  Headings are Chinese by default
(``lang="en"`` for English); JSON keys are the stable English ones."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from ..numbers import format_decimal
from ..review.summary import COLUMNS, heading
from .grid import guard_formula
from .labels import read_status_label
from ..numbers import display_width as width

__all__ = ["summary_table", "summary_csv", "csv_text", "findings_csv", "summary_json", "summary_xlsx", "FINDING_COLUMNS"]

#: The findings file's columns: English key, Chinese and English headings.
FINDING_COLUMNS = (("file", "文件", "file"), ("table", "表", "table"), ("code", "代码", "code"),
                   ("severity", "级别", "severity"), ("message", "说明", "message"), ("rows", "行", "rows"))
# The terminal shows the columns a reviewer scans; files hold them all.
_TERMINAL = ("file", "unit", "year", "reported_total", "total", "gap", "reported_grade", "grade", "rows",
             "differ", "unscorable", "errors", "warnings", "read_status")


def _text(line, key: str, lang: str) -> str:
    value = getattr(line, key)
    if key == "read_status":
        return read_status_label(value, lang)
    if value is None:
        return ""
    return format_decimal(value) if isinstance(value, Decimal) else str(value)


def _pad(text: str, size: int, right: bool) -> str:
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def summary_table(lines, lang: str = "zh") -> str:
    """The summary as aligned text for a terminal (Chinese counted two columns wide)."""
    numbers = {c.key for c in COLUMNS if c.number}
    rows = [[heading(k, lang) for k in _TERMINAL]] + [[_text(line, k, lang) for k in _TERMINAL] for line in lines]
    sizes = [max(width(r[i]) for r in rows) for i in range(len(_TERMINAL))]
    out = ["  ".join(_pad(c, sizes[i], _TERMINAL[i] in numbers) for i, c in enumerate(r)).rstrip() for r in rows]
    out.insert(1, "  ".join("-" * s for s in sizes))
    return "\n".join(out) + "\n"


def csv_text(rows: list[list[str]], guard: bool = True) -> str:
    """Rows of cells as CSV text, formula-like cells guarded unless ``guard`` is false."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([guard_formula(c) if guard else c for c in row])
    return out.getvalue()


def summary_csv(lines, lang: str = "zh", *, guard: bool = True) -> str:
    """The summary as CSV (no byte-order mark; the writer adds one to a file)."""
    keys = [c.key for c in COLUMNS]
    return csv_text([[heading(k, lang) for k in keys]] + [[_text(line, k, lang) for k in keys] for line in lines], guard)


def _finding_rows(findings) -> list[list[str]]:
    return [[f["file"], f["table"] or "", f["code"], f["severity"], f["message"], ",".join(map(str, f["rows"]))]
            for f in findings]


def findings_csv(findings, lang: str = "zh", *, guard: bool = True) -> str:
    """Every table's findings as CSV, one per line: ``findings`` are dicts
    with the keys of :data:`FINDING_COLUMNS`."""
    head = [c[1] if lang == "zh" else c[2] for c in FINDING_COLUMNS]
    return csv_text([head] + _finding_rows(findings), guard)


def summary_json(lines, findings) -> str:
    """``{"tables": [...], "findings": [...]}`` with English keys, numbers as decimal strings."""
    return json.dumps({"tables": [line.to_json() for line in lines],
                       "findings": [dict(f, rows=list(f["rows"])) for f in findings]},
                      ensure_ascii=False, indent=2) + "\n"


def summary_xlsx(lines, findings, lang: str = "zh") -> bytes:
    """The summary and the findings as a workbook: totals and gaps are
    numbers (exact decimals shown to two places), counts whole numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .xlsx import save_workbook, xlsx_text

    book = Workbook()
    sheet = book.active
    sheet.title = "汇总" if lang == "zh" else "summary"
    for c, column in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=c, value=heading(column.key, lang)).font = Font(bold=True)
    for r, line in enumerate(lines, start=2):
        for c, column in enumerate(COLUMNS, start=1):
            value = getattr(line, column.key)
            if column.key == "read_status":
                value = read_status_label(value, lang)
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, Decimal):
                cell.value, cell.number_format = value, "0.00"
            elif isinstance(value, int):
                cell.value = value
            elif value is not None:
                cell.value, cell.data_type = xlsx_text(str(value)), "s"
    sheet.freeze_panes = "A2"
    found = book.create_sheet("审核发现" if lang == "zh" else "findings")
    for c, names in enumerate(FINDING_COLUMNS, start=1):
        found.cell(row=1, column=c, value=names[1] if lang == "zh" else names[2]).font = Font(bold=True)
    for r, row in enumerate(_finding_rows(findings), start=2):
        for c, value in enumerate(row, start=1):
            cell = found.cell(row=r, column=c, value=xlsx_text(value))
            cell.data_type = "s"
    return save_workbook(book)
