"""The house's rules, read from the code's own imports (docs/architecture.md):

- the Telegram-free core (``core``) and ``storage`` never import the Telegram layer
  (``handlers``), the entry point (``bot``) or a rig (``testbed``, ``bench``); ``core``
  does not import aiogram, and ``storage`` only for the FSM storage it implements;
- the product never imports a rig, except ``bot/__main__.py`` for ``sandbox`` and ``demo``;
- ``handlers`` never imports the entry point;
- no two modules import each other, directly or round a longer loop.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "core", "handlers", "storage", "testbed", "bench")
PRODUCT = ("bot", "core", "handlers", "storage")
RIGS = ("testbed", "bench")
# The entry point reaches the rigs lazily, by the `sandbox` and `demo` subcommands only.
RIG_DOORS = {"bot.__main__"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    }


def _imported(module: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """Every module named by an import statement of ``module`` (lazy ones included)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")
                if path.name != "__init__.py":
                    package.pop()
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, base] if base else package)
            # `from package import submodule` names the submodule, not the package.
            submodules = [f"{base}.{alias.name}" for alias in node.names]
            found = [name for name in submodules if name in known]
            yield from found
            if len(found) < len(submodules):
                yield base


def _graph() -> dict[str, set[str]]:
    known = _modules()
    graph: dict[str, set[str]] = {}
    for module, path in known.items():
        graph[module] = {name for name in _imported(module, path, known) if name != module}
    return graph


def _top(name: str) -> str:
    return name.split(".")[0]


def _violations(graph: dict[str, set[str]], source: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{module} -> {name}"
        for module, names in graph.items()
        if _top(module) == source
        for name in names
        if _top(name) in forbidden
    )


def test_core_and_storage_know_nothing_above_them() -> None:
    graph = _graph()
    assert _violations(graph, "core", ("handlers", "bot", *RIGS, "aiogram")) == []
    assert _violations(graph, "storage", ("core", "handlers", "bot", *RIGS)) == []
    aiogram_in_storage = _violations(graph, "storage", ("aiogram",))
    assert {line.split(" -> ")[0] for line in aiogram_in_storage} <= {"storage.fsm"}


def test_the_telegram_layer_never_imports_the_entry_point_or_a_rig() -> None:
    assert _violations(_graph(), "handlers", ("bot", *RIGS)) == []


def test_the_product_reaches_a_rig_only_through_the_entry_points_subcommands() -> None:
    graph = _graph()
    reaching = [
        line
        for package in PRODUCT
        for line in _violations(graph, package, RIGS)
        if line.split(" -> ")[0] not in RIG_DOORS
    ]
    assert reaching == []


def test_no_modules_import_each_other() -> None:
    graph = _graph()
    loops = _strongly_connected(graph)
    assert loops == []


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: every group of two or more modules that reach each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for name in graph.get(module, ()):
            if name not in graph:
                continue  # a library
            if name not in index:
                visit(name)
                low[module] = min(low[module], low[name])
            elif name in on_stack:
                low[module] = min(low[module], index[name])
        if low[module] == index[module]:
            group = []
            while True:
                name = stack.pop()
                on_stack.discard(name)
                group.append(name)
                if name == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return groups


def test_the_checks_see_a_loop_and_a_wrong_way_import() -> None:
    # The checks themselves can fail: a made-up graph with both faults is caught.
    graph = {"core.a": {"handlers.b"}, "handlers.b": {"core.a"}, "storage.c": set()}
    assert _strongly_connected(graph) == [["core.a", "handlers.b"]]
    assert _violations(graph, "core", ("handlers",)) == ["core.a -> handlers.b"]
