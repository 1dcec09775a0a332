"""One policy finds the parent of ``extends`` for every command: the
rulesets folder holding the file, then the registry (shipped rulesets,
PERFRULES_PATH, --rulesets); when it fails, the error says where it looked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from perfrules import Ruleset
from perfrules.errors import RulesetCheckError
from perfrules.finder import Finder

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "tianjin-kjj-2024-zhengti.txt"
BASE = "ruleset base\nversion 1\nrule met\n  otherwise\n  score weight\n"
CHILD = "ruleset mine\nversion 1\nextends base@1\nrule half\n  when completion < 50%\n  score 0\n"


def _cli(*args: str, env_path: Path | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"}
    if env_path is not None:
        env["PERFRULES_PATH"] = str(env_path)
    return subprocess.run([sys.executable, "-m", "perfrules", *args], capture_output=True, text=True,
                          env=env, cwd=cwd or ROOT)


@pytest.fixture
def layout(tmp_path):
    """base@1 in a registry folder of its own; mine.rules elsewhere."""
    (tmp_path / "library" / "base").mkdir(parents=True)
    (tmp_path / "library" / "base" / "1.rules").write_text(BASE, encoding="utf-8")
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "mine.rules").write_text(CHILD, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("how", ["env", "option"])
def test_check_and_score_find_the_parent_the_same_way(layout, how):
    mine = str(layout / "work" / "mine.rules")
    env = layout / "library" if how == "env" else None
    extra = () if how == "env" else ("--rulesets", str(layout / "library"))
    checked = _cli("check", mine, "--no-properties", *extra, env_path=env)
    assert checked.returncode == 0, checked.stderr
    scored = _cli("score", str(SEED), "--ruleset-file", mine, *extra, env_path=env)
    assert scored.returncode == 0, scored.stderr
    assert "mine@1" in scored.stdout or "mine" in scored.stdout


def test_a_missing_parent_says_where_it_was_looked_for(layout):
    mine = layout / "work" / "mine.rules"
    for args in (("check", str(mine), "--no-properties"), ("score", str(SEED), "--ruleset-file", str(mine))):
        result = _cli(*args)
        assert result.returncode == 2
        assert "cannot find ruleset base@1 to extend; looked for base/1.rules in " in result.stderr
        assert "the rulesets folder holding this file (" in result.stderr
        assert "and among the rulesets shipped with perfrules; no ruleset named base" in result.stderr
        assert "Traceback" not in result.stderr


def test_the_finder_looks_beside_the_file_first(layout):
    (layout / "work" / "base").mkdir()
    (layout / "work" / "base" / "1.rules").write_text(BASE.replace("score weight", "score 0"), encoding="utf-8")
    inner = layout / "work" / "inner"
    inner.mkdir()
    (inner / "mine.rules").write_text(CHILD, encoding="utf-8")
    finder = Finder(str(inner / "mine.rules"))
    text, path = finder("base", "1")
    assert "score 0" in text and Path(path).parent.parent == (layout / "work").resolve()
    assert finder.places[0] == str((layout / "work").resolve())


def test_from_text_without_a_parent_raises_a_check_error_naming_the_places(layout):
    with pytest.raises(RulesetCheckError, match=r"looked for base/1\.rules in among the rulesets shipped"):
        Ruleset.from_text(CHILD, resolve=Finder())


def test_the_message_names_the_versions_there_are(layout):
    (layout / "work" / "mine.rules").write_text(CHILD.replace("base@1", "base@2"), encoding="utf-8")
    result = _cli("check", str(layout / "work" / "mine.rules"), "--no-properties", env_path=layout / "library")
    assert result.returncode == 2
    assert "cannot find ruleset base@2 to extend; looked for base/2.rules in " in result.stderr
    assert str(layout / "library") in result.stderr or "library" in result.stderr
    assert "versions of base known: 1" in result.stderr
