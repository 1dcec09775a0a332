"""Scoring a whole sheet with a compiled ruleset: every row, the budget
row, the sheet rules (with their ranges), the rescale for rows that are not
applicable, the total, the grade and the ruleset's own checks.

:meth:`perfrules.Ruleset.score_sheet` is the door to it; the audit of the
result (:mod:`perfrules.audit`) comes after.
"""

from __future__ import annotations

from decimal import Decimal

from ..context import budget_context, contexts
from ..records import Sheet
from ..results import Discretionary, Finding, RulesetIdentity, ScoredRow, ScoreSheet, SheetRuleResult
from .compile import Evaluator
from .facts import Facts, SheetFacts
from .runtime import Unavailable, round_to

__all__ = ["score_sheet"]


def score_sheet(evaluator: Evaluator, identity: RulesetIdentity, sheet: Sheet, *, trace: bool = True) -> ScoreSheet:
    """``sheet`` scored by ``evaluator``; ``findings`` holds the ruleset's
    own checks (``check``, ``sheet check``) that fired."""
    model = evaluator.model
    step, mode = model.rounding

    # What each row sees of its table: the budget block, its group.
    around = contexts(sheet)
    budget_around = budget_context(sheet)
    budget = None
    if sheet.budget is not None:
        budget = ScoredRow(0, sheet.budget, evaluator.evaluate(sheet.budget, trace=trace, context=budget_around))
    rows = tuple(ScoredRow(i, row, evaluator.evaluate(row, trace=trace, context=context))
                 for i, (row, context) in enumerate(zip(sheet.rows, around), 1))

    scored = ([budget] if budget else []) + list(rows)
    points = sum((r.result.score for r in scored if r.result.score is not None), Decimal(0))
    weight_total = sum((r.row.weight for r in scored if r.row.weight is not None), Decimal(0))
    not_applicable = sum(
        (r.row.weight for r in scored if r.result.status == "not_applicable" and r.row.weight is not None),
        Decimal(0),
    )

    facts = [evaluator.facts(r.row, r.result.score, context) for r, context in zip(rows, around)]
    budget_facts = evaluator.facts(budget.row, budget.result.score, budget_around) if budget else None
    # Sheet rules `within` the rows' full weight take their points out of
    # it: the rows' points (rescaled first for rows not applicable) count
    # (W - N) / W each, and the sheet rules' points fill the rest.
    within = sum((rule.weight for rule, _ in evaluator.sheet_rules if rule.within), Decimal(0))
    room = None
    if within:
        if not_applicable and weight_total > not_applicable and model.not_applicable == "rescale":
            points = points * weight_total / (weight_total - not_applicable)
        not_applicable = Decimal(0)
        if weight_total > within:
            points = points * (weight_total - within) / weight_total
        else:
            room = (f"its {within} points do not fit within the rows' full weight ({weight_total}): "
                    f"a sheet rule within it needs rows that weigh more")
    sheet_results = []
    for rule, run in evaluator.sheet_rules:
        if rule.within and room is not None:
            sheet_results.append(SheetRuleResult(rule.name, rule.weight, None, room))
            continue
        try:
            value = run(SheetFacts(facts, rule.weight, points, budget_facts))
            if isinstance(value, Discretionary):
                low, high, point = (round_to(v, step, mode) for v in (value.low, value.high, value.default))
            else:
                low = high = point = round_to(value, step, mode)
            sheet_results.append(SheetRuleResult(rule.name, rule.weight, point, low=low, high=high))
            points += point
        except Unavailable as missing:
            sheet_results.append(SheetRuleResult(rule.name, rule.weight, None, missing.reason))
        if not rule.within:
            weight_total += rule.weight

    total = None
    total_reason = _no_total(rows)
    if (scored or sheet_results) and total_reason is None:
        if not_applicable and weight_total > not_applicable and model.not_applicable == "rescale":
            points = points * weight_total / (weight_total - not_applicable)
        total = round_to(points, step, mode)
    return ScoreSheet(
        sheet=sheet,
        ruleset=identity,
        budget=budget,
        rows=rows,
        sheet_rules=tuple(sheet_results),
        total=total,
        weight_total=weight_total,
        grade=evaluator.grade(total),
        findings=tuple(_checks(evaluator, rows, facts, total, budget, budget_facts)),
        total_reason=total_reason,
    )


def _no_total(rows: tuple[ScoredRow, ...]) -> str | None:
    """Why the sheet gets no total: a total of 0.00 (差) for a table none of
    whose rows could be scored would read as a verdict on the unit."""
    if any(r.result.score is not None and r.result.status != "not_applicable" for r in rows):
        return None
    if not rows:
        return "the table has no indicator rows"
    unscorable = sum(r.result.status == "unscorable" for r in rows)
    not_applicable = len(rows) - unscorable
    parts = [f"{unscorable} unscorable" if unscorable else "", f"{not_applicable} not applicable" if not_applicable else ""]
    return "no indicator row could be scored: " + ", ".join(p for p in parts if p)


def _holds(condition, facts: Facts) -> bool:
    try:
        return bool(condition(facts))
    except Unavailable:
        return False  # a row the condition cannot be decided for is passed over


def _checks(evaluator: Evaluator, rows, facts: list[Facts], total: Decimal | None, budget=None,
            budget_facts: Facts | None = None) -> list[Finding]:
    """The ruleset's own checks that fire: a row check names its rows; on
    the budget row (``row is budget_execution``) it says so, with no row
    number (the rows are numbered from 1, the budget row is apart)."""
    findings = []
    for check, condition in evaluator.row_checks:
        hit = [scored.index for scored, row_facts in zip(rows, facts) if _holds(condition, row_facts)]
        if hit:
            findings.append(Finding(check.name, check.severity, check.message, hit))
        if budget_facts is not None and _holds(condition, budget_facts):
            findings.append(Finding(check.name, check.severity, f"{check.message} (the budget-execution row)"))
    for check, condition in evaluator.sheet_checks:
        try:
            if condition(SheetFacts(facts, Decimal(0), total, budget_facts)):
                findings.append(Finding(check.name, check.severity, check.message))
        except Unavailable:
            continue
    return findings
