"""Running a ruleset's ``expect`` properties with Hypothesis.

:func:`run_properties` tests each property the ruleset declares against
generated rows restricted to the region it names, and reports for each
either the number of examples it held for or the smallest counterexample
Hypothesis found, written as a table row a person recognises.  A coverage
summary says which rules fired and which edges were exercised.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

import attrs
from hypothesis import HealthCheck, Verbosity, assume, given, seed as hypothesis_seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from ..dsl import ast
from ..dsl.check import BUILTIN_PROPERTIES
from ..dsl.compile import compile_expr
from ..dsl.runtime import show
from ..results import RowResult
from ..records import Row
from ..ruleset import Ruleset
from ..cells.quantity import Quantity
from ..cells.values import ActualQuantity, BareValue, Comparison
from . import strategies

__all__ = ["Counterexample", "PropertyResult", "Report", "run_properties", "describe_row", "edges_of"]

_DELTA = Decimal("0.0001")
_STANDARD = ("bounded", "full_at_target", "rising", "falling")
_KINDS = ("comparison", "value", "range", "deadline", "qualitative")


@attrs.frozen
class Counterexample:
    """Rows for which a property does not hold, and how they scored."""

    message: str
    rows: tuple[Row, ...]
    results: tuple[RowResult, ...]

    def describe(self) -> str:
        """The message, then each row with its score and trace."""
        lines = [self.message]
        for row, result in zip(self.rows, self.results):
            lines.append(f"  {describe_row(row, result)}")
            lines += [f"      {step}" for step in result.trace]
        return "\n".join(lines)


@attrs.frozen
class PropertyResult:
    """One ``expect`` property: whether it ``passed`` on the ``examples``
    tried, the smallest ``counterexample`` when it did not, and a ``note``
    (a property that could not be tried on any row …)."""

    name: str
    description: str
    passed: bool
    examples: int
    counterexample: Counterexample | None = None
    note: str | None = None


@attrs.frozen
class Report:
    """What :func:`run_properties` found: one result per property, the
    rules that fired (and never fired) and the edges exercised."""

    ruleset: str
    properties: tuple[PropertyResult, ...]
    fired: dict
    never_fired: tuple[str, ...]
    edges: tuple[tuple[Decimal, bool], ...]

    @property
    def passed(self) -> bool:
        """Whether every property held."""
        return all(p.passed for p in self.properties)

    def text(self) -> str:
        """The report as ``perfrules check`` prints it."""
        count = len(self.properties)
        lines = [f"{self.ruleset}: {count} {'property' if count == 1 else 'properties'}"]
        for p in self.properties:
            status = "ok  " if p.passed else "FAIL"
            lines.append(f"  {status} {p.name}: {p.description} ({_plural(p.examples, 'example')})")
            if p.note:
                lines.append(f"       note: {p.note}")
            if p.counterexample is not None:
                lines += ["       " + line for line in p.counterexample.describe().splitlines()]
        fired = ", ".join(f"{name} {count}" for name, count in self.fired.items())
        lines.append(f"  rules fired: {fired or 'none'}")
        if self.never_fired:
            lines.append(f"  rules that never fired: {', '.join(self.never_fired)}")
        if self.edges:
            shown = ", ".join(f"{_percent(e)} ({'exercised' if hit else 'NOT exercised'})" for e, hit in self.edges)
            lines.append(f"  completion edges: {shown}")
        return "\n".join(lines)

    def to_json(self) -> dict:
        """The report as a JSON-ready dict (the ``properties`` of
        ``perfrules check --json``)."""
        return {
            "ruleset": self.ruleset,
            "passed": self.passed,
            "properties": [
                {"name": p.name, "description": p.description, "passed": p.passed, "examples": p.examples,
                 "note": p.note,
                 "counterexample": None if p.counterexample is None else {
                     "message": p.counterexample.message,
                     "rows": [describe_row(r, res) for r, res in zip(p.counterexample.rows,
                                                                      p.counterexample.results)],
                     "trace": [[str(s) for s in res.trace] for res in p.counterexample.results],
                 }}
                for p in self.properties
            ],
            "fired": self.fired,
            "never_fired": list(self.never_fired),
            "edges": [{"completion": str(e), "exercised": hit} for e, hit in self.edges],
        }


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _percent(value: Decimal) -> str:
    return f"{show((value * 100).normalize())}%"


def describe_row(row: Row, result: RowResult | None = None) -> str:
    """A row as a person reads it: ``target ≥300项, actual 0项, weight 1 → score 1.20``."""
    if row.kind == "budget_execution":
        text = f"budget {show(row.budget)}, spent {show(row.spent)}, weight {show(row.weight)}"
    else:
        target = row.target.text if row.target.text is not None else str(row.target)
        actual = row.actual.text if row.actual.text is not None else str(row.actual)
        text = f"target {target or '(empty)'}, actual {actual or '(empty)'}, weight {show(row.weight)}"
        if row.level1 or row.name:
            text += f" [{row.level1}/{row.level2}/{row.name}]"
    if result is not None:
        if result.score is not None:
            text += f" → score {result.score}"
            if result.low != result.high:
                text += f" (allowed {result.low} .. {result.high})"
        else:
            text += f" → {result.status}" + (f": {result.reason}" if result.reason else "")
    return text


class _Failure(Exception):
    def __init__(self, counterexample: Counterexample) -> None:
        super().__init__(counterexample.message)
        self.counterexample = counterexample


def _traced(ruleset, counterexample: Counterexample) -> Counterexample:
    """The counterexample with the traces its rows' results were scored without."""
    results = tuple(ruleset.evaluate(row) for row in counterexample.rows)
    return attrs.evolve(counterexample, results=results)


