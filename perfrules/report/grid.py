"""The form as a grid of cells, for CSV and XLSX: the form's own columns
(and 问题, why a row could not be read, so it reads back unscorable),
then, for a scored sheet, the computed ones beside them.  The grid reads
back as input (the computed columns are ignored), so a table exported
here scores the same when read again; in CSV, that is without the formula
guard (:func:`grid_csv`), whose leading ``'`` the reader keeps for now."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from ..form.vocabulary import COMPUTED_HEADERS
from ..numbers import format_cell as _n

__all__ = ["FORM_HEADER", "SCORE_HEADER", "sheet_grid", "grid_csv", "guard_formula"]

FORM_HEADER = ["绩效目标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
               "偏差原因分析及改进措施", "全年预算数", "全年执行数", "执行率", "问题"]
SCORE_HEADER = list(COMPUTED_HEADERS)




def _cell(value) -> str:
    if value.text is not None:
        return value.text
    # A cell never written stays empty, so a row kept for its problem
    # does not read back as "not applicable".
    return "" if value.kind in ("not_applicable", "empty") else str(value)


def _result_cells(result) -> list[str]:
    return [_n(result.score), _n(result.low), _n(result.high), result.status, result.rule or "", result.reason or ""]


def _extra_names(sheet) -> list[str]:
    """The other columns the rows carry (复核分, 调剂额, the budget's 年初预算数),
    in the order first met: written after the form's, they read back."""
    rows = ([sheet.budget] if sheet.budget is not None else []) + list(sheet.rows)
    names = dict.fromkeys(name for row in rows for name in row.columns)
    return [name for name in names if name not in FORM_HEADER and name not in SCORE_HEADER]


def sheet_grid(sheet, scored=None) -> list[list[str]]:
    """Rows of cells: metadata lines, the header, the budget row, the
    indicator rows and the total.  The rows' other columns follow the
    form's, before the computed ones."""
    extras = _extra_names(sheet)
    grid = [["标题", sheet.title], ["部门名称", sheet.organisation],
            ["年度", str(sheet.fiscal_year or "")], ["kind", sheet.kind or ""],
            ["自评等级", sheet.reported_grade or ""]]
    if scored is not None:
        total = ["computed_total", "—", scored.total_reason] if scored.total_reason else ["computed_total", _n(scored.total)]
        grid += [total, ["computed_grade", "—" if scored.total_reason else scored.grade or ""],
                 ["ruleset", f"{scored.ruleset.name}@{scored.ruleset.version}"],
                 ["ruleset_sha256", scored.ruleset.sha256]]
        # The findings, one line each (finding, severity, code, message,
        # rows): metadata the reader reads past, so the grid still reads back.
        grid += [["finding", f.severity, f.code, f.message, ",".join(map(str, f.rows))] for f in scored.findings]
    grid.append([])
    grid.append(FORM_HEADER + extras + (SCORE_HEADER if scored is not None else []))
    budget = sheet.budget
    if budget is not None:
        cells = ["", "预算执行率", "", "预算执行率", "", "", _n(budget.weight), _n(budget.reported), budget.note,
                 _n(budget.budget), _n(budget.spent), budget.columns.get("执行率", ""), budget.problem or ""]
        cells += [budget.columns.get(name, "") for name in extras]
        if scored is not None and scored.budget is not None:
            cells += _result_cells(scored.budget.result)
        grid.append(cells)
    results = {id(s.row): s.result for s in scored.rows} if scored is not None else {}
    for row in sheet.rows:
        cells = [row.goal, row.level1, row.level2, row.name, _cell(row.target), _cell(row.actual),
                 _n(row.weight), _n(row.reported), row.note, "", "", "", row.problem or ""]
        cells += [row.columns.get(name, "") for name in extras]
        if scored is not None:
            cells += _result_cells(results[id(row)])
        grid.append(cells)
    weights = [r.weight for r in sheet.rows if r.weight is not None]
    if budget is not None and budget.weight is not None:
        weights.append(budget.weight)
    if sheet.reported_total is not None:
        grid.append(["总分", "", "", "", "", "", _n(sum(weights, Decimal(0))), _n(sheet.reported_total)])
    return grid


#: What a spreadsheet takes for the start of a formula (OWASP's CSV
#: injection list): ``=``, ``+``, ``-``, ``@``, a tab, a carriage return.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A number (-1.5, +3, -1,000, -5%) is harmless whatever its sign, and so
# is a lone - (an empty cell's dash).
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)%?|-")


def guard_formula(text: str) -> str:
    """``text``, with a ``'`` in front when a spreadsheet opening a CSV file
    would run it as a formula; plain numbers are left alone.

    >>> print(guard_formula('=HYPERLINK("http://x","y")'), guard_formula("-1.5"), guard_formula("≥10次"))
    '=HYPERLINK("http://x","y") -1.5 ≥10次
    """
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def grid_csv(grid: list[list[str]], *, guard: bool = True) -> bytes:
    """The grid as CSV: UTF-8 with a byte-order mark, which Excel opens
    as Chinese text.  With ``guard`` (the default) a cell a spreadsheet
    would run as a formula is written with a leading ``'``
    (:func:`guard_formula`); without, every cell is written as it is."""
    if guard:
        grid = [[guard_formula(cell) for cell in row] for row in grid]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(grid)
    return out.getvalue().encode("utf-8-sig")
