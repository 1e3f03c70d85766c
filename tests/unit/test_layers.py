"""Each layer in its room: a package imports only the layers below it, and no two
packages import each other.

Why it matters: the store is read by the web, export and report, and written by the
ingest; if it imported the assembler, reading a story would load (and could run) the
clustering and linking code, and "where is X stored" would lead into the stage that
computes X. A cycle between packages means neither can be understood, tested or
moved without the other.

The order is data (:data:`LAYERS`), read bottom-up; a node is a subpackage of
``storyline`` or one of its top-level modules (``storyline`` itself is the package's
``__init__``). Imports inside functions count: they still tie the packages together.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import storyline

LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "resources", "document", "memo", "dedup", "values"),
    ("storyline", "config", "outlets"),
    ("sources", "nlp", "display"),
    ("extract", "records"),
    ("compare",),
    ("assemble", "store"),
    ("ingest",),
    ("distributed", "export"),
    ("report",),
    ("web", "evaluation"),
    ("cli",),
    ("__main__",),
)
"""Bottom first. A node imports only nodes of lower rows; nodes of one row are siblings
that do not import each other (the store and the assembler meet in the ingest above)."""

PACKAGE = Path(storyline.__file__).parent
LEVEL = {node: level for level, row in enumerate(LAYERS) for node in row}


def _node_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if len(parts) == 1:
        return "storyline" if parts[0] == "__init__" else parts[0]
    return parts[0]


def _target(module: str, name: str | None = None) -> str | None:
    """The node ``module`` (or ``from module import name``) belongs to; ``None`` outside
    the package."""
    parts = module.split(".")
    if parts[0] != "storyline":
        return None
    if len(parts) > 1:
        return parts[1]
    if name is not None and ((PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").is_file()):
        return name  # from storyline import resources
    return "storyline"


def _imports() -> Iterator[tuple[str, str, str]]:
    """(importing node, imported node, where) for every import of the package's code."""
    for path in sorted(PACKAGE.rglob("*.py")):
        source = _node_of(path)
        where = str(path.relative_to(PACKAGE.parent))
        for stmt in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(stmt, ast.Import):
                targets = [_target(alias.name) for alias in stmt.names]
            elif isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
                targets = [_target(stmt.module, alias.name) for alias in stmt.names]
            elif isinstance(stmt, ast.ImportFrom):
                raise AssertionError(f"{where}:{stmt.lineno}: relative import; write it absolute")
            else:
                continue
            for target in targets:
                if target is not None and target != source:
                    yield source, target, f"{where}:{stmt.lineno}"


def test_every_package_has_a_place_in_the_layers() -> None:
    nodes = {_node_of(p) for p in PACKAGE.rglob("*.py")}
    assert sorted(nodes - LEVEL.keys()) == [], "add the new package or module to LAYERS"


def test_no_package_imports_its_own_layer_or_one_above_it() -> None:
    wrong = [
        f"{where}: {source} (layer {LEVEL[source]}) imports {target} (layer {LEVEL[target]})"
        for source, target, where in _imports()
        if source in LEVEL and target in LEVEL and LEVEL[target] >= LEVEL[source]
    ]
    assert wrong == []


def test_no_cycle_between_packages() -> None:
    """Checked on the import graph itself, so editing :data:`LAYERS` cannot hide one."""
    graph: dict[str, set[str]] = {}
    for source, target, _ in _imports():
        graph.setdefault(source, set()).add(target)
    cycles: list[list[str]] = []
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in done:
                visit(nxt, [*path, nxt])
        done.add(node)

    for node in sorted(graph):
        if node not in done:
            visit(node, [node])
    assert cycles == []


def test_importing_the_store_loads_nothing_above_it() -> None:
    """In a fresh interpreter, as a reader (the web, export, ``storyline stories``) would."""
    code = (
        "import json, sys, storyline.store; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('storyline.'))))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(run.stdout)
    assert "storyline.store.stories" in loaded  # the probe did import the store
    assert [m for m in loaded if m.startswith("storyline.assemble")] == []
    above = [m for m in loaded if LEVEL[m.split(".")[1]] >= LEVEL["store"]]
    assert {m.split(".")[1] for m in above} == {"store"}
