"""The arithmetic behind the built-ins real policies need: lateness in
months, a date's precision, truncation to a step, items counted in a list
written as text, a number found in a sentence.

Each is a plain function of plain values; the built-ins table
(:mod:`.builtins`) makes them names of the language.  A value a row does
not have raises :class:`~.runtime.Unavailable` with the reason.
"""

from __future__ import annotations

import calendar
import functools
import re
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from ..cells.values import ActualDate, ActualDone, Deadline
from ..numbers import exponent
from .runtime import Discretionary, Unavailable, round_to, show

__all__ = ["precision", "months_late", "floor_to", "count_items", "number_in"]


def precision(value) -> str:
    """How precisely a date (a deadline target or a date actual) is
    written: ``day``, ``month``, ``year``, or ``none`` for a value that is
    no date.

    >>> from perfrules.targets import parse_actual, parse_target
    >>> precision(parse_target("2024年12月31日前")), precision(parse_target("9月前"))
    ('day', 'month')
    >>> precision(parse_target("2024年")), precision(parse_actual("已完成")), precision(parse_actual("12次"))
    ('year', 'none', 'none')

    年底 is the end of December: ``2024年底前`` is precise to the month.
    """
    if not isinstance(value, (Deadline, ActualDate)):
        return "none"
    if value.day is not None:
        return "day"
    if value.month is not None:
        return "month"
    return "year" if value.year is not None else "none"


def months_late(deadline, actual, fiscal_year: int | None) -> Decimal:
    """The calendar months the completion falls after the deadline's month;
    0 when on time (or reported done), and at least 1 when late at all.
    Month-precise dates compare by month: due in September (``9月前``),
    done in October is 1 month late, in August 0.

    A deadline without a month is at the end of its year; a date without a
    year is in the fiscal year (or, without one, the other date's).

    >>> from perfrules.targets import parse_actual, parse_target
    >>> late = lambda t, a: months_late(parse_target(t), parse_actual(a), 2024)
    >>> late("9月前", "10月"), late("9月前", "8月"), late("9月前", "9月"), late("2024年6月15日前", "2024年6月20日")
    (Decimal('1'), Decimal('0'), Decimal('0'), Decimal('1'))
    >>> late("2024年底前", "2025年3月"), late("2024年12月31日前", "已完成")
    (Decimal('3'), Decimal('0'))
    """
    if not isinstance(deadline, Deadline):
        raise Unavailable("the target is not a deadline")
    if isinstance(actual, ActualDone):
        return Decimal(0)
    if not isinstance(actual, ActualDate):
        raise Unavailable(f"the actual is {actual.kind}, not a date")
    year = deadline.year or fiscal_year or actual.year
    if year is None:
        raise Unavailable("the deadline has no year and the table no fiscal year")
    due_month = deadline.month or 12
    due_day = deadline.day or calendar.monthrange(year, due_month)[1]
    done_year, done_month = actual.year or year, actual.month or 12
    months = (done_year * 12 + done_month) - (year * 12 + due_month)
    if months > 0:
        return Decimal(months)
    # The same month: late only when both have days and the day is after.
    late = months == 0 and actual.day is not None and deadline.day is not None and actual.day > due_day
    return Decimal(1 if late else 0)


def floor_to(value, step=Decimal(1)):
    """``floor(x)``, ``floor(x, step)``: ``x`` rounded down to a multiple of
    ``step`` (1 by default), as counties truncate a row's points to 0.1.
    Each end of a discretionary range is rounded down.

    >>> floor_to(Decimal("0.79"), Decimal("0.1")), floor_to(Decimal("-0.71"), Decimal("0.1")), floor_to(Decimal("2.5"))
    (Decimal('0.7'), Decimal('-0.8'), Decimal('2'))
    """
    if isinstance(step, Discretionary) or step <= 0:
        raise Unavailable(f"floor() needs a step above zero, not {show(step)}")
    if isinstance(value, Discretionary):
        return Discretionary(*(_floor(v, step) for v in (value.low, value.high, value.default)))
    return _floor(value, step)


def _floor(value: Decimal, step: Decimal) -> Decimal:
    if value >= 0:
        return round_to(value, step, "down")
    # Toward minus infinity: the language's floor, not truncation toward 0.
    units = (value / step).to_integral_value(rounding=ROUND_FLOOR)
    return (units * step).quantize(step) if exponent(step) <= 0 else units * step


# Numbered items: 1. 2、 (1) （2） ① ②, or a Chinese ordinal 一、 二、.
_NUMBERED = re.compile(r"(?:^|(?<=[\s，,；;。：:、]))"
                       r"(?:[(（]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[.、．)）](?!\d)|[一二三四五六七八九十]{1,3}\s*、)"
                       r"|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]")
#: What a cell says when it lists nothing.
_NOTHING = frozenset({"", "无", "暂无", "没有", "/", "-", "—", "——", "－", "不适用"})
_SEPARATORS = re.compile(r"[、，,；;。\n]+")


@functools.lru_cache(maxsize=4096)
def count_items(text: str) -> Decimal:
    """``items(x)``: how many items a list written as text holds.  Numbered
    items (``1.`` ``(2)`` ``③`` ``一、``) are counted by their numbers;
    otherwise the parts between 、 ， ； , ; 。 and line breaks that hold
    something.  Empty text, and a cell that says there is nothing (无,
    暂无, ``/``, ``—``), holds 0 items.

    >>> count_items("制度建设、人员培训、设备采购"), count_items("1.修订制度；2.开展培训；3.采购设备。")
    (Decimal('3'), Decimal('3'))
    >>> count_items("①完成 ②完成"), count_items("（1）道路 （2）桥梁，两处"), count_items(""), count_items("已完成")
    (Decimal('2'), Decimal('2'), Decimal('0'), Decimal('1'))
    >>> count_items("无"), count_items("—")
    (Decimal('0'), Decimal('0'))
    """
    if text.strip(" \t。.") in _NOTHING:
        return Decimal(0)
    numbered = _NUMBERED.findall(text)
    if numbered:
        return Decimal(len(numbered))
    return Decimal(sum(1 for part in _SEPARATORS.split(text) if part.strip(" \t()（）")))


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％，", "0123456789.%,")
_NUMBER = re.compile(r"(?<![\d.])[-−]?\d[\d,]*(?:\.\d+)?\s*(?:[%‰])?")


@functools.lru_cache(maxsize=4096)
def number_in(text: str) -> Decimal:
    """``number_in(x)``: the first number written in a sentence, a
    percentage as a fraction (as in a rule: 95% is 0.95).  Thousands
    separators and full-width digits are read; a text without a number
    leaves the row unscorable.

    >>> number_in("全年完成率达到95.5%，超额完成"), number_in("培训1,200人次"), number_in("完成１２项")
    (Decimal('0.955'), Decimal('1200'), Decimal('12'))
    >>> number_in("按计划推进")
    Traceback (most recent call last):
    perfrules.dsl.runtime.Unavailable: there is no number in '按计划推进'
    """
    found = _NUMBER.search(text.translate(_FULL_WIDTH))
    if found is None:
        raise Unavailable(f"there is no number in '{text}'")
    written = found.group(0).replace(",", "").replace("−", "-").replace(" ", "")
    scale = Decimal(1)
    if written.endswith(("%", "‰")):
        scale = Decimal(100) if written[-1] == "%" else Decimal(1000)
        written = written[:-1]
    try:
        return Decimal(written) / scale
    except InvalidOperation:  # the pattern admits only numbers; kept as the row's reason all the same
        raise Unavailable(f"there is no number in '{text}'") from None
