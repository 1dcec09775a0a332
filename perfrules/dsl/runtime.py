"""What compiled rulesets run on: the range-aware arithmetic of
discretionary values, rounding, band words, and :class:`Unavailable`.

The result types (:class:`~perfrules.results.RowResult` …) live in
:mod:`perfrules.results`; the facts of a row in :mod:`.facts`; the
built-in functions in :mod:`.builtins`.
"""

from __future__ import annotations

import functools
import operator
import re
from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal, localcontext

from ..cells.chinese import simplify, without_glosses
from ..cells.values import Qualitative
from ..numbers import exponent, format_short
from ..records import Row
from ..results import STATUSES, Discretionary, RowResult, Step, status_of

__all__ = ["Unavailable", "Discretionary", "Step", "RowResult", "round_to", "status_of", "STATUSES",
           "MISSING_WEIGHT"]

#: Why a rule that reads ``weight`` cannot score a row without one.
MISSING_WEIGHT = "the row has no weight (分值)"

_MODES = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP,
          "floor": ROUND_FLOOR}
_ZERO = Decimal(0)


class Unavailable(Exception):
    """A value a rule needs that this row does not have; the row becomes
    unscorable with ``reason``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def show(value) -> str:
    """A runtime value as the trace prints it."""
    if isinstance(value, Decimal):
        return format_short(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def discretionary(low: Decimal, high: Decimal, default: Decimal) -> "Discretionary":
    """``low .. high default d`` of the language: its default must lie in it."""
    if not low <= default <= high:
        raise Unavailable(f"the range {show(low)} .. {show(high)} does not hold its default {show(default)}")
    return Discretionary(low, high, default)


def choose_band(words, text: str):
    """``(word, what)`` for the band word in ``text`` that decides, from
    ``words``, pairs of a simplified word and what it stands for: the most
    specific word wins (未达成 over 达成), then the first one written (部分完成
    is 部分: a qualifier comes before what it qualifies).  A word of one
    Chinese character (是, 高, 低) counts only as the whole text, closing
    punctuation aside: inside a sentence it says too little (低 in 降低成本).
    None: no word.

    >>> words = [("达成", "yes"), ("未达成", "no"), ("高", "yes"), ("低", "no")]
    >>> choose_band(words, "未达成"), choose_band(words, "高。"), choose_band(words, "降低成本")
    (('未达成', 'no'), ('高', 'yes'), None)
    """
    whole = None
    hits = []
    for word, what in words:
        if len(word) == 1 and _HAN.match(word):
            whole = _closed(text) if whole is None else whole
            found = word == whole
        else:
            found = word in text
        if found:
            hits.append((-len(word), text.find(word), word, what))
    return min(hits, key=lambda hit: hit[:2])[2:] if hits else None


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_END_PUNCTUATION = "。.!！;；,，、"


def _closed(text: str) -> str:
    # The words of a cell without surrounding space or closing punctuation.
    return text.strip().rstrip(_END_PUNCTUATION).strip()


def band_words(row: Row) -> tuple[str, bool]:
    """What a row's actual says, as band words are looked for in it
    (traditional characters folded, pinyin glosses out), and whether it
    repeats the row's qualitative target (高 for 高): units write the target
    back to say it was achieved, which puts the row in the first band
    written."""
    actual = row.actual
    if actual.kind == "empty":
        raise Unavailable("the actual is empty: nothing to place in a band")
    text = simplify(without_glosses(actual.text if actual.text is not None else str(actual))[0])
    target = row.target
    repeats = isinstance(target, Qualitative) and bool(_closed(text)) and _closed(text) == _closed(
        simplify(without_glosses(target.statement)[0]))
    return text, repeats


class BandPicker:
    """Which entry of a ``band { … }`` a row's actual falls in, for the
    traced evaluator and the generated code alike: the entry whose word
    decides (:func:`choose_band`); the entry written first when the actual
    repeats the target; the entry without words when no word is in the
    actual (none: the row cannot be placed).  ``entries``: each entry's
    words, in the order written."""

    def __init__(self, entries) -> None:
        self._words = [(simplify(word), index) for index, words in enumerate(entries) for word in words]
        self._fallback = next((index for index, words in enumerate(entries) if not words), None)
        self._choose = functools.lru_cache(maxsize=4096)(self._choose_in)

    def pick(self, row: Row) -> tuple[int, str]:
        """``(index, why)``: the entry chosen and the reason, for the trace."""
        text, repeats = band_words(row)
        if repeats:
            return 0, "the actual repeats the target"
        return self._choose(text)

    def index(self, row: Row) -> int:
        """The entry chosen."""
        return self.pick(row)[0]

    def _choose_in(self, text: str) -> tuple[int, str]:
        found = choose_band(self._words, text)
        if found is not None:
            return found[1], f"the actual says '{found[0]}'"
        if self._fallback is None:
            raise Unavailable(f"no band's words are in the actual '{text}'")
        return self._fallback, "no word matched"


def contains_any(text: str, words) -> bool:
    """``text contains [w1, w2 …]``: whether any of the words is in ``text``."""
    return any(word in text for word in words)


def _parts(value):
    if isinstance(value, Discretionary):
        return value.low, value.high, value.default
    return value, value, value


def _combine(op, a, b):
    if not isinstance(a, Discretionary) and not isinstance(b, Discretionary):
        return op(a, b)
    a_low, a_high, a_default = _parts(a)
    b_low, b_high, b_default = _parts(b)
    corners = [op(x, y) for x in (a_low, a_high) for y in (b_low, b_high)]
    return Discretionary(min(corners), max(corners), op(a_default, b_default))


def _divide(a: Decimal, b: Decimal) -> Decimal:
    if b == 0:
        raise Unavailable("division by zero")
    return a / b


def add(a, b):
    if not isinstance(a, Discretionary) and not isinstance(b, Discretionary):
        return a + b
    return _combine(operator.add, a, b)


def sub(a, b):
    if isinstance(a, Discretionary) or isinstance(b, Discretionary):
        a_low, a_high, a_default = _parts(a)
        b_low, b_high, b_default = _parts(b)
        return Discretionary(a_low - b_high, a_high - b_low, a_default - b_default)
    return a - b


def mul(a, b):
    if not isinstance(a, Discretionary) and not isinstance(b, Discretionary):
        return a * b
    return _combine(operator.mul, a, b)


def div(a, b):
    b_low, b_high, _ = _parts(b)
    if isinstance(b, Discretionary) and b_low <= 0 <= b_high:
        raise Unavailable("division by a range that holds zero")
    return _combine(_divide, a, b)


def neg(a):
    if isinstance(a, Discretionary):
        return Discretionary(-a.high, -a.low, -a.default)
    return -a


def _monotone(function, values):
    if not any(isinstance(v, Discretionary) for v in values):
        return function(values)
    parts = [_parts(v) for v in values]
    return Discretionary(*(function([p[i] for p in parts]) for i in range(3)))


def minimum(*values):
    return _monotone(min, values)


def maximum(*values):
    return _monotone(max, values)


def clamp(value, low, high):
    return minimum(maximum(value, low), high)


def absolute(value):
    if isinstance(value, Discretionary):
        ends = (abs(value.low), abs(value.high))
        low = _ZERO if value.low <= 0 <= value.high else min(ends)
        return Discretionary(low, max(ends), abs(value.default))
    return abs(value)


def round_to(value: Decimal, step: Decimal, mode: str) -> Decimal:
    """``value`` rounded to a multiple of ``step`` (``0.01 half-up`` as
    official tables do; ``0.1 down`` truncates).

    >>> round_to(Decimal("9.6474"), Decimal("0.01"), "half-up"), round_to(Decimal("0.79"), Decimal("0.1"), "down")
    (Decimal('9.65'), Decimal('0.7'))

    The value is rounded once, whatever its length: a cell may hold more
    digits than decimal arithmetic keeps (28), and rounding those first
    would round twice.

    >>> round_to(Decimal("0.004999999999999999999999999999999"), Decimal("0.01"), "half-up")
    Decimal('0.00')
    """
    with localcontext() as context:
        # Enough digits that the quotient below is exact for a step of
        # 10^k (and as good as the value for any other step).
        # The result keeps every digit from the value's first down to the
        # step's last (99999.99999999 has eight places below its first).
        context.prec = max(context.prec, len(value.as_tuple().digits) + abs(step.adjusted()) + 4,
                           value.adjusted() - min(step.adjusted(), exponent(step)) + 4)
        units = (value / step).quantize(Decimal(1), rounding=_MODES[mode])
        return (units * step).quantize(step) if exponent(step) <= 0 else units * step