def edges_of(model) -> list[Decimal]:
    """The completions (actual ÷ target) at which the rules change: 100%
    and every literal that completion, deviation or overrun is compared
    with or divided into tiers by."""
    found = {Decimal(1)}
    shift = {"completion": Decimal(0), "deviation": Decimal(1), "overrun": Decimal(1)}

    for node in (n for rule in model.rules for n in ast.walk(rule)):
        if isinstance(node, ast.Compare):
            for left, right in zip(node.operands, node.operands[1:]):
                for name, number in ((left, right), (right, left)):
                    if isinstance(name, ast.Name) and name.name in shift and isinstance(number, ast.Number):
                        found.add(number.value + shift[name.name])
        if isinstance(node, ast.Tiers) and isinstance(node.subject, ast.Name) and node.subject.name in shift:
            for tier in node.tiers:
                if isinstance(tier.bound, ast.Number):
                    found.add(tier.bound.value + shift[node.subject.name])
    return sorted(e for e in found if e >= 0)


class _Runner:
    def __init__(self, ruleset: Ruleset, *, max_examples: int, seed: int | None, database, verbose: bool) -> None:
        self.ruleset = ruleset
        self.edges = edges_of(ruleset.model)
        self.fired: dict[str, int] = {rule.name: 0 for rule in ruleset.model.rules}
        self.completions: list[Decimal] = []
        self.settings = settings(
            max_examples=max_examples,
            database=database,
            deadline=None,
            derandomize=seed is None and database is None,
            suppress_health_check=list(HealthCheck),
            verbosity=Verbosity.normal if verbose else Verbosity.quiet,
            print_blob=False,
        )
        self.seed = seed

    # ---- evaluation with bookkeeping ----

    def score(self, row: Row) -> RowResult:
        result = self.ruleset.evaluate(row, trace=False)  # a counterexample is traced again
        if result.rule in self.fired:
            self.fired[result.rule] += 1
        if isinstance(row.target, (Comparison, BareValue)) and row.target.quantity.value:
            completion = self.ruleset.value(row, "completion")
            if completion is not None:
                self.completions.append(completion)
        return result

    def run(self, strategy, check: Callable) -> tuple[int, Counterexample | None, str | None]:
        """Run ``check`` on examples of ``strategy``: the number that were in
        the region, and the shrunk counterexample if any."""
        count = [0]

        def test(example):
            # False: outside the property's region (or its premise false).
            # assume() lets Hypothesis steer toward examples that count.
            assume(check(example) is not False)
            count[0] += 1

        run = given(strategy)(test)
        run = self.settings(run)
        if self.seed is not None:
            run = hypothesis_seed(self.seed)(run)
        try:
            run()
        except _Failure as failure:
            return count[0], _traced(self.ruleset, failure.counterexample), None
        except Unsatisfiable:
            return count[0], None, "no generated row fell in the property's region"
        note = None if count[0] else "no generated row fell in the property's region"
        return count[0], None, note

    # ---- properties ----

    def where(self, condition: ast.Expr | None):
        test = self.ruleset.condition(condition) if condition is not None else None

        def holds(row: Row, score: Decimal | None = None) -> bool:
            return test is None or test(row, score) is True

        return holds

    def stated(self, name: str, expr: ast.Expr) -> PropertyResult:
        compiled = self.ruleset.condition(expr)
        # An implication holds trivially where its premise is false: such
        # rows do not count as examples.
        premise = self.ruleset.condition(expr.left) if isinstance(expr, ast.Implies) else None

        def check(row):
            result = self.score(row)
            if result.status in ("unscorable", "not_applicable"):
                return False
            if premise is not None and premise(row, result.score) is not True:
                return False
            ok = compiled(row, result.score)
            if ok is None:
                return False
            if not ok:
                raise _Failure(Counterexample(f"{name} does not hold for:", (row,), (result,)))
            return True

        # Rows of every kind, numeric rows across the completion spread
        # (where most rules differ), rows exactly at their target, and the
        # budget row.
        strategy = st.one_of(
            strategies.rows(edges=self.edges),
            strategies.rows(strategies.targets(("comparison", "value")), edges=self.edges),
            strategies.rows(strategies.targets(("comparison", "value")), completion=Decimal(1)),
            strategies.budget_rows(),
        )
        return self._result(name, _format_prop(expr), strategy, check)

    def bounded(self) -> PropertyResult:
        def check(row):
            result = self.score(row)
            if result.score is None or row.weight is None or row.kind != "indicator":
                return False
            assert result.low is not None and result.high is not None  # a row with a score has its range
            if not (0 <= result.low and result.high <= row.weight):
                raise _Failure(Counterexample("the score leaves 0 .. weight:", (row,), (result,)))
            return True

        return self._result("bounded", BUILTIN_PROPERTIES["bounded"],
                            strategies.rows(edges=self.edges) | strategies.budget_rows(), check)

    def full_at_target(self) -> PropertyResult:
        def check(row):
            if self.ruleset.value(row, "direction") not in ("higher", "exact"):
                return False
            result = self.score(row)
            if result.score is None:
                return False
            if result.score != row.weight:
                raise _Failure(Counterexample("at its target the row does not score its weight:", (row,), (result,)))
            return True

        strategy = strategies.rows(strategies.targets(("comparison", "value")), completion=Decimal(1))
        return self._result("full_at_target", BUILTIN_PROPERTIES["full_at_target"], strategy, check)

    def monotone(self, name: str, description: str, *, falling: bool, direction: str | None,
                 region: Callable, span: tuple[Decimal, Decimal] | None) -> PropertyResult:
        low, high = span or (Decimal(0), Decimal("2.5"))
        comp = st.decimals(min_value=low, max_value=high, places=4)
        strategy = st.tuples(
            strategies.rows(strategies.targets(("comparison", "value")), edges=self.edges),
            comp | st.sampled_from([e for e in self.edges if low <= e <= high] or [low]), comp,
        )

        def check(example):
            base, a, b = example
            if a == b or not isinstance(base.target, (Comparison, BareValue)):
                return False
            a, b = min(a, b), max(a, b)
            first, second = (attrs.evolve(base, actual=_actual(base, c)) for c in (a, b))
            if direction is not None:
                if self.ruleset.value(base, "direction") != direction:
                    return False
            if not (region(first) and region(second)):
                return False
            r1, r2 = self.score(first), self.score(second)
            if r1.score is None or r2.score is None:
                return False
            worse = r2.score > r1.score if falling else r2.score < r1.score
            if worse:
                word = "more actual scores more" if falling else "more actual scores less"
                raise _Failure(Counterexample(f"{name}: {word}:", (first, second), (r1, r2)))
            return True

        return self._result(name, description, strategy, check)

    def continuous(self, name: str, prop: ast.Continuous) -> PropertyResult:
        region = self.where(prop.where)
        shift = {"actual": None, "completion": Decimal(0), "deviation": Decimal(1), "overrun": Decimal(1)}
        offset = shift[prop.variable.name]
        points = [compile_expr(v)(None) for v in prop.at] if prop.at else None
        if points is not None and offset is not None:
            points = [p + offset for p in points]
        edges = points if points is not None else self.edges
        tolerance = compile_expr(prop.within)(None) if prop.within is not None else None
        strategy = st.tuples(strategies.rows(strategies.targets(("comparison", "value"))), st.sampled_from(edges))

        def check(example):
            base, edge = example
            if not isinstance(base.target, (Comparison, BareValue)) or not base.target.quantity.value:
                return False
            below, above = (attrs.evolve(base, actual=_actual(base, c)) for c in (edge - _DELTA, edge + _DELTA))
            if not (region(below) and region(above)):
                return False
            r1, r2 = self.score(below), self.score(above)
            if r1.score is None or r2.score is None:
                return False
            allowed = tolerance if tolerance is not None else (base.weight or Decimal(0)) / 100
            if abs(r2.score - r1.score) > allowed:
                raise _Failure(Counterexample(
                    f"{name}: the score jumps by {show(r2.score - r1.score)} at completion {_percent(edge)} "
                    f"(allowed {show(allowed)}):", (below, above), (r1, r2)))
            return True

        return self._result(name, _format_prop(prop), strategy, check)

    def covered(self) -> PropertyResult:
        conditional = {rule.name for rule in self.ruleset.model.rules if rule.condition is not None}
        missing = []
        examples = 0
        for kind in _KINDS:
            found: list = []

            def check(row, found=found):
                result = self.score(row)
                found.append((row, result))
                if result.rule in conditional:
                    raise _Covered()
                return True

            try:
                count, _, _ = self.run(strategies.rows(strategies.targets((kind,)), edges=self.edges), check)
                examples += count
                missing.append((kind, found[0] if found else None))
            except _Covered:
                examples += len(found)
        if not missing:
            return PropertyResult("covered", BUILTIN_PROPERTIES["covered"], True, examples)
        kind, sample = missing[0]
        kinds = ", ".join(k for k, _ in missing)
        counterexample = None
        if sample is not None:
            counterexample = _traced(self.ruleset, Counterexample(
                f"no rule other than 'otherwise' scores {kind} targets, e.g.:", (sample[0],), (sample[1],)))
        return PropertyResult("covered", BUILTIN_PROPERTIES["covered"], False, examples, counterexample,
                              note=f"uncovered target kinds: {kinds}")

    def _result(self, name, description, strategy, check) -> PropertyResult:
        count, counterexample, note = self.run(strategy, check)
        # A property no generated row tested has not held: it has not been
        # tried.  It fails, so a region too narrow to reach is not missed.
        passed = counterexample is None and count > 0
        if count == 0:
            note = (f"{note or 'no generated row fell in the property region'}: the property was not tested; "
                    "widen its region or its premise")
        return PropertyResult(name, description, passed, count, counterexample, note)


