"""Issue 7, part 3: many tables are scored in worker processes
(`score_many`, `perfrules score|audit --jobs`) with the same results, in the
same order, as in one process."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfrules import PerfrulesError, Ruleset, cli, read_sheet, score, sheet_to_json
from perfrules.parallel import iter_scores, resolve_jobs, score_many
from perfrules.testing import strategies
from support import run

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "tianjin-kjj-2024-zhengti.txt"

# Each example starts worker processes: a few examples say enough.
few = settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("PERFRULES_PATH", raising=False)


# ---- score_many ----


def one_by_one(path):
    try:
        return score(read_sheet(path))
    except PerfrulesError as error:
        return error


def write_sheets(folder: Path, sheets) -> list[str]:
    paths = []
    for number, sheet in enumerate(sheets):
        path = folder / f"generated-{number}.json"
        path.write_text(json.dumps(sheet_to_json(sheet), ensure_ascii=False), encoding="utf-8")
        paths.append(str(path))
    return paths


@few
@given(st.lists(strategies.sheets(max_rows=6), min_size=1, max_size=6))
def test_score_many_in_two_processes_equals_scoring_one_by_one(tmp_path_factory, sheets):
    paths = write_sheets(tmp_path_factory.mktemp("tables"), sheets)
    items = [str(SEED), *paths, str(SEED)]
    alone = [one_by_one(path) for path in items]  # mof is not in effect in 2019: an error in its place
    assert score_many(items, jobs=2, errors="return") == alone
    assert score_many(items, jobs=1, errors="return") == alone
    # Sheets given as values travel to the workers too.
    assert score_many(sheets, "mof@2020", jobs=2) == [score(sheet, "mof@2020") for sheet in sheets]


def test_score_many_keeps_input_order_across_many_chunks():
    sheet = read_sheet(SEED)
    years = [2020 + n % 7 for n in range(40)]
    sheets = [attrs.evolve(sheet, title=f"table {n}", fiscal_year=year) for n, year in enumerate(years)]
    results = score_many(sheets, jobs=2, trace=False)
    assert [r.sheet.title for r in results] == [f"table {n}" for n in range(40)]
    assert results == [score(s, trace=False) for s in sheets]


def test_workers_started_by_spawn_receive_the_ruleset_by_pickle(tmp_path):
    # spawn shares nothing with this process: the ruleset, with its parent's
    # text, reaches the workers only through the pickle.
    (tmp_path / "strict").mkdir()
    (tmp_path / "strict" / "1.rules").write_text(
        "ruleset strict\nversion 1\nextends mof@2020\nrule nothing_done\n"
        "  when direction is higher and actual = 0\n  score 0\n", encoding="utf-8")
    ruleset = Ruleset.from_file(tmp_path / "strict" / "1.rules")
    items = [str(SEED)] * 3
    spawned = score_many(items, ruleset, jobs=2, mp_context=multiprocessing.get_context("spawn"))
    assert spawned == [score(read_sheet(SEED), ruleset)] * 3
    assert spawned[0].ruleset.name == "strict"


def test_a_file_that_cannot_be_read_raises_or_keeps_its_place(tmp_path):
    missing = str(tmp_path / "missing.txt")
    items = [str(SEED), missing, str(SEED)]
    with pytest.raises(PerfrulesError, match="missing.txt: cannot read the file"):
        score_many(items, jobs=2)
    kept = score_many(items, jobs=2, errors="return")
    assert isinstance(kept[1], PerfrulesError) and kept[1].path == missing
    assert kept[1].__context__ is None and kept[1].__traceback__ is None  # a value, not a raise
    assert kept[0] == kept[2] == score(read_sheet(SEED))
    assert kept == score_many(items, jobs=1, errors="return")


def test_an_unknown_ruleset_is_reported_for_each_file_as_in_one_process():
    one = score_many([str(SEED)] * 2, "nosuch", jobs=1, errors="return")
    two = score_many([str(SEED)] * 2, "nosuch", jobs=2, errors="return")
    assert one == two and all("no ruleset named 'nosuch'" in str(e) for e in two)


def test_arguments_are_checked_when_called():
    with pytest.raises(ValueError, match="jobs must be 0"):
        iter_scores([str(SEED)], jobs=-1)
    with pytest.raises(TypeError, match="jobs must be an int"):
        score_many([str(SEED)], jobs="2")
    with pytest.raises(TypeError, match="a list of sheets or paths"):
        score_many(str(SEED))
    with pytest.raises(TypeError, match="each item"):
        score_many([3])
    with pytest.raises(TypeError, match="ruleset must be"):
        score_many([str(SEED)], 3)
    with pytest.raises(ValueError, match="errors must be"):
        score_many([str(SEED)], errors="ignore")
    assert resolve_jobs(0) >= 1 and resolve_jobs(5) == 5
    assert score_many([], jobs=2) == []


def test_score_many_is_exported_beside_score():
    import perfrules

    assert perfrules.score_many is score_many and "score_many" in perfrules.__all__


# ---- the command line ----


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> list[str]:
    """The seed, edited copies of it, and generated tables."""
    folder = tmp_path_factory.mktemp("cli-tables")
    text = SEED.read_text(encoding="utf-8")
    edited = folder / "edited.txt"
    edited.write_text(text.replace("498项", "198项"), encoding="utf-8")
    drawn = sorted(_draw(strategies.sheets(max_rows=8)), key=lambda sheet: -len(sheet.rows))[:3]
    sheets = [attrs.evolve(sheet, fiscal_year=2024) for sheet in drawn]  # a year mof is in effect
    return [str(SEED), str(edited), *write_sheets(folder, sheets), str(SEED)]


def _draw(strategy, count: int = 30) -> list:
    """Values of ``strategy``, the same every run (a fixture is no
    Hypothesis test: it needs fixed tables, not a search)."""
    drawn = []

    @settings(max_examples=count, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def take(value):
        drawn.append(value)

    take()
    return drawn


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "html"])
def test_score_with_jobs_prints_the_same_bytes_as_one_process(fmt, tables, capsys):
    one = run(["score", *tables, "--format", fmt, "--jobs", "1"], capsys)
    two = run(["score", *tables, "--format", fmt, "--jobs", "2"], capsys)
    assert one[0] == 0, one[2]
    assert two == one


def test_score_with_jobs_writes_the_same_files(tables, tmp_path, capsys):
    for jobs in ("1", "2"):
        status, out, err = run(["score", *tables, "--format", "xlsx", "-o", tmp_path / jobs, "-j", jobs], capsys)
        assert status == 0, err
    one = sorted(p.name for p in (tmp_path / "1").iterdir())
    assert one == sorted(p.name for p in (tmp_path / "2").iterdir()) and len(one) == len(tables)
    for name in one:
        if not name.endswith(".xlsx"):  # a workbook holds its time of writing
            assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()


def test_audit_with_jobs_prints_the_same_as_one_process(tables, capsys):
    one = run(["audit", *tables], capsys)
    two = run(["audit", *tables, "--jobs", "0"], capsys)
    assert one[0] == 1 and "differs: row 57" in one[1]
    assert two == one
    assert [line.split(":")[0] for line in one[1].splitlines() if not line.startswith(" ")] == tables


def test_a_file_that_fails_is_named_and_the_others_are_scored(tables, tmp_path, capsys):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    files = [tables[0], tmp_path / "missing.txt", tables[1], broken, tables[2]]
    for command in (["score"], ["audit"]):
        one = run([*command, *files, "-j", "1"], capsys)
        two = run([*command, *files, "-j", "2"], capsys)
        assert two == one
        status, out, err = two
        assert status == 2
        assert f"{tmp_path / 'missing.txt'}: cannot read the file" in err
        assert f"{broken}: not a readable .xlsx workbook" in err
        assert "Traceback" not in err
        assert out.count("total") >= 3  # the three good tables


@pytest.mark.parametrize("value", ["-1", "x", "1.5"])
def test_a_bad_jobs_value_is_a_usage_error(value, capsys):
    status, out, err = run(["score", str(SEED), "--jobs", value], capsys)
    assert status == 2 and "--jobs" in err and "Traceback" not in err


def test_the_options_of_score_and_audit_name_jobs():
    parser = cli.build_parser()
    help_text = parser._subparsers._group_actions[0].choices["score"].format_help()
    assert "--jobs N" in help_text and "one per core" in help_text
