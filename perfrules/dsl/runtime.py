"""What compiled rulesets run on: discretionary values, the facts of a row,
and the results of scoring it.
"""

from __future__ import annotations

import calendar
import operator
import re
import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal, localcontext
from fractions import Fraction

import attrs

from .._chinese import simplify, without_glosses
from ..quantity import Quantity, format_decimal
from ..records import BUDGET_EXECUTION, Row, parse_amount
from ..values import ActualDate, ActualDone, ActualQuantity, BareValue, Comparison, Deadline, Range

__all__ = ["Unavailable", "Discretionary", "Facts", "SheetFacts", "Step", "RowResult", "round_to", "STATUSES"]

#: Every status a scored row can have.
#: Why a rule that reads ``weight`` cannot score a row without one.
MISSING_WEIGHT = "the row has no weight (分值)"
STATUSES = ("agrees", "within_discretion", "differs", "unreported", "unscorable", "not_applicable")

_MODES = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP}
_ZERO = Decimal(0)


class Unavailable(Exception):
    """A value a rule needs that this row does not have; the row becomes
    unscorable with ``reason``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@attrs.frozen
class Discretionary:
    """A score the policy leaves to the assessor between ``low`` and
    ``high``; ``default`` is the value the engine reports."""

    low: Decimal
    high: Decimal
    default: Decimal

    def __str__(self) -> str:
        return f"{_num(self.low)} .. {_num(self.high)} (default {_num(self.default)})"


def _num(value: Decimal) -> str:
    text = format_decimal(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def show(value) -> str:
    """A runtime value as the trace prints it."""
    if isinstance(value, Decimal):
        return _num(value)
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
    repeats = target.kind == "qualitative" and bool(_closed(text)) and _closed(text) == _closed(
        simplify(without_glosses(target.statement)[0]))
    return text, repeats


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


def round_half_up(value, step=Decimal(1)):
    """``round(x)`` and ``round(x, step)`` of the language: half-up to a
    multiple of ``step`` (1 by default)."""
    if isinstance(step, Discretionary) or step <= 0:
        raise Unavailable("round() needs a step above zero")
    if isinstance(value, Discretionary):
        return Discretionary(*(round_to(v, step, "half-up") for v in (value.low, value.high, value.default)))
    return round_to(value, step, "half-up")


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
                           value.adjusted() - min(step.adjusted(), step.as_tuple().exponent) + 4)
        units = (value / step).quantize(Decimal(1), rounding=_MODES[mode])
        return (units * step).quantize(step) if step.as_tuple().exponent <= 0 else units * step


def _exact(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _describe_target(target) -> str:
    return {
        "value": "a bare value",
        "range": "a range",
        "deadline": "a deadline",
        "qualitative": "a sentence (qualitative)",
        "not_applicable": "not applicable",
    }.get(target.kind, "a comparison")


def _describe_actual(actual) -> str:
    return {
        "quantity": "an amount",
        "date": "a date",
        "done": "done (已完成)",
        "qualitative": "a sentence",
        "empty": "empty",
    }[actual.kind]


class Facts:
    """The values of one row that rules can use, computed when first asked
    for.  A value the row does not have raises :class:`Unavailable`."""

    def __init__(self, row: Row, directions=(), score: Decimal | None = None) -> None:
        self.row = row
        self._directions = directions
        self._given_score = score
        self._cache: dict[str, object] = {}
        #: What evaluation chose along the way (the band a sentence fell
        #: in), for the trace.
        self.notes: list[tuple[str, str]] = []

    def get(self, name: str):
        try:
            return self._cache[name]
        except KeyError:
            pass
        value = getattr(self, "_" + name)()
        self._cache[name] = value
        return value

    # ---- the target and the actual in one unit ----

    def _target_quantity(self) -> Quantity:
        target = self.row.target
        if isinstance(target, (Comparison, BareValue)):
            return target.quantity
        raise Unavailable(f"the target is {_describe_target(target)}, not a number")

    def reference_unit(self):
        """The unit target and actual are compared in: the target's, or the
        actual's when the target has none (``≥95`` against ``97%`` compares
        95% with 97%)."""
        target = self.row.target
        unit = target.high.unit if isinstance(target, Range) else self._target_quantity().unit
        if unit is None and isinstance(self.row.actual, ActualQuantity):
            return self.row.actual.quantity.unit
        return unit

    def _in_reference_unit(self, quantity: Quantity, what: str) -> Decimal:
        """``quantity`` as a number in the target's unit; a ratio (% ‰) as a
        fraction, so that 95% is 0.95 like the literal ``95%`` of a rule."""
        unit = self.reference_unit()
        if unit is None or quantity.unit is None:
            # No unit on one side: the number is taken in the other's.
            unit = unit or quantity.unit
            if unit is not None and unit.dimension == "ratio":
                return _exact(Fraction(quantity.value) * unit.scale / 100)
            return quantity.value
        if not quantity.unit.compatible(unit):
            raise Unavailable(
                f"the {what} is in {quantity.unit.symbol} ({quantity.unit.dimension}), the target in "
                f"{unit.symbol} ({unit.dimension}): they cannot be compared"
            )
        if unit.dimension == "ratio":
            return _exact(quantity.magnitude() / 100)
        if quantity.unit == unit:
            return quantity.value
        return _exact(quantity.magnitude() / unit.scale)

    def _counts_months(self) -> bool:
        try:
            unit = self.reference_unit()
        except Unavailable:
            return False
        return unit is not None and unit.base == "个月"

    def _target(self):
        if isinstance(self.row.target, Range):
            raise Unavailable("the target is a range: use target_low and target_high")
        return self._in_reference_unit(self._target_quantity(), "target")

    def _target_low(self):
        target = self.row.target
        if not isinstance(target, Range):
            raise Unavailable(f"the target is {_describe_target(target)}, not a range")
        return self._in_reference_unit(target.low, "target's low end")

    def _target_high(self):
        target = self.row.target
        if not isinstance(target, Range):
            raise Unavailable(f"the target is {_describe_target(target)}, not a range")
        return self._in_reference_unit(target.high, "target's high end")

    def _actual(self):
        actual = self.row.actual
        if isinstance(actual, ActualDate) and actual.year is None and actual.day is None and self._counts_months():
            # 7月 is July, unless the target counts months (≤8个月): then 7 of them.
            return self._in_reference_unit(Quantity(actual.month, "月"), "actual")
        if not isinstance(actual, ActualQuantity):
            raise Unavailable(f"the actual is {_describe_actual(actual)}, not an amount")
        return self._in_reference_unit(actual.quantity, "actual")

    def _completion(self):
        target = self.get("target")
        if target == 0:
            raise Unavailable("completion is undefined: the target is 0")
        return self.get("actual") / target

    def _deviation(self):
        return self.get("completion") - 1

    def _overrun(self):
        return max(_ZERO, self.get("deviation"))

    def _days_late(self):
        target, actual = self.row.target, self.row.actual
        if not isinstance(target, Deadline):
            raise Unavailable(f"the target is {_describe_target(target)}, not a deadline")
        if isinstance(actual, ActualDone):
            return _ZERO
        if not isinstance(actual, ActualDate):
            raise Unavailable(f"the actual is {_describe_actual(actual)}, not a date")
        year = target.year or self.row.fiscal_year or actual.year
        if year is None:
            raise Unavailable("the deadline has no year and the table no fiscal year")
        month = target.month or 12
        due = dt.date(year, month, target.day or calendar.monthrange(year, month)[1])
        done_year = actual.year or year
        done_month = actual.month or 12
        # An actual without a day is taken as done on the first of its month.
        done = dt.date(done_year, done_month, actual.day or 1)
        return Decimal(max(0, (done - due).days))

    # ---- the rest of the row ----

    def _weight(self):
        if self.row.weight is None:
            raise Unavailable(MISSING_WEIGHT)
        return self.row.weight

    def _reported(self):
        if self.row.reported is None:
            raise Unavailable("the unit reported no score (得分)")
        return self.row.reported

    def _score(self):
        if self._given_score is None:
            raise Unavailable("the row has no score")
        return self._given_score

    def _budget(self):
        if self.row.budget is None:
            raise Unavailable("the row has no budget (全年预算数)")
        return self.row.budget

    def _spent(self):
        if self.row.spent is None:
            raise Unavailable("the row has no spending (全年执行数)")
        return self.row.spent

    def _rate(self):
        budget = self.get("budget")
        if budget == 0:
            raise Unavailable("the execution rate is undefined: the budget is 0")
        return self.get("spent") / budget

    def _year(self):
        if self.row.fiscal_year is None:
            raise Unavailable("the table has no fiscal year")
        return Decimal(self.row.fiscal_year)

    def _level1(self):
        return self.row.level1

    def _level2(self):
        return self.row.level2

    def _name(self):
        return self.row.name

    def _note(self):
        return self.row.note

    def _goal(self):
        return self.row.goal

    # ---- kinds, for `is` ----

    def _direction(self):
        kind = self.row.target.kind
        if kind in ("ge", "gt"):
            return "higher"
        if kind in ("le", "lt"):
            return "lower"
        if kind == "eq":
            return "exact"
        if kind == "range":
            return "band"
        if kind == "value":
            for direction, condition in self._directions:
                try:
                    if condition(self):
                        return direction
                except Unavailable:
                    continue  # a class the row cannot be tested for is not its class
            return "higher"
        return "none"

    def _row(self):
        return self.row.kind

    def _unit(self):
        if self.row.kind == BUDGET_EXECUTION:
            return "money"
        try:
            unit = self.reference_unit()
        except Unavailable:
            return "none"
        return unit.dimension.split("/")[0] if unit is not None else "none"

    def is_kind(self, subject: str, kind: str) -> bool:
        if subject == "target":
            actual_kind = self.row.target.kind
            if kind == "comparison":
                return actual_kind in ("ge", "gt", "le", "lt", "eq")
            return actual_kind == kind
        if subject == "actual":
            return self.row.actual.kind == ("empty" if kind == "missing" else kind)
        return self.get(subject) == kind

    def cell(self, column: str) -> str:
        try:
            return self.row.columns[column]
        except KeyError:
            raise Unavailable(f"the row has no column '{column}'") from None

    def number(self, column: str) -> Decimal:
        text = self.cell(column)
        stripped = text.strip()
        try:
            if stripped.endswith(("%", "％")):  # 5% is 0.05, as in a rule
                value = parse_amount(stripped[:-1])
                value = None if value is None else value / 100
            else:
                value = parse_amount(text)
        except Exception:
            raise Unavailable(f"column '{column}' holds '{text}', not a number") from None
        if value is None:
            raise Unavailable(f"column '{column}' is empty")
        return value


class SheetFacts:
    """What a sheet rule, sheet check or grade sees: the rows' facts (with
    their scores), and ``weight`` and ``total``."""

    def __init__(self, rows: list[Facts], weight: Decimal, total: Decimal | None) -> None:
        self.rows = rows
        self._values = {"weight": weight, "total": total}
        self.notes: list[tuple[str, str]] = []

    def get(self, name: str):
        value = self._values[name]
        if value is None:
            raise Unavailable(f"the sheet has no {name}")
        return value


@attrs.frozen
class Step:
    """One line of a trace: what was looked at or computed, and its value."""

    label: str
    value: str

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"


@attrs.frozen
class RowResult:
    """How one row scored: the ``rule`` that fired, the ``score`` (rounded),
    the ``allowed`` range (``low`` = ``high`` unless the rule leaves a
    choice), the unit's ``reported`` score and the ``status`` that compares
    them; ``reason`` says why a row is unscorable; ``trace`` explains it."""

    status: str = attrs.field(validator=attrs.validators.in_(STATUSES))
    score: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    reported: Decimal | None = None
    rule: str | None = None
    because: str | None = None
    reason: str | None = None
    trace: tuple[Step, ...] = ()

    @property
    def allowed(self) -> tuple[Decimal, Decimal] | None:
        """``(low, high)``: the scores the policy allows for this row."""
        return None if self.low is None else (self.low, self.high)

    def explain(self) -> str:
        """The trace as text, one step per line."""
        return "\n".join(str(step) for step in self.trace)


def status_of(score: Decimal, low: Decimal, high: Decimal, reported: Decimal | None) -> str:
    """Compare a reported score with the computed one and its range: a
    score the policy leaves to the assessor is ``within_discretion`` when the
    reported one lies in the range, even at the default."""
    if reported is None:
        return "unreported"
    if low != high and low <= reported <= high:
        return "within_discretion"
    if reported == score:
        return "agrees"
    return "differs"
