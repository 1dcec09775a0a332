"""The scored form as an Excel workbook: the form with computed scores,
statuses and findings beside the reported ones."""

from __future__ import annotations

import io
import re

from .grid import FORM_HEADER, sheet_grid

__all__ = ["render_xlsx"]

_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_NUMERIC_COLUMNS = {"分值", "得分", "全年预算数", "全年执行数", "计算得分", "允许下限", "允许上限"}


def render_xlsx(scored) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "自评表"
    grid = sheet_grid(scored.sheet, scored)
    header_at = next(i for i, row in enumerate(grid) if row[:1] == FORM_HEADER[:1])
    header = grid[header_at]
    numeric = {i for i, name in enumerate(header) if name in _NUMERIC_COLUMNS}
    flag = PatternFill("solid", fgColor="FFD7D7")
    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            if r - 1 > header_at and c - 1 in numeric and _NUMBER.fullmatch(value or ""):
                value = float(value)  # shows as a number; its repr reads back exactly
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # a target such as =100% is text, not a formula
            if r - 1 == header_at:
                cell.font = Font(bold=True)
        if r - 1 > header_at and "differs" in row:
            for c in range(1, len(row) + 1):
                sheet.cell(row=r, column=c).fill = flag
    findings = book.create_sheet("findings")
    findings.append(["code", "severity", "message", "rows"])
    for finding in scored.findings:
        findings.append([finding.code, finding.severity, finding.message, ", ".join(map(str, finding.rows))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
