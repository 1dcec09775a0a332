"""Readers: a table file → grids → :class:`~perfrules.records.Sheet` values.

One module per format turns a file into :class:`~.grid.Grid` values; the
form recognizer (:mod:`perfrules.form`) reads each grid into sheets.
:func:`read_sheets` picks the format by the file's ending.
"""

from __future__ import annotations

import os
from pathlib import Path

import attrs

from ..errors import PerfrulesError
from ..records import Sheet
from .encoding import decode, detect
from .grid import Cell, Grid, Line
from .json import sheet_from_json, sheet_to_json

__all__ = [
    "read_sheet", "read_sheets", "read_grids", "read_text", "table_files", "sheet_to_json", "sheet_from_json", "FORMATS",
    "Grid", "Cell", "Line",
]

#: File endings read, and what they hold (docs/formats.md says more).
FORMATS = {
    ".txt": "text exported from Word, PDF or a web page (UTF-8, UTF-16, GB18030, Big5)",
    ".tsv": "tab-separated text",
    ".csv": "CSV with the form's headers (UTF-8, UTF-8 with BOM, UTF-16, GB18030, Big5)",
    ".xlsx": "Excel workbook (every worksheet)",
    ".xls": "Excel 97-2003 workbook (every worksheet)",
    ".html": "web page (every table)",
    ".htm": "web page (every table)",
    ".docx": "Word document (every table)",
    ".pdf": "PDF with a text layer (ruled tables, or text lines)",
    ".json": "perfrules' JSON sheet (sheet/1)",
}


