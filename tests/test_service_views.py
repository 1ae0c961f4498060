"""Services hand the UI frozen views, never ORM rows (DESIGN §3: no SQL in ``ui/``): a row
reaching a widget could lazy-load, write through, or hold a session open.

Every function of ``services`` that a module of ``ui/`` names (``from jsd_desk.services.x
import f`` or ``x.f`` on an imported service module, read with ``ast``) is looked up and its
return annotation read (mypy, strict on ``src/``, keeps the annotations true): it must not
mention an ORM model of ``store.models`` or a SQLAlchemy type, directly, inside a container,
or in a field of a returned dataclass; and it must say what it returns (not ``Any``).
The checker is tried on made-up functions first, so it is known to catch each fault.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jsd_desk.services.views import SessionView
from jsd_desk.store import models

UI = Path(__file__).resolve().parents[1] / "src" / "jsd_desk" / "ui"
SERVICES = "jsd_desk.services"


def _is_module(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def service_names_used(root: Path = UI) -> dict[tuple[str, str], set[str]]:
    """(service module, name) → the ui files that use it."""
    used: dict[tuple[str, str], set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        where = str(path.relative_to(root))
        modules: dict[str, str] = {}  # local name → service module
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(SERVICES):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    if _is_module(full):
                        modules[alias.asname or alias.name] = full
                    else:
                        used.setdefault((str(node.module), alias.name), set()).add(where)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith(SERVICES) and alias.asname:
                        modules[alias.asname] = alias.name
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id in modules:
                used.setdefault((modules[node.value.id], node.attr), set()).add(where)
    return used


def _leaks(tp: Any, seen: set[type]) -> Iterator[str]:
    origin = typing.get_origin(tp)
    for candidate in (tp, origin):
        if isinstance(candidate, type) and (issubclass(candidate, models.Base)
                                            or candidate.__module__.startswith("sqlalchemy")):
            yield candidate.__qualname__
            return
    if isinstance(tp, type) and dataclasses.is_dataclass(tp) and tp not in seen:
        seen.add(tp)
        for name, hint in typing.get_type_hints(tp).items():
            yield from (f"{tp.__name__}.{name}: {leak}" for leak in _leaks(hint, seen))
    for arg in typing.get_args(tp):
        yield from _leaks(arg, seen)


def return_faults(fn: Callable[..., Any]) -> list[str]:
    """What is wrong with what ``fn`` says it returns: an ORM or SQLAlchemy type anywhere in
    it, or nothing said (``Any``)."""
    hints = typing.get_type_hints(fn)
    if "return" not in hints or hints["return"] in (Any, object):
        return ["returns Any"]
    return [f"returns {leak}" for leak in _leaks(hints["return"], set())]


def faults(used: dict[tuple[str, str], set[str]]) -> list[str]:
    out = []
    for (module, name), files in sorted(used.items()):
        obj = getattr(importlib.import_module(module), name, None)
        if not inspect.isfunction(obj):
            continue  # a class (a view type, an error), a constant
        out.extend(f"{module}.{name} {fault} (used by {', '.join(sorted(files))})"
                   for fault in return_faults(obj))
    return out


# -- the checker, on made-up functions ----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Wrapped:
    title: str
    record: models.Complaint | None


def _orm() -> models.Complaint:
    raise NotImplementedError


def _orm_list() -> list[models.ComplaintStatusChange]:
    raise NotImplementedError


def _orm_in_view() -> dict[str, tuple[_Wrapped, ...]]:
    raise NotImplementedError


def _untyped():  # type: ignore[no-untyped-def]
    raise NotImplementedError


def _view() -> list[SessionView] | None:
    raise NotImplementedError


def test_the_checker_catches_each_fault(tmp_path: Path) -> None:
    assert return_faults(_orm) == ["returns Complaint"]
    assert return_faults(_orm_list) == ["returns ComplaintStatusChange"]
    assert return_faults(_orm_in_view) == ["returns _Wrapped.record: Complaint"]
    assert return_faults(_untyped) == ["returns Any"]
    assert return_faults(_view) == []
    (tmp_path / "page.py").write_text(
        "from jsd_desk.services import complaints as service\n"
        "from jsd_desk.services.complaint_detail import complaint_detail\n"
        "from jsd_desk.services.complaints import NewComplaint\n"
        "def f(store):\n"
        "    service.find_by_receipt(store, 'x')\n"
        "    return complaint_detail(store, 'x'), service.IDENTITY_FIELDS\n", encoding="utf-8")
    assert service_names_used(tmp_path) == {
        ("jsd_desk.services.complaints", "find_by_receipt"): {"page.py"},
        ("jsd_desk.services.complaints", "IDENTITY_FIELDS"): {"page.py"},
        ("jsd_desk.services.complaint_detail", "complaint_detail"): {"page.py"},
        ("jsd_desk.services.complaints", "NewComplaint"): {"page.py"}}
    assert faults({(__name__, "_orm"): {"page.py"}, (__name__, "_view"): {"page.py"}}) == [
        f"{__name__}._orm returns Complaint (used by page.py)"]


# -- the real source ------------------------------------------------------------------------------


def test_no_service_function_the_ui_calls_returns_an_orm_row() -> None:
    used = service_names_used()
    assert len(used) > 100  # the ui does use the services: the reading works
    assert faults(used) == []
