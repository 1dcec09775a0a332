"""Folding cell text before the form's words are matched.

Mirror sites convert tables to Traditional characters and insert pinyin
glosses after them (``項(xiàng)目``); PDF extraction spaces out characters
(``绩 效 指 标``).  :func:`clean` removes the glosses (the text a reader
sees); :func:`key` also folds Traditional characters to simplified ones
(OpenCC's t2s) and drops spaces, for matching against the vocabulary.
"""

from __future__ import annotations

import functools
import re

__all__ = ["clean", "key"]

# A parenthesised run of pinyin syllables (with tone marks) right after a
# Chinese character: the gloss a mirror site inserts.
_GLOSS = re.compile(r"(?<=[\u3400-\u9fff])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,8}[)）]")
_SPACE = re.compile(r"[\s\u3000\xa0]+")


@functools.lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=16384)
def clean(text: str) -> str:
    """``text`` without pinyin glosses, its spaces folded to one.

    >>> clean("項(xiàng)目名稱(chēng)  ")
    '項目名稱'
    """
    return _SPACE.sub(" ", _GLOSS.sub("", text)).strip()


@functools.lru_cache(maxsize=16384)
def key(text: str) -> str:
    """The matching key of ``text``: cleaned, simplified, no spaces.

    >>> key("績(jì)效 指標(biāo)")
    '绩效指标'
    """
    cleaned = _SPACE.sub("", _GLOSS.sub("", text))
    if not cleaned or cleaned.isascii():
        return cleaned
    return _converter().convert(cleaned)
