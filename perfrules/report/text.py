"""The text the command line prints besides a scored table: an audit, a
row's explanation, a diff of two rulesets, the list of rulesets and a read
cell.  Each function returns the text; the CLI only writes it."""

from __future__ import annotations

from ..numbers import format_decimal, format_optional

__all__ = ["render_audit", "audit_failed", "render_explain", "render_diff", "render_rulesets", "render_parsed"]


def render_audit(label: str, scored) -> str:
    """The audit of one scored sheet: totals, findings, the rows whose
    reported score the rules do not allow, what keeps it from being whole."""
    computed = format_optional(scored.total, "—")
    if scored.total_reason:
        computed += f" ({scored.total_reason})"
    lines = [f"{label}: {scored.ruleset.name}@{scored.ruleset.version}, total computed {computed}, reported "
             f"{format_optional(scored.reported_total, '-')}"]
    lines += [f"  {finding}" for finding in scored.findings]
    differing = scored.differs()
    for entry in differing:
        result = entry.result
        where = "budget" if entry.index == 0 else f"row {entry.index}"
        lines.append(f"  differs: {where} {entry.row.name}: reported {format_decimal(result.reported)}, "
                     f"the rules give {format_decimal(result.score)} ({result.rule})")
    # A table not wholly scored is no pass, whatever the findings' severity.
    gaps = scored.gaps()
    lines += [f"  incomplete: {gap}" for gap in gaps]
    if not scored.findings and not differing and not gaps:
        lines.append("  nothing to report")
    return "\n".join(lines) + "\n"


def audit_failed(scored) -> bool:
    """Whether an audit of ``scored`` fails: a differing row, a gap, or an
    error finding."""
    return bool(scored.differs() or scored.gaps() or any(f.severity == "error" for f in scored.findings))


def render_explain(label: str, entry) -> str:
    """One scored row (a :class:`~perfrules.results.ScoredRow`) with its trace."""
    row, result = entry.row, entry.result
    where = "budget execution" if entry.index == 0 else f"row {entry.index}"
    lines = [f"{label} {where}: {row.name}"]
    if row.position:
        lines.append(f"  read from {row.position}")
    lines += [f"  {step}" for step in result.trace]
    if result.reported is not None:
        lines.append(f"  reported: {result.reported}")
    lines.append(f"  status: {result.status}")
    return "\n".join(lines) + "\n"


def render_diff(label: str, before, after, change) -> str:
    """How the rows and the total of one table change from ruleset A to B."""
    def n(value) -> str:
        return format_optional(value, "-")

    a = f"{before.ruleset.name}@{before.ruleset.version}"
    b = f"{after.ruleset.name}@{after.ruleset.version}"
    count = len(change.rows)
    lines = [f"{label}: {a} -> {b}: {count} {'row changes' if count == 1 else 'rows change'}"]
    for c in change.rows:
        where = "budget" if c.index == 0 else f"row {c.index}"
        lines += [
            f"  {where} {c.name}: reported {n(c.before.reported)}",
            f"    {a}: {c.before.rule or '-'} {n(c.before.score)} [{n(c.before.low)}..{n(c.before.high)}] "
            f"{c.before.status}",
            f"    {b}: {c.after.rule or '-'} {n(c.after.score)} [{n(c.after.low)}..{n(c.after.high)}] "
            f"{c.after.status}",
        ]
    lines.append(f"  total {n(before.total)} -> {n(after.total)} ({n(change.total_change)}), "
                 f"grade {before.grade or '-'} -> {after.grade or '-'}")
    return "\n".join(lines) + "\n"


def render_rulesets(listing: list[dict]) -> str:
    """The rulesets known, as ``perfrules rulesets`` lists them."""
    out = []
    for item in listing:
        span = f"{item['effective'] or '…'} – {item['until'] or ''}".rstrip()
        out.append(f"{item['name']}@{item['version']}  effective {span}  sha256 {item['sha256'][:12]}\n"
                   f"    {item['title'] or ''}\n    source: {item['source'] or '-'}\n")
        if item["extends"]:
            out.append(f"    extends {item['extends']}\n")
    return "".join(out)


def render_parsed(text: str, data: dict) -> str:
    """One read cell as ``perfrules parse`` prints it: the text, its kind
    and what it says, tab-separated."""
    return f"{text}\t{data['kind']}\t{_details(data)}".rstrip("\t") + "\n"


def _details(data: dict) -> str:
    kind = data["kind"]
    if "value" in data:
        unit = data["unit"] or ""
        op = f"{data['op']} " if data.get("op") else ""
        dimension = f" ({data['dimension']})" if data["dimension"] else ""
        return f"{op}{data['value']}{unit}{dimension}"
    if kind == "range":
        dimension = f" ({data['dimension']})" if data["dimension"] else ""
        return f"{data['low']} .. {data['high']}{data['unit'] or ''}{dimension}"
    if "year" in data:
        parts = [data["year"], data["month"], data["day"]]
        return "-".join("?" if p is None else f"{p:02d}" for p in parts)
    return ""
