"""Sphinx configuration for the perfrules documentation.

Build: ``python -m sphinx -W -n -b html docs docs/_build/html``; run the
examples: ``python -m sphinx -W -n -b doctest docs docs/_build/doctest``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Document the checkout these docs belong to, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

project = "perfrules"
author = "the perfrules authors"
copyright = "2025, the perfrules authors"
release = version = "0.1.0"
language = "en"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

html_theme = "furo"
html_title = "perfrules"

myst_enable_extensions = ["colon_fence", "deflist"]

# Every example in the docs runs in `-b doctest` with these names at hand.
doctest_global_setup = """
from decimal import Decimal
from fractions import Fraction
import perfrules
from perfrules import *
"""

autodoc_member_order = "bysource"
autodoc_typehints = "description"

# The build must not need the network (CI can reach package registries only),
# so no inventories are fetched by default. Set PERFRULES_INTERSPHINX=1 to
# link the Python docs when online.
intersphinx_mapping: dict[str, tuple[str, None]] = {}
if os.environ.get("PERFRULES_INTERSPHINX"):
    intersphinx_mapping["python"] = ("https://docs.python.org/3", None)

# Standard-library and attrs names in signatures: resolved through
# intersphinx when it is on; without it, nitpicky mode (-n) must not fail.
nitpick_ignore = [
    ("py:class", name)
    for name in (
        "Decimal",
        "decimal.Decimal",
        "Fraction",
        "fractions.Fraction",
        "pathlib.Path",
        "ClassVar",
        "typing.ClassVar",
        "Exception",
        "str",
        "int",
        "bool",
        "dict",
        "list",
        "tuple",
        "None",
        "optional",
    )
]

# The signatures in perfrules.parallel name these; a page that documents
# one makes its references resolve all the same.
nitpick_ignore += [
    ("py:class", name)
    for name in (
        "os.PathLike",
        "collections.abc.Iterable",
        "collections.abc.Iterator",
        "perfrules.records.Sheet",
        "perfrules.evaluate.ScoreSheet",
        "perfrules.registry.Registry",
    )
]
