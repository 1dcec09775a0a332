"""perfrules: scoring rules for budget performance self-evaluation tables.

This module is the public facade; the stages live in their own modules.
"""

from .results import Finding
from .diff import SheetDiff, diff_sheets
from .results import Discretionary, RowResult, Step
from .errors import (
    PerfrulesError,
    RulesetCheckError,
    RulesetError,
    RulesetSyntaxError,
    Span,
    TargetSyntaxError,
    UnitError,
)
from .cells.quantity import Quantity, Unit, unit
from .evaluate import ScoredRow, ScoreSheet, score
from .parallel import score_many
from .readers import read_sheet, read_sheets, read_text, sheet_from_json, sheet_to_json
from .records import Goal, Row, Sheet
from .registry import Registry
from .report import render
from .ruleset import Ruleset
from .cells.targets import parse_actual, parse_target
from .cells.values import (
    Actual,
    ActualDate,
    ActualDone,
    ActualEmpty,
    ActualQuantity,
    ActualStatement,
    BareValue,
    Comparison,
    Deadline,
    NotApplicable,
    Qualitative,
    Range,
    Target,
)

from .frames import attach as _attach_frames

# DataFrames at the top level (Sheet.from_frame, ScoreSheet.to_frame): the
# methods live in perfrules.frames, above the ground floor the types are on.
_attach_frames(Sheet, ScoreSheet)

__version__ = "0.1.0"

__all__ = [
    "score",
    "score_many",
    "read_sheet",
    "read_sheets",
    "read_text",
    "sheet_from_json",
    "sheet_to_json",
    "render",
    "diff_sheets",
    "Sheet",
    "Goal",
    "ScoreSheet",
    "ScoredRow",
    "SheetDiff",
    "Finding",
    "Registry",
    "parse_target",
    "parse_actual",
    "Ruleset",
    "Row",
    "RowResult",
    "Step",
    "Discretionary",
    "RulesetSyntaxError",
    "RulesetError",
    "RulesetCheckError",
    "Quantity",
    "Unit",
    "unit",
    "Span",
    "PerfrulesError",
    "TargetSyntaxError",
    "UnitError",
    "Target",
    "Comparison",
    "BareValue",
    "Range",
    "Deadline",
    "Qualitative",
    "NotApplicable",
    "Actual",
    "ActualQuantity",
    "ActualDate",
    "ActualDone",
    "ActualStatement",
    "ActualEmpty",
]
