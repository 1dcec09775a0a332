"""Exact quantities with units, as written in performance tables.

A :class:`Unit` has the symbol it was written with, a dimension (``money``,
``ratio``, ``count`` …), a *base* and a *scale*: ``万元`` is 10⁴ of the base
``元``. Two units can be compared or converted when they share a base, so
``亿元`` and ``元`` can, ``万美元`` and ``元`` cannot (another currency), and
``项`` and ``家`` cannot (different things counted). Months and years share a
base (``个月``), days and hours another (``天``): a month has no exact number
of days, so they are kept apart rather than guessed.

>>> from decimal import Decimal
>>> q = Quantity(Decimal("5115"), unit("万元"))
>>> str(q.to(unit("元")))
'51150000元'
>>> q.compare(Quantity(Decimal("0.5"), unit("亿元")))
1

A word not in the table is a unit of its own: it compares only with itself.

>>> unit("吨公里").dimension, unit("吨公里").compatible(unit("公里"))
('other', False)
"""

from __future__ import annotations

import functools
from decimal import Decimal
from fractions import Fraction

import attrs

from .chinese import simplify
from ..errors import UnitError
from ..numbers import format_decimal

__all__ = ["Unit", "Quantity", "unit", "known_unit", "format_decimal", "shift_decimal", "NUMBER"]


@attrs.frozen
class Unit:
    """A unit as written (``symbol``), its ``dimension``, the ``base`` it
    converts through and its ``scale`` (how many base units one of it is)."""

    symbol: str
    dimension: str
    base: str
    scale: Fraction = attrs.field(default=Fraction(1), converter=Fraction)

    def compatible(self, other: "Unit | None") -> bool:
        """Whether quantities in the two units can be compared."""
        return self.base == _base_of(other)

    def __repr__(self) -> str:
        return f"unit({self.symbol!r})" if unit(self.symbol) == self else super().__repr__()

    def __str__(self) -> str:
        return self.symbol


#: The base of plain numbers: a quantity written without a unit, or with a
#: bare multiplier such as ``45万``.
NUMBER = "1"

# symbol -> (dimension, base, scale).  Symbols are the simplified forms;
# traditional characters are folded by _SIMPLIFY before lookup.
_TABLE: dict[str, tuple[str, str, Fraction]] = {}


def _add(dimension: str, base: str, entries: dict[str, int | Fraction]) -> None:
    for symbol, scale in entries.items():
        _TABLE[symbol] = (dimension, base, Fraction(scale))


_add("money", "元", {"元": 1, "人民币": 1, "块": 1})
for _currency in ("美元", "欧元", "港元", "港币", "日元", "英镑"):
    _add("money", _currency, {_currency: 1})
_add("ratio", "%", {"%": 1, "百分比": 1, "百分点": 1, "‰": Fraction(1, 10)})
_add("duration", "天", {
    "天": 1, "日": 1, "个日": 1, "小时": Fraction(1, 24), "个小时": Fraction(1, 24),
    "分钟": Fraction(1, 1440), "周": 7, "个周": 7, "星期": 7, "个星期": 7,
})
_add("duration", "个月", {"个月": 1, "月": 1, "年": 12, "个年": 12, "季度": 3, "个季度": 3})
_add("workdays", "工作日", {"工作日": 1, "个工作日": 1})
_add("length", "米", {
    "米": 1, "m": 1, "延米": 1, "公里": 1000, "km": 1000,
    "厘米": Fraction(1, 100), "cm": Fraction(1, 100), "毫米": Fraction(1, 1000), "mm": Fraction(1, 1000),
})
_add("area", "平方米", {
    "平方米": 1, "平米": 1, "㎡": 1, "m²": 1, "m2": 1, "平方公里": 10**6, "平方千米": 10**6,
    "km²": 10**6, "公顷": 10**4, "亩": Fraction(2000, 3),
})
_add("volume", "立方米", {"立方米": 1, "方": 1, "m³": 1, "m3": 1, "升": Fraction(1, 1000), "L": Fraction(1, 1000)})
_add("mass", "千克", {"千克": 1, "公斤": 1, "kg": 1, "克": Fraction(1, 1000), "吨": 1000, "斤": Fraction(1, 2)})
_add("data", "GB", {
    "GB": 1, "G": 1, "TB": 1024, "T": 1024, "PB": 1024**2, "MB": Fraction(1, 1024), "KB": Fraction(1, 1024**2),
})
_add("number", NUMBER, {"十": 10, "百": 100, "千": 1000, "万": 10**4, "十万": 10**5, "百万": 10**6,
                        "千万": 10**7, "亿": 10**8})
for _word in (
    "次 项 家 个 篇 份 人 人次 家次 场 场次 户 户次 台 套 台套 件 册 种 只 头 批 期 所 座 处 起 "
    "株 棵 辆 艘 架 部 本 条 张 块 间 栋 幢 名 位 例 门 课时 学时 班 班次 宗 笔 单 口 眼 首 幅 "
    "部次 项次 批次 期次 人天 人日 个次 村 镇 乡 所次 床 床位 校 园 馆 站 点 处次 亩次 片 盏 根 组 对"
).split():
    _TABLE.setdefault(_word, ("count", _word, Fraction(1)))

_PREFIXES = {"万亿": 10**12, "百万": 10**6, "千万": 10**7, "十万": 10**5, "万": 10**4, "亿": 10**8, "千": 1000, "百": 100}

def _lookup(symbol: str) -> tuple[str, str, Fraction] | None:
    simple = simplify(symbol)
    found = _TABLE.get(simple)
    if found is not None:
        return found
    for prefix, factor in _PREFIXES.items():
        rest = simple[len(prefix) :]
        if simple.startswith(prefix) and rest in _TABLE:
            dimension, base, scale = _TABLE[rest]
            if dimension != "number":
                return dimension, base, scale * factor
    return None


