"""The columnar path beside the row path and a hand-written function (issue 19).

The workload of the peer benchmark (``peers.py`` in the project's shared
folder): seeded indicator records, 55% higher-is-better, 20% lower, 15%
exact, 10% qualitative (a band word), weights 1, 2 and 10, completion
bunched near 1 and spread from 0.3 to 2.5; one policy, rounding half-up to
0.01.  Timed in one process, interleaved, medians:

``python_rows_per_s``     the hand-written function on the records (floats,
                          floor(x*100 + 0.5 + 1e-8) / 100)
``columnar_rows_per_s``   ``score_columns`` on a pandas DataFrame of the same
                          records (reading the frame into exact columns is
                          timed; building the frame is not, as the records
                          are not for the hand-written function)
``row_path_rows_per_s``   ``Ruleset.evaluate_many`` on the records as
                          mappings (``Row.from_values`` for each, timed)
``columnar_ratio``        columnar ÷ hand-written

Every engine is checked against an exact rational oracle first.
Run ``python benchmarks/columns.py`` (``--rows N``).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from perfrules import Ruleset  # noqa: E402
from perfrules.columnar import score_columns  # noqa: E402

#: The peer benchmark's policy (benchmarks/peers.rules).
POLICY = (Path(__file__).resolve().parent / "peers.rules").read_text(encoding="utf-8")

QUALITATIVE = "促进我市重大疾病防治技术发展"
BANDS = {"met": "达成年度指标", "partial": "部分达成年度指标", "missed": "未达成年度指标"}
OPS = {"pos": "ge", "neg": "le", "eq": "eq", "qual": None}


def records(count: int, seed: int = 20240607) -> list[dict]:
    """Indicator records as the peer benchmark draws them."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        u = rng.random()
        kind = "pos" if u < 0.55 else "neg" if u < 0.75 else "eq" if u < 0.90 else "qual"
        v = rng.random()
        weight = 1.0 if v < 0.50 else 2.0 if v < 0.85 else 10.0
        band = None
        if kind == "qual":
            b = rng.random()
            band = "met" if b < 0.5 else "partial" if b < 0.8 else "missed"
            target, actual = 1.0, {"met": 1.0, "partial": 0.5, "missed": 0.0}[band]
        else:
            w = rng.random()
            target = (float(rng.randint(1, 200)) if w < 0.4 else rng.randint(100, 100_000) / 100.0 if w < 0.7
                      else rng.randint(5, 1000) / 10.0)
            x = rng.random()
            if kind == "pos" and x < 0.02:
                actual = 0.0
            elif kind == "eq" and x < 0.35:
                actual = target
            else:
                r = rng.random()
                ratio = rng.choice((1.0, 1.3)) if r < 0.06 else (
                    math.exp(rng.gauss(0.0, 0.35)) if r < 0.70 else rng.uniform(0.3, 2.5))
                actual = round(target * min(2.5, max(0.3, ratio)), 2)
        out.append({"kind": kind, "target": target, "actual": actual, "weight": weight, "band": band})
    return out


def oracle_cents(r: dict) -> int:
    """The exact score in cents (Fractions of the decimals the floats print as)."""
    w, t, a = (Fraction(repr(r[k])) for k in ("weight", "target", "actual"))
    kind = r["kind"]
    if kind == "pos":
        ratio = a / t
        s = w * ratio if ratio < 1 else w if ratio <= Fraction(13, 10) else \
            w * max(Fraction(6, 10), 1 - (ratio - Fraction(13, 10)))
    elif kind == "neg":
        s = w if a <= t else w * max(Fraction(0), 1 - 2 * (a / t - 1))
    elif kind == "eq":
        s = w if a == t else w * min(a, t) / max(a, t)
    else:
        s = w * {"met": 1, "partial": Fraction(7, 10), "missed": Fraction(3, 10)}[r["band"]]
    return math.floor(s * 100 + Fraction(1, 2))


