"""Reading the self-evaluation form from a grid of cells.

Every input format (exported text, CSV, XLSX) becomes a grid: lines of
cells, each line with the position it came from.  This module finds the
form's blocks in the grid by their headers and vocabulary, not by fixed
positions, because exported tables drift: merged cells are left blank,
a row loses or gains a cell, 成本指标 stands at level 1 or level 2.

A line that cannot be placed is never dropped: inside the indicator block
it becomes a row whose ``problem`` says why; elsewhere it is kept in
``Sheet.unread``.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import Callable

import attrs

from ..errors import PerfrulesError
from ..readers.grid import Line
from ..records import BLANK_ROW, Goal, Row, Sheet, parse_amount
from ..cells.targets import parse_target
from .budget import consistency, fund_source, place_budget, source_columns
from .tokens import is_amount, is_percent
from .vocabulary import HEADER, TOTALS
from ..cells.values import ActualEmpty, NotApplicable

__all__ = ["Line", "read_form"]

LEVEL1 = {"产出指标", "效益指标", "满意度指标", "服务对象满意度指标", "成本指标"}
LEVEL2 = {
    "数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
    "可持续影响指标", "服务对象满意度", "服务对象满意度指标", "经济成本指标", "社会成本指标",
    "生态环境成本指标", "满意度指标",
}
_GOAL = re.compile(r"^(?:绩效)?目标\s*\d+$")
_YEAR = re.compile(r"(20\d\d|19\d\d)\s*年度?")
_GRADE = re.compile(r"(?:自评)?等级(?:为|是|：|:)\s*[“\"]?(优秀|优|良好|良|中|合格|差|不合格)")

# Header words → the column they name.  English aliases serve CSV exports.
_ENGLISH = {"goal": "goal", "level1": "level1", "level2": "level2", "name": "name", "target": "target",
            "actual": "actual", "weight": "weight", "score": "score", "note": "note"}
# The form's header words (vocabulary.HEADER, one list for both readings),
# the English keys of CSV exports, and the columns perfrules' exports add.
_COLUMNS = tuple({
    **{field: tuple(dict.fromkeys(HEADER[field] + (english,))) for field, english in _ENGLISH.items()},
    "budget": ("全年预算数", "budget"),
    "spent": ("全年执行数", "spent"),
    "rate": ("执行率", "rate"),
    "problem": ("问题", "problem"),
}.items())
_BUDGET_COLUMNS = tuple({
    "initial": ("年初预算数",),
    "budget": ("全年预算数",),
    "spent": ("全年执行数",),
    "weight": ("分值",),
    "score": ("得分",),
    "rate": ("执行率",),
}.items())
_METADATA = {
    "title": "title", "标题": "title", "organisation": "organisation", "部门名称": "organisation",
    "单位名称": "organisation", "项目名称": "project", "fiscal_year": "fiscal_year", "年度": "fiscal_year",
    "kind": "kind", "reported_total": "reported_total", "总分": "reported_total",
    "reported_grade": "reported_grade", "自评等级": "reported_grade", "conclusion": "conclusion",
    # What perfrules' own exports add; not part of the form, read past.
    "computed_total": "ignore", "computed_grade": "ignore", "ruleset": "ignore", "ruleset_sha256": "ignore",
    "finding": "ignore",
}
_NO_WEIGHT = "the table has no 分值 column: its rows carry no weight, and 得分 is not taken for one"
_GRADE_WORDS = ("优秀", "优", "良好", "良", "中等", "中", "合格", "差", "不合格", "-", "—", "/")
_BUDGET_NAMES = ("预算执行率", "预算执行情况", "budget_execution")


# A header cell's word ends at a space or an opening bracket: 分值（分）.
_WORD_END = re.compile(r"[\s(（].*$")


@functools.lru_cache(maxsize=8192)
def _head(cell: str) -> str:
    # Every line of a table is tested as a header: each cell is cut once.
    return _WORD_END.sub("", cell) if cell else cell


def _match(cell: str, words: tuple[str, ...]) -> bool:
    """Whether ``cell``'s word is one of ``words`` or starts with one."""
    return _head(cell).startswith(words)


