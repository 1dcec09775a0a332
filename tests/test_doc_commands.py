"""The shell examples in the docs run, and print what the docs say.

Each ```console block in docs/*.md is a terminal session: lines starting
with ``$ `` are commands, the lines after one are what it prints (standard
output and standard error, as a terminal shows them; ``...`` stands for any
text, as in doctest). The blocks of a page run in order, in one scratch
folder that holds the clone's ``examples/`` and ``rulesets/``, with
``perfrules`` being this checkout's. A ``perfrules`` command shown in an
``sh`` block would escape this check, so there are none.
"""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))

_FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_SEPARATOR = "@@@ perfrules docs: next command @@@"


def blocks(page: Path, languages: tuple[str, ...]) -> list[tuple[int, str]]:
    """(line number, body) of each fenced block in one of ``languages``."""
    text = page.read_text("utf-8")
    return [
        (text.count("\n", 0, m.start()) + 1, m.group(2))
        for m in _FENCE.finditer(text)
        if m.group(1) in languages
    ]


def session(body: str) -> list[tuple[str, str]]:
    """The (command, expected output) pairs of a console block."""
    pairs: list[tuple[str, list[str]]] = []
    lines = iter(body.splitlines())
    for line in lines:
        if line.startswith("$ "):
            command = line[2:]
            while command.endswith("\\"):
                command = command[:-1] + "\n" + next(lines)
            pairs.append((command, []))
        elif not pairs:
            raise ValueError(f"output before the first command: {line!r}")
        else:
            pairs[-1][1].append(line)
    return [(command, "".join(f"{out}\n" for out in output)) for command, output in pairs]


@pytest.fixture(scope="module")
def shell_bin(tmp_path_factory) -> Path:
    """A folder holding a ``perfrules`` that runs this checkout's code."""
    folder = tmp_path_factory.mktemp("bin")
    script = folder / "perfrules"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m perfrules "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return folder


def run_session(commands: list[str], cwd: Path, shell_bin: Path) -> list[str]:
    """Run ``commands`` in one bash, as typed at a prompt; return what each printed."""
    script = []
    for command in commands:
        # Keep the command's status for a following `echo $?`.
        script += [command, "__status=$?", f"echo '{_SEPARATOR}'", "(exit $__status)"]
    env = {
        **os.environ,
        "PATH": f"{shell_bin}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",  # stdout and stderr interleave as on a terminal
        "PYTHONIOENCODING": "utf-8",
        "LC_ALL": "C.UTF-8",
    }
    env.pop("PERFRULES_PATH", None)
    done = subprocess.run(
        ["bash", "-c", "\n".join(script)], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", timeout=600,
    )
    outputs = done.stdout.split(f"{_SEPARATOR}\n")
    assert len(outputs) == len(commands) + 1, done.stdout
    return outputs[:-1]


def console_pages() -> list[Path]:
    return [page for page in PAGES if blocks(page, ("console",))]


def test_some_pages_have_console_examples():
    assert {page.name for page in console_pages()} >= {"cli.md", "tutorial.md"}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_perfrules_command_hides_in_an_unchecked_block(page):
    for line_number, body in blocks(page, ("sh", "bash", "shell")):
        for line in body.splitlines():
            assert not re.match(r"^(\$ )?perfrules\b", line), (
                f"{page.name}:{line_number}: `{line}` is shown but not run; "
                "put it in a ```console block with its output"
            )


@pytest.mark.slow
@pytest.mark.parametrize("page", console_pages(), ids=lambda p: p.name)
def test_console_examples_print_what_the_docs_show(page, tmp_path, shell_bin):
    for name in ("examples", "rulesets"):
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    checker = doctest.OutputChecker()
    flags = doctest.ELLIPSIS
    problems = []
    for line_number, body in blocks(page, ("console",)):
        pairs = session(body)
        outputs = run_session([command for command, _ in pairs], tmp_path, shell_bin)
        for (command, expected), got in zip(pairs, outputs):
            if not checker.check_output(expected, got, flags):
                diff = checker.output_difference(doctest.Example(command, expected), got, flags)
                problems.append(f"{page.name}:{line_number}: $ {command}\n{diff}")
    assert not problems, "\n".join(problems)
