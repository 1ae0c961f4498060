"""Every screen fits a small laptop (1366×768, and 1280×720) in French, English and the
pseudo-locale, whose strings are 40 % longer than English: no tab behind scroll arrows, no
header whose text is cut short, no label, button or combo box text clipped, no table that
scrolls sideways, no page wider or taller than the window.

Each page of the main window is shown with demo data (the dashboard on a ministry device, where
it lives), and so are a complaint open beside the list and each section of the session editor,
for a draft and a finalized session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings, Qt, QThreadPool
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QTabBar,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from jsd_desk.services.demo import DemoOptions, add_demo_activity
from jsd_desk.services.workspace import Workspace
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.language import apply_language
from jsd_desk.ui.main_window import MainWindow
from jsd_desk.ui.pages import PAGES

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints")

SIZES = ((1366, 768), (1280, 720))
LANGUAGES = ("fr", "en", "qps")
TODAY = dt.date(2026, 6, 30)


def _name(w: QWidget) -> str:
    path = []
    while w is not None and len(path) < 4:
        path.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return "/".join(reversed(path))


def _tab_bar_problems(bar: QTabBar) -> list[str]:
    horizontal = bar.shape() in (QTabBar.Shape.RoundedNorth, QTabBar.Shape.RoundedSouth,
                                 QTabBar.Shape.TriangularNorth, QTabBar.Shape.TriangularSouth)
    needed, room = ((bar.sizeHint().width(), bar.width()) if horizontal
                    else (bar.sizeHint().height(), bar.height()))
    arrows = [b for b in bar.findChildren(QToolButton) if b.isVisible()]
    if needed > room or arrows:
        return [f"{_name(bar)}: tabs need {needed}px, have {room}px"
                + (" (scroll arrows shown)" if arrows else "")]
    return []


def _header_problems(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None:
        return []
    view = header.parentWidget()
    while view is not None and not isinstance(view, QAbstractScrollArea):
        view = view.parentWidget()
    if header.orientation() == Qt.Orientation.Horizontal and isinstance(view, QAbstractScrollArea) \
            and view.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff \
            and header.length() > header.width() + 1:
        # Columns past the right edge with no way to scroll to them: cut off.
        return [f"{_name(header)}: columns need {header.length()}px, have {header.width()}px "
                "and cannot scroll"]
    style = header.style()
    margin = 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    metrics = header.fontMetrics()
    out = []
    for section in range(header.count()):
        if header.isSectionHidden(section) or header.sectionSize(section) <= 0:
            continue
        text = model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole)
        if not text:
            continue
        widest = max(metrics.horizontalAdvance(line) for line in str(text).splitlines())
        needed = widest + margin + (arrow + margin if header.isSortIndicatorShown() else 0)
        size = (header.sectionSize(section) if header.orientation() == Qt.Orientation.Horizontal
                else header.width())
        if needed > size:
            out.append(f"{_name(header)}: header “{text}” needs {needed}px, has {size}px")
    return out


def _label_problems(label: QLabel) -> list[str]:
    if not label.text() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return []
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + 1:
            return [f"{_name(label)}: “{label.text()[:40]}” needs {needed}px of height, "
                    f"has {label.height()}px"]
        return []
    if label.sizeHint().width() > label.width() + 1:
        return [f"{_name(label)}: “{label.text()[:40]}” needs {label.sizeHint().width()}px, "
                f"has {label.width()}px"]
    return []


def _button_problems(button: QAbstractButton) -> list[str]:
    if isinstance(button, QPushButton) and button.text() \
            and button.sizeHint().width() > button.width() + 1:
        return [f"{_name(button)}: button “{button.text()}” needs {button.sizeHint().width()}px, "
                f"has {button.width()}px"]
    return []


def _combo_problems(combo: QComboBox) -> list[str]:
    """The current choice must show whole: its text's advance against the room the style
    leaves it (the combo's width less its frame, arrow and icon)."""
    text = combo.currentText()
    if not text:
        return []
    advance = combo.fontMetrics().horizontalAdvance(text)
    if combo.isEditable() and combo.lineEdit() is not None:
        edit = combo.lineEdit()
        room = edit.contentsRect().width() - 4  # QLineEdit's own horizontal margins
    else:
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                             QStyle.SubControl.SC_ComboBoxEditField, combo)
        room = field.width()
        if not combo.itemIcon(combo.currentIndex()).isNull():
            room -= combo.iconSize().width() + 4
    if advance > room:
        return [f"{_name(combo)}: combo text “{text}” needs {advance}px, has {room}px"]
    return []


def _scroll_problems(view: QAbstractItemView) -> list[str]:
    bar = view.horizontalScrollBar()
    if bar.isVisible() and bar.maximum() > 0:
        return [f"{_name(view)}: scrolls sideways ({bar.maximum()}px more than its "
                f"{view.viewport().width()}px)"]
    return []


