"""How fast perfrules scores rows, against a hand-written Python function.

One fixed policy (higher/lower/exact/qualitative rows, the overshoot cut,
rounding half-up to 0.01) is written twice: as a perfrules ruleset and as a
plain Python function.  Both score the same seeded rows and must agree on
every score; then each is timed in this process:

(a) compiled evaluation of already-parsed rows      compiled_rows_per_s
    (one call a row; ``batch_rows_per_s`` is evaluate_many, and
    ``traced_rows_per_s`` the cost of asking for the trace)
(b) the hand-written function on the same rows       baseline_rows_per_s
(c) end to end from cell text, every text unique     text_unique_rows_per_s
(d) end to end from cell text, seed-like repetition  text_repeated_rows_per_s
(e) ruleset load + compile                           compile_ms
    (``compile_shipped_ms``: the slowest shipped ruleset, extends included)
(f) `perfrules score` on the seed table, cold         cli_seconds
(g) whole tables (benchmarks/tables.py): copies of the bundled table
    through one `perfrules score` run                  tables_per_s,
                                                       tables_per_s_jobs2
    and one table of 100,000 rows (--quick: 20,000) as JSON,
    end to end                                         big_table_seconds,
                                                       big_table_mb
(h) the columnar path (benchmarks/columns.py) on the peer benchmark's
    records, beside the hand-written function          columnar_rows_per_s,
                                                       columnar_ratio

The last line printed is one JSON object with those keys and
``ratio`` = (a) / (b).  Run ``python benchmarks/bench.py`` (``--quick`` for
a shorter run).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from perfrules import Registry, Row, Ruleset  # noqa: E402

POLICY = """
ruleset bench
version 1
rounding 0.01 half-up

rule qualitative
  when target is qualitative
  score weight * band {
    达成: 80% .. 100% default 100% words "达成" "完成";
    部分达成: 60% .. 80% default 70% words "部分" "基本";
    未达成: 0% .. 60% default 30%
  }

rule shortfall
  when (direction is higher or direction is exact) and actual < target
  score weight * actual / target

rule overshoot
  when direction is higher and deviation > 30%
  score weight * (50% .. 100%) default 100%

rule overrun
  when direction is lower and actual > target
  score weight * max(0, 1 - overrun)

rule met
  otherwise
  score weight
