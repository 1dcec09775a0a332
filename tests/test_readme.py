"""The README's promises: its two set-up commands are the ones CI runs, and
its Python example runs as written."""

from __future__ import annotations

import doctest
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
CI_RUN = ROOT / ".ci" / "run"

# In .ci/run each README command sits alone between markers:
#   read -r readme_cmd_N <<'README_COMMAND'
#   <the command>
#   README_COMMAND
_CI_COMMAND = re.compile(
    r"^read -r readme_cmd_(\d+) <<'README_COMMAND'\n(.*)\nREADME_COMMAND$", re.MULTILINE
)


def ci_commands() -> list[str]:
    found = sorted((int(n), cmd) for n, cmd in _CI_COMMAND.findall(CI_RUN.read_text("utf-8")))
    assert [n for n, _ in found] == [1, 2], ".ci/run must define readme_cmd_1 and readme_cmd_2"
    return [cmd for _, cmd in found]


def fenced_blocks(text: str, languages: tuple[str, ...]) -> list[str]:
    """The bodies of the ```lang fenced blocks in ``text``."""
    pattern = re.compile(r"^```([\w-]*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
    return [body for lang, body in pattern.findall(text) if lang in languages]


def setup_commands() -> list[str]:
    """README lines that set a machine up: the shell lines making a venv."""
    lines = []
    for body in fenced_blocks(README.read_text("utf-8"), ("sh", "bash", "shell", "console")):
        lines += [line for line in body.splitlines() if line.startswith("python3 -m venv")]
    return lines


def test_readme_has_exactly_the_two_commands_ci_runs():
    assert setup_commands() == ci_commands()


def test_readme_commands_are_single_lines():
    for command in setup_commands():
        assert "\n" not in command and not command.endswith("\\")


def test_readme_main_command_scores_the_bundled_table():
    main, tests = ci_commands()
    assert "perfrules score" in main and "examples/tianjin-kjj-2024-zhengti.txt" in main
    assert "pytest" in tests and "[test,docs]" in tests


def test_ci_run_is_an_executable_strict_bash_script():
    text = CI_RUN.read_text("utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "\nset -euo pipefail\n" in text
    assert os.access(CI_RUN, os.X_OK)


@pytest.mark.parametrize("name", ["targets", "actuals"])
def test_seed_table_cells_are_sixty_lines(name):
    path = ROOT / "examples" / f"tianjin-kjj-2024-{name}.txt"
    lines = path.read_text("utf-8").split("\n")
    assert lines[-1] == "", f"{path.name} must end with a newline"
    assert len(lines[:-1]) == 60
    assert all(line and line == line.strip() for line in lines[:-1])


def test_readme_python_example_runs():
    (example,) = fenced_blocks(README.read_text("utf-8"), ("python", "pycon"))
    parser = doctest.DocTestParser()
    test = parser.get_doctest(example, {}, "README.md", str(README), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    failed, attempted = runner.summarize(verbose=False)
    assert attempted > 0
    assert failed == 0, "the README's Python example does not match perfrules (see output above)"
