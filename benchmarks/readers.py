"""Time reading a table in each file format (issue 13: a one-page PDF or
Word file in under 0.5 s).

The forms of tests/forms.py (the bundled Tianjin table, 60 rows; dev
tables 07 and 13 in the national template) are written in every format
into a scratch folder; each file is read once in a fresh process (the
format's library imported then: what a ``perfrules score`` run pays) and
then five more times.  Prints a line per file and, last, a JSON object
with the numbers in seconds.

    python benchmarks/readers.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import forms  # noqa: E402

_PROBE = """
import json, sys, time
start = time.perf_counter()
from perfrules.readers import read_sheets
imported = time.perf_counter()
sheets = read_sheets(sys.argv[1])
first = time.perf_counter()
again = []
for _ in range(5):
    t = time.perf_counter()
    read_sheets(sys.argv[1])
    again.append(time.perf_counter() - t)
print(json.dumps({"import": imported - start, "first": first - imported, "best": min(again),
                  "rows": [len(s.rows) for s in sheets]}))
"""


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for name in ("p13", "p07", "tianjin"):
            form = forms.FORMS[name]()
            for fmt, write in forms.WRITERS.items():
                path = Path(folder) / f"{name}.{fmt}"
                path.write_bytes(write(form))
                done = subprocess.run([sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True,
                                      check=True, cwd=ROOT)
                figures = json.loads(done.stdout)
                results[path.name] = figures
                print(f"{path.name:14} rows {figures['rows']}  first read {figures['first']:.3f} s "
                      f"(after importing perfrules in {figures['import']:.2f} s), then {figures['best']:.3f} s")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
