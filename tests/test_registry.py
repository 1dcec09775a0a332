"""Rulesets as versioned artefacts: the registry, resolution by fiscal
year, user folders, shadowing, and identity by sha256 (issue 4)."""

from __future__ import annotations

import contextlib
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from perfrules import PerfrulesError, Registry, Ruleset, cli, read_sheet, score
from perfrules.report import result_to_json

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "rulesets"
SEED = "examples/tianjin-kjj-2024-zhengti.txt"
NAMES = ["audit-strict", "budget-capped", "guangxi", "jinan-licheng", "mof", "mof-cost-ratio",
         "mof-legacy-grades", "sichuan-dayin"]
SPECS = ["audit-strict@2020", "budget-capped@2020", "guangxi@2020", "jinan-licheng@2019", "mof@2020",
         "mof-cost-ratio@2020", "mof-legacy-grades@2020", "sichuan-dayin@2020"]

# A 2025 national ruleset as a user would add it: the 2020 rules with
# lower-is-better rows scored W·T/A.
MOF_2025 = """\
ruleset mof
version 2025
effective 2025-01-01
title "财政部通用规则（2025，测试用）"
source "a test"
extends mof@2020

rule overrun
  when direction is lower and actual > target
  score weight * target / actual
  because "超出指标值：按 指标值÷实际值×分值 计分"
"""


@pytest.fixture(autouse=True)
def no_environment(monkeypatch):
    monkeypatch.delenv("PERFRULES_PATH", raising=False)


@pytest.fixture(scope="module")
def seed():
    with contextlib.chdir(ROOT):
        return read_sheet(SEED)


@pytest.fixture(scope="module")
def seed_2025():
    with contextlib.chdir(ROOT):
        return read_sheet(SEED, fiscal_year=2025)


@pytest.fixture
def user_2025(tmp_path) -> Path:
    (tmp_path / "mof").mkdir()
    (tmp_path / "mof" / "2025.rules").write_text(MOF_2025, encoding="utf-8")
    return tmp_path


def shipped_text(name: str, version: str = "2020") -> str:
    return (SHIPPED / name / f"{version}.rules").read_text(encoding="utf-8")


def outcome(scored):
    return ([(r.result.score, r.result.low, r.result.high, r.result.status) for r in scored.rows],
            scored.budget.result.score, scored.total, scored.grade, scored.ruleset)


# ---- what ships ----


def test_shipped_rulesets():
    assert [entry.spec for entry in Registry()] == SPECS
    assert Registry().names() == NAMES
    assert all(entry.shipped and entry.title and entry.source for entry in Registry())


def test_default_for_2024_is_mof_2020(seed):
    assert Registry().resolve("mof", year=2024).version == "2020"
    assert seed.fiscal_year == 2024
    result = score(seed)
    assert (result.ruleset.name, result.ruleset.version) == ("mof", "2020")


def test_default_on_a_date():
    import datetime as dt

    assert Registry().entry("mof", on=dt.date(2020, 12, 31)).version == "2020"
    with pytest.raises(PerfrulesError) as caught:
        Registry().entry("mof", on=dt.date(2020, 1, 1))  # before 财预〔2020〕10号 took effect
    assert "2020" in str(caught.value) and "2020-02-25" in str(caught.value)


def test_jinan_licheng_is_in_effect_only_in_2019():
    registry = Registry()
    assert registry.resolve("jinan-licheng", year=2019).version == "2019"
    with pytest.raises(PerfrulesError) as caught:
        registry.resolve("jinan-licheng", year=2020)
    assert "2019-12-31" in str(caught.value)


# ---- a user folder ----


def test_user_2025_does_not_change_the_2024_result(seed, user_2025):
    registry = Registry(paths=[user_2025])
    assert {e.spec for e in registry} == set(SPECS) | {"mof@2025"}
    assert registry.resolve("mof", year=2024).version == "2020"
    assert outcome(score(seed, registry=registry)) == outcome(score(seed))


def test_user_2025_is_chosen_for_a_2025_table(seed_2025, user_2025):
    registry = Registry(paths=[user_2025])
    assert registry.resolve("mof", year=2025).version == "2025"
    result = score(seed_2025, registry=registry)
    assert (result.ruleset.name, result.ruleset.version) == ("mof", "2025")
    assert result.ruleset.sha256 == registry.resolve("mof@2025").sha256 != Registry().resolve("mof").sha256
    # The changed rule: 1 × 34403.58 / 44316.45 = 0.776… → 0.78 (0.71 under 2020).
    assert result.row(57).result.score == Decimal("0.78")
    assert result.row(58).result.score == Decimal("2.00")  # the rest is inherited


