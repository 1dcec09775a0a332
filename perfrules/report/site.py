"""The review site's index page: the summary table, sortable by any column
with a few lines of inline script (nothing fetched), each table's line
linking to its page.  In Chinese by default, English with ``lang="en"``."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from ..numbers import format_decimal
from ..review.summary import COLUMNS, heading
from .html import PAGE_CSS
from .labels import label, read_status_label

__all__ = ["render_index", "SORT_SCRIPT"]

#: Sorts a ``table.sortable`` by the column whose heading button is
#: clicked: numbers by value (``data-v``), text in Chinese collation; empty
#: cells last either way; a second click turns the order round.
SORT_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, i) {
    th.querySelector("button").addEventListener("click", function () {
      var up = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var number = th.dataset.type === "number", body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[i].dataset.v, y = b.cells[i].dataset.v;
        if (x === "" && y === "") return 0;
        if (x === "") return 1;
        if (y === "") return -1;
        var order = number ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "zh-CN");
        return up ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""


# Columns wide enough for Chinese names: a unit or project name is not
# broken one character per line.
_INDEX_CSS = (".k-file{min-width:14em}.k-unit{min-width:9em}.k-project{min-width:11em}.k-ruleset{min-width:6em}"
              ".k-message{min-width:16em}.k-read_status{min-width:5em}")


def _cell(line, column, lang: str, page: str | None) -> str:
    value = getattr(line, column.key)
    raw = "" if value is None else (format_decimal(value) if isinstance(value, Decimal) else str(value))
    shown = read_status_label(value, lang) if column.key == "read_status" else raw
    shown = escape(shown)
    if column.key == "file" and page:
        shown = f'<a href="{escape(page)}">{shown}</a>'
    css = ' class="n"' if column.number else ""
    return f'<td{css} data-v="{escape(raw)}">{shown}</td>'


def render_index(entries, lang: str = "zh", *, title: str | None = None) -> str:
    """The index page: ``entries`` are ``(summary line, page file name or
    None)`` in the order to show."""
    entries = list(entries)
    title = escape(title or label("review_title", lang))
    head = "".join(
        f'<th scope="col" class="k-{c.key}" data-key="{c.key}" data-type="{"number" if c.number else "text"}">'
        f'<button type="button">{escape(heading(c.key, lang))}</button></th>' for c in COLUMNS)
    body = "".join(
        f'<tr class="{"differs" if line.differ else line.read_status if line.read_status != "full" else ""}">'
        + "".join(_cell(line, c, lang, page) for c in COLUMNS) + "</tr>"
        for line, page in entries)
    count = f"共 {len(entries)} 张表。" if lang == "zh" else f"{len(entries)} tables."
    return f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>{PAGE_CSS}{_INDEX_CSS}</style></head>
<body><h1>{title}</h1><p>{count} <span class="noprint">{label("sort_hint", lang)}</span></p>
<div class="scroll"><table class="sortable summary"><thead><tr>{head}</tr></thead>
<tbody>{body}</tbody></table></div>
<p class="noprint">{label("generated", lang)}</p>
<script>{SORT_SCRIPT}</script>
</body></html>
"""
