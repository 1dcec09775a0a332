"""The ``perfrules review`` and ``perfrules query`` commands (wired into
:mod:`perfrules.cli` by :func:`add_commands`)."""

from __future__ import annotations

import argparse
import json
import os
from decimal import Decimal, InvalidOperation
from typing import TextIO

from .summary import READ_STATUSES, SORT_KEYS

__all__ = ["add_commands"]

_OUTPUTS = ("table", "csv", "json", "xlsx", "html")


def _gap(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"a number of points, e.g. 5, not '{text}'") from None


def add_commands(commands, *, table_arguments, ruleset_file) -> None:
    """Add ``review`` and ``query`` to the subparsers ``commands``;
    ``table_arguments`` adds the table and ruleset options every scoring
    command takes, ``ruleset_file`` loads a --ruleset-file."""
    review = commands.add_parser(
        "review",
        help="review many tables: one summary line each, a results store, a review site",
        description=(
            "Score and audit every table of the files and folders named (folders with their subfolders) "
            "and write one summary line per table: unit, project, year, ruleset, reported and computed "
            "totals with the range the policy allows, the gap between them, grades, rows read, differing "
            "and unscorable, findings by severity and how fully the file was read. --store keeps every "
            "result in an SQLite file and skips the files it holds unchanged. Exit 2 when a file could "
            "not be read (the others are still reviewed)."
        ),
    )
    table_arguments(review)
    review.set_defaults(recursive=True, run=lambda args, i, o, e: _run_review(args, o, e, ruleset_file))
    review.add_argument("--format", choices=_OUTPUTS, default="table",
                        help="table (the terminal), csv (and a second file of findings), json, xlsx, or html "
                             "(a site: -o FOLDER gets index.html and a page per table)")
    review.add_argument("-o", "--output", metavar="OUT", help="the file (a folder for --format html) to write")
    review.add_argument("--lang", choices=("zh", "en"), default="zh",
                        help="the language of headings and pages (default: zh, Chinese)")
    review.add_argument("--store", metavar="DB", help="the SQLite results store to record in (created if missing)")
    review.add_argument("--sort", choices=SORT_KEYS, metavar="KEY",
                        help="sort by a column: numbers largest first (gap: the most overstated first), text "
                             f"in order; one of {', '.join(SORT_KEYS)}")
    review.add_argument("--reverse", action="store_true", help="turn the --sort order round")
    review.add_argument("--min-gap", type=_gap, metavar="POINTS",
                        help="only tables whose reported total is above the computed one by at least POINTS")
    review.add_argument("--differs", action="store_true", help="only tables with a row that differs")
    review.add_argument("--grade", metavar="GRADE", help="only tables of this computed grade (优 良 中 差)")
    review.add_argument("--read-status", choices=READ_STATUSES,
                        help="only tables read fully, partly, or files that could not be read")
    review.add_argument("--quiet", action="store_true", help="no progress bar (there is none unless stderr is a "
                                                             "terminal)")
    review.add_argument("--no-csv-guard", dest="csv_guard", action="store_false",
                        help="in CSV, write cells that start with = + - @ as they are")

    query = commands.add_parser(
        "query",
        help="ask a results store a named question, or SQL",
        description=(
            "Answer a reviewer's question from a results store written by `perfrules review --store`: a "
            "named question (--list shows them), or --sql with any SELECT over its tables and views "
            "(docs/review.md has the schema). The store is opened read-only. --parquet DIR writes its "
            "tables as Parquet files instead (needs pyarrow: the parquet extra)."
        ),
    )
    query.add_argument("store", metavar="DB", help="the results store")
    query.add_argument("question", nargs="?", metavar="NAME", help="a named question")
    query.add_argument("--sql", metavar="SQL", help="an SQL statement to run instead of a named question")
    query.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                       help="a parameter of the question (e.g. min_gap=5, years=2023,2024); may repeat")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")
    query.add_argument("--list", action="store_true", help="list the named questions")
    query.add_argument("--parquet", metavar="DIR", help="export the store's tables as Parquet files into DIR")
    query.set_defaults(run=lambda args, i, o, e: _run_query(args, o, e))