def test_environment_variable_adds_folders(monkeypatch, seed_2025, user_2025, tmp_path_factory):
    other = tmp_path_factory.mktemp("empty")
    monkeypatch.setenv("PERFRULES_PATH", f"{other}:{user_2025}")
    registry = Registry()
    assert registry.resolve("mof", year=2025).version == "2025"
    assert not registry.entry("mof@2025").shipped
    assert score(seed_2025, registry=registry).ruleset.version == "2025"


def test_environment_variable_reaches_the_command_line(monkeypatch, capsys, user_2025):
    monkeypatch.setenv("PERFRULES_PATH", str(user_2025))
    with contextlib.chdir(ROOT):
        status = cli.main(["score", SEED, "--year", "2025", "--format", "json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    import json

    assert json.loads(out)["ruleset"]["version"] == "2025"


def test_shadowing_a_shipped_version_is_an_error(tmp_path):
    (tmp_path / "mof").mkdir()
    shadow = tmp_path / "mof" / "2020.rules"
    shadow.write_text(shipped_text("mof").replace("rounding 0.01 half-up", "rounding 0.1 half-up"), encoding="utf-8")
    with pytest.raises(PerfrulesError) as caught:
        Registry(paths=[tmp_path])
    message = str(caught.value)
    assert "mof@2020" in message
    assert str(shadow) in message and str(SHIPPED / "mof" / "2020.rules") in message
    assert "override" in message


def test_shadowing_with_override(tmp_path, seed):
    (tmp_path / "mof").mkdir()
    shadow = tmp_path / "mof" / "2020.rules"
    shadow.write_text(shipped_text("mof").replace("rounding 0.01 half-up", "rounding 0.1 half-up"), encoding="utf-8")
    registry = Registry(paths=[tmp_path], override=True)
    assert registry.entry("mof@2020").path == str(shadow)
    ruleset = registry.resolve("mof", year=2024)
    assert ruleset.sha256 != Registry().resolve("mof").sha256
    assert score(seed, registry=registry).budget.result.score == Decimal("9.6")


@pytest.mark.parametrize(
    ("folder", "file", "edit", "says", "path_says"),
    [
        ("foo", "2020.rules", ("ruleset mof\n", "ruleset bar\n"), "bar@2020", "foo@2020"),
        ("mof", "2031.rules", ("version 2020\n", "version 2030\n"), "mof@2030", "mof@2031"),
    ],
)
def test_path_disagreeing_with_header_names_both(tmp_path, folder, file, edit, says, path_says):
    (tmp_path / folder).mkdir()
    path = tmp_path / folder / file
    text = shipped_text("mof")
    assert edit[0] in text
    path.write_text(text.replace(*edit), encoding="utf-8")
    with pytest.raises(PerfrulesError) as caught:
        Registry(paths=[tmp_path])
    message = str(caught.value)
    assert says in message and path_says in message and str(path) in message


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(PerfrulesError) as caught:
        Registry(paths=[tmp_path / "nowhere"])
    assert "nowhere" in str(caught.value)


# ---- NAME@VERSION and unknown names ----


def test_name_at_version_pins(seed_2025, user_2025):
    registry = Registry(paths=[user_2025])
    assert registry.resolve("mof@2020", year=2025).version == "2020"
    result = score(seed_2025, "mof@2020", registry=registry)
    assert (result.ruleset.name, result.ruleset.version) == ("mof", "2020")
    assert result.row(57).result.score == Decimal("0.71")
    pinned = score(seed_2025, "mof-cost-ratio@2020")
    assert (pinned.ruleset.name, pinned.ruleset.version) == ("mof-cost-ratio", "2020")


def test_unknown_name_lists_the_names():
    with pytest.raises(PerfrulesError) as caught:
        Registry().resolve("mof-strict")
    message = str(caught.value)
    assert "mof-strict" in message
    assert all(name in message for name in NAMES)


def test_unknown_version_lists_the_versions(user_2025):
    with pytest.raises(PerfrulesError) as caught:
        Registry(paths=[user_2025]).resolve("mof@2019")
    message = str(caught.value)
    assert "2019" in message and "2020" in message and "2025" in message


def test_no_version_in_effect_lists_the_versions():
    with pytest.raises(PerfrulesError) as caught:
        Registry().resolve("mof", year=2019)
    message = str(caught.value)
    assert "2019-12-31" in message and "2020" in message


# ---- identity ----


def test_every_shipped_ruleset_has_its_own_sha256():
    registry = Registry()
    hashes = {spec: registry.resolve(spec).sha256 for spec in SPECS}
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes.values())
    assert len(set(hashes.values())) == len(SPECS)


def _copy_shipped(tmp_path: Path) -> Path:
    folder = tmp_path / "rulesets"
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


@pytest.mark.parametrize("spec", SPECS)
def test_perfrules_fmt_does_not_change_the_sha256(tmp_path, capsys, spec):
    name, version = spec.split("@")
    folder = _copy_shipped(tmp_path)
    path = folder / name / f"{version}.rules"
    # Make it untidy first, so that fmt has something to do.
    untidy = "\n".join(line.replace("  ", "    ") + "   " for line in path.read_text(encoding="utf-8").splitlines())
    path.write_text(untidy + "\n\n\n", encoding="utf-8")
    assert cli.main(["fmt", "--write", str(path)]) == 0
    capsys.readouterr()
    assert path.read_text(encoding="utf-8") != untidy
    assert Ruleset.from_file(path).sha256 == Registry().resolve(spec).sha256


@pytest.mark.parametrize("spec", SPECS)
def test_comments_and_whitespace_do_not_change_the_sha256(tmp_path, spec):
    name, version = spec.split("@")
    folder = _copy_shipped(tmp_path)
    path = folder / name / f"{version}.rules"
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("rule ", "ruleset ", "grades", "weights", "expect", "check", "extends")):
            lines += ["", "# 注释：a comment the author added", ""]
        lines.append(line + "  ")
    path.write_text("# header comment\n\n" + "\n".join(lines) + "\n\n# trailing comment\n", encoding="utf-8")
    assert Ruleset.from_file(path).sha256 == Registry().resolve(spec).sha256


