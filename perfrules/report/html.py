"""A scored table as one self-contained HTML page, in Chinese by default
(``lang="en"`` for English): the totals, a chart of reported against
computed score per goal, the findings and every row, each differing,
unscorable or discretionary row followed by its trace and reason in the
page (so it prints).  A print stylesheet makes the page a letter to the
unit (A4 landscape, headings repeated on every page).  Nothing is fetched:
no script, font, image or style sheet from elsewhere.

The page is rendered from the result document (:func:`result_to_json`), so
a table kept in the results store renders the same as one just scored.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from .chart import pair_chart
from .labels import finding_label, label, severity_label, status_label
from .result import result_to_json

__all__ = ["render_html", "render_page", "PAGE_CSS"]

#: The page's styles, screen and print; the review site's index uses them too.
PAGE_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:1.5rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ccc;padding:.25rem .45rem;vertical-align:top}
th{background:#f3f3f3;white-space:nowrap}td.n{text-align:right;white-space:nowrap}
table.rows{min-width:72rem}
.w-goal{min-width:9em}.w-status{min-width:6.5em}.w-allowed{min-width:6em}.w-rule{min-width:7em}.w-level{min-width:5.5em}.w-name{min-width:12em}.w-cell{min-width:7em}
tr.differs>td{background:#ffe0e0}tr.unscorable>td{background:#fff3cd}tr.within_discretion>td{background:#eef6ff}
tr.trace td{background:#fafafa;font-size:.85rem}tr.trace ol{margin:.2rem 0 .2rem 1.2rem;padding:0}
.reason{margin:.2rem 0}.error{color:#b00020}.warning{color:#8a5300}
table.totals td{font-weight:bold}
details summary{cursor:pointer;color:#555}
th button{all:unset;cursor:pointer}th[aria-sort=ascending] button::after{content:" ▲"}
th[aria-sort=descending] button::after{content:" ▼"}
@media print{
 @page{size:A4 landscape;margin:12mm}
 body{margin:0;font-size:10pt}.scroll{overflow:visible}table.rows{min-width:0;width:100%}
 thead{display:table-header-group}tr{break-inside:avoid}nav,.noprint{display:none}
 details{display:block}details>summary{display:none}
 a{color:inherit;text-decoration:none}
}
"""


def _s(value) -> str:
    return "" if value is None else str(value)


def _title(doc: dict) -> str:
    sheet = doc["sheet"]
    year = f"{sheet['fiscal_year']}年度" if sheet.get("fiscal_year") else ""
    return " ".join(p for p in (sheet.get("organisation"), sheet.get("title"), year) if p) or (sheet.get("source") or "")


def _allowed(low, high) -> str:
    return "" if low is None or low == high else f"{low} – {high}"


def _steps(trace: list[dict]) -> str:
    return "".join(f"<li>{escape(s['step'])}: {escape(s['value'])}</li>" for s in trace)


def _trace_row(columns: int, entry: dict, lang: str) -> str:
    """The row below a row that needs a look: its reason and trace, open."""
    parts = []
    if entry.get("reason"):
        parts.append(f'<p class="reason"><b>{label("reason", lang)}</b>：{escape(entry["reason"])}</p>')
    if entry.get("trace"):
        parts.append(f'<b>{label("trace", lang)}</b><ol>{_steps(entry["trace"])}</ol>')
    if not parts:
        return ""
    return f'<tr class="trace"><td></td><td colspan="{columns - 1}">{"".join(parts)}</td></tr>'


def _folded(entry: dict, lang: str) -> str:
    """A row that agrees keeps its trace folded in its last cell."""
    if not entry.get("trace"):
        return ""
    return f'<details><summary>{label("trace", lang)}</summary><ol>{_steps(entry["trace"])}</ol></details>'


_OPEN = ("differs", "unscorable", "within_discretion")


