"""A spreadsheet cell's text as the spreadsheet shows it.

Excel keeps numbers as binary floats and a number format beside them; a
person reads the formatted text (``95%``, ``2024年12月31日``, ``1,234.50``).
Both spreadsheet readers (:mod:`.xlsx`, :mod:`.xls`) turn a value and its
format into that text here, exactly (Decimal, never a float's artefacts).

>>> shown(0.95, "0%"), shown(0.9512, "0.00%"), shown(1234.5, "#,##0.00")
('95%', '95.12%', '1,234.50')
>>> shown(0.1 + 0.2, "General"), shown(204.46, '0.00"平方米"')
('0.3', '204.46平方米')
>>> import datetime
>>> shown(datetime.datetime(2024, 12, 31), "yyyy-mm-dd"), shown(datetime.datetime(2024, 12, 31), 'yyyy"年"m"月"d"日"')
('2024-12-31', '2024年12月31日')
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["shown", "exact"]

# Parts of a format that show no digits: quoted or escaped literals,
# [Red]/[$-804] codes, padding and spacing (* and _ take the next char).
_QUOTED = re.compile(r'"([^"]*)"|\\(.)')
_CODES = re.compile(r"\[[^\]]*\]|[_*].")
_TIME = re.compile(r"(?i)(am/pm|a/p|上午/下午|h+|s+(\.0+)?|(?<=h)[:]?m+|m+(?=[:]?s))")
_DATE_PARTS = re.compile(r"(?i)[ymd]")


def exact(value: float | int | Decimal) -> Decimal:
    """A spreadsheet number as the Decimal it shows: at most 15
    significant digits, as Excel keeps and displays them."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int):
        return Decimal(value)
    number = Decimal(format(value, ".15g"))
    # An integral float (95.0) reads as 95, not 9.5E+1.
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text


def _section(fmt: str, number: Decimal | None) -> str:
    # positive;negative;zero;text — a negative shown by its own section
    # carries no minus sign of its own.
    sections = _split_sections(fmt)
    if number is not None and number < 0 and len(sections) > 1:
        return sections[1]
    if number is not None and number == 0 and len(sections) > 2:
        return sections[2]
    return sections[0]


def _split_sections(fmt: str) -> list[str]:
    sections, current, quoted = [], "", False
    for char in fmt:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += char
    return sections + [current]


def _literals(fmt: str) -> tuple[str, str, str]:
    """The format's prefix text, its number part, and its suffix text."""
    fmt = _CODES.sub("", fmt)
    pieces, literal = [], False
    out_prefix, out_suffix, body = "", "", ""
    position = 0
    for match in _QUOTED.finditer(fmt):
        pieces.append((False, fmt[position:match.start()]))
        pieces.append((True, match.group(1) if match.group(1) is not None else match.group(2)))
        position = match.end()
    pieces.append((False, fmt[position:]))
    seen_digits = False
    for literal, text in pieces:
        if literal:
            if seen_digits:
                out_suffix += text
            else:
                out_prefix += text
            continue
        for char in text:
            if char in "0#?.,%":
                if out_suffix:  # digits after a literal: keep it inside
                    body += out_suffix
                    out_suffix = ""
                body += char
                seen_digits = True
            elif seen_digits:
                out_suffix += char
            else:
                out_prefix += char
    return out_prefix, body, out_suffix


def _number(number: Decimal, fmt: str) -> str:
    section = _section(fmt, number)
    if section.strip().lower() in ("general", "", "@") or "e+" in section.lower() or "/" in section:
        return _plain(number)
    prefix, body, suffix = _literals(section)
    if not any(d in body for d in "0#?"):
        return prefix + _plain(number) + suffix
    percent = body.count("%")
    value = number * (Decimal(100) ** percent)
    body = body.replace("%", "")
    places = len(re.sub(r"[^0#?]", "", body.split(".", 1)[1])) if "." in body else 0
    # A trailing comma scales by a thousand (#,##0, shows thousands).
    integer = body.split(".", 1)[0]
    while integer.endswith(","):
        value /= 1000
        integer = integer[:-1]
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 and len(_split_sections(fmt)) < 2 else ""
    text = format(abs(rounded), f",.{places}f" if "," in integer else f".{places}f")
    if "." in body and not any(c == "0" for c in body.split(".", 1)[1]):
        text = text.rstrip("0").rstrip(".")  # 0.## shows only the digits there are
    return prefix + sign + text + "%" * percent + suffix


def _date(value: datetime.datetime | datetime.date, fmt: str) -> str:
    section = _QUOTED.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), _section(fmt, None))
    section = _CODES.sub("", section)
    dated = _TIME.sub("", section)
    parts = {char.lower() for char in _DATE_PARTS.findall(dated)}
    if not parts:
        parts = {"y", "m", "d"}
    chinese = any(char in section for char in "年月日")
    if chinese:
        return "".join(text for part, text in (("y", f"{value.year}年"), ("m", f"{value.month}月"),
                                              ("d", f"{value.day}日")) if part in parts)
    return "-".join(text for part, text in (("y", f"{value.year:04d}"), ("m", f"{value.month:02d}"),
                                           ("d", f"{value.day:02d}")) if part in parts)


def shown(value, fmt: str | None = "General") -> str:
    """The text a spreadsheet shows for ``value`` under number format
    ``fmt``: numbers by their format (percent, decimals, thousands
    separators, literal units), dates by theirs (ISO, or 年月日 where the
    format writes them); other values as text."""
    if value is None:
        return ""
    fmt = fmt or "General"
    if isinstance(value, (datetime.datetime, datetime.date)):
        return _date(value, fmt)
    if isinstance(value, datetime.time):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        return _number(exact(value), fmt)
    return str(value)
