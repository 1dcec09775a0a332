"""Testing scoring policy: examples, properties with Hypothesis, coverage.

- :func:`run_examples`: the ``example`` cases a ruleset states, each scored
  and compared with what it says;
- :func:`run_properties`: the ``expect`` properties, on generated rows;
- strategies for targets, actuals, rows and sheets (:mod:`.strategies`),
  in a ruleset's own vocabulary (:func:`vocabulary_of`);
- :func:`coverage_of`: what reached each rule and check;
- :func:`check_ruleset`: all of it inside a test suite, failing the test
  with the report::

      from perfrules.testing import check_ruleset

      def test_policy():
          check_ruleset("rulesets/mof/2020.rules")
"""

from __future__ import annotations

from pathlib import Path

from ..ruleset import Ruleset
from .coverage import Coverage, ItemCoverage, coverage_of
from .examples import ExampleResult, ExamplesReport, run_examples
from .policy import PolicyReport, check_policy, ruleset_files
from .properties import Counterexample, PropertyResult, Report, describe_row, run_properties
from .strategies import actual_texts, actuals, budget_rows, completions, rows, sheets, target_texts, targets
from .vocabulary import Vocabulary, vocabulary_of

__all__ = [
    "check_ruleset", "run_properties", "Report", "PropertyResult", "Counterexample", "describe_row",
    "run_examples", "ExamplesReport", "ExampleResult", "coverage_of", "Coverage", "ItemCoverage",
    "check_policy", "PolicyReport", "ruleset_files", "vocabulary_of", "Vocabulary",
    "targets", "actuals", "rows", "budget_rows", "sheets", "completions", "target_texts", "actual_texts",
]


class PropertyFailed(AssertionError):
    """A ruleset does not pass: an example or a property does not hold (or,
    under ``strict``, it has warnings or untested items); the message holds
    the report."""


def check_ruleset(ruleset: Ruleset | str | Path, *, max_examples: int = 200, seed: int | None = None,
                  database="default", strict: bool = False) -> PolicyReport:
    """Check ``ruleset`` (a :class:`~perfrules.Ruleset` or a path) as
    ``perfrules check`` does: its examples, its properties and, with
    ``strict``, its warnings and coverage.  Raise :class:`PropertyFailed`
    (an AssertionError, so a test fails) with the report when it does not
    pass.  Uses Hypothesis' example database, so a failure found once is
    tried first the next time."""
    if not isinstance(ruleset, Ruleset):
        ruleset = Ruleset.from_file(ruleset)
    if database == "default":
        from hypothesis import settings

        default = settings.default
        assert default is not None  # Hypothesis loads its default profile when imported
        database = default.database
    report = check_policy(ruleset, max_examples=max_examples, seed=seed, database=database, strict=strict)
    if not report.passed:
        raise PropertyFailed(report.text())
    return report


__all__.append("PropertyFailed")