@functools.lru_cache(maxsize=8192)
def _keys_of(cell: str, columns: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[str, ...]:
    """The columns whose words ``cell`` matches, in the table's order."""
    head = _head(cell)
    return tuple(key for key, words in columns if head.startswith(words))


def _header_map(line: Line, columns: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(line.cells):
        if cell:
            for key in _keys_of(cell, columns):
                if key not in found:
                    found[key] = index
                    break
    return found


def _is_indicator_header(line: Line) -> bool:
    found = _header_map(line, _COLUMNS)
    return "target" in found and "actual" in found and ("level1" in found or "name" in found)


@functools.lru_cache(maxsize=65_536)
def _is_amount(cell: str) -> bool:
    # Every cell of a line is tried as the weight: a text that is no number
    # raises (and is not cached by parse_amount), so the answer is kept here.
    if not cell:
        return False
    try:
        return parse_amount(cell) is not None
    except PerfrulesError:
        return False


def _plausible(cells: tuple[str, ...], anchor: int) -> bool:
    """Whether reading ``anchor`` as the weight column gives a row: a target
    or actual to its left, and a name cell that is not itself a target."""
    head = [c for c in cells[: anchor - 2] if c]
    if not (cells[anchor - 2] or cells[anchor - 1]):
        return any(_match(c, _BUDGET_NAMES) for c in head)  # the budget row has neither
    if not head:
        return True
    last = head[-1]
    if _GOAL.match(last) or last in LEVEL1 or last in LEVEL2:
        return True
    try:
        return parse_target(last).kind in ("qualitative", "not_applicable")
    except PerfrulesError:
        return False


class _Reader:
    def __init__(self, lines: list[Line], source: str | None, fiscal_year: int | None) -> None:
        self.lines = lines
        self.source = source
        self.meta: dict[str, object] = {"fiscal_year": fiscal_year} if fiscal_year else {}
        self.rows: list[Row] = []
        self.goals: list[Goal] = []
        self.unread: list[str] = []
        self.budget: Row | None = None
        self.carry = {"goal": "", "level1": "", "level2": ""}
        self.notes: list[str] = []

    # ---- the parts of the form ----

    def read(self) -> Sheet:
        index = 0
        columns: dict[str, int] | None = None
        while index < len(self.lines):
            line = self.lines[index]
            filled = line.filled
            if not filled:
                index += 1
                continue
            if _is_indicator_header(line):
                columns = _header_map(line, _COLUMNS)
                if "weight" not in columns and _NO_WEIGHT not in self.notes:
                    self.notes.append(_NO_WEIGHT)
                index += 1
                continue
            if columns is not None:
                if self._total(line) or self._conclusion(line):
                    index += 1
                    continue
                self._indicator(line, columns)
                index += 1
                continue
            if self._metadata(line):
                index += 1
                continue
            budget = _header_map(line, _BUDGET_COLUMNS)
            if "budget" in budget and "spent" in budget:
                index = self._budget_block(index, budget)
                continue
            if any("年度绩效目标" in c for c in filled) and any("实际完成" in c for c in filled):
                index = self._goals(index + 1)
                continue
            self._loose(line)
            index += 1
        return self._sheet()

    def _metadata(self, line: Line) -> bool:
        filled = line.filled
        key = _METADATA.get(filled[0]) if filled else None
        if key == "reported_total" and any(not _is_amount(c) and c not in _GRADE_WORDS for c in filled[1:]):
            return False  # 总分 before a row's cells is no total line
        if key is not None and len(filled) >= 2:
            if key != "ignore":
                self._set_meta(key, filled[1])
            return True
        if key is not None:  # a key with an empty value
            return True
        return False

    def _set_meta(self, key: str, value: str) -> None:
        if key == "fiscal_year":
            found = _YEAR.search(value) or re.fullmatch(r"\d{4}", value)
            if found and "fiscal_year" not in self.meta:
                self.meta["fiscal_year"] = int(found.group(1) if found.groups() else found.group(0))
        elif key == "reported_total":
            try:
                self.meta["reported_total"] = parse_amount(value)
            except PerfrulesError:
                self.notes.append(f"the reported total '{value}' is not a number")
        elif key == "project":
            self.meta.setdefault("title", value)
        else:
            self.meta[key] = value

    def _loose(self, line: Line) -> None:
        """A line outside the blocks: the title, the year, or kept unread."""
        text = " ".join(line.distinct)
        if "自评表" in text and "title" not in self.meta:
            self.meta["title"] = text
            if "整体" in text:
                self.meta.setdefault("kind", "整体")
            elif "项目" in text:
                self.meta.setdefault("kind", "项目")
            year = _YEAR.search(text)
            if year:
                self.meta.setdefault("fiscal_year", int(year.group(1)))
            return
        year = _YEAR.fullmatch(text.strip("()（） "))
        if year:
            self.meta.setdefault("fiscal_year", int(year.group(1)))
            return
        if self._conclusion(line):
            return
        self.unread.append(f"{line.position}: {text}")

    def _budget_block(self, index: int, columns: dict[str, int]) -> int:
        index += 1
        while index < len(self.lines) and not self.lines[index].filled:
            index += 1
        if index >= len(self.lines):
            return index
        line = self.lines[index]

        def at_column(key: str) -> str:
            position = columns.get(key)
            return line.cells[position] if position is not None and position < len(line.cells) else ""

        cell: Callable[[str], str] = at_column

        # A line whose label takes a cell of its own (年度资金总额 | 880 | …)
        # stands one cell off the labels: the amounts are placed where they
        # agree when the columns do not.
        order = sorted(columns, key=columns.__getitem__)
        positional = {f: cell(f) for f in order if cell(f)}
        amounts = [c for c in line.filled if is_amount(c) or is_percent(c)]
        placed, _ = place_budget(order, [amounts], amounts)
        if placed and consistency(placed) > consistency(positional):
            cell = lambda key: placed.get(key, "")  # noqa: E731
        extra = {"年初预算数": cell("initial"), "执行率": cell("rate")}
        # The fund sources (其中：当年财政拨款 …) under the total line, by column.
        while index + 1 < len(self.lines):
            part = self.lines[index + 1]
            source = fund_source("".join(part.filled[:2])) or fund_source(part.filled[0]) if part.filled else None
            if source is None:
                break
            cells = [part.cells[columns[f]] if columns[f] < len(part.cells) else "" for f in order]
            values = [c if is_amount(c) or is_percent(c) else None for c in cells]
            extra.update(source_columns(source, order, values, positional=True))
            index += 1
        note = ""
        following = self.lines[index + 1] if index + 1 < len(self.lines) else None
        if following is not None and not _is_indicator_header(following) and any(
            "偏差原因" in c for c in following.filled
        ):
            texts = [c for c in following.filled if "偏差原因" not in c]
            note = texts[-1] if texts else ""
            index += 1
        self.budget = self._budget_row(
            budget=cell("budget"), spent=cell("spent"), weight=cell("weight"), reported=cell("score"),
            note=note, columns={k: v for k, v in extra.items() if v}, position=line.position,
        )
        return index + 1

    def _budget_row(self, *, budget, spent, weight, reported, note, columns, position) -> Row:
        problems = []

        def amount(text, label):
            try:
                return parse_amount(text)
            except PerfrulesError as error:
                problems.append(f"{label}: {error.message}")
                return None

        return Row(
            kind="budget_execution", name="预算执行率",
            budget=amount(budget, "全年预算数"), spent=amount(spent, "全年执行数"),
            weight=amount(weight, "分值"), reported=amount(reported, "得分"),
            note=note, columns=columns, position=position, problem="; ".join(problems) or None,
        )

    def _goals(self, index: int) -> int:
        while index < len(self.lines):
            line = self.lines[index]
            filled = line.filled
            if _is_indicator_header(line):
                return index
            if filled and not re.fullmatch(r"\d+", filled[0]):
                if any("偏差原因" in c for c in filled):  # the block's own note line
                    index += 1
                    continue
                return index
            if filled:
                self.goals.append(Goal(filled[0], filled[1] if len(filled) > 1 else "",
                                       filled[-1] if len(filled) > 2 else ""))
            index += 1
        return index

    def _total(self, line: Line) -> bool:
        filled = line.filled
        # A total line is the word alone in its cell (总分, 合计：), never an
        # indicator whose name begins with it (总分达标率, 合计完成投资额).
        if not filled or re.sub(r"[\s:：]", "", filled[0]) not in TOTALS:
            return False
        if any(not _is_amount(c) and c not in _GRADE_WORDS for c in filled[1:]):
            return False  # a line with other text is a row, whatever its first cell says
        amounts = [c for c in filled[1:] if _is_amount(c)]
        self.meta["total_line"] = f"{line.position}: {' '.join(line.distinct)}"
        if amounts:
            self.meta["reported_total"] = parse_amount(amounts[-1])
            if len(amounts) > 1:
                self.meta["total_weight"] = parse_amount(amounts[-2])
        return True

    def _conclusion(self, line: Line) -> bool:
        filled = line.filled
        if not filled or not re.sub(r"[\s:：]", "", filled[0]).endswith("结论"):
            return False
        text = re.sub(r"<[^>]+>", "", " ".join(filled[1:])).strip()
        self.meta["conclusion"] = text
        grade = _GRADE.search(text)
        if grade:
            self.meta.setdefault("reported_grade", grade.group(1))
        return True

    # ---- indicator rows ----

    def _anchor(self, cells: tuple[str, ...], columns: dict[str, int]) -> int | None:
        """Where the weight cell is.  Candidates: the header's column (the
        score may be blank), then every pair of amounts from the right; the
        first whose indicator name does not read as a target wins, so a
        line that drifted a cell left or right is still read."""
        candidates = []
        weight, score = columns.get("weight"), columns.get("score")
        if weight is not None and 2 <= weight < len(cells) and _is_amount(cells[weight]):
            score_cell = cells[score] if score is not None and score < len(cells) else ""
            if not score_cell or _is_amount(score_cell):
                candidates.append(weight)
        # Pairs only within the form's columns: an export's computed columns
        # stand to the right of them.
        last = min(len(cells) - 1, max(columns.values(), default=len(cells)) + 1)  # one cell of drift
        candidates += [i for i in range(last - 1, 1, -1) if _is_amount(cells[i]) and _is_amount(cells[i + 1])]
        for index in candidates:
            if _plausible(cells, index):
                return index
        return candidates[0] if candidates else None

    def _indicator(self, line: Line, columns: dict[str, int]) -> None:
        cells = line.cells
        width = max(columns.values(), default=0) + 2
        if len(cells) < width:  # a line that ends early: its last cells are empty
            cells = cells + ("",) * (width - len(cells))
        no_weight = "weight" not in columns
        problem_at = columns.get("problem")
        # An export writes why a row could not be read; it reads back so.
        written = cells[problem_at] if problem_at is not None and problem_at < len(cells) else ""
        anchor = None if no_weight else self._anchor(cells, columns)
        if anchor is None:  # no weight: read the header's columns as they stand
            target_at = columns.get("target")
            if target_at is None or target_at >= len(line.cells) or not any(cells[: target_at + 2]):
                name_at = columns.get("name")
                name = cells[name_at] if written and name_at is not None and name_at < len(cells) else None
                self._unplaced(line, written or "cannot read this line: no weight and score found on it", name)
                return
            anchor = target_at + 2
        weight = cells[anchor] if anchor < len(cells) else ""
        score = cells[anchor + 1] if anchor + 1 < len(cells) else ""
        if no_weight:  # 得分 is never taken for the weight
            weight = ""
            score = cells[columns["score"]] if "score" in columns else ""
        target, actual = cells[anchor - 2], cells[anchor - 1]
        last = max(columns.values(), default=len(cells) - 1)
        note_at = columns.get("note")
        if anchor == columns.get("weight") and note_at is not None:
            note = cells[note_at] if note_at < len(cells) else ""
        else:
            note = next((c for c in cells[anchor + 2 : last + 1] if c), "")
        head = [c for c in cells[: anchor - 2] if c]
        found = {"goal": "", "level1": "", "level2": ""}
        names = []
        name_at = columns.get("name")
        if anchor == columns.get("weight") and name_at is not None and name_at < anchor - 2 and cells[name_at]:
            # The line keeps the header's layout: its name column holds the
            # name, even a name that is also a level word (服务对象满意度).
            names.append(cells[name_at])
            head = [c for c in cells[:name_at] if c]
        for cell in head:
            if _GOAL.match(cell):
                found["goal"] = cell
            elif cell in LEVEL1 and cell not in LEVEL2 and not found["level1"]:
                found["level1"] = cell
            elif cell in LEVEL2 and cell not in LEVEL1:
                found["level2"] = cell
            elif cell in LEVEL1 and cell in LEVEL2:
                # 成本指标 / 满意度指标 name either level.  After a level 1 on
                # the line it is a level 2; 满意度指标 alone is a level 1;
                # 成本指标 alone is a level 2 under 产出指标 (the 2020 form),
                # a level 1 otherwise or when a level 2 follows it (2021 on).
                later = head[head.index(cell) + 1 :]
                if found["level1"]:
                    found["level2"] = cell
                elif cell != "成本指标" or any(c in LEVEL2 and c not in LEVEL1 for c in later):
                    found["level1"] = cell
                elif self.carry["level1"] in ("产出指标", ""):
                    found["level2"] = cell
                else:
                    found["level1"] = cell
            else:
                names.append(cell)
        if len(names) > 1:  # a dash or slash beside a name is an empty cell, not a second name
            names = [n for n in names if not re.fullmatch(r"[-—－/…．.]+", n)] or names
        self._update_carry(found)
        problem = None
        if not (target or actual or weight or score):
            problem = BLANK_ROW
        elif not names:
            problem = "the row has no indicator name"
        elif len(names) > 1:
            problem = f"more than one cell could be the indicator name: {' / '.join(names)}"
        problem = written or problem
        row = Row.read(
            target=target, actual=actual, weight=weight, reported=score,
            name=names[-1] if names else "", goal=self.carry["goal"], level1=self.carry["level1"],
            level2=self.carry["level2"], note=note, position=line.position,
            fiscal_year=self._year(),
        )
        if problem and problem not in (row.problem or ""):
            row = attrs.evolve(row, problem="; ".join(p for p in (problem, row.problem) if p))
        if _match(row.name, _BUDGET_NAMES) or _match(row.level1, _BUDGET_NAMES):
            self._budget_from_table(line, columns, row)
            return
        self.rows.append(row)

    def _budget_from_table(self, line: Line, columns: dict[str, int], row: Row) -> None:
        def cell(key):
            position = columns.get(key)
            return line.cells[position] if position is not None and position < len(line.cells) else ""

        self.budget = self._budget_row(
            budget=cell("budget"), spent=cell("spent"), weight=cell("weight"), reported=cell("score"),
            note=row.note,
            columns={"执行率": cell("rate")} if cell("rate") else {}, position=line.position,
        )

    def _update_carry(self, found: dict[str, str]) -> None:
        if found["goal"] and found["goal"] != self.carry["goal"]:
            self.carry["goal"] = found["goal"]
        if found["level1"]:
            if found["level1"] != self.carry["level1"]:
                self.carry["level2"] = ""
            self.carry["level1"] = found["level1"]
            if not found["level2"]:
                self.carry["level2"] = ""
        if found["level2"]:
            self.carry["level2"] = found["level2"]

    def _unplaced(self, line: Line, problem: str, name: str | None = None) -> None:
        """Keep a line that is no row as a row, unscorable with ``problem``;
        its text becomes the name unless the export wrote one."""
        self.rows.append(
            Row(target=NotApplicable(text=""), actual=ActualEmpty(text=""),
                name=" ".join(line.filled) if name is None else name, goal=self.carry["goal"],
                level1=self.carry["level1"],
                level2=self.carry["level2"], position=line.position, problem=problem,
                fiscal_year=self._year())
        )

    def _year(self) -> int | None:
        year = self.meta.get("fiscal_year")
        return year if isinstance(year, int) else None  # the year is kept as an int, or not at all

    def _text(self, key: str) -> str | None:
        value = self.meta.get(key)
        return value if isinstance(value, str) else None  # kind, grade and total line are kept as text

    def _sheet(self) -> Sheet:
        year = self._year()
        rows = [attrs.evolve(r, fiscal_year=year) if r.fiscal_year != year else r for r in self.rows]
        budget = self.budget
        if budget is not None and budget.fiscal_year != year:
            budget = attrs.evolve(budget, fiscal_year=year)
        reported_total = self.meta.get("reported_total")
        return Sheet(
            rows=rows,
            budget=budget,
            title=str(self.meta.get("title", "")),
            organisation=str(self.meta.get("organisation", "")),
            fiscal_year=year,
            kind=self._text("kind"),
            source=self.source,
            goals=self.goals,
            reported_total=reported_total if isinstance(reported_total, Decimal) else None,
            reported_grade=self._text("reported_grade"),
            conclusion=str(self.meta.get("conclusion", "")),
            unread=self.unread,
            read_notes=self.notes,
            total_line=self._text("total_line"),
        )


def read_form(lines: list[Line], *, source: str | None = None, fiscal_year: int | None = None) -> Sheet:
    """A :class:`~perfrules.records.Sheet` from the grid ``lines``.
    ``fiscal_year`` overrides the year the form states."""
    return _Reader(lines, source, fiscal_year).read()
