"""Everything ``perfrules check`` does to one ruleset after it compiles:
its examples, its properties (and the rows generated for coverage), its
coverage, and under ``strict`` what keeps it from passing.

:func:`check_policy` is shared by the command line and by
:func:`perfrules.testing.check_ruleset`, so a policy passes in pytest
exactly when it passes ``perfrules check``.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from ..ruleset import Ruleset
from .coverage import Coverage, coverage_of
from .examples import ExamplesReport, run_examples
from .properties import Report, run_properties

__all__ = ["PolicyReport", "check_policy", "ruleset_files"]


@attrs.frozen
class PolicyReport:
    """What checking one ruleset found.  ``passed`` when its examples and
    properties hold and, under ``strict``, nothing in ``strict_problems``
    (its warnings, and what it adds that nothing reached)."""

    ruleset: Ruleset = attrs.field(eq=False, repr=False)
    examples: ExamplesReport
    properties: Report | None
    coverage: Coverage
    strict: bool = False

    @property
    def strict_problems(self) -> tuple[str, ...]:
        """Why ``--strict`` fails the ruleset: each warning, and each rule,
        check or sheet rule the file adds that no example and no generated
        row reached."""
        found = [warning.message for warning in self.ruleset.warnings]
        for item in self.coverage.unreached():
            by = "no example" + (" and no generated row" if self.coverage.generated else
                                 " (properties were not run)")
            found.append(f"{item.what} '{item.name}', which this file adds, is reached by {by}")
        return tuple(found)

    @property
    def passed(self) -> bool:
        """Whether the ruleset passes (see the class)."""
        ok = self.examples.passed and (self.properties is None or self.properties.passed)
        return ok and not (self.strict and self.strict_problems)

    def text(self) -> str:
        """The reports as ``perfrules check`` prints them."""
        parts = []
        if self.examples.examples:
            parts.append(self.examples.text())
        if self.properties is not None and self.properties.properties:
            parts.append(self.properties.text())
        if self.coverage.items and (self.coverage.generated or self.examples.examples):
            parts.append(self.coverage.text())
        if self.strict and self.strict_problems:
            parts.append("strict: fails because\n" + "\n".join(f"  - {p.splitlines()[0]}"
                                                               for p in self.strict_problems))
        return "\n".join(parts)

    def to_json(self) -> dict:
        """The reports as JSON-ready values (keys of ``perfrules check --json``)."""
        return {
            "examples": self.examples.to_json(),
            "properties": self.properties.to_json() if self.properties is not None else None,
            "coverage": self.coverage.to_json(),
            "strict": list(self.strict_problems) if self.strict else None,
            "passed": self.passed,
        }


def check_policy(ruleset: Ruleset, *, properties: bool = True, max_examples: int = 200, seed: int | None = None,
                 database=None, strict: bool = False) -> PolicyReport:
    """Run the examples and (unless ``properties`` is False) the properties
    of ``ruleset``, and take its coverage."""
    examples = run_examples(ruleset)
    report = run_properties(ruleset, max_examples=max_examples, seed=seed, database=database) if properties else None
    return PolicyReport(ruleset, examples, report, coverage_of(ruleset, examples, report), strict)


def ruleset_files(folder: str | Path) -> list[Path]:
    """Every ``.rules`` file under ``folder``, sorted: a policy repository's
    rulesets, for ``pytest.mark.parametrize``."""
    return sorted(Path(folder).rglob("*.rules"))
