"""Units, dimensions and exact conversion of quantities."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from perfrules import PerfrulesError, Quantity, UnitError, unit


def q(value: str | int, symbol: str | None) -> Quantity:
    return Quantity(Decimal(value), unit(symbol) if symbol is not None else None)


# --------------------------------------------------------------------------
# Dimensions

DIMENSIONS = {
    "元": "money", "万元": "money", "亿元": "money",
    "%": "ratio", "‰": "ratio", "百分比": "ratio",
    "天": "duration", "日": "duration", "小时": "duration",
    "个月": "duration", "月": "duration", "年": "duration",
    "个工作日": "workdays",
    "米": "length", "公里": "length",
    "平方米": "area", "㎡": "area", "亩": "area", "公顷": "area",
    "TB": "data", "GB": "data",
    "次": "count", "项": "count", "家": "count", "个": "count", "篇": "count", "份": "count",
    "人": "count", "人次": "count", "家次": "count", "场": "count", "场次": "count", "户": "count",
    "台": "count", "套": "count", "台套": "count", "件": "count", "册": "count", "种": "count",
    "只": "count", "头": "count", "批": "count", "期": "count", "所": "count", "座": "count",
    "处": "count", "起": "count",
}


@pytest.mark.parametrize("symbol, dimension", DIMENSIONS.items())
def test_dimension(symbol, dimension):
    u = unit(symbol)
    assert u.dimension == dimension
    assert u.symbol == symbol
    assert str(u) == symbol


def test_unknown_word_is_its_own_unit():
    u = unit("标准化考场")
    assert u.dimension == "other"
    assert u.compatible(unit("标准化考场"))
    assert not u.compatible(unit("个"))
    assert not u.compatible(unit("另一种东西"))
    assert q(3, "标准化考场").compare(q(2, "标准化考场")) == 1
    with pytest.raises(UnitError):
        q(3, "标准化考场").compare(q(3, "另一种东西"))


# --------------------------------------------------------------------------
# Exact conversion within a dimension

# (value, from, expected value, to)
CONVERSIONS = [
    ("1", "万元", "10000", "元"),
    ("1", "亿元", "10000", "万元"),
    ("1", "亿元", "100000000", "元"),
    ("19574", "亿元", "195740000", "万元"),
    ("5051.15", "万元", "50511500", "元"),
    ("1", "元", "0.0001", "万元"),
    ("1", "%", "10", "‰"),
    ("0.9", "‰", "0.09", "%"),
    ("95", "百分比", "95", "%"),
    ("1", "年", "12", "个月"),
    ("18", "个月", "1.5", "年"),
    ("3", "月", "3", "个月"),
    ("2", "天", "2", "日"),
    ("2", "天", "48", "小时"),
    ("12", "小时", "0.5", "天"),
    ("1", "公里", "1000", "米"),
    ("266", "米", "0.266", "公里"),
    ("1", "公顷", "10000", "平方米"),
    ("4831", "平方米", "4831", "㎡"),
    ("3", "亩", "2000", "平方米"),
    ("15", "亩", "1", "公顷"),
    ("10", "个工作日", "10", "个工作日"),
    ("7", "次", "7", "次"),
]


@pytest.mark.parametrize("value, source, expected, target", CONVERSIONS,
                         ids=[f"{c[0]}{c[1]}->{c[3]}" for c in CONVERSIONS])
def test_exact_conversion(value, source, expected, target):
    converted = q(value, source).to(unit(target))
    assert converted.value == Decimal(expected)
    assert converted.unit == unit(target)
    assert converted == q(expected, target)
    assert q(value, source).compare(q(expected, target)) == 0


def test_data_sizes_convert():
    gb = q(1, "TB").to(unit("GB")).value
    assert gb in (Decimal(1000), Decimal(1024))
    assert q(1, "TB").compare(q(999, "GB")) == 1


@pytest.mark.parametrize("value, source, target", [
    ("1", "亩", "平方米"),  # 666.66…
    ("1", "小时", "天"),  # 1/24
    ("1", "亩", "公顷"),
])
def test_inexact_conversion_is_an_error(value, source, target):
    with pytest.raises(UnitError):
        q(value, source).to(unit(target))
    # comparing is still exact
    assert q(value, source).compare(q(value, source)) == 0


def test_to_keeps_the_value_exact():
    assert q("0.1", "万元").to(unit("元")).value == Decimal("1000")
    assert q("1234567890.123456789", "亿元").to(unit("元")).value == Decimal("123456789012345678.9")
    assert q("1", "元").to(unit("亿元")).value == Decimal("0.00000001")


# --------------------------------------------------------------------------
# Comparing across units

@pytest.mark.parametrize("a, b, expected", [
    (("5115", "万元"), ("0.5", "亿元"), 1),
    (("5000", "万元"), ("0.5", "亿元"), 0),
    (("19574", "亿元"), ("1900", "亿元"), 1),
    (("44316.45", "万元"), ("34403.58", "万元"), 1),
    (("1", "年"), ("13", "个月"), -1),
    (("1", "‰"), ("0.1", "%"), 0),
    (("999", "米"), ("1", "公里"), -1),
    (("10", "亩"), ("1", "公顷"), -1),
    (("2", "TB"), ("1", "TB"), 1),
    (("3", "个"), ("3", "個"), 0),
])
def test_compare_across_units(a, b, expected):
    assert q(*a).compare(q(*b)) == expected
    assert q(*b).compare(q(*a)) == -expected


@pytest.mark.parametrize("a, b", [
    ("万元", "%"),
    ("万美元", "万元"),
    ("美元", "元"),
    ("个月", "天"),
    ("年", "天"),
    ("个工作日", "天"),
    ("个工作日", "个月"),
    ("项", "家"),
    ("人", "人次"),
    ("家", "家次"),
    ("次", "个"),
    ("米", "平方米"),
    ("TB", "个"),
])
def test_incompatible_units(a, b):
    assert not unit(a).compatible(unit(b))
    for x, y in ((a, b), (b, a)):
        with pytest.raises(UnitError) as info:
            q(1, x).compare(q(1, y))
        message = str(info.value)
        assert x in message and y in message, message
        with pytest.raises(UnitError) as info:
            q(1, x).to(unit(y))
        message = str(info.value)
        assert x in message and y in message, message


def test_unit_error_is_a_perfrules_error():
    assert issubclass(UnitError, PerfrulesError)


def test_other_currencies_stand_apart():
    assert unit("万美元").compatible(unit("美元"))
    assert q(1, "万美元").to(unit("美元")) == q(10000, "美元")
    assert not unit("万美元").compatible(unit("元"))


def test_str_of_quantity():
    assert str(q("5115", "万元")) == "5115万元"
    assert str(q("0.9", "‰")) == "0.9‰"
    assert str(q("3", None)) == "3"


# --------------------------------------------------------------------------
# Properties

# Groups of mutually convertible units.
FAMILIES = [
    ["元", "万元", "亿元"],
    ["%", "‰", "百分比"],
    ["天", "日", "小时"],
    ["个月", "月", "年"],
    ["米", "公里"],
    ["平方米", "㎡", "亩", "公顷"],
    ["TB", "GB"],
    ["个工作日"],
    ["次"],
    ["人次"],
]

decimals = st.decimals(min_value=0, max_value=10**12, places=4, allow_nan=False, allow_infinity=False)


@st.composite
def same_family(draw):
    family = draw(st.sampled_from(FAMILIES))
    a = draw(st.sampled_from(family))
    b = draw(st.sampled_from(family))
    return draw(decimals), a, draw(decimals), b


@settings(max_examples=300, deadline=None)
@given(same_family())
def test_conversion_round_trips_exactly(case):
    value, source, _, target = case
    quantity = q(value, source)
    try:
        converted = quantity.to(unit(target))
    except UnitError:
        assume(False)  # no decimal holds it exactly (亩, 小时)
    assert converted.to(unit(source)) == quantity
    assert converted.compare(quantity) == 0


@settings(max_examples=300, deadline=None)
@given(same_family())
def test_compare_is_antisymmetric_and_agrees_with_conversion(case):
    v1, u1, v2, u2 = case
    a, b = q(v1, u1), q(v2, u2)
    result = a.compare(b)
    assert result in (-1, 0, 1)
    assert b.compare(a) == -result
    assert a.compare(a) == 0
    try:
        converted = a.to(b.unit)
    except UnitError:
        return
    assert result == (converted.value > b.value) - (converted.value < b.value)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(FAMILIES), st.sampled_from(FAMILIES), decimals)
def test_compare_across_families_raises(f1, f2, value):
    assume(f1 is not f2)
    with pytest.raises(UnitError):
        q(value, f1[0]).compare(q(value, f2[0]))
