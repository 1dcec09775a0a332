"""pandas DataFrames in and out: a sheet from a frame of rows
(:meth:`Sheet.from_frame <perfrules.Sheet.from_frame>`), a scored sheet as a
frame (:meth:`ScoreSheet.to_frame <perfrules.ScoreSheet.to_frame>`), and a
review's summary as a frame.  Needs pandas (the ``pandas`` extra).

Numbers stay exact: scores, weights and totals are :class:`~decimal.Decimal`
objects in columns of ``object`` dtype (``frame["score"].astype(float)``
when a float is good enough).  Columns have the stable English keys of the
JSON output.

>>> import perfrules
>>> result = perfrules.score("examples/tianjin-kjj-2024-zhengti.txt")
>>> frame = result.to_frame()
>>> frame.loc[57, ["target", "actual", "reported", "score", "status"]].tolist()
['≤34403.58万元', '44316.45万元', Decimal('0.3'), Decimal('0.71'), 'differs']
>>> again = perfrules.Sheet.from_frame(frame, organisation="天津市科学技术局", fiscal_year=2024)
>>> perfrules.score(again).total == result.total
True
"""

from __future__ import annotations

from decimal import Decimal

from .form.vocabulary import header_field
from .numbers import format_decimal

__all__ = ["sheet_from_frame", "result_frame", "summary_frame", "attach", "ROW_FRAME_COLUMNS"]

#: The columns of :func:`result_frame`, in order (the frame's index is the
#: row's number, 0 for the budget-execution row).
ROW_FRAME_COLUMNS = ("kind", "goal", "level1", "level2", "name", "target", "actual", "weight", "reported",
                     "budget", "spent", "score", "low", "high", "status", "rule", "reason", "trace")

# What Row.read takes, besides the cells named by the form's headers.
_ROW_KEYS = {"target", "actual", "weight", "reported", "name", "level1", "level2", "goal", "note", "kind",
             "budget", "spent", "position", "problem"}


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError("DataFrames need pandas: pip install 'perfrules[pandas]'") from None
    return pandas


def _text(value) -> str | None:
    """A frame cell as text: missing values (None, NaN, NA) become None,
    Decimals and numbers their shortest decimal text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    try:
        if value != value:  # NaN
            return None
    except TypeError:  # pandas.NA
        return None
    if isinstance(value, Decimal):
        return format_decimal(value)
    return str(value)


def _key(column) -> str | None:
    name = str(column).strip()
    if name in _ROW_KEYS:
        return name
    field = header_field(name)
    return {"score": "reported"}.get(field, field) if field in _ROW_KEYS | {"score"} else None


def sheet_from_frame(frame, *, title: str = "", organisation: str = "", fiscal_year: int | None = None,
                     kind: str | None = None, reported_total=None, reported_grade: str | None = None,
                     source: str | None = None):
    """A :class:`~perfrules.Sheet` from a DataFrame with one indicator row
    per line.  Columns are named by the English keys (``target``,
    ``actual``, ``weight``, ``reported``, ``name``, ``level1``, ``level2``,
    ``goal``, ``note``) or by the form's Chinese headings (年度指标值,
    实际完成值, 分值, 得分, 三级指标, …); other columns are ignored.  A line
    whose ``kind`` is ``budget_execution`` is the budget row (its
    ``budget`` and ``spent`` are 全年预算数 and 全年执行数).  A cell that
    does not read makes its row unscorable, with the reason: nothing is
    dropped.
    """
    pandas = _pandas()
    from .records import Row, Sheet

    if not isinstance(frame, pandas.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, not {type(frame).__name__}")
    keys = {column: _key(column) for column in frame.columns}
    taken: dict[str, object] = {}
    for column, key in keys.items():
        if key is not None:
            if key in taken:
                raise ValueError(f"the columns {taken[key]!r} and {column!r} both give the row's {key}")
            taken[key] = column
    if not {"target", "actual"} & set(taken):
        raise ValueError("the frame has no target or actual column (年度指标值, 实际完成值): "
                         f"its columns are {', '.join(map(str, frame.columns))}")
    columns = list(taken.items())
    budget, rows = None, []
    for values in zip(*(frame[column].tolist() for _, column in columns)):
        texts = {key: _text(value) for (key, _), value in zip(columns, values)}
        cells: dict[str, str] = {key: value for key, value in texts.items() if value is not None}
        if cells.get("kind") == "budget_execution":
            if budget is not None:
                raise ValueError("the frame has two budget_execution lines")
            budget = Row.budget_execution(
                budget=cells.get("budget"), spent=cells.get("spent"), weight=cells.get("weight", 10),
                reported=cells.get("reported"))
            continue
        cells.pop("budget", None), cells.pop("spent", None)
        cells["kind"] = "indicator"
        cells.setdefault("target", "")
        cells.setdefault("actual", "")
        rows.append(Row.read(**cells))
    return Sheet(rows=rows, budget=budget, title=title, organisation=organisation, fiscal_year=fiscal_year,
                 kind=kind, reported_total=reported_total, reported_grade=reported_grade, source=source)


def _cell(value) -> str:
    return value.text if value.text is not None else ("" if value.kind in ("not_applicable", "empty") else str(value))


def result_frame(scored):
    """A scored sheet as a DataFrame: one line per row (the budget row
    first, numbered 0), its cells, the computed score, the allowed range,
    the status, the rule or reason, and the trace (one step per line)."""
    pandas = _pandas()
    entries = ([scored.budget] if scored.budget else []) + list(scored.rows)
    data = []
    for entry in entries:
        row, result = entry.row, entry.result
        data.append((row.kind, row.goal, row.level1, row.level2, row.name,
                     "" if row.kind == "budget_execution" else _cell(row.target),
                     "" if row.kind == "budget_execution" else _cell(row.actual),
                     row.weight, result.reported, row.budget, row.spent, result.score, result.low, result.high,
                     result.status, result.rule, result.reason, result.explain()))
    frame = pandas.DataFrame(data, columns=list(ROW_FRAME_COLUMNS), dtype=object,
                             index=pandas.Index([e.index for e in entries], name="row"))
    return frame


def summary_frame(lines):
    """Summary lines (:class:`~perfrules.review.TableSummary`) as a
    DataFrame with the summary's English keys as columns."""
    pandas = _pandas()
    from .review.summary import COLUMNS

    keys = [c.key for c in COLUMNS] + ["ruleset_sha256", "file_sha256"]
    return pandas.DataFrame([[getattr(line, key) for key in keys] for line in lines], columns=keys, dtype=object)


def _from_frame(cls, frame, **metadata):
    """A sheet from a pandas DataFrame of indicator rows; ``metadata``
    (``title``, ``organisation``, ``fiscal_year``, ``kind``,
    ``reported_total``, ``reported_grade``, ``source``) as
    :func:`perfrules.frames.sheet_from_frame` takes it."""
    return sheet_from_frame(frame, **metadata)


def _to_frame(self):
    """The rows as a pandas DataFrame (:func:`perfrules.frames.result_frame`)."""
    return result_frame(self)


def attach(sheet_class, result_class) -> None:
    """Give the result types their DataFrame methods, ``Sheet.from_frame``
    and ``ScoreSheet.to_frame``.  The facade calls it: the types live on
    the ground floor, which imports nothing above it, and pandas is an
    extra imported only when a frame is asked for."""
    sheet_class.from_frame = classmethod(_from_frame)
    result_class.to_frame = _to_frame
