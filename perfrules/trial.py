"""``perfrules try``: one row, written on the command line, scored and
explained by a ruleset, with no table file.

A policy author tries a rule on the row a policy text describes; an
assessor checks a single score.  The row is built from its cells as a
table writes them (:meth:`~perfrules.Row.of`), or, with ``--budget`` and
``--spent``, as the budget-execution row (:meth:`~perfrules.Row.budget_execution`),
and scored as a one-row table, so the ruleset's checks look at it too.

>>> sheet = sheet_from_options(target="≥300项", actual="498项", weight="1", columns=["复核分=0.8"],
...                            budget="100", spent="80")
>>> row = sheet.rows[0]
>>> row.target.kind, row.weight, dict(row.columns), sheet.budget.spent
('ge', Decimal('1'), {'复核分': '0.8'}, Decimal('80'))
>>> sheet_from_options(columns=["复核分"])
Traceback (most recent call last):
perfrules.errors.PerfrulesError: --col takes NAME=VALUE (复核分=0.8), not '复核分'
"""

from __future__ import annotations

import argparse
import json
from typing import Sequence, TextIO

from .errors import PerfrulesError
from .records import Row, Sheet, parse_amount
from .cells.targets import parse_actual, parse_target

__all__ = ["sheet_from_options", "add_command"]

#: The cells of an indicator row ``try`` takes, as options.
_TEXT_OPTIONS = ("name", "level1", "level2", "goal", "note")


def _columns(pairs: Sequence[str]) -> dict[str, str]:
    columns: dict[str, str] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            raise PerfrulesError(f"--col takes NAME=VALUE (复核分=0.8), not '{pair}'")
        if name.strip() in columns:
            raise PerfrulesError(f"--col gives the column '{name.strip()}' twice")
        columns[name.strip()] = value.strip()
    return columns


def _read(option: str, text: str, read) -> None:
    """Read one option's text, so that an error names the option."""
    try:
        read(text)
    except PerfrulesError as error:
        if error.source is not None:  # a caret under the text: the option stands where the file would
            raise type(error)(error.message, source=error.source, span=error.span, path=option) from None
        raise PerfrulesError(f"{option}: {error.message}") from None


def sheet_from_options(
    *,
    target: str | None = None,
    actual: str | None = None,
    weight: str | None = None,
    reported: str | None = None,
    budget: str | None = None,
    spent: str | None = None,
    initial_budget: str | None = None,
    year: int | None = None,
    columns: Sequence[str] = (),
    **cells: str | None,
) -> Sheet:
    """The one-row table the options describe: the indicator row of
    ``--target``/``--actual`` (its table's budget block ``--budget``/
    ``--spent`` when given), or, with ``--budget``/``--spent`` alone, the
    budget-execution row.  ``--weight``, ``--reported`` and ``--col`` are
    the scored row's.  Raises :class:`~perfrules.PerfrulesError` (a
    :class:`~perfrules.TargetSyntaxError` with a caret for a target or
    actual that does not read) for options that make no row."""
    extra = _columns(columns)
    for option, text, read in (("--target", target, parse_target), ("--actual", actual, parse_actual),
                               ("--weight", weight, parse_amount), ("--reported", reported, parse_amount),
                               ("--budget", budget, parse_amount), ("--spent", spent, parse_amount),
                               ("--initial-budget", initial_budget, parse_amount)):
        if text is not None:
            _read(option, text, read)
    texts = {k: v for k, v in cells.items() if k in _TEXT_OPTIONS and v is not None}
    indicator = target is not None or actual is not None
    block = None
    if budget is not None or spent is not None or initial_budget is not None:
        if budget is None or spent is None:
            raise PerfrulesError("the budget block needs both --budget (全年预算数) and --spent (全年执行数)")
        # Scored itself, the budget row takes the row's options; else they are the indicator row's.
        block_columns = {} if indicator else dict(extra)
        if initial_budget is not None:
            block_columns["年初预算数"] = initial_budget
        block = Row.budget_execution(
            budget=budget, spent=spent, fiscal_year=year, columns=block_columns,
            weight=10 if indicator or weight is None else weight, reported=None if indicator else reported,
            **({} if indicator else texts))
    if not indicator:
        if block is None:
            raise PerfrulesError("give the row: --target and --actual (an indicator row), or --budget and --spent "
                                 "(the budget-execution row)")
        return Sheet(rows=(), budget=block, fiscal_year=year)
    row = Row.of(target=target or "", actual=actual or "", weight=weight, reported=reported,
                 fiscal_year=year, columns=extra, **texts)
    return Sheet(rows=(row,), budget=block, fiscal_year=year)


