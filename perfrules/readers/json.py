"""perfrules' own JSON form of a sheet, read and written.

The schema (``"perfrules": "sheet/1"``) keeps every cell as written;
numbers are decimal strings, so nothing is rounded on the way::

    {"perfrules": "sheet/1", "title": "…", "organisation": "…",
     "fiscal_year": 2024, "kind": "整体", "source": "…",
     "budget": {"budget": "176875.03", "spent": "170639.2", "weight": "10",
                "score": "9.65", "note": "…", "columns": {"执行率": "96.5%"}},
     "goals": [{"number": "1", "text": "…", "outcome": "…"}],
     "rows": [{"goal": "绩效目标1", "level1": "产出指标", "level2": "数量指标",
               "name": "…", "target": "≥10次", "actual": "14次", "weight": "1",
               "score": "1", "note": "", "columns": {}, "position": "…"}],
     "reported_total": "93.95", "reported_grade": "优", "conclusion": "…"}
"""

from __future__ import annotations

import json
from decimal import Decimal

from ..errors import PerfrulesError
from ..numbers import format_optional
from ..records import Goal, Row, Sheet, parse_amount

__all__ = ["sheet_to_json", "sheet_from_json", "SCHEMA"]

SCHEMA = "sheet/1"


def _amount(value: Decimal | None) -> str | None:
    return format_optional(value)


def _cell(value) -> str:
    if value.text is not None:
        return value.text
    # A cell never written stays empty, so a row kept for its problem
    # does not read back as "not applicable".
    return "" if value.kind in ("not_applicable", "empty") else str(value)


def _row_json(row: Row) -> dict:
    data = {
        "goal": row.goal, "level1": row.level1, "level2": row.level2, "name": row.name,
        "target": _cell(row.target), "actual": _cell(row.actual),
        "weight": _amount(row.weight), "score": _amount(row.reported), "note": row.note,
        "columns": dict(row.columns), "position": row.position,
    }
    if row.problem:
        data["problem"] = row.problem
    return data


def sheet_to_json(sheet: Sheet) -> dict:
    """The sheet as a JSON-ready dict (see the module's schema)."""
    budget = None
    if sheet.budget is not None:
        b = sheet.budget
        budget = {"budget": _amount(b.budget), "spent": _amount(b.spent), "weight": _amount(b.weight),
                  "score": _amount(b.reported), "note": b.note, "columns": dict(b.columns),
                  "position": b.position}
    return {
        "perfrules": SCHEMA,
        "title": sheet.title,
        "organisation": sheet.organisation,
        "fiscal_year": sheet.fiscal_year,
        "kind": sheet.kind,
        "source": sheet.source,
        "budget": budget,
        "goals": [{"number": g.number, "text": g.text, "outcome": g.outcome} for g in sheet.goals],
        "rows": [_row_json(r) for r in sheet.rows],
        "reported_total": _amount(sheet.reported_total),
        "reported_grade": sheet.reported_grade,
        "conclusion": sheet.conclusion,
        "unread": list(sheet.unread),
        "read_notes": list(sheet.read_notes),
        "total_line": sheet.total_line,
    }


def _text(data: dict, key: str, where: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)):
        raise PerfrulesError(f"{where}: '{key}' must be text, not {type(value).__name__}")
    return str(value)


def _amount_text(data: dict, key: str, where: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, float):
        raise PerfrulesError(f"{where}: '{key}' must be a decimal string such as \"9.65\", not a float")
    return str(value)


def sheet_from_json(data, *, source: str | None = None, fiscal_year: int | None = None) -> Sheet:
    """A sheet from its JSON form; a cell that does not parse makes its row
    unscorable with the reason (see :meth:`Row.read`)."""
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except ValueError as error:
            raise PerfrulesError(f"not JSON: {error}", path=source) from None
    if not isinstance(data, dict) or data.get("perfrules") != SCHEMA:
        raise PerfrulesError(f'not a perfrules sheet: the object needs "perfrules": "{SCHEMA}"', path=source)
    year = fiscal_year or data.get("fiscal_year")
    if year is not None and not isinstance(year, int):
        raise PerfrulesError("'fiscal_year' must be a whole number", path=source)
    rows = []
    for index, item in enumerate(data.get("rows") or [], start=1):
        where = f"{source or 'sheet'}: row {index}"
        if not isinstance(item, dict):
            raise PerfrulesError(f"{where}: a row must be an object")
        columns = item.get("columns") or {}
        row = Row.read(
            target=_text(item, "target", where), actual=_text(item, "actual", where),
            weight=_amount_text(item, "weight", where), reported=_amount_text(item, "score", where),
            goal=_text(item, "goal", where), level1=_text(item, "level1", where),
            level2=_text(item, "level2", where), name=_text(item, "name", where),
            note=_text(item, "note", where), columns={str(k): str(v) for k, v in columns.items()},
            position=item.get("position"), fiscal_year=year, problem=item.get("problem"),
        )
        rows.append(row)
    budget = None
    if data.get("budget"):
        b = data["budget"]
        try:
            budget = Row.budget_execution(
                budget=_amount_text(b, "budget", "budget"), spent=_amount_text(b, "spent", "budget"),
                weight=_amount_text(b, "weight", "budget"), reported=_amount_text(b, "score", "budget"),
                note=_text(b, "note", "budget"), position=b.get("position"), fiscal_year=year,
                columns={str(k): str(v) for k, v in (b.get("columns") or {}).items()},
            )
        except PerfrulesError as error:
            raise PerfrulesError(f"budget: {error.message}", path=source) from None
    total = data.get("reported_total")
    return Sheet(
        rows=rows,
        budget=budget,
        title=_text(data, "title", "sheet"),
        organisation=_text(data, "organisation", "sheet"),
        fiscal_year=year,
        kind=data.get("kind"),
        source=data.get("source") or source,
        goals=[Goal(str(g.get("number", "")), str(g.get("text", "")), str(g.get("outcome", "")))
               for g in data.get("goals") or []],
        reported_total=parse_amount(total) if total is not None else None,
        reported_grade=data.get("reported_grade"),
        conclusion=_text(data, "conclusion", "sheet"),
        unread=[str(u) for u in data.get("unread") or []],
        read_notes=[str(n) for n in data.get("read_notes") or []],
        total_line=str(data["total_line"]) if data.get("total_line") else None,
    )
