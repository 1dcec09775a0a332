"""Whole tables made from the bundled one, for tests and benchmarks of a
review: the same 60-row form, with another unit's name, another year, and
varied actuals and reported scores (the total line adds them up again).

>>> text = variant(unit="某某区科学技术局", year=2023, seed=7)
>>> "某某区科学技术局" in text and "(2023年度)" in text
True
"""

from __future__ import annotations

import random
import re
from decimal import Decimal


__all__ = ["variant", "SEED_UNIT", "seed_text"]

SEED_UNIT = "天津市科学技术局"
_NUMBER = re.compile(r"^([≥≤<>=]?)(\d+(?:\.\d+)?)")


def seed_text() -> str:
    """The bundled table's text (``examples/tianjin-kjj-2024-zhengti.txt``)."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "examples" / "tianjin-kjj-2024-zhengti.txt"
    return path.read_text(encoding="utf-8")


def _vary_actual(text: str, rng: random.Random) -> str:
    match = _NUMBER.match(text)
    if not match or match.group(1):
        return text
    value = Decimal(match.group(2)) * Decimal(rng.choice(("0.5", "0.8", "0.95", "1", "1", "1", "1.2", "1.6")))
    shown = value.quantize(Decimal(1) if "." not in match.group(2) else Decimal("0.01"))
    return str(shown) + text[match.end():]


def variant(*, unit: str = SEED_UNIT, year: int = 2024, seed: int = 0, text: str | None = None) -> str:
    """The bundled table for ``unit`` and ``year``: each actual kept or
    scaled (×0.5 to ×1.6), each reported score kept or moved within its
    weight, the total line their sum, all drawn from ``seed``."""
    rng = random.Random(seed)
    lines = (text or seed_text()).splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("年度指标完成情况\t一级指标"))
    total_at = next(i for i in range(head, len(lines)) if lines[i].startswith("总分"))
    budget_score = Decimal("9.65")
    points = budget_score
    for i in range(head + 1, total_at):
        cells = lines[i].split("\t")
        if len(cells) < 8 or not re.fullmatch(r"\d+(\.\d+)?", cells[6].strip()):
            continue
        cells[5] = _vary_actual(cells[5], rng)
        weight = Decimal(cells[6])
        reported = Decimal(cells[7]) if re.fullmatch(r"\d+(\.\d+)?", cells[7].strip()) else weight
        if rng.random() < 0.3:
            reported = (weight * Decimal(rng.randint(0, 10)) / 10).quantize(Decimal("0.1"))
        cells[7] = str(reported)
        points += reported
        lines[i] = "\t".join(cells)
    cells = lines[total_at].split("\t")
    cells[7] = str(points)
    lines[total_at] = "\t".join(cells)
    out = "\n".join(lines) + "\n"
    return out.replace(SEED_UNIT, unit).replace("(2024年度)", f"({year}年度)")
