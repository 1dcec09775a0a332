"""The arithmetic behind the new built-ins (perfrules.dsl.primitives), on
its boundaries: months late against days late, truncation to a step,
items counted in a written list, a number found in a sentence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfrules import parse_actual, parse_target
from perfrules.dsl.primitives import count_items, floor_to, months_late, number_in, precision
from perfrules.dsl.runtime import Discretionary, Unavailable
from perfrules.values import ActualDate, ActualDone, Deadline

_MONTHS = st.tuples(st.integers(2019, 2026), st.integers(1, 12))


@given(due=_MONTHS, done=_MONTHS)
def test_month_precise_dates_compare_by_month(due, done):
    late = months_late(Deadline(year=due[0], month=due[1], before=True), ActualDate(year=done[0], month=done[1]), None)
    assert late == max(0, (done[0] - due[0]) * 12 + done[1] - due[1])


@given(due=st.dates(dt.date(2019, 1, 1), dt.date(2026, 12, 31)), done=st.dates(dt.date(2019, 1, 1), dt.date(2027, 12, 31)))
def test_day_precise_dates_are_months_late_exactly_when_days_late(due, done):
    late = months_late(Deadline(year=due.year, month=due.month, day=due.day), ActualDate(done.year, done.month, done.day), None)
    assert (late > 0) == (done > due)
    assert late <= max(1, (done.year - due.year) * 12 + done.month - due.month)


@given(month=st.integers(1, 12), done=st.integers(1, 12))
def test_a_year_less_deadline_is_in_the_fiscal_year(month, done):
    assert months_late(Deadline(month=month, before=True), ActualDate(month=done), 2024) == max(0, done - month)
    with pytest.raises(Unavailable, match="no year"):
        months_late(Deadline(month=month), ActualDate(month=done), None)


def test_done_is_on_time_and_other_actuals_have_no_lateness():
    assert months_late(Deadline(year=2024, month=6), ActualDone(), None) == 0
    with pytest.raises(Unavailable, match="not a date"):
        months_late(Deadline(year=2024, month=6), parse_actual("12次"), None)
    with pytest.raises(Unavailable, match="not a deadline"):
        months_late(parse_target("≥10次"), ActualDone(), None)


def test_precision_of_dates():
    assert [precision(v) for v in (Deadline(2024, 12, 31), Deadline(None, 9), Deadline(2024), ActualDate(2024, 3))] \
        == ["day", "month", "year", "month"]


_STEPS = st.sampled_from([Decimal("0.1"), Decimal("0.01"), Decimal("0.5"), Decimal("1"), Decimal("0.25"), Decimal("10")])
_VALUES = st.decimals(min_value=-1000, max_value=1000, places=4)


@given(value=_VALUES, step=_STEPS)
def test_floor_is_the_largest_multiple_of_the_step_not_above(value, step):
    floored = floor_to(value, step)
    assert floored <= value < floored + step
    assert floored % step == 0


@given(low=_VALUES, width=st.decimals(min_value=0, max_value=100, places=2), step=_STEPS)
def test_floor_of_a_range_floors_each_end(low, width, step):
    ranged = floor_to(Discretionary(low, low + width, low), step)
    assert (ranged.low, ranged.high, ranged.default) == (floor_to(low, step), floor_to(low + width, step),
                                                          floor_to(low, step))


@pytest.mark.parametrize("step", [Decimal(0), Decimal(-1)])
def test_floor_needs_a_positive_step(step):
    with pytest.raises(Unavailable, match="step above zero"):
        floor_to(Decimal(1), step)


_ITEM = st.text(alphabet="道路桥梁制度培训设备采购维护验收", min_size=1, max_size=6)


@given(items=st.lists(_ITEM, min_size=1, max_size=12), separator=st.sampled_from(["、", "，", "；", ",", ";", "\n"]),
       end=st.sampled_from(["", "。", "；"]))
def test_items_separated_by_punctuation_are_counted(items, separator, end):
    assert count_items(separator.join(items) + end) == len(items)


@given(items=st.lists(_ITEM, min_size=1, max_size=15),
       style=st.sampled_from(["{n}.", "{n}、", "（{n}）", "({n})", "{c}"]))
def test_numbered_items_are_counted_by_their_numbers(items, style):
    circled = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮"
    text = "；".join(style.format(n=i + 1, c=circled[i]) + item for i, item in enumerate(items))
    assert count_items(text) == len(items)


_PROSE = st.text(alphabet="全年完成率达到超额培训人次项目按计划", max_size=8)


@given(before=_PROSE, after=_PROSE, value=st.decimals(min_value=0, max_value=10**6, places=2), percent=st.booleans())
def test_the_first_number_in_a_sentence_is_read(before, after, value, percent):
    text = f"{before}{value}{'%' if percent else ''}{after}"
    assert number_in(text) == (value / 100 if percent else value)


@given(text=_PROSE)
def test_a_sentence_without_a_number_has_none(text):
    with pytest.raises(Unavailable, match="no number"):
        number_in(text)
