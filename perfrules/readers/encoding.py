"""Text encodings of table files: which one a file's bytes are in.

A byte-order mark decides (UTF-8, UTF-16 LE or BE); else text that is
valid UTF-8 is UTF-8; else UTF-16 without a mark is recognised by its
zero bytes (Excel's and Notepad's "Unicode text" of a table is mostly
ASCII digits and tabs); else charset-normalizer chooses between GB18030
(Simplified-character files) and Big5 (Traditional), and the choice is
said in :attr:`Decoded.note`.

>>> detect("一级指标".encode("utf-16")).encoding
'utf-16'
>>> detect("項目支出績效自評表，滿意度指標".encode("big5")).note
'the file is not UTF-8: read as Big5 (guessed from its bytes)'
"""

from __future__ import annotations

import codecs

import attrs

from ..errors import PerfrulesError

__all__ = ["decode", "detect", "Decoded"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: The encodings guessed among, as charset-normalizer names them, and how
#: a note names them.
_GUESSED = {"gb18030": "GB18030", "big5": "Big5"}


@attrs.frozen
class Decoded:
    """A file's text, the encoding it was read in, and whether that was
    guessed (no byte-order mark, not UTF-8)."""

    text: str
    encoding: str
    guessed: bool = False

    @property
    def note(self) -> str | None:
        """What a reader of the sheet should know of the encoding, or None
        when the file said it (a byte-order mark) or was UTF-8."""
        if not self.guessed:
            return None
        name = _GUESSED.get(self.encoding, self.encoding.upper().replace("_", "-"))
        return f"the file is not UTF-8: read as {name} (guessed from its bytes)"


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when zero bytes fall on one side of
    most two-byte units, as in UTF-16 text of tables (digits, tabs)."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    units = len(data) // 2
    for zeros, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= max(2, units // 10) and others * 3 <= zeros:
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                continue
            return encoding
    return None


def detect(data: bytes, name: str = "<bytes>") -> Decoded:
    """The text of ``data`` and the encoding it was read in.  Raises
    :class:`~perfrules.errors.PerfrulesError` naming ``name`` when no
    encoding reads it."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), "utf-16" if encoding == "utf-16" else "utf-8")
            except UnicodeDecodeError as error:
                raise PerfrulesError(f"the file starts with a {encoding.upper()} byte-order mark but is "
                                     f"not {encoding.upper()} text (byte {error.start})", path=name) from None
    # Text has no NUL characters, but UTF-16 of a table has many; and CJK
    # in UTF-16 can happen to be valid UTF-8 (一 is 00 4E): look first.
    utf16 = _utf16_without_bom(data) if b"\x00" in data else None
    if utf16:
        return Decoded(data.decode(utf16), utf16, guessed=True)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # Every candidate that decodes is weighed (threshold 1: a short table
    # looks chaotic to the detector in either encoding).
    best = from_bytes(data, cp_isolation=list(_GUESSED), threshold=1.0).best()
    if best is not None:
        return Decoded(str(best), best.encoding, guessed=True)
    for encoding in _GUESSED:  # too little text for the detector: whichever reads it
        try:
            return Decoded(data.decode(encoding), encoding, guessed=True)
        except UnicodeDecodeError:
            continue
    raise PerfrulesError("the file is not text in UTF-8, UTF-16, GB18030 or Big5", path=name)


def decode(data: bytes, name: str = "<bytes>") -> str:
    """The text of ``data`` (see :func:`detect`)."""
    return detect(data, name).text