"""

_CENT = Decimal("0.01")
_ONE = Decimal(1)
_CUT = Decimal("1.3")
_PARTIAL, _MISSED = Decimal("0.7"), Decimal("0.3")


def handwritten(row: Row) -> Decimal:
    """The same policy, as a person would write it in Python."""
    weight, target = row.weight, row.target
    if target.kind == "qualitative":
        text = row.actual.text or ""
        if "部分" in text or "基本" in text:
            share = _PARTIAL
        elif "达成" in text or "完成" in text:
            share = _ONE
        else:
            share = _MISSED
        return (weight * share).quantize(_CENT, ROUND_HALF_UP)
    t = target.quantity.value
    a = row.actual.quantity.value
    op = target.op
    if op in ("ge", "gt", "eq") and a < t:
        score = weight * a / t
    elif op in ("ge", "gt") and a / t > _CUT:
        score = weight
    elif op in ("le", "lt") and a > t:
        score = weight * max(Decimal(0), _ONE - (a / t - _ONE))
    else:
        score = weight
    return score.quantize(_CENT, ROUND_HALF_UP)


def texts(count: int, seed: int, *, unique: bool) -> list[tuple[str, str, str]]:
    """(target, actual, weight) cell texts: 55% higher, 20% lower, 15% exact,
    10% qualitative; completion 0.3 to 2.5 with the branch edges."""
    rng = random.Random(seed)
    units = ["项", "家", "次", "万元", "%", "人次", "个月"]
    edges = [Decimal("1"), Decimal("1.3"), Decimal("2")]
    out = []
    for i in range(count):
        weight = rng.choice(["1", "2", "10"])
        kind = rng.random()
        if kind < 0.10:
            target = rng.choice(["促进技术发展", "提升服务水平"]) + (str(i) if unique else "")
            actual = rng.choice(["全部达成预期指标", "基本完成", "部分达成", "效果一般"]) + (str(i) if unique else "")
            out.append((target, actual, weight))
            continue
        op = "≥" if kind < 0.65 else "≤" if kind < 0.85 else "="
        value = rng.randint(1, 5000) if unique else rng.choice([10, 40, 100, 300, 5115])
        completion = rng.choice(edges) if rng.random() < 0.1 else Decimal(rng.randint(30, 250)) / 100
        unit = rng.choice(units)
        actual = (Decimal(value) * completion).quantize(_CENT)
        out.append((f"{op}{value}{unit}", f"{actual.normalize():f}{unit}", weight))
    return out


def rows_from(cells) -> list[Row]:
    return [Row.of(target=t, actual=a, weight=w) for t, a, w in cells]


def best_rate(function, items, repeats: int) -> float:
    """Items per second, the median of ``repeats`` runs."""
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(items)
        rates.append(len(items) / (time.perf_counter() - start))
    return statistics.median(rates)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rows and repeats (under a minute)")
    parser.add_argument("--rows", type=int, help="rows per run (default 100000, quick 20000)")
    args = parser.parse_args(argv)
    count = args.rows or (20_000 if args.quick else 100_000)
    repeats = 3 if args.quick else 5

    start = time.perf_counter()
    for _ in range(20):
        ruleset = Ruleset.from_text(POLICY)
    compile_ms = (time.perf_counter() - start) / 20 * 1000
    # The shipped rulesets, each read, checked and compiled afresh
    # (``extends`` included): the slowest of them.
    registry = Registry()
    shipped_ms = 0.0
    for name in registry.names():
        start = time.perf_counter()
        for _ in range(5):
            Registry().resolve(name)
        shipped_ms = max(shipped_ms, (time.perf_counter() - start) / 5 * 1000)

    rows = rows_from(texts(count, seed=7, unique=False))
    mismatches = [(r, ruleset.evaluate(r).score, handwritten(r)) for r in rows[:20_000]
                  if ruleset.evaluate(r, trace=False).score != handwritten(r)]
    if mismatches:
        row, ours, theirs = mismatches[0]
        print(f"MISMATCH on {len(mismatches)} rows, e.g. {row.target.text} / {row.actual.text}: "
              f"perfrules {ours}, hand-written {theirs}")
        return 1

    def compiled(items):
        for row in items:
            ruleset.evaluate(row, trace=False)

    def baseline(items):
        for row in items:
            handwritten(row)

    def from_text(items):
        for target, actual, weight in items:
            ruleset.evaluate(Row.of(target=target, actual=actual, weight=weight), trace=False)

    # (a) and (b) alternate, so a busy moment of the machine falls on both.
    compiled_rates, baseline_rates = [], []
    for _ in range(repeats):
        compiled_rates.append(best_rate(compiled, rows, 1))
        baseline_rates.append(best_rate(baseline, rows, 1))
    compiled_rate, baseline_rate = statistics.median(compiled_rates), statistics.median(baseline_rates)
    batch_rate = best_rate(ruleset.evaluate_many, rows, repeats)
    traced_rate = best_rate(lambda items: [ruleset.evaluate(r) for r in items], rows[: count // 5], repeats)
    unique_cells = texts(count // 5, seed=11, unique=True)
    unique_rate = best_rate(from_text, unique_cells, 1)
    repeated_rate = best_rate(from_text, texts(count // 5, seed=13, unique=False), repeats)

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    seed_table = str(ROOT / "examples" / "tianjin-kjj-2024-zhengti.txt")
    cli_runs = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "perfrules", "score", seed_table], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        cli_runs.append(time.perf_counter() - start)

    import columns
    import tables

    whole = tables.measure(quick=args.quick)
    columnar = columns.measure(count, repeats)

    result = {
        "compiled_rows_per_s": round(compiled_rate),
        "baseline_rows_per_s": round(baseline_rate),
        "ratio": round(compiled_rate / baseline_rate, 3),
        "traced_rows_per_s": round(traced_rate),
        "text_unique_rows_per_s": round(unique_rate),
        "text_repeated_rows_per_s": round(repeated_rate),
        "batch_rows_per_s": round(batch_rate),
        "compile_ms": round(compile_ms, 2),
        "compile_shipped_ms": round(shipped_ms, 2),
        "cli_seconds": round(statistics.median(cli_runs), 3),
        "tables_per_s": whole["tables_per_s"],
        "tables_per_s_jobs2": whole["tables_per_s_jobs2"],
        "big_table_seconds": whole["big_table_seconds"],
        "big_table_rows": whole["big_table_rows"],
        "big_table_mb": whole["big_table_mb"],
        "columnar_rows_per_s": columnar["columnar_rows_per_s"],
        "columnar_ratio": columnar["columnar_ratio"],
        "columnar_fallback_rows": columnar["columnar_fallback_rows"],
    }
    width = max(map(len, result))
    print(f"perfrules benchmark: {count} rows, median of {repeats}; Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} cores")
    for key, value in result.items():
        print(f"  {key:<{width}}  {value}")
    print("ratios, each measured in this run:")
    print(f"  compiled rows ÷ hand-written                {result['ratio']:.2f}")
    print(f"  columnar ÷ hand-written (peer workload)     {columnar['columnar_ratio']:.2f}")
    print(f"  columnar ÷ row path from mappings           "
          f"{columnar['columnar_rows_per_s'] / columnar['row_path_rows_per_s']:.1f}")
    print(f"  tables/s ÷ one table's cost alone           {whole['tables_per_s'] / whole['one_table_per_s']:.2f}")
    print(f"  two jobs ÷ one job                          {whole['jobs2_speedup']:.2f}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
