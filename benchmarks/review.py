"""Review a year of tables into a results store (issue 17).

Generates N tables (default 1,000) of 60 rows from the bundled one
(perfrules.testing.tables.variant: other units, years 2023 and 2024,
varied actuals and reported scores), then times ``perfrules review``'s
library path (what the command runs after start-up) into a fresh SQLite
store with ``jobs=1`` and ``jobs=2``, and a re-run that skips every
unchanged file.  Also timed, in the same process: scoring one table alone
(read + score + audit, with traces), the baseline for "one table's cost
inside the batch ÷ scoring it alone".  ``--profile`` prints where the time
of the jobs=1 run goes (cProfile, top functions by cumulative time).
The last line is a JSON object with the numbers.

    python benchmarks/review.py            # 1,000 tables
    python benchmarks/review.py --quick    # 100 tables
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

import perfrules
from perfrules.review import review
from perfrules.testing.tables import variant


def _write(folder: Path, count: int) -> list[Path]:
    paths = []
    for n in range(count):
        unit = f"第{n // 2 + 1}号单位"
        path = folder / f"{n:04d}.txt"
        path.write_text(variant(unit=unit, year=2023 + n % 2, seed=n), encoding="utf-8")
        paths.append(path)
    return paths


def _alone(paths: list[Path], repeat: int) -> float:
    """Median seconds to read, score (with traces) and audit one table."""
    times = []
    for path in paths[:repeat]:
        start = time.perf_counter()
        perfrules.score(perfrules.read_sheet(path))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _batch(folder: Path, store: Path, jobs: int) -> tuple[float, object]:
    start = time.perf_counter()
    done = review([folder], store=store, jobs=jobs)
    return time.perf_counter() - start, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="100 tables")
    parser.add_argument("--profile", action="store_true", help="profile the jobs=1 run")
    args = parser.parse_args()
    count = 100 if args.quick else args.tables
    results: dict = {"tables": count}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "tables"
        folder.mkdir()
        paths = _write(folder, count)
        perfrules.score(perfrules.read_sheet(paths[0]))  # warm: parsers and the ruleset compiled once
        for jobs in (1, 2):
            store = Path(scratch) / f"r{jobs}.db"
            profile = cProfile.Profile() if args.profile and jobs == 1 else None
            before = _alone(paths, 50)
            if profile:
                profile.enable()
            seconds, done = _batch(folder, store, jobs)
            if profile:
                profile.disable()
            # Alone, just before and just after the batch: on a shared
            # machine the load moves, and a busy minute should fall on both.
            alone = (before + _alone(paths, 50)) / 2
            results[f"jobs{jobs}_alone_s"] = alone
            assert done.scored == count and done.failed == 0, done
            results[f"jobs{jobs}_s"] = seconds
            results[f"jobs{jobs}_tables_per_s"] = count / seconds
            results[f"jobs{jobs}_per_table_over_alone"] = (seconds / count) / alone
            print(f"jobs={jobs}: {count} tables in {seconds:.1f} s = {count / seconds:.1f} tables/s; "
                  f"one table in the batch {1000 * seconds / count:.1f} ms, alone {1000 * alone:.1f} ms "
                  f"(ratio {(seconds / count) / alone:.2f})")
            if profile:
                stats = pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative")
                stats.print_stats(25)
        seconds, done = _batch(folder, Path(scratch) / "r1.db", 1)
        assert done.skipped == count, done
        results["rerun_s"] = seconds
        print(f"re-run, every file unchanged: {seconds:.2f} s ({count / seconds:.0f} tables/s)")
        results["jobs2_over_jobs1"] = results["jobs1_s"] / results["jobs2_s"]
        print(f"2 jobs are {results['jobs2_over_jobs1']:.2f}x one")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
