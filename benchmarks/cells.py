"""How long one cell takes to read, at worst: issue 18 asks every cell of up
to 200 characters to read in under 10 ms.

Random cells (seeded) built from the pieces real cells are made of, plus
control characters, pinyin glosses and the cell the issue found slow, are
read as targets and as actuals in a fresh process, each with the parse
caches cleared, so that every first-time cost (the parser's load, the lazy
compilation of each lexer state's scanner) lands on some cell.  The last
line printed is one JSON object: ``cells``, ``median_ms``, ``p99_ms``,
``max_ms``, ``slowest`` (the cell and which reader), ``issue_cell_ms``.

Run ``python benchmarks/cells.py`` (``--cells N``, ``--seed S``).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from perfrules import PerfrulesError, parse_actual, parse_target
from perfrules.targets import _actual_cached, _target_cached

PIECES = list("0123456789.,%％≥≤<>=＝前／/年月日底内以上下至-~（）()万元亿个项次人天起、·\x1f\x0b 完成已于达到不低于控制在约左右") + [
    "以内", "及以上", "2024年12月31日前", "≤185097％前", "达成", "(dá)", "萬(wàn)",
]
ISSUE_CELL = "≤185097％前／≤185097％前"


def _time(parse, text: str) -> float:
    _target_cached.cache_clear()
    _actual_cached.cache_clear()
    start = time.perf_counter()
    try:
        parse(text)
    except PerfrulesError:
        pass
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    issue = min(_time(parse_target, ISSUE_CELL), _time(parse_actual, ISSUE_CELL))
    timings = []
    for _ in range(args.cells):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 120)))[:200]
        for name, parse in (("target", parse_target), ("actual", parse_actual)):
            timings.append((_time(parse, text), name, text))
    seconds = sorted(t[0] for t in timings)
    slowest = max(timings)
    print(json.dumps({
        "cells": len(timings),
        "median_ms": round(statistics.median(seconds) * 1000, 3),
        "p99_ms": round(seconds[int(len(seconds) * 0.99)] * 1000, 3),
        "max_ms": round(slowest[0] * 1000, 2),
        "slowest": {"reader": slowest[1], "text": slowest[2]},
        "issue_cell_ms": round(issue * 1000, 2),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
