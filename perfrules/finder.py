"""Where a ruleset's parent (``extends NAME@VERSION``) is found: one policy
for every command and for :meth:`perfrules.Ruleset.from_file`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from ._resources import data_dir

__all__ = ["Finder", "ENVIRONMENT_VARIABLE", "default_folders"]

#: Folders of rulesets to add, separated like PATH.
ENVIRONMENT_VARIABLE = "PERFRULES_PATH"


def default_folders() -> list[Path]:
    """The rulesets folders known without asking: the shipped rulesets,
    then each folder of ``PERFRULES_PATH``."""
    folders = [data_dir("rulesets")]
    if os.environ.get(ENVIRONMENT_VARIABLE):
        folders += [Path(p) for p in os.environ[ENVIRONMENT_VARIABLE].split(os.pathsep) if p]
    return folders


def _read(folder: Path, name: str, version: str) -> tuple[str, str] | None:
    candidate = folder / name / f"{version}.rules"
    try:
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8"), str(candidate)
    except (OSError, ValueError):  # a name no file can have: not found
        pass
    return None


def _versions(folder: Path, name: str) -> list[Path]:
    try:
        return list((folder / name).glob("*.rules"))
    except (OSError, ValueError):
        return []


def _shown(folder: Path) -> str:
    """A folder as a message names it: relative to the working folder when
    that is shorter."""
    absolute = str(folder)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive
        return absolute
    return relative if len(relative) < len(absolute) else absolute


class Finder:
    """Finds ``NAME/VERSION.rules``: first in the rulesets folder holding
    the file at ``path`` (``<folder>/<name>/<version>.rules``), then in the
    registry's folders: ``folders`` (default: the shipped rulesets and
    ``PERFRULES_PATH``), read by ``lookup`` when a
    :class:`~perfrules.Registry` gives one (its ``--override`` rule
    applies).  Called as ``finder(name, version)`` → ``(text, path)`` or
    None; :attr:`places` lists where it looks, for the error that says so.

    >>> from perfrules.finder import Finder
    >>> finder = Finder("rulesets/mof/2020.rules")
    >>> finder("mof", "2020")[1].endswith("2020.rules"), finder("nope", "1")
    (True, None)
    """

    def __init__(self, path: str | None = None, *, folders=None,
                 lookup: Callable[[str, str], tuple[str, str] | None] | None = None) -> None:
        self._beside = Path(path).resolve().parent.parent if path is not None else None
        self._folders = [Path(f) for f in folders] if folders is not None else None
        self._lookup = lookup

    @property
    def folders(self) -> list[Path]:
        """The registry's folders, in the order they are read."""
        if self._folders is None:
            self._folders = default_folders()
        return self._folders

    @property
    def places(self) -> list[str]:
        """Every folder looked in, in order."""
        beside = [str(self._beside)] if self._beside is not None else []
        return list(dict.fromkeys(beside + [str(folder) for folder in self.folders]))

    def searched(self, name: str, version: str) -> str:
        """Where ``NAME/VERSION.rules`` was looked for, and the versions of
        ``NAME`` that are there: for the message when it is not found."""
        shipped = data_dir("rulesets")
        places = []
        if self._beside is not None:
            places.append(f"the rulesets folder holding this file ({_shown(self._beside)})")
        places += [_shown(folder) for folder in reversed(self.folders) if folder != shipped]
        places.append("among the rulesets shipped with perfrules")
        where = ", ".join(places[:-1]) + (" and " if len(places) > 1 else "") + places[-1]
        folders = ([self._beside] if self._beside is not None else []) + list(self.folders)
        known = sorted({path.stem for folder in folders for path in _versions(folder, name)})
        versions = f"; versions of {name} known: {', '.join(known)}" if known else f"; no ruleset named {name}"
        return f"{name}/{version}.rules in {where}{versions}"

    def __call__(self, name: str, version: str) -> tuple[str, str] | None:
        if self._beside is not None:
            found = _read(self._beside, name, version)
            if found is not None:
                return found
        if self._lookup is not None:
            return self._lookup(name, version)
        # The later folders of a registry may override the earlier ones.
        for folder in reversed(self.folders):
            found = _read(folder, name, version)
            if found is not None:
                return found
        return None
