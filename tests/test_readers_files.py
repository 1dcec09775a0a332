"""Each format reader on what its format does: spans, number formats,
nested and several tables, pages, encodings; and each failure an error
naming the file."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import forms
from perfrules import PerfrulesError
from perfrules.readers import read_grids, read_sheets
from perfrules.readers.encoding import detect
from perfrules.readers.grid import TEXT


def cells(grid) -> set[tuple[str, int, int, int, int]]:
    return {(c.text, c.row, c.column, c.rowspan, c.colspan) for c in grid.cells if c.text}


# ---- HTML ----


PAGE = """<html><head><meta charset="gb2312"><title>2024年度项目支出绩效自评表</title></head><body>
<div><table><tr><td>首页</td><td>信息公开</td></tr></table></div>
<p>单位：某某局</p><p>2024年度</p>
<table border="1"><caption>项目支出绩效自评表</caption>
<tr><td rowspan="2">产出指标</td><td>数量<br>指标</td><td>x<table><tr><td>inner</td></tr></table></td></tr>
<tr><td colspan="2"><p>分两段</p><div>写的 cell</div></td></tr>
</table><p>附件</p></body></html>"""


def test_html_tables_spans_breaks_nested_tables_and_context(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.encode("gb18030"))  # the page says gb2312; its superset reads it
    nav, form, inner = read_grids(path)
    assert (nav.name, form.name, inner.name) == ("1", "2", "3")
    assert cells(form) == {("产出指标", 0, 0, 2, 1), ("数量指标", 0, 1, 1, 1), ("x", 0, 2, 1, 1),
                           ("分两段写的 cell", 1, 1, 1, 2)}
    assert cells(inner) == {("inner", 0, 0, 1, 1)}  # its own grid, not in the outer cell
    assert form.context == ("2024年度项目支出绩效自评表", "单位：某某局", "2024年度", "项目支出绩效自评表")
    assert form.label == f"{path}#2"
    assert form.lines()[0].position == f"{path}:5"


def test_html_without_meta_charset_is_detected_and_noted(tmp_path):
    path = tmp_path / "page.htm"
    path.write_bytes(PAGE.replace('<meta charset="gb2312">', "").encode("gb18030"))
    grids = read_grids(path)
    assert cells(grids[1]) >= {("产出指标", 0, 0, 2, 1)}
    assert grids[1].notes == ("the file is not UTF-8: read as GB18030 (guessed from its bytes)",)


def test_html_layout_tables_among_a_form_give_only_the_form(tmp_path):
    # The page's navigation table has no indicator rows: the sheets are
    # the form's alone, named by its number on the page.
    path = tmp_path / "p07.html"
    path.write_bytes(forms.html(forms.project("07")))
    assert [s.source for s in read_sheets(path)] == [f"{path}#2"]


def test_html_page_with_no_table_is_read_as_text(tmp_path):
    path = tmp_path / "divs.html"
    path.write_text("<html><head><title>自评表</title></head><body><p>一级指标 三级指标</p>"
                    "<div>产出指标 培训人次</div></body></html>", encoding="utf-8")
    (grid,) = read_grids(path)
    assert grid.layout == TEXT and grid.context == ("自评表",)
    assert [line.cells for line in grid.lines()] == [("一级指标 三级指标",), ("产出指标 培训人次",)]


# ---- Word ----


def two_table_document() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("2024年度项目支出绩效自评表")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "产出指标"  # vMerge
    table.cell(0, 1).merge(table.cell(0, 2)).text = "数量指标"  # gridSpan
    table.cell(1, 1).text = "a"
    table.cell(2, 0).text = "b"
    inner = table.cell(2, 2).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "nested"
    document.add_paragraph("第二个项目")
    second = document.add_table(rows=1, cols=2)
    second.cell(0, 0).text = "c"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_merged_cells_once_nested_tables_apart_and_context(tmp_path):
    path = tmp_path / "two.docx"
    path.write_bytes(two_table_document())
    first, nested, second = read_grids(path)
    assert cells(first) == {("产出指标", 0, 0, 2, 1), ("数量指标", 0, 1, 1, 2), ("a", 1, 1, 1, 1),
                            ("b", 2, 0, 1, 1)}
    assert cells(nested) == {("nested", 0, 0, 1, 1)}
    assert first.context == ("2024年度项目支出绩效自评表",) and second.context == ("第二个项目",)
    assert [g.name for g in (first, nested, second)] == ["1", "2", "3"]
    assert first.lines()[2].position == f"{path}#1:3"


def test_docx_with_two_projects_gives_two_named_sheets(tmp_path):
    import docx

    document = docx.Document()
    for number in ("07", "13"):
        forms.add_docx_table(document, forms.project(number))
    path = tmp_path / "two-projects.docx"
    document.save(path)
    sheets = read_sheets(path)
    assert [s.source for s in sheets] == [f"{path}#1", f"{path}#2"]
    assert [len(s.rows) for s in sheets] == [9, 7]
    assert read_sheets(path, sheet="2")[0].rows[0].name == "野生动物收容所"


# ---- PDF ----


def test_pdf_without_ruling_lines_gives_its_text_lines(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "text.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 10)
    for i, line in enumerate(["项目支出绩效自评表", "产出指标 数量指标 培训人次 ≥10人次 12人次 10 10"]):
        page.drawString(50, 780 - 20 * i, line)
    page.rect(30, 700, 500, 120)  # a frame around the text is one cell, not a table
    page.save()
    (grid,) = read_grids(path)
    assert grid.layout == TEXT
    assert [line.cells for line in grid.lines()] == [("项目支出绩效自评表",),
                                                   ("产出指标 数量指标 培训人次 ≥10人次 12人次 10 10",)]
    assert grid.lines()[1].position == f"{path}:page 1"


def test_a_scanned_pdf_is_an_error_saying_to_ocr_it(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    page = canvas.Canvas(str(path))
    page.rect(50, 50, 400, 600, fill=1)  # an image of a page: no text layer
    page.save()
    with pytest.raises(PerfrulesError, match="scanned PDF with no text: OCR it first") as error:
        read_sheets(path)
    assert str(path) in str(error.value)


def test_pdf_ruled_table_merged_cells_span(tmp_path):
    path = tmp_path / "p13.pdf"
    path.write_bytes(forms.pdf(forms.project("13")))
    (grid,) = read_grids(path)
    found = cells(grid)
    assert ("绩效指标", 6, 0, 8, 1) in found  # rowspan over the header and the 7 rows
    assert ("产出指标", 7, 1, 4, 1) in found
    assert grid.context[0] == "2023年度项目支出绩效自评表"


# ---- Excel ----


def typed_workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "说明"
    notes["A1"] = "填表说明：本表按财政部模板填写"
    sheet = book.create_sheet("项目2")
    values = [
        ("A1", 0.95, "0%"), ("B1", 0.9512, "0.00%"), ("C1", datetime.datetime(2024, 12, 31), "yyyy-mm-dd"),
        ("D1", datetime.datetime(2024, 12, 31), 'yyyy"年"m"月"d"日"'), ("E1", 1234567.891, "#,##0.00"),
        ("F1", 0.1 + 0.2, "General"), ("G1", 204.46, '0.00"平方米"'), ("H1", 10, "General"),
    ]
    for ref, value, fmt in values:
        sheet[ref] = value
        sheet[ref].number_format = fmt
    sheet["A2"] = "=1+1"  # no saved value: openpyxl does not compute
    sheet.merge_cells("A3:C4")
    sheet["A3"] = "merged"
    book.create_sheet("空白")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_cells_read_as_excel_shows_them(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(typed_workbook())
    notes, sheet = read_grids(path)  # the empty worksheet is no grid
    assert (notes.name, sheet.name) == ("说明", "项目2")
    assert sheet.lines()[0].cells == ("95%", "95.12%", "2024-12-31", "2024年12月31日", "1,234,567.89", "0.3",
                                      "204.46平方米", "10")
    assert ("merged", 2, 0, 2, 3) in cells(sheet)
    assert sheet.notes == ("worksheet 项目2: the formula cells A2 have no saved value (open and save the "
                           "workbook in Excel to compute them); they read empty",)
    assert sheet.lines()[1].cells == ()


def test_xlsx_every_sheet_and_the_sheet_option(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(forms.xlsx(forms.project("13"), first_sheet="填表说明：见附件"))
    (sheet,) = read_sheets(path)  # the 说明 sheet has no rows: left out
    assert sheet.source == f"{path}#自评表" and len(sheet.rows) == 7
    assert read_sheets(path, sheet="说明")[0].rows == ()
    with pytest.raises(PerfrulesError, match="no sheet named '项目9'; its sheets are '说明', '自评表'"):
        read_sheets(path, sheet="项目9")


def test_xlsx_cached_formula_values_are_read(tmp_path):
    # A workbook saved by Excel keeps each formula's value beside it.
    path = tmp_path / "cached.xlsx"
    path.write_bytes(forms.xlsx(forms.project("07")))
    import zipfile

    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    xml = xml.replace('<v>10</v>', '<f>5+5</f><v>10</v>', 1)
    assert "<f>5+5</f>" in xml
    out = tmp_path / "formula.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, xml.encode("utf-8") if item.filename == "xl/worksheets/sheet1.xml" else data)
    sheet = read_sheets(out)[0]
    assert sheet.read_notes == read_sheets(path)[0].read_notes
    assert [r.weight for r in sheet.rows] == [r.weight for r in read_sheets(path)[0].rows]


def test_xls_merged_cells_and_number_formats(tmp_path):
    path = tmp_path / "p13.xls"
    path.write_bytes(forms.xls(forms.project("13")))
    (grid,) = read_grids(path)
    assert grid.name == "自评表" or grid.name is None
    found = cells(grid)
    assert ("产出指标", 10, 1, 4, 1) in found
    assert ("2023年10月", 12, 5, 1, 1) in found  # a date cell shown as its format writes it
    assert ("97.80%", 6, 6, 1, 1) in found  # a percent cell, its two decimals kept


@pytest.mark.parametrize(("ending", "data", "message"), [
    (".xlsx", b"PK\x03\x04 broken", "not a readable .xlsx workbook"),
    (".xls", b"not a workbook at all", "not a readable .xls workbook"),
    (".docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old word", "it is an old Word .doc file: save it as .docx"),
    (".docx", b"garbage", "not a readable .docx document"),
    (".pdf", b"%PDF-1.4 garbage", "not a readable PDF"),
    (".html", b"   ", "the page is empty"),
    (".txt", b"\xff\xfe\x00\xd8", "is not UTF-16 text"),
])
def test_unreadable_files_are_errors_naming_the_file(tmp_path, ending, data, message):
    path = tmp_path / f"bad{ending}"
    path.write_bytes(data)
    with pytest.raises(PerfrulesError, match=message) as error:
        read_sheets(path)
    assert str(path) in str(error.value)


@pytest.mark.parametrize(("ending", "writer", "what"), [
    (".xls", forms.xlsx, "an .xlsx workbook"),
    (".xls", forms.html, "a web page"),  # what budget systems export as "Excel"
    (".xlsx", forms.xls, "an Excel 97-2003 workbook"),
    (".html", forms.docx, "a Word document"),
])
def test_a_file_under_another_ending_is_read_as_what_it_is(tmp_path, ending, writer, what):
    path = tmp_path / f"p13{ending}"
    path.write_bytes(writer(forms.project("13")))
    (sheet,) = read_sheets(path)
    assert len(sheet.rows) == 7
    assert f"the file is {what} saved with a {ending} ending: read as one" in sheet.read_notes


# ---- encodings ----


TABLE = "一级指标\t三级指标\t年度指标值\n产出指标\t培训人次\t≥10人次\n"


@pytest.mark.parametrize(("data", "encoding", "note"), [
    (TABLE.encode("utf-8"), "utf-8", None),
    (TABLE.encode("utf-8-sig"), "utf-8", None),
    (TABLE.encode("utf-16"), "utf-16", None),
    (b"\xfe\xff" + TABLE.encode("utf-16-be"), "utf-16", None),
    (TABLE.encode("utf-16-le"), "utf-16-le", "the file is not UTF-8: read as UTF-16-LE (guessed from its bytes)"),
    (TABLE.encode("utf-16-be"), "utf-16-be", "the file is not UTF-8: read as UTF-16-BE (guessed from its bytes)"),
    (TABLE.encode("gb18030"), "gb18030", "the file is not UTF-8: read as GB18030 (guessed from its bytes)"),
])
def test_encodings(data, encoding, note):
    decoded = detect(data)
    assert (decoded.text.lstrip("\ufeff"), decoded.encoding, decoded.note) == (TABLE, encoding, note)


def test_big5_is_not_read_as_gb18030(tmp_path):
    text = forms.TIANJIN.read_text(encoding="utf-8")
    traditional = "項目支出績效自評表\n" + "\n".join(
        f"產出指標\t數量指標\t培訓項目{i}\t≧10項\t12項\t1\t1" for i in range(5))
    path = tmp_path / "big5.txt"
    path.write_bytes(traditional.encode("big5"))
    (grid,) = read_grids(path)
    assert grid.lines()[1].cells[:2] == ("產出指標", "數量指標")
    assert grid.notes == ("the file is not UTF-8: read as Big5 (guessed from its bytes)",)
    assert text  # the seed reads as UTF-8 with no note
    assert read_grids(forms.TIANJIN)[0].notes == ()


def test_a_utf16_table_scores_as_the_utf8_one(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes(forms.TIANJIN.read_text(encoding="utf-8").encode("utf-16"))
    sheet, seed = read_sheets(path)[0], read_sheets(forms.TIANJIN)[0]
    assert [(r.name, r.target, r.actual, r.weight, r.reported) for r in sheet.rows] == [
        (r.name, r.target, r.actual, r.weight, r.reported) for r in seed.rows]
    assert sheet.reported_total == seed.reported_total == Decimal("93.95")


# ---- any bytes: grids or our own error ----

ENDINGS = [".txt", ".csv", ".html", ".docx", ".pdf", ".xls", ".xlsx"]
HEADS = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<table><tr><td>",
         b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ending=st.sampled_from(ENDINGS), head=st.sampled_from(HEADS), body=st.binary(max_size=300))
def test_any_bytes_give_grids_or_an_error_naming_the_file(tmp_path, ending, head, body):
    path = tmp_path / f"any{ending}"
    path.write_bytes(head + body)
    try:
        grids = read_grids(path)
    except PerfrulesError as error:
        assert str(path) in str(error)
    else:
        assert all(grid.source == str(path) for grid in grids)


def test_tables_with_nothing_between_them_read_as_one(tmp_path):
    # A form cut in two (its header block and its indicator block), as
    # Word documents and web pages often hold it.
    import docx

    form = forms.project("13")
    document = docx.Document()
    for line in form.title:
        document.add_paragraph(line)
    cut = 6  # the 绩效指标 header starts the second table
    for part in (form.rows[:cut], form.rows[cut:]):
        table = document.add_table(rows=len(part), cols=form.width)
        for r, row in enumerate(part):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        document.add_paragraph("")
    path = tmp_path / "cut.docx"
    document.save(path)
    (grid,) = read_grids(path)
    assert grid.height == len(form.rows)
    assert grid.lines()[cut].position == f"{path}#1:{cut + 1}"
    (sheet,) = read_sheets(path)
    assert len(sheet.rows) == 7 and sheet.budget.spent == Decimal("31.69")

    page = forms.html(form).decode("utf-8")
    rows = page.split("<tr>")
    page = "<tr>".join(rows[:cut + 1]) + '</table>\n  <table border="1">' + "<tr>" + "<tr>".join(rows[cut + 1:])
    path = tmp_path / "cut.html"
    path.write_text(page, encoding="utf-8")
    nav, grid = read_grids(path)
    assert grid.height == len(form.rows)
    assert len(read_sheets(path)[0].rows) == 7


def test_a_scanned_page_among_text_pages_is_noted(tmp_path):
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "mixed.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 10)
    page.drawString(50, 780, "项目支出绩效自评表")
    page.showPage()
    png = tmp_path / "scan.png"
    # A 1×1 grey PNG: a page that is only an image.
    png.write_bytes(bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
        "3a7e9b550000000a49444154789c63680000008200814d1b18a50000000049454e44ae426082"))
    page.drawImage(ImageReader(str(png)), 50, 50, 400, 600)
    page.showPage()
    page.save()
    (grid,) = read_grids(path)
    assert grid.notes == ("page 2 of the PDF is an image with no text (scanned): not read",)


def test_sheet_of_a_file_with_one_unnamed_table(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(forms.twin(forms.project("13")))
    with pytest.raises(PerfrulesError, match="no sheet named '2': the file holds one table, with no name"):
        read_sheets(path, sheet="2")


WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312"><title>自评表</title></head>
<body lang=ZH-CN><div class=WordSection1><p class=MsoNormal align=center><b><span>项目支出绩效自评表<o:p></o:p>
</span></b></p><table class=MsoNormalTable border=1 cellspacing=0><tr><td rowspan=2 width=80><p class=MsoNormal>
<span>产出<br>指标<o:p></o:p></span></p></td><td>数量指标&nbsp;</td><td>≥10人次</td>
<tr><td>质量指标<td>100%</td></tr>
<![if !supportMisalignedColumns]><tr height=0><td width=64 style='border:none'></td></tr><![endif]>
</table></div></body></html>"""


