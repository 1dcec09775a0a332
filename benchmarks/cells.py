"""How long one cell takes to read, at worst: issue 18 asks every cell of up
to 200 characters to read in under 10 ms.

Random cells (seeded) built from the pieces real cells are made of, plus
control characters, pinyin glosses and the cell the issue found slow, are
read as targets and as actuals in a fresh process, each text once (so the
parse caches never answer), so that the lazy compilation of each lexer
state's scanner lands on some cell.  The parser's load (from Lark's cache)
is timed apart, as ``parser_load_ms``; the garbage collector is paused
while cells are timed, since its pauses depend on the whole heap, not on
the cell.  The last line printed is one JSON object: ``parser_load_ms``,
``cells``, ``median_ms``, ``p99_ms``, ``max_ms``, ``slowest`` (the cell and
which reader), ``issue_cell_ms``.

Run ``python benchmarks/cells.py`` (``--cells N``, ``--seed S``).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import time

from perfrules import PerfrulesError, parse_actual, parse_target

PIECES = list("0123456789.,%％≥≤<>=＝前／/年月日底内以上下至-~（）()万元亿个项次人天起、·\x1f\x0b "
              "完成已于达到不低于控制在约左右") + [
    "以内", "及以上", "2024年12月31日前", "≤185097％前", "达成", "(dá)", "萬(wàn)",
]
ISSUE_CELL = "≤185097％前／≤185097％前"


def _time(parse, text: str) -> float:
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
    start = time.perf_counter()
    parse_target("≥1项（")  # not a simple cell: Lark's parser is loaded here
    load = time.perf_counter() - start
    gc.disable()
    issue = max(_time(parse_target, ISSUE_CELL), _time(parse_actual, ISSUE_CELL))
    timings, seen = [], {ISSUE_CELL}
    while len(seen) <= args.cells:
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 120)))[:200]
        if text in seen:
            continue
        seen.add(text)
        for name, parse in (("target", parse_target), ("actual", parse_actual)):
            timings.append((_time(parse, text), name, text))
    gc.enable()
    seconds = sorted(t[0] for t in timings)
    slowest = max(timings)
    print(json.dumps({
        "parser_load_ms": round(load * 1000, 1),
        "cells": len(timings),
        "median_ms": round(statistics.median(seconds) * 1000, 3),
        "p99_ms": round(seconds[int(len(seconds) * 0.99)] * 1000, 3),
        "max_ms": round(slowest[0] * 1000, 2),
        "slowest": {"reader": slowest[1], "text": slowest[2]},
        "issue_cell_ms": round(issue * 1000, 2),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
