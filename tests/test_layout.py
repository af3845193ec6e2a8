"""The package's layout rule: two rooms, no cycles.

``cnnrnn_helpers`` is the teaching library (what notebooks import) and
``cnnrnn_helpers.course`` the course tooling (runner, report, slides,
student copies, CLI).  The course may import the library, never the
reverse, and no module may reach itself through its imports.

The import graph is read from the source with :mod:`ast`: module-level and
function-level imports alike (a lazy import is still a dependency),
relative imports resolved, ``from X import name`` counted as an edge to
``X.name`` when that is a module of the package, else to ``X``.  A parent
package is not counted as imported by its submodules (Python runs its
``__init__`` first, but that is not a dependency of the code).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "cnnrnn_helpers"
COURSE = f"{PACKAGE}.course"
ROOT = Path(__file__).resolve().parents[1]


def _modules() -> dict[str, tuple[Path, bool]]:
    """``{dotted name: (file, is a package)}`` for every module of the package."""
    found = {}
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, is_package)
    return found


def _imports(name: str, modules: dict[str, tuple[Path, bool]]) -> set[str]:
    """The modules of the package that module ``name`` imports (anywhere in it)."""
    path, is_package = modules[name]
    here = name if is_package else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            for alias in node.names:
                full = f"{origin}.{alias.name}"
                targets.add(full if full in modules else origin)
    return {t for t in targets if t in modules and t != name}


def import_graph() -> dict[str, set[str]]:
    """``{module: modules it imports}`` over the whole package."""
    modules = _modules()
    return {name: _imports(name, modules) for name in modules}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _in_course(name: str) -> bool:
    return name == COURSE or name.startswith(COURSE + ".")


def test_the_graph_sees_lazy_and_relative_imports():
    graph = import_graph()
    assert f"{PACKAGE}.config" in graph[PACKAGE]  # from .config import ...
    # course/cli.py imports the library (e.g. config) with relative imports
    assert f"{PACKAGE}.config" in graph[f"{COURSE}.cli"]
    # data/lab.py imports the loaders inside a function (lazily)
    assert f"{PACKAGE}.data.loaders" in graph[f"{PACKAGE}.data.lab"]


def test_cycles_are_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        ["a", "b", "c"]
    ]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_library_never_imports_the_course_tooling():
    graph = import_graph()
    reverse = sorted(
        f"{source} imports {target}"
        for source, targets in graph.items()
        if not _in_course(source)
        for target in targets
        if _in_course(target)
    )
    assert reverse == [], (
        "the library must not import cnnrnn_helpers.course (the course may "
        "import the library, never the reverse):\n" + "\n".join(reverse)
    )


def test_the_package_has_no_import_cycle():
    found = cycles(import_graph())
    assert found == [], "import cycles in the package:\n" + "\n".join(
        " <-> ".join(component) for component in found
    )