def handwritten(r: dict) -> float:
    """The policy as a person writes it in Python, with floats."""
    kind, w = r["kind"], r["weight"]
    if kind == "pos":
        ratio = r["actual"] / r["target"]
        s = w * ratio if ratio < 1.0 else w if ratio <= 1.3 else w * max(0.6, 1.0 - (ratio - 1.3))
    elif kind == "neg":
        a, t = r["actual"], r["target"]
        s = w if a <= t else w * max(0.0, 1.0 - 2.0 * (a / t - 1.0))
    elif kind == "eq":
        a, t = r["actual"], r["target"]
        s = w if a == t else w * min(a, t) / max(a, t)
    else:
        s = w * (1.0 if r["band"] == "met" else 0.7 if r["band"] == "partial" else 0.3)
    return math.floor(s * 100.0 + 0.50000001) / 100.0


def frame(items: list[dict]):
    """The records as a DataFrame in perfrules' column names."""
    import pandas

    qualitative = [r["kind"] == "qual" for r in items]
    return pandas.DataFrame({
        "op": [OPS[r["kind"]] for r in items],
        "target": [math.nan if q else r["target"] for q, r in zip(qualitative, items)],
        "actual": [math.nan if q else r["actual"] for q, r in zip(qualitative, items)],
        "weight": [r["weight"] for r in items],
        "target_text": [QUALITATIVE if q else None for q in qualitative],
        "actual_text": [BANDS.get(r["band"]) for r in items],
    })


def mappings(items: list[dict]) -> list[dict]:
    return [{"target": QUALITATIVE, "actual": BANDS[r["band"]], "weight": r["weight"]} if r["kind"] == "qual"
            else {"target": r["target"], "actual": r["actual"], "weight": r["weight"], "op": OPS[r["kind"]]}
            for r in items]


def measure(count: int, repeats: int) -> dict:
    ruleset = Ruleset.from_text(POLICY)
    items = records(count)
    check = items[: min(count, 20_000)]
    expected = [oracle_cents(r) for r in check]
    table = frame(items)
    scored = score_columns(ruleset, table)
    columnar = [int(u) for u in scored.units[: len(check)]]
    rows = [int(r.score * 100) for r in ruleset.evaluate_many(mappings(check))]
    python = [round(handwritten(r) * 100) for r in check]
    for name, got in (("columnar", columnar), ("row path", rows), ("hand-written", python)):
        wrong = sum(g != e for g, e in zip(got, expected))
        if wrong:
            raise SystemExit(f"{name}: {wrong} scores differ from the exact oracle")
    fallback = scored.fallback
    as_rows = mappings(items)

    def time_of(function) -> float:
        start = time.perf_counter()
        function()
        return time.perf_counter() - start

    timings: dict[str, list[float]] = {"python": [], "columnar": [], "row_path": []}
    for _ in range(repeats):  # interleaved, so a busy moment falls on all three
        timings["python"].append(count / time_of(lambda: [handwritten(r) for r in items]))
        timings["columnar"].append(count / time_of(lambda: score_columns(ruleset, table).units))
        timings["row_path"].append(count / time_of(lambda: ruleset.evaluate_many(as_rows)))
    rates = {name: statistics.median(values) for name, values in timings.items()}
    return {
        "columnar_rows": count,
        "python_rows_per_s": round(rates["python"]),
        "columnar_rows_per_s": round(rates["columnar"]),
        "row_path_rows_per_s": round(rates["row_path"]),
        "columnar_ratio": round(rates["columnar"] / rates["python"], 3),
        "columnar_fallback_rows": fallback,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    result = measure(args.rows, args.repeats)
    width = max(map(len, result))
    for key, value in result.items():
        print(f"  {key:<{width}}  {value}")
    print(f"  columnar ÷ hand-written {result['columnar_ratio']:.2f}; columnar ÷ row path "
          f"{result['columnar_rows_per_s'] / result['row_path_rows_per_s']:.1f}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
