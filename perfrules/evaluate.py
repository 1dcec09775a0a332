"""Scoring a whole sheet: :func:`score` picks the ruleset (by name, by
the sheet's fiscal year), calls :meth:`~perfrules.Ruleset.score_sheet`
and adds the audit's findings (:func:`~perfrules.audit.audit`).
It is the main job of perfrules.

>>> from perfrules.readers import read_sheet
>>> result = score(read_sheet("examples/tianjin-kjj-2024-zhengti.txt"))
>>> result.ruleset.name, len(result.rows), result.budget.result.score, result.reported_total
('mof', 60, Decimal('9.65'), Decimal('93.95'))
"""

from __future__ import annotations

import os

import attrs

from .audit import audit
from .readers import read_sheet
from .records import Sheet
from .results import SEVERITIES, Finding, RulesetIdentity, ScoredRow, ScoreSheet, SheetRuleResult
from .registry import DEFAULT_RULESET, ENVIRONMENT_VARIABLE, Registry, year_note
from .ruleset import Ruleset

__all__ = ["score", "ScoreSheet", "ScoredRow", "RulesetIdentity", "SheetRuleResult"]


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
    scored = chosen.score_sheet(sheet, trace=trace)
    # The ruleset's checks, the audit and the year's warning, errors first.
    findings = year_findings + audit(scored, chosen) + list(scored.findings)
    return attrs.evolve(scored, findings=tuple(sorted(findings, key=lambda f: SEVERITIES.index(f.severity))))
