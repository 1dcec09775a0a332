"""Self-evaluation forms written out as the files tables are published in.

A :class:`Form` is a table as a person sees it: title lines above it, rows
of cell texts, and merged cells (``spans``: (row, column) → (rowspan,
colspan)).  The writers put it in a web page, a Word document, a PDF
(reportlab's built-in CJK font STSong-Light: no system font needed), an
old Excel .xls (xlwt) and an .xlsx (openpyxl); in the workbooks numbers,
percents and dates are typed cells with the number format that shows the
text (``0.95`` formatted ``0%`` shows 95%).  :func:`twin` is the same form
as CSV, merged cells written once: what the file must score as.

The forms: the bundled Tianjin department table (its own tab-separated
text, level cells merged down), and two project tables of the dev set in
the national template (07, 13), one with a one-row header and one with
分值 before a target split into 指标性质 | 指标值 | 度量单位 under a
two-row header.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "dev"
TIANJIN = ROOT / "examples" / "tianjin-kjj-2024-zhengti.txt"


@attrs.frozen
class Form:
    name: str
    title: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    spans: dict = attrs.field(factory=dict, hash=False)

    @property
    def width(self) -> int:
        return max(len(r) for r in self.rows)

    def covered(self) -> set[tuple[int, int]]:
        return {(r + dr, c + dc) for (r, c), (rs, cs) in self.spans.items()
                for dr in range(rs) for dc in range(cs) if (dr, dc) != (0, 0)}

    def cell(self, r: int, c: int) -> str:
        row = self.rows[r]
        return row[c] if c < len(row) else ""


# ---- the forms ----------------------------------------------------------


def _merge_down(rows: list[list[str]], first: int, last: int, columns, spans: dict) -> None:
    """Blank cells of ``columns`` in rows first..last join the filled cell
    above them: the form's merged 一级/二级 (and goal) cells."""
    for c in columns:
        start = None
        for r in range(first, last + 1):
            text = rows[r][c] if c < len(rows[r]) else ""
            if text:
                start = r
            elif start is not None:
                rs, cs = spans.get((start, c), (1, 1))
                spans[(start, c)] = (rs + 1, cs)


def _merge_right(rows: list[list[str]], r: int, width: int, spans: dict) -> None:
    """The last filled cell of row ``r`` spans to the table's edge."""
    row = rows[r]
    filled = [c for c, t in enumerate(row) if t]
    if filled and filled[-1] < width - 1:
        spans[(r, filled[-1])] = (1, width - filled[-1])


def tianjin() -> Form:
    lines = TIANJIN.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if "\t" in line)
    title = tuple(line.strip() for line in lines[:first] if line.strip())
    rows = [line.split("\t") for line in lines[first:] if line.strip()]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    head = next(i for i, r in enumerate(rows) if r[1] == "一级指标")
    end = next((i for i in range(head + 1, len(rows)) if rows[i][0] and not rows[i][0].startswith("绩效目标")),
               len(rows))
    spans: dict = {}
    _merge_down(rows, head + 1, end - 1, (0, 1, 2), spans)
    return Form("tianjin", title, tuple(map(tuple, rows)), spans)


def _dev_rows(number: str) -> list[dict]:
    with open(DEV / "rows.csv", encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["file"].startswith(number + "_")]


def _dev_block(number: str) -> dict:
    with open(DEV / "blocks.csv", encoding="utf-8") as handle:
        return next(r for r in csv.DictReader(handle) if r["file"].startswith(number + "_"))


PROJECTS = {
    "07": dict(year=2022, project="义务教育营养改善计划专项资金", department="永德县教育体育局",
               unit="永德县明朗中学", money="项目资金（元）", rate="100%",
               goal=("保障学生营养改善计划顺利实施", "学生营养改善计划顺利实施")),
    "13": dict(year=2023, project="2023年马鹿坑国有林场新建野生动物收容所建设项目",
               department="临沧市临翔区林业和草原局", unit="临沧市临翔区林业和草原局", money="项目资金（万元）",
               rate="97.80%", goal=("新建野生动物收容所1间200平方米，钢结构圈养围栏120米",
                                    "完成野生动物收容所1间200平方米，钢结构圈养围栏120米")),
}
_SPLIT = re.compile(r"^([≥≤≧≦><=＝═]?)(\d+(?:\.\d+)?)(\D*)$")


