"""Every module's doctests run: the examples in docstrings are part of the
documentation and must stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import perfrules

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(
    info.name for info in pkgutil.walk_packages(perfrules.__path__, "perfrules.") if info.name != "perfrules.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests(name, monkeypatch):
    monkeypatch.chdir(ROOT)  # examples name files relative to the repository
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctests failed in {name}"


def test_the_examples_are_found():
    assert "perfrules.targets" in MODULES and "perfrules.dsl.parse" in MODULES
