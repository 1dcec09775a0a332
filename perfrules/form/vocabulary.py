"""The form's vocabulary, kept as data: header synonyms, level words, the
budget block's labels, totals, metadata labels and placeholders.

Every word is written folded (simplified characters, no spaces): cells are
matched through :func:`perfrules.form.fold.key`.  A reviewer extends the
recognizer by adding a word here.
"""

from __future__ import annotations

import re

__all__ = [
    "HEADER", "LEVEL1", "LEVEL2", "LEVEL_EITHER", "BUDGET_COLUMNS", "BUDGET_LINES", "TOTALS", "GRADES",
    "METADATA", "GOAL_LABELS", "SKIP_LABELS", "COMPUTED_HEADERS", "FUND_SOURCES", "DONE_PHRASES", "VERDICTS",
    "ANSWERS", "OPERATORS", "header_field",
]

#: Indicator-table header words → the field they name.  A word may carry a
#: parenthesised letter (``全年预算数(A)``, ``实际完成值(B)``), stripped
#: before matching.
HEADER: dict[str, tuple[str, ...]] = {
    "goal": ("年度指标完成情况", "绩效目标", "年度绩效指标"),
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标", "指标名称", "绩效指标名称"),
    "target": ("年度指标值", "年初目标值", "预期指标值", "年度目标值", "目标值", "指标值", "计划指标值",
               "年初设定目标值", "预期目标值"),
    "actual": ("实际完成值", "全年实际值", "实际完成指标值", "全年完成值", "实际值", "完成值", "实际完成指标"),
    "weight": ("分值", "权重", "指标分值"),
    "score": ("得分", "自评得分", "自评分"),
    "review": ("复核分", "复核得分"),
    "coefficient": ("得分系数",),
    "note": ("偏差原因分析及改进措施", "未完成原因及拟采取的改进措施", "未完成原因及改进措施", "偏差原因分析",
             "偏差原因", "未完成原因", "原因分析及改进措施", "偏差原因分析及改进措施说明"),
    "method": ("得分计算方法", "评分标准", "评价标准", "计分方法"),
    # The three cells a split target is written in (指标性质 | 指标值 | 度量单位).
    "operator": ("指标性质", "指标方向"),
    "unit": ("度量单位", "计量单位", "单位"),
}

LEVEL1 = frozenset({"产出指标", "效益指标", "满意度指标", "成本指标", "服务对象满意度指标"})
LEVEL2 = frozenset({
    "数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
    "生态环境效益指标", "可持续影响指标", "服务对象满意度", "服务对象满意度指标", "服务对象满意度指标等",
    "经济成本指标", "社会成本指标", "生态环境成本指标", "满意度指标",
    # Older and provincial forms name the level-2 classes without 指标.
    "产出数量", "产出质量", "产出时效", "产出成本", "经济效益", "社会效益", "生态效益", "可持续影响",
    "数量", "质量", "时效", "成本",
})
#: Words that name a level 1 or a level 2 depending on where they stand.
LEVEL_EITHER = LEVEL1 & LEVEL2

#: The budget block's column labels → field.
BUDGET_COLUMNS: dict[str, tuple[str, ...]] = {
    "initial": ("年初预算数",),
    "budget": ("全年预算数", "调整后预算数", "预算数"),
    "spent": ("全年执行数", "执行数", "实际支出数"),
    "weight": ("分值",),
    "rate": ("执行率", "预算执行率"),
    "score": ("得分",),
}
#: Labels of the budget block's lines: the first is the total line.
BUDGET_LINES = {
    "total": ("年度资金总额", "资金总额", "合计", "年度资金总额合计"),
    "part": ("其中本年财政拨款", "其中当年财政拨款", "本年财政拨款", "当年财政拨款", "财政拨款", "其中财政拨款",
             "上年结转资金", "上年结转", "其他资金", "一般预算内拨款", "其中一般预算内拨款", "一般公共预算"),
}

#: The budget block's fund-source lines (资金来源), by the name a rule reads
#: them under: each a label's folded words, 其中 and a colon stripped.
FUND_SOURCES: dict[str, tuple[str, ...]] = {
    "当年财政拨款": ("当年财政拨款", "本年财政拨款", "财政拨款", "一般预算内拨款", "一般公共预算"),
    "上年结转资金": ("上年结转资金", "上年结转"),
    "其他资金": ("其他资金",),
}

#: Labels of the closing 评价结论 line: its text is the conclusion.
CONCLUSIONS = ("自评结论", "评价结论", "绩效自评结论", "整体支出绩效自评结论", "项目支出绩效自评结论", "评估结论")
TOTALS = ("总分", "合计", "总计", "自评总分", "总得分")
GRADES = ("优秀", "优", "良好", "良", "中等", "中", "合格", "差", "不合格")

#: Labels of the form's metadata → the sheet field (or None: read past).
METADATA: dict[str, str | None] = {
    "项目名称": "project", "部门名称": "organisation", "单位名称": "organisation",
    "主管部门": "department", "实施单位": "organisation", "项目实施单位": "organisation",
    "预算单位": "organisation", "部门": "organisation",
    "项目负责人": None, "项目负责人及电话": None, "联系电话": None, "填报日期": None, "填报人": None,
    "评价等级": "grade", "自评等级": "grade",
}
#: Labels of the 年度总体目标 block.
GOAL_LABELS = ("年度总体目标", "预期目标", "实际完成情况", "年初设定目标", "年度总体目标完成情况综述",
               "年度绩效目标", "年度总体目标完成情况", "总体目标", "目标")
#: Labels that head a block or stand alone; read past.
SKIP_LABELS = ("绩效指标", "年度绩效指标完成情况", "年度绩效指标", "年度绩效目标完成情况", "其他需要说明事项",
               "项目资金", "资金情况", "预算执行情况", "资金来源", "项目资金(万元)", "项目资金(元)",
               "资金情况(万元)", "预算执行情况(万元)", "绩效", "指标", "年度", "公开14表")

#: The columns perfrules' own exports add beside the form's (the computed
#: score, its allowed range, status, rule and reason): read back, they are
#: no columns of the table.
COMPUTED_HEADERS = ("计算得分", "允许下限", "允许上限", "状态", "规则", "原因")

#: What units write as an actual to say the target was met: never a name.
DONE_PHRASES = ("达成预期指标", "达成预期目标", "达到预期指标", "达到预期目标", "已完成", "按时完成", "全部完成",
                "达成年度指标", "达成", "完成")
#: Verdict words units write as a qualitative target or actual: never a name.
VERDICTS = ("有效", "良好", "显著", "及时", "合格", "达标", "满意", "较好", "明显", "优秀", "按时", "按期", "准时",
            "高", "好", "是", "否", "提升", "提高", "改善", "显著提升", "明显提升", "有所提升", "符合", "达到", "实现")
#: One-character answers to an indicator asked as a question (是否…).
ANSWERS = ("是", "否", "有", "无")
OPERATORS = ("≥", "≧", "≥=", ">=", "＞=", "＞", ">", "≤", "≦", "<=", "＜=", "＜", "<", "=", "＝", "﹦", "═", "==")

_BRACKETED = re.compile(r"[(（][A-Za-z/＋+\-*×÷\d]*[)）]$")


def header_field(word: str) -> str | None:
    """The header field the folded ``word`` names, or None.

    >>> header_field("全年实际值"), header_field("实际完成值(B)"), header_field("产出指标")
    ('actual', 'actual', None)
    """
    word = _BRACKETED.sub("", word)
    for field, words in HEADER.items():
        if word in words:
            return field
    return None
