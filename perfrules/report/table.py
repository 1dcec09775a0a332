"""The scored sheet as an aligned text table (Chinese text takes two
columns on a terminal, so widths are counted the way it shows them)."""

from __future__ import annotations


from ..numbers import display_width as width
from ..numbers import format_cell as _n

__all__ = ["render_table", "width"]

_STATUS = {
    "agrees": "ok", "within_discretion": "discretion", "differs": "DIFFERS", "unreported": "unreported",
    "unscorable": "UNSCORABLE", "not_applicable": "n/a",
}




def _clip(text: str, limit: int) -> str:
    if width(text) <= limit:  # it fits: the loop below would keep every character
        return text
    out, used = "", 0
    for char in text:
        w = width(char)
        if used + w > limit - (1 if len(text) > len(out) + 1 else 0):
            return out + "…"
        out, used = out + char, used + w
    return out


def _pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap




def render_table(scored) -> str:
    header = ["#", "指标 indicator", "目标 target", "实际 actual", "分值", "自评", "计算", "允许 allowed", "status", "rule"]
    rows = []
    entries = ([scored.budget] if scored.budget else []) + list(scored.rows)
    for entry in entries:
        row, result = entry.row, entry.result
        allowed = "" if result.low is None or result.low == result.high else f"{_n(result.low)}-{_n(result.high)}"
        target = row.target.text if row.target.text is not None else ""
        actual = row.actual.text if row.actual.text is not None else ""
        if row.kind == "budget_execution":
            target, actual = _n(row.budget), _n(row.spent)
        rows.append([
            "B" if entry.index == 0 else str(entry.index), _clip(row.name, 28), _clip(target, 16), _clip(actual, 14),
            _n(row.weight), _n(result.reported), _n(result.score), allowed, _STATUS[result.status],
            result.rule or "",
        ])
    sizes = [max(width(r[i]) for r in rows + [header]) for i in range(len(header))]
    numeric = {0, 4, 5, 6}
    lines = ["  ".join(_pad(c, sizes[i], i in numeric) for i, c in enumerate(header)).rstrip()]
    lines.append("  ".join("-" * s for s in sizes))
    lines += ["  ".join(_pad(c, sizes[i], i in numeric) for i, c in enumerate(r)).rstrip() for r in rows]
    sheet = scored.sheet
    title = " ".join(p for p in (sheet.organisation, sheet.title, f"{sheet.fiscal_year}年度" if sheet.fiscal_year else "") if p)
    out = [title, f"ruleset {scored.ruleset.name}@{scored.ruleset.version} (sha256 {scored.ruleset.sha256[:12]})", ""]
    out += lines
    out.append("")
    for rule in scored.sheet_rules:
        out.append(f"sheet rule {rule.name}: {_n(rule.score) or 'unscorable: ' + (rule.reason or '')} of {_n(rule.weight)}")
    if scored.total_reason:  # no total rather than 0.00 / 差
        out.append(f"total     computed — ({scored.total_reason})   reported {_n(scored.reported_total) or '-'}")
        out.append(f"grade     computed —   reported {scored.reported_grade or '-'}")
    else:
        out.append(f"total     computed {_n(scored.total)}   reported {_n(scored.reported_total) or '-'}")
        out.append(f"grade     computed {scored.grade or '-'}   reported {scored.reported_grade or '-'}")
    if scored.sheet.total_line:  # what was taken for the total, not for a row
        out.append(f"reported total read from {scored.sheet.total_line}")
    if scored.findings:
        out.append("")
        out.append("findings:")
        out += [f"  {f}" for f in scored.findings]
    return "\n".join(out) + "\n"
