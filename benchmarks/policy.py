"""How fast a policy is tested: examples, boundary rows and the coverage
sweep of ``perfrules check``, each against a baseline in the same process.

    python benchmarks/policy.py [--quick]

- examples: the cookbook's policies' examples run (built from the file,
  scored as tables and compared), per second, against scoring the same
  tables with ``perfrules.score`` directly (the baseline): the ratio is
  what building and comparing costs on top of scoring;
- boundary rows: the rows at ``mof@2020``'s own boundaries built and scored
  with coverage bookkeeping, per second, against ``Ruleset.evaluate`` on
  the same rows;
- check: ``check_policy`` on a cookbook policy (examples, properties,
  coverage sweep) against ``run_properties`` alone, at the same
  ``max_examples``: the ratio is what examples and coverage add.

The last line is a JSON object with the numbers.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from perfrules import Registry, Ruleset, score
from perfrules.dsl.examples import example_sheet
from perfrules.testing import check_policy, ruleset_files, run_examples, run_properties
from perfrules.testing.properties import _Runner, edges_of
from perfrules.testing.vocabulary import boundary_rows, vocabulary_of

ROOT = Path(__file__).resolve().parent.parent


def best(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    quick = "--quick" in sys.argv
    repeat = 3 if quick else 7
    policies = [Ruleset.from_file(path) for path in ruleset_files(ROOT / "examples" / "policies")]
    count = sum(len(p.model.examples) for p in policies)
    examples = best(lambda: [run_examples(p) for p in policies], repeat)
    sheets = [(p, example_sheet(e)) for p in policies for e in p.model.examples]
    baseline = best(lambda: [score(sheet, p) for p, sheet in sheets], repeat)
    print(f"examples: {count / examples:.0f}/s, scoring their tables alone {count / baseline:.0f}/s, "
          f"ratio {examples / baseline:.2f}")

    mof = Registry().resolve("mof@2020")
    rows = boundary_rows(vocabulary_of(mof.model), edges_of(mof.model))
    runner = _Runner(mof, max_examples=10, seed=0, database=None, verbose=False)
    swept = best(lambda: [runner.score(row) for row in boundary_rows(runner.vocabulary, runner.edges)], repeat)
    plain = best(lambda: [mof.evaluate(row, trace=False) for row in rows], repeat)
    print(f"boundary rows of mof@2020: {len(rows)}, built and scored with coverage {len(rows) / swept:.0f}/s, "
          f"evaluated alone {len(rows) / plain:.0f}/s, ratio {swept / plain:.2f}")

    policy = Ruleset.from_file(ROOT / "examples" / "policies" / "late-reason" / "2024.rules")
    n = 20 if quick else 100
    checked = best(lambda: check_policy(policy, max_examples=n, seed=0), 1 if quick else 3)
    properties = best(lambda: run_properties(policy, max_examples=n, seed=0, only=[
        name for name in ("bounded", "full_at_target", "rising", "falling", "covered", "smooth_at_target",
                          "late_flagged")]), 1 if quick else 3)
    print(f"check late-reason@2024 at {n} examples: {checked:.1f} s, its properties alone {properties:.1f} s, "
          f"ratio {checked / properties:.2f}")
    print(json.dumps({"examples_per_s": round(count / examples), "examples_ratio": round(examples / baseline, 2),
                      "boundary_rows": len(rows), "boundary_rows_per_s": round(len(rows) / swept),
                      "boundary_ratio": round(swept / plain, 2), "check_s": round(checked, 2),
                      "check_ratio": round(checked / properties, 2), "max_examples": n}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
