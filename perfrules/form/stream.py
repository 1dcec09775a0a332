"""Reading the form from a token stream, whatever the layout.

The blocks are found by vocabulary and content, in the order the national
templates put them: metadata, the budget block, the goals, the indicator
header (its columns in their order, over one or several lines), the
indicator rows, the total.  A title or a 项目名称 after rows begins a second
table.  Rows are cut from the cells between level words by choosing the
grouping that fits the header's columns best (:func:`.cells.place`).
Every token ends in a row, a recognised block, or the sheet's ``unread``.
"""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

from ..readers.grid import TEXT, Grid
from ..errors import PerfrulesError
from ..records import BUDGET_EXECUTION, Goal, Row, Sheet, parse_amount
from . import vocabulary as V
from .budget import fund_source, place_budget, source_columns
from .cells import VALUE_FIELDS, place, split_amounts, split_run
from .fold import key
from .tokens import Token, actual_kind, is_amount, is_percent, target_kind, tokenize

__all__ = ["read_stream"]

_GRADE = re.compile(r"(?:自评)?等级\s*(?:为|是|：|:)\s*[“\"]?(优秀|优|良好|良|中|合格|差|不合格)")
_MARKER = re.compile(r"^指标\s*\d+\s*[:：.、]?\s*")
_DIGITS = re.compile(r"[\d.,%％]+")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年度?")
_COLUMN_NAMES = {"review": "复核分", "coefficient": "得分系数", "method": "得分计算方法"}
_ROW_BREAKS = ("level", "points", "placeholder", "skip", "header", "budget_column", "goal", "year", "goal_mark")
_MAX_GROUP = 9


@attrs.define
class _Table:
    source: str
    meta: dict = attrs.field(factory=dict)
    rows: list = attrs.field(factory=list)
    goals: list = attrs.field(factory=list)
    unread: list = attrs.field(factory=list)
    notes: list = attrs.field(factory=list)
    budget: Row | None = None
    order: tuple = ()
    orphans: list = attrs.field(factory=list)

    def lose(self, token: Token) -> None:
        self.unread.append(f"{token.position}: {token.text}")


def _header(tokens: list[Token], at: int) -> tuple[int, tuple, list[Token]] | None:
    """The indicator header starting at ``at``: (end, value columns in
    order, tokens displaced into it), or None when these are not one."""
    if tokens[at].field in ("note", "method", "goal"):
        return None  # a block's own note column, or the goal column: the header begins after it
    fields: list[str] = []
    displaced: list[tuple[int, Token]] = []
    end = at
    misses = 0
    i = at
    while i < len(tokens) and misses < 3:
        token = tokens[i]
        field = token.field if token.kind in ("header", "budget_column") else None
        if field == "rate" or token.kind == "budget_column" and field not in ("weight", "score"):
            break
        if field:
            fields.append(field)
            end = i + 1
            misses = 0
        elif token.kind in ("skip",):
            pass
        else:
            displaced.append((i, token))
            misses += 1
        i += 1
    has = set(fields)
    if not ("target" in has and ({"actual", "weight"} & has) and ({"name", "level1", "level2"} & has)):
        return None
    order = tuple(dict.fromkeys(f for f in fields if f in VALUE_FIELDS))
    return end, order, [t for index, t in displaced if index < end]


def _budget_row(values: dict, position: str, problem: str | None, sources: dict | None = None) -> Row:
    problems = [problem] if problem else []

    def amount(field, label):
        text = values.get(field, "")
        try:
            return parse_amount(text.rstrip("%％")) if field == "rate" else parse_amount(text)
        except PerfrulesError as error:  # kept as the row's problem
            problems.append(f"{label} '{text}': {error.message}")
            return None

    budget = amount("budget", "全年预算数")
    if budget is None and values.get("initial"):
        budget = amount("initial", "年初预算数")  # the form's rate is B/A with A the initial budget
    columns = {label: values[field] for field, label in (("initial", "年初预算数"), ("rate", "执行率"))
               if values.get(field)}
    columns.update(sources or {})
    return Row(kind=BUDGET_EXECUTION, name="预算执行率", budget=budget, spent=amount("spent", "全年执行数"),
               weight=amount("weight", "分值"), reported=amount("score", "得分"), columns=columns,
               position=position, problem="; ".join(problems) or None)