def _rows(doc: dict, lang: str) -> str:
    heads = [("index", ""), ("goal", "w-goal"), ("level1", "w-level"), ("level2", "w-level"), ("name", "w-name"),
             ("target", "w-cell"), ("actual", "w-cell"), ("weight", ""), ("reported_score", ""), ("score", ""),
             ("allowed", "w-allowed"), ("status", "w-status"), ("rule", "w-rule")]
    head = "".join(f'<th class="{cls}" scope="col">{label(key, lang)}</th>' for key, cls in heads)
    out = []
    budget = doc.get("budget")
    if budget is not None:
        out.append(f'<tr class="{budget["status"]}"><td class="n">B</td><td></td><td>{label("budget", lang)}</td>'
                   f'<td></td><td>{label("budget", lang)}</td><td class="n">{_s(budget["budget"])}</td>'
                   f'<td class="n">{_s(budget["spent"])}</td><td class="n">{_s(budget["weight"])}</td>'
                   f'<td class="n">{_s(budget["reported"])}</td><td class="n">{_s(budget["score"])}</td><td></td>'
                   f'<td>{status_label(budget["status"], lang)}</td>'
                   f'<td>{"" if budget["status"] in _OPEN else _folded(budget, lang)}</td></tr>')
        if budget["status"] in _OPEN:
            out.append(_trace_row(len(heads), budget, lang))
    for row in doc["rows"]:
        low, high = row["allowed"] or (None, None)
        out.append(
            f'<tr class="{row["status"]}" id="row-{row["index"]}"><td class="n">{row["index"]}</td>'
            f'<td>{escape(row["goal"])}</td><td>{escape(row["level1"])}</td><td>{escape(row["level2"])}</td>'
            f'<td>{escape(row["name"])}</td><td>{escape(row["target"])}</td><td>{escape(row["actual"])}</td>'
            f'<td class="n">{_s(row["weight"])}</td><td class="n">{_s(row["reported"])}</td>'
            f'<td class="n">{_s(row["score"])}</td><td class="n">{_allowed(low, high)}</td>'
            f'<td>{status_label(row["status"], lang)}</td><td>{escape(row["rule"] or "")}'
            f'{"" if row["status"] in _OPEN else _folded(row, lang)}</td></tr>')
        if row["status"] in _OPEN:
            out.append(_trace_row(len(heads), row, lang))
    return (f'<div class="scroll"><table class="rows"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(out)}</tbody></table></div>')


def _chart(doc: dict, lang: str) -> str:
    goals: dict[str, list[Decimal]] = {}
    for row in doc["rows"]:
        sums = goals.setdefault(row["goal"] or "—", [Decimal(0), Decimal(0)])
        sums[0] += Decimal(row["reported"] or 0)
        sums[1] += Decimal(row["score"] or 0)
    return pair_chart([(g, a, b) for g, (a, b) in goals.items()],
                      names=(label("reported", lang), label("computed", lang)), unit=label("points", lang),
                      title=label("chart", lang))


def _finding_name(code: str, lang: str) -> str:
    name = finding_label(code, lang)
    return f"<code>{escape(code)}</code> " if name == code else f"<b>{escape(name)}</b> (<code>{escape(code)}</code>) "


def render_page(doc: dict, lang: str = "zh", *, back: str | None = None) -> str:
    """The page of one scored table from its result document; ``back``
    links to the review site's index."""
    title = escape(_title(doc))
    ruleset = doc["ruleset"]
    total = _s(doc["total"]) or "—"
    if doc.get("total_reason"):
        total += f" ({label('no_total', lang)}: {escape(doc['total_reason'])})"
    findings = "".join(
        f'<li class="{f["severity"]}">{severity_label(f["severity"], lang)} · {_finding_name(f["code"], lang)}'
        f'{escape(f["message"])}{" (" + ", ".join(map(str, f["rows"])) + ")" if f["rows"] else ""}</li>'
        for f in doc["findings"]) or f"<li>{label('no_findings', lang)}</li>"
    nav = f'<nav><a href="{escape(back)}">← {label("back", lang)}</a></nav>' if back else ""
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>{PAGE_CSS}</style></head>
<body>{nav}<h1>{title}</h1>
<p>{label("ruleset", lang)} <code>{escape(ruleset["name"])}@{escape(ruleset["version"])}</code>,
sha256 <code>{escape(ruleset["sha256"])}</code></p>
<table class="totals"><tr><th></th><th>{label("computed", lang)}</th><th>{label("reported", lang)}</th></tr>
<tr><td>{label("total", lang)}</td><td>{total}</td><td>{_s(doc["reported_total"]) or "—"}</td></tr>
<tr><td>{label("grade", lang)}</td><td>{escape(doc["grade"] or "—") if not doc.get("total_reason") else "—"}</td>
<td>{escape(doc["reported_grade"] or "—")}</td></tr></table>
<h2>{label("chart", lang)}</h2>{_chart(doc, lang)}
<h2>{label("findings", lang)}</h2><ul class="findings">{findings}</ul>
<h2>{label("rows", lang)}</h2><p>{label("rows_note", lang)}</p>
{_rows(doc, lang)}
</body></html>
"""


def render_html(scored, lang: str = "zh") -> str:
    """The page of a :class:`~perfrules.ScoreSheet`."""
    return render_page(result_to_json(scored), lang)
