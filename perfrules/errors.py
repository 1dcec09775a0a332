"""Errors raised by perfrules.

Every error the library raises on bad input is a :class:`PerfrulesError`.
An error may carry the text it was raised on and a :class:`Span` inside that
text; its message then shows the line and a caret under the problem::

    <input>:1:5: unexpected '.' in a number; expected a unit or the end of the text
    ≥1.2.3万元
        ^

Errors are plain values: they pickle, and compare by their parts.
"""

from __future__ import annotations


import attrs

from .numbers import display_width as _display_width

__all__ = [
    "Span",
    "PerfrulesError",
    "TargetSyntaxError",
    "UnitError",
    "RulesetSyntaxError",
    "RulesetError",
    "RulesetCheckError",
]


@attrs.frozen
class Span:
    """A stretch of source text: offsets ``start``..``end`` (end exclusive),
    and the 1-based ``line`` and ``column`` of ``start``.
    """

    start: int
    end: int
    line: int = 1
    column: int = 1
    end_line: int | None = attrs.field(default=None, repr=False)

    @classmethod
    def of(cls, source: str, start: int, end: int | None = None) -> "Span":
        """The span from ``start`` to ``end`` in ``source``, with its line and
        column computed.

        >>> Span.of("ab\\ncd", 3, 5)
        Span(start=3, end=5, line=2, column=1)
        """
        start = max(0, min(start, len(source)))
        end = start if end is None else max(start, min(end, len(source)))
        line = source.count("\n", 0, start) + 1
        column = start - (source.rfind("\n", 0, start) + 1) + 1
        return cls(start, end, line, column)




def render_caret(source: str, span: Span) -> str:
    """The source line holding ``span`` and a caret line under it.

    >>> print(render_caret("≥1.2.3万元", Span.of("≥1.2.3万元", 4, 6)))
    ≥1.2.3万元
        ^~
    """
    line_start = source.rfind("\n", 0, span.start) + 1
    line_end = source.find("\n", span.start)
    if line_end == -1:
        line_end = len(source)
    line = source[line_start:line_end]
    col = span.start - line_start
    width = _display_width(source[span.start : min(span.end, line_end)])
    marker = "^" + "~" * max(0, width - 1)
    return f"{line}\n{' ' * _display_width(line[:col])}{marker}"


class PerfrulesError(Exception):
    """The root of every error perfrules raises on bad input.

    ``message`` says what is wrong; ``source`` is the text it concerns,
    ``span`` where in it, ``path`` the file it came from (``<input>`` when it
    came from a string).
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        span: Span | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.span = span
        self.path = path

    def __reduce__(self):
        return (_rebuild, (type(self), self.message, self.source, self.span, self.path))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return (self.message, self.source, self.span, self.path) == (
            other.message,
            other.source,
            other.span,
            other.path,
        )

    __hash__ = Exception.__hash__

    def __str__(self) -> str:
        if self.span is None:
            prefix = f"{self.path}: " if self.path else ""
            return prefix + self.message
        head = f"{self.path or '<input>'}:{self.span.line}:{self.span.column}: {self.message}"
        if self.source is None:
            return head
        return head + "\n" + render_caret(self.source, self.span)


def _rebuild(cls, message, source, span, path):
    return cls(message, source=source, span=span, path=path)


class TargetSyntaxError(PerfrulesError):
    """A target or actual cell that starts like a quantity or comparison but
    does not read as one (``≥1.2.3万元``, ``≥万元``)."""


class UnitError(PerfrulesError):
    """Units that cannot be compared or converted (``万元`` and ``%``), or a
    conversion that no decimal can hold exactly."""


class RulesetSyntaxError(PerfrulesError):
    """A ruleset whose text does not follow the scoring language's grammar."""


class RulesetError(PerfrulesError):
    """One problem the checker found in a ruleset (an unknown name, a type
    error, a bad ``extends`` …)."""


class RulesetCheckError(PerfrulesError):
    """Every problem found in a ruleset, up to a cap; ``problems`` holds
    them, each a :class:`RulesetError` with its own span."""

    def __init__(self, problems, *, path: str | None = None) -> None:
        problems = tuple(problems)
        first = problems[0] if problems else None
        super().__init__(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the ruleset",
            source=first.source if first else None,
            span=first.span if first else None,
            path=path or (first.path if first else None),
        )
        self.problems = problems

    def __reduce__(self):
        return (_rebuild_check, (type(self), self.problems, self.path))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.problems == other.problems

    __hash__ = Exception.__hash__

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


def _rebuild_check(cls, problems, path):
    return cls(problems, path=path)
