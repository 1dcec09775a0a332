"""How faithfully perfrules reads real tables, and how fast.

    python benchmarks/fidelity.py [FOLDER]

FOLDER holds labelled tables (default: tests/data/dev, ten real tables
with rows.csv and blocks.csv).  Prints every row, budget block or total
that is not right, then one summary line, then the time to read the bundled
60-row table (median of 20, in ms) and the last line as JSON.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import perfrules
from perfrules.form.fidelity import measure
from perfrules.readers import read_sheets

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "data" / "dev"
    result = measure(folder, lambda path: [perfrules.score(s, "mof@2020") for s in read_sheets(path)])
    for note in result.notes:
        print("  " + note)
    print(f"rows right {result.right}/{result.labelled} ({100 * result.share:.1f}%), flagged {result.flagged}, "
          f"silent wrong {result.silent}, missing {result.missing}, budgets {result.budgets_right}/{result.budgets}, "
          f"totals {result.totals_right}/{result.totals}")
    table = ROOT / "examples" / "tianjin-kjj-2024-zhengti.txt"
    read_sheets(table)
    times = []
    for _ in range(20):
        start = time.perf_counter()
        read_sheets(table)
        times.append(time.perf_counter() - start)
    read_ms = statistics.median(times) * 1000
    print(f"reading the bundled 60-row table: {read_ms:.1f} ms")
    print(json.dumps({"rows_right": result.right, "rows_labelled": result.labelled, "silent": result.silent,
                      "budgets_right": result.budgets_right, "budgets": result.budgets,
                      "totals_right": result.totals_right, "totals": result.totals,
                      "read_60_rows_ms": round(read_ms, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