class _Reader:
    def __init__(self, grid: Grid, fiscal_year: int | None) -> None:
        self.grid = grid
        self.tokens = tokenize(grid)
        self.fiscal_year = fiscal_year
        self.tables: list[_Table] = []
        self.table = self._new()

    def _new(self) -> _Table:
        table = _Table(self.grid.label)
        self.tables.append(table)
        return table

    def read(self) -> list[Sheet]:
        tokens = self.tokens
        i = 0
        while i < len(tokens):
            token = tokens[i]
            table = self.table
            started = table.rows or table.order
            if started and (token.kind == "title" or token.kind == "meta" and token.field == "project"
                            or token.kind == "budget_column" and token.field in ("initial", "budget")):
                self.table = table = self._new()
            if not table.order and token.kind in ("header", "budget_column"):
                found = _header(tokens, i)
                if found is not None:
                    end, table.order, displaced = found
                    i = self._rows(displaced, end)
                    continue
            if token.kind == "budget_column" and table.budget is None:
                i = self._budget(i)
                continue
            i = self._preamble(i)
        return [self._sheet(t) for t in self.tables if t.rows or t.budget or t is self.tables[0]]

    # ---- before the indicator rows ----

    def _preamble(self, i: int) -> int:
        token, table = self.tokens[i], self.table
        kind = token.kind
        if kind == "meta":
            # The label's value is the cell after it, if any.
            j = i + 1
            values = []
            if j < len(self.tokens) and self.tokens[j].kind in ("cell", "title", "run"):
                values.append(self.tokens[j].text)
                j += 1
            if token.field == "grade" and values and key(values[0]) not in V.GRADES:
                values = []  # a grade is a grade word
            if token.field and values:
                table.meta.setdefault(token.field, values[0])
                if token.field == "project":
                    found = re.match(r"((?:19|20)\d\d)年", key(values[0]))
                    if found:
                        table.meta.setdefault("year_guess", int(found.group(1)))
            return j
        if kind == "title":
            table.meta.setdefault("title", token.text)
            self._year(token.text)
            return i + 1
        if kind == "year":
            self._year(token.text)
            return i + 1
        if kind == "goal":
            return self._goals(i)
        if kind == "conclusion":
            return self._conclusion(i)
        if kind in ("skip", "points", "placeholder", "budget_line", "empty"):
            return i + 1
        if kind in ("cell", "run"):
            if "自评" in key(token.text):
                self._year(token.text)
            if "fiscal_year" not in table.meta and re.fullmatch(r"[(（]?\s*(?:19|20)\d\d", token.text):
                self._year(token.text + "年")
        table.lose(token)
        return i + 1

    def _goals(self, i: int) -> int:
        """The 年度总体目标 block: goals, each its expected and actual text,
        numbered (1 加强… 通过…) or not."""
        tokens, table = self.tokens, self.table
        goals: list[list[str]] = []
        j = i
        while j < len(tokens):
            token = tokens[j]
            if token.kind in ("header", "budget_column") and _header(tokens, j) is not None:
                break
            if token.kind not in ("cell", "run", "goal", "skip", "header"):
                break
            if token.kind in ("cell", "run"):
                if re.fullmatch(r"\d{1,2}", token.text):
                    goals.append([token.text])
                elif goals and len(goals[-1]) < 3:
                    goals[-1].append(token.text)
                else:
                    goals.append(["", token.text])
            j += 1
        for number, *texts in goals:
            if texts:
                table.goals.append(Goal(number or str(len(table.goals) + 1), texts[0],
                                        texts[1] if len(texts) > 1 else ""))
        return max(j, i + 1)

    def _year(self, text: str) -> None:
        found = _YEAR.search(key(text))
        if found:
            self.table.meta.setdefault("fiscal_year", int(found.group(1)))

    def _budget(self, i: int) -> int:
        tokens, table = self.tokens, self.table
        fields = []
        while i < len(tokens) and (tokens[i].kind == "budget_column"
                                   or tokens[i].kind == "header" and tokens[i].field in ("method", "note")):
            if tokens[i].kind == "budget_column":
                fields.append(tokens[i].field)
            i += 1
        position = tokens[i - 1].position
        groups: list[list[str]] = []
        current: list[str] | None = []
        after_total: list[str] | None = None
        scattered: list[str] = []
        # The fund-source lines (其中：当年财政拨款 …): each label's cells, a
        # dash kept as None so that the cells keep their places.
        parts: list[tuple[str, list]] = []
        part: list | None = None
        j = i
        while j < len(tokens):
            token = tokens[j]
            if token.kind == "title" or token.kind in ("header", "budget_column") and _header(tokens, j) is not None:
                break
            if token.kind == "budget_column" and token.field in ("initial", "budget"):
                break
            if token.kind in ("budget_line", "total", "goal"):
                source = fund_source(token.text) if token.kind == "budget_line" else None
                part = None
                if source:
                    part = []
                    parts.append((source, part))
            elif part is not None and token.kind == "placeholder":
                part.append(None)
            if token.kind == "budget_line" or token.kind == "total":  # 合计 totals the block here
                total = token.kind == "total" or token.field == "total"
                if current:
                    groups.append(current)
                current = [] if total else None
                if total:
                    after_total = current
                    position = token.position
            elif token.kind in ("cell", "run"):
                # An amount, or the amounts a run begins with (202010100.00%10其中:).
                amount = token.text if is_amount(token.text) or is_percent(token.text) else None
                if amount is None and token.kind == "run":
                    digits = _DIGITS.match(token.text)
                    amount = digits.group(0) if digits else None
                if amount is not None:
                    scattered.append(amount)
                    if current is not None:
                        current.append(amount)
                    if part is not None:
                        part.append(amount if token.kind == "cell" else None)
            elif token.kind == "goal":
                if current:
                    groups.append(current)
                current = None
            j += 1
        if current:
            groups.append(current)
        if after_total:
            groups.remove(after_total)
            groups.insert(0, after_total)
        values, doubt = place_budget(fields, groups, scattered)
        if not values:
            table.notes.append("the budget block's labels were found but not its amounts")
        if values:
            sources = {}
            for source, cells in parts:
                sources.update(source_columns(source, fields, cells))
            table.budget = _budget_row(values, position, None, sources)
            if doubt:
                table.notes.append(doubt)
        # The block's tokens are read; the goals and what follows are not.
        k = i
        while k < j and tokens[k].kind not in ("goal", "meta", "title"):
            k += 1
        return k

    # ---- the indicator rows ----

    def _rows(self, displaced: list[Token], end: int) -> int:
        """Read rows from the header's displaced tokens and those after
        ``end``; return where the main loop resumes."""
        tokens = self.tokens
        region = list(displaced)
        j = end
        while j < len(tokens):
            token = tokens[j]
            if token.kind == "total" and not _total_line(tokens, j):
                region.append(attrs.evolve(token, kind="cell"))  # 总分 before a row's cells: no total
                j += 1
                continue
            if token.kind in ("total", "footnote", "title", "conclusion") or (
                    token.kind == "meta" and token.field == "project"):
                break
            if token.kind == "budget_column" and token.field in ("initial", "budget"):
                break
            region.append(token)
            j += 1
        self._read_region(region)
        if j == len(tokens) and self.table.rows:
            # The text stops inside the rows: a copied page cut short.
            last = self.table.rows[-1]
            missing = [f for f in ("target", "actual", "weight")
                       if f in self.table.order and not last["fields"].get(f)]
            if missing:
                last["problem"] = (f"the text ends at this row, before the table's total: its "
                                   f"{', '.join(missing)} may be cut off")
            self.table.notes.append("the text ends before the table's total line: the table may be cut short")
        if j < len(tokens) and tokens[j].kind == "total":
            j = self._total(j)
        if j < len(tokens) and tokens[j].kind == "conclusion":
            j = self._conclusion(j)
        if j < len(tokens) and tokens[j].kind == "footnote":
            j += 1
            while j < len(tokens) and tokens[j].kind != "title" and not (
                    tokens[j].kind == "meta" and tokens[j].field == "project"):
                j += 1
        return max(j, end)

    def _read_region(self, region: list[Token]) -> None:
        table = self.table
        order = table.order
        if not {"weight", "score"} & set(order):
            table.notes.append("the table has no 分值 or 得分 column: its rows carry no weight or score")
        one_cell = _one_cell_per_line(region)
        weights: frozenset = frozenset()
        for _attempt in (1, 2):
            rows: list[dict] = []
            level = {"level1": "", "level2": "", "goal": ""}
            segment: list[Token] = []
            for index, token in enumerate(region):
                if token.kind == "run":
                    found = _run_rows(token, order, level)
                    if any("name" in r for r in found):
                        rows += _group(segment, order, weights, one_cell, level)
                        segment = []
                        rows += found
                    else:  # not rows run together: one cell after all
                        segment.append(attrs.evolve(token, kind="cell"))
                    continue
                if token.kind in _ROW_BREAKS:
                    rows += _group(segment, order, weights, one_cell, level)
                    segment = []
                    if token.kind == "level":
                        _set_level(level, token, region[index + 1 :])
                    elif token.kind == "goal_mark":
                        level["goal"] = token.text
                    # Header words again (a header repeated on each page) and
                    # goal labels are the form's own words: read past.
                    continue
                segment.append(token)
            rows += _group(segment, order, weights, one_cell, level)
            # The weights of rows whose four cells are all there: the table's
            # usual weights, which tell a weight from an actual elsewhere.
            weights = frozenset(parse_amount(r["fields"]["weight"]) for r in rows
                                if "fields" in r and not r.get("tied") and is_amount(r["fields"].get("weight", ""))
                                and all(r["fields"].get(f) for f in ("target", "actual", "score")))
        self._finish(rows)

    def _finish(self, rows: list[dict]) -> None:
        table = self.table
        rows = _attach_fragments(rows, spaced=self.grid.layout == TEXT)
        bare = [r for r in rows if r.get("bare")]
        row_like = [r for r in rows if "fields" in r and r.get("name") is None and len(r["values"]) >= 3
                    and is_amount(r["fields"].get("weight", ""))]
        if row_like and len(row_like) == len(bare):
            # A PDF put a block's names apart from their values: pair them in order.
            table.notes.append(f"{len(bare)} indicator names stood apart from their values (columns "
                               f"interleaved); they were paired in order")
            for orphan, name in zip(row_like, bare):
                orphan["name"], orphan["level"] = name["name"], name["level"]
                name["paired"] = True
        for entry in rows:
            if entry.get("paired"):
                continue
            if "stray" in entry:
                table.lose(entry["stray"])
            elif entry.get("bare"):
                table.lose(entry["name_token"])
            elif entry.get("name") is None:
                table.orphans.append(entry)
                if not (len(entry["values"]) == 2 and all(is_amount(v) for v in entry["values"])):
                    for token in entry["tokens"]:
                        table.lose(token)
            else:
                table.rows.append(entry)

    def _conclusion(self, at: int) -> int:
        """评价结论: its text up to the next table or note, and the grade it
        states."""
        tokens = self.tokens
        j = at + 1
        texts = []
        while j < len(tokens) and tokens[j].kind not in ("title", "footnote") and not (
                tokens[j].kind == "meta" and tokens[j].field == "project") and not (
                tokens[j].kind == "budget_column" and tokens[j].field in ("initial", "budget")):
            texts.append(tokens[j].text)
            j += 1
        text = re.sub(r"<[^>]+>", "", " ".join(texts)).strip()
        self.table.meta["conclusion"] = text
        grade = _GRADE.search(text)
        if grade:
            self.table.meta.setdefault("grade", grade.group(1))
        return j

    def _total(self, at: int) -> int:
        tokens, table = self.tokens, self.table
        amounts: list[str] = []
        j = at + 1
        while j < len(tokens) and len(amounts) < 2:
            token = tokens[j]
            if token.kind == "cell" and is_amount(token.text):
                amounts.append(token.text)
            elif token.kind == "run" and re.fullmatch(r"[\d.]+", token.text):
                # 总分100100 / 总分4039.6: the weights' sum, then the score.
                weights = sum((_amount(r["fields"]["weight"]) for r in table.rows
                               if is_amount(r["fields"].get("weight", ""))), Decimal(0))
                if table.budget is not None and table.budget.weight is not None:
                    weights += table.budget.weight
                splits = [s for s in split_amounts(token.text, 2)
                          if _amount(s[0]) in (100, weights) and _amount(s[1]) <= _amount(s[0])]
                if splits:
                    amounts += splits[0]
                elif is_amount(token.text) and _amount(token.text) <= 100:
                    amounts.append(token.text)
            else:
                break
            j += 1
        table.meta["total_line"] = f"{tokens[at].position}: " + " ".join(t.text for t in tokens[at:j])
        if j < len(tokens) and key(tokens[j].text) in V.GRADES:
            table.meta.setdefault("grade", tokens[j].text)
            j += 1
        if amounts:
            table.meta["reported_total"] = amounts[-1]
        else:
            pairs = [o for o in table.orphans if len(o["values"]) == 2]
            if len(pairs) == 1:
                table.meta["reported_total"] = pairs[0]["values"][-1]
        return j

    def _sheet(self, table: _Table) -> Sheet:
        year = self.fiscal_year or table.meta.get("fiscal_year") or table.meta.get("year_guess")
        if year is None:
            for text in self.grid.context:
                found = _YEAR.search(key(text))
                if found:
                    year = int(found.group(1))
                    break
        rows = []
        for entry in table.rows:
            fields = entry["fields"]
            problems = []
            if entry.get("problem"):
                problems.append(entry["problem"])
            if entry.get("tied"):
                problems.append("cannot tell which cells are the target, actual, weight and score: "
                                + " / ".join(entry["values"]))
            row = Row.read(
                target=fields.get("target", ""), actual=fields.get("actual", ""),
                weight=_empty(fields.get("weight")), reported=_empty(fields.get("score")),
                name=entry["name"], level1=entry["level"]["level1"], level2=entry["level"]["level2"],
                goal=entry["level"].get("goal", ""),
                note=fields.get("note", ""), position=entry["position"], fiscal_year=year,
                columns={_COLUMN_NAMES[f]: fields[f] for f in ("review", "coefficient", "method") if fields.get(f)},
                problem="; ".join(problems) or None,
            )
            rows.append(row)
        budget = table.budget
        if budget is not None:
            budget = attrs.evolve(budget, fiscal_year=year)
        total = table.meta.get("reported_total")
        try:
            reported_total = parse_amount(total) if total else None
        except PerfrulesError:  # an unreadable total is no total
            reported_total = None
        title = table.meta.get("title") or table.meta.get("project", "")
        index = self.tables.index(table)
        source = self.grid.label if len(self.tables) == 1 else f"{self.grid.label}#{index + 1}"
        return Sheet(
            rows=rows, budget=budget, title=str(title), organisation=str(table.meta.get("organisation", "")),
            fiscal_year=year, kind="整体" if "整体" in str(title) else "项目" if "项目" in str(title) else None,
            source=source, goals=table.goals, reported_total=reported_total,
            reported_grade=table.meta.get("grade"), unread=table.unread, read_notes=table.notes,
            conclusion=table.meta.get("conclusion", ""), total_line=table.meta.get("total_line"),
        )


