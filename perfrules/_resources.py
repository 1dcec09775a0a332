"""Where the grammar and the shipped rulesets are.

In an installed wheel they sit inside the package (``perfrules/grammar``);
in a source checkout, beside it (``grammar/`` at the top of the repository).
"""

from __future__ import annotations

import logging
import os
import stat
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

_log = logging.getLogger("perfrules")


def parser_cache(grammar: str) -> str | bool:
    """Where Lark keeps the analysed ``grammar`` between runs (its LALR
    tables: building them is most of a cold start), in the user's own cache
    folder, never a shared temporary one; ``False`` when there is none.

    Lark's cache file is a pickle, so whoever can write it can run code in
    this process.  It is used only when the folder and the file belong to
    the current user and no one else can write them (on POSIX); otherwise
    the parser is built in memory and one line is logged."""
    if os.environ.get(NO_CACHE_VARIABLE):
        return False
    folder = _cache_folder(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"))
    if folder is None:
        return False
    import lark  # only for its version, which the cached tables depend on

    path = folder / f"{grammar}-lark{lark.__version__}.cache"
    return str(path) if _own_file(path) else False


def _unsafe(status: os.stat_result) -> str | None:
    """Why a file or folder with this status may hold someone else's
    pickle; ``None`` when only the current user can have written it."""
    if not hasattr(os, "geteuid"):  # Windows: the profile folder is the user's own
        return None
    if status.st_uid != os.geteuid():
        return f"it belongs to user {status.st_uid}"
    if status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"others can write it (mode {stat.filemode(status.st_mode)})"
    return None


@lru_cache(maxsize=None)
def _cache_folder(base: str) -> Path | None:
    """``<base>/perfrules``, made if missing, when it is safe to load
    pickles from; ``None`` (and one line logged) when it is not."""
    folder = Path(base) / "perfrules"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        status = os.stat(folder)
    except OSError:
        return None
    why = "it is not a folder" if not stat.S_ISDIR(status.st_mode) else _unsafe(status)
    if why is None and not os.access(folder, os.W_OK):
        return None
    if why is not None:
        _log.warning("perfrules: not using the parser cache %s: %s; building the parsers in memory", folder, why)
        return None
    return folder


def _own_file(path: Path) -> bool:
    """Make sure ``path`` (in a folder only this user can write) is a
    regular file of this user's that no one else can write.  A file that is
    not is removed unread; a missing one is made empty with mode 0600, so
    Lark (which treats an empty file as stale) fills it with the
    analysed grammar whatever the umask."""
    try:
        status = os.lstat(path)
        if stat.S_ISREG(status.st_mode) and _unsafe(status) is None:
            return True
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        return False
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600))
    except OSError:
        return False
    return True
