"""Properties of the target language (Hypothesis).

- any text gives a value or a PerfrulesError positioned inside the text;
- any value printed to canonical text parses back equal;
- the canonical text of anything that parses parses back equal.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from perfrules import (
    ActualDate,
    ActualDone,
    ActualEmpty,
    ActualQuantity,
    ActualStatement,
    BareValue,
    Comparison,
    Deadline,
    NotApplicable,
    PerfrulesError,
    Qualitative,
    Quantity,
    Range,
    parse_actual,
    parse_target,
    unit,
)

# Modest example counts: the whole suite runs in seconds on two cores.
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROUND_TRIP = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PARSERS = {"target": parse_target, "actual": parse_actual}

# --------------------------------------------------------------------------
# Any text: a value or our own positioned error

UNITS = [
    "元", "万元", "亿元", "万美元", "%", "％", "‰", "百分比", "天", "日", "小时", "个月", "月", "年",
    "个工作日", "工作日", "米", "公里", "厘米", "平方米", "㎡", "亩", "公顷", "TB", "GB",
    "次", "项", "家", "个", "個", "篇", "份", "人", "人次", "家次", "场次", "户", "台套", "件", "只", "头", "起",
]
TOKENS = (
    list("0123456789０１２３４５６７８９.,，。、 ")
    + list("≥≤><=≧≦﹦═＞＜＝~～-—一至/")
    + [">=", "<=", "不低于", "不少于", "达到", "以上", "不超过", "不高于", "以内", "控制在", "低于", "高于",
       "超过", "小于", "不适用"]
    + list("年月日前底") + ["年底前", "月底前", "已于", "完成", "已完成", "按时完成"]
    + list("一二两三四五六七八九十百千万亿零")
    + UNITS
    + ["达成预期指标", "全部达到预期指标", "基本达到", "未达成", "促进", "发展", "满意度", "有效", "及时"]
    + list("（）()“”：:；;!？\n\t")
)

table_like_text = st.lists(st.sampled_from(TOKENS), max_size=12).map("".join)
any_text = st.one_of(st.text(max_size=30), table_like_text)


def _check_parses_or_positioned_error(parse, text):
    try:
        value = parse(text)
    except PerfrulesError as err:
        assert err.span is not None, f"{type(err).__name__} without a span for {text!r}"
        assert 0 <= err.span.start <= err.span.end <= len(text), (text, err.span)
        assert err.span.line >= 1 and err.span.column >= 1
        str(err)  # renders without failing
    else:
        assert value.kind
        value.to_json()


@FUZZ
@given(any_text)
def test_any_text_parses_as_target_or_positioned_error(text):
    _check_parses_or_positioned_error(parse_target, text)


@FUZZ
@given(any_text)
def test_any_text_parses_as_actual_or_positioned_error(text):
    _check_parses_or_positioned_error(parse_actual, text)


@ROUND_TRIP
@given(st.sampled_from(sorted(PARSERS)), any_text)
@example("actual", "年底前完成")  # a date with no year must not print as a bare `12月`
@example("target", "年底前")
@example("target", "19574.")
def test_canonical_text_of_any_parse_parses_back(which, text):
    parse = PARSERS[which]
    try:
        value = parse(text)
    except PerfrulesError:
        return
    canonical = str(value)
    again = parse(canonical)
    assert again == value, (text, canonical, again)
    assert str(again) == canonical


# --------------------------------------------------------------------------
# Generated values print and parse back equal

numbers = st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False)

# Units safe after any number; 年/月/日 left out of bare values, where
# `2024年` or `12月` would read as dates.
VALUE_UNITS = [
    None, "元", "万元", "亿元", "万美元", "%", "‰", "天", "小时", "个月", "个工作日", "米", "公里",
    "平方米", "亩", "公顷", "TB", "GB", "次", "项", "家", "个", "篇", "份", "人", "人次", "家次", "件", "起",
]
COMPARISON_UNITS = VALUE_UNITS + ["年"]


def quantities(symbols):
    return st.builds(
        lambda value, symbol: Quantity(value, unit(symbol) if symbol else None),
        numbers,
        st.sampled_from(symbols),
    )


comparisons = st.builds(Comparison, st.sampled_from(["ge", "gt", "le", "lt", "eq"]), quantities(COMPARISON_UNITS))
bare_values = st.builds(BareValue, quantities(VALUE_UNITS))


@st.composite
def ranges(draw):
    symbol = draw(st.sampled_from(VALUE_UNITS))
    low, high = sorted([draw(numbers), draw(numbers)])
    u = unit(symbol) if symbol else None
    return Range(Quantity(low, u), Quantity(high, u))


@st.composite
def deadlines(draw):
    year = draw(st.none() | st.integers(2000, 2035))
    month = draw(st.integers(1, 12))
    day = draw(st.none() | st.integers(1, 28))
    end_of_period = day is None and draw(st.booleans())
    # without a year, only 前 or 底 make `9月` a date rather than nine months
    before = draw(st.booleans()) if year is not None else True
    return Deadline(year=year, month=month, day=day, end_of_period=end_of_period, before=before)


PHRASES = [
    "促进我市重大疾病防治技术发展", "有效", "显著提升", "及时", "服务质量持续改善",
    "配合国家战略布局", "建立和加强伙伴关系", "群众生产生活条件改善", "社会效益明显",
]
statements = st.lists(st.sampled_from(PHRASES), min_size=1, max_size=3).map("，".join)

targets = st.one_of(
    comparisons,
    bare_values,
    ranges(),
    deadlines(),
    statements.map(Qualitative),
    st.just(NotApplicable()),
)


@st.composite
def actual_dates(draw):
    return ActualDate(
        year=draw(st.none() | st.integers(2000, 2035)),
        month=draw(st.integers(1, 12)),
        day=draw(st.none() | st.integers(1, 28)),
    )


actuals = st.one_of(
    st.builds(ActualQuantity, quantities(VALUE_UNITS), st.none() | st.sampled_from(["ge", "gt", "le", "lt", "eq"])),
    actual_dates(),
    st.just(ActualDone()),
    statements.map(ActualStatement),
    st.just(ActualEmpty()),
)


@ROUND_TRIP
@given(targets)
def test_target_prints_and_parses_back(value):
    assert parse_target(str(value)) == value


@ROUND_TRIP
@given(actuals)
def test_actual_prints_and_parses_back(value):
    assert parse_actual(str(value)) == value


@ROUND_TRIP
@given(targets)
def test_target_json_matches_its_kind(value):
    data = parse_target(str(value)).to_json()
    assert data["kind"] == value.kind
    assert data["text"] == str(value)
    if "value" in data:
        assert Decimal(data["value"]) == value.quantity.value


# --------------------------------------------------------------------------
# The fast path for simple cells reads exactly what the grammar reads

from perfrules import quantity as _quantity  # noqa: E402
from perfrules import targets as _targets  # noqa: E402

_ALL_UNIT_WORDS = sorted(_quantity._TABLE) + ["万" + u for u in ("元", "人次", "户", "吨")] + ["亿元", "万美元", "個"]
simple_like_text = st.builds(
    "{}{}{}{}".format,
    st.sampled_from(["", "≥", "≤", ">", "<", "=", "＞", "≧", " ", ">="]),
    st.one_of(st.decimals(0, 10**9, allow_nan=False, allow_infinity=False).map(lambda d: format(d, "f")),
              st.sampled_from(["0", "10", "2024", "1900", "95", "19574.", "1,000", "0.5", "３０"])),
    st.sampled_from(_ALL_UNIT_WORDS + UNITS + ["", "以上", "左右", "年底", "月", "万", "家企业", "项目"]),
    st.sampled_from(["", "", "", " ", "以上", "（暂定）", "/", "/年", "。", "个"]),
)


def _written(value):
    """A value with every number as written (Decimal('1.0') is not '1')."""
    return (type(value), value, repr(value), value.to_json())


@FUZZ
@given(st.sampled_from(["target", "actual"]), st.one_of(simple_like_text, table_like_text))
@example("target", "≥10项")
@example("actual", "95%")
@example("target", "2024年")
@example("actual", "3个月")
@example("target", "≥10万人次")
def test_simple_cells_read_without_lark_as_lark_reads_them(which, text):
    folded = text.translate(_targets._FOLD)
    fallback = Qualitative if which == "target" else ActualStatement
    fast = _targets._simple(folded, which, text)
    if fast is None:
        return
    assert _written(fast) == _written(_targets._parse_lark(text, folded, which, fallback))


def test_every_unit_word_reads_alike_on_both_paths():
    for symbol in _ALL_UNIT_WORDS:
        for which, fallback in (("target", Qualitative), ("actual", ActualStatement)):
            for text in (f"≥10{symbol}", f"12.5{symbol}", f"2024{symbol}", f"<0{symbol}"):
                fast = _targets._simple(text, which, text)
                if fast is not None:
                    assert _written(fast) == _written(_targets._parse_lark(text, text, which, fallback)), text