def test_a_page_word_saved_as_html_with_unclosed_cells(tmp_path):
    path = tmp_path / "word.htm"
    path.write_bytes(WORD_HTML.encode("gb18030"))
    (grid,) = read_grids(path)
    assert [line.cells for line in grid.lines()] == [("产出指标", "数量指标", "≥10人次"),
                                                   ("产出指标", "质量指标", "100%"), ()]
    assert grid.context == ("自评表", "项目支出绩效自评表")


def _pdf_of_pages(path, forms_and_titles):
    """A PDF with each form on a page of its own, with or without its
    title lines above the table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK")
    story = []
    for form, titled in forms_and_titles:
        if story:
            story.append(PageBreak())
        if titled:
            story += [Paragraph(line, style) for line in form.title]
        covered = form.covered()
        table = Table([[Paragraph(t, style) if (r, c) not in covered and t else "" for c, t in enumerate(row)]
                       for r, row in enumerate(form.rows)], colWidths=[70] * form.width)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
                                  + [("SPAN", (c, r), (c + cs - 1, r + rs - 1))
                                     for (r, c), (rs, cs) in form.spans.items()]))
        story.append(table)
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(story)


@pytest.mark.parametrize("titled", [True, False], ids=["titles-above", "no-titles"])
def test_pdf_forms_on_pages_of_their_own_are_not_one_table(tmp_path, titled):
    # Two projects of the same template, a page each: the second is not the
    # first one's continuation, with or without a title above it.
    path = tmp_path / "two.pdf"
    _pdf_of_pages(path, [(forms.project("07"), titled), (forms.project("13"), titled)])
    sheets = read_sheets(path)
    assert [s.source for s in sheets] == [f"{path}#1", f"{path}#2"]
    assert [len(s.rows) for s in sheets] == [9, 7]


def test_docx_cells_inside_content_controls(tmp_path):
    # Forms made from templates wrap cells in content controls (w:sdt).
    import copy

    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "产出指标"
    table.cell(0, 1).text = "≥10人次"
    tc = table.rows[0]._tr.findall(qn("w:tc"))[1]
    sdt = copy.deepcopy(tc).makeelement(qn("w:sdt"), {})
    content = sdt.makeelement(qn("w:sdtContent"), {})
    sdt.append(content)
    tc.addprevious(sdt)
    content.append(tc)
    path = tmp_path / "sdt.docx"
    document.save(path)
    (grid,) = read_grids(path)
    assert grid.lines()[0].cells == ("产出指标", "≥10人次")


def test_a_library_failing_inside_a_file_is_our_error(tmp_path, monkeypatch):
    def broken(data, name):
        raise KeyError("rId7")  # as python-docx does for a dangling relationship

    monkeypatch.setattr("perfrules.readers.docx.docx_grids", broken)
    path = tmp_path / "odd.docx"
    path.write_bytes(forms.docx(forms.project("13")))
    with pytest.raises(PerfrulesError) as error:
        read_sheets(path)
    assert str(error.value) == f"{path}: cannot read the file as a Word document: KeyError: 'rId7'"


def test_pdf_bold_by_overprinting_reads_each_character_once(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "bold.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 12)
    for dx in (0, 0.3):  # what some converters do for bold
        page.drawString(50 + dx, 780, "项目支出绩效自评表")
    page.save()
    (grid,) = read_grids(path)
    assert grid.lines()[0].cells == ("项目支出绩效自评表",)
