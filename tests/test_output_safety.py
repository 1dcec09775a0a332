"""Outputs are safe to open (issue 18): a cell a spreadsheet would run as a
formula is neutralised in CSV (unless asked not to) and is text in XLSX; a
control character a workbook cannot hold is shown, not a crash."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
import openpyxl
import pytest

from perfrules import Row, Sheet, cli, render, score
from perfrules.report.grid import grid_csv, guard_formula
from perfrules.report.xlsx import xlsx_text

NASTY = ['=HYPERLINK("http://x","y")', "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", NASTY + ["=100%"])
def test_a_formula_gets_a_leading_apostrophe(text):
    assert guard_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["-1.5", "-", "+3", "-1,000", "-5%", "1.5", "≥10次", "", "'=1", " =1", "a=b"])
def test_numbers_and_other_text_are_left_alone(text):
    assert guard_formula(text) == text


def test_grid_csv_guards_every_cell_unless_told_not_to():
    grid = [["=1+1", "-1.5", "x"], ["@A1", "-", "+cmd"]]
    assert grid_csv(grid) == "\ufeff'=1+1,-1.5,x\r\n'@A1,-,'+cmd\r\n".encode()
    assert grid_csv(grid, guard=False) == "\ufeff=1+1,-1.5,x\r\n@A1,-,+cmd\r\n".encode()


def nasty_sheet() -> Sheet:
    rows = [Row.read(target="≥10次", actual=text, name=text, weight="5", reported="5",
                     level1="产出指标", level2="数量指标", note=text) for text in NASTY]
    rows.append(Row.read(target="=100%", actual="9\x1f次", name="控制\x00字符\x0b", weight="5", reported="5",
                         level1="产出指标", level2="质量指标"))
    return Sheet(rows=rows, fiscal_year=2024, title="=cmd|' /C calc'!A0", organisation="@单位")


def test_a_scored_csv_holds_no_formula():
    data = render(score(nasty_sheet()), "csv").decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(data)) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r")]
    assert not [cell for cell in cells if cell.startswith("-") and not (cell == "-" or cell[1:].replace(".", "").isdigit())]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in cells and "'=cmd|' /C calc'!A0" in cells


def test_an_xlsx_holds_every_text_as_text_and_shows_control_characters(tmp_path):
    result = score(nasty_sheet())
    book = openpyxl.load_workbook(io.BytesIO(render(result, "xlsx")))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = {cell.value for cell in cells}
    assert set(NASTY) - {"\r=1+1"} <= values  # openpyxl reads a carriage return back as a line feed
    assert "=100%" in values and "=cmd|' /C calc'!A0" in values
    assert "控制␀字符␋" in values and "9␟次" in values


def test_xlsx_text_shows_each_control_character_as_its_picture():
    assert xlsx_text("".join(map(chr, range(32)))) == (
        "".join(chr(0x2400 + i) for i in range(9)) + "\t\n" + "\u240b\u240c" + "\r"
        + "".join(chr(0x2400 + i) for i in range(14, 32)))
    assert xlsx_text("≥10次\t完成\n") == "≥10次\t完成\n"


def _run(argv, capsys):
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


@pytest.fixture
def nasty_csv(tmp_path):
    path = tmp_path / "nasty.csv"
    path.write_bytes(render(score(nasty_sheet()), "csv", csv_guard=False))
    return path


def test_perfrules_score_guards_csv_by_default_and_not_with_no_csv_guard(nasty_csv, capsys):
    status, guarded, _ = _run(["score", nasty_csv, "--format", "csv"], capsys)
    assert status == 0
    names = [row[3] for row in csv.reader(io.StringIO(guarded.lstrip("\ufeff"))) if len(row) > 3]
    assert "'@SUM(1+1)" in names and "@SUM(1+1)" not in names
    status, plain, _ = _run(["score", nasty_csv, "--format", "csv", "--no-csv-guard"], capsys)
    assert status == 0
    names = [row[3] for row in csv.reader(io.StringIO(plain.lstrip("\ufeff"))) if len(row) > 3]
    assert "@SUM(1+1)" in names and "'@SUM(1+1)" not in names


def test_no_csv_guard_with_another_format_is_a_usage_error(nasty_csv, capsys):
    status, out, err = _run(["score", nasty_csv, "--format", "json", "--no-csv-guard"], capsys)
    assert status == 2 and out == ""
    assert err == "perfrules score: --no-csv-guard is for --format csv, not json\n"


def test_perfrules_score_writes_an_xlsx_from_a_table_with_control_characters(nasty_csv, tmp_path, capsys):
    out = tmp_path / "out.xlsx"
    status, _, err = _run(["score", nasty_csv, "--format", "xlsx", "-o", out], capsys)
    assert status == 0, err
    sheet = openpyxl.load_workbook(out)["自评表"]
    rows = [row for row in sheet.iter_rows(values_only=True) if row[3] == "控制␀字符"]  # the reader strips \x0b
    assert len(rows) == 1 and rows[0][5] == "9␟次"


def test_an_xlsx_is_the_same_bytes_whenever_it_is_written(monkeypatch):
    """The workbook records no clock (created, modified, zip entry times)."""
    import time

    result = score(nasty_sheet())
    first = render(result, "xlsx")
    next_year = time.time() + 400 * 86400
    monkeypatch.setattr(time, "time", lambda: next_year)
    stamped = zipfile.ZipInfo.from_file.__func__

    def later(cls, *args, **kwargs):  # a file written later than the first time
        info = stamped(cls, *args, **kwargs)
        info.date_time = time.localtime(next_year)[:6]
        return info

    monkeypatch.setattr(zipfile.ZipInfo, "from_file", classmethod(later))
    assert render(result, "xlsx") == first
    book = openpyxl.load_workbook(io.BytesIO(first))
    assert book.properties.created == book.properties.modified == datetime.datetime(1980, 1, 1)
