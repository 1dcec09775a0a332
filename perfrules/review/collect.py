"""Which files a review reads, and which of them it can skip.

The files named, each folder's table files (recursively) in their place,
each once; every file's sha256; and the key of the request (which ruleset
was asked for, the year and worksheet options) under which the store keeps
its results, so that a file is skipped only when its bytes, the request
and the ruleset that scored it are all unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import attrs

from ..errors import PerfrulesError
from ..readers import table_files
from ..registry import DEFAULT_RULESET, Registry
from ..ruleset import Ruleset

__all__ = ["collect", "file_sha256", "Request", "table_label"]


def collect(paths, *, recursive: bool = True) -> list[str]:
    """The table files of ``paths`` (files, and folders read with their
    subfolders unless ``recursive`` is false), each once, in order; a
    folder's files sorted.  A path that does not exist is an error."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: dict[str, None] = {}
    for path in map(os.fspath, paths):
        if os.path.isdir(path):
            found = table_files(path, recursive=recursive)
        elif os.path.exists(path):
            found = [path]
        else:
            raise PerfrulesError("no such file or folder", path=path)
        for each in found:
            out.setdefault(os.path.normpath(each), None)
    return list(out)


def file_sha256(path: str) -> str:
    """The sha256 of the file's bytes (the empty string for a file that
    cannot be opened: it is then reported when it is read)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def table_label(path: str, source: str | None) -> str | None:
    """The table's name within its file (``项目2`` of ``book.xlsx#项目2``),
    or None for a file's only table."""
    name = str(Path(path))
    source = source or path
    return source[len(name) + 1:] if source.startswith(name + "#") else None


@attrs.frozen
class Request:
    """What a review was asked to do to each file: the ruleset (a fixed
    one, or a ``NAME[@VERSION]`` chosen by each table's year), the year and
    worksheet options."""

    ruleset: Ruleset | None
    spec: str | None
    registry: Registry = attrs.field(eq=False)
    fiscal_year: int | None = None
    sheet: str | None = None
    strict_year: bool = False
    _shas: dict = attrs.field(factory=dict, eq=False, repr=False)

    @property
    def key(self) -> str:
        """The request as the store records it (one text)."""
        asked = f"file:{self.ruleset.sha256}" if self.ruleset is not None else (self.spec or DEFAULT_RULESET)
        return json.dumps({"ruleset": asked, "year": self.fiscal_year, "sheet": self.sheet,
                           "strict_year": self.strict_year}, sort_keys=True)

    def ruleset_sha256(self, year: int | None) -> str | None:
        """The sha256 of the ruleset this request scores a table of ``year``
        with, today (None when none resolves)."""
        if self.ruleset is not None:
            return self.ruleset.sha256
        year = self.fiscal_year or year
        if year not in self._shas:
            try:
                self._shas[year] = self.registry.resolve(self.spec or DEFAULT_RULESET, year=year,
                                                         nearest=not self.strict_year).sha256
            except PerfrulesError:
                self._shas[year] = None
        return self._shas[year]
