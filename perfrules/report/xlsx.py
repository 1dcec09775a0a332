"""The scored form as an Excel workbook: the form with computed scores,
statuses and findings beside the reported ones."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from typing import Any

from .grid import FORM_HEADER, sheet_grid

__all__ = ["render_xlsx", "xlsx_text", "save_workbook"]

# The C0 controls a workbook cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE:
# all but tab, line feed and carriage return); each is shown as its Unicode
# control picture (\x1f → ␟), so the cell says what was there.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xlsx_text(text: str) -> str:
    """``text`` as a workbook cell can hold it: each control character it
    cannot (U+0000–U+001F but tab, line feed, carriage return) becomes its
    visible control picture (U+2400–U+241F).

    >>> xlsx_text("9\x1f次")
    '9␟次'
    """
    return _ILLEGAL.sub(lambda m: chr(0x2400 + ord(m.group())), text)


def _put(sheet, row: int, column: int, value):
    """Write ``value``; a string is always a text cell, never a formula."""
    if isinstance(value, str):
        value = xlsx_text(value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would take =… for a formula (a target such as =100% is text)
    return cell

_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_PERCENT = re.compile(r"-?\d+(\.\d+)?%")
_NUMERIC_COLUMNS = {"分值", "得分", "全年预算数", "全年执行数", "计算得分", "允许下限", "允许上限"}
# Metadata lines whose value is a number.
_NUMERIC_LINES = {"computed_total"}


def _number(text: str, percent: bool = False):
    """``text`` as a cell value and its number format: an exact Decimal
    shown to two places (a percentage as one), or the text unchanged."""
    if _NUMBER.fullmatch(text or ""):
        return Decimal(text), "0.00"
    if percent and _PERCENT.fullmatch(text or ""):
        places = len(text[:-1].partition(".")[2])  # shown as written: 96.5% stays 96.5%
        return Decimal(text[:-1]) / 100, "0" + ("." + "0" * places if places else "") + "%"
    return text, None


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
    rate = header.index("执行率")
    for r, row in enumerate(grid, start=1):
        for c, text in enumerate(row, start=1):
            value: str | Decimal = text
            form = None
            if r - 1 > header_at and (c - 1 in numeric or c - 1 == rate):
                value, form = _number(text, percent=c - 1 == rate)  # a number, exact
            elif r - 1 < header_at and c == 2 and row[0] in _NUMERIC_LINES:
                value, form = _number(text)
            cell = _put(sheet, r, c, value)
            if form:
                cell.number_format = form
            if r - 1 == header_at:
                cell.font = Font(bold=True)
        if r - 1 > header_at and "differs" in row:
            for c in range(1, len(row) + 1):
                sheet.cell(row=r, column=c).fill = flag
    findings = book.create_sheet("findings")
    for r, values in enumerate([["code", "severity", "message", "rows"]] + [
            [finding.code, finding.severity, finding.message, ", ".join(map(str, finding.rows))]
            for finding in scored.findings], start=1):
        for c, value in enumerate(values, start=1):
            _put(findings, r, c, value)
    return save_workbook(book)


def save_workbook(book) -> bytes:
    """The workbook's bytes, with no clock in them: the same content gives
    the same bytes.  (openpyxl's save() would stamp the workbook and every
    zip entry with the time of writing.)"""
    from openpyxl.writer.excel import ExcelWriter

    book.properties.created = book.properties.modified = _EPOCH
    out = io.BytesIO()
    ExcelWriter(book, _DatedZip(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return out.getvalue()


_EPOCH = dt.datetime(1980, 1, 1)  # the earliest time a zip entry can hold


class _DatedZip(zipfile.ZipFile):
    """A zip whose entries are all dated :data:`_EPOCH`, whether written
    from memory (``writestr``) or from a file (``write``, which openpyxl uses
    for worksheets)."""

    def writestr(self, zinfo_or_arcname: str | zipfile.ZipInfo, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=_EPOCH.timetuple()[:6])
            zinfo_or_arcname.compress_type, zinfo_or_arcname.external_attr = self.compression, 0o600 << 16
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs):
        with open(filename, "rb") as handle:
            self.writestr(arcname or str(filename), handle.read())
