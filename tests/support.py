"""Helpers shared by the test modules (a helper module, not a test
module: test modules import it, never each other)."""

from __future__ import annotations

from pathlib import Path

import pytest

from perfrules import cli

__all__ = ["ROOT", "SEED", "run", "assert_status_consistent"]

#: The project's top-level folder.
ROOT = Path(__file__).resolve().parents[1]
#: The bundled example table, relative to ROOT.
SEED = "examples/tianjin-kjj-2024-zhengti.txt"


def run(argv, capsys):
    """Run the CLI in-process: (exit status, stdout, stderr).  An exception
    escaping main() is what a user sees as a traceback: fail on it."""
    try:
        status = cli.main([str(a) for a in argv])
    except SystemExit as exit:  # argparse
        status = exit.code
    except Exception as error:  # noqa: BLE001
        capsys.readouterr()
        pytest.fail(f"perfrules {' '.join(map(str, argv))} raised {type(error).__name__}: {error}")
    out, err = capsys.readouterr()
    return status, out, err


def assert_status_consistent(result) -> None:
    """A row's status says what its scores say: the reported score against
    the computed one and the range the policy allows; an unscorable row
    has a reason and no score."""
    if result.status == "unscorable":
        assert result.reason and result.score is None, result
        return
    if result.status == "not_applicable":
        assert result.low == result.high == result.score, result  # no score, or the 0 it is given
        return
    assert result.low <= result.score <= result.high, result
    rep = result.reported
    if result.status == "unreported":
        assert rep is None, result
    elif result.status == "within_discretion":
        assert result.low != result.high and result.low <= rep <= result.high, result
    elif result.status == "agrees":
        assert rep == result.score, result
    else:
        assert result.status == "differs", result
        assert rep is not None and rep != result.score, result
        assert not (result.low != result.high and result.low <= rep <= result.high), result
