"""Issue 7, part 3: the Dask recipe.  Indicator rows as a partitioned
DataFrame of cell texts, scored by `score_partitioned` on a local cluster of
two worker processes, give the scores one process gives."""

from __future__ import annotations

import copyreg
import importlib.util
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfrules import Registry, Row, read_sheet
from perfrules.parallel import SCORE_COLUMNS, score_frame, score_partitioned
from perfrules.quantity import format_decimal
from perfrules.testing import strategies

if not all(importlib.util.find_spec(name) for name in ("dask", "distributed", "pandas")):
    pytest.skip("the dask extra (dask[dataframe], distributed) is not installed", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "tianjin-kjj-2024-zhengti.txt"


@pytest.fixture(scope="module", autouse=True)
def dask_modules():
    """Import Dask here, not when tests are collected, and undo what importing
    it does to pickling: tblib's hooks (installed by dask) would pickle every
    exception's __context__ in the tests that run after these."""
    global dd, distributed, pandas
    saved = dict(copyreg.dispatch_table)
    import dask.dataframe as dd
    import distributed
    import pandas

    yield
    copyreg.dispatch_table.clear()
    copyreg.dispatch_table.update(saved)


def cells(row: Row, number: int) -> dict:
    """A row as a table holds it: its cells as text."""
    text = lambda value: "" if value.text is None else value.text  # noqa: E731
    amount = lambda value: None if value is None else format_decimal(value)  # noqa: E731
    return {"id": number, "name": row.name, "level1": row.level1, "level2": row.level2,
            "target": text(row.target), "actual": text(row.actual),
            "weight": amount(row.weight), "reported": amount(row.reported)}


def seed_rows() -> list[dict]:
    return [cells(row, n) for n, row in enumerate(read_sheet(SEED).rows)]


def expected(frame, ruleset) -> list[list]:
    """Scores one process gives, row by row, as the frame holds them."""
    out = []
    for record in frame.to_dict("records"):
        given = {k: record[k] for k in ("target", "actual", "weight", "reported", "name") if not pandas.isna(record[k])}
        result = ruleset.evaluate(Row.read(**given))
        n = lambda v: None if v is None else format_decimal(v)  # noqa: E731
        out.append([n(result.score), n(result.low), n(result.high), result.status, result.rule, result.reason])
    return out


def scored_lists(frame) -> list[list]:
    return [[None if pandas.isna(v) else v for v in row] for row in frame[list(SCORE_COLUMNS)].values.tolist()]


@pytest.fixture(scope="module")
def cluster_client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as client:
        yield client


@pytest.mark.slow
def test_scoring_on_a_local_cluster_equals_one_process(cluster_client):
    ruleset = Registry().resolve("mof@2020")
    rows = pandas.DataFrame(seed_rows() * 3)
    rows["id"] = range(len(rows))
    scored = score_partitioned(dd.from_pandas(rows, npartitions=6), ruleset).compute()
    scored = scored.sort_values("id")
    assert scored["id"].tolist() == rows["id"].tolist()
    assert scored_lists(scored) == expected(rows, ruleset)
    # The work ran on the cluster's worker processes, not in this one.
    assert len(cluster_client.scheduler_info()["workers"]) == 2
    assert scored.loc[scored["name"] == "应用基础研究立项项目数", "score"].iloc[0] == "1.00"


@pytest.mark.slow
def test_a_derived_ruleset_reaches_the_workers_by_its_text(cluster_client, tmp_path):
    # The ruleset's file (and its folder) is gone before the cluster runs:
    # the workers rebuild it from the pickle alone.
    (tmp_path / "strict").mkdir()
    path = tmp_path / "strict" / "1.rules"
    path.write_text("ruleset strict\nversion 1\nextends mof@2020\nrule shortfall\n"
                    "  when (direction is higher or direction is exact) and actual < target\n  score 0\n",
                    encoding="utf-8")
    ruleset = Registry([tmp_path]).resolve("strict@1")
    path.unlink()
    rows = pandas.DataFrame(seed_rows() + [cells(Row.of(target="≥10次", actual="5次", weight="2"), 99)])
    scored = score_partitioned(dd.from_pandas(rows, npartitions=3), ruleset).compute().sort_values("id")
    assert scored_lists(scored) == expected(rows, ruleset)
    assert scored[["rule", "score"]].iloc[-1].tolist() == ["shortfall", "0.00"]  # mof would give 1.00


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(strategies.rows(), max_size=12))
def test_score_frame_equals_scoring_rows_one_by_one(rows):
    ruleset = Registry().resolve("mof@2020")
    frame = pandas.DataFrame([cells(row, n) for n, row in enumerate(rows)],
                             columns=["id", "name", "level1", "level2", "target", "actual", "weight", "reported"])
    scored = score_frame(frame, ruleset)
    assert list(scored.columns) == list(frame.columns) + list(SCORE_COLUMNS)
    assert scored_lists(scored) == expected(frame, ruleset)


def test_score_frame_reads_what_a_frame_holds():
    ruleset = Registry().resolve("mof@2020")
    frame = pandas.DataFrame({
        "target": ["≥15家", "≤5115万元", None, "≥1.2.3万元"],
        "actual": ["6家", "5051.15万元", "1", "1"],
        "weight": [2, 3.5, None, "1"],  # numbers and missing values, as pandas reads a CSV
        "reported": ["0.8", None, None, None],
        "fiscal_year": [2024, None, 2024, 2024],
        "region": ["天津", "天津", "四川", "四川"],  # passed through
    }, index=[10, 11, 12, 13])
    scored = score_frame(frame, ruleset, trace=True)
    assert scored.index.tolist() == [10, 11, 12, 13] and scored["region"].tolist() == frame["region"].tolist()
    assert scored_lists(scored)[:2] == [["0.80", "0.80", "0.80", "agrees", "shortfall", None],
                                        ["3.50", "3.50", "3.50", "unreported", "met", None]]
    assert scored["status"].tolist()[3] == "unscorable" and "≥1.2.3万元" in scored["reason"].tolist()[3]
    assert "target: ≥15家" in scored["trace"].iloc[0]


def test_score_frame_checks_its_arguments():
    ruleset = Registry().resolve("mof@2020")
    with pytest.raises(TypeError, match="ruleset must be a Ruleset"):
        score_frame(pandas.DataFrame({"target": []}), "mof")
    with pytest.raises(TypeError, match="pandas DataFrame"):
        score_frame([{"target": "≥1次"}], ruleset)
    with pytest.raises(ValueError, match="already has the result column"):
        score_frame(pandas.DataFrame({"target": ["≥1次"], "score": ["1"]}), ruleset)
