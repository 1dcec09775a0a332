"""The commands on the new inputs: folders, files of several tables (each
scored and named in every output format), --sheet, and each format's
failures as exit 2 with a message."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest

import forms
from perfrules import score_many
from support import ROOT, SEED, run

SEED_TOTAL = "total     computed 95.36"


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("PERFRULES_PATH", raising=False)


@pytest.fixture
def book(tmp_path):
    """A workbook with a notes sheet and two projects, a sheet each."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "说明"
    workbook.active["A1"] = "填表说明"
    for name, number in (("项目1", "07"), ("项目2", "13")):
        forms._fill_xlsx(workbook.create_sheet(name), forms.project(number))
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    return path


def test_a_workbook_of_two_projects_scores_each_sheet_named(book, capsys):
    status, out, err = run(["score", book, "--format", "json"], capsys)
    assert status == 0, err
    data = json.loads(out)
    assert [d["sheet"]["source"] for d in data] == [f"{book}#项目1", f"{book}#项目2"]
    assert [len(d["rows"]) for d in data] == [9, 7]

    status, out, err = run(["score", book], capsys)
    assert out.index(f"== {book}#项目1 ==") < out.index(f"== {book}#项目2 ==")
    assert out.count("total     computed") == 2

    status, out, err = run(["audit", book], capsys)
    assert f"{book}#项目1: mof@" in out and f"{book}#项目2: mof@" in out


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "html", "xlsx"])
def test_output_folder_has_a_file_per_sheet(book, tmp_path, capsys, fmt):
    folder = tmp_path / "out"
    status, _, err = run(["score", book, "--format", fmt, "-o", folder], capsys)
    assert status == 0, err
    extension = "txt" if fmt == "table" else fmt
    if fmt == "json":  # one file: a list of the sheets' results
        assert [d["sheet"]["source"] for d in json.loads(folder.read_text(encoding="utf-8"))] == [
            f"{book}#项目1", f"{book}#项目2"]
    else:
        assert sorted(p.name for p in folder.iterdir()) == [f"book#项目1.{extension}", f"book#项目2.{extension}"]


def test_tables_named_whatever_the_path_looks_like(book, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(book.parent)
    status, out, _ = run(["score", "./book.xlsx", "-o", tmp_path / "out"], capsys)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["book#项目1.txt", "book#项目2.txt"]


def test_sheet_option_picks_one_and_an_unknown_one_lists_them(book, capsys):
    data = json.loads(run(["score", book, "--sheet", "项目2", "--format", "json"], capsys)[1])
    assert data["sheet"]["source"] == f"{book}#项目2"
    status, out, err = run(["score", book, "--sheet", "项目9"], capsys)
    assert status == 2
    assert f"{book}: no sheet named '项目9'; its sheets are '说明', '项目1', '项目2'" in err
    assert "Traceback" not in err


def test_explain_asks_which_table_of_several(book, capsys):
    status, _, err = run(["explain", book, "--row", "1"], capsys)
    assert status == 2 and "pick one with --sheet" in err and "'项目2'" in err
    status, out, err = run(["explain", book, "--sheet", "项目2", "--row", "1"], capsys)
    assert status == 0, err
    assert out.startswith(f"{book}#项目2 row 1: 野生动物收容所")


def test_diff_compares_every_sheet(book, capsys):
    status, out, err = run(["diff", "mof@2020", "mof@2020", book], capsys)
    assert status == 0, err
    assert f"{book}#项目1: mof@2020 -> mof@2020: 0 rows change" in out
    assert f"{book}#项目2: mof@2020 -> mof@2020: 0 rows change" in out


def test_score_many_gives_every_sheet_in_order_with_jobs(book):
    one = score_many([book, SEED], "mof")
    two = score_many([book, SEED], "mof", jobs=2)
    assert [r.sheet.source for r in one] == [f"{book}#项目1", f"{book}#项目2", SEED]
    assert [(r.sheet.source, r.total) for r in two] == [(r.sheet.source, r.total) for r in one]
    assert one[2].total == Decimal("95.36")


# ---- folders ----


@pytest.fixture
def folder(tmp_path):
    top = tmp_path / "tables"
    (top / "sub").mkdir(parents=True)
    shutil.copy(ROOT / SEED, top / "b-tianjin.txt")
    (top / "a-tianjin.html").write_bytes((ROOT / "examples" / "tianjin-kjj-2024-zhengti.html").read_bytes())
    (top / "sub" / "c-p13.docx").write_bytes(forms.docx(forms.project("13")))
    (top / "notes.md").write_text("not a table", encoding="utf-8")
    (top / "~$b-tianjin.xlsx").write_bytes(b"an Excel lock file")
    return top


def test_a_folder_is_every_table_file_in_it_in_sorted_order(folder, capsys):
    data = json.loads(run(["score", folder, "--format", "json"], capsys)[1])
    # The page's form is its second table (the first is its navigation).
    assert [d["sheet"]["source"] for d in data] == [f"{folder / 'a-tianjin.html'}#2", str(folder / "b-tianjin.txt")]
    assert [d["total"] for d in data] == ["95.36", "95.36"]
    data = json.loads(run(["score", folder, "--recursive", "--format", "json"], capsys)[1])
    assert [d["sheet"]["source"] for d in data][-1] == str(folder / "sub" / "c-p13.docx")


def test_a_folder_scores_into_an_output_folder(folder, tmp_path, capsys):
    out = tmp_path / "out"
    status, _, err = run(["score", folder / "sub", "--format", "csv", "-o", out], capsys)
    assert status == 0, err
    assert [p.name for p in out.iterdir()] == ["c-p13.csv"]


def test_an_empty_folder_is_exit_2_with_a_message(tmp_path, capsys):
    (tmp_path / "empty" / "deeper").mkdir(parents=True)
    (tmp_path / "empty" / "deeper" / "t.txt").write_text("x", encoding="utf-8")
    for command in (["score"], ["audit"], ["diff", "mof", "mof"]):
        status, out, err = run([*command, tmp_path / "empty"], capsys)
        assert status == 2, command
        assert f"{tmp_path / 'empty'}: no table files" in err and "--recursive" in err
        assert "Traceback" not in err and "\n\n" not in err.strip()


# ---- each format's failures ----


@pytest.mark.parametrize(("ending", "data"), [
    (".docx", b"not a zip"), (".pdf", b"%PDF-1.4\n"), (".xls", b"not a workbook"), (".html", b""),
])
def test_a_broken_file_is_exit_2_naming_it(tmp_path, capsys, ending, data):
    path = tmp_path / f"broken{ending}"
    path.write_bytes(data)
    status, out, err = run(["score", path, SEED], capsys)
    assert status == 2
    assert str(path) in err and "Traceback" not in err
    assert SEED_TOTAL in out  # the others are still scored


def test_a_scanned_pdf_says_to_ocr_it(tmp_path, capsys):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    page = canvas.Canvas(str(path))
    page.rect(50, 50, 400, 600, fill=1)
    page.save()
    status, _, err = run(["score", path], capsys)
    assert status == 2
    assert err.strip() == f"{path}: a scanned PDF with no text: OCR it first (e.g. `ocrmypdf in.pdf out.pdf`) " \
                          "and read the result"
