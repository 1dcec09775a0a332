"""The facade of the scoring language: text → parse → check → compile.

>>> ruleset = Ruleset.from_text('''
... ruleset demo
... version 1
... rule shortfall
...   when direction is higher and actual < target
...   score weight * actual / target
... rule met
...   otherwise
...   score weight
... ''')
>>> from perfrules.records import Row
>>> result = ruleset.evaluate(Row.of(target="≥15家", actual="6家", weight="2"))
>>> result.rule, result.score
('shortfall', Decimal('0.80'))
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Mapping


from .dsl.check import Model, Resolver, check_document, resolved_document
from .dsl.compile import Evaluator
from .dsl.format import format_document
from .dsl.parse import parse_document
from .dsl.sheet import score_sheet
from .errors import PerfrulesError
from .finder import Finder
from .records import Row, Sheet
from .results import RowResult, RulesetIdentity, ScoreSheet

__all__ = ["Ruleset", "default_resolver", "Finder"]


class _Recording:
    """A resolver that keeps what it found (the parents' texts, so a
    pickled ruleset rebuilds anywhere) and says where it looked."""

    def __init__(self, resolve) -> None:
        self._resolve = resolve
        self.parents: dict = {}

    @property
    def searched(self):
        return getattr(self._resolve, "searched", None)

    def __call__(self, name: str, version: str):
        found = self._resolve(name, version)
        if found is not None:
            self.parents[name, version] = tuple(found)
        return found


def default_resolver(path: str | None = None) -> Finder:
    """The one policy for finding a parent ruleset: a
    :class:`~perfrules.finder.Finder` (the file's rulesets folder, then
    ``PERFRULES_PATH`` and the shipped rulesets)."""
    return Finder(path)


class Ruleset:
    """A checked, compiled ruleset.

    Build it with :meth:`from_text` or :meth:`from_file`; it is then reused
    for any number of rows.  ``warnings`` lists what the checker found
    doubtful but not wrong (a rule that can never fire …).
    """

    def __init__(self, model: Model, text: str, path: str | None) -> None:
        #: The checked model (:class:`~perfrules.dsl.check.Model`) the
        #: evaluator was compiled from.
        self.model = model
        #: The ruleset's text as given.
        self.text = text
        #: The file it was read from (or the ``path`` given to
        #: :meth:`from_text`); None for text from elsewhere.
        self.path = path
        #: The ruleset with ``extends`` applied, in canonical form without
        #: comments: reformatting the file does not change it.
        self.resolved_text = format_document(resolved_document(model), comments=False)
        #: Identifies the rules exactly: any change to them (or to a parent's)
        #: changes it.
        self.sha256 = hashlib.sha256(self.resolved_text.encode("utf-8")).hexdigest()
        self._evaluator = Evaluator(model)
        self._untraced = self._evaluator.untraced
        #: The texts ``extends`` read, ``{(name, version): (text, path)}``,
        #: so a pickled ruleset rebuilds where its parents' files are not;
        #: None when unknown (the ruleset was not built by :meth:`from_text`).
        self._parents: dict | None = None

    @classmethod
    def from_text(cls, text: str, *, path: str | None = None, resolve: Resolver | None = None) -> "Ruleset":
        """Parse, check and compile ``text``; ``path`` names it in errors.
        Raises a :class:`~perfrules.errors.PerfrulesError` subclass with a
        caret for every problem."""
        if not isinstance(text, str):
            raise TypeError(f"a ruleset's text must be a str, not {type(text).__name__}")
        document = parse_document(text, path=path)
        resolve = resolve or default_resolver(path)
        recording = _Recording(resolve)
        model = check_document(document, source=text, path=path, resolve=recording)
        ruleset = cls(model, text, path)
        ruleset._parents = recording.parents
        return ruleset

    @classmethod
    def from_file(cls, path: str | Path, *, resolve: Resolver | None = None) -> "Ruleset":
        """Load the ruleset in the file at ``path``."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise PerfrulesError(f"cannot read ruleset: {error}", path=str(path)) from None
        return cls.from_text(text, path=str(path), resolve=resolve)

    def __reduce__(self):
        # By source, not by compiled code: the compiled form holds closures
        # (and may become generated code), while the text and the parents'
        # texts rebuild the same rules anywhere perfrules is installed.
        parents = None if self._parents is None else tuple(sorted(self._parents.items()))
        return (_rebuild, (self.text, self.path, parents))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ruleset):
            return NotImplemented
        return (self.sha256, self.text, self.path) == (other.sha256, other.text, other.path)

    def __hash__(self) -> int:
        return hash(self.sha256)

    @property
    def name(self) -> str:
        """The name in the ``ruleset`` line of the header."""
        return self.model.name

    @property
    def version(self) -> str:
        """The version in the ``version`` line of the header."""
        return self.model.version

    @property
    def warnings(self):
        """What the checker found doubtful but not wrong, as
        :class:`~perfrules.RulesetError` values (not raised)."""
        return self.model.warnings

    @property
    def identity(self) -> RulesetIdentity:
        """Name, version and sha256: which rules produced a result."""
        return RulesetIdentity(self.name, self.version, self.sha256)

    def evaluate(self, row: Row, *, trace: bool = True) -> RowResult:
        """Score one row (see :class:`~perfrules.results.RowResult`).
        ``trace=False`` skips the explanation and is several times faster."""
        if not trace:
            return self._untraced(row)  # the hot path: one call, no branch in the evaluator
        return self._evaluator.evaluate(row, trace=trace)

    def score_sheet(self, sheet: Sheet, *, trace: bool = True) -> ScoreSheet:
        """Score a whole sheet: every row and the budget row, the sheet
        rules (with the range a rule leaves to the assessor), the rescale
        for rows that are not applicable, the total, the grade, and the
        findings of the ruleset's own checks.  :func:`perfrules.score` adds
        the audit's findings (``perfrules.audit.audit``).

        >>> from perfrules.readers import read_sheet
        >>> ruleset = Ruleset.from_file("rulesets/mof/2020.rules")
        >>> scored = ruleset.score_sheet(read_sheet("examples/tianjin-kjj-2024-zhengti.txt"))
        >>> scored.total, scored.grade, scored.ruleset.name
        (Decimal('95.36'), '优', 'mof')
        """
        if not isinstance(sheet, Sheet):
            raise TypeError(f"score_sheet() takes a Sheet, not {type(sheet).__name__}")
        return score_sheet(self._evaluator, self.identity, sheet, trace=trace)

    def grade(self, total: Decimal | None) -> str | None:
        """The grade this ruleset gives ``total`` (None without grades or total).

        >>> Ruleset.from_file("rulesets/mof/2020.rules").grade(Decimal("85"))
        '良'
        """
        return self._evaluator.grade(total)

    def condition(self, expr) -> Callable[[Row, Decimal | None], bool | None]:
        """A condition of the language (an expression of the syntax tree,
        ``perfrules.dsl.ast``, e.g. from ``self.model``) as a test of a row and its
        score: True, False, or None when the row lacks a value it reads."""
        return self._evaluator.condition(expr)

    def table_condition(self, expr) -> Callable[[ScoreSheet], bool | None]:
        """A condition over a whole table (a ``sheet expect``: ``total``,
        ``count()``, ``finding("CODE")``, ``points("SHEET RULE")`` …) as a
        test of a table this ruleset scored: True, False, or None when the
        table lacks a value it reads."""
        from .dsl.compile import compile_expr
        from .dsl.expectations import TableFacts
        from .dsl.runtime import Unavailable

        compiled = compile_expr(expr)

        def test(scored: ScoreSheet) -> bool | None:
            rows = [self._evaluator.facts(r.row, r.result.score) for r in scored.rows]
            try:
                return bool(compiled(TableFacts(rows, scored)))
            except Unavailable:
                return None

        return test

    def value(self, row: Row, name: str, *, score: Decimal | None = None):
        """The value ``name`` (``completion``, ``direction``, ``days_late`` …:
        any name a rule can read) has for ``row`` as this ruleset sees it;
        None when the row does not have it.

        >>> ruleset = Ruleset.from_file("rulesets/mof/2020.rules")
        >>> row = Row.of(target="≥80%", actual="90%", weight="5")
        >>> ruleset.value(row, "completion"), ruleset.value(row, "direction"), ruleset.value(row, "days_late")
        (Decimal('1.125'), 'higher', None)
        """
        return self._evaluator.value(row, name, score)

    def evaluate_many(self, rows: Iterable[Row | Mapping], *, trace: bool = False) -> list[RowResult]:
        """Score many rows, in order: the batch form of :meth:`evaluate`,
        without traces unless asked.

        >>> ruleset = Ruleset.from_text("ruleset r version 1 rule met otherwise score weight")
        >>> [r.score for r in ruleset.evaluate_many([Row.of(target="≥1次", actual="1次", weight="2")] * 2)]
        [Decimal('2.00'), Decimal('2.00')]

        A row may also be a mapping of :meth:`Row.from_values
        <perfrules.Row.from_values>`' arguments, as a caller holding
        numbers has them:

        >>> [r.score for r in ruleset.evaluate_many([{"target": 10, "actual": 12, "weight": 1.5}])]
        [Decimal('1.50')]
        """
        return self._evaluator.evaluate_many(map(_as_row, rows), trace=trace)

    def __repr__(self) -> str:
        return f"<Ruleset {self.name}@{self.version} sha256={self.sha256[:12]}>"


def _as_row(row) -> Row:
    # A mapping of a row's values becomes its Row; anything else is the
    # evaluator's to take (or refuse) as it always has.
    if type(row) is not Row and isinstance(row, Mapping):
        return Row.from_mapping(row)
    return row


@lru_cache(maxsize=32)  # a worker unpickles one ruleset per task: compile it once
def _rebuild(text: str, path: str | None, parents: tuple | None = None) -> Ruleset:
    if parents is None:
        return Ruleset.from_text(text, path=path)
    known = dict(parents)
    return Ruleset.from_text(text, path=path, resolve=lambda name, version: known.get((name, version)))
