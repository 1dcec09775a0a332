"""How faithfully tables are read: rows, budget blocks and totals compared
with hand-labelled ones.

The labels are two CSV files beside the tables, as in the project's test
data (``tests/data/dev``): ``rows.csv`` (file, name, target_text,
actual_text, weight, score …) and ``blocks.csv`` (file, table,
budget_full_year, executed, budget_weight, budget_score, reported_total).
A row is *right* when a row of the same name has the labelled cells and can
be scored; *flagged* when it is marked unscorable; *silent* when it is
read wrong without a flag (or read where no row is labelled).
``benchmarks/fidelity.py`` prints the measure; the tests hold it.
"""

from __future__ import annotations

import collections
import csv
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import attrs

from .fold import clean

__all__ = ["Fidelity", "measure"]

_MARKER = re.compile(r"^指标\d+[:.：、]?")


def _norm(text: str | None) -> str:
    return _MARKER.sub("", re.sub(r"[\s|│]", "", clean(text or "")))


def _number(text) -> Decimal | None:
    text = str(text if text is not None else "").strip().rstrip("%").replace(",", "")
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


@attrs.frozen
class Fidelity:
    """Counts over a folder of labelled tables, and what was not right."""

    labelled: int
    right: int
    flagged: int
    silent: int
    missing: int
    budgets: int
    budgets_right: int
    totals: int
    totals_right: int
    notes: tuple[str, ...] = ()

    @property
    def share(self) -> float:
        return self.right / self.labelled if self.labelled else 1.0


def measure(folder: str | Path, score) -> Fidelity:
    """Read and score every labelled table in ``folder``; ``score`` maps a
    path to its scored sheets (:class:`~perfrules.evaluate.ScoreSheet`)."""
    folder = Path(folder)
    labelled = collections.defaultdict(list)
    with open(folder / "rows.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            labelled[row["file"]].append(row)
    blocks = collections.defaultdict(list)
    with open(folder / "blocks.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            blocks[row["file"]].append(row)
    count: collections.Counter = collections.Counter()
    notes = []
    for name in sorted(set(labelled) | set(blocks)):
        scored = score(folder / name)
        rows = [entry for sheet in scored for entry in sheet.rows]
        used: set[int] = set()
        for want in labelled.get(name, []):
            count["labelled"] += 1
            hits = [i for i, e in enumerate(rows) if i not in used and _norm(e.row.name) == _norm(want["name"])]
            if not hits:
                count["missing"] += 1
                notes.append(f"{name}: missing {want['name']}")
                continue
            used.add(hits[0])
            entry = rows[hits[0]]
            row = entry.row
            same = (_norm(row.target.text) == _norm(want["target_text"])
                    and _norm(row.actual.text) == _norm(want["actual_text"])
                    and row.weight == _number(want["weight"]) and row.reported == _number(want["score"]))
            if entry.result.status == "unscorable":
                count["flagged"] += 1
                notes.append(f"{name}: flagged {want['name']}: {entry.result.reason}")
            elif same:
                count["right"] += 1
            else:
                count["silent"] += 1
                notes.append(f"{name}: silent {want['name']}: {row.target.text!r} {row.actual.text!r} "
                             f"{row.weight} {row.reported}")
        for i, entry in enumerate(rows):
            if i not in used and entry.result.status != "unscorable":
                count["silent"] += 1
                notes.append(f"{name}: silent extra row {entry.row.name}")
        for index, want in enumerate(blocks.get(name, [])):
            sheet = scored[index] if index < len(scored) else None
            if want["budget_full_year"] or want["executed"]:
                count["budgets"] += 1
                budget = sheet.sheet.budget if sheet is not None else None
                pairs = [(want["budget_full_year"], budget and budget.budget), (want["executed"], budget and budget.spent),
                         (want["budget_weight"], budget and budget.weight), (want["budget_score"], budget and budget.reported)]
                if all(not w or _number(w) == g for w, g in pairs):
                    count["budgets_right"] += 1
                else:
                    notes.append(f"{name}#{index + 1}: budget read as {[g for _, g in pairs]}")
            if want["reported_total"]:
                count["totals"] += 1
                got = sheet.sheet.reported_total if sheet is not None else None
                if got == _number(want["reported_total"]):
                    count["totals_right"] += 1
                else:
                    notes.append(f"{name}#{index + 1}: total read as {got}")
    return Fidelity(count["labelled"], count["right"], count["flagged"], count["silent"], count["missing"],
                    count["budgets"], count["budgets_right"], count["totals"], count["totals_right"], tuple(notes))
