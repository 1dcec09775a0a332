"""The type-checking contract the package keeps with its users.

perfrules ships ``py.typed``, so a user's type checker reads its
annotations; .ci/run runs ruff and mypy (they are not run here: mypy takes
tens of seconds).  These tests guard the configuration those runs rely on.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

import perfrules

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: mypy, in the test extra, brings tomli
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(perfrules.__file__).resolve().parent


def _mypy_overrides() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return [module for override in config["tool"]["mypy"].get("overrides", []) for module in override["module"]]


def test_the_package_is_marked_as_typed():
    # PEP 561: without the marker a user's checker treats perfrules as untyped.
    marker = PACKAGE / "py.typed"
    assert marker.is_file(), f"{marker} is missing: the wheel would not say perfrules is typed"


@pytest.mark.parametrize("module", sorted({m.removesuffix(".*") for m in _mypy_overrides()}))
def test_mypy_overrides_name_only_untyped_packages(module):
    """An override that ignores a package's missing types must not hide
    the types of a package that has them (lark, attrs, hypothesis do)."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        pytest.skip(f"{module} is not installed here")
    folder = Path(next(iter(spec.submodule_search_locations)))
    assert not (folder / "py.typed").exists(), (
        f"{module} ships py.typed: remove it from the [[tool.mypy.overrides]] of pyproject.toml"
    )


_IGNORE = re.compile(r"#\s*type:\s*ignore(?P<rest>.*)$")


def test_every_type_ignore_names_its_error_and_says_why():
    bare = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            match = _IGNORE.search(line)
            if match and not re.fullmatch(r"\[[\w\-, ]+\]\s+#\s*\S.*", match.group("rest")):
                bare.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not bare, "a '# type: ignore' needs its error code and a comment saying why:\n" + "\n".join(bare)