def _amount(text: str) -> Decimal:
    """The amount of a text :func:`is_amount` accepted (or split out of a
    run of such), which is never empty."""
    value = parse_amount(text)
    assert value is not None
    return value


def _total_line(tokens: list[Token], at: int) -> bool:
    """Whether the total word at ``at`` heads a total line, not a row that
    begins with it: no level word, and no name followed by a value, comes
    next."""
    following = tokens[at + 1 : at + 3]
    if not following:
        return True
    if following[0].kind == "level":
        return False
    if following[0].kind == "cell" and _name_like(following[0]) and len(following) > 1:
        value = following[1].text
        return not (is_amount(value) or target_kind(value) not in ("qualitative", None))
    return True


def _empty(text: str | None) -> str | None:
    return None if text in (None, "/", "-", "—", "——", "－") else text


def _one_cell_per_line(region: list[Token]) -> bool:
    lines: dict[int, int] = {}
    for token in region:
        lines[token.line] = lines.get(token.line, 0) + 1
    return bool(lines) and sum(1 for n in lines.values() if n == 1) >= 0.8 * len(lines)


def _set_level(level: dict, token: Token, following: list[Token]) -> None:
    word = key(token.text).rstrip(":：")
    field = token.field
    if field == "either":
        nxt = next((t for t in following if t.kind != "points"), None)
        current = key(level["level1"])
        if nxt is not None and nxt.kind == "level" and nxt.field in ("level2", "either"):
            field = "level1"
        elif word == "成本指标":
            field = "level2" if current in ("产出指标", "") else "level1"
        elif word in ("满意度指标", "服务对象满意度指标"):
            field = "level2" if current.startswith(("满意度", "服务对象满意度")) else "level1"
        else:
            field = "level2"
    if field == "level1":
        level["level1"], level["level2"] = token.text, ""
    else:
        level["level2"] = token.text


