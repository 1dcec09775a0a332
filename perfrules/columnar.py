"""Scoring whole columns at once: a ruleset over NumPy arrays, exact to the cent.

:func:`score_columns` takes a table of rows as columns (a pandas DataFrame,
a pyarrow Table, or a mapping of column name to sequence) and scores every
row by the ruleset's rules, vectorised.  Numbers are exact fractions of
64-bit integers (numerator and denominator arrays), never binary floats: a
float cell is the decimal it prints as (``0.1`` is 1/10), and the score is
rounded half-up from the exact value, as the row path rounds its decimals.

>>> from perfrules import Ruleset
>>> ruleset = Ruleset.from_text('''
... ruleset demo
... version 1
... rounding 0.01 half-up
... rule shortfall
...   when direction is higher and actual < target
...   score weight * actual / target
... rule met
...   otherwise
...   score weight
... ''')
>>> scored = score_columns(ruleset, {"target": [10, 40.5], "actual": [7, 41], "weight": [2, 1]})
>>> scored.scores(), scored.fallback
([Decimal('1.40'), Decimal('1.00')], 0)

The columns: ``target``, ``actual``, ``weight`` and ``reported`` hold
numbers (NaN or None: empty); ``op`` the target's operator (``ge gt le lt
eq``, default ``ge``; empty: a bare value, whose direction the ruleset
decides); ``unit`` the unit both are written in (``%`` is read as a
fraction, as the row path reads it); ``target_text`` and ``actual_text``
the cells of rows that hold words instead of numbers (a qualitative target,
the sentence its band words are looked for in).

What the columns cannot say exactly falls back to the row path, row by row,
with the same result: a rule that reads a name or a column, a row the rules
cannot decide without an explanation (an empty actual where a rule needs
it, a division by zero), a discretionary range built otherwise than as a
weight times a range or band, a rounding other than half-up to a power of
ten, numbers too large for 64-bit fractions, and a row whose decimal
arithmetic would round on the way (1/3) where that could change a decision.
:attr:`ColumnScores.fallback` says how many rows did.

The language's built-ins are defined once, in :mod:`perfrules.dsl.builtins`:
each entry's ``columnar`` form is written over the operations of
:class:`Ops` below, as its ``plain`` form is over numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping, cast

import attrs

from .dsl import ast
from .dsl.builtins import BUILTINS
from .dsl.facts import DIRECTION_OF_KIND
from .dsl.runtime import BandPicker, Unavailable
from .records import Row
from .results import RowResult, status_of
from .cells.quantity import unit as unit_of
from .cells.targets import parse_actual, parse_target

__all__ = ["score_columns", "ColumnScores", "Ops"]

# A fraction whose parts stay below this is safe to multiply by another
# such part's float estimate check (2**62 keeps a sign bit and a margin).
_BIG = float(2**62)
# Decimal arithmetic keeps 28 digits: a value whose denominator divides
# 10**18 and whose size is below 10**10 is one Decimal holds exactly.
_EXACT_DEN = 10**18
_EXACT_SIZE = 10**10
# Where decimal arithmetic rounded on the way, a decision (a comparison, the
# final rounding) is trusted only this far from a tie.
_SAFE_DEN = 10**8
_SAFE_SIZE = 10**7
_OPS = {"ge": 0, "gt": 1, "le": 2, "lt": 3, "eq": 4, None: 5}
_KIND_CODES = ("ge", "gt", "le", "lt", "eq", "value", "qualitative", "other")
_ACTUAL_KINDS = ("quantity", "date", "done", "qualitative", "empty")


def _numpy():
    try:
        import numpy
    except ImportError:  # pragma: no cover - the columnar extra installs it
        raise ImportError("the columnar path needs NumPy: pip install 'perfrules[columnar]'") from None
    return numpy


class _Unsupported(Exception):
    """A rule the columns cannot score: rows that reach it take the row path."""


@attrs.frozen
class _Q:
    """Exact fractions, one a row: ``num / den`` (``den`` > 0), and the rows
    where the value is not there (``gone``) or where decimal arithmetic
    would have rounded it (``rounded``)."""

    def signed(self):
        return self.num < 0 if self.sign is None else self.sign

    num: Any
    den: Any
    gone: Any
    rounded: Any
    #: Decimal's sign bit: ``num < 0``, and for a zero the sign decimal
    #: arithmetic gives it (0 × -1 is -0, and a score of -0 prints -0.00).
    sign: Any = None


@attrs.frozen
class _Range:
    """A discretionary range a row at a time: low, high and default."""

    low: _Q
    high: _Q
    default: _Q


class Ops:
    """The operations a built-in's ``columnar`` form is written over: values
    are exact fraction columns; ``lt``/``gt`` compare them, ``select`` picks
    one where a mask holds and the other elsewhere, ``neg`` negates."""

    def __init__(self, np, size: int) -> None:
        self.np = np
        self.size = size
        self.zero = self.constant(Decimal(0))

    # ---- building ----

    def constant(self, value: Decimal) -> _Q:
        """A number of the ruleset: one value for every row (a NumPy scalar,
        which broadcasts)."""
        np = self.np
        num, den = Decimal(value).as_integer_ratio()
        if abs(num) >= _BIG or den >= _BIG:
            raise _Unsupported("a constant too large for 64-bit fractions")
        exact = _EXACT_DEN % den == 0 and abs(num) < _EXACT_SIZE * den
        return _Q(np.int64(num), np.int64(den), np.bool_(False), np.bool_(not exact), np.bool_(value.is_signed()))

    def _make(self, num, den, gone, rounded, sign) -> _Q:
        """A fraction, with the rows where decimal arithmetic would round it:
        those with more than 18 places or above 10**10.  Parts that grow
        large are put in lowest terms (the rest need not be: the test below
        does not care)."""
        np = self.np
        num, den = np.asarray(num), np.asarray(den)
        loose = (np.abs(num) > 2**40) | (den > 2**31)
        if loose.any():
            num, den = np.array(num, ndmin=1), np.array(den, ndmin=1)
            where = np.flatnonzero(np.broadcast_to(loose, num.shape))
            divisor = np.gcd(num[where], den[where])
            divisor[divisor == 0] = 1
            num[where] //= divisor
            den[where] //= divisor
            large = den > 2**31
            if large.any():  # too large for the tests below: the row path's
                gone = gone | large
                num, den = np.where(large, 0, num), np.where(large, 1, den)
        # num * 10**18 / den is whole (at most 18 places), tested without
        # overflow: ((num mod den) * (10**18 mod den)) mod den, parts below 2**31.
        places = np.remainder(np.remainder(num, den) * np.remainder(_EXACT_DEN, den), den) == 0
        exact = places & (np.abs(num) < _EXACT_SIZE * den.astype(np.float64))
        return _Q(num, den, gone, rounded | ~exact, sign)

    def _fits(self, a, b):
        """Where ``a * b`` cannot overflow (every row at once when the
        largest parts cannot)."""
        np = self.np
        if float(np.max(np.abs(a))) * float(np.max(np.abs(b))) < _BIG / 4:
            return True
        return np.abs(a.astype(np.float64)) * np.abs(b.astype(np.float64)) < _BIG / 4

    def _guard(self, fits, *parts):
        # Rows whose parts would overflow are given up (gone), their parts
        # set to harmless values so the arithmetic below stays defined.
        np = self.np
        if fits is True:
            return list(parts), False
        gone = ~fits
        return [np.where(gone, 1, part) for part in parts], gone

    # ---- arithmetic ----

    def add(self, a: _Q, b: _Q, sign: int = 1) -> _Q:
        np = self.np
        fits = self._fits(a.num, b.den) & self._fits(b.num, a.den) & self._fits(a.den, b.den)
        (an, ad, bn, bd), over = self._guard(fits, a.num, a.den, b.num, b.den)
        num = an * bd + sign * bn * ad
        # A zero sum is -0 when both terms are negative (x - y: y positive).
        b_signed = b.signed() if sign > 0 else ~np.asarray(b.signed())
        return self._make(num, ad * bd, a.gone | b.gone | over, a.rounded | b.rounded,
                          np.where(num != 0, num < 0, a.signed() & b_signed))

    def sub(self, a: _Q, b: _Q) -> _Q:
        return self.add(a, b, -1)

    def mul(self, a: _Q, b: _Q) -> _Q:
        fits = self._fits(a.num, b.num) & self._fits(a.den, b.den)
        (an, ad, bn, bd), over = self._guard(fits, a.num, a.den, b.num, b.den)
        return self._make(an * bn, ad * bd, a.gone | b.gone | over, a.rounded | b.rounded,
                          a.signed() ^ b.signed())

    def div(self, a: _Q, b: _Q) -> _Q:
        """``a / b``; a row dividing by zero is gone (the row path says why)."""
        np = self.np
        zero = b.num == 0
        sign = np.where(b.num < 0, -1, 1)
        fits = self._fits(a.num, b.den) & self._fits(a.den, b.num)
        (an, ad, bn, bd), over = self._guard(fits & ~zero, a.num, a.den, b.num, b.den)
        return self._make(sign * an * bd, sign * ad * bn, a.gone | b.gone | over | zero, a.rounded | b.rounded,
                          a.signed() ^ b.signed())

    def neg(self, a: _Q) -> _Q:
        """``-a``: decimal arithmetic writes -0 as 0."""
        return _Q(-a.num, a.den, a.gone, a.rounded, a.num > 0)

    def abs(self, a: _Q) -> _Q:
        """``abs(a)``: never signed, -0 included."""
        return _Q(self.np.abs(a.num), a.den, a.gone, a.rounded, self.np.bool_(False))

    # ---- comparing ----

    def _cross(self, a: _Q, b: _Q):
        np = self.np
        fits = self._fits(a.num, b.den) & self._fits(b.num, a.den)
        if fits is True:
            return a.num * b.den, b.num * a.den, False
        left = np.where(fits, a.num, 0) * np.where(fits, b.den, 1)
        right = np.where(fits, b.num, 0) * np.where(fits, a.den, 1)
        return left, right, ~fits

    def _decided(self, a: _Q, b: _Q, left, right, over):
        """Rows where the comparison is not to be trusted: a value gone, an
        overflow, or rounded decimals compared at (or too near) a tie."""
        np = self.np
        rounded = a.rounded | b.rounded
        undecided = a.gone | b.gone | over
        if not np.any(rounded):
            return undecided
        near = (left == right) | (a.den > _SAFE_DEN) | (b.den > _SAFE_DEN) | \
            (np.abs(a.num) > _SAFE_SIZE * np.asarray(a.den, dtype=np.float64)) | \
            (np.abs(b.num) > _SAFE_SIZE * np.asarray(b.den, dtype=np.float64))
        return undecided | (rounded & near)

    def compare(self, op: str, a: _Q, b: _Q):
        """``(holds, undecided)`` masks of ``a op b``."""
        left, right, over = self._cross(a, b)
        holds = {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right,
                 "==": left == right, "!=": left != right}[op]
        return holds, self._decided(a, b, left, right, over)

    def lt(self, a: _Q, b: _Q):
        return self.compare("<", a, b)

    def gt(self, a: _Q, b: _Q):
        return self.compare(">", a, b)

    def select(self, chosen, a: _Q, b: _Q) -> _Q:
        """``a`` where ``chosen`` (a ``(mask, undecided)`` pair) holds, else ``b``."""
        np = self.np
        mask, undecided = chosen
        return _Q(np.where(mask, a.num, b.num), np.where(mask, a.den, b.den),
                  np.where(mask, a.gone, b.gone) | undecided, np.where(mask, a.rounded, b.rounded),
                  np.where(mask, a.signed(), b.signed()))


@attrs.frozen
class _Columns:
    """The input, read into arrays: what every row says."""

    size: int
    kind: Any  # index into _KIND_CODES
    target: _Q
    actual: _Q
    weight: _Q
    reported: _Q
    texts: tuple  # ((codes, values) of the target texts, and of the actual texts)
    unit_ok: Any
    actual_kind: Any  # index into _ACTUAL_KINDS
    given: dict  # the columns as given, for the rows that fall back


def _column(table, name):
    """Column ``name`` of ``table`` as a list or array, or None."""
    if hasattr(table, "column_names") and hasattr(table, "column"):  # pyarrow
        return table.column(name).to_pylist() if name in table.column_names else None
    try:
        present = name in table
    except TypeError:
        present = False
    if not present:
        return None
    return table[name]


def _fraction_column(np, values, size: int, what: str) -> _Q:
    """Exact fractions of a column of numbers: floats as the decimals they
    print as, ints and Decimals as they are; NaN and None are gone."""
    none = np.zeros(size, dtype=bool)
    if values is None:
        return _Q(np.zeros(size, np.int64), np.ones(size, np.int64), ~none, none)
    array = np.asarray(values)
    if array.dtype.kind in "iu":
        if array.dtype.kind == "u" or np.abs(array).max(initial=0) >= _BIG:
            array = array.astype(object)
        else:
            return _Q(array.astype(np.int64), np.ones(size, np.int64), np.bool_(False), np.bool_(False))
    if array.dtype.kind == "f":
        return _float_fractions(np, array.astype(np.float64))
    if array.dtype.kind == "b":
        raise TypeError(f"the {what} column holds booleans, not numbers")
    # Objects (Decimals, ints, floats, None): one at a time.
    num = np.zeros(size, np.int64)
    den = np.ones(size, np.int64)
    gone = np.zeros(size, dtype=bool)
    sign = np.zeros(size, dtype=bool)
    for index, value in enumerate(array.tolist()):
        if value is None or (isinstance(value, float) and value != value):
            gone[index] = True
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            raise TypeError(f"the {what} column holds {type(value).__name__} {value!r}, not a number")
        decimal = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not decimal.is_finite():
            gone[index] = True
            continue
        n, d = decimal.as_integer_ratio()
        if abs(n) >= _BIG or d >= _BIG:
            gone[index] = True
            continue
        num[index], den[index], sign[index] = n, d, decimal.is_signed()
    return _Q(num, den, _compact(np, gone), np.bool_(False), _compact(np, sign))


def _compact(np, mask):
    """A mask that is the same on every row, as one value (it broadcasts):
    less to carry through every operation and every slice."""
    mask = np.asarray(mask)
    if mask.ndim and not mask.any():
        return np.bool_(False)
    return mask


def _float_fractions(np, array) -> _Q:
    """Floats as the decimals they print as: the fewest places (up to six)
    at which the scaled value is a whole number that prints back as the
    float; beyond that, or too large to tell, the row is gone."""
    size = len(array)
    gone = ~np.isfinite(array) | (np.abs(array) >= 1e9)
    safe = np.where(gone, 0.0, array)
    num = np.zeros(size, np.int64)
    den = np.ones(size, np.int64)
    left = np.flatnonzero(~gone)
    values = safe[left]
    for places in range(7):
        # The rows not placed yet, fewer each time (most cells have 0-2 places).
        scale = 10**places
        scaled = np.round(values * scale)
        found = scaled / scale == values
        num[left[found]] = scaled[found].astype(np.int64)
        den[left[found]] = scale
        left, values = left[~found], values[~found]
        if not len(left):
            break
    gone[left] = True
    divisor = np.gcd(num, den)
    return _Q(num // divisor, den // divisor, _compact(np, gone), np.bool_(False), _compact(np, np.signbit(array)))


def _codes(np, column, size: int):
    """``(codes, values)``: each row's index into the column's distinct
    values (None for a missing one), found by pandas or Arrow where the
    column is theirs."""
    if column is None:
        return np.zeros(size, dtype=np.int64), [None]
    if hasattr(column, "factorize"):  # pandas
        codes, uniques = column.factorize()
        values = [None if v is None or (isinstance(v, float) and v != v) else str(v) for v in uniques]
        codes = np.asarray(codes, dtype=np.int64)
        return np.where(codes < 0, len(values), codes), values + [None]
    try:
        import pandas
    except ImportError:
        pandas = None
    if pandas is not None:
        return _codes(np, pandas.Series(column, dtype=object), size)
    found: dict = {}
    texts = _texts(column, size)
    codes = np.fromiter((found.setdefault(t, len(found)) for t in texts), dtype=np.int64, count=size)
    return codes, list(found)


def _texts(column, size: int):
    if column is None:
        return [None] * size
    return [None if value is None or (isinstance(value, float) and value != value) else str(value)
            for value in (column.tolist() if hasattr(column, "tolist") else column)]


def _read(np, table) -> _Columns:
    columns = {name: _column(table, name) for name in
               ("target", "actual", "weight", "reported", "op", "unit", "target_text", "actual_text")}
    lengths = {len(c) for c in columns.values() if c is not None}
    if len(lengths) > 1:
        raise ValueError(f"the columns differ in length: {sorted(lengths)}")
    if not lengths:
        raise ValueError("no columns to score: give target, actual and weight")
    size = lengths.pop()
    target = _fraction_column(np, _numbers(columns["target"]), size, "target")
    actual = _fraction_column(np, _numbers(columns["actual"]), size, "actual")
    if columns["op"] is None:
        kind = np.zeros(size, dtype=np.int64)
        ops = None
    else:
        codes, values = _codes(np, columns["op"], size)
        unknown = [op for op in values if op not in _OPS]
        if unknown:
            raise ValueError(f"op must be one of ge, gt, le, lt, eq or empty, not {unknown[0]!r}")
        kind = np.array([_OPS[op] for op in values], dtype=np.int64)[codes]
        ops = (codes, values)
    texts = (_codes(np, columns["target_text"], size), _codes(np, columns["actual_text"], size))
    # A row without a number reads its text: a sentence is a qualitative
    # target (for bands); any other text (a deadline, a range …) is the
    # row path's, like a row with neither.
    codes, values = texts[0]
    worded = np.array([t is not None and parse_target(t).kind == "qualitative" for t in values], dtype=bool)[codes]
    kind = np.where(target.gone, np.where(worded, _KIND_CODES.index("qualitative"), _KIND_CODES.index("other")),
                    kind)
    # One unit for target and actual: a percentage is a fraction (95% is
    # 0.95), any other unit leaves the numbers as written.
    unit_ok = np.ones(size, dtype=bool)
    units = columns["unit"]
    if units is not None:
        codes, values = _codes(np, units, size)
        dimensions = [None if u is None else unit_of(u).dimension for u in values]
        percent = np.array([u == "%" for u in values], dtype=bool)[codes]
        unit_ok = np.array([d != "ratio" or u == "%" for u, d in zip(values, dimensions)], dtype=bool)[codes]
        hundred = np.where(percent, 100, 1)
        target = _Q(target.num, target.den * hundred, target.gone, target.rounded, target.sign)
        actual = _Q(actual.num, actual.den * hundred, actual.gone, actual.rounded, actual.sign)
    # The actual's kind: an amount where a number is given, else what its
    # text reads as (once per distinct text), else empty.
    codes, values = texts[1]
    read = np.array([_ACTUAL_KINDS.index("empty" if t is None else parse_actual(t).kind) for t in values],
                    dtype=np.int64)[codes]
    actual_kind = np.where(actual.gone, read, _ACTUAL_KINDS.index("quantity"))
    return _Columns(size, kind, target, actual, _fraction_column(np, _numbers(columns["weight"]), size, "weight"),
                    _fraction_column(np, _numbers(columns["reported"]), size, "reported"),
                    texts, unit_ok, actual_kind, {**columns, "op": ops})


def _numbers(column):
    """A column of numbers as NumPy takes it (a pandas column's values)."""
    if column is None or not hasattr(column, "to_numpy"):
        return column
    return column.to_numpy()


def _take(np, data: _Columns, rows) -> _Columns:
    """The columns of ``rows`` only."""
    def part(value):
        return value[rows] if getattr(value, "ndim", 0) else value

    def fraction(q: _Q) -> _Q:
        return _Q(part(q.num), part(q.den), part(q.gone), part(q.rounded), part(q.sign))

    (target_codes, target_values), (actual_codes, actual_values) = data.texts
    return _Columns(len(rows), part(data.kind), fraction(data.target), fraction(data.actual),
                    fraction(data.weight), fraction(data.reported),
                    ((part(target_codes), target_values), (part(actual_codes), actual_values)),
                    part(data.unit_ok), part(data.actual_kind), data.given)


class _Scorer:
    """One ruleset's rules over one table's columns."""

    def __init__(self, np, ruleset, data: _Columns) -> None:
        self.np = np
        self.ruleset = ruleset
        self.data = data
        self.ops = Ops(np, data.size)
        self.cache: dict[str, _Q] = {}
        self.bare_ok = not ruleset.model.directions

    # ---- row facts ----

    def name(self, name: str) -> _Q:
        found = self.cache.get(name)
        if found is None:
            found = self.cache[name] = self._fact(name)
        return found

    def _fact(self, name: str) -> _Q:
        data, ops = self.data, self.ops
        numeric = data.kind <= _OPS[None]
        if name == "weight":
            return data.weight
        if name == "reported":
            return data.reported
        if name in ("target", "actual"):
            value = data.target if name == "target" else data.actual
            gone = value.gone | ~numeric | data.target.gone | data.actual.gone | ~data.unit_ok
            return _Q(value.num, value.den, gone, value.rounded, value.sign)
        if name == "completion":
            target = self.name("target")
            return ops.div(self.name("actual"), target)
        if name == "deviation":
            return ops.sub(self.name("completion"), ops.constant(Decimal(1)))
        if name == "overrun":
            deviation = self.name("deviation")
            return ops.select(ops.lt(deviation, ops.zero), ops.zero, deviation)
        raise _Unsupported(f"the row value '{name}'")

    def direction_is(self, word: str):
        """Where each row's direction is ``word`` (a bare value's is higher
        when the ruleset has no direction classes)."""
        np = self.np
        words = [DIRECTION_OF_KIND.get(k, "none") for k in _KIND_CODES]
        words[_KIND_CODES.index("value")] = "higher"
        return np.isin(self.data.kind, [code for code, found in enumerate(words) if found == word])

    # ---- conditions: (holds, undecided) masks ----

    def condition(self, expr):
        np, ops = self.np, self.ops
        size = self.data.size
        if isinstance(expr, ast.Logical):
            holds, undecided = self.condition(expr.operands[0])
            for operand in expr.operands[1:]:
                more, more_undecided = self.condition(operand)
                if expr.op == "and":
                    undecided = undecided | (~undecided & holds & more_undecided)
                    holds = holds & more
                else:
                    undecided = undecided | (~undecided & ~holds & more_undecided)
                    holds = holds | more
            return holds, undecided
        if isinstance(expr, ast.Unary) and expr.op == "not":
            holds, undecided = self.condition(expr.operand)
            return ~holds, undecided
        if isinstance(expr, ast.Compare) and len(expr.ops) == 1:
            return ops.compare(expr.ops[0], self.value(expr.operands[0]), self.value(expr.operands[1]))
        if isinstance(expr, ast.IsTest):
            subject = cast(ast.Name, expr.subject).name
            kinds = self.data.kind
            none = np.zeros(size, dtype=bool)
            if subject == "target":
                word = expr.kind
                if word == "comparison":
                    holds = kinds < _OPS[None]
                elif word in _KIND_CODES:
                    holds = kinds == _KIND_CODES.index(word)
                else:
                    holds = np.zeros(size, dtype=bool)
                undecided = kinds == _KIND_CODES.index("other")
            elif subject == "direction":
                holds = self.direction_is(expr.kind)
                undecided = ((kinds == _OPS[None]) & (not self.bare_ok)) | (kinds == _KIND_CODES.index("other"))
            elif subject == "actual":
                word = "empty" if expr.kind == "missing" else expr.kind
                holds = self.data.actual_kind == (_ACTUAL_KINDS.index(word) if word in _ACTUAL_KINDS else -1)
                undecided = none
            elif subject == "row":
                holds, undecided = np.full(size, expr.kind == "indicator"), none
            else:
                raise _Unsupported(f"'{subject} is'")
            return (~holds if expr.negated else holds), undecided
        raise _Unsupported(type(expr).__name__)

    # ---- numbers ----

    def value(self, expr) -> _Q:
        ops = self.ops
        if isinstance(expr, ast.Number):
            return ops.constant(expr.value)
        if isinstance(expr, ast.Name):
            return self.name(expr.name)
        if isinstance(expr, ast.Binary):
            left, right = self.value(expr.left), self.value(expr.right)
            return {"+": ops.add, "-": ops.sub, "*": ops.mul, "/": ops.div}[expr.op](left, right)
        if isinstance(expr, ast.Unary) and expr.op == "-":
            return ops.neg(self.value(expr.operand))
        if isinstance(expr, ast.Call) and expr.function in BUILTINS:
            form = BUILTINS[expr.function].columnar
            if form is None:
                raise _Unsupported(f"{expr.function}()")
            return form(ops, *(self.value(a) for a in expr.args))
        if isinstance(expr, ast.IfExpr):
            return ops.select(self.condition(expr.condition), self.value(expr.then), self.value(expr.otherwise))
        raise _Unsupported(type(expr).__name__)

    def score(self, expr):
        """A rule's score: a value, or a :class:`_Range` for ``factor *
        (low .. high) default d`` and ``factor * band {…}``."""
        if isinstance(expr, ast.Binary) and expr.op == "*" and isinstance(expr.right, (ast.Discretion, ast.Band)):
            factor = self.value(expr.left)
            low, high, default = self.range(expr.right)
            ends = [self.ops.mul(factor, end) for end in (low, high, default)]
            # A negative factor turns the range over, as the row path's corners do.
            flip = (factor.num < 0, self.np.zeros(self.data.size, dtype=bool))
            return _Range(self.ops.select(flip, ends[1], ends[0]), self.ops.select(flip, ends[0], ends[1]), ends[2])
        if isinstance(expr, (ast.Discretion, ast.Band)):
            return _Range(*self.range(expr))
        return self.value(expr)

    def range(self, expr):
        np, ops = self.np, self.ops
        if isinstance(expr, ast.Discretion):
            low, high, default = (self.value(e) for e in (expr.low, expr.high, expr.default))
        else:
            chosen, undecided = self.band(expr)
            parts = [[self.value(e) for e in (entry.low, entry.high, entry.default)] for entry in expr.entries]
            low, high, default = parts[0]
            for index, (entry_low, entry_high, entry_default) in enumerate(parts[1:], 1):
                pick = (chosen == index, np.zeros(self.data.size, dtype=bool))
                low, high, default = (ops.select(pick, entry_low, low), ops.select(pick, entry_high, high),
                                      ops.select(pick, entry_default, default))
            low = _Q(low.num, low.den, low.gone | undecided, low.rounded, low.sign)
        # The language's rule: the default lies in the range.
        below, undecided_low = ops.compare("<=", low, default)
        above, undecided_high = ops.compare("<=", default, high)
        bad = ~(below & above) | undecided_low | undecided_high
        return _Q(low.num, low.den, low.gone | bad, low.rounded, low.sign), high, default

    def band(self, expr: ast.Band):
        """The band each row's actual falls in (by the row path's own
        choice, once per distinct target and actual), and the rows none can
        be chosen for."""
        np = self.np
        picker = BandPicker([entry.words for entry in expr.entries])
        (target_codes, target_values), (actual_codes, actual_values) = self.data.texts
        # Once per distinct pair of texts: -1 where no band can be chosen.
        pairs, where = np.unique(target_codes * len(actual_values) + actual_codes, return_inverse=True)
        found = [_band_of((target_values[pair // len(actual_values)], actual_values[pair % len(actual_values)]),
                          picker) for pair in pairs.tolist()]
        chosen = np.array([-1 if band is None else band for band in found], dtype=np.int64)[where.reshape(-1)]
        undecided = (self.data.kind != _KIND_CODES.index("qualitative")) | (chosen < 0)
        return np.where(chosen < 0, 0, chosen), undecided


def _band_of(key, picker: BandPicker) -> int | None:
    """The band entry a qualitative row falls in, chosen as the row path
    chooses it (None: the row path must say why none)."""
    target, actual = key
    if actual is None:
        return None
    row = Row.of(target=target, actual=actual)
    if row.target.kind != "qualitative":
        return None
    try:
        return picker.index(row)
    except Unavailable:
        return None


@attrs.frozen
class ColumnScores:
    """What :func:`score_columns` found: for each row the rule index
    (``rule``; -1 where the row path scored it), the score, low and high in
    units of the ruleset's rounding step (``units``, ``low_units``,
    ``high_units``: exact integers), and the row path's result for each
    row that fell back.  ``fallback`` is how many rows the row path scored."""

    step: Decimal
    rule: Any
    units: Any
    low_units: Any
    high_units: Any
    #: Where each of score, low and high is a negative value rounded to
    #: zero: decimal arithmetic writes it -0.00, and so do these results.
    minus: tuple
    fell_back: dict
    names: tuple
    because: tuple
    given: dict

    @property
    def fallback(self) -> int:
        """How many rows the columns could not score (the row path did)."""
        return len(self.fell_back)

    def _decimal(self, units: int, negative: bool) -> Decimal:
        value = Decimal(int(units)).scaleb(int(self.step.as_tuple().exponent))
        return value.copy_negate() if negative else value

    def scores(self) -> list[Decimal | None]:
        """Each row's score, as the row path gives it."""
        minus = self.minus[0].tolist()
        return [self.fell_back[index].score if rule < 0 else self._decimal(units, minus[index])
                for index, (rule, units) in enumerate(zip(self.rule.tolist(), self.units.tolist()))]

    def results(self) -> list[RowResult]:
        """Each row's :class:`~perfrules.RowResult` (no trace), equal to
        what ``Ruleset.evaluate(row, trace=False)`` gives the row."""
        out = []
        reported_column = self.given.get("reported")
        for index, rule in enumerate(self.rule.tolist()):
            if rule < 0:
                out.append(self.fell_back[index])
                continue
            point, low, high = (self._decimal(column[index], bool(minus[index]))
                                for column, minus in zip((self.units, self.low_units, self.high_units), self.minus))
            reported = _number_at(reported_column, index)
            if reported is not None:
                reported = Decimal(repr(reported)) if isinstance(reported, float) else Decimal(reported)
            out.append(RowResult(status_of(point, low, high, reported), point, low, high, reported,
                                 self.names[rule], self.because[rule]))
        return out


def _number_at(column, index: int):
    if column is None:
        return None
    value = column.iloc[index] if hasattr(column, "iloc") else column[index]
    value = value.item() if hasattr(value, "item") else value
    return None if value is None or (isinstance(value, float) and value != value) else value


def _row_of(given: dict, index: int) -> Row:
    def cell(name):
        return _number_at(given.get(name), index)

    target = cell("target")
    actual = cell("actual")
    op = "ge" if given["op"] is None else given["op"][1][given["op"][0][index]]
    unit = cell("unit")
    return Row.from_values(target if target is not None else cell("target_text"),
                           actual if actual is not None else cell("actual_text"),
                           cell("weight"), cell("reported"), op=op, unit=unit)


def _rounded(np, value: _Q, places: int, size: int):
    """``value`` half-up to ``10**-places``: (units, undecided, negative
    zero).  A tie reached through rounded decimals is undecided."""
    value = _Q(*(np.broadcast_to(part, size)
                 for part in (value.num, value.den, value.gone, value.rounded, value.signed())))
    scale = 10**places
    fits = np.abs(value.num.astype(np.float64)) * (2 * scale) < _BIG
    num = np.where(fits, value.num, 0)
    den = np.where(fits, value.den, 1)
    doubled = 2 * np.abs(num) * scale
    units = (doubled + den) // (2 * den)
    tie = (doubled % (2 * den)) == den
    near = (den > _SAFE_DEN) | (np.abs(num) > _SAFE_SIZE * den.astype(np.float64))
    negative = num < 0
    units = np.where(negative, -units, units)
    undecided = value.gone | ~fits | (value.rounded & (tie | near))
    return units, undecided, value.sign & (units == 0)


def score_columns(ruleset, table) -> ColumnScores:
    """Score every row of ``table`` (a pandas DataFrame, a pyarrow Table, or
    a mapping of column names to sequences) by ``ruleset``, column by
    column; rows the columns cannot score exactly take the row path
    (:attr:`ColumnScores.fallback` counts them).  Needs NumPy (the
    ``columnar`` extra)."""
    np = _numpy()
    from .ruleset import Ruleset

    if not isinstance(ruleset, Ruleset):
        raise TypeError(f"ruleset must be a Ruleset, not {type(ruleset).__name__}")
    if isinstance(table, (str, bytes)) or not (isinstance(table, Mapping) or hasattr(table, "columns")
                                               or hasattr(table, "column_names")):
        raise TypeError(f"table must be a DataFrame, an Arrow table or a mapping of columns, "
                        f"not {type(table).__name__}")
    data = _read(np, table)
    size = data.size
    model = ruleset.model
    step, mode = model.rounding
    places = -int(step.as_tuple().exponent)
    rule_of = np.full(size, -1, dtype=np.int64)
    units = np.zeros(size, dtype=np.int64)
    low_units = np.zeros(size, dtype=np.int64)
    high_units = np.zeros(size, dtype=np.int64)
    minus = tuple(np.zeros(size, dtype=bool) for _ in range(3))
    # Rows only the row path reads: words where numbers are wanted, a '/'
    # target (the ruleset's not-applicable rule), no target at all.
    pending = data.kind != _KIND_CODES.index("other")
    fallback = ~pending
    power_of_ten = step == Decimal(1).scaleb(step.adjusted()) and 0 < step <= 1
    if not power_of_ten or mode != "half-up":
        fallback |= pending
        pending = np.zeros(size, dtype=bool)
    for index, rule in enumerate(model.rules):
        # Each rule reads only the rows still waiting for one, and scores
        # only those whose condition holds.
        rows = np.flatnonzero(pending)
        if not len(rows):
            break
        part = _take(np, data, rows)
        try:
            if rule.condition is None:
                holds, undecided = np.ones(len(rows), dtype=bool), np.zeros(len(rows), dtype=bool)
            else:
                holds, undecided = _Scorer(np, ruleset, part).condition(rule.condition)
            holds, undecided = (np.broadcast_to(m, len(rows)) for m in (holds, undecided))
            firing = np.flatnonzero(holds & ~undecided)
            # A rule no row reaches is not computed (what it reads may be
            # what the columns do not model).
            value = _Scorer(np, ruleset, _take(np, part, firing)).score(rule.score) if len(firing) else None
        except _Unsupported:
            fallback[rows] = True
            pending[:] = False
            break
        fallback[rows[undecided]] = True
        pending[rows[holds | undecided]] = False
        if value is None:
            continue
        count = len(firing)
        if isinstance(value, _Range):
            point, gone, point_minus = _rounded(np, value.default, places, count)
            low, low_gone, low_minus = _rounded(np, value.low, places, count)
            high, high_gone, high_minus = _rounded(np, value.high, places, count)
            gone = gone | low_gone | high_gone
        else:
            point, gone, point_minus = _rounded(np, value, places, count)
            low, high, low_minus, high_minus = point, point, point_minus, point_minus
        scored = rows[firing]
        fallback[scored[gone]] = True
        kept, done = scored[~gone], ~gone
        rule_of[kept] = index
        for column, found in zip((units, low_units, high_units) + minus,
                                 (point, low, high, point_minus, low_minus, high_minus)):
            column[kept] = found[done]
    fallback |= pending  # no rule matched: the row path says so
    fell_back = {}
    for index in np.flatnonzero(fallback).tolist():
        fell_back[index] = ruleset.evaluate(_row_of(data.given, index), trace=False)
        rule_of[index] = -1
    return ColumnScores(step, rule_of, units, low_units, high_units, minus, fell_back,
                        tuple(r.name for r in model.rules), tuple(r.because for r in model.rules), data.given)
