"""The registry of rulesets: the shipped ones and any folders a user adds.

Rulesets live at ``<folder>/<name>/<version>.rules``; the header inside the
file is the truth, and a file whose path disagrees with it is an error.
``NAME`` resolves to the version in effect on a date (a table for fiscal
year 2024 uses the version in effect on 2024-12-31), ``NAME@VERSION`` to
that version.

>>> registry = Registry()
>>> registry.resolve("mof", year=2024).version
'2020'
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TypeVar

import attrs

from .dsl.parse import parse_document
from .errors import PerfrulesError
from .dsl import ast
from .finder import ENVIRONMENT_VARIABLE, Finder, default_folders
from .ruleset import Ruleset

__all__ = ["Registry", "Entry", "DEFAULT_RULESET", "ENVIRONMENT_VARIABLE", "year_note"]

#: The ruleset used when none is named.
DEFAULT_RULESET = "mof"


@attrs.frozen
class Entry:
    """A ruleset file the registry knows, read up to its header."""

    name: str
    version: str
    effective: dt.date | None
    until: dt.date | None
    title: str | None
    source: str | None
    path: str
    shipped: bool

    @property
    def spec(self) -> str:
        """``NAME@VERSION``."""
        return f"{self.name}@{self.version}"

    def in_effect(self, day: dt.date) -> bool:
        """Whether ``day`` falls between ``effective`` and ``until``
        (both included; a missing end is open)."""
        starts = self.effective is None or self.effective <= day
        return starts and (self.until is None or day <= self.until)


def _version_key(version: str):
    parts = []
    for piece in version.replace("-", ".").split("."):
        parts.append((0, int(piece), "") if piece.isdigit() else (1, 0, piece))
    return tuple(parts)


_Decl = TypeVar("_Decl", bound=ast.Node)


def _declared(found: dict[type, ast.Node], kind: type[_Decl]) -> _Decl | None:
    """The declaration of ``kind`` among ``found`` (by type), typed as one."""
    item = found.get(kind)
    return item if isinstance(item, kind) else None


def _header(path: Path, shipped: bool) -> Entry:
    text = path.read_text(encoding="utf-8")
    document = parse_document(text, path=str(path))
    found = {type(item): item for item in document.items}
    name = _declared(found, ast.RulesetDecl)
    version = _declared(found, ast.VersionDecl)
    if name is None or version is None:
        raise PerfrulesError("a ruleset file must declare 'ruleset NAME' and 'version VERSION'", path=str(path))
    expected = (path.parent.name, path.stem)
    if (name.name, version.version) != expected:
        raise PerfrulesError(
            f"the file says it is {name.name}@{version.version}, but its path says "
            f"{expected[0]}@{expected[1]} (rulesets live at <folder>/<name>/<version>.rules)",
            path=str(path),
        )
    effective = _declared(found, ast.EffectiveDecl)
    title = _declared(found, ast.TitleDecl)
    source = _declared(found, ast.SourceDecl)
    return Entry(
        name=name.name,
        version=version.version,
        effective=effective.start if effective else None,
        until=effective.until if effective else None,
        title=title.text if title else None,
        source=source.text if source else None,
        path=str(path),
        shipped=shipped,
    )


def _days_outside(entry: Entry, day: dt.date) -> int:
    if entry.effective is not None and day < entry.effective:
        return (entry.effective - day).days
    if entry.until is not None and day > entry.until:
        return (day - entry.until).days
    return 0


def year_note(entry: Entry, year: int | None) -> str | None:
    """Why ``entry`` is used although it is not in effect in fiscal ``year``
    (None when it is, or when there is no year)."""
    if year is None or entry.in_effect(dt.date(year, 12, 31)):
        return None
    return (f"no version of ruleset '{entry.name}' is in effect in fiscal year {year}; scored with the nearest, "
            f"{entry.spec} (in effect {entry.effective or '…'} to {entry.until or '…'})")


class Registry:
    """The rulesets perfrules knows.

    ``paths`` are folders added to the shipped ones (and to those in the
    ``PERFRULES_PATH`` environment variable).  A user folder may add new
    names and new versions; replacing a shipped ``NAME@VERSION`` needs
    ``override=True``.
    """

    def __init__(self, paths=(), *, override: bool = False, environment: bool = True) -> None:
        shipped_folder, *environmental = default_folders()
        folders: list[tuple[Path, bool]] = [(shipped_folder, True)]
        if environment:
            folders += [(folder, False) for folder in environmental]
        folders += [(Path(p), False) for p in paths]
        #: The folders read, shipped first.
        self.folders: tuple[Path, ...] = tuple(folder for folder, _ in folders)
        self._entries: dict[str, Entry] = {}
        self._compiled: dict[str, Ruleset] = {}
        # The shipped files are read up to their header only when their name
        # is asked for (a file's folder is its name: _header checks it), so
        # that scoring with one ruleset does not parse all of them; a user's
        # folders are read at once, and their errors raised here.
        self._pending: dict[str, list[Path]] = {}
        for folder, shipped in folders:
            if not folder.is_dir():
                raise PerfrulesError(f"no such rulesets folder: {folder}")
            for path in sorted(folder.glob("*/*.rules")):
                if shipped:
                    self._pending.setdefault(path.parent.name, []).append(path)
                    continue
                entry = _header(path, shipped)
                self._load_shipped(entry.name)
                known = self._entries.get(entry.spec)
                if known is not None and not override:
                    raise PerfrulesError(
                        f"{entry.spec} is defined twice: in {known.path} and in {entry.path}; "
                        "pass override=True (--override on the command line) to let the later one win",
                        path=entry.path,
                    )
                self._entries[entry.spec] = entry

    def _load_shipped(self, name: str) -> None:
        for path in self._pending.pop(name, ()):
            entry = _header(path, True)
            self._entries.setdefault(entry.spec, entry)

    @property
    def entries(self) -> dict[str, Entry]:
        """Every ruleset file known, by ``NAME@VERSION``."""
        for name in list(self._pending):
            self._load_shipped(name)
        return self._entries

    def _versions(self, name: str) -> list[Entry]:
        self._load_shipped(name)
        return sorted((e for e in self._entries.values() if e.name == name), key=lambda e: _version_key(e.version))

    def __iter__(self):
        return iter(sorted(self.entries.values(), key=lambda e: (e.name, _version_key(e.version))))

    def names(self) -> list[str]:
        """The names of the rulesets known, sorted."""
        return sorted({e.name for e in self.entries.values()})

    def text(self, name: str, version: str) -> tuple[str, str] | None:
        """``(text, path)`` of ``NAME@VERSION``, or None when unknown."""
        self._load_shipped(name)
        entry = self._entries.get(f"{name}@{version}")
        if entry is None:
            return None
        return Path(entry.path).read_text(encoding="utf-8"), entry.path

    def entry(self, spec: str, *, year: int | None = None, on: dt.date | None = None,
              nearest: bool = False) -> Entry:
        """The entry ``spec`` names: ``NAME@VERSION``, or ``NAME`` in effect
        on ``on`` (default: the last day of fiscal ``year``; without either,
        the newest version).  When no version is in effect on that day,
        ``nearest`` takes the version whose dates come nearest (check
        ``Entry.in_effect`` to say so); otherwise that is an error.

        >>> Registry().entry("mof", year=2019, nearest=True).spec
        'mof@2020'
        """
        name, _, version = spec.partition("@")
        versions = self._versions(name)
        if not versions:
            raise PerfrulesError(f"no ruleset named '{name}'; known: {', '.join(self.names()) or 'none'}")
        if version:
            for entry in versions:
                if entry.version == version:
                    return entry
            raise PerfrulesError(
                f"no version '{version}' of ruleset '{name}'; known: {', '.join(e.version for e in versions)}"
            )
        if on is None and year is not None:
            on = dt.date(year, 12, 31)
        if on is None:
            return versions[-1]
        in_effect = [e for e in versions if e.in_effect(on)]
        if not in_effect and nearest:
            # The fewest days between ``on`` and a version's dates; the newer on a tie.
            return min(enumerate(versions), key=lambda pair: (_days_outside(pair[1], on), -pair[0]))[1]
        if not in_effect:
            spans = ", ".join(f"{e.version} ({e.effective or '…'} to {e.until or '…'})" for e in versions)
            raise PerfrulesError(f"no version of ruleset '{name}' is in effect on {on.isoformat()}; known: {spans}")
        return max(in_effect, key=lambda e: (e.effective or dt.date.min, _version_key(e.version)))

    def resolve(self, spec: str = DEFAULT_RULESET, *, year: int | None = None, on: dt.date | None = None,
                nearest: bool = False) -> Ruleset:
        """The compiled ruleset ``spec`` names (see :meth:`entry`)."""
        entry = self.entry(spec, year=year, on=on, nearest=nearest)
        ruleset = self._compiled.get(entry.spec)
        if ruleset is None:
            ruleset = Ruleset.from_file(entry.path, resolve=self.resolver(entry.path))
            self._compiled[entry.spec] = ruleset
        return ruleset

    def resolver(self, path: str | None = None) -> Finder:
        """The :class:`~perfrules.finder.Finder` for ``extends`` of the file
        at ``path``: its own rulesets folder, then this registry."""
        return Finder(path, folders=self.folders, lookup=self.text)