def _name_like(token: Token) -> bool:
    text = token.text
    if token.field == "marker":
        return True  # 指标1：… names a row whatever follows
    if is_amount(text) or is_percent(text) or text in ("/", "-", "—"):
        return False
    folded = key(text)
    if folded in V.DONE_PHRASES or folded in V.VERDICTS:
        return False
    if actual_kind(text) in ("date", "done"):
        return False  # 已于2024年12月31日前完成: an actual, never a name
    if len(folded) > 20 and re.search(r"[。；;]", folded):
        return False  # a sentence: a note or a scoring method, not a name
    kind = target_kind(text)
    return kind in ("qualitative", None) or token.field == "marker"


def _group(segment: list[Token], order: tuple, weights: frozenset, one_cell: bool, level: dict) -> list[dict]:
    """The rows in ``segment`` (cells between level words): the grouping
    of cells into rows that fits the header's columns best."""
    n = len(segment)
    if not n:
        return []
    best: list[tuple[float, list] | None] = [None] * (n + 1)
    best[n] = (0.0, [])
    for i in range(n - 1, -1, -1):
        choice = None
        for k in range(i + 1, min(n, i + min(_MAX_GROUP, len(order) + 1)) + 1):
            after = best[k]
            if after is None:
                continue
            for entry in _candidates(segment[i:k], order, weights, one_cell):
                total = entry[0] + after[0]
                if choice is None or total > choice[0]:
                    choice = (total, [entry[1]] + after[1])
        best[i] = choice
    rows = []
    for entry in best[0][1] if best[0] else []:
        entry["level"] = dict(level)
        rows.append(entry)
    return rows


