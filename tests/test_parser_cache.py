"""The Lark parsers' analysed grammars are kept in the user's cache folder,
so a later run starts faster; a missing, stale or broken file is rebuilt."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ("import perfrules; print(perfrules.parse_target('2024年12月31日前').to_json()['kind'], "
          "perfrules.Ruleset.from_text('ruleset r version 1 rule met otherwise score weight').name)")


def _run(cache: Path, **extra) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "PERFRULES_NO_PARSER_CACHE"}
    env.update(PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(cache), **extra)
    return subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True)


def test_the_parsers_are_cached_in_the_users_cache_folder(tmp_path):
    first = _run(tmp_path)
    files = sorted(p.name for p in (tmp_path / "perfrules").iterdir())
    assert [name.split("-lark")[0] for name in files] == ["rules", "targets"]
    assert _run(tmp_path).stdout == first.stdout == "deadline r\n"


def test_a_broken_cache_file_is_rebuilt_quietly(tmp_path):
    _run(tmp_path)
    for path in (tmp_path / "perfrules").iterdir():
        path.write_bytes(b"not a cache\n")
    again = _run(tmp_path)
    assert again.stdout == "deadline r\n" and again.stderr == ""
    assert all(not p.read_bytes().startswith(b"not a cache") for p in (tmp_path / "perfrules").iterdir())


def test_the_cache_can_be_turned_off(tmp_path):
    assert _run(tmp_path, PERFRULES_NO_PARSER_CACHE="1").stdout == "deadline r\n"
    assert not (tmp_path / "perfrules").exists()
