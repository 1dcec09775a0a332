"""The budget block (预算执行情况): which amount is which.

Its labels (年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分) stand in
a row and the amounts of the 年度资金总额 line below them; an empty cell
leaves no trace in copied text, and a PDF may scatter the amounts.  The
amounts are placed so that they agree with each other: 执行数 ÷ 预算数 is
the printed rate, and the score is the rate times the weight.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from ..errors import PerfrulesError
from ..records import parse_amount
from . import vocabulary as V
from .cells import split_amounts
from .fold import key
from .tokens import is_amount, is_percent

__all__ = ["place_budget", "consistency", "fund_source", "source_columns", "SOURCE_FIELDS"]

#: The amounts of a fund-source line kept, and the header each is kept under
#: (``当年财政拨款/全年执行数`` in the budget row's columns).
SOURCE_FIELDS = {"initial": "年初预算数", "budget": "全年预算数", "spent": "全年执行数", "rate": "执行率"}
_MONEY = ("initial", "budget", "spent")


def fund_source(text: str) -> str | None:
    """The fund source a budget line's label names (其中：本年财政拨款 is
    当年财政拨款), or None.

    >>> fund_source("其中：本年财政拨款"), fund_source("上年结转 资金"), fund_source("年度资金总额")
    ('当年财政拨款', '上年结转资金', None)
    """
    word = key(text).rstrip(":：")
    word = word[2:].lstrip(":：") if word.startswith("其中") else word
    for source, words in V.FUND_SOURCES.items():
        if word in words:
            return source
    return None


def source_columns(source: str, fields: list[str], values: list[str | None], *,
                   positional: bool = False) -> dict[str, str]:
    """A fund-source line's amounts as budget-row columns.  ``values`` are
    the line's cells in order, None for a dash.  ``positional``: each stands
    under its label (cells of a grid).  Otherwise they are placed only
    where that is certain: one per label, or one per money label (年初预算数,
    全年预算数, 全年执行数) that the labels begin with; else, and for a line
    of dashes, nothing.

    >>> source_columns("当年财政拨款", ["initial", "budget", "spent", "weight", "rate", "score"],
    ...                ["880", "880", "870", None, None])
    {'当年财政拨款/年初预算数': '880', '当年财政拨款/全年预算数': '880', '当年财政拨款/全年执行数': '870'}
    >>> source_columns("其他资金", ["budget", "spent"], ["5"])
    {}
    """
    while values and values[-1] is None:
        values = values[:-1]
    fields = [f for f in fields if f in _TEXT_FIELDS]
    money = list(itertools.takewhile(lambda f: f in _MONEY, fields))
    if not values or not positional and len(values) not in (len(fields), len(money)):
        return {}
    placed = {}
    for field, value in zip(fields, values):
        if value is not None and field in SOURCE_FIELDS and _fits(field, value):
            placed[f"{source}/{SOURCE_FIELDS[field]}"] = value
    return placed

_TEXT_FIELDS = ("initial", "budget", "spent", "weight", "rate", "score")


def _number(text: str) -> Decimal | None:
    try:
        return parse_amount(text.rstrip("%％"))
    except PerfrulesError:  # not a number
        return None


def consistency(values: dict[str, str]) -> float:
    """How well the amounts agree: +2 a check that holds, −3 one that fails."""
    budget, spent = _number(values.get("budget", "")), _number(values.get("spent", ""))
    weight, score = _number(values.get("weight", "")), _number(values.get("score", ""))
    rate = _number(values.get("rate", "")) if values.get("rate") else None
    points = 0.0
    computed = None
    if budget and spent is not None:
        computed = spent / budget * 100
        if rate is not None:
            shown = values["rate"].rstrip("%％")
            places = len(shown.partition(".")[2])
            tolerance = Decimal(5).scaleb(-places - 1) + Decimal("0.02")
            points += 2 if abs(computed - rate) <= tolerance else -3
        if computed > 150:
            points -= 3
    share = rate if rate is not None else computed
    if share is not None and weight is not None and score is not None:
        expected = min(share, Decimal(100)) * weight / 100
        points += 2 if abs(expected - score) <= max(Decimal(1), weight / 10) else -3
    if weight is not None and (weight > 100 or weight <= 0):
        points -= 5
    if weight is not None and score is not None and score > weight:
        points -= 3
    return points


def _fits(field: str, text: str) -> bool:
    if field == "rate":
        return is_percent(text)
    return is_amount(text) and not is_percent(text)


def _in_order(fields: list[str], values: list[str]) -> list[tuple[float, dict]]:
    found: list[tuple[float, dict]] = []
    if len(values) > len(fields):
        return found
    for kept in itertools.combinations(range(len(fields)), len(values)):
        chosen = [fields[i] for i in kept]
        if all(_fits(f, v) for f, v in zip(chosen, values)):
            assigned = dict(zip(chosen, values))
            skipped = set(fields) - set(chosen)
            bonus = 0.5 * ("initial" in skipped) + 0.3 * ("rate" in skipped)
            found.append((consistency(assigned) + bonus + len(values) * 0.1, assigned))
    return found


def place_budget(fields: list[str], groups: list[list[str]], scattered: list[str]) -> tuple[dict, str | None]:
    """The budget line's amounts by field, and a doubt to report (or None).

    ``fields`` are the labels in their order; ``groups`` the runs of
    amounts where the 年度资金总额 line's amounts are expected, best
    first; ``scattered`` every amount of the block, for a PDF that
    scattered them."""
    fields = [f for f in fields if f in _TEXT_FIELDS]
    candidates: list[tuple[float, dict]] = []
    for rank, group in enumerate(groups):
        readings = [group] if len(group) <= len(fields) else [group[:n] for n in range(len(fields), 1, -1)]
        if len(group) == 1 and not is_amount(group[0]) or any(not is_amount(v) and not is_percent(v) for v in group):
            readings = []
            for width in range(2, len(fields) + 1):
                joined = "".join(group)
                readings += split_amounts(joined, width)
        for reading in readings:
            for points, assigned in _in_order(fields, reading):
                candidates.append((points - rank * 0.5, assigned))
    candidates.sort(key=lambda c: c[0], reverse=True)
    if candidates and candidates[0][0] >= 2:
        return candidates[0][1], None
    found = _scattered(scattered)
    if found is not None:
        return found, ("the budget block's amounts were scattered; they were placed where they agree "
                       "(执行数 ÷ 预算数 = 执行率, 得分 = 执行率 × 分值)")
    if candidates:
        return candidates[0][1], "the budget block's amounts do not agree with each other as read"
    return {}, None


def _scattered(amounts: list[str]) -> dict | None:
    rates = [a for a in amounts if is_percent(a)]
    numbers = [a for a in amounts if is_amount(a) and not is_percent(a)]
    found = []
    for rate in rates:
        for budget, spent in itertools.permutations(dict.fromkeys(numbers), 2):
            b, s, r = _number(budget), _number(spent), _number(rate)
            if not b or s is None or r is None or abs(s / b * 100 - r) > Decimal("0.11"):
                continue
            for weight, score in itertools.permutations(dict.fromkeys(numbers), 2):
                w, p = _number(weight), _number(score)
                if w is None or p is None or not 0 < w <= 100 or p > w or {weight, score} & {budget, spent}:
                    continue
                if abs(min(r, Decimal(100)) * w / 100 - p) <= Decimal("0.01") * w:
                    found.append({"budget": budget, "spent": spent, "rate": rate, "weight": weight, "score": score})
    unique = {tuple(sorted((k, _number(v)) for k, v in f.items())) for f in found}
    return found[0] if len(unique) == 1 else None