def _scroll_area_problems(area: QScrollArea) -> list[str]:
    """A resizable scroll area that never scrolls sideways must hold its widget whole."""
    inner = area.widget()
    if inner is None or not area.widgetResizable() \
            or area.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
        return []
    needed, room = inner.minimumSizeHint().width(), area.viewport().width()
    if needed > room + 1:
        return [f"{_name(area)}: its contents need {needed}px, have {room}px (cut on the right)"]
    return []


def fit_problems(window: QWidget) -> list[str]:
    """What does not fit in ``window`` as it is shown now."""
    out = []
    hint = window.minimumSizeHint()
    if hint.width() > window.width() or hint.height() > window.height():
        out.append(f"{_name(window)}: needs at least {hint.width()}×{hint.height()}, "
                   f"has {window.width()}×{window.height()}")
    for w in window.findChildren(QWidget):
        if not w.isVisible():
            continue
        if isinstance(w, QTabBar):
            out += _tab_bar_problems(w)
        elif isinstance(w, QHeaderView):
            out += _header_problems(w)
        elif isinstance(w, QLabel):
            out += _label_problems(w)
        elif isinstance(w, QAbstractButton):
            out += _button_problems(w)
        elif isinstance(w, QComboBox):
            out += _combo_problems(w)
        if isinstance(w, QAbstractItemView):
            out += _scroll_problems(w)
        elif isinstance(w, QScrollArea):
            out += _scroll_area_problems(w)
    return out


def settle() -> None:
    for _i in range(4):
        QApplication.processEvents()


@pytest.fixture(scope="module")
def demo_stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Workspace]]:
    from jsd_desk.services.workspace import init_workspace
    from tests.conftest import PASSPHRASE

    root = tmp_path_factory.mktemp("fit")
    stores = {}
    for role in ("facilitator", "analyst"):
        ws, _recovery = init_workspace(root / role, f"{role} laptop", role, PASSPHRASE)
        add_demo_activity(ws.store, DemoOptions(seed=11, sessions=14, today=TODAY))
        stores[role] = ws
    # A trusted peer and a bundle in the outbox: the Sync page's combo and tables have rows.
    from jsd_desk.services import sync

    fac, ana = stores["facilitator"], stores["analyst"]
    sync.add_peer(fac, ana.keys.info)
    sync.export_bundle(fac, root / "to-ministry.jsdb", to=ana.keys.info.device_id)
    # A police liaison device to refer complaints to (the complaint editor's device choice).
    liaison, _recovery = init_workspace(root / "liaison", "Commissariat", "liaison", PASSPHRASE)
    sync.add_peer(fac, liaison.keys.info)
    stores["liaison"] = liaison
    yield stores
    for ws in stores.values():
        ws.close()


def _window(ws: Workspace, tmp_path: object, size: tuple[int, int]) -> tuple[MainWindow, UiContext]:
    ctx = UiContext(ws)
    window = MainWindow(ctx, QSettings(f"{tmp_path}/ui.ini", QSettings.Format.IniFormat))
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.resize(*size)
    window.show()
    settle()
    return window, ctx


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_screen_fits(lang: str, size: tuple[int, int], demo_stores: dict[str, Workspace],
                           tmp_path: object, qtbot: QtBot) -> None:
    apply_language(lang)
    problems: list[str] = []
    window, ctx = _window(demo_stores["facilitator"], tmp_path, size)
    try:
        for spec in PAGES:
            if not window.shows(spec):
                continue
            window.go_to(spec.key)
            settle()
            problems += [f"[{spec.key}] {p}" for p in fit_problems(window)]
        # A complaint open beside the list (which goes compact), then the whole list again.
        complaints = window.go_to("complaints")
        complaints.table.selectRow(0)  # type: ignore[attr-defined]
        settle()
        assert complaints.detail is not None  # type: ignore[attr-defined]
        problems += [f"[complaint open] {p}" for p in fit_problems(window)]
        complaints.close_complaint()  # type: ignore[attr-defined]
        page = window.go_to("sessions")
        model = page.model  # type: ignore[attr-defined]
        statuses = {model.row_at(r).status: r for r in range(model.rowCount())}
        for status in ("draft", "finalized"):
            page.table.selectRow(statuses[status])  # type: ignore[attr-defined]
            editor = page.editor  # type: ignore[attr-defined]
            for i in range(editor.tabs.count()):
                editor.tabs.setCurrentIndex(i)
                settle()
                problems += [f"[session {status}, section {i}] {p}" for p in fit_problems(window)]
    finally:
        QThreadPool.globalInstance().waitForDone()  # background loads end before the window
        window.close()
        ctx.signals.detach()
    window, ctx = _window(demo_stores["analyst"], tmp_path, size)
    try:
        window.go_to("dashboard")
        settle()
        problems += [f"[dashboard] {p}" for p in fit_problems(window)]
    finally:
        QThreadPool.globalInstance().waitForDone()  # background loads end before the window
        window.close()
        ctx.signals.detach()
    assert not problems, "\n".join(problems)
