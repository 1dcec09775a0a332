"""The Sphinx docs build with warnings as errors, and their examples run.

These are slow (a few seconds each) but run in CI too: a doc example that no
longer matches the library is a bug.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"

# Outside CI, a checkout installed without the docs extra skips these; in CI
# (which installs it) a missing package is a failure, never a silent skip.
if not os.environ.get("CI"):
    for module in ("sphinx", "myst_parser", "furo"):
        pytest.importorskip(module, reason="the docs extra is not installed")


def sphinx_build(builder: str, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable, "-m", "sphinx",
            "-W", "--keep-going", "-n", "-E", "-q",
            "-b", builder,
            "-d", str(out / "doctrees"),
            str(DOCS), str(out / builder),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


def report(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"


@pytest.mark.slow
def test_html_builds_without_warnings(tmp_path):
    result = sphinx_build("html", tmp_path)
    assert result.returncode == 0, report(result)
    html = tmp_path / "html"
    assert (html / "targets.html").is_file()
    # The API reference holds every public name (its objects are in the
    # inventory that intersphinx would read).
    from sphinx.util.inventory import InventoryFile

    import perfrules

    with open(html / "objects.inv", "rb") as handle:
        inventory = InventoryFile.load(handle, "", lambda base, uri: uri)
    objects = {name for kind, entries in _entries(inventory).items() if kind.startswith("py:") for name in entries}
    missing = [name for name in perfrules.__all__ if f"perfrules.{name}" not in objects]
    assert not missing, f"not in the built API reference: {missing}"
    # The sample report is rendered into the build, as the command renders it.
    sample = (html / "_static" / "sample-report.html").read_text("utf-8")
    assert sample.startswith("<!DOCTYPE html>") and "天津市科学技术局" in sample


def _entries(inventory):
    """The inventory as {type: {name: ...}}, whichever Sphinx made it."""
    return getattr(inventory, "data", inventory)


@pytest.mark.slow
def test_doc_examples_pass(tmp_path):
    result = sphinx_build("doctest", tmp_path)
    assert result.returncode == 0, report(result)
    output = (tmp_path / "doctest" / "output.txt").read_text("utf-8")
    assert "0 failures in tests" in output, output
