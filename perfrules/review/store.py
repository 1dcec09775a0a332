"""The results store: every reviewed table, row and finding in one SQLite
file (the standard library's ``sqlite3``: nothing to install or start).

The schema is versioned: ``schema_version`` holds the version a store was
written with; opening an older store migrates it step by step
(:data:`MIGRATIONS`), opening a newer one is refused with a clear error
rather than misread.  Numbers are kept as exact decimal text (SQLite has no
decimal type); the views add ``REAL`` copies for comparisons.  The schema
and the views are documented in ``docs/review.md``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import zlib
from decimal import Decimal

import attrs

from ..errors import PerfrulesError
from ..numbers import format_decimal
from .summary import TableSummary

__all__ = ["Store", "Record", "StoreError", "SCHEMA_VERSION", "QUESTIONS", "Question", "MIGRATIONS", "open_store"]

SCHEMA_VERSION = 1


class StoreError(PerfrulesError):
    """A results store that cannot be opened, read or written."""


_SCHEMA_1 = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    perfrules_version TEXT NOT NULL,
    request TEXT NOT NULL,
    scored INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE tables (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    path TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    request TEXT NOT NULL,
    position INTEGER NOT NULL,
    table_label TEXT,
    unit TEXT NOT NULL,
    project TEXT NOT NULL,
    fiscal_year INTEGER,
    kind TEXT,
    ruleset_name TEXT NOT NULL,
    ruleset_version TEXT NOT NULL,
    ruleset_sha256 TEXT NOT NULL,
    reported_total TEXT,
    total TEXT,
    total_low TEXT,
    total_high TEXT,
    gap TEXT,
    reported_grade TEXT,
    grade TEXT,
    rows_read INTEGER NOT NULL,
    rows_differ INTEGER NOT NULL,
    rows_unscorable INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    infos INTEGER NOT NULL,
    read_status TEXT NOT NULL,
    message TEXT NOT NULL,
    result_json BLOB NOT NULL
);
CREATE INDEX tables_file ON tables(path, request);
CREATE TABLE rows (
    table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
    row_index INTEGER NOT NULL,
    goal TEXT, level1 TEXT, level2 TEXT, name TEXT,
    target TEXT, actual TEXT, weight TEXT, reported TEXT,
    score TEXT, low TEXT, high TEXT,
    status TEXT NOT NULL, rule TEXT, reason TEXT, trace TEXT NOT NULL,
    PRIMARY KEY (table_id, row_index)
);
CREATE TABLE findings (
    table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
    code TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL, rows TEXT NOT NULL
);
CREATE INDEX findings_table ON findings(table_id);
CREATE VIEW table_summary AS
    SELECT id, path, table_label, unit, project, fiscal_year, kind,
           ruleset_name || '@' || ruleset_version AS ruleset, ruleset_sha256,
           reported_total, total, total_low, total_high, gap,
           CAST(reported_total AS REAL) AS reported_total_value, CAST(total AS REAL) AS total_value,
           CAST(gap AS REAL) AS gap_value,
           reported_grade, grade, rows_read, rows_differ, rows_unscorable,
           errors, warnings, infos, read_status, message
    FROM tables;
CREATE VIEW overstated AS
    SELECT unit, fiscal_year, path, table_label, reported_total, total, gap, CAST(gap AS REAL) AS gap_value
    FROM tables WHERE gap IS NOT NULL AND CAST(gap AS REAL) > 0;
CREATE VIEW differing_rows AS
    SELECT t.unit, t.fiscal_year, t.path, t.table_label, r.row_index, r.name, r.target, r.actual, r.weight,
           r.reported, r.score, r.low, r.high, r.rule, r.reason, r.trace
    FROM rows r JOIN tables t ON t.id = r.table_id WHERE r.status = 'differs';
CREATE VIEW unit_years AS
    SELECT unit, fiscal_year, COUNT(*) AS tables,
           ROUND(AVG(CAST(total AS REAL)), 2) AS mean_total,
           ROUND(AVG(CAST(gap AS REAL)), 2) AS mean_gap,
           ROUND(MAX(CAST(gap AS REAL)), 2) AS max_gap,
           SUM(rows_differ) AS rows_differ, SUM(rows_unscorable) AS rows_unscorable
    FROM tables GROUP BY unit, fiscal_year;
CREATE VIEW year_on_year AS
    SELECT a.unit, a.fiscal_year, a.mean_total, b.fiscal_year AS previous_year, b.mean_total AS previous_total,
           ROUND(a.mean_total - b.mean_total, 2) AS change, a.mean_gap, b.mean_gap AS previous_gap
    FROM unit_years a JOIN unit_years b ON a.unit = b.unit AND b.fiscal_year = a.fiscal_year - 1;
CREATE VIEW finding_counts AS
    SELECT f.code, f.severity, t.fiscal_year, COUNT(*) AS findings, COUNT(DISTINCT t.id) AS tables
    FROM findings f JOIN tables t ON t.id = f.table_id GROUP BY f.code, f.severity, t.fiscal_year;
"""

