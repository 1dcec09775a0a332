"""Which cell of a row is which: a row's value cells placed in the
header's columns, and text that runs a table's cells together split by
content.

Both choose among the readings the layout allows by how well each fits
the form: weights and scores are numbers, a score is not above its
weight, an actual is comparable with its target, an actual often repeats
its target.  Where two readings fit equally well the row is marked
unsure; it is never guessed silently.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from ..cells.quantity import known_unit
from ..errors import PerfrulesError
from ..records import parse_amount
from . import vocabulary as V
from .fold import key
from .tokens import is_amount, target_kind

__all__ = ["NUMERIC", "VALUE_FIELDS", "place", "split_run", "split_amounts"]

#: Fields whose cells hold plain numbers.
NUMERIC = frozenset({"weight", "score", "review", "coefficient"})
#: Fields a row's value cells can fill, besides its name and levels.
VALUE_FIELDS = ("target", "actual", "weight", "score", "review", "coefficient", "note", "method")
_EMPTY = ("/", "-", "—", "——", "－")
_QUANTITATIVE = {"ge", "gt", "le", "lt", "eq", "range", "deadline", "value"}


def _amount(text: str) -> Decimal | None:
    try:
        return parse_amount(text)
    except PerfrulesError:  # an unreadable amount is no amount
        return None


def _fits(field: str, text: str) -> bool:
    if field in NUMERIC:
        return is_amount(text) or text in _EMPTY
    return True


def _comparable(target: str, actual: str) -> bool:
    kind = target_kind(target)
    if kind not in _QUANTITATIVE:
        return key(target) == key(actual)
    return bool(re.search(r"\d", actual))


def _score(assigned: dict[str, str], weights: frozenset) -> float:
    score = 0.0
    weight, points = _amount(assigned.get("weight", "")), _amount(assigned.get("score", ""))
    for field in ("weight", "score"):
        if _amount(assigned.get(field, "")) is not None:
            score += 2
    if weight is not None:
        if weight > 100:
            score -= 3
        if weights:
            score += 1.5 if weight in weights else -1.5
    if weight is not None and points is not None:
        score += 1 if points <= weight else -2
    target, actual = assigned.get("target"), assigned.get("actual")
    if target:
        score += 1.5 if target_kind(target) in _QUANTITATIVE - {"value"} else 1
    if actual:
        score += 1
    if target and actual and _comparable(target, actual):
        score += 1
    if assigned.get("note"):
        score += 0.2
    return score


def place(values: list[str], order: tuple[str, ...], weights: frozenset = frozenset()) -> tuple[float, dict, bool]:
    """The best placing of a row's value cells in the header's columns
    ``order``: (how well it fits, field → text, whether another placing
    fits as well).  Cells keep their order; a column may be empty."""
    points, fields, tied = _place(tuple(values), tuple(order), weights)
    return points, dict(fields), tied


@functools.lru_cache(maxsize=8192)
def _place(values: tuple[str, ...], order: tuple[str, ...], weights: frozenset) -> tuple[float, tuple, bool]:
    if len(values) > len(order):
        return float("-inf"), (), False
    best: list[tuple[float, dict]] = []

    def walk(i: int, j: int, assigned: dict) -> None:
        if i == len(values):
            best.append((_score(assigned, weights), dict(assigned)))
            return
        for slot in range(j, len(order)):
            field = order[slot]
            if _fits(field, values[i]):
                assigned[field] = values[i]
                walk(i + 1, slot + 1, assigned)
                del assigned[field]

    walk(0, 0, {})
    if not best:
        return float("-inf"), (), False
    best.sort(key=lambda entry: entry[0], reverse=True)
    tied = len(best) > 1 and best[1][0] == best[0][0] and _meaning(best[1][1]) != _meaning(best[0][1])
    return best[0][0], tuple(best[0][1].items()), tied


def _meaning(assigned: dict) -> tuple:
    return tuple(sorted((k, v) for k, v in assigned.items() if k in ("target", "actual", "weight", "score")))


# ---- text that runs cells together ----

_OPERATOR = "|".join(sorted((re.escape(w) for w in V.OPERATORS + ("不低于", "不少于", "不超过", "不高于", "低于", "高于",
                                                                    "大于", "小于", "达到", "超过")),
                            key=len, reverse=True))
_QUANTITY = re.compile(rf"(?:{_OPERATOR})?(?:0|[1-9][\d,]*)(?:\.\d+)?")
_DEADLINE = re.compile(r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?(?:底)?(?:前|以前)?|\d{4}年(?:底|年底)?前|年底前")
_WEIGHT = re.compile(r"(?:0|[1-9]\d{0,2})(?:\.\d{1,2})?")


@functools.lru_cache(maxsize=4096)
def _unit_at(text: str) -> tuple[str, ...]:
    """Unit words ``text`` begins with, longest first."""
    found = []
    if text[:1] in ("%", "％", "‰"):
        found.append(text[:1])
    for length in range(min(5, len(text)), 0, -1):
        word = text[:length]
        if not re.search(r"[\d(（)）]", word) and known_unit(key(word)) is not None:
            found.append(word)
    return tuple(found)


def _values_at(text: str, at: int, field: str, name: str, previous: str | None = None) -> list[str]:
    """Cells that ``field`` could hold at ``at`` of ``text``, longest first."""
    rest = text[at:]
    found: list[str] = []
    if field in NUMERIC:
        match = _WEIGHT.match(rest)
        if match:
            digits = match.group(0)
            found += [digits[:n] for n in range(len(digits), 0, -1)
                      if not (digits[:n].endswith(".")) and (amount := _amount(digits[:n])) is not None
                      and amount <= 100 and not (len(digits[:n]) > 1 and digits[0] == "0"
                                                             and digits[1] != ".")]
        return found
    if field in ("note", "method"):
        for phrase in V.DONE_PHRASES + ("无",):
            if key(rest).startswith(phrase):
                found.append(rest[: len(phrase)])
        return found
    deadline = _DEADLINE.match(rest)
    if deadline:
        found.append(deadline.group(0))
    quantity = _QUANTITY.match(rest)
    if quantity:
        number = quantity.group(0)
        for unit in _unit_at(rest[len(number):]):
            found.append(number + unit)
        found.append(number)
    for phrase in V.DONE_PHRASES:
        if key(rest).startswith(phrase):
            found.append(rest[: len(phrase)])
    if "是否" in key(name) and rest[:1] and key(rest[:1]) in V.ANSWERS:
        found.append(rest[:1])
    if field == "actual" and previous and not re.search(r"\d", previous) and rest.startswith(previous):
        found.append(previous)  # the actual repeats a qualitative target
    for length in range(2, 11):
        half = rest[:length]
        if len(rest) >= 2 * length and rest[length : 2 * length] == half and not re.search(r"\d", half):
            found.append(half)
    return found


def split_run(text: str, order: tuple[str, ...]) -> tuple[list[list[str]], str]:
    """Rows of ``text``, where a table's cells run together without
    separators, read by the header's column ``order``: each row a list
    [name, value…] with the values in ``order``'s fields (None where a
    column is empty), ending in ``"?"`` where another reading of the same
    characters fits as well; and what was left at the end that no row
    reads."""
    fields = [f for f in order if f in VALUE_FIELDS]
    optional = {"note", "method", "review", "coefficient"}
    size = len(text)

    @functools.lru_cache(maxsize=None)
    def rows_from(at: int) -> tuple[float, tuple]:
        if at >= size:
            return 0.0, ()
        best: tuple[float, tuple] = (-len(text[at:]) * 0.5, (("", text[at:]),))  # nothing reads: left over
        for end in range(at + 1, min(size, at + 41)):
            name = text[at:end]
            if not _name_ok(name):
                continue
            for score, values, after in _row_values(text, end, fields, optional, name):
                rest, tail = rows_from(after)
                total = score + rest + (-1 if len(name) > 25 else 0)
                if total > best[0]:
                    best = (total, ((name, *values),) + tail)
        return best

    _, rows = rows_from(0)
    read, left = [], ""
    at = 0
    for row in rows:
        if row and row[0] == "" and len(row) == 2:
            left = row[1]
            continue
        name, values = row[0], list(row[1:])
        after = at + len(name) + sum(len(v) for v in values if v)
        readings = _row_values(text, at + len(name), fields, optional, name)
        chosen = next((score for score, found, end in readings if found == values and end == after), None)
        rivals = {tuple(found) for score, found, end in readings
                  if end == after and chosen is not None and score >= chosen - 0.01 and found != values}
        read.append([name, *values] + (["?"] if rivals else []))
        at = after
    return read, left


def _name_ok(name: str) -> bool:
    first = name[0]
    # A name does not begin with what ends a number or a date (日前, 月底, 个).
    if first.isdigit() or first in "%％‰≥≧≤≦><=＝﹦═.,，、;；:：)）日月前底号":
        return False
    folded = key(name)
    if folded in V.DONE_PHRASES or any(folded.startswith(p) for p in V.DONE_PHRASES if len(p) >= 4):
        return False
    return not _unit_at(name[:2]) or len(name) > 3


def _row_values(text: str, at: int, fields: list[str], optional: set, name: str):
    """(score, values, end) for each way the row's values can follow."""
    results = []

    def walk(position: int, index: int, values: list, score: float) -> None:
        if index == len(fields):
            results.append((score, list(values), position))
            return
        field = fields[index]
        candidates = _values_at(text, position, field, name, values[-1] if values else None)
        for candidate in candidates:
            bonus = 1.0
            if field == "score" and "weight" in fields[:index]:
                w, s = _amount(values[fields.index("weight")] or ""), _amount(candidate)
                if w is not None and s is not None:
                    bonus += 1 if s <= w else -3
                    bonus += 0.3 if s == w else 0  # most rows keep their whole weight
            if field == "actual" and values and values[-1] and _comparable(values[-1], candidate):
                bonus += 0.5
            values.append(candidate)
            walk(position + len(candidate), index + 1, values, score + bonus)
            values.pop()
        if field in optional:
            values.append(None)
            walk(position, index + 1, values, score)
            values.pop()

    walk(at, 0, [], 3.0)
    return results


def split_amounts(text: str, count: int) -> list[list[str]]:
    """Ways to read ``count`` numbers written together (``202010100.00%10``):
    no number but 0 begins with 0, a percent sign ends its number."""
    results: list[list[str]] = []

    def walk(rest: str, found: list[str]) -> None:
        if len(found) == count:
            if not rest:
                results.append(list(found))
            return
        for end in range(1, len(rest) + 1):
            piece = rest[:end]
            nxt = rest[end:]
            if nxt[:1] in ("%", "％"):
                piece, nxt = piece + nxt[:1], nxt[1:]
            number = piece.rstrip("%％")
            if not re.fullmatch(r"(?:0|[1-9]\d*)(?:\.\d+)?", number):
                continue
            if nxt[:1] == "." or (piece[-1:] not in "%％" and nxt[:1] in ("%", "％")):
                continue
            found.append(piece)
            walk(nxt, found)
            found.pop()
            if piece.endswith(("%", "％")):
                break

    walk(text.replace(",", ""), [])
    return results
