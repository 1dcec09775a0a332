"""Sphinx configuration for the perfrules documentation.

Build: ``python -m sphinx -W -n -b html docs docs/_build/html``; run the
examples: ``python -m sphinx -W -n -b doctest docs docs/_build/doctest``.
The build needs no network.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

# Document the checkout these docs belong to, installed or not; the local
# extensions live in docs/_ext.
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(DOCS / "_ext"))

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
    "sphinx_copybutton",
    # docs/_ext/perfrules_docs.py: the CLI reference, generated from the
    # argument parser, and the sample HTML report, rendered at build time.
    "perfrules_docs",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_intersphinx", "_ext", "Thumbs.db", ".DS_Store"]

html_theme = "furo"
html_title = "perfrules"

myst_enable_extensions = ["colon_fence", "deflist"]
# Headings up to ### get anchors, so a page can link to a section of another.
myst_heading_anchors = 3

# The copy button copies the commands, not the prompts or the output.
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True

# Every example in the docs runs in `-b doctest` with these names at hand,
# from the root of the checkout (the examples read examples/ and rulesets/
# by relative path, as a reader in a clone would).
doctest_global_setup = f"""
import os as _os
_os.chdir({str(ROOT)!r})
from decimal import Decimal
from fractions import Fraction
import perfrules
from perfrules import *
"""

autodoc_member_order = "bysource"
autodoc_typehints = "description"

# The build must not need the network (CI reaches package registries only),
# so the inventories are committed under docs/_intersphinx/ (where they come
# from: docs/_intersphinx/README.md); the links point at the live sites.
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", str(DOCS / "_intersphinx" / "python.inv")),
    "attrs": ("https://www.attrs.org/en/stable", str(DOCS / "_intersphinx" / "attrs.inv")),
    "hypothesis": ("https://hypothesis.readthedocs.io/en/latest", str(DOCS / "_intersphinx" / "hypothesis.inv")),
}

# Names in signatures that neither this project nor an inventory documents.
nitpick_ignore: list[tuple[str, str]] = []

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
