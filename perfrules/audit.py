"""Audit findings on a scored sheet: what an auditor should look at.

Each :class:`~perfrules.results.Finding` has a ``code``, a ``severity``
(``error``, ``warning`` or ``info``), a message and the indicator rows
concerned.  The engine reports; it never overwrites what the unit wrote.
:func:`audit` reads a :class:`~perfrules.results.ScoreSheet` and the
:class:`~perfrules.Ruleset` that scored it (its grades, level weights and
the direction and deviation it sees in a row); the ruleset's own checks
are run when it scores the sheet.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .dsl.runtime import round_to
from .numbers import format_short
from .results import SEVERITIES, Finding, ScoredRow, ScoreSheet
from .cells.values import ActualQuantity, BareValue, Comparison

__all__ = ["Finding", "audit", "SEVERITIES"]

_SLIP = (Decimal(8), Decimal("12.5"))  # an actual this many times its target is likely a slip
_BUDGET_LABEL = "预算执行率"


def _weights(sheet, model, rows, weight_total=None) -> list[Finding]:
    findings = []
    if model.weights:
        sums: dict[str, Decimal] = {}
        for scored in rows:
            if scored.row.weight is not None:
                label = scored.row.level1 or "(no level 1)"
                sums[label] = sums.get(label, Decimal(0)) + scored.row.weight
        if sheet.budget is not None and sheet.budget.weight is not None:
            sums[_BUDGET_LABEL] = sheet.budget.weight
        for entry in model.weights:
            found = sums.get(entry.label)
            if found is not None and found != entry.value:
                concerned = [s.index for s in rows if s.row.level1 == entry.label]
                findings.append(Finding(
                    "level_weights", "warning",
                    f"the {entry.label} rows weigh {format_short(found)}, the ruleset expects {format_short(entry.value)}",
                    concerned,
                ))
    total = weight_total
    if total is None:
        total = sum((s.row.weight for s in rows if s.row.weight is not None), Decimal(0))
        if sheet.budget is not None and sheet.budget.weight is not None:
            total += sheet.budget.weight
    # A table without weights has its own finding (read_doubt): no sum to check.
    if rows and total != 100 and any(s.row.weight is not None for s in rows):
        findings.append(Finding("weight_total", "warning", f"the weights add up to {format_short(total)}, not 100"))
    return findings


def _reported_total(sheet, budget, rows) -> list[Finding]:
    reported = [s.row.reported for s in rows if s.row.reported is not None]
    if budget is not None and budget.row.reported is not None:
        reported.append(budget.row.reported)
    if sheet.reported_total is None or not reported:
        return []
    added = sum(reported, Decimal(0))
    if added != sheet.reported_total:
        return [Finding("reported_total", "error",
                        f"the reported total {format_short(sheet.reported_total)} is not the sum of the reported "
                        f"scores, {format_short(added)}")]
    return []


def _execution(sheet) -> list[Finding]:
    budget = sheet.budget
    if budget is None or not budget.budget or budget.spent is None:
        return []
    written = budget.columns.get("执行率", "").strip()
    match = re.fullmatch(r"(\d+(?:\.(\d+))?)\s*%", written)
    if not match:
        return []
    rate = budget.spent / budget.budget * 100
    computed = round_to(rate, Decimal(1).scaleb(-len(match.group(2) or "")), "half-up")
    if Decimal(match.group(1)) != computed:
        return [Finding("execution_rate", "warning",
                        f"the reported execution rate {written} does not match "
                        f"{format_short(budget.spent)} / {format_short(budget.budget)} = {format_short(computed)}%")]
    return []


def _row_findings(rows) -> list[Finding]:
    above: list[int] = []
    units: list[tuple[int, str, str]] = []
    slips: list[tuple[int, Comparison | BareValue, ActualQuantity, Decimal | None]] = []
    unscorable: list[ScoredRow] = []
    reported_na: list[int] = []
    for scored in rows:
        row = scored.row
        if row.reported is not None and row.weight is not None and row.reported > row.weight:
            above.append(scored.index)
        target, actual = row.target, row.actual
        if isinstance(target, (Comparison, BareValue)) and isinstance(actual, ActualQuantity):
            t, a = target.quantity, actual.quantity
            if t.unit is not None and a.unit is not None and not t.compatible(a):
                units.append((scored.index, t.unit.symbol, a.unit.symbol))
            elif (t.unit is not None and t.unit.dimension == "ratio" and a.unit is None and 0 < a.value <= 1
                  and t.value > 1):
                slips.append((scored.index, target, actual, None))
            elif t.value > 0 and a.value > 0 and (t.unit is None or a.unit is None or t.compatible(a)):
                exact = a.ratio(t) if t.unit and a.unit else a.magnitude() / t.magnitude()
                ratio = Decimal(exact.numerator) / Decimal(exact.denominator)
                if _SLIP[0] <= ratio <= _SLIP[1] or 1 / _SLIP[1] <= ratio <= 1 / _SLIP[0]:
                    slips.append((scored.index, target, actual, ratio))
        if scored.result.status == "unscorable":
            unscorable.append(scored)
        if scored.result.status == "not_applicable" and row.reported and row.target.kind == "not_applicable":
            reported_na.append(scored.index)
    findings = []
    if above:
        budget = " (the budget row among them)" if 0 in above else ""
        findings.append(Finding("score_above_weight", "error", f"a reported score is above its weight{budget}",
                                [i for i in above if i]))
    # Index 0 is the budget row: findings name it in words, rows list indicators.
    for index, t_unit, a_unit in units:
        findings.append(Finding("incompatible_units", "warning",
                                f"the target is in {t_unit}, the actual in {a_unit}: they cannot be compared",
                                [index]))
    for index, target, actual, times in slips:
        if times is None:
            unit = target.quantity.unit
            assert unit is not None  # this slip is found only for a target in a ratio unit
            findings.append(Finding(
                "likely_slip", "warning",
                f"the actual {actual.text or actual} has no unit and looks like a fraction of 1, while the "
                f"target {target.text or target} is in {unit.symbol}: it is read as "
                f"{actual.quantity.value}{unit.symbol}",
                [index],
            ))
            continue
        findings.append(Finding(
            "likely_slip", "warning",
            f"the actual {actual.text or actual} is about {times.quantize(Decimal('0.1'))} times the target "
            f"{target.text or target}: likely a slip of the decimal point",
            [index],
        ))
    for scored in unscorable:
        label = "the budget row" if scored.index == 0 else None
        message = scored.result.reason or "cannot be scored"
        findings.append(Finding("unscorable", "warning", f"{label}: {message}" if label else message,
                                [scored.index] if scored.index else []))
    if reported_na:
        findings.append(Finding("not_applicable_scored", "warning",
                                "a row whose target is not applicable carries a reported score", reported_na))
    return findings


def _inversions(cut: list[tuple]) -> tuple[tuple | None, list[int]]:
    """In ``cut`` (sorted), the first pair ``a`` before ``b`` whose share
    ``b`` keeps more of, and the rows of every such pair, in linear time:
    a row is in one when a later row keeps more (the greatest share after
    it) or an earlier row keeps less (the least share before it)."""
    count = len(cut)
    greatest_after = [None] * count
    most = None
    for i in range(count - 1, -1, -1):
        greatest_after[i] = most
        share = cut[i][1]
        most = share if most is None or share > most else most
    concerned, first, least = set(), None, None
    for i, (_, share, row) in enumerate(cut):
        if greatest_after[i] is not None and greatest_after[i] > share:
            concerned.add(row)
            if first is None:
                first = i
        if least is not None and least < share:
            concerned.add(row)
        least = share if least is None or share < least else least
    if first is None:
        return None, []
    later = next(b for b in cut[first + 1 :] if b[1] > cut[first][1])
    return (cut[first], later), sorted(concerned)


def _overshoot(rows, ruleset) -> list[Finding]:
    """Overshoot cuts that are not monotone: a row further over its target
    cut less than one nearer to it."""
    cut = []
    for scored in rows:
        result, row = scored.result, scored.row
        if result.low is None or result.low == result.high or row.reported is None or not row.weight:
            continue
        if ruleset.value(row, "direction") != "higher":
            continue
        deviation = ruleset.value(row, "deviation")
        if deviation is not None and deviation > 0:
            cut.append((deviation, row.reported / row.weight, scored.index))
    cut.sort()
    pair, concerned = _inversions(cut)
    if pair is None:
        return []
    (dev_a, share_a, row_a), (dev_b, share_b, row_b) = pair
    return [Finding(
        "overshoot_not_monotone", "warning",
        f"overshoot cuts are not monotone in the deviation: row {row_a} ({(dev_a * 100).quantize(Decimal(1))}% "
        f"over) keeps {(share_a * 100).quantize(Decimal(1))}% of its weight, row {row_b} "
        f"({(dev_b * 100).quantize(Decimal(1))}% over) keeps {(share_b * 100).quantize(Decimal(1))}%",
        concerned,
    )]


def _grade(sheet, ruleset) -> list[Finding]:
    if sheet.reported_grade is None or sheet.reported_total is None:
        return []
    expected = ruleset.grade(sheet.reported_total)
    if expected is not None and not sheet.reported_grade.startswith(expected[0]):
        return [Finding("reported_grade", "error",
                        f"the reported grade {sheet.reported_grade} does not match the reported total "
                        f"{format_short(sheet.reported_total)}, which the ruleset grades {expected}")]
    return []


def _ruleset_of(scored: ScoreSheet):
    from .errors import PerfrulesError
    from .registry import Registry

    identity = scored.ruleset
    try:
        ruleset = Registry().resolve(f"{identity.name}@{identity.version}")
    except PerfrulesError:
        ruleset = None
    if ruleset is None or ruleset.sha256 != identity.sha256:
        raise ValueError(f"the rules that scored this sheet ({identity.name}@{identity.version}, sha256 "
                         f"{identity.sha256[:12]}) are not in the registry: pass the Ruleset to audit()")
    return ruleset


def _reading(sheet) -> list[Finding]:
    findings = []
    if not sheet.rows:
        findings.append(Finding("no_rows", "error", "no indicator rows were found in the table"))
    if sheet.unread:
        shown = "; ".join(sheet.unread[:3]) + (" …" if len(sheet.unread) > 3 else "")
        count = "1 line of the file is" if len(sheet.unread) == 1 else f"{len(sheet.unread)} lines of the file are"
        findings.append(Finding("unread_lines", "warning" if sheet.rows else "error",
                                f"{count} not part of the form as read: {shown}"))
    for note in sheet.read_notes:
        findings.append(Finding("read_doubt", "warning", note))
    return findings


def audit(scored: ScoreSheet, ruleset=None) -> list[Finding]:
    """Every finding of the audit on ``scored``, errors first (the ruleset's
    own checks are already in ``scored.findings``; this does not repeat
    them).  ``ruleset``: the :class:`~perfrules.Ruleset` that scored it;
    by default the registry's ruleset of that name and version, which must
    be the very rules (same sha256).

    >>> from perfrules import score
    >>> scored = score("examples/tianjin-kjj-2024-zhengti.txt")
    >>> found = audit(scored)
    >>> all(f in scored.findings for f in found), len(found) < len(scored.findings)  # the checks are the ruleset's
    (True, True)
    """
    if ruleset is None:
        ruleset = _ruleset_of(scored)
    sheet, budget, rows = scored.sheet, scored.budget, list(scored.rows)
    findings = (
        _reading(sheet)
        + _reported_total(sheet, budget, rows)
        + _grade(sheet, ruleset)
        + _execution(sheet)
        + _weights(sheet, ruleset.model, rows, scored.weight_total)
        + _row_findings(([budget] if budget is not None else []) + rows)
        + _overshoot(rows, ruleset)
    )
    return sorted(findings, key=lambda f: SEVERITIES.index(f.severity))
