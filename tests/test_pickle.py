"""Issue 7, part 3: compiled rulesets, sheets, rows and results pickle to
equal, working values, so they can be shipped to worker processes."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings

import perfrules
from perfrules import Registry, Row, Ruleset, read_sheet, score
from perfrules.testing import strategies

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "tianjin-kjj-2024-zhengti.txt"
SHIPPED = sorted(entry.spec for entry in Registry(environment=False))


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("PERFRULES_PATH", raising=False)


def roundtrip(value):
    return pickle.loads(pickle.dumps(value))


@pytest.mark.parametrize("spec", SHIPPED)
def test_a_shipped_ruleset_pickles_to_an_equal_working_ruleset(spec):
    ruleset = Registry().resolve(spec)
    again = roundtrip(ruleset)
    assert again == ruleset and hash(again) == hash(ruleset)
    assert (again.name, again.version, again.sha256, again.path) == (ruleset.name, ruleset.version,
                                                                     ruleset.sha256, ruleset.path)
    sheet = read_sheet(SEED)
    assert score(sheet, again) == score(sheet, ruleset)


def test_a_ruleset_pickles_without_its_parents_files(tmp_path):
    # The parent lives in a folder that is gone when the ruleset is unpickled
    # (as on a worker of another machine): the pickle carries its text.
    folder = tmp_path / "rules"
    (folder / "base").mkdir(parents=True)
    (folder / "child").mkdir()
    (folder / "base" / "1.rules").write_text(
        "ruleset base\nversion 1\nrule met\n  otherwise\n  score weight\n", encoding="utf-8")
    (folder / "child" / "1.rules").write_text(
        "ruleset child\nversion 1\nextends base@1\nrule nothing_done\n"
        "  when direction is higher and actual = 0\n  score 0\n", encoding="utf-8")
    ruleset = Registry([folder]).resolve("child@1")
    data = pickle.dumps(ruleset)
    shutil.rmtree(folder)
    from perfrules.ruleset import _rebuild

    _rebuild.cache_clear()  # rebuild from the pickle, not from this process's cache
    again = pickle.loads(data)
    assert again == ruleset and again.model.lineage == ruleset.model.lineage
    row = Row.of(target="≥10次", actual="0次", weight="2")
    assert again.evaluate(row) == ruleset.evaluate(row)
    assert again.evaluate(row).rule == "nothing_done"


def test_a_ruleset_from_text_pickles_and_unpickling_compiles_once():
    ruleset = Ruleset.from_text("ruleset demo\nversion 1\nrule met\n  otherwise\n  score weight\n")
    data = pickle.dumps(ruleset)
    first, second = pickle.loads(data), pickle.loads(data)
    assert first == ruleset and first is second  # a worker compiles a ruleset once, however many tasks


def test_the_seed_sheet_and_its_result_pickle_to_equal_values():
    sheet = read_sheet(SEED)
    scored = score(sheet)
    assert roundtrip(sheet) == sheet
    assert roundtrip(scored) == scored
    assert roundtrip(scored).rows[11].result.trace == scored.rows[11].result.trace


@settings(max_examples=50, deadline=None)
@given(strategies.sheets())
def test_generated_sheets_and_results_pickle_to_equal_values(sheet):
    assert roundtrip(sheet) == sheet
    scored = score(sheet, "mof@2020")
    assert roundtrip(scored) == scored


@settings(max_examples=50, deadline=None)
@given(strategies.rows())
def test_generated_rows_and_row_results_pickle(row):
    assert roundtrip(row) == row
    result = Registry().resolve("mof@2020").evaluate(row)
    assert roundtrip(result) == result


@pytest.mark.parametrize("make", [
    lambda: perfrules.parse_target("≥1.2.3万元"),
    lambda: perfrules.parse_target("≥2024年13月"),
    lambda: perfrules.Ruleset.from_text("ruleset r version 1 rule met otherwise score weight +"),
], ids=["target-syntax", "target-rejected", "ruleset-syntax"])
def test_syntax_errors_carry_no_lark_exception_and_pickle(make):
    """An error raised in a worker comes back whole: no chained Lark
    exception (which does not pickle once Dask's hooks are in) rides along."""
    with pytest.raises(perfrules.PerfrulesError) as caught:
        make()
    error = caught.value
    assert error.__context__ is None and error.__cause__ is None
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error)
