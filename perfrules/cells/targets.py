"""Reading target and actual cells: the parse stage of the target language.

The grammar is ``grammar/targets.lark``; this is the only module that
touches Lark.  Lark's trees and errors stop here: callers get the values of
:mod:`perfrules.values` or a :class:`~perfrules.errors.TargetSyntaxError`.

>>> parse_target("≤5115万元").to_json()
{'text': '≤5115万元', 'kind': 'le', 'value': '5115', 'unit': '万元', 'dimension': 'money'}
>>> parse_actual("已于2024年12月31日前完成")
ActualDate(year=2024, month=12, day=31)
>>> parse_target("促进我市重大疾病防治技术发展").kind
'qualitative'
>>> parse_target("≥1.2.3万元")
Traceback (most recent call last):
  ...
perfrules.errors.TargetSyntaxError: <input>:1:5: unexpected '.3' in a target; expected a unit, a date word (年 月 日), a closing word (以上 以下 以内), a note, or the end of the text
≥1.2.3万元
    ^~
"""

from __future__ import annotations

import calendar
import re
from decimal import Decimal
from functools import lru_cache

import attrs
from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.exceptions import VisitError

from .chinese import simplify, without_glosses
from .._resources import grammar_text, parser_cache
from ..errors import Span, TargetSyntaxError, UnitError
from .quantity import Quantity, known_unit, unit
from .values import (
    Actual,
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
    Target,
)

__all__ = ["parse_target", "parse_actual"]

# One character for one, so that offsets into the folded text are offsets
# into the cell as written.  Full-width ASCII (！ to ～) becomes ASCII.
_FOLD: dict[int, int | str] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FOLD.update({
    ord("\u3000"): " ", ord("\u00a0"): " ", ord("≧"): "≥", ord("≦"): "≤", ord("⩾"): "≥", ord("⩽"): "≤",
    ord("═"): "=", ord("﹦"): "=", ord("﹥"): ">", ord("﹤"): "<", ord("–"): "-", ord("﹣"): "-", ord("〜"): "~", ord("﹪"): "%",
})
# Control characters (a cell pasted from a PDF or a database) are spaces:
# 9\x1f is the number 9.
_FOLD.update({code: " " for code in (*range(0x20), 0x7F, 0x85, 0x2028, 0x2029)})
_OPERATOR_START = tuple("≥≤<>=")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}

_OP_NAMES = {"OP_GE": "ge", "OP_GT": "gt", "OP_LE": "le", "OP_LT": "lt", "OP_EQ": "eq",
             "SUF_GE": "ge", "SUF_LE": "le", "WITHIN": "le"}

# What the error message says a terminal is, in the order it lists them.
_EXPECTED = {
    "NUMBER": "a number", "CN_NUMBER": "a number", "ISO_DATE": "a date",
    "UNIT": "a unit", "YEAR": "a date word (年 月 日)", "MONTH": "a date word (年 月 日)",
    "DAY": "a date word (年 月 日)", "END": "底", "BEFORE": "前",
    "SUF_GE": "a closing word (以上 以下 以内)", "SUF_LE": "a closing word (以上 以下 以内)",
    "WITHIN": "a closing word (以上 以下 以内)", "APPROX": "左右",
    "RANGE_SEP": "a range dash (- ~ 至)", "REMARK": "a note", "$END": "the end of the text",
}
_EXPECTED_ORDER = list(dict.fromkeys(_EXPECTED.values()))

# A unit word that is not in the table is taken as a unit of its own only
# when it is short; a longer run of characters is a sentence.
_MAX_UNKNOWN_UNIT = 3
_MAX_COMPOUND_UNIT = 5
# After a multiplier (5万余元, 3千多人) these say "more than", not what is counted.
_NOT_COUNTED = frozenset("余多")


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(
        grammar_text("targets.lark"),
        parser="lalr",
        start=["target", "actual"],
        propagate_positions=True,
        cache=parser_cache("targets"),
    )


