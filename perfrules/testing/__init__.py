"""Property-based testing of scoring policy, with Hypothesis.

- strategies for targets, actuals, rows and sheets (:mod:`.strategies`);
- :func:`run_properties`: test the ``expect`` properties a ruleset declares;
- :func:`check_ruleset`: the same inside a test suite, failing the test
  with the smallest counterexample::

      from perfrules.testing import check_ruleset

      def test_policy():
          check_ruleset("rulesets/mof/2020.rules")
"""

from __future__ import annotations

from pathlib import Path

from ..ruleset import Ruleset
from .properties import Counterexample, PropertyResult, Report, describe_row, run_properties
from .strategies import actual_texts, actuals, budget_rows, completions, rows, sheets, target_texts, targets

__all__ = [
    "check_ruleset", "run_properties", "Report", "PropertyResult", "Counterexample", "describe_row",
    "targets", "actuals", "rows", "budget_rows", "sheets", "completions", "target_texts", "actual_texts",
]


class PropertyFailed(AssertionError):
    """A ruleset's property does not hold; the message holds the report."""


def check_ruleset(ruleset: Ruleset | str | Path, *, max_examples: int = 200, seed: int | None = None,
                  database="default") -> Report:
    """Test the properties of ``ruleset`` (a :class:`~perfrules.Ruleset` or
    a path); raise :class:`PropertyFailed` (an AssertionError, so a test
    fails) with the counterexamples.  Uses Hypothesis' example database, so
    a failure found once is tried first the next time."""
    if not isinstance(ruleset, Ruleset):
        ruleset = Ruleset.from_file(ruleset)
    if database == "default":
        from hypothesis import settings

        default = settings.default
        assert default is not None  # Hypothesis loads its default profile when imported
        database = default.database
    report = run_properties(ruleset, max_examples=max_examples, seed=seed, database=database)
    if not report.passed:
        raise PropertyFailed(report.text())
    return report


__all__.append("PropertyFailed")