def add_command(commands, parser_class) -> None:
    """The ``try`` subcommand, added to the CLI's ``commands``."""
    command = commands.add_parser(
        "try",
        help="score and explain one row given on the command line",
        description="Score one row, given by its cells, with a ruleset, and print how (its trace), the rule "
                    "that fired, the score and allowed range, and what the ruleset's checks say of it. "
                    "Exit status: 0 scored, 1 the ruleset cannot score the row, 2 bad input.",
    )
    command.add_argument("ruleset", metavar="RULESET", help="NAME[@VERSION] or a ruleset file (.rules)")
    command.add_argument("--target", metavar="TEXT", help="the target cell (年度指标值), e.g. '≥300项'")
    command.add_argument("--actual", metavar="TEXT", help="the actual cell (实际完成值), e.g. '498项'")
    command.add_argument("--weight", metavar="N", help="the weight (分值)")
    command.add_argument("--reported", metavar="N", help="the score the unit reported (得分)")
    for name, what in (("name", "三级指标"), ("level1", "一级指标"), ("level2", "二级指标"), ("goal", "绩效目标"),
                       ("note", "偏差原因分析及改进措施")):
        command.add_argument(f"--{name}", metavar="TEXT", help=f"the row's {what}")
    command.add_argument("--col", dest="columns", action="append", default=[], metavar="NAME=VALUE",
                         help="another column of the row, read by cell(\"NAME\") and number(\"NAME\"); may repeat")
    command.add_argument("--budget", metavar="N",
                         help="the budget block's 全年预算数 (with --spent): alone, the budget-execution row is "
                              "scored; with --target and --actual, it is the indicator row's table's")
    command.add_argument("--spent", metavar="N", help="the budget block's 全年执行数 (with --budget)")
    command.add_argument("--initial-budget", metavar="N", help="the budget block's 年初预算数")
    command.add_argument("--year", type=int, metavar="YYYY",
                         help="the fiscal year (picks the version of a NAME in effect, and dates deadlines)")
    command.add_argument("--rulesets", action="append", default=[], metavar="DIR",
                         help="a folder of rulesets (<name>/<version>.rules) to add; may repeat")
    command.add_argument("--json", action="store_true", help="print the result as one JSON object")
    command.set_defaults(run=_run)


def _ruleset(spec: str, year: int | None, folders: list[str]):
    from .registry import Registry
    from .ruleset import Ruleset, default_resolver

    registry = Registry(folders)
    if spec.endswith(".rules"):
        beside, known = default_resolver(spec), registry.resolver()
        return Ruleset.from_file(spec, resolve=lambda name, version: beside(name, version) or known(name, version))
    return registry.resolve(spec, year=year, nearest=True)


def _run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from .evaluate import score

    try:
        sheet = sheet_from_options(target=args.target, actual=args.actual, weight=args.weight,
                                   reported=args.reported, budget=args.budget, spent=args.spent,
                                   initial_budget=args.initial_budget, year=args.year, columns=args.columns,
                                   **{name: getattr(args, name) for name in _TEXT_OPTIONS})
    except PerfrulesError as error:
        stderr.write(f"perfrules try: {error}\n")
        return 2
    ruleset = _ruleset(args.ruleset, args.year, args.rulesets)  # its errors: main() says them, exit 2
    scored = score(sheet, ruleset)
    entry = scored.rows[0] if scored.rows else scored.budget
    assert entry is not None  # a sheet of options holds a row or a budget row
    row = entry.row
    result = entry.result
    own = {check.name for check in ruleset.model.checks}
    findings = [f for f in scored.findings if f.code in own]
    if args.json:
        from .report.result import row_json

        data = {"ruleset": {"name": ruleset.name, "version": ruleset.version, "sha256": ruleset.sha256},
                **row_json(entry), "columns": dict(row.columns),
                "findings": [{"code": f.code, "severity": f.severity, "message": f.message, "rows": list(f.rows)}
                             for f in findings]}
        stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        stdout.write(f"ruleset: {ruleset.name}@{ruleset.version}\n")
        for step in result.trace:
            stdout.write(f"{step}\n")
        if result.reason and not any(step.label == "unscorable" for step in result.trace):
            stdout.write(f"unscorable: {result.reason}\n")
        if result.reported is not None:
            stdout.write(f"reported: {result.reported}\n")
        stdout.write(f"status: {result.status}\n")
        for finding in findings:  # the row is row 1; the budget block's row says so
            stdout.write(f"{finding}\n")
    return 1 if result.status == "unscorable" else 0