class _Covered(Exception):
    pass


def _actual(row: Row, completion: Decimal) -> ActualQuantity:
    """The actual that makes ``row`` reach ``completion`` of its target."""
    target = row.target
    assert isinstance(target, (Comparison, BareValue))  # the rows generated here have such targets
    quantity = target.quantity
    value = (quantity.value * completion).quantize(Decimal("0.0001")).normalize()
    return ActualQuantity(Quantity(value if value else Decimal(0), quantity.unit))


def _format_prop(prop) -> str:
    from ..dsl.format import format_document

    text = format_document(ast.Document((ast.ExpectDecl("x", prop),)))
    return text.split(":", 1)[1].strip()


def _expand(model) -> list[tuple[str, ast.Expr | ast.Monotone | ast.Continuous | None]]:
    """The properties to test: stated ones, and the built-ins named."""
    taken = {e.name for e in model.expects if e.prop is not None}
    found: list[tuple[str, ast.Expr | ast.Monotone | ast.Continuous | None]] = []
    for expect in model.expects:  # in the order the ruleset gives them
        if expect.prop is not None:
            found.append((expect.name, expect.prop))
            continue
        names = _STANDARD if expect.name == "standard" else (expect.name,)
        # A property the ruleset states under a built-in's name replaces it.
        found += [(n, None) for n in names if n not in taken and (n, None) not in found]
    return found