class _Reject(Exception):
    """Raised inside the transformer: the tree does not make a value.
    ``hard`` rejections are errors whatever the cell starts with (a month
    13); soft ones make a sentence of the cell (a long 'unit')."""

    def __init__(self, message: str, start: int, end: int, *, hard: bool = False) -> None:
        super().__init__(message)
        self.message, self.start, self.end, self.hard = message, start, end, hard


def _cn_number(text: str) -> int:
    """A number in Chinese numerals: 十二, 两, 一百零五, 二〇二四."""
    if len(text) > 1 and all(c in _CN_DIGITS for c in text):
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total = section = digit = 0
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[char]
            digit = 0
        else:
            total = (total + section + digit) * _CN_BIG[char]
            section = digit = 0
    return total + section + digit


def _at(token: Token) -> tuple[int, int]:
    """Where ``token`` is in the text: the lexer sets the positions of the
    tokens it makes (Lark's fields are Optional for tokens made by hand)."""
    assert token.start_pos is not None and token.end_pos is not None
    return token.start_pos, token.end_pos


def _number(token: Token) -> Decimal:
    if token.type == "CN_NUMBER":
        return Decimal(_cn_number(token.value))
    return Decimal(token.value.replace(",", ""))


def _int(token: Token, what: str, low: int, high: int) -> int:
    value = _number(token)
    if value != value.to_integral_value() or not low <= value <= high:
        raise _Reject(f"{token.value} is not a {what} ({low}-{high})", *_at(token), hard=True)
    return int(value)


@attrs.frozen
class _Q:
    """A quantity with where it stands in the text and how it was written."""

    quantity: Quantity
    start: int
    end: int
    chinese: bool
    #: Written with the bare month word 月 (or 月份), which is a month of the year.
    month_word: bool = False

    def year(self) -> int | None:
        """The year this is, when it was written as one (``2024年``)."""
        q = self.quantity
        if q.unit is not None and q.unit.symbol == "年" and not self.chinese:
            if q.value == q.value.to_integral_value() and 1900 <= q.value <= 2100:
                return int(q.value)
        return None

    def month(self) -> int | None:
        """The month of the year this is, when written as one (``7月``,
        not ``7个月``)."""
        q = self.quantity
        if self.month_word and q.value == q.value.to_integral_value() and 1 <= q.value <= 12:
            return int(q.value)
        return None


