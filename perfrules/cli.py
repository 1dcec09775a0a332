"""The ``perfrules`` command line.

Exit status: 0 success, 1 a check or audit found problems, 2 bad input or
usage (a message on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence, TextIO

__all__ = ["main", "build_parser"]


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
    return parser


def _details(data: dict) -> str:
    kind = data["kind"]
    if "value" in data:
        unit = data["unit"] or ""
        op = f"{data['op']} " if data.get("op") else ""
        dimension = f" ({data['dimension']})" if data["dimension"] else ""
        return f"{op}{data['value']}{unit}{dimension}"
    if kind == "range":
        dimension = f" ({data['dimension']})" if data["dimension"] else ""
        return f"{data['low']} .. {data['high']}{data['unit'] or ''}{dimension}"
    if "year" in data:
        parts = [data["year"], data["month"], data["day"]]
        return "-".join("?" if p is None else f"{p:02d}" for p in parts)
    return ""


def _run_parse(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from .errors import PerfrulesError
    from .targets import parse_actual, parse_target

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
            stdout.write(f"{text}\t{data['kind']}\t{_details(data)}".rstrip("\t") + "\n")
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
    try:
        return args.run(args, stdin, stdout, stderr)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