def run_properties(
    ruleset: Ruleset,
    *,
    max_examples: int = 200,
    seed: int | None = None,
    database=None,
    verbose: bool = False,
) -> Report:
    """Test every property ``ruleset`` declares; deterministic for a given
    ``seed`` (and without one, unless a ``database`` is given)."""
    runner = _Runner(ruleset, max_examples=max_examples, seed=seed, database=database, verbose=verbose)
    results = []
    for name, prop in _expand(ruleset.model):
        if prop is None:
            if name == "bounded":
                results.append(runner.bounded())
            elif name == "full_at_target":
                results.append(runner.full_at_target())
            elif name == "rising":
                results.append(runner.monotone(name, BUILTIN_PROPERTIES[name], falling=False, direction="higher",
                                               region=lambda row: True, span=(Decimal(0), Decimal(1))))
            elif name == "falling":
                results.append(runner.monotone(name, BUILTIN_PROPERTIES[name], falling=True, direction="lower",
                                               region=lambda row: True, span=(Decimal(1), Decimal("2.5"))))
            elif name == "covered":
                results.append(runner.covered())
        elif isinstance(prop, ast.Monotone):
            results.append(runner.monotone(name, _format_prop(prop), falling=False, direction=None,
                                           region=runner.where(prop.where), span=None))
        elif isinstance(prop, ast.Continuous):
            results.append(runner.continuous(name, prop))
        else:
            results.append(runner.stated(name, prop))
    edges = []
    for edge in runner.edges:
        below = any(edge - Decimal("0.01") <= c < edge for c in runner.completions)
        above = any(edge <= c <= edge + Decimal("0.01") for c in runner.completions)
        edges.append((edge, below and above))
    return Report(
        ruleset=f"{ruleset.name}@{ruleset.version}",
        properties=tuple(results),
        fired=dict(runner.fired),
        never_fired=tuple(name for name, count in runner.fired.items() if count == 0),
        edges=tuple(edges),
    )
