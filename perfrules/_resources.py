"""Where the grammar and the shipped rulesets are.

In an installed wheel they sit inside the package (``perfrules/grammar``);
in a source checkout, beside it (``grammar/`` at the top of the repository).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder ``name`` (``grammar`` or ``rulesets``)."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"perfrules is installed without its {name}/ folder (looked in {_PACKAGE})")


@lru_cache(maxsize=None)
def grammar_text(filename: str) -> str:
    """The text of ``grammar/<filename>``."""
    return (data_dir("grammar") / filename).read_text(encoding="utf-8")
