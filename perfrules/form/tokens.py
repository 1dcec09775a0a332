"""Tokens: the cells of a grid as one stream, each classified by what the
form's vocabulary says it is.

Layouts differ in where cells end: a spreadsheet gives cells, text copied
from a web page separates them by spaces, a PDF by nothing at all.  This
stage turns every grid into one stream of :class:`Token` values: cells as
given; text lines split at runs of white space; pieces that run several
cells together split at the form's words (the rest, a ``run``, is split by
content when the column order is known).  Cells a PDF or a narrow column
broke apart (``年度`` / ``指标值``, ``可持续影`` / ``响指标``) are joined
again, and a target written in three cells (``≧`` / ``735`` / ``人次``)
becomes one.
"""

from __future__ import annotations

import functools
import re

import attrs

from ..errors import PerfrulesError
from ..cells.quantity import known_unit
from ..readers.grid import TEXT, Grid
from ..records import parse_amount
from ..cells.targets import parse_actual, parse_target
from . import vocabulary as V
from .fold import clean, key

__all__ = ["Token", "tokenize", "kind_of", "is_amount", "is_percent", "target_kind", "actual_kind"]

_POINTS = re.compile(r"^[(（]?\d+(?:\.\d+)?分[)）]?$")
_PLACEHOLDER = re.compile(r"^(?:[…．.]{2,}|指标\d+[:：.、]?|[-—－─]+)$")
_MARKER = re.compile(r"^指标\s*\d+\s*[:：.、]?\s*")
_NOTE = re.compile(r"^注[:：]")
_GOAL_MARK = re.compile(r"^(?:绩效)?目标\s*\d+$")
# Cells a web page ran together: a name, then a number or an operator.
_RUN = re.compile(r"[\u3400-\u9fff)）][≥≤≧≦><=＝﹦═]?\d.*[\d\u3400-\u9fff%]$")
_LABEL_END = re.compile(r"[:：]$")
_PERCENT = re.compile(r"^-?\d+(?:\.\d+)?\s*[%％]$")


@attrs.frozen
class Token:
    """One cell of the stream."""

    text: str
    line: int
    position: str
    kind: str = ""
    #: The header or budget field, level, or label this token names.
    field: str = ""
    #: Whether this token began its line.
    first: bool = False

    @property
    def key(self) -> str:
        return key(self.text)


@functools.lru_cache(maxsize=65536)
def target_kind(text: str) -> str | None:
    """The kind the target language reads ``text`` as, or None when it does
    not read."""
    try:
        return parse_target(text).kind
    except PerfrulesError:
        return None


@functools.lru_cache(maxsize=65536)
def actual_kind(text: str) -> str | None:
    """The kind the actual language reads ``text`` as, or None."""
    try:
        return parse_actual(text).kind
    except PerfrulesError:
        return None


@functools.lru_cache(maxsize=65536)
def is_amount(text: str) -> bool:
    """Whether ``text`` is a plain number (a weight, a score, an amount)."""
    text = text.strip()
    if not text or text in ("-", "—", "/", "——"):
        return False
    try:
        return parse_amount(text) is not None
    except PerfrulesError:
        return False


def is_percent(text: str) -> bool:
    return bool(_PERCENT.match(text.strip()))


def _budget_field(word: str) -> str | None:
    word = re.sub(r"[(（][A-Za-z/]*[)）]$", "", word)
    for field, words in V.BUDGET_COLUMNS.items():
        if word in words:
            return field
    return None


def kind_of(text: str) -> tuple[str, str]:
    """What the form's vocabulary says ``text`` is: a kind and a field."""
    k = key(text)
    bare = _LABEL_END.sub("", k)
    if not k:
        return "empty", ""
    if _NOTE.match(k):
        return "footnote", ""
    if _POINTS.match(k):
        return "points", ""
    if _GOAL_MARK.match(k):
        return "goal_mark", ""
    if _PLACEHOLDER.match(k):
        return "placeholder", ""
    if bare in V.LEVEL_EITHER:
        return "level", "either"
    if bare in V.LEVEL1:
        return "level", "level1"
    if bare in V.LEVEL2:
        return "level", "level2"
    field = V.header_field(bare)
    budget = _budget_field(bare)
    if budget and (field is None or budget in ("weight", "score", "rate")):
        return "budget_column", budget
    if field:
        return "header", field
    if bare in V.TOTALS:
        return "total", ""
    if bare.endswith("结论") and len(bare) <= 14:
        return "conclusion", ""
    for kind, words in V.BUDGET_LINES.items():
        if bare.replace(":", "").replace("：", "") in words:
            return "budget_line", kind
    if bare in V.METADATA:
        return "meta", V.METADATA[bare] or ""
    if bare in V.GOAL_LABELS:
        return "goal", ""
    if bare in V.SKIP_LABELS or re.fullmatch(r"(?:项目资金|资金情况|预算执行情况)[(（].*[)）]", bare):
        return "skip", ""
    if "自评表" in k and len(k) <= 60:
        return "title", ""
    if re.fullmatch(r"[(（]?\s*(?:19|20)\d\d\s*年度?\s*[)）]?", k):
        return "year", ""
    return "cell", ""


def _words() -> list[str]:
    words = set(V.LEVEL1) | set(V.LEVEL2)
    for group in (V.HEADER, V.BUDGET_COLUMNS):
        for field, entries in group.items():
            if field not in ("unit",):
                words.update(entries)
    for entries in V.BUDGET_LINES.values():
        words.update(entries)
    words.update(V.TOTALS)
    words.update(V.CONCLUSIONS)
    words.update(w for w in V.METADATA if len(w) > 2)
    words.update(w for w in V.GOAL_LABELS if len(w) > 2)
    words.update(w for w in V.SKIP_LABELS if len(w) > 3)
    # Bare level-2 words without 指标 are too common inside names to split at.
    short = ("分值", "得分", "总分", "合计", "总计", "执行率", "执行数", "预算数")
    return sorted((w for w in words if len(w) >= 4 or w.endswith("指标") or w in short),
                  key=len, reverse=True)


