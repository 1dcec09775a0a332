"""The words of the reports, in Chinese (the default) and English: one
table, read by the HTML page, the review site, the summary outputs and the
XLSX workbook."""

from __future__ import annotations

__all__ = ["LANGS", "label", "status_label", "severity_label", "read_status_label", "finding_label"]

#: The languages a report can be written in.
LANGS = ("zh", "en")

_WORDS = {
    "ruleset": ("规则集", "ruleset"),
    "total": ("总分", "total"),
    "computed": ("计算", "computed"),
    "reported": ("自评", "reported"),
    "allowed": ("允许范围", "allowed range"),
    "grade": ("等级", "grade"),
    "chart": ("各绩效目标的自评得分与计算得分", "Reported and computed score per goal"),
    "points": ("分", "points"),
    "findings": ("审核发现", "Findings"),
    "no_findings": ("无", "none"),
    "rows": ("逐项评分", "Rows"),
    "rows_note": ("不符、无法评分和在裁量范围内的行下方列出计算过程和原因；其余行的计算过程在“规则”一栏展开。",
                  "Below each differing, unscorable or discretionary row are its trace and reason; "
                  "the other rows' traces open in their rule cell."),
    "trace": ("计算过程", "trace"),
    "reason": ("原因", "reason"),
    "because": ("依据", "because"),
    "index": ("#", "#"),
    "goal": ("绩效目标", "goal"),
    "level1": ("一级指标", "level 1"),
    "level2": ("二级指标", "level 2"),
    "name": ("三级指标", "indicator"),
    "target": ("年度指标值", "target"),
    "actual": ("实际完成值", "actual"),
    "weight": ("分值", "weight"),
    "reported_score": ("自评得分", "reported"),
    "score": ("计算得分", "computed"),
    "status": ("状态", "status"),
    "rule": ("规则", "rule"),
    "budget": ("预算执行率", "budget execution"),
    "no_total": ("无总分", "no total"),
    "review_title": ("绩效自评表审核汇总", "Review of self-evaluation tables"),
    "sort_hint": ("点击列名排序。", "Click a column heading to sort."),
    "back": ("返回汇总", "Back to the summary"),
    "gap_chart": ("自评总分与计算总分之差（差额）", "Reported minus computed total (gap)"),
    "generated": ("由 perfrules 生成", "Made by perfrules"),
}

_STATUS = {
    "agrees": ("一致", "agrees"),
    "within_discretion": ("在裁量范围内", "within discretion"),
    "differs": ("不符", "differs"),
    "unreported": ("未自评", "not reported"),
    "unscorable": ("无法评分", "unscorable"),
    "not_applicable": ("不适用", "not applicable"),
}
# The audit's finding codes, named for a Chinese reader (a ruleset's own
# checks keep their code).
_FINDINGS = {
    "execution_rate": "预算执行率与金额不符",
    "incompatible_units": "计量单位不一致",
    "level_weights": "指标分值与规则不符",
    "likely_slip": "疑似小数点错误",
    "no_rows": "未读到指标行",
    "not_applicable_scored": "不适用指标被评分",
    "overshoot_not_monotone": "超额完成扣分前后不一",
    "partial": "表格未完整读取",
    "read_doubt": "读取存疑",
    "reported_grade": "自评等级与总分不符",
    "reported_total": "自评总分与各项得分之和不符",
    "ruleset_year": "规则集年度不符",
    "score_above_weight": "得分高于分值",
    "unread_lines": "有未读取的行",
    "unscorable": "有无法评分的行",
    "weight_total": "分值合计不为100",
    "no_deviation_reason": "未填写偏差原因",
}

_SEVERITY = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "note")}
_READ = {"full": ("完整读取", "read fully"), "partial": ("部分读取", "partly read"), "error": ("未能读取", "not read")}


def _pick(table: dict, key: str, lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    pair = table.get(key)
    return key if pair is None else pair[LANGS.index(lang)]


def label(key: str, lang: str = "zh") -> str:
    """A report's word for ``key``.

    >>> label("findings"), label("findings", "en")
    ('审核发现', 'Findings')
    """
    return _pick(_WORDS, key, lang)


def status_label(status: str, lang: str = "zh") -> str:
    """A row status (``differs`` …) as the reader of ``lang`` says it.

    >>> status_label("within_discretion")
    '在裁量范围内'
    """
    return _pick(_STATUS, status, lang)


def severity_label(severity: str, lang: str = "zh") -> str:
    """A finding's severity in ``lang``."""
    return _pick(_SEVERITY, severity, lang)


def read_status_label(status: str, lang: str = "zh") -> str:
    """How fully a file was read (``full``, ``partial``, ``error``) in ``lang``."""
    return _pick(_READ, status, lang)


def finding_label(code: str, lang: str = "zh") -> str:
    """A finding's name: in Chinese the audit's codes are named
    (a ruleset's own check keeps its code); in English, the code.

    >>> finding_label("likely_slip"), finding_label("likely_slip", "en")
    ('疑似小数点错误', 'likely_slip')
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return _FINDINGS.get(code, code) if lang == "zh" else code