class _Build(Transformer):
    """Turns a parse tree into a value.  ``folded`` is the cell after width
    folding: units are read from it, as written."""

    def __init__(self, folded: str) -> None:
        super().__init__()
        self.folded = folded

    # -- pieces ----------------------------------------------------------

    def unit(self, children):
        return children[0]

    def prefix_op(self, children):
        return ("op", _OP_NAMES[children[0].type], children[0])

    def suffix_op(self, children):
        return ("suffix", _OP_NAMES[children[0].type], children[0])

    def quantity(self, children):
        number = children[0]
        chinese = number.type == "CN_NUMBER"
        value = _number(number)
        if len(children) == 1:
            return _Q(Quantity(value), number.start_pos, number.end_pos, chinese)
        token = children[1]
        return _Q(Quantity(value, self._unit(token, chinese)), number.start_pos, token.end_pos, chinese,
                  token.type == "MONTH")

    def _unit(self, token: Token, chinese: bool):
        symbol = self.folded[token.start_pos : token.end_pos]
        if token.type == "MONTH":
            symbol = "月"  # 月份 is the month word too
        found = known_unit(symbol)
        if found is not None:
            return found
        if not chinese:
            # A known unit followed by what is counted: 50家企业 is 50 家.
            # Followed by another unit it is a unit of its own (吨公里); a
            # multiplier followed by one counting word is that word's unit,
            # scaled (万粒, 万尾).
            for end in range(len(symbol) - 1, 0, -1):
                found = known_unit(symbol[:end])
                if found is not None:
                    rest = symbol[end:]
                    if known_unit(rest) is not None and len(symbol) <= _MAX_COMPOUND_UNIT:
                        return unit(symbol)
                    if found.dimension == "number" and len(rest) == 1 and rest not in _NOT_COUNTED:
                        return unit(symbol)
                    return found
            if len(symbol) <= _MAX_UNKNOWN_UNIT:
                return unit(symbol)
        raise _Reject(f"'{symbol}' is not a unit", *_at(token))

    # -- targets ---------------------------------------------------------

    def target(self, children):
        return children[0]

    def not_applicable(self, children):
        return NotApplicable()

    def comparison(self, children):
        prefix = next((c for c in children if isinstance(c, tuple) and c[0] == "op"), None)
        suffix = next((c for c in children if isinstance(c, tuple) and c[0] == "suffix"), None)
        control = any(isinstance(c, Token) and c.type == "CONTROL" for c in children)
        q = next(c for c in children if isinstance(c, _Q))
        if prefix is None and not control:
            assert suffix is not None  # the grammar gives such a comparison its operator after the quantity
            if suffix[2].type == "WITHIN" and q.year() is not None:
                return Deadline(q.year(), 12, None, end_of_period=True, before=True)  # 2024年内
        op = _combine(prefix, suffix, default="le" if control else None)
        return Comparison(op, q.quantity)

    def value(self, children):
        q = next(c for c in children if isinstance(c, _Q))
        if q.year() is not None:
            return Deadline(q.year())
        return BareValue(q.quantity)

    def range(self, children):
        low, high = children[0], children[2]
        lq, hq = low.quantity, high.quantity
        if lq.unit is None and hq.unit is not None:
            lq = Quantity(lq.value, hq.unit)
        elif hq.unit is None and lq.unit is not None:
            hq = Quantity(hq.value, lq.unit)
        try:
            order = lq.compare(hq)
        except UnitError as error:
            raise _Reject(error.message, low.start, high.end, hard=True) from None
        if order > 0:
            raise _Reject(f"the range {lq}-{hq} runs downwards", low.start, high.end, hard=True)
        return Range(lq, hq)

    def deadline(self, children):
        date = next(c for c in children if isinstance(c, Deadline))
        prefix = next((c for c in children if isinstance(c, tuple)), None)
        if prefix is None:
            return date
        if prefix[1] in ("ge", "gt"):
            token = prefix[2]
            raise _Reject("a deadline cannot be a lower bound", token.start_pos, token.end_pos, hard=True)
        return attrs.evolve(date, before=date.before or prefix[1] in ("le", "lt"))

    # -- dates (built as Deadline; actuals convert) ----------------------

    def _date(self, children, *, parts, month=None, end=False, before=None):
        numbers = [c for c in children if c.type in ("NUMBER", "CN_NUMBER")]
        types = {c.type for c in children}
        fields = dict(zip(parts, numbers))
        year = _int(fields["year"], "year", 1900, 2100) if "year" in fields else None
        month = _int(fields["month"], "month", 1, 12) if "month" in fields else month
        day = None
        if "day" in fields:
            last = calendar.monthrange(year or 2000, month)[1]
            day = _int(fields["day"], f"day of month {month}", 1, last)
        return Deadline(
            year,
            month,
            day,
            end_of_period=end or "END" in types,
            before=("BEFORE" in types) if before is None else before,
        )

    def ymd(self, children):
        return self._date(children, parts=("year", "month", "day"))

    def ym(self, children):
        return self._date(children, parts=("year", "month"))

    def y_end(self, children):
        return self._date(children, parts=("year",), month=12)

    def y_before(self, children):
        return self._date(children, parts=("year",))

    def md(self, children):
        return self._date(children, parts=("month", "day"))

    def m_end(self, children):
        return self._date(children, parts=("month",))

    m_before = m_done = m_end

    def year_end(self, children):
        return self._date(children, parts=(), month=12)

    def year_within(self, children):
        return self._date(children, parts=(), month=12, end=True, before=True)

    def iso(self, children):
        token = children[0]
        pieces = re.split(r"[-./]", token.value)
        fake = [Token("NUMBER", p, start_pos=token.start_pos, end_pos=token.end_pos) for p in pieces]
        parts = ("year", "month", "day")[: len(pieces)]
        return self._date(fake + children[1:], parts=parts)

    # -- actuals ---------------------------------------------------------

    def actual(self, children):
        return children[0]

    def measured(self, children):
        q = next(c for c in children if isinstance(c, _Q))
        prefix = next((c for c in children if isinstance(c, tuple) and c[0] == "op"), None)
        suffix = next((c for c in children if isinstance(c, tuple) and c[0] == "suffix"), None)
        op = _combine(prefix, suffix, default=None)
        if op is None and q.year() is not None:
            return ActualDate(q.year())
        if op is None and q.month() is not None:
            return ActualDate(month=q.month())  # 7月: done in July
        return ActualQuantity(q.quantity, op)

    def finished(self, children):
        date = next(c for c in children if isinstance(c, Deadline))
        return ActualDate(date.year, date.month, date.day)

    def done(self, children):
        return ActualDone()

    def empty(self, children):
        return ActualEmpty()


