"""Check stage: a parsed ruleset → a resolved, checked :class:`Model`.

Resolves ``extends``, then checks every name, type and rule order before
anything runs.  All problems in a file are reported together (up to
:data:`MAX_PROBLEMS`) as a :class:`~perfrules.errors.RulesetCheckError`;
warnings (unreachable rules, no ``otherwise``) are kept on the model.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Callable

import attrs

from ..errors import PerfrulesError, RulesetCheckError, RulesetError
from ..numbers import exponent
from . import ast
from .parse import parse_document
from ..cells.quantity import shift_decimal
from .types import (
    BOOL,
    KIND_WORDS,
    MAX_NUMBER_DIGITS,
    MAX_PROBLEMS,
    MAX_ROUNDING_PLACES,
    NUM,
    RANGE,
    ROW_NAMES,
    SCOPES,
    Problems,
    Typer,
    suggest,
)

__all__ = [
    "Model", "check_document", "resolved_document", "MAX_PROBLEMS", "MAX_ROUNDING_PLACES", "MAX_NUMBER_DIGITS",
    "KIND_WORDS", "ROW_NAMES", "BUILTIN_PROPERTIES", "DRIVEN",
]

@attrs.frozen
class Model:
    """A ruleset after ``extends`` is resolved and every check passed: what
    the compiler takes."""

    name: str
    version: str
    effective: dt.date | None
    until: dt.date | None
    title: str | None
    source: str | None
    extends: tuple[str, str] | None
    rounding: tuple[Decimal, str]
    grades: tuple[ast.GradeEntry, ...]
    weights: tuple[ast.WeightEntry, ...]
    not_applicable: str
    directions: tuple[ast.DirectionDecl, ...]
    rules: tuple[ast.RuleDecl, ...]
    checks: tuple[ast.CheckDecl, ...]
    sheet_rules: tuple[ast.SheetRuleDecl, ...]
    expects: tuple[ast.ExpectDecl, ...]
    warnings: tuple[RulesetError, ...] = ()
    lineage: tuple[str, ...] = ()  # NAME@VERSION of this ruleset and its parents


#: ``resolve(name, version)`` → ``(text, path)`` of the ruleset, or None.
Resolver = Callable[[str, str], "tuple[str, str | None] | None"]


_DIRECTIONS = ("higher", "lower", "exact")


def _conjuncts(expr: ast.Expr | None) -> list[ast.Expr]:
    if expr is None:
        return []
    if isinstance(expr, ast.Logical) and expr.op == "and":
        return [c for operand in expr.operands for c in _conjuncts(operand)]
    return [expr]


def _header(document: ast.Document, problems: Problems) -> dict:
    found: dict[type, ast.Node] = {}
    for item in document.items:
        if isinstance(item, (ast.RulesetDecl, ast.VersionDecl, ast.EffectiveDecl, ast.TitleDecl, ast.SourceDecl,
                             ast.ExtendsDecl, ast.RoundingDecl, ast.GradesDecl, ast.WeightsDecl,
                             ast.NotApplicableDecl)):
            if type(item) in found:
                problems.error(f"'{_keyword(item)}' is given twice", item)
            found[type(item)] = item
    for required in (ast.RulesetDecl, ast.VersionDecl):
        if required not in found:
            word = "ruleset NAME" if required is ast.RulesetDecl else "version VERSION"
            problems.error(f"a ruleset must start with '{word}'", document.items[0] if document.items else None)
    effective = found.get(ast.EffectiveDecl)
    if isinstance(effective, ast.EffectiveDecl) and effective.until is not None and effective.until < effective.start:
        problems.error("'until' is before 'effective'", effective)
    return found


def _keyword(item: ast.Node) -> str:
    return {
        ast.RulesetDecl: "ruleset", ast.VersionDecl: "version", ast.EffectiveDecl: "effective",
        ast.TitleDecl: "title", ast.SourceDecl: "source", ast.ExtendsDecl: "extends",
        ast.RoundingDecl: "rounding", ast.GradesDecl: "grades", ast.WeightsDecl: "weights",
        ast.NotApplicableDecl: "not_applicable",
    }[type(item)]


def _merge_named(parent, child, removed=()):
    """Child items replace the parent's of the same name, in place; new ones
    are added at the end; ``removed`` ones are dropped."""
    gone = {item.name for item in removed}
    merged = [item for item in parent if item.name not in gone]
    for item in child:
        names = [m.name for m in merged]
        if item.name in names:
            merged[names.index(item.name)] = item
        else:
            merged.append(item)
    return merged


def _merge_rules(parent_rules, document: ast.Document, problems: Problems):
    rules = list(parent_rules)
    own: dict[str, ast.RuleDecl] = {}
    for item in document.items:
        names = [r.name for r in rules]
        if isinstance(item, ast.RuleDecl):
            if item.name in own:
                first = own[item.name].span
                where = f" (first at line {first.line})" if first is not None else ""
                problems.error(f"rule '{item.name}' is defined twice{where}", item)
                continue
            own[item.name] = item
        if isinstance(item, ast.RemoveDecl) and item.what == "rule":
            if not parent_rules:
                continue  # reported once: this ruleset extends none
            if item.name not in names:
                problems.error(f"there is no rule '{item.name}' to remove{suggest(item.name, names)}", item)
            else:
                del rules[names.index(item.name)]
            continue
        if not isinstance(item, ast.RuleDecl):
            continue
        position = item.position
        if position is None:
            if item.name in names:  # replace in place
                rules[names.index(item.name)] = item
                continue
            # A new rule goes before the first 'otherwise', where it can fire.
            fallbacks = [i for i, r in enumerate(rules) if r.condition is None]
            rules.insert(fallbacks[0] if fallbacks and parent_rules else len(rules), item)
            continue
        if item.name in names:
            del rules[names.index(item.name)]
            names = [r.name for r in rules]
        if position.anchor not in names:
            problems.error(f"there is no rule '{position.anchor}' to put this rule {position.where}"
                           f"{suggest(position.anchor, names)}", position)
            rules.append(item)
            continue
        index = names.index(position.anchor) + (1 if position.where == "after" else 0)
        rules.insert(index, item)
    return rules


def _duplicates(document: ast.Document, problems: Problems) -> None:
    """Checks, sheet rules and expects are replaced by name in a child; in
    one file a name given twice is a mistake (rules: see _merge_rules)."""
    for kind, word in ((ast.CheckDecl, "check"), (ast.SheetRuleDecl, "sheet rule"), (ast.ExpectDecl, "expect")):
        seen: set[str] = set()
        for item in document.items:
            if isinstance(item, kind):
                if item.name in seen:
                    problems.error(f"{word} '{item.name}' is defined twice", item)
                seen.add(item.name)


def _rule_order(rules, problems: Problems) -> None:
    for index, rule in enumerate(rules):
        for earlier in rules[:index]:
            if earlier.condition is None:
                problems.warn(
                    f"rule '{rule.name}' can never fire: '{earlier.name}' (otherwise) before it takes every row", rule
                )
                break
            mine = _conjuncts(rule.condition)
            if all(c in mine for c in _conjuncts(earlier.condition)):
                problems.warn(
                    f"rule '{rule.name}' can never fire: '{earlier.name}' before it matches every row it would", rule
                )
                break
    if rules and all(rule.condition is not None for rule in rules):
        problems.warn("no 'otherwise' rule: a row that no rule matches is unscorable", rules[-1])


def _check_expressions(document: ast.Document, problems: Problems) -> None:
    """Type-check the expressions this file wrote (a parent's were checked
    when it was)."""

    def typer(scope):
        return Typer(problems, SCOPES[scope], sheet=scope in ("sheet", "sheet_check"))

    for item in document.items:
        if isinstance(item, ast.RuleDecl):
            if item.condition is not None:
                typer("rule").expect(item.condition, (BOOL,), "a rule's 'when'")
            typer("rule").expect(item.score, (NUM, RANGE), "a rule's score")
        elif isinstance(item, ast.DirectionDecl):
            if item.direction not in _DIRECTIONS:
                problems.error(f"direction must be one of {', '.join(_DIRECTIONS)}"
                               f"{suggest(item.direction, _DIRECTIONS)}", item)
            typer("direction").expect(item.condition, (BOOL,), "a direction's 'when'")
        elif isinstance(item, ast.GradesDecl):
            for index, entry in enumerate(item.entries):
                if entry.condition is None:
                    for later in item.entries[index + 1 :]:
                        problems.warn(f"grade '{later.label}' can never be given: '{entry.label}' is otherwise", later)
                    break
                typer("grade").expect(entry.condition, (BOOL,), "a grade's condition")
        elif isinstance(item, ast.CheckDecl):
            typer("sheet_check" if item.sheet else "check").expect(item.condition, (BOOL,), "a check's 'when'")
        elif isinstance(item, ast.SheetRuleDecl):
            typer("sheet").expect(item.score, (NUM, RANGE), "a sheet rule's score")
        elif isinstance(item, ast.ExpectDecl):
            _check_expect(item, typer("expect"), problems)
        elif isinstance(item, ast.WeightsDecl):
            labels = [e.label for e in item.entries]
            for weight in item.entries:
                if labels.count(weight.label) > 1:
                    problems.error(f"weight '{weight.label}' is given twice", weight)


def _digits(value: Decimal) -> tuple[int, int]:
    """How many digits ``value`` is written with before and after its point."""
    power = exponent(value)
    return max(0, len(value.as_tuple().digits) + power), max(0, -power)


def _numbers(node):
    """Every :class:`~.ast.Number` in ``node``, depth first."""
    return (n for n in ast.walk(node) if isinstance(n, ast.Number))


def _limits(document: ast.Document, problems: Problems) -> None:
    """Numbers the evaluator could not compute with on every row: a
    rounding step finer than :data:`MAX_ROUNDING_PLACES` places, a number
    longer than :data:`MAX_NUMBER_DIGITS` digits either side of its point."""

    def number(value: Decimal, node, written: str = "a number") -> None:
        before, after = _digits(value)
        for count, side in ((before, "before"), (after, "after")):
            if count > MAX_NUMBER_DIGITS:
                problems.error(f"{written} may have at most {MAX_NUMBER_DIGITS} digits {side} its decimal point; "
                               f"this one has {count}", node)

    for item in document.items:
        if isinstance(item, ast.RoundingDecl):
            where = item.step_span or item
            places = _digits(item.step)[1]
            if places > MAX_ROUNDING_PLACES:
                finest = format(Decimal(1).scaleb(-MAX_ROUNDING_PLACES), "f")
                problems.error(f"the rounding step may have at most {MAX_ROUNDING_PLACES} decimal places "
                               f"({finest}); this one has {places}", where)
            else:
                number(item.step, where, "the rounding step")
        elif isinstance(item, ast.WeightsDecl):
            for entry in item.entries:
                number(entry.value, entry, "a weight")
        elif isinstance(item, ast.SheetRuleDecl):
            number(item.weight, item, "a weight")
        for found in _numbers(item):
            # As written: 0.5% is 0.005, but its author wrote 0.5.
            places = {"%": 2, "‰": 3}.get(found.unit, 0)
            number(shift_decimal(found.value, places), found)


#: Properties ``expect NAME`` can name without stating them.
BUILTIN_PROPERTIES = {
    "bounded": "every indicator row scores between 0 and its weight",
    "full_at_target": "a higher-is-better or exact row whose actual equals its target scores its weight",
    "rising": "for higher-is-better rows up to the target, more actual never scores less",
    "falling": "for lower-is-better rows from the target up, more actual never scores more",
    "covered": "every kind of target (comparison, value, range, deadline, qualitative) meets a rule "
               "other than 'otherwise'",
    "standard": "bounded, full_at_target, rising and falling",
}
#: The row values a property can vary, and how: through the actual.
DRIVEN = ("actual", "completion", "deviation", "overrun")


def _check_expect(item: ast.ExpectDecl, typer: Typer, problems: Problems) -> None:
    prop = item.prop
    if prop is None:
        if item.name not in BUILTIN_PROPERTIES:
            problems.error(
                f"no built-in property '{item.name}'{suggest(item.name, BUILTIN_PROPERTIES)} "
                f"(built-in: {', '.join(BUILTIN_PROPERTIES)}); state your own as expect {item.name}: …",
                item,
            )
        return
    if not isinstance(prop, (ast.Monotone, ast.Continuous)):
        typer.expect(prop, (BOOL,), "an expectation")
        return
    word = "monotone" if isinstance(prop, ast.Monotone) else "continuous"
    if prop.subject.name != "score":
        problems.error(f"{word} describes the score: {word} score in actual", prop.subject)
    variable = prop.variable.name
    if variable not in DRIVEN:
        problems.error(f"{word} varies one of {', '.join(DRIVEN)}, not '{variable}'{suggest(variable, DRIVEN)}",
                       prop.variable)
    if prop.where is not None:
        typer.expect(prop.where, (BOOL,), "a where clause")
    if isinstance(prop, ast.Continuous):
        for value in prop.at + ((prop.within,) if prop.within is not None else ()):
            if not isinstance(value, ast.Number):
                problems.error("'at' and 'within' take numbers written out (20%, 0.1)", value)


def check_document(
    document: ast.Document,
    *,
    source: str,
    path: str | None = None,
    resolve: Resolver | None = None,
    _chain: tuple[str, ...] = (),
) -> Model:
    """Resolve ``extends`` and check ``document``; raise
    :class:`~perfrules.errors.RulesetCheckError` listing every problem."""
    problems = Problems(source, path)
    header = _header(document, problems)
    name = header[ast.RulesetDecl].name if ast.RulesetDecl in header else "?"
    version = header[ast.VersionDecl].version if ast.VersionDecl in header else "?"
    identity = f"{name}@{version}"

    parent: Model | None = None
    extends = header.get(ast.ExtendsDecl)
    if extends is not None:
        parent = _load_parent(extends, identity, _chain, resolve, problems)

    rules = _merge_rules(parent.rules if parent else (), document, problems)
    for item in document.items:
        if not isinstance(item, ast.RemoveDecl):
            continue
        if extends is None:
            problems.error(f"'remove' changes a parent's {item.what}s: this ruleset extends none", item)
        elif parent is not None and item.what != "rule":
            names = [p.name for p in (parent.checks if item.what == "check" else parent.expects)]
            if item.name not in names:
                problems.error(f"there is no {item.what} '{item.name}' to remove{suggest(item.name, names)}",
                               item)
    _check_expressions(document, problems)
    _limits(document, problems)
    _duplicates(document, problems)
    _rule_order(rules, problems)
    if problems.errors:
        raise RulesetCheckError(sorted(problems.errors, key=lambda e: e.span.start), path=path)
    return _model(name, version, header, document, rules, parent or _DEFAULTS, problems.warnings)


#: What a ruleset that extends none inherits: no rules, the usual settings.
_DEFAULTS = Model(
    name="", version="", effective=None, until=None, title=None, source=None, extends=None,
    rounding=(Decimal("0.01"), "half-up"), grades=(), weights=(), not_applicable="rescale",
    directions=(), rules=(), checks=(), sheet_rules=(), expects=(),
)


def _model(name, version, header, document, rules, parent: Model, warnings) -> Model:
    """The model of a checked file: its own header and settings where it
    gives them, its parent's otherwise; named items merged by name."""

    def own(kind):
        return [item for item in document.items if isinstance(item, kind)]

    def removed(what):
        return [item for item in own(ast.RemoveDecl) if item.what == what]

    effective = header.get(ast.EffectiveDecl)
    extends = header.get(ast.ExtendsDecl)
    title, source = header.get(ast.TitleDecl), header.get(ast.SourceDecl)
    rounding, grades = header.get(ast.RoundingDecl), header.get(ast.GradesDecl)
    weights, na = header.get(ast.WeightsDecl), header.get(ast.NotApplicableDecl)
    return Model(
        name=name,
        version=version,
        effective=effective.start if effective else None,
        until=effective.until if effective else None,
        title=title.text if title else parent.title,
        source=source.text if source else parent.source,
        extends=(extends.name, extends.version) if extends else None,
        rounding=(rounding.step, rounding.mode) if rounding else parent.rounding,
        grades=grades.entries if grades else parent.grades,
        weights=weights.entries if weights else parent.weights,
        not_applicable=na.mode if na else parent.not_applicable,
        # The child's directions are tried first, then the parent's.
        directions=tuple(own(ast.DirectionDecl)) + parent.directions,
        rules=tuple(rules),
        checks=tuple(_merge_named(parent.checks, own(ast.CheckDecl), removed("check"))),
        sheet_rules=tuple(_merge_named(parent.sheet_rules, own(ast.SheetRuleDecl))),
        expects=tuple(_merge_named(parent.expects, own(ast.ExpectDecl), removed("expect"))),
        warnings=tuple(warnings),
        lineage=(f"{name}@{version}",) + parent.lineage,
    )




