"""The cookbook's policies (examples/policies): each passes its examples
and its own properties, and each broken twin, one slip away, is caught by
both, as docs/cookbook.md shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfrules import Ruleset
from perfrules.testing import check_ruleset, ruleset_files, run_examples, run_properties

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "examples" / "policies"

# (policy, what the twin replaces, with what, the property that catches it)
TWINS = [
    ("budget-adjustment", "<= 10%: weight * 60%", "<= 10: weight * 60%", "over_scores_nothing"),
    ("late-band", "<= 28: weight * 80%", "<= 28%: weight * 80%", "late_band"),
    ("survey-sample", 'number("样本数") < 30\n  score', 'number("样本数") > 30\n  score', "capped"),
    ("target-setting", "share(actual >= target and actual <= 1.3 * target among target is comparison)",
     "count(actual >= target and actual <= 1.3 * target)", "within_its_points"),
    ("late-reason", 'note in ["", "/", "无"]', 'note in ["/", "无"]', "late_flagged"),
]


@pytest.fixture(autouse=True)
def _scratch(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # Hypothesis' folder goes here


def test_every_policy_has_a_twin():
    assert sorted(p.parent.name for p in ruleset_files(POLICIES)) == sorted(name for name, *_ in TWINS)


@pytest.mark.parametrize("name, old, new, prop", TWINS, ids=[t[0] for t in TWINS])
def test_the_policy_passes_and_its_twin_is_caught(name, old, new, prop):
    path = POLICIES / name / "2024.rules"
    sound = Ruleset.from_file(path)
    assert sound.warnings == ()
    assert run_examples(sound).passed
    assert run_properties(sound, seed=0, max_examples=30, only=prop).passed
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    twin = Ruleset.from_text(text.replace(old, new), path=str(path))
    assert not run_examples(twin).passed
    (caught,) = run_properties(twin, seed=0, max_examples=30, only=prop).properties
    assert caught.status == "failed" and caught.counterexample is not None


@pytest.mark.slow
@pytest.mark.parametrize("path", ruleset_files(POLICIES), ids=lambda p: p.parent.name)
def test_the_policy_passes_check_strict(path):
    assert check_ruleset(path, max_examples=50, seed=0, database=None, strict=True).passed
