"""The formats tables are published in: web pages, Word, PDF, old and new
Excel.  Each form of tests/forms.py (the Tianjin department table, dev
tables 07 and 13 in the national template, one variant with 分值 first and
a split target) is written in each format; every file must read with all
its rows right and score exactly as its text twin."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import forms
from perfrules import score
from perfrules.readers import read_sheets

GOLDEN = forms.ROOT / "tests" / "golden" / "tables" / "tianjin-kjj-2024.scored.json"
FORMATS = list(forms.WRITERS)
# Where the title lines go beside the table (a page's paragraphs, a
# Word document's, the text above a PDF table) rather than into it.
CONTEXT_FORMATS = {"html", "docx", "pdf"}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Each form in each format (and its twin as CSV), written once."""
    folder = tmp_path_factory.mktemp("forms")
    written = {}

    def get(name: str, fmt: str):
        if (name, fmt) not in written:
            form = forms.FORMS[name]()
            if fmt == "twin":
                path = forms.TIANJIN if name == "tianjin" else folder / f"{name}.csv"
                if name != "tianjin":
                    path.write_bytes(forms.twin(form))
            else:
                path = folder / f"{name}.{fmt}"
                path.write_bytes(forms.WRITERS[fmt](form))
            written[name, fmt] = path
        return written[name, fmt]

    return get


def only_sheet(path):
    sheets = read_sheets(path)
    assert len(sheets) == 1, [s.source for s in sheets]
    return sheets[0]


def outcome(sheet, *, context: bool = False) -> dict:
    """What scoring decides, without where each row came from.  With
    ``context`` the title lines were outside the table, so the twin's
    finding that it could not place them is not expected."""
    scored = score(sheet)
    return {
        "header": (sheet.fiscal_year, sheet.kind, sheet.reported_total, sheet.reported_grade),
        "rows": [(r.row.level1, r.row.level2, r.row.name, r.row.target.text, r.row.actual.text, r.row.weight,
                  r.row.reported, r.row.problem, r.result.rule, r.result.score, r.result.status)
                 for r in scored.rows],
        "budget": None if scored.budget is None else (
            scored.budget.row.budget, scored.budget.row.spent, scored.budget.row.weight,
            scored.budget.row.reported, scored.budget.result.score),
        "total": (scored.total, scored.grade),
        "findings": [(f.code, f.rows) for f in scored.findings if not (context and f.code == "unread_lines")],
    }


CASES = [(name, fmt) for name in forms.FORMS for fmt in FORMATS]


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_every_row_reads_right(files, name, fmt):
    sheet = only_sheet(files(name, fmt))
    got = [(r.level1, r.level2, r.name, r.target.text, r.actual.text, r.weight, r.reported) for r in sheet.rows]
    if name == "tianjin":
        golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
        expected = [(r["level1"], r["level2"], r["name"], r["target"], r["actual"], Decimal(r["weight"]),
                     Decimal(r["reported"])) for r in golden["rows"]]
        assert [g[2:] for g in got] == [e[2:] for e in expected]
        assert (sheet.budget.budget, sheet.budget.spent) == (Decimal("176875.03"), Decimal("170639.2"))
        assert sheet.reported_total == Decimal(golden["reported_total"])
        return
    number = name[1:3]
    assert got == forms.expected_rows(number)
    assert all(r.problem is None for r in sheet.rows), [r.problem for r in sheet.rows if r.problem]
    block = forms.expected_block(number)
    assert (sheet.budget.budget, sheet.budget.spent, sheet.budget.weight, sheet.budget.reported) == (
        Decimal(block["budget_full_year"]), Decimal(block["executed"]), Decimal(block["budget_weight"]),
        Decimal(block["budget_score"]))
    assert sheet.reported_total == (Decimal(block["reported_total"]) if block["reported_total"] else None)


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_scores_as_its_text_twin(files, name, fmt):
    twin = only_sheet(files(name, "twin"))
    sheet = only_sheet(files(name, fmt))
    assert outcome(sheet, context=fmt in CONTEXT_FORMATS) == outcome(twin, context=fmt in CONTEXT_FORMATS)


def test_the_tianjin_pdf_runs_over_pages_and_reads_as_one_table(files):
    import pdfplumber

    path = files("tianjin", "pdf")
    with pdfplumber.open(path) as document:
        assert len(document.pages) > 1
    from perfrules.readers import read_grids

    assert len(read_grids(path)) == 1


def test_the_tianjin_web_page_is_the_committed_example():
    # docs/tutorial.md scores examples/tianjin-kjj-2024-zhengti.html: it is
    # what the writer makes of the bundled table.
    committed = (forms.ROOT / "examples" / "tianjin-kjj-2024-zhengti.html").read_bytes()
    assert committed == forms.html(forms.tianjin())