#: ``MIGRATIONS[n]`` turns a store of version ``n`` into version ``n + 1``
#: (version 0: an empty file).
MIGRATIONS: dict[int, str] = {0: _SCHEMA_1}

@attrs.frozen
class Question:
    """A question ``perfrules query NAME`` answers: what it asks, its SQL,
    and the parameters it takes with their defaults."""

    name: str
    about: str
    sql: str
    defaults: dict = attrs.field(factory=dict)


#: The named questions of ``perfrules query``.
QUESTIONS: dict[str, Question] = {q.name: q for q in (
    Question(
        "overstated",
        "units whose reported total is above the computed one by at least min_gap points (default 5) in every "
        "one of years (e.g. 2023,2024; default: in any year)",
        "SELECT unit, GROUP_CONCAT(DISTINCT fiscal_year) AS years, COUNT(*) AS tables, "
        "MIN(gap_value) AS min_gap, MAX(gap_value) AS max_gap FROM overstated "
        "WHERE gap_value >= CAST(:min_gap AS REAL) AND (:years = '' OR "
        "instr(',' || replace(:years, ' ', '') || ',', ',' || fiscal_year || ',') > 0) "
        "GROUP BY unit HAVING :years = '' OR COUNT(DISTINCT fiscal_year) = "
        "length(replace(:years, ' ', '')) - length(replace(replace(:years, ' ', ''), ',', '')) + 1 "
        "ORDER BY max_gap DESC, unit",
        {"min_gap": "5", "years": ""},
    ),
    Question(
        "summary", "one line per table, the most overstated first",
        "SELECT path, table_label, unit, project, fiscal_year, ruleset, reported_total, total, gap, "
        "reported_grade, grade, rows_read, rows_differ, rows_unscorable, read_status FROM table_summary "
        "ORDER BY gap_value IS NULL, gap_value DESC, path",
    ),
    Question(
        "units", "each unit's tables per year: mean computed total, mean and largest gap, rows differing",
        "SELECT * FROM unit_years ORDER BY unit, fiscal_year",
    ),
    Question(
        "year_on_year", "each unit's mean computed total and gap beside the year before, the largest change first",
        "SELECT * FROM year_on_year ORDER BY ABS(change) DESC, unit, fiscal_year",
    ),
    Question(
        "findings", "how many findings of each kind, per year",
        "SELECT * FROM finding_counts ORDER BY fiscal_year, findings DESC, code",
    ),
    Question(
        "differing", "every row whose reported score the rules do not allow, with its trace",
        "SELECT * FROM differing_rows ORDER BY unit, fiscal_year, path, row_index",
    ),
)}


def _n(value: Decimal | None) -> str | None:
    return None if value is None else format_decimal(value)