def test_changing_a_parent_changes_the_childs_sha256(tmp_path):
    folder = _copy_shipped(tmp_path)
    parent = folder / "mof" / "2020.rules"
    parent.write_text(parent.read_text(encoding="utf-8").replace("优: total >= 90", "优: total >= 85"),
                      encoding="utf-8")
    shipped = Registry()
    # Through the folder the child sits in …
    for name in ("audit-strict", "mof-cost-ratio", "budget-capped"):
        child = Ruleset.from_file(folder / name / "2020.rules")
        assert child.sha256 != shipped.resolve(f"{name}@2020").sha256, name
    # … and through a registry that lets the edited parent win.
    registry = Registry(paths=[folder], override=True)
    assert registry.resolve("audit-strict@2020").sha256 != shipped.resolve("audit-strict@2020").sha256
    assert registry.resolve("mof-legacy-grades@2020").sha256 == shipped.resolve("mof-legacy-grades@2020").sha256, (
        "mof-legacy-grades replaces the grades, so the parent's edit does not reach it")


def test_changing_the_child_changes_its_sha256(tmp_path):
    folder = _copy_shipped(tmp_path)
    child = folder / "audit-strict" / "2020.rules"
    child.write_text(child.read_text(encoding="utf-8").replace("default 90%", "default 80%"), encoding="utf-8")
    assert Ruleset.from_file(child).sha256 != Registry().resolve("audit-strict@2020").sha256


@pytest.mark.parametrize("spec", SPECS)
def test_every_result_carries_name_version_and_sha256(seed, spec):
    ruleset = Registry().resolve(spec)
    result = score(seed, spec)
    name, version = spec.split("@")
    assert (result.ruleset.name, result.ruleset.version, result.ruleset.sha256) == (name, version, ruleset.sha256)
    assert result_to_json(result)["ruleset"] == {"name": name, "version": version, "sha256": ruleset.sha256}


def test_a_ruleset_object_is_identified_too(seed):
    ruleset = Ruleset.from_file(SHIPPED / "mof-cost-ratio" / "2020.rules")
    result = score(seed, ruleset)
    assert (result.ruleset.name, result.ruleset.version, result.ruleset.sha256) == (
        "mof-cost-ratio", "2020", Registry().resolve("mof-cost-ratio@2020").sha256)
