"""The results of scoring, on the ground floor: what a scored row, a
scored sheet and an audit finding are.  Every stage that produces or reads
results imports them from here; :mod:`perfrules` exports them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, get_args

import attrs

from ._convert import ints
from .numbers import format_short
from .records import Row, Sheet

__all__ = ["Status", "STATUSES", "Severity", "SEVERITIES", "Discretionary", "Step", "RowResult", "status_of",
           "Finding", "ScoredRow", "SheetRuleResult", "RulesetIdentity", "ScoreSheet"]

#: Every status a scored row can have.
Status = Literal["agrees", "within_discretion", "differs", "unreported", "unscorable", "not_applicable"]
STATUSES: tuple[str, ...] = get_args(Status)

#: How much a finding matters, most first.
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = get_args(Severity)


@attrs.frozen
class Discretionary:
    """A score the policy leaves to the assessor between ``low`` and
    ``high``; ``default`` is the value the engine reports."""

    low: Decimal
    high: Decimal
    default: Decimal

    def __str__(self) -> str:
        return f"{format_short(self.low)} .. {format_short(self.high)} (default {format_short(self.default)})"


@attrs.frozen
class Step:
    """One line of a trace: what was looked at or computed, and its value."""

    label: str
    value: str

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"


@attrs.frozen
class RowResult:
    """How one row scored: the ``rule`` that fired, the ``score`` (rounded),
    the ``allowed`` range (``low`` = ``high`` unless the rule leaves a
    choice), the unit's ``reported`` score and the ``status`` that compares
    them; ``reason`` says why a row is unscorable; ``trace`` explains it."""

    status: Status = attrs.field(validator=attrs.validators.in_(STATUSES))
    score: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    reported: Decimal | None = None
    rule: str | None = None
    because: str | None = None
    reason: str | None = None
    trace: tuple[Step, ...] = ()

    @property
    def allowed(self) -> tuple[Decimal, Decimal] | None:
        """``(low, high)``: the scores the policy allows for this row."""
        if self.low is None:
            return None
        assert self.high is not None  # the scorer sets low and high together
        return (self.low, self.high)

    def explain(self) -> str:
        """The trace as text, one step per line."""
        return "\n".join(str(step) for step in self.trace)


def status_of(score: Decimal, low: Decimal, high: Decimal, reported: Decimal | None) -> Status:
    """Compare a reported score with the computed one and its range: a
    score the policy leaves to the assessor is ``within_discretion`` when the
    reported one lies in the range, even at the default."""
    if reported is None:
        return "unreported"
    if low != high and low <= reported <= high:
        return "within_discretion"
    if reported == score:
        return "agrees"
    return "differs"


@attrs.frozen
class Finding:
    """Something in the sheet that does not add up or needs a look."""

    code: str
    severity: Severity = attrs.field(validator=attrs.validators.in_(SEVERITIES))
    message: str
    rows: tuple[int, ...] = attrs.field(default=(), converter=ints)

    def __str__(self) -> str:
        where = f" ({'row' if len(self.rows) == 1 else 'rows'} {', '.join(map(str, self.rows))})" if self.rows else ""
        return f"{self.severity}: {self.code}: {self.message}{where}"


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
    #: The scores the policy allows (``low`` = ``high`` = ``score`` unless
    #: the rule leaves a choice); None when there is no score.
    low: Decimal | None = None
    high: Decimal | None = None

    @property
    def allowed(self) -> tuple[Decimal, Decimal] | None:
        """``(low, high)``: the scores the policy allows for this rule."""
        if self.low is None:
            return None
        assert self.high is not None  # the scorer sets low and high together
        return (self.low, self.high)


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

    def differs(self) -> list[ScoredRow]:
        """Rows whose reported score the rules do not allow."""
        scored = ([self.budget] if self.budget else []) + list(self.rows)
        return [r for r in scored if r.result.status == "differs"]
