"""Coverage of a ruleset: for each rule, check and sheet rule, how many
examples and how many generated rows (or tables) reached it.

A rule is reached when it scores a row; a check when it flags one (a
sheet check, a table); a sheet rule when it gives a table points.  What a
file adds and nothing reached is untested: ``perfrules check --strict``
fails on it.
"""

from __future__ import annotations

from collections import Counter

import attrs

__all__ = ["ItemCoverage", "Coverage", "coverage_of"]


@attrs.frozen
class ItemCoverage:
    """One rule (``what`` is ``rule``), ``check``, ``sheet check`` or
    ``sheet rule``: the examples and generated rows that reached it, and
    whether the file itself adds it (``own``)."""

    what: str
    name: str
    own: bool
    examples: int
    generated: int

    @property
    def reached(self) -> bool:
        """Whether anything reached it."""
        return bool(self.examples or self.generated)


@attrs.frozen
class Coverage:
    """The coverage of every rule, check and sheet rule of a ruleset;
    ``generated`` is False when no rows were generated (properties off)."""

    ruleset: str
    items: tuple[ItemCoverage, ...]
    generated: bool = True

    def unreached(self, *, own: bool = True) -> tuple[ItemCoverage, ...]:
        """What nothing reached (only what the file adds, by default)."""
        return tuple(i for i in self.items if not i.reached and (i.own or not own))

    def text(self) -> str:
        """The coverage as ``perfrules check`` prints it: one line per item,
        examples + generated rows, the file's own items marked ``*``."""
        source = "examples + generated rows" if self.generated else "examples (no rows generated)"
        lines = [f"{self.ruleset}: coverage ({source}; * added by this file)"]
        for item in self.items:
            mark = "*" if item.own else " "
            count = f"{item.examples} + {item.generated}" if self.generated else f"{item.examples}"
            lines.append(f"  {mark} {item.what} {item.name}: {count}{'' if item.reached or not item.own else '  NOT REACHED'}")
        return "\n".join(lines)

    def to_json(self) -> dict:
        """The coverage as a JSON-ready dict."""
        return {"ruleset": self.ruleset, "generated": self.generated,
                "items": [{"what": i.what, "name": i.name, "own": i.own, "examples": i.examples,
                           "generated": i.generated, "reached": i.reached} for i in self.items]}


def _from_examples(examples) -> Counter:
    reached: Counter = Counter()
    for example in examples.examples if examples is not None else ():
        scored = example.scored
        if scored is None:
            continue
        for entry in ([scored.budget] if scored.budget else []) + list(scored.rows):
            if entry.result.rule is not None:
                reached["rule", entry.result.rule] += 1
        for finding in scored.findings:
            reached["check", finding.code] += max(1, len(finding.rows))
        for part in scored.sheet_rules:
            if part.score is not None:
                reached["sheet rule", part.name] += 1
    return reached


def coverage_of(ruleset, examples=None, properties=None) -> Coverage:
    """The coverage of ``ruleset`` by an :class:`~.examples.ExamplesReport`
    and a properties :class:`~.properties.Report` (either may be None)."""
    model = ruleset.model
    own = set(model.own)
    by_examples = _from_examples(examples)
    fired = properties.fired if properties is not None else {}
    flagged = properties.flagged if properties is not None else {}
    parts = properties.sheet_rules if properties is not None else {}
    items = [ItemCoverage("rule", r.name, ("rule", r.name) in own, by_examples["rule", r.name], fired.get(r.name, 0))
             for r in model.rules]
    for check in model.checks:
        what = "sheet check" if check.sheet else "check"
        items.append(ItemCoverage(what, check.name, (what, check.name) in own, by_examples["check", check.name],
                                  flagged.get(check.name, 0)))
    items += [ItemCoverage("sheet rule", r.name, ("sheet rule", r.name) in own, by_examples["sheet rule", r.name],
                           parts.get(r.name, 0)) for r in model.sheet_rules]
    return Coverage(f"{ruleset.name}@{ruleset.version}", tuple(items), generated=properties is not None)
