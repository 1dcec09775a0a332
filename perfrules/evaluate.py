"""Scoring a whole sheet: every row, the budget block, sheet rules, the
total and the grade.  :func:`score` is the main job of perfrules.

>>> from perfrules.readers import read_sheet
>>> result = score(read_sheet("examples/tianjin-kjj-2024-zhengti.txt"))
>>> result.ruleset.name, len(result.rows), result.budget.result.score, result.reported_total
('mof', 60, Decimal('9.65'), Decimal('93.95'))
"""

from __future__ import annotations

import os
from decimal import Decimal

import attrs

from .audit import SEVERITIES, Finding, audit
from .dsl.runtime import RowResult, SheetFacts, Unavailable, round_to
from .readers import read_sheet
from .records import Row, Sheet
from .registry import DEFAULT_RULESET, ENVIRONMENT_VARIABLE, Registry, year_note
from .ruleset import Ruleset

__all__ = ["score", "ScoreSheet", "ScoredRow", "RulesetIdentity", "SheetRuleResult"]


@attrs.frozen
class RulesetIdentity:
    """Which rules produced a result: enough to reproduce it years later."""

    name: str
    version: str
    sha256: str


@attrs.frozen
class ScoredRow:
    """A row of the sheet (``index`` counts indicator rows from 1) and how it
    scored."""

    index: int
    row: Row
    result: RowResult


@attrs.frozen
class SheetRuleResult:
    """What one of the ruleset's sheet-level rules (``sheet rule``) gave
    the whole sheet: its ``score`` out of ``weight``, or None with the
    ``reason`` it could not be computed."""

    name: str
    weight: Decimal
    score: Decimal | None
    reason: str | None = None


@attrs.frozen
class ScoreSheet:
    """A scored sheet: per-row results, the budget block, the computed
    ``total`` and ``grade`` beside the unit's reported ones, and the
    audit ``findings``."""

    sheet: Sheet
    ruleset: RulesetIdentity
    budget: ScoredRow | None
    rows: tuple[ScoredRow, ...]
    sheet_rules: tuple[SheetRuleResult, ...]
    total: Decimal | None
    weight_total: Decimal
    grade: str | None
    findings: tuple[Finding, ...]
    #: Why there is no ``total`` (and no ``grade``): no indicator row could be scored.
    total_reason: str | None = None

    @property
    def reported_total(self) -> Decimal | None:
        """The total the unit wrote on the table (None when it wrote none)."""
        return self.sheet.reported_total

    @property
    def reported_grade(self) -> str | None:
        """The grade (自评等级) the unit wrote on the table, if any."""
        return self.sheet.reported_grade

    def row(self, index: int) -> ScoredRow:
        """The indicator row numbered ``index`` (from 1)."""
        if not 1 <= index <= len(self.rows):
            raise IndexError(f"the sheet has rows 1 to {len(self.rows)}, not {index}")
        return self.rows[index - 1]

    def gaps(self) -> list[str]:
        """What keeps this result from being the score of the whole table:
        rows (the budget row among them) that could not be scored, lines of
        the file that were not read.  An audit with gaps is not a pass."""
        found = []
        unscorable = [r.index for r in self.rows if r.result.status == "unscorable"]
        if unscorable:
            found.append(f"{len(unscorable)} indicator row{'s' if len(unscorable) > 1 else ''} could not be "
                         f"scored (row{'s' if len(unscorable) > 1 else ''} {', '.join(map(str, unscorable))})")
        if self.budget is not None and self.budget.result.status == "unscorable":
            found.append("the budget row could not be scored")
        if self.sheet.unread:
            found.append(f"the table was only partly read ({len(self.sheet.unread)} lines not read)")
        # What the reader doubts about the table as a whole, where it says.
        found += [f"the reader notes: {note}" for note in getattr(self.sheet, "read_notes", ())]
        if self.total_reason:
            found.append(f"no total: {self.total_reason}")
        return found

    def to_frame(self):
        """The rows as a pandas DataFrame (:func:`perfrules.frames.result_frame`)."""
        from .frames import result_frame

        return result_frame(self)

    def differs(self) -> list[ScoredRow]:
        """Rows whose reported score the rules do not allow."""
        scored = ([self.budget] if self.budget else []) + list(self.rows)
        return [r for r in scored if r.result.status == "differs"]


_registries: dict[str | None, Registry] = {}


