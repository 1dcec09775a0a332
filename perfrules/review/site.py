"""Writing the review site: a page per table as the review hands each on
(so a thousand tables are never all held at once), then the index."""

from __future__ import annotations

import os
import re

from ..report.html import render_page
from ..report.site import render_index
from .summary import TableSummary

__all__ = ["SiteWriter"]

_UNSAFE = re.compile(r"[^\w.-]+")


class SiteWriter:
    """Call it with ``(summary, document)`` for each table (it is the
    review's ``on_table``); :meth:`finish` writes ``index.html`` with the
    lines in the order given to it and returns its path."""

    def __init__(self, folder: str | os.PathLike, lang: str = "zh") -> None:
        self.folder = os.fspath(folder)
        self.lang = lang
        self.pages: dict[tuple[str, str | None], str] = {}
        os.makedirs(self.folder, exist_ok=True)

    def __call__(self, summary: TableSummary, document: dict) -> None:
        stem = _UNSAFE.sub("_", os.path.splitext(os.path.basename(summary.file))[0]).strip("_") or "table"
        if summary.table:
            stem += "-" + _UNSAFE.sub("_", summary.table)
        name = f"{len(self.pages) + 1:04d}-{stem[:80]}.html"
        with open(os.path.join(self.folder, name), "w", encoding="utf-8") as handle:
            handle.write(render_page(document, self.lang, back="index.html"))
        self.pages[(summary.file, summary.table)] = name

    def finish(self, lines: list[TableSummary]) -> str:
        """Write the index of ``lines`` (sorted and filtered as the reviewer
        asked); a line whose file could not be read has no page."""
        path = os.path.join(self.folder, "index.html")
        entries = [(line, self.pages.get((line.file, line.table))) for line in lines]
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(render_index(entries, self.lang))
        return path