def _combine(prefix, suffix, *, default):
    """The operator of a comparison written with a word before the number,
    after it, or both (``≥98%以上``); contradictions are errors."""
    if prefix is None:
        return suffix[1] if suffix else default
    if suffix is None or suffix[1] == prefix[1]:
        return prefix[1]
    if prefix[1] == "eq":
        return suffix[1]
    if (prefix[1] in ("ge", "gt")) != (suffix[1] == "ge"):
        token = suffix[2]
        raise _Reject(
            f"'{prefix[2].value}' and '{token.value}' point opposite ways", token.start_pos, token.end_pos, hard=True
        )
    return prefix[1]


def _describe(terminals) -> str:
    found = {_EXPECTED[t] for t in terminals if t in _EXPECTED}
    ordered = [d for d in _EXPECTED_ORDER if d in found]
    if not ordered:
        return "something else"
    if len(ordered) == 1:
        return ordered[0]
    return ", ".join(ordered[:-1]) + ", or " + ordered[-1]


def _expected(error: UnexpectedInput):
    # LALR merges lookaheads; the interactive parser knows what really fits.
    parser = getattr(error, "interactive_parser", None)
    if parser is not None:
        return parser.accepts()
    return getattr(error, "expected", None) or getattr(error, "allowed", None) or ()


def _syntax_error(error: UnexpectedInput, read: str, what: str, text: str, span) -> TargetSyntaxError:
    """The error for a cell that does not parse: ``read`` is what the parser
    read, ``text`` the cell as written, ``span`` maps positions in the one
    to a :class:`Span` of the other."""
    if isinstance(error, UnexpectedToken) and error.token.type != "$END":
        where = span(error.token.start_pos, error.token.end_pos)
    elif isinstance(error, UnexpectedCharacters):
        assert error.pos_in_stream is not None  # the lexer says where it stopped
        where = span(error.pos_in_stream, error.pos_in_stream + 1)
    else:
        where = None
    if where is None:
        where = span(len(read.rstrip()), len(read.rstrip()))
        found = "end of the text"
    else:
        found = f"'{text[where.start:where.end]}'"
    message = f"unexpected {found} in {what}; expected {_describe(_expected(error))}"
    return TargetSyntaxError(message, source=text, span=where)


#: How many distinct cell texts the parse cache holds.  Tables repeat their
#: cells (≥90%, 95%, 已完成 …) and values are immutable, so one parse serves all.
CACHE_SIZE = 65_536


def _not_text(text) -> TypeError:
    return TypeError(f"expected the cell's text as a str, not {type(text).__name__}")


# One cache per kind of cell, keyed by the text alone (the quickest key).
@lru_cache(maxsize=CACHE_SIZE)
def _target_cached(text: str) -> Target:
    return _read(text, "target", Qualitative, NotApplicable)


@lru_cache(maxsize=CACHE_SIZE)
def _actual_cached(text: str) -> Actual:
    return _read(text, "actual", ActualStatement, ActualEmpty)


