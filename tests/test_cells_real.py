"""Cells as real tables write them (issue 14, and the cell part of issue 18):
month-only actuals, pinyin glosses from mirror sites, compound count units,
control characters, and any text of up to 200 characters."""

from __future__ import annotations


import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from perfrules import (
    ActualDate,
    ActualDone,
    ActualQuantity,
    BareValue,
    Comparison,
    PerfrulesError,
    Qualitative,
    Quantity,
    TargetSyntaxError,
    parse_actual,
    parse_target,
    unit,
)


# ---- month-only actuals ----------------------------------------------------


@pytest.mark.parametrize(
    "text, month",
    [("7月", 7), ("7月份", 7), ("12月", 12), ("七月", 7), (" 9月 ", 9)],
)
def test_a_month_alone_is_a_date_with_month_precision(text, month):
    assert parse_actual(text) == ActualDate(month=month)


@pytest.mark.parametrize("text", ["7个月", "13月", "7.5月"])
def test_a_count_of_months_stays_an_amount(text):
    assert isinstance(parse_actual(text), ActualQuantity)


def test_a_year_and_month_is_a_date():
    assert parse_actual("2023年10月") == ActualDate(2023, 10)
    assert parse_actual("2023年10月份") == ActualDate(2023, 10)


def test_a_month_target_is_unchanged():
    # As a target, 7月 alone is still a bare value: only the indicator says more.
    assert parse_target("7月") == BareValue(Quantity("7", "月"))


# ---- pinyin glosses ----------------------------------------------------------


def test_pinyin_glosses_are_read_past():
    assert parse_actual("達(dá)成預(yù)期指標(biāo)") == ActualDone()
    assert parse_target("項(xiàng)目完成率≥95%") == Qualitative("項目完成率≥95%")
    assert parse_target("≥10項(xiàng)") == Comparison("ge", Quantity("10", "項"))


def test_the_value_keeps_the_cell_as_written():
    value = parse_actual("達(dá)成預(yù)期指標(biāo)")
    assert value.text == "達(dá)成預(yù)期指標(biāo)"


def test_brackets_that_are_not_glosses_stay():
    assert parse_target("项目(a)") == Qualitative("项目(a)")
    assert parse_target("完成(mu)") == Qualitative("完成(mu)")  # no tone mark: not a gloss
    assert parse_actual("10项（含2项续建）") == ActualQuantity(Quantity("10", "项"))


def test_an_error_after_a_gloss_points_into_the_cell_as_written():
    text = "≥1.2.3萬(wàn)元"
    with pytest.raises(TargetSyntaxError) as caught:
        parse_target(text)
    span = caught.value.span
    assert text[span.start : span.end] == ".3"


# ---- compound units ------------------------------------------------------------


def test_a_multiplier_before_a_counting_word_is_kept():
    target = parse_target("≥550万粒")
    assert target == Comparison("ge", Quantity("550", "万粒"))
    assert target.quantity.compare(Quantity("5500000", "粒")) == 0
    assert unit("万粒").compatible(unit("粒"))


@pytest.mark.parametrize("text, symbol", [("400元/人、天", "元/人、天"), ("400元/人·天", "元/人·天")])
def test_a_per_unit_of_two_things_is_kept_whole(text, symbol):
    assert parse_target(text).quantity.unit.symbol == symbol
    assert parse_actual(text).quantity.unit.symbol == symbol


def test_more_than_after_a_multiplier_is_not_a_counting_word():
    assert parse_actual("5万余元").quantity.unit.symbol == "万"


def test_a_closing_word_after_a_per_unit_still_closes():
    assert parse_target("400元/人、天以内") == Comparison("le", Quantity("400", "元/人、天"))


# ---- control characters --------------------------------------------------------


@pytest.mark.parametrize("text", ["9\x1f", "9\x0b", "\x00" + "9", "9\x7f", "9\u2028"])
def test_control_characters_are_whitespace(text):
    assert parse_target(text) == parse_target("9")
    assert parse_actual(text) == parse_actual("9")


def test_the_slow_cell_of_issue_18_is_an_error():
    with pytest.raises(TargetSyntaxError):
        parse_target("≤185097％前／≤185097％前")


# ---- any text of up to 200 characters ------------------------------------------

PIECES = (
    list("0123456789.,%％≥≤<>=＝／/()（）、·-~ ")
    + ["前", "年", "月", "日", "底", "内", "以上", "以下", "以内", "至", "万", "元", "人", "天", "起", "项",
       "完成", "已于", "达到", "不低于", "控制在", "左右", "(dá)", "(xiàng)", "萬", "達", "\x1f", "\x0b", "\x00",
       "≤185097％前", "2024年12月31日前", "达成预期指标"]
)
long_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(PIECES), max_size=80).map(lambda pieces: "".join(pieces)[:200]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([parse_target, parse_actual]), long_text)
@example(parse_target, "≤185097％前／≤185097％前")
@example(parse_actual, "≤185097％前／" * 16)
def test_any_text_up_to_200_characters_gives_a_value_or_our_error(parse, text):
    try:
        value = parse(text)
    except PerfrulesError as error:
        assert error.span is not None and 0 <= error.span.start <= error.span.end <= len(text)
    else:
        assert value.kind
        assert parse(str(value)) == value or value.kind in ("qualitative",)
