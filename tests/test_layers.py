"""The layers of DESIGN §3, enforced from the imports themselves (read with ``ast``, so a
function-local import counts as much as a top-level one, and nothing is imported to check).

- Nothing below ``ui/`` imports Qt. Nothing else must draw on screen: the PDFs (``reports/``)
  are drawn by reportlab, so no exception is needed.
- No module imports a layer above its own (``LAYERS``, lowest first).
- No cycle between packages, nor between modules (a cycle is what function-local imports were
  hiding in ``services/`` before: backup → security → workspace → backup).

The checker is tried on a small made-up package first, so it is known to catch each fault.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# Lowest first; a module may import its own layer and those below. An entry names a module and
# the modules under it; "=name" the module alone; "name." the modules under it only. Read from
# DESIGN §3 and the code: ``domain`` raises translatable errors (so ``i18n`` is below it);
# ``store`` signs and seals events with ``security``'s primitives (so ``security`` is below
# ``store``); ``reports``, ``sync`` and the indicator definitions are the capabilities that
# ``services`` compose.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("=jsd_desk", "jsd_desk.about", "jsd_desk.child_watch", "jsd_desk.collector",
              "jsd_desk.files", "jsd_desk.paths", "jsd_desk.i18n")),
    # ``faults`` turns OS and SQLite storage errors into the domain's errors; the store uses it.
    ("domain", ("jsd_desk.domain", "jsd_desk.faults")),
    ("security", ("jsd_desk.security",)),
    ("store", ("jsd_desk.store",)),
    # ``services.indicators`` holds the indicator definitions and their computation that the
    # report writers render; it imports no other service, so it sits with the capabilities.
    ("capabilities", ("jsd_desk.reports", "jsd_desk.sync", "jsd_desk.services.indicators")),
    ("services", ("jsd_desk.services",)),
    ("cli", ("jsd_desk.cli.",)),  # the command modules (a trailing dot: not the package itself)
    ("ui", ("jsd_desk.ui",)),
    # The entry points: ``jsd-desk`` (``cli/__init__``) dispatches to the commands and to the
    # GUI; ``app`` is the GUI's composition root; ``selftest`` drives both (jsd-desk self-test).
    ("entry", ("jsd_desk.cli", "jsd_desk.app", "jsd_desk.__main__", "jsd_desk.selftest")),
)
QT_PACKAGES = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "qtpy")
QT_ALLOWED = ("jsd_desk.ui",)  # only what must draw on screen


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the imported module (a jsd_desk module, or the top-level name of another)
    line: int


def _modules(src: Path, top: str) -> dict[str, Path]:
    out = {}
    for path in sorted((src / top).rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imports(src: Path, top: str = "jsd_desk") -> tuple[dict[str, Path], list[Import]]:
    """Every import statement of every module under ``src/top``, wherever it stands."""
    modules = _modules(src, top)
    found: list[Import] = []
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    parts = parts[:len(parts) - node.level + 1]
                    base = ".".join([*parts, *([node.module] if node.module else [])])
                # ``from pkg import mod`` imports the module ``pkg.mod``.
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                           for a in node.names]
            for target in targets:
                if target == top or target.startswith(top + "."):
                    while target not in modules and "." in target:
                        target = target.rpartition(".")[0]
                else:
                    target = target.partition(".")[0]
                found.append(Import(name, target, node.lineno))
    return modules, found


def layer_of(module: str) -> int:
    best, best_len = -1, -1
    for rank, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if prefix.startswith("="):
                hit = module == prefix[1:]
            elif prefix.endswith("."):
                hit = module.startswith(prefix)
            else:
                hit = module == prefix or module.startswith(prefix + ".")
            if hit and len(prefix) > best_len:
                best, best_len = rank, len(prefix)
    return best


def qt_outside_ui(found: Iterable[Import]) -> list[str]:
    return [f"{i.module}:{i.line} imports {i.target}" for i in found
            if i.target in QT_PACKAGES
            and not any(i.module == a or i.module.startswith(a + ".") for a in QT_ALLOWED)]


def upward(found: Iterable[Import], top: str = "jsd_desk") -> list[str]:
    out = []
    for i in found:
        if not i.target.startswith(top):
            continue
        low, high = layer_of(i.module), layer_of(i.target)
        if low < 0 or high < 0:
            out.append(f"{i.module if low < 0 else i.target} is in no layer")
        elif high > low:
            out.append(f"{i.module}:{i.line} ({LAYERS[low][0]}) imports {i.target} "
                       f"({LAYERS[high][0]})")
    return out


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(sorted(component))
    return out


def _within(a: str, b: str) -> bool:
    return a == b or a.startswith(b + ".")


def module_cycles(found: Iterable[Import], top: str = "jsd_desk") -> list[list[str]]:
    """Cycles between modules. A module importing its own package (``from . import x`` runs the
    package's ``__init__``, which may re-export it) is how packages work, not a cycle."""
    graph: dict[str, set[str]] = defaultdict(set)
    for i in found:
        if i.target.startswith(top) and i.target != i.module and not _within(i.module, i.target):
            graph[i.module].add(i.target)
    return _cycles(graph)


def package_cycles(modules: dict[str, Path], found: Iterable[Import],
                   top: str = "jsd_desk") -> list[list[str]]:
    """Cycles between packages (a top-level module counts as a package of its own). A package
    and the packages inside it are one family: the parent composes them, they use its shared
    parts; a cycle between two packages neither of which holds the other is a tangle."""
    def package(module: str) -> str:
        if modules[module].name == "__init__.py" or module.count(".") == 1:
            return module
        return module.rpartition(".")[0]

    entry = len(LAYERS) - 1
    graph: dict[str, set[str]] = defaultdict(set)
    for i in found:
        # The entry points are composition roots: ``jsd-desk gui`` runs the app, and the app
        # reuses the command line's options; the layer rule keeps everything else from them.
        if not i.target.startswith(top) or layer_of(i.module) == entry:
            continue
        a, b = package(i.module), package(i.target)
        if a != b and not _within(a, b) and not _within(b, a):
            graph[a].add(b)
    return _cycles(graph)


# -- the checker, on a made-up package -----------------------------------------------------------


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_checker_catches_each_fault(tmp_path: Path) -> None:
    _write(tmp_path, {
        "jsd_desk/__init__.py": "",
        "jsd_desk/domain/__init__.py": "",
        "jsd_desk/domain/vocab.py": "def f():\n    from PySide6.QtCore import Qt\n",
        "jsd_desk/store/__init__.py": "",
        "jsd_desk/store/writer.py": "def g():\n    from jsd_desk.services import backup\n",
        "jsd_desk/services/__init__.py": "",
        "jsd_desk/services/backup.py": "from jsd_desk.services.workspace import x\n",
        "jsd_desk/services/workspace.py": "def h():\n    from . import backup\n",
        "jsd_desk/reports/__init__.py": "",
        "jsd_desk/reports/pdf.py": "import jsd_desk.sync.bundle\n",
        "jsd_desk/sync/__init__.py": "",
        "jsd_desk/sync/bundle.py": "from ..reports import pdf\n",
        "jsd_desk/ui/__init__.py": "",
        "jsd_desk/ui/page.py": "from PySide6 import QtWidgets\nfrom jsd_desk.store import writer\n",
    })
    modules, found = imports(tmp_path)
    assert qt_outside_ui(found) == ["jsd_desk.domain.vocab:2 imports PySide6"]
    assert upward(found) == ["jsd_desk.store.writer:2 (store) imports jsd_desk.services.backup "
                             "(services)"]
    assert module_cycles(found) == [["jsd_desk.reports.pdf", "jsd_desk.sync.bundle"],
                                    ["jsd_desk.services.backup", "jsd_desk.services.workspace"]]
    assert package_cycles(modules, found) == [["jsd_desk.reports", "jsd_desk.sync"]]


def test_every_layer_prefix_names_real_modules() -> None:
    modules, _found = _source()
    for name, prefixes in LAYERS:
        for prefix in prefixes:
            assert any(m.startswith(prefix.lstrip("=")) for m in modules), (name, prefix)
    assert not [m for m in modules if layer_of(m) < 0]


# -- the real source -----------------------------------------------------------------------------


@cache
def _source() -> tuple[dict[str, Path], list[Import]]:
    return imports(SRC)


def test_nothing_below_ui_imports_qt() -> None:
    found = _source()[1]
    assert qt_outside_ui(found) == []


def test_no_module_imports_a_layer_above_its_own() -> None:
    found = _source()[1]
    assert upward(found) == []


def test_no_import_cycle_between_modules_or_packages() -> None:
    modules, found = _source()
    assert module_cycles(found) == []
    assert package_cycles(modules, found) == []
