"""Bar charts as inline SVG (no script, no font or file fetched): pairs of
bars with an axis, a scale, gridlines and every bar's value written on it,
so the chart reads on paper and without a mouse."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from ..numbers import format_decimal

__all__ = ["pair_chart", "nice_ticks"]


def nice_ticks(top: Decimal) -> list[Decimal]:
    """Tick values from 0 to at least ``top``, at a round step (1, 2 or 5
    times a power of ten), five or so of them.

    >>> [str(t) for t in nice_ticks(Decimal("27.5"))]
    ['0', '10', '20', '30']
    >>> [str(t) for t in nice_ticks(Decimal("0"))]
    ['0', '1']
    """
    if top <= 0:
        return [Decimal(0), Decimal(1)]
    raw = top / 5
    power = Decimal(10) ** (raw.adjusted())
    step = next(m * power for m in (Decimal(1), Decimal(2), Decimal(5), Decimal(10)) if m * power >= raw)
    ticks, value = [Decimal(0)], Decimal(0)
    while value < top:
        value += step
        ticks.append(value.normalize() if value == value.to_integral() else value)
    return [t.quantize(Decimal(1)) if t == t.to_integral() else t for t in ticks]


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def pair_chart(groups: list[tuple[str, Decimal, Decimal]], *, names: tuple[str, str], unit: str,
               title: str) -> str:
    """A horizontal bar chart: for each ``(label, first, second)`` two bars
    (``names`` says what each is), an x axis from 0 with its ticks and
    ``unit``, and each bar's value at its end.  Empty for no groups."""
    if not groups:
        return ""
    ticks = nice_ticks(max(max(a, b) for _, a, b in groups))
    top = ticks[-1]
    left, plot, bar, gap, head = 170, 460, 14, 12, 30
    height = head + len(groups) * (2 * bar + gap) + 40
    width = left + plot + 70

    def x(value: Decimal) -> float:
        return left + float(value / top) * plot

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
           f'<rect x="{left}" y="6" width="12" height="10" fill="#9bbbe0"/>'
           f'<text x="{left + 16}" y="15" font-size="12">{escape(names[0])}</text>'
           f'<rect x="{left + 110}" y="6" width="12" height="10" fill="#2f6db3"/>'
           f'<text x="{left + 126}" y="15" font-size="12">{escape(names[1])}</text>']
    bottom = height - 40
    for tick in ticks:
        tx = x(tick)
        out.append(f'<line x1="{tx:.1f}" y1="{head - 4}" x2="{tx:.1f}" y2="{bottom}" stroke="#ddd"/>'
                   f'<text x="{tx:.1f}" y="{bottom + 16}" font-size="11" text-anchor="middle">'
                   f'{format_decimal(tick)}</text>')
    out.append(f'<line x1="{left}" y1="{bottom}" x2="{left + plot}" y2="{bottom}" stroke="#333"/>'
               f'<line x1="{left}" y1="{head - 4}" x2="{left}" y2="{bottom}" stroke="#333"/>'
               f'<text x="{left + plot / 2:.0f}" y="{bottom + 34}" font-size="12" text-anchor="middle">'
               f'{escape(unit)}</text>')
    for i, (label, first, second) in enumerate(groups):
        y = head + i * (2 * bar + gap)
        out.append(f'<text x="{left - 6}" y="{y + bar + 4}" font-size="12" text-anchor="end">'
                   f'<title>{escape(label)}</title>{escape(_clip(label, 13))}</text>')
        for j, (value, colour, name) in enumerate(((first, "#9bbbe0", names[0]), (second, "#2f6db3", names[1]))):
            top_y = y + j * bar
            out.append(f'<rect x="{left}" y="{top_y}" width="{x(value) - left:.1f}" height="{bar - 2}" '
                       f'fill="{colour}"><title>{escape(label)} {escape(name)}: {format_decimal(value)}</title>'
                       f'</rect><text x="{x(value) + 4:.1f}" y="{top_y + bar - 4}" font-size="11">'
                       f'{format_decimal(value)}</text>')
    out.append("</svg>")
    return "".join(out)
