"""Hypothesis strategies for performance tables: targets, actuals, rows and
whole sheets, drawn from the vocabulary and magnitudes of real tables.

Use them in any test suite::

    from hypothesis import given
    from perfrules.testing import rows

    @given(rows())
    def test_my_policy_never_scores_above_the_weight(row):
        result = ruleset.evaluate(row)
        assert result.score is None or result.score <= row.weight

Everything shrinks toward small, plain rows: ``target ≥1项, actual 0项,
weight 1``.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import attrs
from hypothesis import strategies as st

from ..cells.quantity import Quantity, unit
from ..records import Row, Sheet
from ..cells.values import (
    ActualDate,
    ActualDone,
    ActualEmpty,
    ActualQuantity,
    ActualStatement,
    BareValue,
    Comparison,
    Deadline,
    NotApplicable,
    Qualitative,
    Range,
)

__all__ = [
    "UNITS", "quantities", "targets", "actuals", "rows", "budget_rows", "sheets", "completions",
    "target_texts", "actual_texts",
]

#: Units as tables write them, each with the units an actual may be written
#: in instead (exactly convertible).
UNITS = {
    "项": (), "家": (), "次": (), "人次": (), "个": (), "篇": (), "人": (), "%": (),
    "万元": ("元", "亿元"), "元": ("万元",), "亿元": ("万元",), "个月": ("年",), "天": (), "个工作日": (),
    "平方米": (), "米": ("公里",), "亩": ("公顷",), "TB": ("GB",),
}

LEVELS = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
}
NAMES = (
    "科技创新券支持企业数", "应用基础研究立项项目数", "项目验收合格率", "资金到位及时率",
    "运行成本", "成本控制率", "服务对象满意度", "技术合同成交额", "培训人次", "租赁房屋面积",
)
STATEMENTS = (
    "全部达到预期指标", "达成年度指标", "基本达到", "部分达成", "未达成", "效果显著", "已完成",
    "有效提升服务水平", "未完成年度目标", "按计划推进",
)
WEIGHTS = tuple(Decimal(w) for w in ("1", "2", "5", "10", "12.5", "20", "30"))
_PLACES = st.sampled_from([(one, two, name) for one, twos in LEVELS.items() for two in twos for name in NAMES])


def quantities(symbol: str | None, *, low: int = 0, high: int = 100_000) -> st.SearchStrategy[Quantity]:
    """Quantities in ``symbol`` with at most two decimals."""
    cents = st.integers(min_value=low * 100, max_value=high * 100)
    return cents.map(lambda c: Quantity(Decimal(c).scaleb(-2).normalize() if c else Decimal(0),
                                        unit(symbol) if symbol else None))


def _scaled_integers(high: int, places: int) -> st.SearchStrategy[Decimal]:
    # Integers scaled down: far cheaper to draw than st.decimals, and they
    # shrink the same way, toward 0.
    return st.integers(min_value=0, max_value=high * 10**places).map(
        lambda n: Decimal(n).scaleb(-places).normalize() if n else Decimal(0))


_SYMBOLS = st.sampled_from(list(UNITS) + [None])
_ONE_IN_TWENTY, _ONE_IN_FOUR = st.integers(0, 19), st.integers(0, 3)
_NOT_AMOUNTS = st.sampled_from([ActualEmpty(), ActualDone(), ActualStatement("基本达到")])
_DEADLINE_ACTUALS = st.sampled_from(("date", "done", "empty"))
_YEARS, _MONTHS, _DAYS = st.integers(2019, 2026), st.integers(1, 12), st.none() | st.integers(1, 28)
_STATEMENT_ACTUALS = st.sampled_from(STATEMENTS).map(ActualStatement) | st.sampled_from([ActualDone(), ActualEmpty()])
_PERCENTS = [Decimal(v) for v in ("0", "50", "80", "90", "95", "98", "99", "100")]
_AMOUNTS = [Decimal(v) for v in ("0", "1", "10", "100", "300", "4000", "34403.58")]


@lru_cache(maxsize=None)  # strategies are built once: building is what costs
def _amount(text_unit: str | None):
    if text_unit == "%":
        return st.sampled_from(_PERCENTS) | _scaled_integers(100, 1)
    return st.one_of(st.sampled_from(_AMOUNTS), st.integers(min_value=0, max_value=100_000).map(Decimal),
                     _scaled_integers(100_000, 2))


@st.composite
def _comparison(draw, ops=("ge", "gt", "le", "lt", "eq")):
    symbol = draw(_SYMBOLS)
    value = draw(_amount(symbol))
    op = draw(st.sampled_from(ops))
    return Comparison(op, Quantity(value, unit(symbol) if symbol else None))


@st.composite
def _bare(draw):
    symbol = draw(_SYMBOLS)
    return BareValue(Quantity(draw(_amount(symbol)), unit(symbol) if symbol else None))


@st.composite
def _range(draw):
    symbol = draw(st.sampled_from(["%", "万元", "天", None]))
    low = draw(_amount(symbol))
    high = low + draw(st.integers(min_value=0, max_value=50))
    u = unit(symbol) if symbol else None
    return Range(Quantity(low, u), Quantity(high, u))


@st.composite
def _deadline(draw):
    year = draw(st.none() | st.integers(min_value=2019, max_value=2026))
    month = draw(st.integers(min_value=1, max_value=12))
    day = draw(st.none() | st.integers(min_value=1, max_value=28))
    return Deadline(year, month, day, before=draw(st.booleans()))


def targets(kinds=("comparison", "value", "range", "deadline", "qualitative", "not_applicable")):
    """Targets of the given kinds, weighted as real tables hold them."""
    parts = {
        "comparison": _comparison(),
        "value": _bare(),
        "range": _range(),
        "deadline": _deadline(),
        "qualitative": st.sampled_from(("促进我市重大疾病防治技术发展", "提升服务水平", "有效", "显著提升"))
        .map(lambda text: Qualitative(text)),
        "not_applicable": st.just(NotApplicable()),
    }
    return st.one_of(*(parts[kind] for kind in kinds))


@lru_cache(maxsize=None)
def completions(edges=()) -> st.SearchStrategy[Decimal]:
    """Actual ÷ target: the spread of real tables (0 to 2.5), the values
    where rules change (``edges``) and just either side of them."""
    near = []
    for edge in edges:
        near += [edge, edge - Decimal("0.0001"), edge + Decimal("0.0001")]
    plain = [Decimal(v) for v in ("0", "0.5", "0.8", "1", "1.3", "2", "2.5")]
    return st.one_of(st.sampled_from(plain + [e for e in near if e >= 0]), _scaled_integers(25_000, 0).map(
        lambda n: (n / 10_000).normalize() if n else Decimal(0)))


def _scaled(target: Quantity, completion: Decimal) -> Quantity:
    value = (target.value * completion).quantize(Decimal("0.0001")).normalize()
    return Quantity(value if value != 0 else Decimal(0), target.unit)


@st.composite
def actuals(draw, target=None, *, completion=None, edges=()):
    """An actual for ``target``: the same or a convertible unit, below, at
    or above it; a date for a deadline; words for a sentence; sometimes
    missing."""
    if isinstance(target, (Comparison, BareValue, Range)):
        quantity = target.high if isinstance(target, Range) else target.quantity
        if completion is None and draw(_ONE_IN_TWENTY) == 0:
            return draw(_NOT_AMOUNTS)
        c = completion if completion is not None else draw(completions(tuple(edges)))
        amount = _scaled(quantity, c)
        alternatives = UNITS.get(quantity.unit.symbol, ()) if quantity.unit else ()
        if alternatives and draw(_ONE_IN_FOUR) == 0:
            try:
                amount = amount.to(unit(draw(st.sampled_from(alternatives))))
            except Exception:  # a conversion no decimal holds: keep the target's unit
                pass
        return ActualQuantity(amount)
    if isinstance(target, Deadline):
        kind = draw(_DEADLINE_ACTUALS)
        if kind == "done":
            return ActualDone()
        if kind == "empty":
            return ActualEmpty()
        year = target.year or draw(_YEARS)
        return ActualDate(year, draw(_MONTHS), draw(_DAYS))
    return draw(_STATEMENT_ACTUALS)


#: Targets of every kind: what :func:`rows` draws by default.
ANY_TARGETS = targets()


@st.composite
def rows(draw, targets=ANY_TARGETS, *, edges=(), completion=None, reported=True):
    """Indicator rows: levels and names from the real vocabulary, weights
    as tables print them, a reported score (or none) within the weight."""
    target = draw(targets)
    actual = draw(actuals(target, completion=completion, edges=edges))
    level1, level2, name = draw(_PLACES)
    weight = draw(st.sampled_from(WEIGHTS))
    score = None
    if reported and draw(st.booleans()):
        score = min(weight, draw(_scaled_integers(int(weight) + 1, 2)))
    return Row(target=target, actual=actual, weight=weight, reported=score, level1=level1, level2=level2, name=name)


@st.composite
def budget_rows(draw):
    """The budget-execution row: an execution rate from 0 to 120%."""
    budget = draw(st.decimals(min_value=1, max_value=1_000_000, places=2))
    rate = draw(st.decimals(min_value=0, max_value="1.2", places=4))
    return Row.budget_execution(budget=budget, spent=(budget * rate).quantize(Decimal("0.01")), weight=10)


@st.composite
def sheets(draw, *, max_rows: int = 12):
    """Whole sheets: a budget row (or none) and up to ``max_rows`` rows."""
    year = draw(st.integers(min_value=2019, max_value=2026))
    budget = draw(st.none() | budget_rows())
    return Sheet(
        rows=[attrs.evolve(row, fiscal_year=year) for row in draw(st.lists(rows(), max_size=max_rows))],
        budget=None if budget is None else attrs.evolve(budget, fiscal_year=year),
        fiscal_year=year,
    )


def target_texts() -> st.SearchStrategy[str]:
    """Target cell texts, written the ways tables write them."""
    ops = st.sampled_from(["≥", "≧", ">=", "＞", "≤", "≦", "<", "=", "═", "﹦", "不低于", "不少于", "达到", "不超过", ""])
    symbols = st.sampled_from(list(UNITS) + ["", "個", "万人次", "‰"])
    number = st.decimals(min_value=0, max_value=100_000, places=2).map(lambda d: format(d.normalize(), "f"))
    suffix = st.sampled_from(["", "", "以上", "以内", "左右"])
    quantity = st.builds(lambda o, n, u, s: f"{o}{n}{u}{s}", ops, number, symbols, suffix)
    return st.one_of(
        quantity,
        st.sampled_from(["2024年12月31日前", "12月底前", "年底前", "2024-12-31前", "80%-90%", "/", "—", "", "不适用"]),
        st.sampled_from(STATEMENTS),
    )


def actual_texts() -> st.SearchStrategy[str]:
    """Actual cell texts."""
    number = st.decimals(min_value=0, max_value=100_000, places=2).map(lambda d: format(d.normalize(), "f"))
    symbols = st.sampled_from(list(UNITS) + [""])
    return st.one_of(
        st.builds(lambda n, u: f"{n}{u}", number, symbols),
        st.sampled_from(["已完成", "按时完成", "已于2024年12月31日前完成", "2023年10月", "", "/"]),
        st.sampled_from(STATEMENTS),
    )
