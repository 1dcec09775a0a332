"""Parse stage of the scoring language: text → :class:`~perfrules.dsl.ast.Document`.

The grammar is ``grammar/rules.lark``.  This is the only module of the
language that touches Lark; it hands on our own AST or raises
:class:`~perfrules.errors.RulesetSyntaxError` with a caret.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from decimal import Decimal

from functools import lru_cache

from lark import Lark, Token, Transformer, Tree, UnexpectedInput, UnexpectedToken, v_args
from lark.exceptions import VisitError

from .._resources import grammar_text, parser_cache
from ..errors import RulesetSyntaxError, Span
from ..cells.quantity import shift_decimal
from . import ast

__all__ = ["parse_document", "KEYWORDS", "MAX_DEPTH", "MAX_SIZE"]

#: Words with a meaning of their own; they cannot name a rule or a label
#: without quotes.
KEYWORDS = frozenset(
    "ruleset version effective until title source extends rounding grades weights not_applicable "
    "direction rule remove check sheet expect when otherwise score because before after and or not "
    "is in contains implies if then else default words band tiers where among monotone continuous at within weight "
    "count sum share error warning info rescale zero".split()
)

#: How deeply expressions may nest, and how large a ruleset file may be.
MAX_DEPTH = 100
MAX_SIZE = 1_000_000

_NAME = re.compile(r"[^\W\d]\w*\Z")
_ESCAPES = {"n": "\n", "t": "\t"}
#: What ``within`` after a sheet rule's weight parses to.
_INSIDE = object()

# Words that start an item, and operators: an error lists them as groups.
_ITEM_WORDS = {
    "ruleset", "version", "effective", "title", "source", "extends", "rounding", "grades", "weights",
    "not_applicable", "direction", "rule", "remove", "check", "sheet", "expect",
}
_OPERATOR_WORDS = {"and", "or", "implies", "is", "in", "contains", "not"}
# Keywords that are also values of a row (score, weight, direction).
_NAME_WORDS = {"score", "weight", "direction"}
_OPERATOR_TERMINALS = {"COMPARE", "ADD_OP", "MINUS", "MUL_OP"}
_DESCRIPTIONS = {
    "NAME": "a name",
    "NUMBER": "a number",
    "PERCENT": "a percentage",
    "STRING": 'a "string"',
    "VERSION": "a version (2020.1)",
    "RULESET_NAME": "a ruleset name (mof, mof-cost-ratio)",
    "DATE": "a date (2020-02-25)",
    "ROUNDING_MODE": "a rounding mode (half-up, half-even, down, up)",
    "NA_MODE": "rescale or zero",
    "SEVERITY": "error, warning or info",
    "POSITION": "before or after",
    "REMOVABLE": "rule, check or expect",
    "$END": "the end of the file",
}


# Comments are ignored by the grammar but kept for the formatter: the lexer
# hands each one to the list of the parse running in this thread.
_comments = threading.local()


def _keep_comment(token: Token) -> None:
    assert token.line is not None  # the lexer sets the positions of the tokens it makes
    _comments.found.append(ast.Comment(token.line, token.value))


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(
        grammar_text("rules.lark"),
        parser="lalr",
        start="document",
        propagate_positions=True,
        cache=parser_cache("rules"),
        lexer_callbacks={"COMMENT": _keep_comment},
    )


def _span(meta) -> Span:
    return Span(meta.start_pos, meta.end_pos, meta.line, meta.column, meta.end_line)


def _token_span(token: Token) -> Span:
    # The lexer sets the positions of the tokens it makes (a Token built by
    # hand may have none, hence Lark's Optional fields).
    assert token.start_pos is not None and token.end_pos is not None
    assert token.line is not None and token.column is not None
    return Span(token.start_pos, token.end_pos, token.line, token.column)


def _string(token: Token) -> str:
    text = token.value
    if text.startswith("“"):
        return text[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def _number(token: Token) -> ast.Number:
    text = token.value
    # Shifted exactly: dividing would round a long literal to 28 digits.
    if text.endswith("%"):
        return ast.Number(shift_decimal(Decimal(text[:-1]), -2), "%", span=_token_span(token))
    if text.endswith("‰"):
        return ast.Number(shift_decimal(Decimal(text[:-1]), -3), "‰", span=_token_span(token))
    return ast.Number(Decimal(text), span=_token_span(token))


def _date(token: Token) -> dt.date:
    try:
        return dt.date.fromisoformat(token.value)
    except ValueError:
        raise _Reject(f"{token.value} is not a date", token) from None


class _Reject(Exception):
    def __init__(self, message: str, token: Token) -> None:
        super().__init__(message)
        self.message, self.token = message, token


def _tokens(children, kind=None):
    return [c for c in children if isinstance(c, Token) and (kind is None or c.type == kind)]


def _nodes(children, cls=ast.Node):
    return [c for c in children if isinstance(c, cls)]


@v_args(meta=True)
class _Build(Transformer):
    """One method per grammar rule, each building the AST node of that name."""

    # ---- header and settings ----

    def document(self, meta, children):
        return ast.Document(tuple(children), span=Span(0, 0, 1, 1))

    def ruleset_decl(self, meta, children):
        return ast.RulesetDecl(children[0].value, span=_span(meta))

    def version_decl(self, meta, children):
        return ast.VersionDecl(children[0].value, span=_span(meta))

    def effective_decl(self, meta, children):
        dates = [_date(t) for t in children]
        return ast.EffectiveDecl(dates[0], dates[1] if len(dates) > 1 else None, span=_span(meta))

    def title_decl(self, meta, children):
        return ast.TitleDecl(_string(children[0]), span=_span(meta))

    def source_decl(self, meta, children):
        return ast.SourceDecl(_string(children[0]), span=_span(meta))

    def extends_decl(self, meta, children):
        return ast.ExtendsDecl(children[0].value, children[1].value, span=_span(meta))

    def rounding_decl(self, meta, children):
        step, mode = children
        if Decimal(step.value) <= 0:
            raise _Reject("the rounding step must be above zero", step)
        return ast.RoundingDecl(Decimal(step.value), mode.value, span=_span(meta), step_span=_token_span(step))

    def label(self, meta, children):  # only reached for a lone token
        return children[0]

    def _label(self, child) -> str:
        return _string(child) if child.type == "STRING" else child.value

    def grade_entry(self, meta, children):
        condition = children[1]
        if isinstance(condition, Token):  # otherwise
            condition = None
        return ast.GradeEntry(self._label(children[0]), condition, span=_span(meta))

    def grades_decl(self, meta, children):
        return ast.GradesDecl(tuple(children), span=_span(meta))

    def weight_entry(self, meta, children):
        return ast.WeightEntry(self._label(children[0]), Decimal(children[1].value), span=_span(meta))

    def weights_decl(self, meta, children):
        return ast.WeightsDecl(tuple(children), span=_span(meta))

    def not_applicable_decl(self, meta, children):
        return ast.NotApplicableDecl(children[0].value, span=_span(meta))

    def direction_decl(self, meta, children):
        return ast.DirectionDecl(children[1].value, children[2], span=_span(meta))

    # ---- rules ----

    def position(self, meta, children):
        return ast.Position(children[0].value, children[1].value, span=_span(meta))

    def because(self, meta, children):
        return _string(children[0])

    def rule_decl(self, meta, children):
        name = children[0].value
        rest = children[1:]
        position = rest.pop(0) if rest and isinstance(rest[0], ast.Position) else None
        condition = rest.pop(0)
        if isinstance(condition, Token) and condition.type == "OTHERWISE":
            condition = None
        rest.pop(0)  # SCORE
        score = rest.pop(0)
        because = rest[0] if rest else None
        return ast.RuleDecl(name, condition, score, because, position, span=_span(meta))

    def remove_decl(self, meta, children):
        return ast.RemoveDecl(children[1].value, children[0].value, span=_span(meta))

    def check_decl(self, meta, children):
        sheet = bool(children) and isinstance(children[0], Token) and children[0].type == "SHEET"
        rest = children[1:] if sheet else children
        name, condition, severity, message = rest
        return ast.CheckDecl(name.value, condition, severity.value, _string(message), sheet, span=_span(meta))

    def inside(self, meta, children):
        return _INSIDE

    def sheet_rule_decl(self, meta, children):
        _, name, _, weight, *rest = children
        within = rest[0] is _INSIDE
        _, score, *because = rest[1:] if within else rest
        return ast.SheetRuleDecl(
            name.value, Decimal(weight.value), score, because[0] if because else None, within, span=_span(meta)
        )

    def expect_decl(self, meta, children):
        return ast.ExpectDecl(children[0].value, children[1] if len(children) > 1 else None, span=_span(meta))

    def continuous(self, meta, children):
        subject, variable, *clauses = children
        found = dict(clauses)
        return ast.Continuous(subject, variable, found.get("at", ()), found.get("where"), found.get("within"),
                              span=_span(meta))

    def at(self, meta, children):
        return ("at", tuple(children))

    def within(self, meta, children):
        return ("within", children[0])

    def monotone(self, meta, children):
        where = children[2][1] if len(children) > 2 else None
        return ast.Monotone(children[0], children[1], where, span=_span(meta))

    def where(self, meta, children):
        return ("where", children[0])

    def among(self, meta, children):
        return ("among", children[0])

    # ---- expressions ----

    def number(self, meta, children):
        return _number(children[0])

    def string(self, meta, children):
        return ast.String(_string(children[0]), span=_span(meta))

    def name_ref(self, meta, children):
        return ast.Name(children[0].value, span=_span(meta))

    def kind(self, meta, children):
        return children[0].value if children else "not_applicable"

    def implies(self, meta, children):
        return ast.Implies(children[0], children[1], span=_span(meta))

    def or_expr(self, meta, children):
        return ast.Logical("or", tuple(children), span=_span(meta))

    def and_expr(self, meta, children):
        return ast.Logical("and", tuple(children), span=_span(meta))

    def unary(self, meta, children):
        return ast.Unary(children[0].value, children[1], span=_span(meta))

    def compare(self, meta, children):
        operands = tuple(children[0::2])
        ops = tuple(_canonical_compare(t.value) for t in children[1::2])
        return ast.Compare(operands, ops, span=_span(meta))

    def is_test(self, meta, children):
        negated = any(isinstance(c, Token) and c.type == "NOT" for c in children)
        return ast.IsTest(children[0], children[-1], negated, span=_span(meta))

    def in_test(self, meta, children):
        negated = any(isinstance(c, Token) and c.type == "NOT" for c in children)
        return ast.InTest(children[0], children[-1], negated, span=_span(meta))

    def contains(self, meta, children):
        return ast.Contains(children[0], children[1], span=_span(meta))

    def _fold(self, meta, children):
        # Left-associative chain: a - b - c is (a - b) - c.
        result = children[0]
        for op, right in zip(children[1::2], children[2::2]):
            span = Span(result.span.start, right.span.end, result.span.line, result.span.column)
            result = ast.Binary(_canonical_arith(op.value), result, right, span=span)
        return result

    sum = product = _fold

    def call(self, meta, children):
        args = tuple(c for c in children[1:] if c is not None)
        return ast.Call(children[0].value, args, span=_span(meta))

    def aggregate(self, meta, children):
        function, value, *clauses = children
        found = dict(clauses)
        return ast.Aggregate(function.value, value, found.get("where"), found.get("among"), span=_span(meta))

    def list(self, meta, children):
        return ast.ListExpr(tuple(c for c in children if c is not None), span=_span(meta))

    def discretion(self, meta, children):
        return ast.Discretion(*children, span=_span(meta))

    def if_expr(self, meta, children):
        return ast.IfExpr(*children, span=_span(meta))

    def tier(self, meta, children):
        return ast.Tier(_canonical_compare(children[0].value), children[1], children[2], span=_span(meta))

    def tiers(self, meta, children):
        subject, *tiers, otherwise = children
        return ast.Tiers(subject, tuple(tiers), otherwise, span=_span(meta))

    def words(self, meta, children):
        return tuple(_string(t) for t in children)

    def band_entry(self, meta, children):
        label, low, high, default, *words = children
        return ast.BandEntry(self._label(label), low, high, default, words[0] if words else (), span=_span(meta))

    def band(self, meta, children):
        return ast.Band(tuple(children), span=_span(meta))


_COMPARE = {"=": "==", "≥": ">=", "≤": "<=", "≠": "!="}
_ARITH = {"×": "*", "÷": "/"}


def _canonical_compare(op: str) -> str:
    return _COMPARE.get(op, op)


def _canonical_arith(op: str) -> str:
    return _ARITH.get(op, op)


def _describe(expected) -> str:
    words, operators, items = [], False, False
    for name in sorted(expected):
        text = _terminal_text(name)
        if name in _OPERATOR_TERMINALS or text in _OPERATOR_WORDS:
            operators = True
        elif text in _NAME_WORDS and "NAME" in expected:
            continue  # a name: said once, as "a name"
        elif text in _ITEM_WORDS:
            items = True
        elif name in _DESCRIPTIONS:
            words.append(_DESCRIPTIONS[name])
        elif text is not None:
            words.append(f"'{text}'")
    words = (["an operator"] if operators else []) + (["the next item (rule, check, expect …)"] if items else []) + words
    words = list(dict.fromkeys(words))
    if not words:
        return "something else"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


@lru_cache(maxsize=None)
def _terminal_text(name: str) -> str | None:
    """The text of a keyword or punctuation terminal (None for patterns)."""
    for terminal in _parser().terminals:
        if terminal.name == name and terminal.pattern.type == "str":
            return terminal.pattern.value
    return None


def _syntax_error(error: UnexpectedInput, text: str, path: str | None) -> RulesetSyntaxError:
    if isinstance(error, UnexpectedToken) and error.token.type != "$END":
        start, end = error.token.start_pos, error.token.end_pos
        found = f"'{error.token.value}'"
    elif isinstance(error, UnexpectedToken) or not hasattr(error, "pos_in_stream"):
        start = end = len(text.rstrip())
        found = "end of the file"
    else:
        start = error.pos_in_stream
        assert start is not None  # the lexer says where it stopped
        end = start + 1
        found = f"'{text[start]}'"
        if text[start] in '"“':
            message = "this string has no closing quote on its line"
            return RulesetSyntaxError(message, source=text, span=Span.of(text, start, end), path=path)
    parser = getattr(error, "interactive_parser", None)
    expected = set(parser.accepts()) if parser is not None else set(getattr(error, "expected", ()) or ())
    message = f"unexpected {found}; expected {_describe(expected)}"
    keyword = _keyword_before(text, start)
    if keyword is not None:
        # "weight *" then "rule b": the keyword was read as a name.
        start, end = keyword
        message = f"'{text[start:end]}' starts a new item, but the expression before it is not finished"
    return RulesetSyntaxError(message, source=text, span=Span.of(text, start, end), path=path)


def _keyword_before(text: str, position: int) -> tuple[int, int] | None:
    """Where an item keyword stands just before ``position`` (it was taken
    for a name because the expression before it was unfinished)."""
    before = text[:position].rstrip()
    match = re.search(r"(?:^|\s)(rule|check|expect|sheet|remove|direction)$", before)
    if match is None:
        return None
    word_start = match.start(1)
    prefix = text[:word_start].rstrip()
    if prefix.endswith(("+", "-", "*", "/", "×", "÷", "(", ",", "and", "or", "not", "<", ">", "=")):
        return word_start, match.end(1)
    return None


# Levels above an expression in the parse tree: document, item, clause.
_ITEM_LEVELS = 4


def _too_deep(text: str, path: str | None, start: int) -> RulesetSyntaxError:
    return RulesetSyntaxError(
        f"expression nested more than {MAX_DEPTH} levels deep (each operator, call or condition inside "
        f"another is a level; a chain of {MAX_DEPTH} operators is as deep); split it up",
        source=text,
        span=Span.of(text, start, start + 1),
        path=path,
    )


def _check_tree_depth(tree: Tree, text: str, path: str | None) -> None:
    """Refuse parse trees nested deeper than MAX_DEPTH before anything
    recurses over them (a walk with an explicit stack cannot overflow)."""
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH + _ITEM_LEVELS:
            raise _too_deep(text, path, node.meta.start_pos if not node.meta.empty else 0)
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tree))


def _check_ast_depth(document: ast.Document, text: str, path: str | None) -> None:
    """The same for our tree, where a flat chain (a + b + c …) folds into a
    deep one that the checker, compiler and formatter recurse over."""
    stack = [(item, 0) for item in document.items]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH + _ITEM_LEVELS:
            raise _too_deep(text, path, node.span.start if node.span is not None else 0)
        stack.extend((child, depth + 1) for child in node.children())


def parse_document(text: str, *, path: str | None = None) -> ast.Document:
    """Parse a ruleset's text into its syntax tree.

    >>> doc = parse_document('ruleset demo version 1 rule all otherwise score weight')
    >>> [type(item).__name__ for item in doc.items]
    ['RulesetDecl', 'VersionDecl', 'RuleDecl']
    """
    if len(text) > MAX_SIZE:
        raise RulesetSyntaxError(
            f"a ruleset may hold at most {MAX_SIZE} characters; this one has {len(text)}",
            span=Span.of(text, MAX_SIZE, MAX_SIZE + 1),
            path=path,
        )
    comments: list[ast.Comment] = []
    _comments.found = comments
    # Errors are raised outside the handlers, so Lark's exception does not
    # ride along as their context (it would not pickle back from a worker).
    failure = None
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as error:
        failure = _syntax_error(error, text, path)
    finally:
        _comments.found = []
    if failure is not None:
        raise failure
    _check_tree_depth(tree, text, path)
    try:
        document = _Build().transform(tree)
    except VisitError as error:
        if not isinstance(error.orig_exc, _Reject):
            raise
        failure = RulesetSyntaxError(error.orig_exc.message, source=text, span=_token_span(error.orig_exc.token),
                                     path=path)
    if failure is not None:
        raise failure
    _check_ast_depth(document, text, path)
    return ast.Document(document.items, tuple(comments), span=document.span)


def is_plain_name(text: str) -> bool:
    """Whether ``text`` can be written without quotes as a label."""
    return bool(_NAME.match(text)) and text not in KEYWORDS
