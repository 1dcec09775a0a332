"""Every public name is in the API reference, with a docstring.

The public names are ``perfrules.__all__``; the reference is docs/api.md,
where each is documented by an autodoc directive (``.. autoclass::
perfrules.NAME`` …). A name added to ``__all__`` without a line there, or
without a docstring, fails here; tests/test_docs.py checks that the built
reference holds each one.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import perfrules

API_PAGE = Path(__file__).resolve().parent.parent / "docs" / "api.md"
_DIRECTIVE = re.compile(
    r"^\.\. (?:auto(?:function|class|exception|data|attribute)|py:\w+):: ([\w.]+)\s*$", re.MULTILINE
)


def documented() -> set[str]:
    return set(_DIRECTIVE.findall(API_PAGE.read_text("utf-8")))


def public_members(cls: type):
    """(name, function) of the methods and properties ``cls`` itself defines."""
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(value, (classmethod, staticmethod)):
            yield name, value.__func__
        elif isinstance(value, property):
            yield name, value.fget
        elif inspect.isfunction(value):
            yield name, value


def test_the_public_names_are_unique_and_importable():
    assert len(perfrules.__all__) == len(set(perfrules.__all__))
    for name in perfrules.__all__:
        assert hasattr(perfrules, name), name


@pytest.mark.parametrize("name", perfrules.__all__)
def test_public_name_is_in_the_api_reference(name):
    assert f"perfrules.{name}" in documented(), (
        f"perfrules.{name} is public (in perfrules.__all__) but docs/api.md does not document it; "
        f"add an autodoc directive for it"
    )


@pytest.mark.parametrize("name", perfrules.__all__)
def test_public_name_has_a_docstring(name):
    obj = getattr(perfrules, name)
    # A class's own docstring: __doc__ is not inherited by classes.
    assert (obj.__doc__ or "").strip(), f"perfrules.{name} has no docstring"
    if inspect.isclass(obj):
        undocumented = [m for m, function in public_members(obj) if not (function.__doc__ or "").strip()]
        assert not undocumented, f"perfrules.{name} has public members without a docstring: {undocumented}"


def test_the_reference_documents_nothing_that_does_not_exist():
    import importlib

    for dotted in documented():
        module_name, _, attribute = dotted.rpartition(".")
        while module_name:
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                module_name, _, head = module_name.rpartition(".")
                attribute = f"{head}.{attribute}"
                continue
            break
        target = module
        for part in attribute.split("."):
            target = getattr(target, part, None)
            assert target is not None, f"docs/api.md documents {dotted}, which does not exist"
