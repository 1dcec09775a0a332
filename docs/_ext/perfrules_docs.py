"""A Sphinx extension for the perfrules docs.

- ``perfrules-cli``: the command-line reference, generated from the parser
  that ``perfrules`` itself runs (:func:`perfrules.cli.build_parser`), so
  it cannot drift from the code. Without an argument it renders the
  program's usage and a table of its commands; with a command's name, that
  command's usage, description, arguments and options. A command of the
  parser that no ``perfrules-cli NAME`` documents is a warning (an error
  under ``-W``).
- The sample HTML report: every HTML build renders the bundled table with
  ``perfrules score --format html`` into ``_static/sample-report.html``,
  so the page the docs show is the one the code renders today.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE_TABLE = ROOT / "examples" / "tianjin-kjj-2024-zhengti.txt"
SAMPLE_REPORT = "_static/sample-report.html"
WIDTH = 88  # usage lines wrap here, whatever the terminal the build runs in


def _parser() -> argparse.ArgumentParser:
    from perfrules.cli import build_parser

    return build_parser()


def _fixed_width(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.formatter_class = functools.partial(argparse.HelpFormatter, width=WIDTH)
    return parser


def commands(parser: argparse.ArgumentParser) -> dict[str, tuple[argparse.ArgumentParser, str]]:
    """The parser's commands, in the order they were added: name → (parser, help)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            return {name: (sub, helps.get(name, "")) for name, sub in action.choices.items()}
    return {}


def _usage(parser: argparse.ArgumentParser) -> nodes.literal_block:
    text = _fixed_width(parser).format_usage().strip()
    text = text.removeprefix("usage: ")
    return nodes.literal_block(text, text, language="text")


def _invocation(parser: argparse.ArgumentParser, action: argparse.Action) -> nodes.option_group:
    formatter = parser._get_formatter()
    group = nodes.option_group()
    if not action.option_strings:
        option = nodes.option()
        option += nodes.option_string(text=formatter._format_args(action, action.dest))
        group += option
        return group
    for string in action.option_strings:
        option = nodes.option()
        option += nodes.option_string(text=string)
        if action.nargs != 0:
            value = formatter._format_args(action, action.dest.upper())
            option += nodes.option_argument(text=value, delimiter=" ")
        group += option
    return group


def _help(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    text = action.help or ""
    if "%" in text:
        text = text % {**vars(action), "prog": parser.prog}
    notes = []
    for group in parser._mutually_exclusive_groups:
        if action in group._group_actions:
            others = [a.option_strings[-1] for a in group._group_actions if a is not action]
            notes.append(f"not with {' or '.join(others)}")
    if action.required and action.option_strings:
        notes.append("required")
    return f"{text} ({'; '.join(notes)})" if notes else text


# Options (--json, -o) and `quoted` words in help text are set as code, so
# that they read as typed (and smart quotes do not turn -- into a dash).
_CODE = re.compile(r"`([^`]+)`|(?<![\w-])(--?[A-Za-z][\w-]*)")


def _paragraph(text: str) -> nodes.paragraph:
    paragraph = nodes.paragraph()
    at = 0
    for match in _CODE.finditer(text):
        paragraph += nodes.Text(text[at:match.start()])
        code = match.group(1) or match.group(2)
        paragraph += nodes.literal(code, code)
        at = match.end()
    paragraph += nodes.Text(text[at:])
    return paragraph


def _option_list(parser: argparse.ArgumentParser, actions: list[argparse.Action]) -> nodes.option_list:
    listing = nodes.option_list()
    for action in actions:
        item = nodes.option_list_item()
        item += _invocation(parser, action)
        description = nodes.description()
        description += _paragraph(_help(parser, action))
        item += description
        listing += item
    return listing


def _command_reference(parser: argparse.ArgumentParser) -> list[nodes.Node]:
    result: list[nodes.Node] = [_usage(parser)]
    if parser.description:
        result.append(_paragraph(parser.description))
    positionals = [a for a in parser._actions if not a.option_strings]
    optionals = [a for a in parser._actions if a.option_strings]
    if positionals:
        result += [nodes.rubric(text="Arguments"), _option_list(parser, positionals)]
    if optionals:
        result += [nodes.rubric(text="Options"), _option_list(parser, optionals)]
    return result


class PerfrulesCli(SphinxDirective):
    """``perfrules-cli [COMMAND]``: the reference of the program or of one
    of its commands, from the live parser."""

    optional_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        parser = _parser()
        known = commands(parser)
        if not self.arguments:
            return self._program(parser, known)
        name = self.arguments[0]
        if name not in known:
            logger.warning("perfrules has no command %r (it has: %s)", name, ", ".join(known),
                           location=self.get_location())
            return []
        documented = getattr(self.env, "perfrules_cli_documented", {})
        documented[name] = self.env.docname
        self.env.perfrules_cli_documented = documented
        return _command_reference(known[name][0])

    def _program(self, parser: argparse.ArgumentParser, known) -> list[nodes.Node]:
        result = _command_reference(parser)[:2]  # usage and description; the commands follow
        table = nodes.table(classes=["perfrules-commands"])
        group = nodes.tgroup(cols=2)
        table += group
        group += nodes.colspec(colwidth=1)
        group += nodes.colspec(colwidth=4)
        head = nodes.thead()
        group += head
        head += self._table_row(nodes.paragraph(text="command"), nodes.paragraph(text="what it does"))
        body = nodes.tbody()
        group += body
        for name, (_, help_text) in known.items():
            link = addnodes.pending_xref(
                "", refdomain="std", reftype="ref", reftarget=f"cli-{name}", refexplicit=True, refwarn=True,
            )
            link += nodes.literal(text=f"perfrules {name}")
            first = nodes.paragraph()
            first += link
            body += self._table_row(first, _paragraph(help_text))
        result.append(table)
        return result

    @staticmethod
    def _table_row(*paragraphs: nodes.paragraph) -> nodes.row:
        row = nodes.row()
        for paragraph in paragraphs:
            entry = nodes.entry()
            entry += paragraph
            row += entry
        return row


def _purge(app: Sphinx, env, docname: str) -> None:
    documented = getattr(env, "perfrules_cli_documented", {})
    for name in [n for n, doc in documented.items() if doc == docname]:
        del documented[name]


def _merge(app: Sphinx, env, docnames, other) -> None:
    documented = getattr(env, "perfrules_cli_documented", {})
    documented.update(getattr(other, "perfrules_cli_documented", {}))
    env.perfrules_cli_documented = documented


def _check_every_command(app: Sphinx, env) -> None:
    documented = getattr(env, "perfrules_cli_documented", {})
    missing = [name for name in commands(_parser()) if name not in documented]
    if missing:
        logger.warning("the CLI reference does not document: %s (add a `perfrules-cli NAME` directive)",
                       ", ".join(f"perfrules {name}" for name in missing))


def render_sample_report() -> str:
    """The bundled table scored and rendered as ``perfrules score --format
    html`` renders it."""
    from perfrules import read_sheet, render, score

    # From the root of the checkout, with the path a reader types there, so
    # the page names the file as the command run in a clone does.
    home = os.getcwd()
    os.chdir(ROOT)
    try:
        return render(score(read_sheet(SAMPLE_TABLE.relative_to(ROOT).as_posix())), "html")
    finally:
        os.chdir(home)


def _write_sample_report(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / SAMPLE_REPORT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_sample_report(), encoding="utf-8")


def setup(app: Sphinx) -> dict:
    app.add_directive("perfrules-cli", PerfrulesCli)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-check-consistency", _check_every_command)
    app.connect("build-finished", _write_sample_report)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
