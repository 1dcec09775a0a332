"""Whole tables through ``perfrules score``, as a bureau runs it (issue 19).

(a) ``tables_per_s``: N copies of the bundled table scored by one
    ``perfrules score FOLDER`` run (start-up included), and
    ``tables_per_s_jobs2`` the same with ``--jobs 2``; beside them what one
    table costs alone in this process (read + score + table), as the rate
    it would allow (``one_table_per_s``).
(b) ``big_table_seconds``: one CSV table of 100,000 valid rows through
    ``perfrules score --format json -o OUT``, end to end in a fresh
    process, and its peak memory (``big_table_mb``).

Run ``python benchmarks/tables.py`` (``--quick``: 200 tables, 20,000 rows);
``bench.py`` runs it too and puts its numbers in its last JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "tianjin-kjj-2024-zhengti.txt"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bigtable import big_csv  # noqa: E402

# A child process's peak memory, measured by a parent that has no other child.
_PEAK = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(peak * (1 if sys.platform == 'darwin' else 1024), done.returncode)\n"
)


def _environment() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _cli(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "perfrules", *arguments]


def _timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak bytes of ``command`` (its exit status must be 0 or 1)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK, *command], env=_environment(), capture_output=True,
                          text=True, check=True)
    seconds = time.perf_counter() - start
    peak, status = done.stdout.split()
    if int(status) not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} exited {status}")
    return seconds, int(peak)


def one_table_seconds(repeats: int = 20) -> float:
    """Read, score and render the bundled table as a table, in this process
    (the median of ``repeats``, after one run that fills the caches)."""
    import perfrules
    from perfrules.report import render

    def once():
        render(perfrules.score(perfrules.read_sheet(SEED), trace=False), "table")

    once()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        once()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def tables_per_s(count: int, jobs: int, repeats: int) -> float:
    """Tables per second of ``perfrules score FOLDER --jobs JOBS`` on
    ``count`` copies of the bundled table (start-up included)."""
    folder = Path(tempfile.mkdtemp(prefix="perfrules-tables-"))
    try:
        for number in range(count):
            shutil.copyfile(SEED, folder / f"table{number:05d}.txt")
        rates = [count / _timed(_cli("score", str(folder), "--jobs", str(jobs)))[0] for _ in range(repeats)]
        return statistics.median(rates)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def big_table(rows: int) -> tuple[float, int]:
    """Seconds and peak bytes of ``perfrules score BIG.csv --format json -o
    OUT`` on a table of ``rows`` valid rows."""
    folder = Path(tempfile.mkdtemp(prefix="perfrules-big-"))
    try:
        table = folder / "big.csv"
        table.write_text(big_csv(rows), encoding="utf-8")
        return _timed(_cli("score", str(table), "--format", "json", "-o", str(folder / "big.json")))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure(*, quick: bool) -> dict:
    """The numbers of (a) and (b)."""
    count, rows, repeats = (200, 20_000, 1) if quick else (1000, 100_000, 3)
    alone = one_table_seconds()
    one = tables_per_s(count, 1, repeats)
    two = tables_per_s(count, 2, repeats)
    seconds, peak = big_table(rows)
    return {
        "tables": count,
        "tables_per_s": round(one, 1),
        "tables_per_s_jobs2": round(two, 1),
        "jobs2_speedup": round(two / one, 2),
        "one_table_per_s": round(1 / alone, 1),
        "big_table_rows": rows,
        "big_table_seconds": round(seconds, 2),
        "big_table_mb": round(peak / 2**20),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 tables and a 20,000-row table")
    args = parser.parse_args(argv)
    result = measure(quick=args.quick)
    width = max(map(len, result))
    for key, value in result.items():
        print(f"  {key:<{width}}  {value}")
    print(f"  one process runs {result['tables_per_s'] / result['one_table_per_s']:.2f} of what one table's cost "
          f"alone allows; two jobs {result['jobs2_speedup']:.2f}× one")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
