"""The ``perfrules`` command line.

Exit status: 0 success, 1 a check or audit found problems, 2 bad input or
usage (a message on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from typing import TYPE_CHECKING, BinaryIO, Sequence, TextIO, cast

from .readers import FORMATS

if TYPE_CHECKING:
    from .report.prepared import Prepared

__all__ = ["main", "build_parser"]

# The help texts name every file ending read.
_FORMAT_LIST = ", ".join(FORMATS)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors: exit 2, one paragraph
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``perfrules`` (the CLI reference is built
    from it)."""
    parser = _Parser(
        prog="perfrules",
        description="Score budget performance self-evaluation tables (绩效自评表) by versioned rules.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    parse = commands.add_parser(
        "parse",
        help="read target (年度指标值) or actual (实际完成值) cells into typed values",
        description=(
            "Read target (年度指标值) or actual (实际完成值) cells into typed values. "
            "With no TEXT, read one cell per line from standard input."
        ),
    )
    parse.add_argument("texts", nargs="*", metavar="TEXT", help="a cell's text, e.g. '≥10次'")
    parse.add_argument("--actual", action="store_true", help="read the texts as actuals, not targets")
    parse.add_argument("--json", action="store_true", help="print one JSON object per input line")
    parse.set_defaults(run=_run_parse)

    check = commands.add_parser(
        "check",
        help="check rulesets: syntax, names, types, lints, examples, properties, coverage",
        description=(
            "Check ruleset files: syntax, names, types and rule order, every problem with its "
            "line and a caret, and lints for likely slips (warnings); run the examples each "
            "ruleset states (example …), printing the trace of a row that scores otherwise; "
            "then test its properties (expect …) on generated rows with Hypothesis, printing the "
            "smallest counterexample, and report what reached each rule and check. A folder checks "
            "every .rules file in it. With no FILE, check every ruleset in the registry. Exit 2 when "
            "a ruleset has errors, 1 when an example or a property fails (or, with --strict, on a "
            "warning or a rule or check the file adds that nothing reached), 0 otherwise."
        ),
    )
    check.add_argument("files", nargs="*", metavar="FILE", help="a ruleset file (.rules) or a folder of them")
    check.add_argument("--strict", action="store_true",
                       help="fail (exit 1) on warnings, and on a rule, check or sheet rule the file adds that no "
                            "example and no generated row reached")
    check.add_argument("--seed", type=int, metavar="N", help="seed the generated examples (default: fixed)")
    check.add_argument("--max-examples", type=int, default=200, metavar="N",
                       help="examples per property (default: 200)")
    check.add_argument("--no-properties", action="store_true", help="static checks only")
    check.add_argument("--json", action="store_true", help="print one JSON object per ruleset")
    _registry_options(check)
    check.set_defaults(run=_run_check)

    fmt = commands.add_parser(
        "fmt",
        help="print rulesets in canonical form",
        description="Print ruleset files in canonical form (comments kept).",
    )
    fmt.add_argument("files", nargs="+", metavar="FILE", help="a ruleset file (.rules)")
    mode = fmt.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="print nothing; exit 1 when a file would change")
    mode.add_argument("--write", action="store_true", help="rewrite the files in place")
    fmt.set_defaults(run=_run_fmt)

    score = commands.add_parser(
        "score",
        help="score self-evaluation tables",
        description=(
            f"Score self-evaluation tables ({_FORMAT_LIST}; a folder reads every such file in it) by a "
            "ruleset, every table of a file (a worksheet, a Word or web-page table) a result of its own: "
            "every row with its rule, score, allowed range and status beside the reported score, "
            "the total, the grade and the audit findings."
        ),
    )
    _table_arguments(score)
    score.add_argument("--format", choices=["table", "json", "csv", "xlsx", "html"], default="table",
                       help="output format (default: table)")
    score.add_argument("-o", "--output", metavar="OUT",
                       help="write to OUT instead of standard output (a folder, a file per table, when several "
                            "files or tables are scored; for JSON of one file's tables, a file with their list)")
    score.add_argument("--lang", choices=("zh", "en"), default="zh",
                       help="the language of the HTML page (default: zh, Chinese)")
    score.add_argument("--no-csv-guard", dest="csv_guard", action="store_false",
                       help="with --format csv, write cells that begin with = + - @ as they are (by default "
                            "they get a leading ' so a spreadsheet opens them as text instead of running "
                            "them as formulas)")
    score.set_defaults(run=_run_score)

    audit = commands.add_parser(
        "audit",
        help="list findings and rows whose reported score the rules do not allow",
        description=(
            "Audit self-evaluation tables: the findings, and the rows whose reported score the rules "
            "do not allow. Exit 1 when any row differs or any finding is an error, 0 otherwise."
        ),
    )
    _table_arguments(audit)
    audit.set_defaults(run=_run_audit)

    explain = commands.add_parser(
        "explain",
        help="the full trace of one row",
        description="Print how one row of a table was scored, step by step.",
    )
    _table_arguments(explain, several=False)
    explain.add_argument("--row", required=True, metavar="N",
                         help="the indicator row, counted from 1 as `score` numbers them; B for the budget row")
    explain.set_defaults(run=_run_explain)

    rulesets = commands.add_parser(
        "rulesets",
        help="list the rulesets: name, version, effective dates, title, source, sha256",
        description="List the shipped rulesets and those in --rulesets folders and PERFRULES_PATH.",
    )
    _registry_options(rulesets)
    rulesets.add_argument("--json", action="store_true", help="print a JSON list")
    rulesets.set_defaults(run=_run_rulesets)

    from .trial import add_command as add_try

    add_try(commands, _Parser)

    diff = commands.add_parser(
        "diff",
        help="rows whose score changes between two rulesets",
        description=(
            "Score the tables under ruleset A and ruleset B and list the rows whose score, allowed "
            "range or status changes, with the change in total and grade."
        ),
    )
    diff.add_argument("a", metavar="A", help="a ruleset: NAME[@VERSION] or a .rules file")
    diff.add_argument("b", metavar="B", help="a ruleset: NAME[@VERSION] or a .rules file")
    diff.add_argument("files", nargs="+", metavar="FILE", help=f"a table file ({_FORMAT_LIST}) or a folder of them")
    _file_options(diff)
    _registry_options(diff)
    diff.add_argument("--year", type=int, metavar="YYYY", help="the fiscal year, when the table does not say")
    diff.add_argument("--strict-year", action="store_true",
                      help="refuse a table for whose fiscal year no version of a ruleset is in effect "
                           "(default: the nearest version, with a warning)")
    diff.add_argument("--format", choices=["table", "json"], default="table", help="output format")
    diff.set_defaults(run=_run_diff)

    from .review.command import add_commands

    add_commands(commands, table_arguments=_table_arguments, ruleset_file=_ruleset_file)
    return parser


