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

import calendar
import datetime as dt
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
_WEIGHTS = st.sampled_from(WEIGHTS)
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
_POSITIVE = st.sampled_from(_AMOUNTS[1:]) | st.integers(min_value=1, max_value=100_000).map(Decimal)


@lru_cache(maxsize=None)  # strategies are built once: building is what costs
def _amount(text_unit: str | None, constants: tuple = ()):
    # The ruleset's own constants for target and actual (a fraction for %).
    own = [c * 100 if text_unit == "%" else c for c in constants if c >= 0]
    if text_unit == "%":
        return st.sampled_from(_PERCENTS + own) | _scaled_integers(100, 1)
    return st.one_of(st.sampled_from(_AMOUNTS + own), st.integers(min_value=0, max_value=100_000).map(Decimal),
                     _scaled_integers(100_000, 2))


@lru_cache(maxsize=None)
def _symbols(vocabulary):
    if vocabulary is None or not vocabulary.units:
        return _SYMBOLS
    return st.one_of(_SYMBOLS, st.sampled_from(vocabulary.units))


@lru_cache(maxsize=None)
def _target_constants(vocabulary) -> tuple:
    if vocabulary is None:
        return ()
    return tuple(sorted(set(vocabulary.constants_of("target") + vocabulary.constants_of("actual"))))


@st.composite
def _comparison(draw, ops=("ge", "gt", "le", "lt", "eq"), vocabulary=None):
    symbol = draw(_symbols(vocabulary))
    value = draw(_amount(symbol, _target_constants(vocabulary)))
    op = draw(st.sampled_from(ops))
    return Comparison(op, Quantity(value, unit(symbol) if symbol else None))


@st.composite
def _bare(draw, vocabulary=None):
    symbol = draw(_symbols(vocabulary))
    return BareValue(Quantity(draw(_amount(symbol, _target_constants(vocabulary))), unit(symbol) if symbol else None))


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