def _d(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


class Store:
    """An open results store (created, or migrated, on opening).  Use it as
    a context manager; ``add`` records tables between ``begin`` and
    ``commit``, one transaction, so a batch is written once, at its end."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = os.fspath(path)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: not a perfrules results store ({error})") from None
        self._run_id: int | None = None

    # -- schema -------------------------------------------------------------
    def version(self) -> int:
        """The schema version of the store (0: empty)."""
        known = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not known:
            return 0
        if "schema_version" not in known:
            raise StoreError(f"{self.path}: an SQLite database, but not a perfrules results store "
                             f"(it has no schema_version table)")
        row = self._db.execute("SELECT version FROM schema_version").fetchone()
        if row is None:
            raise StoreError(f"{self.path}: its schema_version table is empty")
        return int(row[0])

    def _migrate(self) -> None:
        version = self.version()
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer perfrules (store schema version {version}; this "
                             f"perfrules reads up to {SCHEMA_VERSION}). Upgrade perfrules, or use another --store")
        while version < SCHEMA_VERSION:
            self._db.execute("BEGIN")
            try:
                for statement in _statements(MIGRATIONS[version]):
                    self._db.execute(statement)
                self._db.execute("DELETE FROM schema_version")
                self._db.execute("INSERT INTO schema_version VALUES (?)", (version + 1,))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            version += 1

    # -- writing ------------------------------------------------------------
    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the store (a run still open is rolled back)."""
        if self._run_id is not None:
            self._db.execute("ROLLBACK")
            self._run_id = None
        self._db.close()

    def begin(self, request: str, version: str) -> None:
        """Start a run: every :meth:`add` until :meth:`commit` is one
        transaction, holding the store's write lock (another run waits for
        it, up to half a minute, then is refused)."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise StoreError(f"{self.path}: cannot write to the store ({error}): is another review using it?") from None
        started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self._run_id = self._db.execute(
            "INSERT INTO runs (started, perfrules_version, request) VALUES (?, ?, ?)",
            (started, version, request)).lastrowid

    def commit(self, *, scored: int, skipped: int, failed: int) -> None:
        """End the run, recording how many tables were scored and skipped."""
        try:
            self._db.execute("UPDATE runs SET scored = ?, skipped = ?, failed = ? WHERE id = ?",
                             (scored, skipped, failed, self._run_id))
            self._db.execute("COMMIT")
        except sqlite3.Error as error:
            raise StoreError(f"{self.path}: the run could not be saved ({error})") from None
        self._run_id = None

    def rollback(self) -> None:
        """Drop everything the open run added (nothing when no run is open)."""
        if self._run_id is not None:
            self._db.execute("ROLLBACK")
            self._run_id = None

    def forget(self, path: str, request: str) -> None:
        """Drop what the store holds for ``path`` scored under ``request``
        (before its new results are added)."""
        self._db.execute("DELETE FROM tables WHERE path = ? AND request = ?", (path, request))

    def add(self, summary: TableSummary, record: "Record | dict", *, request: str, position: int) -> None:
        """Record one scored table: its summary line and its :class:`Record`
        (or the result document to make one from)."""
        if self._run_id is None:
            raise StoreError("Store.add outside a run: call begin() first")
        if isinstance(record, dict):
            record = Record.of(record)
        try:
            self._insert(summary, record, request, position)
        except sqlite3.Error as error:  # a full disk, a store changed under us
            raise StoreError(f"{self.path}: {summary.file} could not be recorded ({error})") from None

    def _insert(self, summary: TableSummary, record: "Record", request: str, position: int) -> None:
        name, _, version = summary.ruleset.partition("@")
        table_id = self._db.execute(
            "INSERT INTO tables (run_id, path, file_sha256, request, position, table_label, unit, project, "
            "fiscal_year, kind, ruleset_name, ruleset_version, ruleset_sha256, reported_total, total, total_low, "
            "total_high, gap, reported_grade, grade, rows_read, rows_differ, rows_unscorable, errors, warnings, "
            "infos, read_status, message, result_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self._run_id, summary.file, summary.file_sha256, request, position, summary.table, summary.unit,
             summary.project, summary.year, summary.kind, name, version, summary.ruleset_sha256,
             _n(summary.reported_total), _n(summary.total), _n(summary.total_low), _n(summary.total_high),
             _n(summary.gap), summary.reported_grade, summary.grade, summary.rows, summary.differ,
             summary.unscorable, summary.errors, summary.warnings, summary.infos, summary.read_status,
             summary.message, record.document)).lastrowid
        self._db.executemany("INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             [(table_id, *row) for row in record.rows])
        self._db.executemany("INSERT INTO findings VALUES (?, ?, ?, ?, ?)",
                             [(table_id, *finding) for finding in record.findings])

    # -- reading ------------------------------------------------------------
    def stored(self, path: str, request: str) -> list[tuple[int, str, int | None, str]]:
        """``(id, file_sha256, fiscal_year, ruleset_sha256)`` of each table
        stored for ``path`` under ``request``, in the file's order."""
        return self._db.execute(
            "SELECT id, file_sha256, fiscal_year, ruleset_sha256 FROM tables WHERE path = ? AND request = ? "
            "ORDER BY position", (path, request)).fetchall()

    def summary(self, table_id: int) -> TableSummary:
        """The summary line of a stored table."""
        keys = ("path", "table_label", "unit", "project", "fiscal_year", "kind", "ruleset_name", "ruleset_version",
                "ruleset_sha256", "reported_total", "total", "total_low", "total_high", "gap", "reported_grade",
                "grade", "rows_read", "rows_differ", "rows_unscorable", "errors", "warnings", "infos",
                "read_status", "message", "file_sha256")
        row = dict(zip(keys, self._db.execute(f"SELECT {', '.join(keys)} FROM tables WHERE id = ?",
                                              (table_id,)).fetchone()))
        return TableSummary(
            file=row["path"], table=row["table_label"], unit=row["unit"], project=row["project"],
            year=row["fiscal_year"], kind=row["kind"], ruleset=f"{row['ruleset_name']}@{row['ruleset_version']}",
            ruleset_sha256=row["ruleset_sha256"], reported_total=_d(row["reported_total"]), total=_d(row["total"]),
            total_low=_d(row["total_low"]), total_high=_d(row["total_high"]), gap=_d(row["gap"]),
            reported_grade=row["reported_grade"], grade=row["grade"], rows=row["rows_read"],
            differ=row["rows_differ"], unscorable=row["rows_unscorable"], errors=row["errors"],
            warnings=row["warnings"], infos=row["infos"], read_status=row["read_status"], message=row["message"],
            file_sha256=row["file_sha256"], stored=True)

    def result(self, table_id: int) -> dict:
        """The result document of a stored table, as it was scored."""
        (blob,) = self._db.execute("SELECT result_json FROM tables WHERE id = ?", (table_id,)).fetchone()
        return json.loads(zlib.decompress(blob))

    def read_only(self) -> None:
        """Refuse any change from now on (``perfrules query`` runs a user's SQL)."""
        self._db.execute("PRAGMA query_only = ON")

    def query(self, sql: str, parameters: dict | tuple = ()) -> tuple[list[str], list[tuple]]:
        """Run one SQL statement (read-only use is intended); the column
        names and the rows.  An SQL error is a ``StoreError``."""
        try:
            cursor = self._db.execute(sql, parameters)
            return [d[0] for d in cursor.description or ()], cursor.fetchall()
        except (sqlite3.Error, ValueError) as error:
            raise StoreError(f"{self.path}: {error}") from None

    def export_parquet(self, folder: str | os.PathLike) -> list[str]:
        """Write the ``tables`` (without the result documents), ``rows`` and
        ``findings`` tables as Parquet files in ``folder``, for analysts
        (needs pyarrow: the ``parquet`` extra).  The files written."""
        try:
            import pyarrow
            import pyarrow.parquet
        except ImportError:
            raise StoreError("Parquet export needs pyarrow: pip install 'perfrules[parquet]'") from None
        os.makedirs(folder, exist_ok=True)
        written = []
        for table in ("tables", "rows", "findings"):
            columns = [r[1] for r in self._db.execute(f"PRAGMA table_info({table})") if r[1] != "result_json"]
            data = self._db.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            arrays = {name: [row[i] for row in data] for i, name in enumerate(columns)}
            target = os.path.join(os.fspath(folder), f"{table}.parquet")
            pyarrow.parquet.write_table(pyarrow.table(arrays), target)
            written.append(target)
        return written


@attrs.frozen
class Record:
    """A scored table as the store writes it: the result document
    (compressed JSON), the ``rows`` and ``findings`` lines.  Made where the
    table was scored (a worker process), so the writer only inserts."""

    document: bytes
    rows: tuple
    findings: tuple

    @classmethod
    def of(cls, result: dict) -> "Record":
        """The record of a result document (``perfrules score --format json``)."""
        document = zlib.compress(json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 1)
        rows = []
        budget = result.get("budget")
        if budget is not None:
            rows.append((0, "", "预算执行率", "", "预算执行率", budget["budget"], budget["spent"], budget["weight"],
                         budget["reported"], budget["score"], budget["score"], budget["score"], budget["status"],
                         None, budget["reason"], _trace(budget["trace"])))
        for row in result["rows"]:
            low, high = row["allowed"] or (None, None)
            rows.append((row["index"], row["goal"], row["level1"], row["level2"], row["name"], row["target"],
                         row["actual"], row["weight"], row["reported"], row["score"], low, high, row["status"],
                         row["rule"], row["reason"], _trace(row["trace"])))
        findings = tuple((f["code"], f["severity"], f["message"], ",".join(map(str, f["rows"])))
                         for f in result["findings"])
        return cls(document, tuple(rows), findings)


def _trace(steps: list[dict]) -> str:
    return "\n".join(f"{s['step']}: {s['value']}" for s in steps)


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def open_store(path: str | os.PathLike) -> Store:
    """Open (creating or migrating) the results store at ``path``."""
    return Store(path)

