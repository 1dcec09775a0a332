"""`perfrules review` and `perfrules query` (issue 17): a summary line per
table from files and folders, sorted and filtered; CSV with its findings
file, JSON with English keys, XLSX with numbers; the results store that
skips unchanged files and answers questions across years."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import perfrules
from perfrules.review import Store, StoreError, TableSummary, review, select
from perfrules.review.store import SCHEMA_VERSION
from perfrules.review.summary import COLUMNS
from perfrules.testing.tables import variant
from support import run

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "tianjin-kjj-2024-zhengti.txt"
UNITS = ("甲区科学技术局", "乙区科学技术局", "丙区科学技术局")


@pytest.fixture
def year(tmp_path) -> Path:
    """Six tables: three units in 2023 and 2024, the 2024 ones in a
    subfolder, and a file that is no table."""
    folder = tmp_path / "tables"
    (folder / "2024").mkdir(parents=True)
    for n, unit in enumerate(UNITS):
        (folder / f"{unit}-2023.txt").write_text(variant(unit=unit, year=2023, seed=n), encoding="utf-8")
        (folder / "2024" / f"{unit}-2024.txt").write_text(variant(unit=unit, year=2024, seed=10 + n),
                                                           encoding="utf-8")
    (folder / "broken.xlsx").write_bytes(b"not a workbook")
    return folder


def _expected(path: Path):
    """What scoring the file alone gives."""
    return perfrules.score(perfrules.read_sheet(path))


def test_review_reads_folders_recursively_and_summarizes_each_table(year, capsys):
    status, out, err = run(["review", year, "--format", "json", "--quiet"], capsys)
    assert status == 2  # one file is no table: reported, and the others still reviewed
    assert "broken.xlsx" in err and "Traceback" not in err
    data = json.loads(out)
    lines = {Path(t["file"]).name: t for t in data["tables"]}
    assert len(lines) == 7
    assert lines["broken.xlsx"]["read_status"] == "error" and lines["broken.xlsx"]["message"]
    for path in sorted(year.rglob("*.txt")):
        line, scored = lines[path.name], _expected(path)
        assert line["unit"] == scored.sheet.organisation and line["year"] == scored.sheet.fiscal_year
        assert Decimal(line["total"]) == scored.total
        assert Decimal(line["reported_total"]) == scored.reported_total
        assert Decimal(line["gap"]) == scored.reported_total - scored.total
        assert Decimal(line["total_low"]) <= scored.total <= Decimal(line["total_high"])
        assert line["differ"] == len(scored.differs())
        assert line["rows"] == len(scored.rows) == 60
        assert line["errors"] == sum(f.severity == "error" for f in scored.findings)
        assert line["ruleset"] == "mof@2020" and line["ruleset_sha256"] == scored.ruleset.sha256
    # Every key is the stable English one, whatever the headings' language.
    assert set(data["tables"][0]) == {c.key for c in COLUMNS} | {"ruleset_sha256", "file_sha256"}
    for path in sorted(year.rglob("*.txt")):  # every table's findings, in its order
        found = [(f["code"], f["severity"], f["message"]) for f in data["findings"] if Path(f["file"]) == path]
        assert found == [(f.code, f.severity, f.message) for f in _expected(path).findings]


def test_sort_by_gap_and_min_gap_filter(year, capsys):
    status, out, _ = run(["review", year, "--format", "json", "--sort", "gap", "--quiet"], capsys)
    gaps = [t["gap"] for t in json.loads(out)["tables"]]
    present = [Decimal(g) for g in gaps if g is not None]
    assert present == sorted(present, reverse=True) and gaps[len(present):] == [None] * (len(gaps) - len(present))
    status, out, _ = run(["review", year, "--format", "json", "--min-gap", "2", "--quiet"], capsys)
    kept = json.loads(out)["tables"]
    assert all(Decimal(t["gap"]) >= 2 for t in kept)
    assert len(kept) == sum(1 for g in present if g >= 2)
    status, _, err = run(["review", year, "--min-gap", "lots"], capsys)
    assert status == 2 and "lots" in err and "Traceback" not in err


def test_terminal_table_in_chinese_and_in_english(capsys):
    status, out, _ = run(["review", SEED], capsys)
    assert status == 0
    head = out.splitlines()[0]
    assert "单位" in head and "计算总分" in head and "差额" in head
    assert "天津市科学技术局" in out and "95.36" in out and "93.95" in out and "-1.41" in out
    status, out, _ = run(["review", SEED, "--lang", "en"], capsys)
    assert "computed total" in out.splitlines()[0] and "read fully" in out


def test_csv_writes_the_findings_to_a_second_file(tmp_path, capsys):
    out = tmp_path / "summary.csv"
    status, _, _ = run(["review", SEED, "--format", "csv", "-o", out], capsys)
    assert status == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0][:4] == ["文件", "表", "单位", "项目"] and len(rows) == 2
    found = list(csv.reader(io.StringIO((tmp_path / "summary-findings.csv").read_text(encoding="utf-8-sig"))))
    expected = _expected(SEED).findings
    assert found[0] == ["文件", "表", "代码", "级别", "说明", "行"]
    assert [(r[2], r[3], r[4]) for r in found[1:]] == [(f.code, f.severity, f.message) for f in expected]


def test_xlsx_summary_holds_numbers(tmp_path, capsys):
    out = tmp_path / "summary.xlsx"
    status, _, _ = run(["review", SEED, "--format", "xlsx", "-o", out], capsys)
    assert status == 0
    book = openpyxl.load_workbook(out)
    sheet = book["汇总"]
    head = [c.value for c in sheet[1]]
    values = dict(zip(head, [c for c in sheet[2]]))
    assert values["计算总分"].value == pytest.approx(95.36) and values["计算总分"].data_type == "n"
    assert values["计算总分"].number_format == "0.00"
    assert values["差额"].value == pytest.approx(-1.41)
    assert values["读取行数"].value == 60
    assert book["审核发现"].max_row == 1 + len(_expected(SEED).findings)


def test_store_skips_unchanged_files_and_rescored_changed_ones(year, tmp_path, capsys):
    db = tmp_path / "results.db"
    first = review([year], store=db)
    assert (first.scored, first.skipped, first.failed) == (6, 0, 1)
    again = review([year], store=db)
    assert (again.scored, again.skipped) == (0, 6)
    # The lines from the store are the lines scored.
    assert [attrs_eq(a) for a in again.tables] == [attrs_eq(a) for a in first.tables]
    changed = year / f"{UNITS[1]}-2023.txt"
    changed.write_text(variant(unit=UNITS[1], year=2023, seed=99), encoding="utf-8")
    third = review([year], store=db)
    assert (third.scored, third.skipped) == (1, 5)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM tables").fetchone()[0] == 6
        assert con.execute("SELECT COUNT(*) FROM rows").fetchone()[0] == 6 * 61  # 60 rows and the budget row
        assert [r[0] for r in con.execute("SELECT scored FROM runs ORDER BY id")] == [6, 0, 1]


def attrs_eq(line: TableSummary) -> dict:
    return {k: v for k, v in line.to_json().items()}


def test_another_ruleset_scores_again(tmp_path, capsys):
    db = tmp_path / "results.db"
    review([SEED], store=db)
    other = review([SEED], "mof-cost-ratio", store=db)
    assert other.scored == 1 and other.skipped == 0
    assert review([SEED], "mof-cost-ratio", store=db).skipped == 1
    assert review([SEED], store=db).skipped == 1  # each request keeps its own results


def test_a_newer_store_is_refused_clearly(tmp_path, capsys):
    db = tmp_path / "new.db"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        con.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="newer perfrules"):
        Store(db)
    status, _, err = run(["review", SEED, "--store", db], capsys)
    assert status == 2 and "newer perfrules" in err and "Traceback" not in err
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (x)")
    status, _, err = run(["review", SEED, "--store", other], capsys)
    assert status == 2 and "not a perfrules results store" in err
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is no database at all, just bytes" * 20)
    status, _, err = run(["query", junk, "summary"], capsys)
    assert status == 2 and "not a perfrules results store" in err


def test_a_new_store_records_its_schema_version(tmp_path):
    with Store(tmp_path / "r.db") as store:
        assert store.version() == SCHEMA_VERSION
    with sqlite3.connect(tmp_path / "r.db") as con:
        assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
        views = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
    assert {"table_summary", "overstated", "differing_rows", "unit_years", "finding_counts"} <= views


def test_query_answers_which_units_overstated_in_both_years(year, tmp_path, capsys):
    db = tmp_path / "results.db"
    done = review([year], store=db)
    over = {}
    for line in done.tables:
        if line.gap is not None and line.gap >= 2:
            over.setdefault(line.unit, set()).add(line.year)
    both = sorted(u for u, years in over.items() if years == {2023, 2024})
    status, out, _ = run(["query", db, "overstated", "--param", "min_gap=2", "--param", "years=2023,2024",
                          "--format", "json"], capsys)
    assert status == 0
    assert sorted(r["unit"] for r in json.loads(out)) == both
    status, out, _ = run(["query", db, "overstated", "--param", "min_gap=2", "--format", "json"], capsys)
    assert sorted(r["unit"] for r in json.loads(out)) == sorted(over)
    status, out, _ = run(["query", db, "differing", "--format", "json"], capsys)
    rows = json.loads(out)
    assert len(rows) == sum(line.differ for line in done.tables) and all(r["trace"] for r in rows)
    status, out, _ = run(["query", db, "--sql", "SELECT COUNT(*) AS n FROM tables", "--format", "json"], capsys)
    assert json.loads(out) == [{"n": 6}]


def test_query_refuses_changes_and_bad_questions(tmp_path, capsys):
    db = tmp_path / "results.db"
    review([SEED], store=db)
    status, _, err = run(["query", db, "--sql", "DELETE FROM tables"], capsys)
    assert status == 2 and "readonly" in err.replace("-", "")
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM tables").fetchone()[0] == 1
    for argv, said in ((["nosuch"], "no question"), (["summary", "--param", "x=1"], "takes no parameter"),
                       (["summary", "--param", "novalue"], "KEY=VALUE"), ([], "neither"),
                       (["--sql", "SELEC nonsense"], "syntax error")):
        status, _, err = run(["query", db, *argv], capsys)
        assert status == 2 and said in err and "Traceback" not in err, (argv, err)
    status, _, err = run(["query", tmp_path / "missing.db", "summary"], capsys)
    assert status == 2 and "no such results store" in err
    assert not (tmp_path / "missing.db").exists()


def test_parquet_export(tmp_path, capsys):
    pyarrow = pytest.importorskip("pyarrow.parquet")
    db = tmp_path / "results.db"
    review([SEED], store=db)
    status, out, _ = run(["query", db, "--parquet", tmp_path / "pq"], capsys)
    assert status == 0
    rows = pyarrow.read_table(tmp_path / "pq" / "rows.parquet").to_pylist()
    assert len(rows) == 61 and {r["status"] for r in rows} >= {"agrees", "differs"}
    tables = pyarrow.read_table(tmp_path / "pq" / "tables.parquet").to_pylist()
    assert tables[0]["total"] == "95.36" and "result_json" not in tables[0]


def test_jobs_two_give_the_same_summary(year, capsys):
    one = review([year], jobs=1)
    two = review([year], jobs=2)
    assert [attrs_eq(a) for a in one.tables] == [attrs_eq(a) for a in two.tables]


def test_progress_is_silent_off_a_terminal(year, capsys):
    status, out, err = run(["review", year / "2024"], capsys)
    assert status == 0 and "review" not in err and "%" not in err


# -- properties -------------------------------------------------------------

_amounts = st.none() | st.decimals(min_value=-100, max_value=100, places=2)
_lines = st.builds(TableSummary, file=st.sampled_from(["a.txt", "b.txt", "c.txt", "d.txt"]), gap=_amounts,
                   total=_amounts, unit=st.sampled_from(["", "甲", "乙"]), differ=st.integers(0, 3),
                   grade=st.sampled_from([None, "优", "良"]),
                   read_status=st.sampled_from(["full", "partial", "error"]))


@settings(deadline=None)
@given(st.lists(_lines, max_size=12), st.sampled_from([c.key for c in COLUMNS]), st.booleans())
def test_select_sorts_every_column_with_missing_values_last(lines, key, reverse):
    out = select(lines, sort=key, reverse=reverse)
    assert sorted(map(repr, out)) == sorted(map(repr, lines))  # nothing lost or added
    values = [getattr(line, key) for line in out]
    present = [v for v in values if v is not None]
    assert values[len(present):] == [None] * (len(values) - len(present))
    number = next(c.number for c in COLUMNS if c.key == key)
    assert present == sorted(present, reverse=number != reverse)


@settings(deadline=None)
@given(st.lists(_lines, max_size=12), st.none() | st.decimals(min_value=-50, max_value=50, places=1),
       st.booleans(), st.sampled_from([None, "优", "良"]), st.sampled_from([None, "full", "partial", "error"]))
def test_select_keeps_exactly_the_lines_asked_for(lines, min_gap, differs, grade, status):
    out = select(lines, min_gap=min_gap, differs=differs, grade=grade, read_status=status)
    wanted = [line for line in lines
              if (min_gap is None or (line.gap is not None and line.gap >= min_gap))
              and (not differs or line.differ) and (grade is None or line.grade == grade)
              and (status is None or line.read_status == status)]
    assert out == wanted


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), unit=st.sampled_from(UNITS), fiscal_year=st.integers(2019, 2025))
def test_a_stored_table_reads_back_as_it_was_scored(tmp_path_factory, seed, unit, fiscal_year):
    folder = tmp_path_factory.mktemp("t")
    path = folder / "t.txt"
    path.write_text(variant(unit=unit, year=fiscal_year, seed=seed), encoding="utf-8")
    with Store(folder / "r.db") as store:
        documents = []
        fresh = review([path], store=store, on_table=lambda s, d: documents.append(d))
        stored = []
        again = review([path], store=store, on_table=lambda s, d: stored.append(d))
    assert again.skipped == 1 and again.scored == 0
    assert [attrs_eq(a) for a in again.tables] == [attrs_eq(a) for a in fresh.tables]
    assert stored == documents


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_unless_quiet(year):
    shown = _Terminal()
    review([year / "2024"], quiet=False, progress_stream=shown)
    assert "review:" in shown.getvalue() and "/3 [" in shown.getvalue()  # files done of three
    hushed = _Terminal()
    review([year / "2024"], quiet=True, progress_stream=hushed)
    assert hushed.getvalue() == ""


def test_paths_that_are_no_tables_are_clear_errors(tmp_path, capsys):
    status, _, err = run(["review", tmp_path / "missing"], capsys)
    assert status == 2 and "no such file or folder" in err and "Traceback" not in err
    (tmp_path / "empty").mkdir()
    status, _, err = run(["review", tmp_path / "empty"], capsys)
    assert status == 2 and "no table files" in err
    status, _, err = run(["review", SEED, "--format", "html"], capsys)
    assert status == 2 and "-o" in err
    status, _, err = run(["review", SEED, "--sort", "nosuch"], capsys)
    assert status == 2 and "nosuch" in err


def test_a_file_named_twice_is_reviewed_once(capsys):
    done = review([SEED, str(SEED), SEED.parent])
    names = [Path(line.file).name for line in done.tables]
    assert names.count(SEED.name) == 1 and len(names) == len(set(zip(names, [line.table for line in done.tables])))


def test_a_run_that_stops_leaves_the_store_as_it_was(year, tmp_path):
    db = tmp_path / "results.db"
    review([year / "2024"], store=db)

    def stop(summary, document):
        raise KeyboardInterrupt

    with Store(db) as store:
        with pytest.raises(KeyboardInterrupt):
            review([year], store=store, on_table=stop)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 1
        assert con.execute("SELECT COUNT(*) FROM tables").fetchone()[0] == 3
    assert review([year / "2024"], store=db).skipped == 3


def test_score_shows_progress_for_a_batch_on_a_terminal_only(year, monkeypatch, capsys):
    import perfrules.progress

    shown = _Terminal()
    real = perfrules.progress.progress

    def to_terminal(total, **options):
        return real(total, **dict(options, stream=shown))

    monkeypatch.setattr(perfrules.progress, "progress", to_terminal)
    status, out, err = run(["score", year / "2024", "--format", "json"], capsys)
    assert status == 0 and "score:" in shown.getvalue() and "/3 [" in shown.getvalue()
    assert "score:" not in err  # stderr here is no terminal
    assert len(json.loads(out)) == 3


def test_a_store_in_use_is_refused_clearly(tmp_path, capsys, monkeypatch):
    db = tmp_path / "results.db"
    review([SEED], store=db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another run holds the write lock
    try:
        monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: _connect(*a, **dict(k, timeout=0.1)))
        status, _, err = run(["review", SEED, "--store", db, "--quiet"], capsys)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert status == 2 and "another review" in err and "Traceback" not in err


_connect = sqlite3.connect


def test_year_on_year_compares_each_unit_with_the_year_before(year, tmp_path, capsys):
    db = tmp_path / "results.db"
    done = review([year], store=db)
    totals = {(line.unit, line.year): line.total for line in done.tables if line.total is not None}
    status, out, _ = run(["query", db, "year_on_year", "--format", "json"], capsys)
    assert status == 0
    rows = json.loads(out)
    assert sorted(r["unit"] for r in rows) == sorted(UNITS)
    for r in rows:
        assert (r["fiscal_year"], r["previous_year"]) == (2024, 2023)
        expected = totals[(r["unit"], 2024)] - totals[(r["unit"], 2023)]
        assert Decimal(str(r["change"])) == expected


_EMPTY = {"budget": None, "rows": [], "findings": []}


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(st.tuples(st.sampled_from(["甲", "乙", "丙"]), st.sampled_from([2022, 2023, 2024]),
                                st.decimals(min_value=-20, max_value=20, places=2)), max_size=10),
       min_gap=st.decimals(min_value=-5, max_value=10, places=1),
       years=st.sets(st.sampled_from([2022, 2023, 2024]), max_size=3))
def test_the_overstated_question_answers_as_python_does(tmp_path_factory, lines, min_gap, years):
    from perfrules.review.store import QUESTIONS

    with Store(tmp_path_factory.mktemp("q") / "r.db") as store:
        store.begin("request", "test")
        for n, (unit, fiscal_year, gap) in enumerate(lines):
            line = TableSummary(f"{n}.txt", unit=unit, year=fiscal_year, ruleset="mof@2020", gap=gap,
                                total=Decimal(80), reported_total=Decimal(80) + gap)
            store.add(line, _EMPTY, request="request", position=0)
        store.commit(scored=len(lines), skipped=0, failed=0)
        question = QUESTIONS["overstated"]
        params = dict(question.defaults, min_gap=str(min_gap), years=",".join(map(str, sorted(years))))
        _, rows = store.query(question.sql, params)
    hits: dict[str, set[int]] = {}
    for unit, fiscal_year, gap in lines:
        if gap > 0 and gap >= min_gap and (not years or fiscal_year in years):
            hits.setdefault(unit, set()).add(fiscal_year)
    expected = {u for u, found in hits.items() if not years or found == years}
    assert {row[0] for row in rows} == expected
