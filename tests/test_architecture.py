"""The house rules that keep the package easy to extend: no import circle
between modules (a lazy import inside a function counts too), the ground
floor imports nothing above it, and Lark stays in the parse stages."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "perfrules"


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
                targets = [f"{stem}.{a.name}" for a in node.names] + [stem]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name.startswith("perfrules.")]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("perfrules."):
                targets = [node.module]
            for target in targets:
                # The most specific module named; the package facade itself is no stage.
                while target not in modules and "." in target:
                    target = target.rsplit(".", 1)[0]
                if target in modules and target != name and target != "perfrules":
                    graph[name].add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def _packages_of(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def test_no_import_circle_between_modules():
    graph = _graph()
    # A package's __init__ may gather its own modules; that is no circle.
    for name in graph:
        graph[name] = {t for t in graph[name] if t not in _packages_of(name)}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_ground_floor_imports_nothing_above_it():
    ground = {"perfrules.errors", "perfrules.numbers", "perfrules.results", "perfrules.records",
              "perfrules.cells.quantity", "perfrules.cells.values", "perfrules.cells.chinese",
              "perfrules.cells.targets", "perfrules._resources", "perfrules._convert"}
    graph = _graph()
    for name in ground:
        above = {t for t in graph[name] if t not in ground and t != "perfrules.cells"}
        assert not above, f"{name} imports {sorted(above)}"


def test_lark_stays_in_the_parse_stages():
    # _resources reads only Lark's version (the parser cache depends on it).
    allowed = {"perfrules.dsl.parse", "perfrules.cells.targets", "perfrules._resources"}
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "import lark" in text or "from lark" in text:
            assert _module(path) in allowed, f"{_module(path)} imports lark"
