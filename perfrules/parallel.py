"""Scoring many tables at once: worker processes on one machine, and Dask
beyond it.

:func:`score_many` scores sheets or table files in a pool of worker
processes and returns the results in input order; the compiled ruleset
(or the registry to pick one from) is shipped to each worker once, as
source text that the worker compiles on arrival.  ``perfrules score
--jobs N`` and ``perfrules audit --jobs N`` run on it.

>>> results = score_many(["examples/tianjin-kjj-2024-zhengti.txt"] * 2, "mof")
>>> [(r.total, r.grade) for r in results]
[(Decimal('95.36'), '优'), (Decimal('95.36'), '优')]

:func:`score_frame` scores a pandas DataFrame of indicator rows, one row
per line with the cells as text; :func:`score_partitioned` maps it over the
partitions of a Dask DataFrame, for row sets that outgrow one machine
(install the ``dask`` extra).  See ``docs/scaling.md``.
"""

from __future__ import annotations

import os
from collections import deque
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterable, Iterator

import attrs

from .errors import PerfrulesError
from .evaluate import ScoreSheet, _default_registry, score
from .numbers import format_decimal
from .readers import read_sheets
from .records import Row, Sheet
from .registry import DEFAULT_RULESET, Registry
from .ruleset import Ruleset

__all__ = [
    "score_many", "iter_scores", "iter_file_scores", "score_frame", "score_partitioned", "resolve_jobs",
    "ROW_COLUMNS", "SCORE_COLUMNS",
]

#: Columns of a row frame that :func:`score_frame` reads into a
#: :class:`~perfrules.Row` (any others are passed through untouched).
ROW_COLUMNS = ("target", "actual", "weight", "reported", "name", "level1", "level2", "goal", "note",
               "kind", "budget", "spent", "fiscal_year", "position")
#: Columns :func:`score_frame` adds: numbers as exact decimal strings,
#: missing values as None.
SCORE_COLUMNS = ("score", "low", "high", "status", "rule", "reason")

# Tasks in flight per worker: enough to keep each busy, few enough that
# results waiting to be consumed in order stay bounded.
_AHEAD = 4


