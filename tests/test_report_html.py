"""The HTML report (issue 17): Chinese by default, English on request,
every differing row's trace in the page, a print stylesheet, a chart
with axis, scale and values, nothing fetched; and the single-table XLSX
with numbers as numbers."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

import perfrules
from perfrules.numbers import format_decimal
from perfrules.report import render
from perfrules.report.chart import nice_ticks
from perfrules.report.html import render_html

SEED = Path(__file__).resolve().parents[1] / "examples" / "tianjin-kjj-2024-zhengti.txt"


@pytest.fixture(scope="module")
def scored():
    return perfrules.score(SEED)


def _text(element) -> str:
    return " ".join(element.text_content().split())


def test_differing_rows_show_trace_and_reason_in_the_page(scored):
    page = lxml_html.fromstring(render_html(scored))
    assert not page.xpath("//tr[@title]")  # nothing hidden in a tooltip
    for entry in scored.differs():
        row = page.xpath(f'//tr[@id="row-{entry.index}"]')[0]
        trace = row.getnext()
        assert "trace" in trace.get("class")
        shown = _text(trace)
        for step in entry.result.trace:
            assert " ".join(f"{step.label}: {step.value}".split()) in shown
        assert not trace.xpath(".//details")  # open, so it prints


def test_page_is_chinese_by_default_and_english_on_request(scored):
    zh = lxml_html.fromstring(render_html(scored))
    heads = [_text(th) for th in zh.xpath("//table[@class='rows']//th")]
    assert heads[:5] == ["#", "绩效目标", "一级指标", "二级指标", "三级指标"]
    body = _text(zh.xpath("//body")[0])
    # Headings, column names and statuses are Chinese; no English word of the old page is left.
    for element in zh.xpath("//h1 | //h2 | //table[@class='rows']//th | //table[@class='totals']//td[1]"):
        assert not re.search(r"[A-Za-z]{2,}", _text(element)), _text(element)
    statuses = {_text(tr.xpath("td")[11]) for tr in zh.xpath("//table[@class='rows']/tbody/tr[not(@class='trace')]")}
    assert statuses <= {"一致", "在裁量范围内", "不符", "未自评", "无法评分", "不适用"} and "不符" in statuses
    assert "审核发现" in body and "在裁量范围内" in body and "不符" in body
    findings = [_text(li) for li in zh.xpath("//ul[@class='findings']/li")]
    assert len(findings) == len(scored.findings)
    assert any(f.startswith("警告 · 疑似小数点错误 (likely_slip)") for f in findings)
    en = lxml_html.fromstring(render_html(scored, "en"))
    assert [_text(th) for th in en.xpath("//table[@class='rows']//th")][4] == "indicator"
    assert en.get("lang") == "en" and zh.get("lang") == "zh-CN"
    assert "Findings" in _text(en.xpath("//body")[0])


def test_print_stylesheet_and_wide_columns(scored):
    page = render_html(scored)
    assert "@media print" in page and "@page" in page and "thead{display:table-header-group}" in page
    assert ".w-goal{min-width:" in page and ".w-name{min-width:" in page
    assert "<script" not in page.lower()


def test_chart_has_axis_ticks_and_values(scored):
    page = lxml_html.fromstring(render_html(scored).encode("utf-8"))
    svg = page.xpath("//svg")[0]
    texts = [t.text for t in svg.iter("text") if t.text]
    goals = {}
    for entry in scored.rows:
        sums = goals.setdefault(entry.row.goal, [Decimal(0), Decimal(0)])
        sums[0] += entry.row.reported or 0
        sums[1] += entry.result.score or 0
    for reported, computed in goals.values():  # every bar's value is written
        assert format_decimal(reported) in texts
        assert format_decimal(computed) in texts
    assert {"0", "5", "10", "15", "20"} <= set(texts) and "分" in texts  # the scale and its unit
    assert len(svg.xpath(".//line")) >= 7  # gridlines and the two axes


@settings(deadline=None)
@given(st.decimals(min_value=0, max_value=10_000, places=2))
def test_ticks_cover_the_largest_value_at_a_round_step(top):
    ticks = nice_ticks(top)
    assert ticks[0] == 0 and ticks[-1] >= top and 2 <= len(ticks) <= 7
    steps = {b - a for a, b in zip(ticks, ticks[1:])}
    assert len(steps) == 1
    step = steps.pop()
    assert step.normalize().as_tuple().digits[0] in (1, 2, 5) and len(step.normalize().as_tuple().digits) == 1


def test_single_table_xlsx_holds_numbers(scored):
    book = openpyxl.load_workbook(io.BytesIO(render(scored, "xlsx")))
    sheet = book["自评表"]
    rows = [[c for c in row] for row in sheet.iter_rows()]
    total = next(r for r in rows if r[0].value == "computed_total")[1]
    assert total.data_type == "n" and total.value == pytest.approx(95.36) and total.number_format == "0.00"
    head_at = next(i for i, r in enumerate(rows) if r[0].value == "绩效目标")
    head = [c.value for c in rows[head_at]]
    budget = rows[head_at + 1]
    rate = budget[head.index("执行率")]
    assert rate.data_type == "n" and rate.number_format == "0.0%" and rate.value == pytest.approx(0.965)  # as written
    for row in rows[head_at + 1:]:
        for name in ("分值", "计算得分"):
            cell = row[head.index(name)]
            assert cell.value is None or cell.data_type == "n", (name, cell.value)


def test_single_table_xlsx_reads_back_the_same(scored, tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(render(scored, "xlsx"))
    again = perfrules.score(perfrules.read_sheet(path))
    assert again.total == scored.total and again.reported_total == scored.reported_total
    assert [r.result.score for r in again.rows] == [r.result.score for r in scored.rows]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_findings_are_in_the_grid_and_it_still_reads_back(scored, tmp_path, fmt):
    path = tmp_path / f"t.{fmt}"
    path.write_bytes(render(scored, fmt))
    if fmt == "csv":
        lines = [line for line in path.read_text(encoding="utf-8-sig").splitlines() if line.startswith("finding,")]
        assert len(lines) == len(scored.findings)
        assert all(f.code in line and f.severity in line for f, line in zip(scored.findings, lines))
    again = perfrules.score(perfrules.read_sheet(path))
    assert not again.sheet.unread and not again.sheet.read_notes
    assert [str(f) for f in again.findings] == [str(f) for f in scored.findings]


def test_score_writes_the_page_in_english_on_request(tmp_path):
    from perfrules import cli

    out = tmp_path / "en.html"
    assert cli.main(["score", str(SEED), "--format", "html", "--lang", "en", "-o", str(out)]) == 0
    page = lxml_html.fromstring(out.read_bytes())
    assert page.get("lang") == "en" and [_text(h) for h in page.xpath("//h2")][1] == "Findings"
