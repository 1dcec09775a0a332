"""The scored sheet as one self-contained HTML page: the table, the
findings and a chart of reported against computed score per goal.  No
scripts, fonts or images are fetched: it opens offline."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from ..numbers import format_cell as _n

__all__ = ["render_html"]

_CSS = """
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ccc;padding:.25rem .5rem}
th{background:#f3f3f3}td.n{text-align:right}tr.differs{background:#ffe0e0}
tr.unscorable{background:#fff3cd}tr.within_discretion{background:#eef6ff}
.error{color:#b00020}.warning{color:#8a5300}.summary td{font-weight:bold}
"""




def _chart(scored) -> str:
    goals: dict[str, list[Decimal]] = {}
    for entry in scored.rows:
        key = entry.row.goal or "—"
        sums = goals.setdefault(key, [Decimal(0), Decimal(0)])
        sums[0] += entry.row.reported or 0
        sums[1] += entry.result.score or 0
    if not goals:
        return ""
    top = max(max(v) for v in goals.values()) or Decimal(1)
    bar, gap, height = 18, 30, 160
    width = len(goals) * (2 * bar + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 60}" role="img" '
             f'aria-label="reported and computed score per goal">']
    for i, (goal, (reported, computed)) in enumerate(goals.items()):
        x = gap + i * (2 * bar + gap)
        for j, (value, colour, label) in enumerate(((reported, "#9bbbe0", "reported"), (computed, "#2f6db3", "computed"))):
            h = float(value / top) * height
            parts.append(f'<rect x="{x + j * bar}" y="{height - h + 10:.1f}" width="{bar - 2}" height="{h:.1f}" '
                         f'fill="{colour}"><title>{escape(goal)} {label}: {_n(value)}</title></rect>')
        parts.append(f'<text x="{x}" y="{height + 28}" font-size="11">{escape(goal[-6:])}</text>')
    parts.append(f'<text x="{gap}" y="{height + 50}" font-size="11">light: reported 自评 · dark: computed 计算</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_html(scored) -> str:
    sheet = scored.sheet
    title = escape(" ".join(p for p in (sheet.organisation, sheet.title,
                                        f"{sheet.fiscal_year}年度" if sheet.fiscal_year else "") if p))
    rows = []
    entries = ([scored.budget] if scored.budget else []) + list(scored.rows)
    for entry in entries:
        row, result = entry.row, entry.result
        allowed = "" if result.low is None or result.low == result.high else f"{_n(result.low)} – {_n(result.high)}"
        trace = escape("\n".join(str(s) for s in result.trace))
        target = _n(row.budget) if row.kind == "budget_execution" else (row.target.text or "")
        actual = _n(row.spent) if row.kind == "budget_execution" else (row.actual.text or "")
        rows.append(
            f'<tr class="{result.status}" title="{trace}"><td class="n">{entry.index or "B"}</td>'
            f"<td>{escape(row.goal)}</td><td>{escape(row.level2 or row.level1)}</td><td>{escape(row.name)}</td>"
            f"<td>{escape(target)}</td><td>{escape(actual)}</td><td class=n>{_n(row.weight)}</td>"
            f"<td class=n>{_n(result.reported)}</td><td class=n>{_n(result.score)}</td><td>{allowed}</td>"
            f"<td>{result.status}</td><td>{escape(result.rule or result.reason or '')}</td></tr>"
        )
    findings = "".join(
        f'<li class="{f.severity}">{escape(str(f))}</li>' for f in scored.findings
    ) or "<li>none</li>"
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title><style>{_CSS}</style></head>
<body><h1>{title}</h1>
<p>ruleset <code>{escape(scored.ruleset.name)}@{escape(scored.ruleset.version)}</code>,
sha256 <code>{scored.ruleset.sha256}</code></p>
<table class="summary"><tr><td>total 总分</td><td>computed {_n(scored.total) or "—"}{
    f" ({escape(scored.total_reason)})" if scored.total_reason else ""}</td>
<td>reported {_n(scored.reported_total) or "—"}</td></tr>
<tr><td>grade 等级</td><td>computed {escape(scored.grade or "—")}</td>
<td>reported {escape(scored.reported_grade or "—")}</td></tr></table>
<h2>Reported and computed score per goal</h2>{_chart(scored)}
<h2>Findings</h2><ul>{findings}</ul>
<h2>Rows</h2><p>Hover a row for its trace.</p>
<table><tr><th>#</th><th>目标</th><th>指标类</th><th>指标</th><th>年度指标值</th><th>实际完成值</th><th>分值</th>
<th>自评</th><th>计算</th><th>允许</th><th>status</th><th>rule</th></tr>
{"".join(rows)}</table></body></html>
"""
