"""A self-evaluation table of any number of rows, as CSV (issue 19).

Used by the test that cost grows linearly with the table and by
``benchmarks/bench.py``'s 100,000-row run.  The rows are valid and varied:
higher, lower and exact targets in counts, money and percentages, some
overshooting (so the audit's overshoot check has work), qualitative rows,
a budget block, levels and a reported score on every row.
"""

from __future__ import annotations

import csv
import io
import random

HEADER = ("绩效目标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
          "偏差原因分析及改进措施")
_LEVELS = (("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"),
           ("产出指标", "成本指标"), ("效益指标", "社会效益指标"), ("满意度指标", "服务对象满意度指标"))


def _row(rng: random.Random, number: int) -> tuple[str, ...]:
    level1, level2 = _LEVELS[number % len(_LEVELS)]
    weight = rng.choice((1, 2, 5))
    kind = rng.random()
    if kind < 0.45:
        target = rng.randint(1, 500)
        actual = max(0, round(target * rng.uniform(0.5, 2.0)))
        cells = (f"≥{target}项", f"{actual}项")
    elif kind < 0.65:
        target = rng.randint(100, 99_999)
        actual = round(target * rng.uniform(0.8, 1.3), 2)
        cells = (f"≤{target}万元", f"{actual}万元")
    elif kind < 0.8:
        target = rng.randint(80, 100)
        cells = (f"≥{target}%", f"{rng.randint(60, 100)}%")
    elif kind < 0.9:
        cells = ("=100%", rng.choice(("100%", "98%")))
    else:
        cells = ("促进科技成果转化", rng.choice(("达成年度指标", "部分达成", "未达成")))
    reported = rng.choice((weight, weight, round(weight * rng.uniform(0.3, 1), 2)))
    return (f"绩效目标{number // 50 + 1}", level1, level2, f"指标{number}", *cells, str(weight), str(reported), "")


def big_csv(rows: int, *, seed: int = 19) -> str:
    """A table of ``rows`` indicator rows under a budget block, as CSV text."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("标题", "项目支出绩效自评表"))
    writer.writerow(("年度", "2024"))
    writer.writerow(())
    writer.writerow(HEADER + ("全年预算数", "全年执行数"))
    writer.writerow(("", "预算执行率", "", "预算执行率", "", "", "10", "9.5", "", "1000", "950"))
    for number in range(rows):
        writer.writerow(_row(rng, number))
    return out.getvalue()
