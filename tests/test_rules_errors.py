"""Golden error tests of the scoring language: every static check and syntax
error, with its exact message, source line and caret.

Each folder under ``tests/golden/rules/`` is one case:

``input.rules``
    The ruleset, loaded with ``Ruleset.from_text(text, path="input.rules")``
    so that the expected text does not depend on where the checkout lives.
``load``
    Instead of ``input.rules``: the path (relative to the case folder) of a
    ruleset in a ``<folder>/<name>/<version>.rules`` layout, loaded with
    ``Ruleset.from_file`` from inside the case folder (for ``extends``).
``pad-to``
    Optional: pad ``input.rules`` with one comment line to this many
    characters (a file too large to keep in the repository).
``expected.txt``
    The outcome's class on the first line (``RulesetCheckError``,
    ``RulesetSyntaxError`` …, or ``ok`` for a ruleset that builds), then
    what ``perfrules check`` prints: the error, or the warnings, each
    ``path:line:col: message``, the source line and a caret.
``bug.txt``
    Optional: the expected text is what the message *should* say; the code
    says something else (see the reason in the file).  The case is a strict
    xfail: when the code is fixed it passes, and the marker must go.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from perfrules import Ruleset
from perfrules.errors import PerfrulesError, RulesetCheckError

CASES = Path(__file__).resolve().parent / "golden" / "rules"


def _case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir() and (p / "expected.txt").is_file())


def _load(case: Path) -> Ruleset:
    if (case / "load").is_file():
        return Ruleset.from_file((case / "load").read_text(encoding="utf-8").strip())
    text = (case / "input.rules").read_text(encoding="utf-8")
    if (case / "pad-to").is_file():
        size = int((case / "pad-to").read_text().strip())
        text += "#" + "x" * (size - len(text) - 2) + "\n"
        assert len(text) == size
    return Ruleset.from_text(text, path="input.rules")


def outcome(case: Path) -> tuple[str, PerfrulesError | Ruleset]:
    """The rendered outcome of loading the case's ruleset, as
    ``expected.txt`` holds it, and the error or ruleset itself."""
    here = os.getcwd()
    os.chdir(case)  # extends resolves next to the file: keep it inside the case
    try:
        ruleset = _load(case)
    except PerfrulesError as error:
        return f"{type(error).__name__}\n{error}\n", error
    finally:
        os.chdir(here)
    lines = ["ok"] + [str(warning) for warning in ruleset.warnings]
    return "\n".join(lines) + "\n", ruleset


def _params():
    for case in _case_dirs():
        marks = []
        if (case / "bug.txt").is_file():
            reason = (case / "bug.txt").read_text(encoding="utf-8").strip()
            marks.append(pytest.mark.xfail(strict=True, reason=reason))
        yield pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_golden_error(case: Path):
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    got, _ = outcome(case)
    assert got == expected, f"case {case.name}: the rendered outcome differs from expected.txt"


def test_every_static_check_has_a_case():
    """The cases the scoring-DSL issue asks for are all present."""
    wanted = {
        "unknown-name", "unknown-function", "unknown-kind-word", "range-compared", "condition-in-arithmetic",
        "text-compared-with-number", "duplicate-rule", "rule-after-otherwise", "shadowed-rule",
        "missing-otherwise", "extends-not-found", "extends-cycle", "remove-unknown-rule", "syntax-error",
        "nesting-too-deep", "file-too-large", "several-errors", "rounding-step-too-fine", "number-too-long",
    }
    assert wanted <= {case.name for case in _case_dirs()}


@pytest.mark.parametrize("case", _case_dirs(), ids=lambda case: case.name)
def test_every_problem_has_a_span_and_pickles(case: Path):
    """Every error and warning is positioned inside its file and survives
    pickling (errors are plain values)."""
    import pickle

    _, result = outcome(case)
    if isinstance(result, Ruleset):
        problems = list(result.warnings)
        assert problems, f"case {case.name} builds without warnings: it tests nothing"
    else:
        problems = list(result.problems) if isinstance(result, RulesetCheckError) else [result]
        assert pickle.loads(pickle.dumps(result)) == result
    for problem in problems:
        assert isinstance(problem, PerfrulesError)
        assert problem.span is not None, f"case {case.name}: '{problem.message}' has no span"
        # A file too large keeps no source (its caret line would be huge).
        if problem.source is not None:
            assert 0 <= problem.span.start <= problem.span.end <= len(problem.source)


def test_problems_are_capped():
    """All problems are reported, up to MAX_PROBLEMS."""
    from perfrules.dsl.check import MAX_PROBLEMS

    rules = "".join(f"rule r{i}\n  when actual < taget{i}\n  score weight\n" for i in range(MAX_PROBLEMS + 10))
    with pytest.raises(RulesetCheckError) as caught:
        Ruleset.from_text("ruleset r\nversion 1\n" + rules + "rule met\n  otherwise\n  score weight\n")
    assert len(caught.value.problems) == MAX_PROBLEMS
    lines = [problem.span.line for problem in caught.value.problems]
    assert lines == sorted(lines)


# ---- syntax errors that point at the wrong place or say too little ----------------


def _syntax_message(body: str) -> str:
    from perfrules.errors import RulesetSyntaxError

    with pytest.raises(RulesetSyntaxError) as caught:
        Ruleset.from_text("ruleset demo\nversion 1\n\n" + body, path="input.rules")
    return str(caught.value)


def test_a_dangling_operator_is_reported_at_the_next_keyword():
    body = "rule met\n  otherwise\n  score weight *\n\nrule other\n  otherwise\n  score 0\n"
    message = _syntax_message(body)
    assert message.startswith("input.rules:8:1: 'rule' starts a new item")
    assert "not finished" in message.splitlines()[0]


def test_expected_tokens_after_an_operator_do_not_include_the_next_item():
    assert "the next item" not in _syntax_message("rule met\n  otherwise\n  score weight +* 2\n")


def test_remove_without_what_names_the_choices():
    message = _syntax_message("remove\n")
    assert "something else" not in message
    assert "rule" in message.splitlines()[0]


def test_an_unterminated_string_says_so():
    message = _syntax_message('rule a\n  otherwise\n  score weight\n  because "abc\n')
    assert "unterminated" in message or "closing" in message or "no end" in message
