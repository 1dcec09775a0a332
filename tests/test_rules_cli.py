"""The ruleset commands: ``perfrules check`` and ``perfrules fmt``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from perfrules.cli import main

ROOT = Path(__file__).resolve().parent.parent
MOF = ROOT / "rulesets" / "mof" / "2020.rules"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    # `check` runs Hypothesis, which keeps a .hypothesis folder in the
    # working directory: keep it out of the checkout.
    monkeypatch.chdir(tmp_path)


def _misspelled(tmp_path: Path) -> tuple[Path, int, int, str]:
    """A copy of the MOF ruleset with `weight` misspelt in one rule's score;
    returns the path, the line and column of the typo and the line."""
    lines = MOF.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.strip() == "score weight * actual / target")
    lines[index] = lines[index].replace("weight", "wieght", 1)
    path = tmp_path / "mof" / "2020.rules"
    path.parent.mkdir()
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, index + 1, lines[index].index("wieght") + 1, lines[index]


@pytest.mark.slow
def test_check_without_files_checks_every_shipped_ruleset(capsys):
    """The whole command: static checks and each ruleset's properties."""
    assert main(["check", "--max-examples", "10"]) == 0
    out, err = capsys.readouterr()
    for path in sorted((ROOT / "rulesets").rglob("*.rules")):
        name = f"{path.parent.name}@{path.stem}"
        assert f": ok: {name}," in out, f"{name} was not checked"
    assert "Traceback" not in out + err


def test_check_without_files_statically(capsys):
    assert main(["check", "--no-properties"]) == 0
    out, err = capsys.readouterr()
    checked = [line for line in out.splitlines() if ": ok: " in line]
    assert len(checked) == len(list((ROOT / "rulesets").rglob("*.rules")))
    assert err == ""  # the shipped rulesets have no warnings


def test_check_a_shipped_file_statically(capsys):
    assert main(["check", "--no-properties", str(MOF)]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith(f"{MOF}: ok: mof@2020, ")


def test_check_a_misspelt_weight_exits_2_with_a_caret(tmp_path, capsys):
    path, line, column, source = _misspelled(tmp_path)
    assert main(["check", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"{path}:{line}:{column}: unknown name 'wieght'; did you mean 'weight'?\n" in err
    assert f"\n{source}\n{' ' * (column - 1)}^~~~~~\n" in err
    assert "Traceback" not in err


def test_fmt_check_on_a_misspelt_weight_passes_the_syntax(tmp_path, capsys):
    """fmt only reads the syntax: the misspelling is a name, so fmt --check
    has nothing to reformat (check is the command that finds it)."""
    path, *_ = _misspelled(tmp_path)
    assert main(["fmt", "--check", str(path)]) == 0


def test_check_several_files_reports_each_and_exits_with_the_worst(tmp_path, capsys):
    bad, line, column, _ = _misspelled(tmp_path)
    assert main(["check", "--no-properties", str(MOF), str(bad)]) == 2
    out, err = capsys.readouterr()
    assert f"{MOF}: ok: mof@2020" in out
    assert f"{bad}:{line}:{column}:" in err


def test_check_warnings_alone_exit_0(tmp_path, capsys):
    path = tmp_path / "warn.rules"
    path.write_text("ruleset w\nversion 1\n\nrule shortfall\n  when actual < target\n  score weight * actual / target\n",
                    encoding="utf-8")
    assert main(["check", "--no-properties", str(path)]) == 0
    out, err = capsys.readouterr()
    assert f"{path}:4:1: warning: no 'otherwise' rule" in err
    assert "1 warnings" in out or "1 warning" in out


def test_check_a_missing_file_exits_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "nope.rules")]) == 2
    _, err = capsys.readouterr()
    assert "nope.rules" in err and "Traceback" not in err


def test_fmt_check_passes_on_the_shipped_ruleset(capsys):
    assert main(["fmt", "--check", str(MOF)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == ""


def test_every_shipped_ruleset_is_formatted(capsys):
    files = [str(p) for p in sorted((ROOT / "rulesets").rglob("*.rules"))]
    assert main(["fmt", "--check", *files]) == 0


UGLY = """# A ruleset written in a hurry.
ruleset   hurried
version 1
rule shortfall when direction is higher and actual<target score weight*actual/target because "按比例"
rule met otherwise score weight
"""

CANONICAL = """# A ruleset written in a hurry.
ruleset hurried
version 1

rule shortfall
  when direction is higher and actual < target
  score weight * actual / target
  because "按比例"

rule met
  otherwise
  score weight
"""


def test_fmt_check_exits_1_on_a_reformattable_file(tmp_path, capsys):
    path = tmp_path / "ugly.rules"
    path.write_text(UGLY, encoding="utf-8")
    assert main(["fmt", "--check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert str(path) in err
    assert path.read_text(encoding="utf-8") == UGLY  # --check changes nothing


def test_fmt_prints_the_canonical_text(tmp_path, capsys):
    path = tmp_path / "ugly.rules"
    path.write_text(UGLY, encoding="utf-8")
    assert main(["fmt", str(path)]) == 0
    out, _ = capsys.readouterr()
    assert out == CANONICAL
    assert path.read_text(encoding="utf-8") == UGLY


def test_fmt_write_rewrites_in_place_and_then_checks_clean(tmp_path, capsys):
    path = tmp_path / "ugly.rules"
    path.write_text(UGLY, encoding="utf-8")
    assert main(["fmt", "--write", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == CANONICAL
    capsys.readouterr()
    assert main(["fmt", "--check", str(path)]) == 0
    # Writing a formatted file again leaves it alone.
    assert main(["fmt", "--write", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == CANONICAL


def test_fmt_check_and_write_cannot_be_combined(tmp_path, capsys):
    path = tmp_path / "ugly.rules"
    path.write_text(UGLY, encoding="utf-8")
    assert main(["fmt", "--check", "--write", str(path)]) == 2
    assert path.read_text(encoding="utf-8") == UGLY


SYNTAX_ERROR = "ruleset s\nversion 1\n\nrule met\n  otherwise\n  score weight\n  because 满分\n"


@pytest.mark.parametrize("command", [["check"], ["fmt"], ["fmt", "--check"], ["fmt", "--write"]])
def test_a_syntax_error_exits_2_with_a_caret_and_no_traceback(tmp_path, capsys, command):
    path = tmp_path / "broken.rules"
    path.write_text(SYNTAX_ERROR, encoding="utf-8")
    assert main([*command, str(path)]) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert re.search(rf"^{re.escape(str(path))}:7:11: unexpected '满分'; expected a \"string\"$", err, re.M), err
    assert "\n  because 满分\n          ^~~~\n" in err
    assert path.read_text(encoding="utf-8") == SYNTAX_ERROR  # --write leaves a broken file alone