def _load_parent(extends, identity, chain, resolve, problems) -> Model | None:
    wanted = f"{extends.name}@{extends.version}"
    if wanted in chain + (identity,):
        cycle = " -> ".join(chain + (identity, wanted))
        problems.error(f"extends makes a cycle: {cycle}", extends)
        return None
    found = resolve(extends.name, extends.version) if resolve else None
    if found is None:
        # A resolver may say where it looked (``resolve.searched(name, version)``).
        searched = getattr(resolve, "searched", None)
        where = f"; looked for {searched(extends.name, extends.version)}" if searched else ""
        problems.error(f"cannot find ruleset {wanted} to extend{where}", extends)
        return None
    text, parent_path = found
    try:
        document = parse_document(text, path=parent_path)
        return check_document(document, source=text, path=parent_path, resolve=resolve, _chain=chain + (identity,))
    except RulesetCheckError as error:
        cycles = [p for p in error.problems if "makes a cycle" in p.message]
        if cycles:
            problems.error(cycles[0].message, extends)
        else:
            problems.error(f"the ruleset it extends, {wanted}, has problems:\n{error}", extends)
    except PerfrulesError as error:
        problems.error(f"the ruleset it extends, {wanted}, has problems:\n{error}", extends)
    return None


def resolved_document(model: Model) -> ast.Document:
    """The ruleset as one file with ``extends`` applied: what the rules
    really are, and the text a ruleset's identity hash is taken of."""
    items: list[ast.Node] = [ast.RulesetDecl(model.name), ast.VersionDecl(model.version)]
    if model.effective is not None:
        items.append(ast.EffectiveDecl(model.effective, model.until))
    if model.title is not None:
        items.append(ast.TitleDecl(model.title))
    if model.source is not None:
        items.append(ast.SourceDecl(model.source))
    items.append(ast.RoundingDecl(*model.rounding))
    if model.grades:
        items.append(ast.GradesDecl(model.grades))
    if model.weights:
        items.append(ast.WeightsDecl(model.weights))
    items.append(ast.NotApplicableDecl(model.not_applicable))
    items += model.directions
    items += [attrs.evolve(rule, position=None) for rule in model.rules]
    items += model.checks + model.sheet_rules + model.expects
    return ast.Document(tuple(items))
