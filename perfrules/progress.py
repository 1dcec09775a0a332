"""Progress of a batch on a terminal: a bar on standard error (tqdm) while
files are read and scored, and nothing at all when standard error is not a
terminal (a file, a pipe, CI) or the user asked for quiet."""

from __future__ import annotations

import sys
from typing import TextIO

__all__ = ["progress"]


def progress(total: int, *, stream: TextIO | None = None, quiet: bool = False, desc: str = "score"):
    """A tqdm bar of ``total`` steps on ``stream`` (stderr), disabled off a
    terminal or when ``quiet``; use it as a context manager, ``update(1)``
    per file, and ``write(text)`` for a message that must not garble it."""
    from tqdm import tqdm

    stream = stream if stream is not None else sys.stderr
    silent = quiet or not (hasattr(stream, "isatty") and stream.isatty())
    return tqdm(total=total, file=stream, disable=silent, unit="file", desc=desc, leave=False, dynamic_ncols=True)