def _lookup_compound(symbol: str) -> tuple[str, str, Fraction] | None:
    # 万元/年, 元/人次: a known unit per another unit (or a short word).
    numerator, _, denominator = symbol.partition("/")
    top = _lookup(numerator)
    if top is None or not denominator or "/" in denominator:
        return None
    bottom = _lookup(denominator)
    if bottom is None:
        bottom = ("other", denominator, Fraction(1))
    return f"{top[0]}/{bottom[0]}", f"{top[1]}/{bottom[1]}", top[2] / bottom[2]


@functools.lru_cache(maxsize=4096)
def known_unit(symbol: str) -> Unit | None:
    """The unit ``symbol`` names, or None when it is not a known unit word
    (with an optional multiplier: ``万人次`` is 10⁴ 人次), or a known unit
    per another (``万元/年``).

    >>> u = known_unit("万元/年")
    >>> u.dimension, u.base, u.scale
    ('money/duration', '元/个月', Fraction(2500, 3))
    """
    # Units are immutable: one object per symbol (bounded cache), so that
    # comparing the units of a target and an actual is mostly identity.
    found = _lookup(symbol) or ("/" in symbol and _lookup_compound(symbol)) or None
    if found is None:
        return None
    return Unit(symbol, *found)


@functools.lru_cache(maxsize=4096)
def unit(symbol: str) -> Unit:
    """The unit written ``symbol``; an unknown word is a unit of its own.

    >>> unit("万元").dimension, unit("万元").base, unit("万元").scale
    ('money', '元', Fraction(10000, 1))
    >>> unit("個").compatible(unit("个"))
    True
    >>> unit("万粒").base, unit("万粒").scale, unit("万粒").compatible(unit("粒"))
    ('粒', Fraction(10000, 1), True)
    """
    if not symbol:
        raise UnitError("a unit needs a symbol")
    found = known_unit(symbol)
    if found is not None:
        return found
    # A multiplier before an unknown word scales it: 万粒 is 10⁴ 粒.
    for prefix, factor in _PREFIXES.items():
        rest = symbol[len(prefix) :]
        if symbol.startswith(prefix) and rest and not rest.startswith(tuple(_PREFIXES)):
            return Unit(symbol, "other", simplify(rest), Fraction(factor))
    return Unit(symbol, "other", symbol, Fraction(1))


def _base_of(u: Unit | None) -> str:
    return NUMBER if u is None else u.base


def _scale_of(u: Unit | None) -> Fraction:
    return Fraction(1) if u is None else u.scale


def _name(u: Unit | None) -> str:
    return "no unit" if u is None else f"'{u.symbol}' ({u.dimension})"


def shift_decimal(value: Decimal, places: int) -> Decimal:
    """``value`` × 10**places, exactly (scaleb and * round to the context's
    precision).

    >>> shift_decimal(Decimal("12345678901234567890123456789"), -2)
    Decimal('123456789012345678901234567.89')
    """
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):  # infinity or NaN
        return value
    return Decimal((sign, digits, exponent + places))


def _exact_decimal(value: Fraction) -> Decimal | None:
    """``value`` as a Decimal when a finite decimal holds it exactly."""
    numerator, denominator = value.numerator, value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return None
    places = max(twos, fives)
    scaled = numerator * 10**places // value.denominator
    return Decimal(scaled).scaleb(-places)


@attrs.frozen
class Quantity:
    """An exact number and the unit it was written with (None: no unit).

    >>> Quantity("5115", "万元")
    Quantity('5115', '万元')
    """

    value: Decimal = attrs.field(converter=Decimal)
    unit: Unit | None = attrs.field(default=None, converter=lambda u: unit(u) if isinstance(u, str) else u)

    def __repr__(self) -> str:
        value = format_decimal(self.value)
        return f"Quantity({value!r}, {self.unit.symbol!r})" if self.unit else f"Quantity({value!r})"

    def compatible(self, other: "Quantity") -> bool:
        """Whether the two quantities can be compared."""
        return _base_of(self.unit) == _base_of(other.unit)

    def magnitude(self) -> Fraction:
        """The exact amount in the base unit, as a Fraction."""
        return Fraction(self.value) * _scale_of(self.unit)

    def _check(self, other_unit: Unit | None) -> None:
        if _base_of(self.unit) != _base_of(other_unit):
            raise UnitError(
                f"cannot compare {_name(self.unit)} with {_name(other_unit)}: "
                "they measure different things"
            )

    def to(self, target: Unit | None) -> "Quantity":
        """This quantity in ``target`` units, exactly.

        Raises :class:`UnitError` when the units measure different things,
        or when no decimal holds the result exactly (1 亩 in 平方米).
        """
        self._check(target)
        value = _exact_decimal(self.magnitude() / _scale_of(target))
        if value is None:
            raise UnitError(
                f"{self} is not a whole decimal number of {_name(target)}; "
                "compare the quantities instead of converting"
            )
        return Quantity(value, target)

    def ratio(self, other: "Quantity") -> Fraction:
        """``self ÷ other`` exactly, after conversion (e.g. actual ÷ target)."""
        self._check(other.unit)
        return self.magnitude() / other.magnitude()

    def compare(self, other: "Quantity") -> int:
        """-1, 0 or 1 as this quantity is less than, equal to or greater
        than ``other`` after exact conversion."""
        self._check(other.unit)
        a, b = self.magnitude(), other.magnitude()
        return (a > b) - (a < b)

    def __str__(self) -> str:
        return format_decimal(self.value) + (self.unit.symbol if self.unit else "")
