"""Where the grammar and the shipped rulesets are.

In an installed wheel they sit inside the package (``perfrules/grammar``);
in a source checkout, beside it (``grammar/`` at the top of the repository).
"""

from __future__ import annotations

import os
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


#: Set to any value to build the Lark parsers afresh each time.
NO_CACHE_VARIABLE = "PERFRULES_NO_PARSER_CACHE"


def parser_cache(grammar: str) -> str | bool:
    """Where Lark keeps the analysed ``grammar`` between runs (its LALR
    tables: building them is most of a cold start), in the user's own cache
    folder, never a shared temporary one; ``False`` when there is none.
    Lark checks the grammar's hash before using the file."""
    if os.environ.get(NO_CACHE_VARIABLE):
        return False
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "perfrules"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return False
    if not os.access(folder, os.W_OK):
        return False
    import lark  # only for its version, which the cached tables depend on

    return str(folder / f"{grammar}-lark{lark.__version__}.cache")