@functools.lru_cache(maxsize=1)
def _splitter() -> re.Pattern:
    alternatives = "|".join(re.escape(w) for w in _words())
    return re.compile(rf"(?:{alternatives})(?:[(（][A-Za-z/\d]*[)）])?[:：]?|[(（]\d+分[)）]|…+|注[:：]")


def _run_together(piece: str) -> bool:
    if len(piece) < 30:
        return False
    return len(_splitter().findall(key(piece))) >= 3


def _maybe_row(piece: str) -> bool:
    """Whether a piece of copied text may be a whole row run together
    (京津冀基础研究合作专项支持项目数≥40项40项11); the rows stage tries it,
    and keeps it as one cell when it is not."""
    if _MARKER.match(piece):
        return False  # 指标1：… begins a row of its own
    return (len(piece) >= 8 and bool(_RUN.search(piece)) and target_kind(piece) in ("qualitative", None)
            and actual_kind(piece) not in ("date", "done"))


def _split_vocabulary(piece: str) -> list[tuple[str, bool]]:
    """A run-together piece split at the form's words: (text, is_run)."""
    folded = key(piece)
    source = re.sub(r"[\s\u3000\xa0]+", "", clean(piece))
    if len(source) != len(folded):
        source = folded
    parts: list[tuple[str, bool]] = []
    at = 0
    for match in _splitter().finditer(folded):
        if match.start() > at:
            parts.append((source[at : match.start()], True))
        parts.append((source[match.start() : match.end()], False))
        at = match.end()
    if at < len(folded):
        parts.append((source[at:], True))
    return parts


def _pieces(grid: Grid):
    """(line index, position, text, first, is_run) for every cell."""
    for index, line in enumerate(grid.lines()):
        first = True
        if len(line.filled) == 1 and line.filled[0].startswith("# "):
            continue  # a comment line of exported text, not part of the table
        if grid.layout == TEXT:
            texts = re.split(r"[ \t\u3000\xa0]{1,}", clean(line.cells[0])) if line.cells else []
        else:
            texts = [clean(c) for i, c in enumerate(line.cells) if i not in line.copies]
        for text in texts:
            if not text:
                continue
            if _run_together(text):
                for part, run in _split_vocabulary(text):
                    yield index, line.position, part, first, run
                    first = False
            elif grid.layout == TEXT and _maybe_row(text):
                for part, run in _split_vocabulary(text):
                    yield index, line.position, part, first, run
                    first = False
            else:
                yield index, line.position, text, first, False
            first = False


def _joinable(a: str, b: str) -> bool:
    joined = key(a + b)
    kind, _ = kind_of(joined)
    return kind in ("level", "header", "budget_column", "budget_line", "goal", "skip") and kind_of(a)[0] != kind


def _operator(text: str) -> bool:
    return key(text) in V.OPERATORS or key(text) in ("不低于", "不少于", "不超过", "不高于", "低于", "高于", "大于", "小于")


def _unit(text: str) -> bool:
    return not is_amount(text) and (text in ("%", "％", "‰") or known_unit(key(text)) is not None)


def tokenize(grid: Grid) -> list[Token]:
    """The classified token stream of ``grid``."""
    raw = list(_pieces(grid))
    # Join pieces a narrow cell or a PDF broke apart (up to four, as in
    # 绩 效 指 标), when together they are one of the form's words.
    joined: list[list] = []
    i = 0
    while i < len(raw):
        line, position, text, first, run = raw[i]
        taken = 1
        if not run:
            for n in (4, 3, 2):
                parts = raw[i : i + n]
                if len(parts) == n and not any(p[4] for p in parts) and all(len(key(p[2])) <= 6 for p in parts):
                    together = "".join(p[2] for p in parts)
                    if _joinable(parts[0][2], "".join(p[2] for p in parts[1:])) and kind_of(together)[0] != "cell":
                        text, taken = together, n
                        break
        joined.append([line, position, text, first, run])
        i += taken
    # A target split into operator | number | unit cells becomes one cell.
    merged: list[list] = []
    i = 0
    while i < len(joined):
        item = joined[i]
        text = item[2]
        if _operator(text) and i + 1 < len(joined) and is_amount(joined[i + 1][2]):
            text += joined[i + 1][2]
            step = 2
            # A cell holding only a unit word is no value of its own.
            if i + 2 < len(joined) and _unit(joined[i + 2][2]):
                text += joined[i + 2][2]
                step = 3
            merged.append([item[0], item[1], text, item[3], False])
            i += step
            continue
        if is_amount(text) and not item[4] and i + 1 < len(joined) and _unit(joined[i + 1][2]):
            # 指标值 | 度量单位 with no operator: 100 | % is 100%.
            merged.append([item[0], item[1], text + joined[i + 1][2], item[3], False])
            i += 2
            continue
        merged.append(item)
        i += 1
    tokens = []
    for line, position, text, first, run in merged:
        if run:
            tokens.append(Token(text, line, position, "run", "", first))
            continue
        kind, field = kind_of(text)
        if kind == "cell" and _MARKER.match(text):
            text = _MARKER.sub("", text)
            kind, field = ("placeholder", "") if not text else ("cell", "marker")
        tokens.append(Token(text, line, position, kind, field, first))
    return tokens
