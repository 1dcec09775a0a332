"""The review batch: score every table of the files named (in ``jobs``
processes), skip those the store holds unchanged, record the rest in one
transaction, and hand each table's summary and result document on as it
comes."""

from __future__ import annotations

import os
from itertools import groupby
from typing import Callable, TextIO, cast

import attrs

from ..errors import PerfrulesError
from ..parallel import iter_file_scores
from ..progress import progress
from ..registry import Registry
from ..report.result import result_to_json
from ..ruleset import Ruleset
from .collect import Request, collect, file_sha256, table_label
from .store import Record, Store
from .summary import TableSummary, summarize, unreadable

__all__ = ["review", "Review"]


@attrs.frozen
class Review:
    """What a review found: one summary line per table (and per file that
    could not be read), in the order of the files; how many tables were
    scored, taken unchanged from the store, and files that failed."""

    tables: tuple[TableSummary, ...]
    scored: int
    skipped: int
    failed: int

    def to_frame(self):
        """The summary as a pandas DataFrame (see :func:`perfrules.frames.summary_frame`)."""
        from ..frames import summary_frame

        return summary_frame(self.tables)


@attrs.frozen
class _Digest:
    """Runs in the worker: a scored table becomes its summary line, its
    result document when the caller wants it, and the store's record of it
    when there is a store; that is all that crosses back."""

    documents: bool
    records: bool

    def __call__(self, scored):
        # The file is the table's source up to its name in the file; the
        # caller puts the path it asked for in its place.
        summary = summarize(scored, file=scored.sheet.source or "")
        document = result_to_json(scored) if self.documents or self.records else {}
        return summary, document if self.documents else None, Record.of(document) if self.records else None


def review(
    paths,
    ruleset: Ruleset | str | None = None,
    *,
    registry: Registry | None = None,
    jobs: int = 1,
    store: Store | str | os.PathLike | None = None,
    fiscal_year: int | None = None,
    sheet: str | None = None,
    strict_year: bool = False,
    recursive: bool = True,
    on_table: Callable[[TableSummary, dict], None] | None = None,
    on_error: Callable[[str, str], None] | None = None,
    quiet: bool = True,
    progress_stream: TextIO | None = None,
) -> Review:
    """Review every table of ``paths`` (files, and folders with their
    subfolders): score and audit each with ``ruleset`` (as for
    :func:`perfrules.score`) in ``jobs`` processes, and return a
    :class:`Review` of one summary line per table.

    ``store``, an open :class:`~perfrules.review.store.Store` or the path of
    one (created when missing), records each table scored and skips each
    file whose bytes, options and ruleset (its sha256) are as stored: its
    lines come from the store.  ``on_table(summary, document)`` is called
    for every table in order, ``document`` being its result as
    ``perfrules score --format json`` writes it (stored tables too);
    ``on_error(path, message)`` for every file that cannot be read.
    A progress bar goes to ``progress_stream`` (stderr) when it is a
    terminal and ``quiet`` is false.

    >>> from perfrules.review import review
    >>> run = review(["examples/tianjin-kjj-2024-zhengti.txt"])
    >>> line = run.tables[0]
    >>> line.unit, line.year, line.reported_total, line.total, line.gap, line.differ
    ('天津市科学技术局', 2024, Decimal('93.95'), Decimal('95.36'), Decimal('-1.41'), 1)
    """
    files = collect(paths, recursive=recursive)
    registry = registry or Registry()
    fixed = ruleset if isinstance(ruleset, Ruleset) else None
    request = Request(fixed, ruleset if isinstance(ruleset, str) else None, registry, fiscal_year, sheet, strict_year)
    if store is None or isinstance(store, Store):
        return _run(files, request, store, jobs, on_table, on_error, quiet, progress_stream)
    with Store(store) as opened:
        return _run(files, request, opened, jobs, on_table, on_error, quiet, progress_stream)


def _run(files: list[str], request: Request, store: Store | None, jobs: int, on_table, on_error, quiet: bool,
         progress_stream) -> Review:
    from .. import __version__

    hashes = {path: file_sha256(path) for path in files} if store is not None else {}
    skip: dict[str, list[int]] = {}
    if store is not None:
        for path in files:
            held = store.stored(path, request.key)
            if held and all(sha == hashes[path] and sha and request.ruleset_sha256(year) == ruleset_sha
                            for _, sha, year, ruleset_sha in held):
                skip[path] = [table_id for table_id, *_ in held]
        store.begin(request.key, __version__)
    todo = [path for path in files if path not in skip]
    results = iter_file_scores(todo, request.ruleset or request.spec, jobs=jobs, registry=request.registry,
                               fiscal_year=request.fiscal_year, sheet=request.sheet, errors="return",
                               strict_year=request.strict_year, trace=store is not None or on_table is not None,
                               finish=_Digest(on_table is not None, store is not None))
    grouped = groupby(results, key=lambda pair: str(pair[0]))
    lines: list[TableSummary] = []
    scored = failed = 0
    bar = progress(len(files), stream=progress_stream, quiet=quiet, desc="review")
    pending = None
    try:
        for path in files:
            if path in skip and store is not None:
                for table_id in skip[path]:
                    summary = store.summary(table_id)
                    lines.append(summary)
                    if on_table is not None:
                        on_table(summary, store.result(table_id))
                bar.update(1)
                continue
            key, outcomes = pending if pending is not None else next(grouped, (None, iter(())))
            pending = None
            if key != path:  # the file gave no table at all
                pending, outcomes = (key, outcomes), iter([(path, PerfrulesError("no table in the file", path=path))])
            if store is not None:
                store.forget(path, request.key)
            for position, (_, outcome) in enumerate(outcomes):
                if isinstance(outcome, PerfrulesError):
                    message = str(outcome)
                    failed += 1
                    lines.append(unreadable(path, message, file_sha256=hashes.get(path, "")))
                    if on_error is not None:
                        bar.clear()
                        on_error(path, message)
                    continue
                # finish=_Digest made each result its (summary, document, record).
                summary, document, record = cast("tuple[TableSummary, dict | None, Record | None]", outcome)
                summary = attrs.evolve(summary, file=path, table=table_label(path, summary.file or path))
                if store is not None and record is not None:
                    summary = attrs.evolve(summary, file_sha256=hashes[path])
                    store.add(summary, record, request=request.key, position=position)
                scored += 1
                lines.append(summary)
                if on_table is not None and document is not None:
                    on_table(summary, document)
            bar.update(1)
        if store is not None:
            store.commit(scored=scored, skipped=sum(map(len, skip.values())), failed=failed)
    except BaseException:
        if store is not None:
            store.rollback()  # nothing of a run that did not finish is kept
        raise
    finally:
        bar.close()
    return Review(tuple(lines), scored, sum(map(len, skip.values())), failed)