def targets(kinds=("comparison", "value", "range", "deadline", "qualitative", "not_applicable"), *,
            vocabulary=None):
    """Targets of the given kinds, weighted as real tables hold them; with
    a ruleset's ``vocabulary`` (:func:`~perfrules.testing.vocabulary_of`),
    also in the units it tests for and at the amounts it compares with."""
    parts = {
        "comparison": _comparison(vocabulary=vocabulary),
        "value": _bare(vocabulary=vocabulary),
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


def _due(target: Deadline, year: int) -> dt.date:
    """The last day a deadline allows (as ``days_late`` counts it)."""
    year = target.year or year
    month = target.month or 12
    return dt.date(year, month, target.day or calendar.monthrange(year, month)[1])


@st.composite
def actuals(draw, target=None, *, completion=None, edges=(), vocabulary=None):
    """An actual for ``target``: the same or a convertible unit, below, at
    or above it (above it, too, for a target of 0); a date for a deadline;
    words for a sentence; sometimes missing.  With a ruleset's
    ``vocabulary``: also at and around the amounts and day counts it
    compares with, and the words of its bands."""
    if isinstance(target, (Comparison, BareValue, Range)):
        quantity = target.high if isinstance(target, Range) else target.quantity
        if completion is None and draw(_ONE_IN_TWENTY) == 0:
            return draw(_NOT_AMOUNTS)
        if completion is None and quantity.value == 0 and draw(_ONE_IN_FOUR) != 0:
            # A target of 0 has no completion: scaling it gives 0 for ever.
            return ActualQuantity(Quantity(draw(_POSITIVE), quantity.unit))
        own = vocabulary.near("actual", step=Decimal("0.01")) if vocabulary is not None else ()
        if completion is None and own and draw(_ONE_IN_FOUR) == 0:
            value = draw(_choice(own))
            if quantity.unit is not None and quantity.unit.dimension == "ratio":
                value = value * 100
            return ActualQuantity(Quantity(max(value, Decimal(0)), quantity.unit))
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
        days = vocabulary.near("days_late") if vocabulary is not None else ()
        if days and draw(st.booleans()):
            # A day count the ruleset compares with, or one either side of it.
            late = draw(_choice(days))
            done = _due(target, target.year or draw(_YEARS)) + dt.timedelta(days=max(0, int(late)))
            return ActualDate(done.year, done.month, done.day)
        kind = draw(_DEADLINE_ACTUALS)
        if kind == "done":
            return ActualDone()
        if kind == "empty":
            return ActualEmpty()
        year = target.year or draw(_YEARS)
        if draw(st.booleans()):
            # On the deadline, or a day after it.
            done = _due(target, year) + dt.timedelta(days=draw(st.integers(0, 1)))
            return ActualDate(done.year, done.month, done.day)
        return ActualDate(year, draw(_MONTHS), draw(_DAYS))
    if vocabulary is not None and vocabulary.band_words and draw(st.booleans()):
        return ActualStatement(draw(_choice(vocabulary.band_words)))
    return draw(_STATEMENT_ACTUALS)


#: Targets of every kind: what :func:`rows` draws by default.
ANY_TARGETS = targets()


@lru_cache(maxsize=None)
def _choice(values: tuple):
    return st.sampled_from(values)


def _either(draw, own: tuple, fallback):
    """One of the ruleset's own words half the time (when it has any)."""
    if own and draw(st.booleans()):
        return draw(_choice(own))
    return fallback


_COLUMN_TEXTS = ("", "0", "1", "5", "5万元", "是", "否")


@lru_cache(maxsize=None)
def _column_choices(vocabulary):
    """``(column, a strategy of its texts)`` for each column the ruleset reads."""
    found = []
    for column in vocabulary.columns:
        numbers = tuple(format(v, "f") for v in vocabulary.near(f"number:{column}", step=Decimal("0.01")))
        found.append((column, st.sampled_from(vocabulary.texts_of(column) + numbers + _COLUMN_TEXTS)))
    return tuple(found)


@st.composite
def _columns(draw, vocabulary):
    columns = {}
    for column, texts in _column_choices(vocabulary):
        if draw(_ONE_IN_FOUR) == 0:
            continue  # a row without the column
        columns[column] = draw(texts)
    return columns


@lru_cache(maxsize=None)
def _own(vocabulary):
    """The strategies of a vocabulary's words, built once."""
    weights = WEIGHTS + tuple(w for w in vocabulary.near("weight") if w > 0)
    years = tuple(int(y) for y in vocabulary.constants_of("year") if 1900 < y < 2200)
    return st.sampled_from(weights), st.sampled_from((None, 2024) + years)


@st.composite
def rows(draw, targets=ANY_TARGETS, *, edges=(), completion=None, reported=True, vocabulary=None):
    """Indicator rows: levels and names from the real vocabulary, weights
    as tables print them, a reported score (or none) within the weight.
    With a ruleset's ``vocabulary``, half the names, levels and notes are
    the ruleset's own, rows carry the columns it reads, and weights include
    the ones it compares with."""
    target = draw(targets)
    actual = draw(actuals(target, completion=completion, edges=edges, vocabulary=vocabulary))
    level1, level2, name = draw(_PLACES)
    cells = {}
    if vocabulary is not None:
        name = _either(draw, vocabulary.names, name)
        level1 = _either(draw, vocabulary.level1, level1)
        level2 = _either(draw, vocabulary.level2, level2)
        note = _either(draw, vocabulary.notes + ("", "/"), "")
        goal = _either(draw, vocabulary.goals, "")
        weights, years = _own(vocabulary)
        cells = {"note": note, "goal": goal, "columns": draw(_columns(vocabulary)), "fiscal_year": draw(years)}
    weight = draw(weights if vocabulary is not None else _WEIGHTS)
    score = None
    if reported and draw(st.booleans()):
        score = min(weight, draw(_scaled_integers(int(weight) + 1, 2)))
    return Row(target=target, actual=actual, weight=weight, reported=score, level1=level1, level2=level2, name=name,
               **cells)


@st.composite
def budget_rows(draw, *, vocabulary=None):
    """The budget-execution row: an execution rate from 0 to 120% (and at
    and around the rates a ruleset's ``vocabulary`` compares with)."""
    budget = draw(st.decimals(min_value=1, max_value=1_000_000, places=2))
    rate = draw(st.decimals(min_value=0, max_value="1.2", places=4))
    own = vocabulary.near("rate", step=Decimal("0.0001")) if vocabulary is not None else ()
    if own and draw(st.booleans()):
        rate, budget = max(draw(_choice(own)), Decimal(0)), Decimal(10000)
    return Row.budget_execution(budget=budget, spent=(budget * rate).quantize(Decimal("0.01")), weight=10)


@st.composite
def sheets(draw, *, max_rows: int = 12, vocabulary=None):
    """Whole sheets: a budget row (or none) and up to ``max_rows`` rows
    (drawn with a ruleset's ``vocabulary``, if given)."""
    year = draw(st.integers(min_value=2019, max_value=2026))
    budget = draw(st.none() | budget_rows(vocabulary=vocabulary))
    indicator = rows(targets(vocabulary=vocabulary), vocabulary=vocabulary) if vocabulary is not None else rows()
    return Sheet(
        rows=[attrs.evolve(row, fiscal_year=year) for row in draw(st.lists(indicator, max_size=max_rows))],
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