def _run_review(args, stdout: TextIO, stderr: TextIO, ruleset_file) -> int:
    from ..registry import Registry
    from ..report import summary as render
    from .run import review
    from .site import SiteWriter
    from .summary import select

    if args.format in ("xlsx", "html") and not args.output:
        stderr.write(f"perfrules review: --format {args.format} needs -o OUT\n")
        return 2
    if args.format == "html" and os.path.exists(args.output) and not os.path.isdir(args.output):
        stderr.write(f"perfrules review: {args.output} must be a folder for --format html (the site)\n")
        return 2
    if args.output and args.format != "html" and os.path.isdir(args.output):
        stderr.write(f"perfrules review: {args.output} is a folder; give a file for --format {args.format}\n")
        return 2
    registry = Registry(args.rulesets, override=args.override)
    ruleset = ruleset_file(args.ruleset_file, registry) if args.ruleset_file else args.ruleset
    findings: list[dict] = []
    site = SiteWriter(args.output, args.lang) if args.format == "html" else None

    def on_table(summary, document):
        findings.extend({"file": summary.file, "table": summary.table, "code": f["code"],
                         "severity": f["severity"], "message": f["message"], "rows": f["rows"]}
                        for f in document["findings"])
        if site is not None:
            site(summary, document)

    def on_error(path, message):
        stderr.write(f"{message}\n" if message.startswith(path) else f"{path}: {message}\n")

    done = review(args.files, ruleset, registry=registry, jobs=args.jobs, store=args.store,
                  fiscal_year=args.year, sheet=args.sheet, strict_year=args.strict_year,
                  on_table=None if args.format == "table" else on_table, on_error=on_error,
                  quiet=args.quiet, progress_stream=stderr)
    lines = select(done.tables, sort=args.sort, reverse=args.reverse, min_gap=args.min_gap,
                   differs=args.differs, grade=args.grade, read_status=args.read_status)
    kept = {(line.file, line.table) for line in lines}
    findings = [f for f in findings if (f["file"], f["table"]) in kept]
    if site is not None:
        site.finish(lines)
    elif args.format == "xlsx":
        _write(args.output, render.summary_xlsx(lines, findings, args.lang))
    elif args.format == "csv":
        summary = render.summary_csv(lines, args.lang, guard=args.csv_guard)
        found = render.findings_csv(findings, args.lang, guard=args.csv_guard)
        if args.output:
            _write(args.output, "\ufeff" + summary)
            _write(_findings_path(args.output), "\ufeff" + found)
        else:
            stdout.write(summary + "\r\n" + found)
    elif args.format == "json":
        _emit(args.output, render.summary_json(lines, findings), stdout)
    else:
        _emit(args.output, render.summary_table(lines, args.lang), stdout)
    if args.store and not args.quiet:
        stderr.write(f"{done.scored} table(s) scored, {done.skipped} unchanged in {args.store}\n")
    return 2 if done.failed else 0


def _findings_path(output: str) -> str:
    """``summary.csv`` → ``summary-findings.csv``."""
    stem, extension = os.path.splitext(output)
    return f"{stem}-findings{extension or '.csv'}"


def _write(path: str, data: str | bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def _emit(path: str | None, text: str, stdout: TextIO) -> None:
    if path:
        _write(path, text)
    else:
        stdout.write(text)


def _run_query(args, stdout: TextIO, stderr: TextIO) -> int:
    from ..numbers import display_width as width
    from .store import QUESTIONS, Store

    if args.list:
        for question in QUESTIONS.values():
            defaults = ", ".join(f"{k}={v!r}" for k, v in question.defaults.items())
            stdout.write(f"{question.name}: {question.about}" + (f" [{defaults}]" if defaults else "") + "\n")
        return 0
    if not os.path.isfile(args.store):
        stderr.write(f"perfrules query: {args.store}: no such results store\n")
        return 2
    with Store(args.store) as store:
        if args.parquet:
            for path in store.export_parquet(args.parquet):
                stdout.write(f"{path}\n")
            return 0
        if (args.question is None) == (args.sql is None):
            stderr.write(f"perfrules query: give a question (one of {', '.join(QUESTIONS)}) or --sql, not "
                         f"{'both' if args.sql else 'neither'}\n")
            return 2
        params: dict[str, str] = {}
        for given in args.param:
            key, sign, value = given.partition("=")
            if not sign or not key:
                stderr.write(f"perfrules query: --param takes KEY=VALUE, not '{given}'\n")
                return 2
            params[key] = value
        if args.sql is not None:
            sql = args.sql
        elif args.question not in QUESTIONS:
            stderr.write(f"perfrules query: no question '{args.question}'; the questions are "
                         f"{', '.join(QUESTIONS)} (--list says what each asks)\n")
            return 2
        else:
            question = QUESTIONS[args.question]
            unknown = set(params) - set(question.defaults)
            if unknown:
                stderr.write(f"perfrules query: {args.question} takes no parameter {', '.join(sorted(unknown))}"
                             f" (it takes: {', '.join(question.defaults) or 'none'})\n")
                return 2
            sql, params = question.sql, {**question.defaults, **params}
        store.read_only()
        columns, rows = store.query(sql, params)
    if args.format == "json":
        stdout.write(json.dumps([dict(zip(columns, row)) for row in rows], ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        from ..report.summary import csv_text

        stdout.write(csv_text([columns] + [["" if v is None else str(v) for v in row] for row in rows], True))
    else:
        cells = [columns] + [["" if v is None else str(v).replace("\n", " ⏎ ") for v in row] for row in rows]
        sizes = [max(width(r[i]) for r in cells) for i in range(len(columns))]
        for n, row in enumerate(cells):
            stdout.write("  ".join(c + " " * (sizes[i] - width(c)) for i, c in enumerate(row)).rstrip() + "\n")
            if n == 0:
                stdout.write("  ".join("-" * s for s in sizes) + "\n")
    return 0
