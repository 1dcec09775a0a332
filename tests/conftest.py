"""Test configuration shared by every test module.

Hypothesis profiles: ``default`` runs 200 examples per property; ``ci``
(chosen automatically when the ``CI`` environment variable is set, as
``.ci/run`` does) has no deadline, since shared CI machines stall at random,
and is derandomized, so a CI failure reproduces. Pick one by hand with
``pytest --hypothesis-profile=ci``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("default", max_examples=200)
settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

ROOT = Path(__file__).resolve().parent.parent

# The Lark parsers' cache (perfrules/_resources.py) goes to a folder of this
# test run's own, never the user's ~/.cache: set before any parser is built,
# and inherited by the CLI subprocesses the tests start.
_PARSER_CACHE_HOME = tempfile.mkdtemp(prefix="perfrules-tests-cache-")
os.environ["XDG_CACHE_HOME"] = _PARSER_CACHE_HOME


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_PARSER_CACHE_HOME, ignore_errors=True)


def pytest_terminal_summary(terminalreporter):
    """The fuzz campaigns' tallies (tests/test_fuzz.py), one line each."""
    lines = [f"{report.nodeid.split('::')[-1]}: {tally['inputs']} inputs, {tally['crashes']} crashes, "
             f"{tally['lost']} lost rows" + (f", {tally['accepted']} rulesets accepted" if "accepted" in tally else "")
             for reports in terminalreporter.stats.values() for report in reports
             if getattr(report, "when", None) == "call"
             for name, tally in getattr(report, "user_properties", ()) if name == "fuzz"]
    if lines:
        terminalreporter.write_sep("-", "fuzz campaigns")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def root() -> Path:
    """The project's top-level folder (holding README.md and pyproject.toml)."""
    return ROOT