def resolve_jobs(jobs: int) -> int:
    """The number of processes ``jobs`` asks for: itself when positive,
    every core when 0.

    >>> resolve_jobs(3)
    3
    >>> resolve_jobs(0) == (os.cpu_count() or 1)
    True
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int):
        raise TypeError(f"jobs must be an int, not {type(jobs).__name__}")
    if jobs < 0:
        raise ValueError(f"jobs must be 0 (every core) or more, not {jobs}")
    return jobs or os.cpu_count() or 1


@attrs.frozen
class _Job:
    """What every worker needs to score one item: picklable, sent once."""

    ruleset: Ruleset | None
    spec: str | None
    registry: Registry
    fiscal_year: int | None
    trace: bool
    sheet: str | None = None
    strict_year: bool = False
    #: Applied to each result where it was scored (a worker sends back
    #: what it returns): picklable, like the rest of the job.
    finish: Callable | None = None

    def run(self, item) -> list[ScoreSheet] | PerfrulesError:
        """The scores of every table of ``item`` (one for a Sheet), or the
        error that stopped it."""
        # Bad input comes back as a value, so it crosses the process boundary
        # like a result and the items after it still run.
        try:
            sheets = [item] if isinstance(item, Sheet) else read_sheets(
                item, fiscal_year=self.fiscal_year, sheet=self.sheet)
            results = [score(sheet, self.ruleset or self.spec, registry=self.registry, trace=self.trace,
                             strict_year=self.strict_year)
                       for sheet in sheets]
            return results if self.finish is None else [self.finish(result) for result in results]
        except PerfrulesError as error:
            # Its message (and caret) is all of it.  Without the library
            # exception it replaced, it pickles even where tblib, which Dask
            # installs, pickles __context__ too.
            error.__context__ = error.__cause__ = None
            return error.with_traceback(None)


_worker_job: _Job | None = None


def _start_worker(job: _Job) -> None:
    global _worker_job
    _worker_job = job


def _run_chunk(items: list) -> list:
    assert _worker_job is not None, "a worker runs a chunk only after _start_worker"
    return [_worker_job.run(item) for item in items]


def _check_items(items) -> list:
    if isinstance(items, (str, Path, Sheet)):
        raise TypeError("give a list of sheets or paths, not a single one")
    items = list(items)
    for item in items:
        if not isinstance(item, (Sheet, str, os.PathLike)):
            raise TypeError(f"each item must be a Sheet or a path, not {type(item).__name__}")
    return items


def _job(ruleset, registry, fiscal_year, trace, sheet=None, strict_year=False, finish=None) -> _Job:
    if ruleset is not None and not isinstance(ruleset, (Ruleset, str)):
        raise TypeError(f"ruleset must be a Ruleset, a NAME[@VERSION] or None, not {type(ruleset).__name__}")
    if registry is not None and not isinstance(registry, Registry):
        raise TypeError(f"registry must be a Registry, not {type(registry).__name__}")
    if fiscal_year is not None and (isinstance(fiscal_year, bool) or not isinstance(fiscal_year, int)):
        raise TypeError(f"fiscal_year must be an int, not {type(fiscal_year).__name__}")
    fixed = ruleset if isinstance(ruleset, Ruleset) else None
    # The registry is resolved here, not in the workers, so that every
    # worker sees the folders (and PERFRULES_PATH) the caller saw.
    if sheet is not None and not isinstance(sheet, str):
        raise TypeError(f"sheet must be a str (a worksheet's name or a table's number), not {type(sheet).__name__}")
    if finish is not None and not callable(finish):
        raise TypeError(f"finish must be callable, not {type(finish).__name__}")
    spec = ruleset if isinstance(ruleset, str) else None
    return _Job(fixed, spec, registry or _default_registry(), fiscal_year, bool(trace),
                sheet, bool(strict_year), finish)


def iter_scores(
    items: Iterable[Sheet | str | os.PathLike],
    ruleset: Ruleset | str | None = None,
    *,
    jobs: int = 1,
    registry: Registry | None = None,
    fiscal_year: int | None = None,
    trace: bool = True,
    errors: str = "raise",
    mp_context=None,
    sheet: str | None = None,
    strict_year: bool = False,
) -> Iterator[ScoreSheet | PerfrulesError]:
    """Like :func:`~perfrules.score_many`, but yields each result as soon as
    it and every one before it are done, holding only a few in memory.

    Arguments are checked when it is called, before the first result is
    asked for.
    """
    return (result for _, result in iter_file_scores(
        items, ruleset, jobs=jobs, registry=registry, fiscal_year=fiscal_year, trace=trace, errors=errors,
        mp_context=mp_context, sheet=sheet, strict_year=strict_year))


def iter_file_scores(
    items: Iterable[Sheet | str | os.PathLike],
    ruleset: Ruleset | str | None = None,
    *,
    jobs: int = 1,
    registry: Registry | None = None,
    fiscal_year: int | None = None,
    trace: bool = True,
    errors: str = "raise",
    mp_context=None,
    sheet: str | None = None,
    strict_year: bool = False,
    finish: Callable | None = None,
) -> Iterator[tuple[Sheet | str | os.PathLike, ScoreSheet | PerfrulesError]]:
    """Like :func:`iter_scores`, with each result beside the item (a path
    or a sheet) it came from: a file of several tables gives several
    pairs in a row, a file that cannot be read one pair with its error.
    ``finish``, a picklable callable, is applied to each result where it
    was scored and what it returns comes instead (``perfrules score --jobs
    N`` renders in the workers so)."""
    if errors not in ("raise", "return"):
        raise ValueError(f"errors must be 'raise' or 'return', not {errors!r}")
    items = _check_items(items)
    job = _job(ruleset, registry, fiscal_year, trace, sheet, strict_year, finish)
    workers = min(resolve_jobs(jobs), len(items))
    return _results(items, job, workers, errors == "raise", mp_context)


def _results(items: list, job: _Job, workers: int, raising: bool, mp_context) -> Iterator:
    outcomes = _in_process(items, job) if workers <= 1 else _in_pool(items, job, workers, mp_context)
    for item, outcome in zip(items, outcomes):
        if isinstance(outcome, PerfrulesError):
            if raising:
                raise outcome
            yield item, outcome
            continue
        for result in outcome:
            yield item, result


def _in_process(items: list, job: _Job) -> Iterator:
    for item in items:
        yield job.run(item)


def _in_pool(items: list, job: _Job, workers: int, mp_context) -> Iterator:
    # Small chunks keep the workers evenly loaded; chunks of several items
    # save a round trip each when there are many small tables.
    size = max(1, min(16, len(items) // (workers * 8)))
    if job.ruleset is None:
        # Compile the likely ruleset here, once: forked workers inherit it,
        # others receive it with the registry instead of compiling their own.
        try:
            job.registry.resolve(job.spec or DEFAULT_RULESET, year=job.fiscal_year, nearest=not job.strict_year)
        except PerfrulesError:
            pass  # each item reports it, as it does in one process
    chunks = (items[i:i + size] for i in range(0, len(items), size))
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(workers, mp_context=mp_context, initializer=_start_worker, initargs=(job,))
    try:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.submit(_run_chunk, chunk))
            if len(pending) >= workers * _AHEAD:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def score_many(
    items: Iterable[Sheet | str | os.PathLike],
    ruleset: Ruleset | str | None = None,
    *,
    jobs: int = 1,
    registry: Registry | None = None,
    fiscal_year: int | None = None,
    trace: bool = True,
    errors: str = "raise",
    mp_context=None,
    sheet: str | None = None,
    strict_year: bool = False,
) -> list[ScoreSheet | PerfrulesError]:
    """Score many sheets, or table files by path, in ``jobs`` processes
    (1: in this process; 0: one per core); the results come in input order
    and equal what ``perfrules.score`` gives one by one.  A file holding
    several tables (worksheets, Word or web-page tables) gives a result
    for each, in the file's order (each sheet's ``source`` names it:
    ``book.xlsx#项目2``); ``sheet`` scores only the table of that name in
    each file.

    ``ruleset``, ``registry`` and ``trace`` are as for ``perfrules.score``:
    a :class:`~perfrules.Ruleset`, a ``NAME[@VERSION]``, or None for the
    default ruleset in effect in each table's fiscal year.
    ``fiscal_year`` overrides the year the files state (sheets given as
    values are scored as they are).  With ``errors="raise"`` the first file
    that cannot be read raises its :class:`~perfrules.PerfrulesError`; with
    ``errors="return"`` the error takes that file's place in the list and
    the others are still scored.
    ``mp_context`` is a ``multiprocessing`` context for the workers
    (default: the platform's).  ``strict_year`` refuses a table for whose
    fiscal year no version of the ruleset is in effect, instead of scoring
    it with the nearest version.
    """
    return list(iter_scores(items, ruleset, jobs=jobs, registry=registry, fiscal_year=fiscal_year,
                            trace=trace, errors=errors, mp_context=mp_context, sheet=sheet,
                            strict_year=strict_year))


# -- row frames: pandas, and Dask beyond one machine -------------------------


def _cell(value):
    """A frame cell as Row.read takes it: missing values (None, NaN, NA)
    become None; numbers become their shortest decimal text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    try:
        if value != value:  # NaN; pandas.NA raises here
            return None
    except TypeError:
        return None
    return str(value)


def _row(cells: dict) -> Row:
    given = {key: _cell(value) for key, value in cells.items()}
    given = {key: value for key, value in given.items() if value is not None}
    for text in ("target", "actual"):
        given.setdefault(text, "")
    if "fiscal_year" in given:
        given["fiscal_year"] = int(Decimal(given["fiscal_year"]))  # 2024, or 2024.0 beside a NaN
    return Row.read(**given)


def _text(value) -> str | None:
    return None if value is None else format_decimal(value)


def score_frame(frame, ruleset: Ruleset, *, trace: bool = False):
    """Score a pandas DataFrame of indicator rows: the frame with
    :data:`SCORE_COLUMNS` added, in the same order and index.

    The columns named in :data:`ROW_COLUMNS` are read into a
    :class:`~perfrules.Row` with :meth:`~perfrules.Row.read` (keep the cells
    as text: a weight read as a float is no longer exact); scores come back
    as decimal strings, so they stay exact.  A cell that does not read makes
    the row ``unscorable``, with the reason, and never stops the frame.
    ``trace`` adds a ``trace`` column with each row's steps, one per line.
    Needs pandas (the ``dask`` extra installs it); ``docs/scaling.md`` has
    examples.
    """
    import pandas

    if not isinstance(ruleset, Ruleset):
        raise TypeError(f"ruleset must be a Ruleset, not {type(ruleset).__name__}")
    if not isinstance(frame, pandas.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, not {type(frame).__name__}")
    clashing = [c for c in SCORE_COLUMNS + (("trace",) if trace else ()) if c in frame.columns]
    if clashing:
        raise ValueError(f"the frame already has the result column(s) {', '.join(clashing)}")
    present = [c for c in ROW_COLUMNS if c in frame.columns]
    values = [frame[c].tolist() for c in present]
    out: dict[str, list] = {c: [] for c in SCORE_COLUMNS + (("trace",) if trace else ())}
    for cells in zip(*values) if present else ([()] * len(frame)):
        result = ruleset.evaluate(_row(dict(zip(present, cells))), trace=trace)
        out["score"].append(_text(result.score))
        out["low"].append(_text(result.low))
        out["high"].append(_text(result.high))
        out["status"].append(result.status)
        out["rule"].append(result.rule)
        out["reason"].append(result.reason)
        if trace:
            out["trace"].append(result.explain())
    added = pandas.DataFrame({c: pandas.Series(v, index=frame.index, dtype=object) for c, v in out.items()},
                             index=frame.index)
    return pandas.concat([frame, added], axis=1)


def score_partitioned(rows, ruleset: Ruleset, *, trace: bool = False):
    """Score a Dask DataFrame of indicator rows, partition by partition, with
    :func:`score_frame`: lazily, like any Dask operation, so ``.compute()``
    (or writing it out) runs it on the cluster.  The ruleset travels to the
    workers as its source text, and each worker process compiles it once.
    """
    if not isinstance(ruleset, Ruleset):
        raise TypeError(f"ruleset must be a Ruleset, not {type(ruleset).__name__}")
    meta = score_frame(rows._meta, ruleset, trace=trace)
    return rows.map_partitions(score_frame, ruleset, trace=trace, meta=meta)