def _span_cost(tokens: list[Token], one_cell: bool) -> float:
    if one_cell:
        return 0.0
    return -0.8 * sum(1 for t in tokens[1:] if t.first)


def _candidates(tokens: list[Token], order: tuple, weights: frozenset, one_cell: bool):
    first = tokens[0]
    at = first.position
    texts = [t.text for t in tokens]
    if len(tokens) == 1 and _name_like(first):
        yield 0.0, {"bare": True, "name": first.text, "name_token": first, "at": _at(first), "tokens": tokens}
    if len(tokens) == 1:
        yield -3.0, {"stray": first, "at": _at(first)}
    if _name_like(first) and len(tokens) > 1:
        points, fields, tied = place(texts[1:], order, weights)
        if fields:
            score = points + 1 + (2 if first.field == "marker" else 0) + (1 if first.first else 0)
            if any(key(v) == key(first.text) for v in texts[1:]):
                score -= 4
            numbers = any(re.search(r"\d", v) for v in fields.values() if v)
            if {"weight", "score"} & set(order) and not numbers and first.field != "marker":
                score -= 4.5  # names and sentences only: more likely names of their own
            score += _span_cost(tokens, one_cell)
            yield score, {"name": first.text, "name_token": first, "values": texts[1:], "fields": fields,
                          "tied": tied, "position": at, "at": _at(first), "tokens": tokens}
    if not _name_like(first) or len(tokens) > 1:
        points, fields, tied = place(texts, order, weights)
        if fields and len(tokens) >= 2:
            yield points - 4 + _span_cost(tokens, one_cell), {
                "name": None, "values": texts, "fields": fields, "tied": tied, "position": at, "at": _at(first),
                "tokens": tokens}