def _default_registry() -> Registry:
    # One per value of PERFRULES_PATH, so setting it takes effect.
    key = os.environ.get(ENVIRONMENT_VARIABLE)
    if key not in _registries:
        _registries[key] = Registry()
    return _registries[key]


def _choose(ruleset, sheet: Sheet, registry: Registry | None, strict_year: bool) -> tuple[Ruleset, list[Finding]]:
    if isinstance(ruleset, Ruleset):
        return ruleset, []
    if ruleset is not None and not isinstance(ruleset, str):
        raise TypeError(f"ruleset must be a Ruleset, a NAME[@VERSION] or None, not {type(ruleset).__name__}")
    registry = registry or _default_registry()
    entry = registry.entry(ruleset or DEFAULT_RULESET, year=sheet.fiscal_year, nearest=not strict_year)
    note = None if "@" in (ruleset or "") else year_note(entry, sheet.fiscal_year)
    findings = [Finding("ruleset_year", "warning", note)] if note else []
    return registry.resolve(entry.spec), findings


def score(
    sheet: Sheet | str | os.PathLike,
    ruleset: Ruleset | str | None = None,
    *,
    registry: Registry | None = None,
    trace: bool = True,
    strict_year: bool = False,
) -> ScoreSheet:
    """Score every row of ``sheet`` and audit it.

    ``sheet`` is a :class:`~perfrules.Sheet` or the path of a table file
    (read with :func:`~perfrules.read_sheet`).  ``ruleset`` is a
    :class:`~perfrules.Ruleset`, a ``NAME[@VERSION]`` to look up in
    ``registry`` (default: the shipped rulesets), or None for the default
    ruleset in effect in the sheet's fiscal year.  Where no version of it
    is in effect that year, the nearest version scores the sheet and a
    ``ruleset_year`` warning says so; ``strict_year=True`` raises a
    :class:`~perfrules.PerfrulesError` instead.
    """
    if isinstance(sheet, (str, os.PathLike)):
        sheet = read_sheet(sheet)
    elif not isinstance(sheet, Sheet):
        raise TypeError(f"sheet must be a Sheet or the path of a table file, not {type(sheet).__name__}")
    chosen, year_findings = _choose(ruleset, sheet, registry, strict_year)
    evaluator = chosen._evaluator
    model = chosen.model
    step, mode = model.rounding

    budget = None
    if sheet.budget is not None:
        budget = ScoredRow(0, sheet.budget, evaluator.evaluate(sheet.budget, trace=trace))
    rows = tuple(ScoredRow(i, row, evaluator.evaluate(row, trace=trace)) for i, row in enumerate(sheet.rows, 1))

    scored = ([budget] if budget else []) + list(rows)
    points = sum((r.result.score for r in scored if r.result.score is not None), Decimal(0))
    weight_total = sum((r.row.weight for r in scored if r.row.weight is not None), Decimal(0))
    not_applicable = sum(
        (r.row.weight for r in scored if r.result.status == "not_applicable" and r.row.weight is not None),
        Decimal(0),
    )

    facts = [evaluator.facts(r.row, r.result.score) for r in rows]
    sheet_results = []
    for rule, run in evaluator.sheet_rules:
        try:
            value = run(SheetFacts(facts, rule.weight, points))
            value = round_to(getattr(value, "default", value), step, mode)
            sheet_results.append(SheetRuleResult(rule.name, rule.weight, value))
            points += value
        except Unavailable as missing:
            sheet_results.append(SheetRuleResult(rule.name, rule.weight, None, missing.reason))
        weight_total += rule.weight

    total = None
    total_reason = _no_total(rows)
    if (scored or sheet_results) and total_reason is None:
        if not_applicable and weight_total > not_applicable and model.not_applicable == "rescale":
            points = points * weight_total / (weight_total - not_applicable)
        total = round_to(points, step, mode)
    grade = evaluator.grade(total)
    findings = audit(sheet, model, evaluator, budget, rows, facts, total, weight_total)
    if year_findings:  # in the audit's order: errors first
        findings = sorted(year_findings + findings, key=lambda f: SEVERITIES.index(f.severity))
    return ScoreSheet(
        sheet=sheet,
        ruleset=RulesetIdentity(chosen.name, chosen.version, chosen.sha256),
        budget=budget,
        rows=rows,
        sheet_rules=tuple(sheet_results),
        total=total,
        weight_total=weight_total,
        grade=grade,
        findings=tuple(findings),
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