def _run_rulesets(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    import json

    from .registry import Registry
    from .report.text import render_rulesets

    registry = Registry(args.rulesets, override=args.override)
    listing = []
    for entry in registry:
        ruleset = registry.resolve(entry.spec)
        listing.append({
            "name": entry.name, "version": entry.version,
            "effective": entry.effective.isoformat() if entry.effective else None,
            "until": entry.until.isoformat() if entry.until else None,
            "title": ruleset.model.title, "source": ruleset.model.source, "sha256": ruleset.sha256,
            "extends": "@".join(ruleset.model.extends) if ruleset.model.extends else None,
            "path": entry.path,
        })
    if args.json:
        stdout.write(json.dumps(listing, ensure_ascii=False, indent=2) + "\n")
        return 0
    stdout.write(render_rulesets(listing))
    return 0


def _ruleset_file(path: str, registry):
    """A ruleset file; its ``extends`` found beside it, then in the registry."""
    from .ruleset import Ruleset

    return Ruleset.from_file(path, resolve=registry.resolver(path))


def _load_ruleset(spec: str, registry):
    """A ruleset file as a Ruleset; a NAME[@VERSION] as it is, for score()
    to resolve in the table's fiscal year."""

    if spec.endswith(".rules") or os.sep in spec:
        return _ruleset_file(spec, registry)
    return spec


def _year_warnings(path, scored, stderr: TextIO) -> None:
    for finding in scored.findings:
        if finding.code == "ruleset_year":
            stderr.write(f"{path}: warning: {finding.message} (--strict-year refuses instead)\n")


def _run_diff(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    import json

    from .diff import diff_sheets, diff_to_json
    from .errors import PerfrulesError
    from .evaluate import score
    from .registry import Registry
    from .report.text import render_diff

    registry = Registry(args.rulesets, override=args.override)
    status, documents = 0, []
    args.files = _files(args)
    for path, sheet in _each_sheet(args, stderr):
        if sheet is None:
            status = 2
            continue
        try:
            before, after = (score(sheet, _load_ruleset(spec, registry), registry=registry,
                                   strict_year=args.strict_year) for spec in (args.a, args.b))
        except PerfrulesError as error:
            message = str(error)
            stderr.write(f"{message}\n" if message.startswith(str(path)) else f"{path}: {message}\n")
            status = 2
            continue
        path = sheet.source or path
        for scored in (before, after):
            _year_warnings(path, scored, stderr)
        change = diff_sheets(before, after)
        if args.format == "json":
            documents.append(diff_to_json(change))
            continue
        stdout.write(render_diff(path, before, after, change))
    if documents:
        stdout.write(json.dumps(documents if len(documents) > 1 or len(args.files) > 1 else documents[0], ensure_ascii=False,
                                indent=2) + "\n")
    return status


def _file_options(command: argparse.ArgumentParser, *, several: bool = True) -> None:
    command.add_argument("--sheet", metavar="NAME",
                         help="read only the table of this name in each file: a worksheet's name, or a table's "
                              "number (2: the second table of a Word, PDF or web page)")
    if several:
        command.add_argument("--recursive", action="store_true",
                             help="read the table files in the subfolders of a FILE that is a folder, too")


def _each_sheet(args: argparse.Namespace, stderr: TextIO):
    """(path, sheet) for every table of every file; (path, None) after
    reporting a file that cannot be read."""
    from .errors import PerfrulesError
    from .readers import read_sheets

    for path in args.files:
        try:
            sheets = read_sheets(path, fiscal_year=args.year, sheet=args.sheet)
        except PerfrulesError as error:
            stderr.write(f"{error}\n")
            yield path, None
            continue
        for sheet in sheets:
            yield path, sheet


def _registry_options(command: argparse.ArgumentParser) -> None:
    """Where rulesets are found: the same options (and the same policy,
    :class:`~perfrules.finder.Finder`) for every command."""
    command.add_argument("--rulesets", action="append", default=[], metavar="DIR",
                         help="a folder of rulesets (<name>/<version>.rules) to add; may repeat")
    command.add_argument("--override", action="store_true",
                         help="let a ruleset in --rulesets replace a shipped one of the same name and version")


def _table_arguments(command: argparse.ArgumentParser, *, several: bool = True) -> None:
    command.add_argument("files", nargs="+" if several else None, metavar="FILE",
                         help=f"a table file ({_FORMAT_LIST})" + (" or a folder of them" if several else ""))
    _file_options(command, several=several)
    which = command.add_mutually_exclusive_group()
    which.add_argument("--ruleset", metavar="NAME[@VERSION]",
                       help="the ruleset (default: mof, the version in effect in the table's fiscal year)")
    which.add_argument("--ruleset-file", metavar="PATH", help="a ruleset file to use")
    _registry_options(command)
    command.add_argument("--year", type=int, metavar="YYYY",
                         help="the fiscal year, when the table does not say or says wrong")
    command.add_argument("--strict-year", action="store_true",
                         help="refuse a table for whose fiscal year no version of the ruleset is in effect "
                              "(default: score it with the nearest version, with a warning)")
    if several:
        command.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                             help="score the files in N processes, output in argument order "
                                  "(default: 1; 0: one per core)")


def _files(args: argparse.Namespace) -> list[str]:
    """The table files named, a folder's in sorted order in its place.
    Raises PerfrulesError for a folder with none."""
    from .readers import table_files

    files = args.files if isinstance(args.files, list) else [args.files]
    out = []
    for path in map(str, files):
        if os.path.isdir(path):
            out += table_files(path, recursive=getattr(args, "recursive", False))
        else:
            out.append(path)
    return out


def _label_name(path: str, scored) -> str | None:
    """The table's name within its file (``项目2``), or None for a file's
    only table (``scored``: a ScoreSheet, or its Prepared output)."""
    from pathlib import Path

    source = scored.source if hasattr(scored, "source") else scored.sheet.source
    source, name = source or path, str(Path(path))  # readers name ./x.html x.html
    return source[len(name) + 1:] if source.startswith(name + "#") else None


def _jobs(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"N must be 0 (one per core) or a positive whole number, not '{text}'")
    return int(text)


def _score_files(args: argparse.Namespace, stderr: TextIO, *, trace: bool = True, finish=None):
    """Score each file (in ``--jobs`` processes); yield (path, ScoreSheet or
    None) in argument order, a file of several tables once for each.  A
    file that fails is reported and the others still run.  ``trace``:
    whether the output shows the explanations (the scores are the same
    without; it is several times faster).  ``finish``: a Preparer, applied
    where each table is scored; its Prepared outputs come instead."""
    from .errors import PerfrulesError
    from .parallel import iter_file_scores
    from .progress import progress
    from .registry import Registry

    registry = Registry(args.rulesets, override=args.override)
    fixed = _ruleset_file(args.ruleset_file, registry) if args.ruleset_file else None
    results = iter_file_scores(args.files, fixed or args.ruleset, registry=registry, fiscal_year=args.year,
                               jobs=getattr(args, "jobs", 1), errors="return", trace=trace,
                               sheet=getattr(args, "sheet", None), strict_year=args.strict_year, finish=finish)
    # A bar on a terminal for a batch (nothing when stderr is a file or a pipe).
    with progress(len(args.files), stream=stderr, quiet=len(args.files) < 2, desc=args.command) as bar:
        last = None
        for path, scored in results:
            path = str(path)
            if path != last:
                bar.update(last is not None)
                last = path
            if isinstance(scored, PerfrulesError):
                message = str(scored)
                bar.clear()
                # Every error names the table it stopped (a ruleset's error names the ruleset first).
                stderr.write(f"{message}\n" if message.startswith(str(path)) else f"{path}: {message}\n")
                yield path, None
            elif finish is not None:
                prepared = cast("Prepared", scored)
                for warning in prepared.warnings:
                    stderr.write(f"{prepared.source or path}: warning: {warning} (--strict-year refuses instead)\n")
                yield path, scored
            else:
                _year_warnings(scored.sheet.source or path, scored, stderr)
                yield path, scored


def _run_score(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from .report._json import dump_indented, dumps_indented
    from .report.prepared import Preparer

    folders = any(os.path.isdir(str(path)) for path in args.files)
    args.files = _files(args)
    several = len(args.files) > 1 or folders
    if args.format == "xlsx" and not args.output:
        stderr.write("perfrules score: --format xlsx needs -o OUT (a workbook is not text)\n")
        return 2
    if not args.csv_guard and args.format != "csv":
        stderr.write(f"perfrules score: --no-csv-guard is for --format csv, not {args.format}\n")
        return 2
    if several and args.output and os.path.exists(args.output) and not os.path.isdir(args.output):
        stderr.write(f"perfrules score: {args.output} must be a folder when scoring several files\n")
        return 2
    status, results = 0, []
    # JSON and HTML carry each row's trace; the table, CSV and Excel do not.
    # Rendered where each table is scored (in the workers with --jobs N).
    scored_files = _score_files(args, stderr, trace=args.format in ("json", "html"),
                                finish=Preparer(args.format, args.csv_guard, args.lang))
    if args.output and not several and not os.path.isdir(args.output):
        # One file: OUT is a file, unless the file holds several tables.
        scored_files = list(scored_files)
        tables = [entry for entry in scored_files if entry[1] is not None]
        if len(tables) > 1 and args.format != "json":
            if os.path.exists(args.output):
                stderr.write(f"perfrules score: {args.output} must be a folder: {args.files[0]} holds "
                             f"{len(tables)} tables\n")
                return 2
            several = True
    taken: set[str] = set()
    for path, scored in scored_files:
        if scored is None:
            status = 2
            continue
        label = scored.source or path
        if not scored.rows:
            # No indicator row (a budget block alone is no table to score):
            # the output still comes (with its findings), but the run is bad input.
            stderr.write(f"{label}: no indicator rows were found: is it a self-evaluation table "
                         f"(绩效自评表)? See the findings.\n")
            status = 2
        if args.output and args.format == "json" and not several and not os.path.isdir(args.output):
            results.append(scored.data)
        elif args.output:
            target = args.output
            if several or os.path.isdir(args.output):
                os.makedirs(args.output, exist_ok=True)
                stem = os.path.splitext(os.path.basename(path))[0]
                table = _label_name(path, scored)
                stem += f"#{table}" if table else ""
                extension = "txt" if args.format == "table" else args.format
                name, number = f"{stem}.{extension}", 1
                while name in taken:  # two tables of one name: keep both
                    number += 1
                    name = f"{stem}-{number}.{extension}"
                taken.add(name)
                target = os.path.join(args.output, name)
            data = scored.data if args.format != "json" else dumps_indented(scored.data) + "\n"
            with open(target, "wb") as handle:
                handle.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        elif args.format == "json":
            results.append(scored.data)
        else:
            data = scored.data
            if args.format == "table" and _label_name(path, scored):
                stdout.write(f"== {label} ==\n")  # one of several tables of the file
            if isinstance(data, bytes):
                stdout.flush()
                cast(BinaryIO, getattr(stdout, "buffer", stdout)).write(data)  # a text stream's bytes underneath
            else:
                stdout.write(data)
    if results:
        document = results if several or len(results) > 1 else results[0]
        # Written a chunk at a time: a big table's text is never held whole.
        if args.output:
            with open(args.output, "w", encoding="utf-8") as handle:
                dump_indented(document, handle.write)
                handle.write("\n")
        else:
            dump_indented(document, stdout.write)
            stdout.write("\n")
    return status


def _run_audit(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from .report.text import audit_failed, render_audit

    args.files = _files(args)
    status = 0
    for path, scored in _score_files(args, stderr, trace=False):
        if scored is None:
            status = 2
            continue
        stdout.write(render_audit(scored.sheet.source or path, scored))
        if audit_failed(scored):
            status = max(status, 1)
    return status


def _run_explain(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from .report.text import render_explain

    args.files = _files(args)
    scored_tables = list(_score_files(args, stderr))
    if len(scored_tables) > 1:
        names = ", ".join(repr(_label_name(path, scored)) for path, scored in scored_tables if scored is not None)
        stderr.write(f"perfrules explain: {args.files[0]} holds several tables: pick one with --sheet ({names})\n")
        return 2
    for path, scored in scored_tables:
        if scored is None:
            return 2
        if args.row.upper() == "B":
            if scored.budget is None:
                stderr.write(f"{path}: the table has no budget-execution block\n")
                return 2
            entry = scored.budget
        else:
            try:
                entry = scored.row(int(args.row))
            except (ValueError, IndexError):
                stderr.write(f"perfrules explain: --row must be 1 to {len(scored.rows)} or B, not {args.row}\n")
                return 2
        stdout.write(render_explain(scored.sheet.source or path, entry))
    return 0


def _read(path: str, stderr: TextIO) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        stderr.write(f"{path}: cannot read: {error}\n")
        return None


def _check_files(paths: list[str]) -> list[str]:
    """The ruleset files named, a folder's ``.rules`` files (recursively,
    sorted) in its place."""
    from pathlib import Path

    files = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(str(p) for p in Path(path).rglob("*.rules"))
            if not found:
                raise _NoRulesets(path)
            files += found
        else:
            files.append(path)
    return files


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class _NoRulesets(Exception):
    pass


def _check_error(path: str, errors: list[str], args, stdout: TextIO, stderr: TextIO) -> None:
    """A ruleset that cannot be checked: the message on stderr, and with
    --json, a JSON line saying so too (a CI tool reads one line per file)."""
    for message in errors:
        stderr.write(f"{message}\n")
    if args.json:
        stdout.write(json.dumps({"path": path, "passed": False, "errors": errors}, ensure_ascii=False) + "\n")


def _run_check(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from .errors import PerfrulesError, RulesetCheckError
    from .registry import Registry
    from .ruleset import Ruleset

    try:
        registry = Registry(args.rulesets, override=args.override)
    except PerfrulesError as error:
        _check_error("", [str(error)], args, stdout, stderr)
        return 2
    if args.files:
        try:
            files = _check_files(args.files)
        except _NoRulesets as missing:
            _check_error(str(missing), [f"{missing}: no .rules files in this folder"], args, stdout, stderr)
            return 2
    else:
        files = [entry.path for entry in registry]
    status = 0
    for path in files:
        unread = io.StringIO()
        text = _read(path, unread)
        if text is None:
            _check_error(path, [unread.getvalue().rstrip("\n")], args, stdout, stderr)
            status = 2
            continue
        try:
            ruleset = Ruleset.from_text(text, path=path, resolve=registry.resolver(path))
        except PerfrulesError as error:
            problems = error.problems if isinstance(error, RulesetCheckError) else [error]
            _check_error(path, [str(problem) for problem in problems], args, stdout, stderr)
            status = 2
            continue
        for warning in ruleset.warnings:
            stderr.write(f"{warning}\n")
        model = ruleset.model
        from .testing.policy import check_policy

        report = check_policy(ruleset, properties=not args.no_properties, max_examples=args.max_examples,
                              seed=args.seed, strict=args.strict)
        if not report.passed:
            status = max(status, 1)
        if args.json:
            document = {"path": path, "name": model.name, "version": model.version, "sha256": ruleset.sha256,
                        "warnings": [w.message for w in ruleset.warnings], **report.to_json()}
            stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
            continue
        stdout.write(
            f"{path}: ok: {model.name}@{model.version}, {len(model.rules)} rules, "
            f"{len(ruleset.warnings)} warnings, {_plural(len(model.examples), 'example')}, sha256 {ruleset.sha256[:16]}\n"
        )
        text = report.text()
        if text:
            stdout.write(text + "\n")
    return status


def _run_fmt(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from .dsl.format import format_document
    from .dsl.parse import parse_document
    from .errors import PerfrulesError

    status = 0
    for path in args.files:
        text = _read(path, stderr)
        if text is None:
            status = 2
            continue
        try:
            formatted = format_document(parse_document(text, path=path))
        except PerfrulesError as error:
            stderr.write(f"{error}\n")
            status = 2
            continue
        if args.check:
            if formatted != text:
                stderr.write(f"{path}: would be reformatted\n")
                status = max(status, 1)
        elif args.write:
            if formatted != text:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(formatted)
                stderr.write(f"{path}: reformatted\n")
        else:
            stdout.write(formatted)
    return status


def _run_parse(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from .errors import PerfrulesError
    from .report.text import render_parsed
    from .cells.targets import parse_actual, parse_target

    if args.texts:
        texts = args.texts
    elif stdin.isatty():
        stderr.write("perfrules parse: give one or more TEXT arguments, or pipe cells in, one per line\n")
        return 2
    else:
        texts = [line.rstrip("\r\n") for line in stdin]
    read = parse_actual if args.actual else parse_target
    status = 0
    for text in texts:
        try:
            data = read(text).to_json()
        except PerfrulesError as error:
            status = 2
            stderr.write(f"{error}\n")
            if args.json:
                stdout.write(json.dumps({"text": text, "error": error.message}, ensure_ascii=False) + "\n")
            else:
                stdout.write(f"{text}\terror\t{error.message}\n")
            continue
        if args.json:
            stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            stdout.write(render_parsed(text, data))
    return status


def _utf8(stream: TextIO) -> TextIO:
    # Cells are Chinese text: do not let a C locale turn them into errors.
    if hasattr(stream, "reconfigure") and (stream.encoding or "").lower().replace("-", "") != "utf8":
        stream.reconfigure(encoding="utf-8")
    return stream


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``perfrules`` with ``argv`` (default: the process arguments);
    return the exit status."""
    stdin, stdout, stderr = _utf8(sys.stdin), _utf8(sys.stdout), _utf8(sys.stderr)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:
        return int(exit.code or 0)
    from .errors import PerfrulesError

    try:
        return args.run(args, stdin, stdout, stderr)
    except PerfrulesError as error:  # bad input outside a per-file loop: a ruleset, a folder
        stderr.write(f"{error}\n")
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