def _at(token: Token) -> tuple:
    return (token.line, token.position)


def _run_rows(token: Token, order: tuple, level: dict) -> list[dict]:
    rows, left = split_run(token.text, order)
    fields_order = [f for f in order if f in VALUE_FIELDS]
    found = []
    for number, row in enumerate(rows):
        unsure = row[-1] == "?"
        name, values = _MARKER.sub("", row[0]), list(row[1:-1] if unsure else row[1:])
        if not name:
            continue
        fields = {f: v for f, v in zip(fields_order, values) if v}
        found.append({"name": name, "name_token": token, "values": [v for v in values if v], "fields": fields,
                      "tied": unsure, "position": token.position, "at": (token.line, token.position, number),
                      "level": dict(level), "tokens": [token]})
    if left:
        found.append({"stray": Token(left, token.line, token.position, "cell"), "at": (token.line, token.position)})
    return found


def _attach_fragments(rows: list[dict], *, spaced: bool) -> list[dict]:
    """A name's last characters that a narrow cell wrapped onto a line of
    their own (``率``) join the name before them; a name that copied text
    split at a space (``促进 学校发展 ≥95% …``, in text split at spaces) is
    one name."""
    joined: list[dict] = []
    for entry in rows:
        before = joined[-1] if joined else None
        if (spaced and before is not None and before.get("bare") and entry.get("name") is not None and "fields" in entry
                and entry["name_token"].line == before["name_token"].line and not entry["name_token"].first
                and entry["name_token"].field != "marker"):
            entry = dict(entry, name=before["name"] + entry["name"], position=before["name_token"].position)
            joined[-1] = entry
            continue
        joined.append(entry)
    rows = joined
    kept = []
    last_named = None
    for entry in rows:
        text = entry.get("name") if entry.get("bare") else None
        if (text and len(key(text)) <= 2 and key(text) not in V.ANSWERS + V.GRADES + V.VERDICTS
                and last_named is not None):
            last_named["name"] += text
            continue
        if entry.get("name") is not None:
            last_named = entry
        kept.append(entry)
    return kept


def read_stream(grid: Grid, *, fiscal_year: int | None = None) -> list[Sheet]:
    """The sheets in ``grid``, read by content."""
    return _Reader(grid, fiscal_year).read()
