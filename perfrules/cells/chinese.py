"""Folding traditional characters to simplified ones, for the vocabulary
perfrules matches on (units, operator words, done words, band words).

Tables copied from Traditional-character mirror sites write 個, 項, 達成預期指標;
folding them lets one vocabulary serve both.  Text is folded one character
for one, so positions in the folded text are positions in the original.

Some mirror sites also gloss characters with their pinyin, ``達(dá)成``;
:func:`without_glosses` takes those out and says where each kept character
stood.
"""

import re

_TRADITIONAL = (
    "達預標於內為經現實際務項個萬億兩約過時週號與無適並歲點種戶場臺隻頭條張塊間處噸畝門輛棟冊筆單課學幣鎊歐"
    "級錄標準確顯著較差滿議們來對這產質數額總計劃資審關開當會後從應"
)
_SIMPLIFIED = (
    "达预标于内为经现实际务项个万亿两约过时周号与无适并岁点种户场台只头条张块间处吨亩门辆栋册笔单课学币镑欧"
    "级录标准确显著较差满议们来对这产质数额总计划资审关开当会后从应"
)
_TABLE = str.maketrans(_TRADITIONAL, _SIMPLIFIED)


def simplify(text: str) -> str:
    """``text`` with the traditional characters of the vocabulary folded.

    >>> simplify("達成預期指標")
    '达成预期指标'
    """
    return text.translate(_TABLE)


_TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# A gloss: right after a CJK character, a bracketed run of lowercase pinyin
# letters with at least one tone mark (so that 项目(a) or 指标(mu) stay).
_GLOSS = re.compile(
    rf"(?<=[\u3400-\u9fff\uf900-\ufaff])[(（](?=[a-zü]*[{_TONES}])[a-zü{_TONES}]{{1,7}}[)）]"
)


def without_glosses(text: str) -> tuple[str, tuple[int, ...] | None]:
    """``text`` without pinyin glosses, and where each character left stood
    in ``text`` (with ``len(text)`` after them); None when there were none.

    >>> without_glosses("達(dá)成預(yù)期")
    ('達成預期', (0, 5, 6, 11, 12))
    >>> without_glosses("项目(a)")
    ('项目(a)', None)
    """
    if "(" not in text and "（" not in text:
        return text, None
    pieces: list[str] = []
    positions: list[int] = []
    last = 0
    for match in _GLOSS.finditer(text):
        pieces.append(text[last : match.start()])
        positions.extend(range(last, match.start()))
        last = match.end()
    if not last:
        return text, None
    pieces.append(text[last:])
    positions.extend(range(last, len(text) + 1))
    return "".join(pieces), tuple(positions)
