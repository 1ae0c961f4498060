"""Widgets of the Sync page's panels: monospace figures, selectable text, hints, the
compact tables, and buttons that mirror their action."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QWidget,
)

from jsd_desk.ui.kit.widgets import table_view


def big_mono(base: QFont, scale: float) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(base.pointSizeF(), 9.0) * scale)
    font.setBold(True)
    font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 1.0)
    return font


def selectable(label: QLabel) -> QLabel:
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return label


def hint(label: QLabel) -> QLabel:
    label.setWordWrap(True)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 0.95)
    label.setFont(font)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


def sync_table(name: str) -> QTableView:
    """The kit's list view, as tall as its few rows (devices, bundles) within bounds."""
    view = table_view(name)
    view.horizontalHeader().setStretchLastSection(True)
    view.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
    view.setMinimumHeight(90)
    view.setMaximumHeight(260)
    view.setMinimumWidth(240)  # not its contents' width: columns scroll inside instead
    return view


class ActionButton(QPushButton):
    """A push button that mirrors a QAction (text, icon, tooltip, enabled, visible)."""

    def __init__(self, action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action = action
        self.setObjectName(action.objectName().removeprefix("action_") + "_button")
        self.clicked.connect(lambda _checked=False: action.trigger())
        action.changed.connect(self._mirror)
        self._mirror()

    def _mirror(self) -> None:
        action = self.action
        self.setText(action.text())
        self.setIcon(action.icon())
        self.setToolTip(action.toolTip())
        self.setAccessibleName(action.text().replace("&", "").rstrip("…"))
        self.setEnabled(action.isEnabled())
        self.setVisible(action.isVisible())
