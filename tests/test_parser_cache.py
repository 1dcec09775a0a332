"""The Lark parsers' analysed grammars are kept in the user's cache folder,
so a later run starts faster; a missing, stale or broken file is rebuilt."""

from __future__ import annotations

import logging
import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from perfrules import _resources

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


# --- Who may have written the cache: Lark's cache file is a pickle, so a file
# someone else could write is never loaded (issue 18).


posix_only = pytest.mark.skipif(not hasattr(os, "geteuid"), reason="ownership and mode bits are POSIX")


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.delenv("PERFRULES_NO_PARSER_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    _resources._cache_folder.cache_clear()
    yield tmp_path
    _resources._cache_folder.cache_clear()


@posix_only
def test_a_folder_and_file_of_ones_own_are_used_and_the_file_is_made_private(cache_home):
    path = Path(_resources.parser_cache("rules"))
    assert path.parent == cache_home / "perfrules"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_bytes() == b""
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@posix_only
@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777])
def test_a_folder_others_can_write_is_not_used(cache_home, mode, caplog):
    folder = cache_home / "perfrules"
    folder.mkdir()
    folder.chmod(mode)
    (folder / "planted").write_bytes(b"x")
    with caplog.at_level(logging.WARNING, logger="perfrules"):
        assert _resources.parser_cache("rules") is False
        assert _resources.parser_cache("targets") is False
    assert [r.getMessage() for r in caplog.records] == [
        f"perfrules: not using the parser cache {folder}: others can write it "
        f"(mode {stat.filemode(stat.S_IFDIR | mode)}); building the parsers in memory"]
    assert sorted(p.name for p in folder.iterdir()) == ["planted"]


@posix_only
def test_a_folder_someone_else_owns_is_not_used(cache_home, monkeypatch, caplog):
    (cache_home / "perfrules").mkdir(mode=0o700)
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(cache_home).st_uid + 1)
    with caplog.at_level(logging.WARNING, logger="perfrules"):
        assert _resources.parser_cache("rules") is False
    assert "it belongs to user" in caplog.text


@posix_only
@pytest.mark.parametrize("how", ["group-writable", "world-writable", "someone else's", "a symlink"])
def test_a_cache_file_others_could_have_written_is_replaced_unread(cache_home, how):
    folder = cache_home / "perfrules"
    folder.mkdir(mode=0o700)
    path = Path(_resources.parser_cache("rules"))
    path.write_bytes(b"planted")
    if how == "group-writable":
        path.chmod(0o620)
    elif how == "world-writable":
        path.chmod(0o602)
    elif how == "a symlink":
        path.unlink()
        (cache_home / "elsewhere").write_bytes(b"planted")
        path.symlink_to(cache_home / "elsewhere")
    elif os.geteuid() == 0:
        os.chown(path, 4242, 4242)
    else:
        pytest.skip("only root can give a file away")
    _resources._cache_folder.cache_clear()
    assert _resources.parser_cache("rules") == str(path)
    assert not path.is_symlink() and path.read_bytes() == b""
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.stat().st_uid == os.geteuid()
    if how == "a symlink":  # removed, not followed
        assert (cache_home / "elsewhere").read_bytes() == b"planted"


class _Payload:
    """Unpickling this makes a folder: proof that the pickle was loaded."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def _plant(folder: Path, marker: Path) -> None:
    import lark

    for grammar in ("rules", "targets"):
        path = folder / f"{grammar}-lark{lark.__version__}.cache"
        path.write_bytes(b"0" * 64 + b"\n" + pickle.dumps(_Payload(marker)))
        path.chmod(0o600)


@posix_only
def test_a_pickle_planted_in_a_shared_folder_does_not_run(tmp_path):
    folder, marker = tmp_path / "perfrules", tmp_path / "ran"
    folder.mkdir()
    _plant(folder, marker)
    folder.chmod(0o777)  # a shared cache folder
    shared = _run(tmp_path)
    assert shared.stdout == "deadline r\n" and "not using the parser cache" in shared.stderr
    assert not marker.exists()
    # The same files in a private folder are loaded (they are the user's
    # own): the payload does run, so the check above is what stopped it.
    folder.chmod(0o700)
    _run(tmp_path)
    assert marker.exists()


def test_the_test_run_keeps_its_parser_cache_to_itself():
    """conftest.py points the cache at a folder of the run's own."""
    home = os.environ["XDG_CACHE_HOME"]
    assert "perfrules-tests-cache-" in home and home != os.path.join(os.path.expanduser("~"), ".cache")