def project(number: str, *, split: bool = False) -> Form:
    """Dev table ``number`` in the national project template.  ``split``:
    分值 before the target, the target split into 指标性质 | 指标值 | 度量
    单位 under a two-row header."""
    info, block, indicators = PROJECTS[number], _dev_block(number), _dev_rows(number)
    width = 11 if split else 9
    rows: list[list[str]] = []
    spans: dict = {}

    def add(*cells: str) -> int:
        rows.append(list(cells) + [""] * (width - len(cells)))
        return len(rows) - 1

    add("项目名称", info["project"])
    _merge_right(rows, 0, width, spans)
    r = add("主管部门", info["department"], "", "实施单位", info["unit"])
    spans[(r, 1)] = (1, 2)
    spans[(r, 4)] = (1, width - 4)
    money = add(info["money"], "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    add("", "年度资金总额", block["budget_initial"], block["budget_full_year"], block["executed"],
        block["budget_weight"], info["rate"], block["budget_score"])
    spans[(money, 0)] = (2, 1)
    goal = add("年度总体目标", "预期目标", "", "", "", "实际完成情况")
    spans[(goal, 1)] = (1, 4)
    spans[(goal, 5)] = (1, width - 5)
    r = add("", info["goal"][0], "", "", "", info["goal"][1])
    spans[(goal, 0)] = (2, 1)
    spans[(r, 1)] = (1, 4)
    spans[(r, 5)] = (1, width - 5)
    if split:
        head = add("绩效指标", "一级指标", "二级指标", "三级指标", "分值", "年度指标值", "", "", "实际完成值", "得分",
                   "偏差原因分析及改进措施")
        add("", "", "", "", "", "指标性质", "指标值", "度量单位")
        for c in (1, 2, 3, 4, 8, 9, 10):
            spans[(head, c)] = (2, 1)
        spans[(head, 5)] = (1, 3)
    else:
        head = add("绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                   "偏差原因分析及改进措施")
    first = len(rows)
    previous = ("", "")
    for row in indicators:
        level1 = row["level1"] if row["level1"] != previous[0] else ""
        level2 = row["level2"] if (row["level1"], row["level2"]) != previous else ""
        previous = (row["level1"], row["level2"])
        if split:
            match = _SPLIT.match(row["target_text"])
            op, value, unit = match.groups() if match else ("", row["target_text"], "")
            add("", level1, level2, row["name"], row["weight"], op, value, unit, row["actual_text"], row["score"],
                "无")
        else:
            add("", level1, level2, row["name"], row["target_text"], row["actual_text"], row["weight"],
                row["score"], "无")
    last = len(rows) - 1
    spans[(head, 0)] = (last - head + 1, 1)
    _merge_down(rows, first, last, (1, 2), spans)
    if block["reported_total"]:
        weight_column, score_column = (4, 9) if split else (6, 7)
        r = add(*(["总分"] + [""] * (width - 1)))
        rows[r][weight_column] = "100"
        rows[r][score_column] = block["reported_total"]
        spans[(r, 0)] = (1, weight_column)
    title = (f"{info['year']}年度项目支出绩效自评表", f"（{info['year']}年度）", f"单位：{info['unit']}")
    return Form(f"p{number}{'-split' if split else ''}", title, tuple(map(tuple, rows)), spans)


def expected_rows(number: str) -> list[tuple[str, str, str, str, Decimal, Decimal]]:
    """Dev table ``number``'s rows as labelled by hand: level1, level2,
    name, target, actual, weight and score."""
    return [(r["level1"], r["level2"], r["name"], r["target_text"], r["actual_text"], Decimal(r["weight"]),
             Decimal(r["score"])) for r in _dev_rows(number)]


def expected_block(number: str) -> dict:
    return _dev_block(number)


FORMS = {
    "tianjin": tianjin,
    "p07": lambda: project("07"),
    "p13": lambda: project("13"),
    "p07-split": lambda: project("07", split=True),
    "p13-split": lambda: project("13", split=True),
}


# ---- typed spreadsheet cells ---------------------------------------------

_PERCENT = re.compile(r"^(\d+)(?:\.(\d+))?%$")
_NUMBER = re.compile(r"^-?\d+(?:\.(\d+))?$")
_MONTH = re.compile(r"^(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?$")


def typed(text: str):
    """The value and number format a spreadsheet would hold for ``text``
    (a number, a percent, a date), or None for text.  Checked: the format
    shows exactly ``text``."""
    from perfrules.readers._numfmt import shown

    found = None
    if match := _PERCENT.match(text):
        places = len(match.group(2) or "")
        found = (float(Decimal(text[:-1]) / 100), "0%" if not places else "0." + "0" * places + "%")
    elif match := _NUMBER.match(text):
        places = len(match.group(1) or "")
        found = (float(text) if places else int(text), "General" if not places else "0." + "0" * places)
    elif match := _MONTH.match(text):
        year, month, day = match.groups()
        found = (datetime.datetime(int(year), int(month), int(day or 1)),
                 'yyyy"年"m"月"' + ('d"日"' if day else ""))
    if found is not None and shown(*found) != text:
        return None
    return found


# ---- writers -------------------------------------------------------------


def twin(form: Form) -> bytes:
    """The form as CSV (UTF-8): title lines, then the rows, a merged
    cell's text in its first place only."""
    out = io.StringIO()
    writer = csv.writer(out)
    for line in form.title:
        writer.writerow([line])
    covered = form.covered()
    for r, row in enumerate(form.rows):
        writer.writerow(["" if (r, c) in covered else text for c, text in enumerate(row)])
    return out.getvalue().encode("utf-8")


def html(form: Form, *, encoding: str = "utf-8", meta: bool = True) -> bytes:
    from html import escape

    covered = form.covered()
    out = ["<!DOCTYPE html>", "<html><head>"]
    if meta:
        out.append(f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">')
    out.append(f"<title>{escape(form.title[0])}</title></head><body>")
    out.append('<div class="nav"><table><tr><td><a href="/">首页</a></td><td>信息公开</td></tr></table></div>')
    out += [f"<p>{escape(line)}</p>" for line in form.title]
    out.append('<table border="1" cellspacing="0">')
    for r, row in enumerate(form.rows):
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            rs, cs = form.spans.get((r, c), (1, 1))
            attributes = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            # Long names wrap in a cell; a <br> there is not a new row.
            body = escape(text).replace("（京津冀协同创新工作）", "<br>（京津冀协同创新工作）")
            cells.append(f"<td{attributes}><p>{body}</p></td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table><p>附件：无</p></body></html>")
    return "\n".join(out).encode(encoding)


def add_docx_table(document, form: Form):
    """The form's title as paragraphs, then the form as a Word table
    (merged cells merged) in ``document``; returns the table."""
    for line in form.title:
        document.add_paragraph(line)
    table = document.add_table(rows=len(form.rows), cols=form.width)
    for (r, c), (rs, cs) in form.spans.items():
        table.cell(r, c).merge(table.cell(r + rs - 1, c + cs - 1))
    covered = form.covered()
    for r, row in enumerate(form.rows):
        for c, text in enumerate(row):
            if (r, c) not in covered and text:
                table.cell(r, c).text = text
    return table


def docx(form: Form) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    add_docx_table(document, form).style = "Table Grid"
    document.add_paragraph("填报人：张三")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf(form: Form) -> bytes:
    """The form drawn as a ruled table (it runs on over pages when long)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK")
    covered = form.covered()
    data = [[Paragraph(text, style) if (r, c) not in covered and text else "" for c, text in enumerate(row)]
            for r, row in enumerate(form.rows)]
    page = landscape(A4)
    widths = [(page[0] - 60) / form.width] * form.width
    table = Table(data, colWidths=widths, repeatRows=0)
    commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    commands += [("SPAN", (c, r), (c + cs - 1, r + rs - 1)) for (r, c), (rs, cs) in form.spans.items()]
    table.setStyle(TableStyle(commands))
    title = ParagraphStyle("title", fontName="STSong-Light", fontSize=12, leading=16)
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=page, leftMargin=30, rightMargin=30, topMargin=30,
                      bottomMargin=30).build([Paragraph(line, title) for line in form.title] + [table])
    return out.getvalue()


def xlsx(form: Form, *, first_sheet: str | None = None, sheet_name: str = "自评表") -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    if first_sheet:
        sheet.title = "说明"
        sheet["A1"] = first_sheet
        sheet = book.create_sheet(sheet_name)
    else:
        sheet.title = sheet_name
    _fill_xlsx(sheet, form)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill_xlsx(sheet, form: Form) -> None:
    offset = len(form.title)
    for r, line in enumerate(form.title):
        sheet.cell(r + 1, 1, line)
        sheet.merge_cells(start_row=r + 1, start_column=1, end_row=r + 1, end_column=form.width)
    covered = form.covered()
    for r, row in enumerate(form.rows):
        for c, text in enumerate(row):
            if (r, c) in covered or not text:
                continue
            cell = sheet.cell(offset + r + 1, c + 1)
            value = typed(text)
            if value is None:
                cell.value = text
                cell.data_type = "s"  # "=100%" is a target, not a formula
            else:
                cell.value, cell.number_format = value
    for (r, c), (rs, cs) in form.spans.items():
        sheet.merge_cells(start_row=offset + r + 1, start_column=c + 1, end_row=offset + r + rs,
                          end_column=c + cs)


def xls(form: Form) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("自评表")
    offset = len(form.title)
    plain = xlwt.XFStyle()
    for r, line in enumerate(form.title):
        sheet.write_merge(r, r, 0, form.width - 1, line, plain)
    covered = form.covered()
    styles: dict[str, xlwt.XFStyle] = {}
    for r, row in enumerate(form.rows):
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            value = typed(text) if text else None
            if value is None:
                content, style = text, plain
            else:
                content, fmt = value
                if fmt not in styles:
                    styles[fmt] = xlwt.easyxf(num_format_str=fmt)
                style = styles[fmt]
            rs, cs = form.spans.get((r, c), (1, 1))
            if rs > 1 or cs > 1:
                sheet.write_merge(offset + r, offset + r + rs - 1, c, c + cs - 1, content, style)
            else:
                sheet.write(offset + r, c, content, style)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WRITERS = {"html": html, "docx": docx, "pdf": pdf, "xls": xls, "xlsx": xlsx}


# ---- columns the form does not name ---------------------------------------


def with_columns(form: Form, columns: dict[str, list[str]]) -> Form:
    """``form`` with more columns at its right edge: each header ``name``
    (on every header line) above the cells ``columns[name]`` of the lines
    below the first header, one per line that is not a header, in order.  Cells merged to the old edge reach the new one."""
    rows = [list(r) for r in form.rows]
    head = next(i for i, r in enumerate(rows) if "三级指标" in r)
    count = len(next(iter(columns.values())))
    width = form.width
    spans = {}
    for (r, c), (rs, cs) in form.spans.items():
        # A cell reaching the old edge (a title, a goal) spans the new one;
        # the goal column beside the rows spans them all the same.
        spans[(r, c)] = (rs, cs + len(columns) if c + cs == width and r < head else cs)
    # A two-line header (a split target's 指标性质 | 指标值 | 度量单位) has
    # the extra headers merged down over both lines.
    first = head + (2 if "指标性质" in rows[head + 1] else 1)
    if first == head + 2:
        for c in range(width, width + len(columns)):
            spans[(head, c)] = (2, 1)
    index = 0
    for r, row in enumerate(rows):
        row += [""] * (width - len(row))
        if "三级指标" in row and r >= head:  # the header, repeated before each goal's rows
            row += list(columns)
        elif r >= first and index < count:
            row += [values[index] for values in columns.values()]
            index += 1
        else:
            row += [""] * len(columns)
    return Form(form.name + "-columns", form.title, tuple(map(tuple, rows)), spans)


def tab_text(form: Form) -> bytes:
    """The form as tab-separated text (what a converter exports from a
    Word table), a merged cell's text in its first place only."""
    covered = form.covered()
    lines = list(form.title)
    for r, row in enumerate(form.rows):
        lines.append("\t".join("" if (r, c) in covered else text for c, text in enumerate(row)))
    return ("\n".join(lines) + "\n").encode("utf-8")


#: Every writer of a form with its file ending: the published formats,
#: CSV and tab-separated text.
ALL_WRITERS = {**WRITERS, "csv": twin, "txt": tab_text}


def with_sources(form: Form, sources: list[tuple[str, str, str, str]]) -> Form:
    """``form`` (a project form) with fund-source lines under its
    年度资金总额 line: (label, 年初预算数, 全年预算数, 全年执行数), "—" in the
    other budget columns; the block's label cell spans them too."""
    rows = [list(r) for r in form.rows]
    total = next(i for i, r in enumerate(rows) if "年度资金总额" in r)
    width = form.width
    added = [["", label, initial, budget, spent, "—", "—", "—"] + [""] * (width - 8)
             for label, initial, budget, spent in sources]
    rows[total + 1:total + 1] = added
    spans = {}
    for (r, c), (rs, cs) in form.spans.items():
        if r == total - 1 and c == 0:  # 项目资金 beside the block's lines
            rs += len(added)
        spans[(r + len(added) if r > total else r, c)] = (rs, cs)
    return Form(form.name + "-sources", form.title, tuple(map(tuple, rows)), spans)