#: What a document's first bytes say it is, whatever its ending.
_MAGIC = ((b"%PDF", ".pdf"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"))
_MARKUP = (b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")
#: Endings whose files are sniffed: budget systems export web pages as
#: ".xls", and files get renamed.
_SNIFFED = {".xls", ".xlsx", ".docx", ".html", ".htm", ".pdf"}
_NAMES = {".xls": "an Excel 97-2003 workbook", ".xlsx": "an .xlsx workbook", ".docx": "a Word document",
          ".html": "a web page", ".htm": "a web page", ".pdf": "a PDF", ".csv": "CSV", ".txt": "text",
          ".tsv": "text"}


def _kind(data: bytes) -> str | None:
    """The format ``data`` is in by its first bytes, or None when they do
    not say."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        import io
        import zipfile

        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        return ".xlsx" if any(n.startswith("xl/") for n in names) else \
            ".docx" if any(n.startswith("word/") for n in names) else None
    if data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(_MARKUP):
        return ".html"
    return None


def _grids(data: bytes, name: str, suffix: str) -> list[Grid]:
    """The grids of a file's bytes, each named (a worksheet, a table's
    number); notes for a guessed encoding included.  A file whose bytes
    are another format than its ending says (a web page saved as
    ``.xls``) is read as what it is, and the grids say so."""
    kind = _kind(data) if suffix in _SNIFFED else None
    if kind == ".xls" and suffix != ".xlsx":
        kind = None  # an OLE file is as likely an old Word .doc: its reader says which
    read_as = kind if kind is not None and kind != (".html" if suffix == ".htm" else suffix) else suffix
    try:
        grids = _format_grids(data, name, read_as)
    except PerfrulesError:
        raise
    except Exception as error:  # a library's error on a file it opened: the file's fault, said as ours
        raise PerfrulesError(f"cannot read the file as {_NAMES[read_as]}: "
                             f"{type(error).__name__}: {error}", path=name) from None
    if read_as != suffix:
        note = f"the file is {_NAMES[read_as]} saved with a {suffix} ending: read as one"
        grids = [attrs.evolve(g, notes=g.notes + (note,)) for g in grids]
    return grids


def _format_grids(data: bytes, name: str, suffix: str) -> list[Grid]:
    if suffix == ".csv":
        from .csv import csv_grids

        return csv_grids(data, name)
    if suffix == ".xlsx":
        from .xlsx import xlsx_grids

        return xlsx_grids(data, name)
    if suffix == ".xls":
        from .xls import xls_grids

        return xls_grids(data, name)
    if suffix in (".html", ".htm"):
        from .html import html_grids

        return html_grids(data, name)
    if suffix == ".docx":
        from .docx import docx_grids

        return docx_grids(data, name)
    if suffix == ".pdf":
        from .pdf import pdf_grids

        return pdf_grids(data, name)
    from .text import text_grids

    decoded = detect(data, name)
    return [attrs.evolve(g, notes=g.notes + ((decoded.note,) if decoded.note else ()))
            for g in text_grids(decoded.text, name)]


def _load(path: str | os.PathLike[str]) -> tuple[str, str, bytes]:
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if path.is_dir():
        raise PerfrulesError("is a folder: give its table files (the perfrules commands take a folder)",
                             path=name)
    if suffix not in FORMATS:
        known = ", ".join(FORMATS)
        raise PerfrulesError(f"cannot read '{suffix or path.name}' files; perfrules reads {known}", path=name)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PerfrulesError(f"cannot read the file: {error.strerror or error}", path=name) from None
    return name, suffix, data


def _pick(grids: list[Grid], sheet: str | None, name: str) -> list[Grid]:
    """The grids asked for: the one named ``sheet``, or all; a file's
    only table goes unnamed (its sheet's source is the file)."""
    if sheet is not None:
        chosen = [g for g in grids if g.name == str(sheet)]
        if not chosen:
            names = ", ".join(repr(g.name) for g in grids if g.name is not None)
            if not names:
                raise PerfrulesError(f"no sheet named '{sheet}': the file holds one table, with no name "
                                     "(leave out --sheet)", path=name)
            raise PerfrulesError(f"no sheet named '{sheet}'; its sheets are {names}", path=name)
        return chosen
    if len(grids) == 1:
        return [attrs.evolve(grids[0], name=None)]
    return grids


def read_grids(path: str | Path, *, sheet: str | None = None) -> list[Grid]:
    """The grids of the table file ``path``: one per table the format
    marks out (a worksheet, an HTML, Word or PDF table), or only the one
    named ``sheet`` (a worksheet's name, or a table's number: ``"2"``)."""
    name, suffix, data = _load(path)
    if suffix == ".json":
        raise PerfrulesError("a perfrules JSON sheet holds a sheet, not a grid: use read_sheets", path=name)
    return _pick(_grids(data, name, suffix), sheet, name)


def _has_rows(sheet: Sheet) -> bool:
    return bool(sheet.rows) or sheet.budget is not None


def read_sheets(path: str | os.PathLike[str], *, fiscal_year: int | None = None, sheet: str | None = None) -> list[Sheet]:
    """Every table in the file ``path``, each a sheet; ``fiscal_year``
    overrides the year the table states; ``sheet`` picks one table by
    name (a worksheet's name, or a table's number: ``"2"``), and an
    unknown name is an error listing the names there are.

    A file holding several tables gives a sheet for each whose ``source``
    is ``path#NAME`` (``book.xlsx#项目2``, ``page.html#2``); tables with
    no indicator rows among others that have some (a 说明 worksheet, a
    web page's navigation) are left out.  What the reader doubted (an
    encoding guessed, a formula with no saved value) is in each sheet's
    ``read_notes``.  Raises :class:`~perfrules.errors.PerfrulesError`
    naming the file when it cannot be read at all."""
    from ..form import recognize

    name, suffix, data = _load(path)
    if suffix == ".json":
        return [sheet_from_json(decode(data, name), source=name, fiscal_year=fiscal_year)]
    grids = _pick(_grids(data, name, suffix), sheet, name)
    if not grids:
        raise PerfrulesError("the file holds no table and no text", path=name)
    sheets = []
    for grid in grids:
        try:
            found = recognize([grid], fiscal_year=fiscal_year)
        except PerfrulesError as error:
            if len(grids) == 1:
                raise
            # One unreadable table (a notes worksheet) does not stop the
            # file's others; alone among them it is left out below.
            found = [Sheet(rows=(), source=grid.label, read_notes=(f"the table could not be read: {error}",))]
        for each in found:
            notes = tuple(n for n in grid.notes if n not in each.read_notes)
            sheets.append(attrs.evolve(each, read_notes=each.read_notes + notes) if notes else each)
    return [s for s in sheets if _has_rows(s)] or sheets[:1]


def read_sheet(path: str | os.PathLike[str], *, fiscal_year: int | None = None, sheet: str | None = None) -> Sheet:
    """The table in ``path`` (the first, where the file holds several: see
    :func:`read_sheets`)."""
    return read_sheets(path, fiscal_year=fiscal_year, sheet=sheet)[0]


def table_files(path: str | Path, *, recursive: bool = False) -> list[str]:
    """The table files of the folder ``path`` (those with an ending in
    :data:`FORMATS`), sorted by path; with ``recursive`` its subfolders'
    too.  A folder with none is an error naming it."""
    folder = Path(path)
    found = folder.rglob("*") if recursive else folder.iterdir()
    files = sorted(str(p) for p in found if p.is_file() and p.suffix.lower() in FORMATS
                   and not p.name.startswith((".", "~$")))
    if not files:
        where = "in it or its subfolders" if recursive else "in it (--recursive reads its subfolders)"
        raise PerfrulesError(f"no table files ({', '.join(FORMATS)}) {where}", path=str(folder))
    return files


def read_text(text: str, *, name: str = "<text>", fiscal_year: int | None = None) -> Sheet:
    """A sheet from exported text already in memory (the first table)."""
    from ..form import recognize
    from .text import text_grids

    return recognize(text_grids(text, name), fiscal_year=fiscal_year)[0]
