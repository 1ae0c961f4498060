"""Small widget helpers shared by the Complaints, Action items and Platforms pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QStyle,
    QWidget,
)

from jsd_desk.domain.vocab import Vocabulary

ERROR_COLOUR = "#d0342c"


def fill_vocab_combo(combo: QComboBox, vocabulary: Vocabulary, *,
                     empty: str | None = None, codes: Iterable[str] | None = None) -> None:
    """Items for a vocabulary's codes (data = code). ``empty`` (translated text) adds a first
    item with data None. Call again from ``retranslate_ui``: texts change, choice stays."""
    wanted: list[tuple[str | None, str]] = []
    if empty is not None:
        wanted.append((None, empty))
    wanted.extend((code, vocabulary.label(code)) for code in (codes or vocabulary.codes()))
    fill_combo(combo, wanted)


def fill_combo(combo: QComboBox, items: list[tuple[Any, str]]) -> None:
    """Set ``(data, text)`` items, keeping the current choice when it is still offered and
    emitting no change signal when only the texts changed."""
    was_empty = combo.count() == 0
    current = combo.currentData()
    if [combo.itemData(i) for i in range(combo.count())] == [d for d, _t in items]:
        for i, (_d, text) in enumerate(items):
            combo.setItemText(i, text)
        return
    blocked = combo.blockSignals(True)
    try:
        combo.clear()
        for data, text in items:
            combo.addItem(text, data)
        index = -1 if was_empty else combo.findData(current)
        combo.setCurrentIndex(index if index >= 0 else 0)
    finally:
        combo.blockSignals(blocked)


def select_data(combo: QComboBox, data: Any) -> None:
    blocked = combo.blockSignals(True)
    try:
        index = combo.findData(data)
        combo.setCurrentIndex(index if index >= 0 else 0)
    finally:
        combo.blockSignals(blocked)


def heading_label(scale: float = 1.3, bold: bool = True) -> QLabel:
    label = QLabel()
    font = QFont(label.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def error_label(object_name: str) -> QLabel:
    """An inline message under a field or a button row (hidden until it says something)."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setVisible(False)
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_COLOUR))
    label.setPalette(pal)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


def show_error(label: QLabel, text: str | None) -> None:
    label.setText(text or "")
    label.setAccessibleName(text or "")
    label.setVisible(bool(text))


def muted(label: QLabel) -> QLabel:
    pal = label.palette()
    colour = pal.color(QPalette.ColorRole.WindowText)
    colour.setAlphaF(0.7)
    pal.setColor(QPalette.ColorRole.WindowText, colour)
    label.setPalette(pal)
    return label


def hline() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def name_widget(widget: QWidget, object_name: str | None, accessible: str,
                tooltip: str | None = None) -> None:
    if object_name:
        widget.setObjectName(object_name)
    widget.setAccessibleName(accessible)
    if tooltip is not None:
        widget.setToolTip(tooltip)


def monospace(widget: QWidget, scale: float = 1.0) -> None:
    font = QFont(widget.font())
    font.setFamilies(["DejaVu Sans Mono", "Consolas", "Menlo", "monospace"])
    font.setStyleHint(QFont.StyleHint.Monospace)
    if scale != 1.0 and font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    widget.setFont(font)


Callback = Callable[[], None]


class FlowLayout(QLayout):
    """Widgets side by side, wrapping onto the next line when the width runs out: a row of
    buttons that stays whole in French, in a narrow panel, at 150 % scaling."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt override
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        m: QMargins = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._items:
            widget = item.widget()
            if widget is not None and widget.isHidden():
                continue
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line > 0:
                x = area.x()
                y += line + self._spacing
                line = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y() + m.bottom()


def style_spacing(widget: QWidget) -> int:
    return widget.style().pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing) or 6
