"""The JSON result of scoring a sheet (numbers as decimal strings)."""

from __future__ import annotations

from decimal import Decimal

from ..numbers import format_decimal
from ..numbers import format_optional as _n

__all__ = ["result_to_json"]




def _cell(value) -> str:
    return value.text if value.text is not None else str(value)


def row_json(scored) -> dict:
    row, result = scored.row, scored.result
    return {
        "index": scored.index,
        "goal": row.goal,
        "level1": row.level1,
        "level2": row.level2,
        "name": row.name,
        "target": _cell(row.target),
        "actual": _cell(row.actual),
        "weight": _n(row.weight),
        "score": _n(result.score),
        "allowed": None if result.low is None else [_n(result.low), _n(result.high)],
        "reported": _n(result.reported),
        "status": result.status,
        "rule": result.rule,
        "reason": result.reason,
        "position": row.position,
        "trace": [{"step": s.label, "value": s.value} for s in result.trace],
    }


def result_to_json(scored) -> dict:
    """A :class:`~perfrules.evaluate.ScoreSheet` as a JSON-ready dict."""
    sheet = scored.sheet
    budget = None
    if scored.budget is not None:
        b, result = scored.budget.row, scored.budget.result
        rate = None if not b.budget or b.spent is None else b.spent / b.budget
        budget = {
            "budget": _n(b.budget), "spent": _n(b.spent), "weight": _n(b.weight),
            "rate": None if rate is None else format_decimal(rate.quantize(Decimal("0.0001"))),
            "score": _n(result.score), "reported": _n(result.reported), "status": result.status,
            "reason": result.reason, "trace": [{"step": s.label, "value": s.value} for s in result.trace],
        }
    return {
        "ruleset": {"name": scored.ruleset.name, "version": scored.ruleset.version,
                    "sha256": scored.ruleset.sha256},
        "sheet": {"title": sheet.title, "organisation": sheet.organisation, "fiscal_year": sheet.fiscal_year,
                  "kind": sheet.kind, "source": sheet.source},
        "budget": budget,
        "rows": [row_json(r) for r in scored.rows],
        "sheet_rules": [{"name": r.name, "weight": _n(r.weight), "score": _n(r.score), "reason": r.reason}
                        for r in scored.sheet_rules],
        "total": _n(scored.total),
        "total_reason": scored.total_reason,
        "weight_total": _n(scored.weight_total),
        "reported_total": _n(scored.reported_total),
        "total_line": scored.sheet.total_line,
        "grade": scored.grade,
        "reported_grade": scored.reported_grade,
        "findings": [{"code": f.code, "severity": f.severity, "message": f.message, "rows": list(f.rows)}
                     for f in scored.findings],
    }