# The shape most cells have: an optional operator sign, a plain number and
# a known unit word (≥10项, 95%, 5051.15万元).  Such a cell is read here
# without Lark, into exactly the value the grammar gives it (tests/
# test_targets_properties.py checks the two agree); anything else, or a unit
# word that holds a date or closing word, goes to Lark.
_SIMPLE = re.compile(r"([≥≤<>=]?)([0-9]+(?:\.[0-9]+)?)([\u3400-\u9fff\uf900-\ufaffA-Za-z%‰㎡²³℃°·]*)")
_SIMPLE_OPS = {"≥": "ge", "≤": "le", ">": "gt", "<": "lt", "=": "eq"}
_NOT_FIRST_IN_SIMPLE_UNIT = frozenset("年月日号")
_NOT_IN_SIMPLE_UNIT = frozenset("底末前内至到以之及或左右约近")


def _simple(folded: str, start: str, text: str):
    match = _SIMPLE.fullmatch(folded)
    if match is None:
        return None
    sign, number, symbol = match.groups()
    found = None
    if symbol:
        if symbol[0] in _NOT_FIRST_IN_SIMPLE_UNIT or not _NOT_IN_SIMPLE_UNIT.isdisjoint(symbol):
            return None
        found = known_unit(symbol)
        if found is None:
            return None
    quantity = Quantity(Decimal(number), found)
    op = _SIMPLE_OPS.get(sign)
    if start == "target":
        return Comparison(op, quantity, text=text) if op else BareValue(quantity, text=text)
    return ActualQuantity(quantity, op, text=text)


def _read(text: str, start: str, fallback, empty):
    folded = text.translate(_FOLD)
    if not folded.strip():
        return empty(text=text)
    simple = _simple(folded, start, text)
    if simple is not None:
        return simple
    return _parse_lark(text, folded, start, fallback)


def _parse_lark(text: str, folded: str, start: str, fallback):
    what = "a target" if start == "target" else "an actual"
    # Pinyin glosses (達(dá)成) are read past; positions are mapped back so
    # that an error points into the cell as written.
    folded, positions = without_glosses(folded)
    plain = text if positions is None else "".join(text[i] for i in positions[:-1])

    def span(begin: int, end: int) -> Span:
        if positions is not None:
            begin, end = positions[begin], (positions[end - 1] + 1 if end > begin else positions[begin])
        return Span.of(text, begin, end)

    structured = folded.lstrip().startswith(_OPERATOR_START)
    failure = None
    try:
        tree = _parser().parse(simplify(folded), start=start)
        value = _Build(folded).transform(tree)
    except UnexpectedInput as error:
        if not structured:
            return fallback(plain.strip(), text=text)
        failure = _syntax_error(error, folded, what, text, span)
    except VisitError as error:
        reject = error.orig_exc
        if not isinstance(reject, _Reject):
            raise
        if not (structured or reject.hard):
            return fallback(plain.strip(), text=text)
        failure = TargetSyntaxError(f"{reject.message} in {what}", source=text, span=span(reject.start, reject.end))
    if failure is not None:
        # Raised outside the handler, so Lark's exception does not ride
        # along as its context (it would not pickle back from a worker).
        raise failure
    return attrs.evolve(value, text=text)


def parse_target(text: str) -> Target:
    """Read a target cell (年度指标值) into a value.

    A sentence that is no comparison, value, range or deadline is
    :class:`~perfrules.Qualitative`; a cell that starts with an
    operator symbol but does not read as a comparison raises
    :class:`~perfrules.errors.TargetSyntaxError`.

    >>> parse_target("98%以上")
    Comparison(op='ge', quantity=Quantity('98', '%'))
    >>> str(parse_target("2024年底前")), str(parse_target("80%至90%"))
    ('2024年12月底前', '80%-90%')
    """
    if not isinstance(text, str):
        raise _not_text(text)
    return _target_cached(text)


def parse_actual(text: str) -> Actual:
    """Read an actual cell (实际完成值) into a value.

    >>> parse_actual("≥266米").op, parse_actual("按时完成").kind, parse_actual("基本达到").kind
    ('ge', 'done', 'qualitative')
    """
    if not isinstance(text, str):
        raise _not_text(text)
    return _actual_cached(text)
