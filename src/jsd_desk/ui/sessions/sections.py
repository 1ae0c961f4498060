"""A vertical list of sections beside the section shown: the session editor's eight parts, whose
titles (with their counts, in the longest language) never fit a tab bar on a small laptop.

The API is the part of ``QTabWidget``'s that the editor uses (``addTab``, ``setCurrentIndex``,
``tabText``…), so code and tests read the same. A title's mnemonic ("C&oncerns") still works:
Alt and the letter open the section.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QWidget,
)


def _mnemonic(text: str) -> str | None:
    i = text.find("&")
    while i >= 0 and i + 1 < len(text):
        if text[i + 1] != "&":
            return text[i + 1]
        i = text.find("&", i + 2)
    return None


class SectionTabs(QWidget):
    currentChanged = Signal(int)  # noqa: N815 - QTabWidget's name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("session_sections")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setSpacing(1)
        self.stack = QStackedWidget()
        self._texts: list[str] = []
        self._shortcuts: list[QShortcut] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.list)
        layout.addWidget(self.stack, 1)
        self.list.currentRowChanged.connect(self._row_changed)

    def addTab(self, widget: QWidget, text: str) -> int:  # noqa: N802 - QTabWidget's name
        self.stack.addWidget(widget)
        self.list.addItem(QListWidgetItem())
        self._texts.append("")
        self._shortcuts.append(QShortcut(self))
        index = len(self._texts) - 1
        self._shortcuts[index].setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._shortcuts[index].activated.connect(lambda i=index: self.setCurrentIndex(i))
        self.setTabText(index, text)
        if index == 0:
            self.setCurrentIndex(0)
        return index

    def count(self) -> int:
        return len(self._texts)

    def tabText(self, index: int) -> str:  # noqa: N802 - QTabWidget's name
        return self._texts[index]

    def setTabText(self, index: int, text: str) -> None:  # noqa: N802 - QTabWidget's name
        self._texts[index] = text
        shown = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
        item = self.list.item(index)
        item.setText(shown)
        key = _mnemonic(text)
        self._shortcuts[index].setKey(QKeySequence(f"Alt+{key}") if key else QKeySequence())
        item.setToolTip(f"{shown} (Alt+{key.upper()})" if key else shown)
        # As wide as the longest title, no wider: the section gets the rest of the room.
        frame = 2 * self.list.frameWidth() + 2 * self.list.spacing() + 12
        self.list.setFixedWidth(self.list.sizeHintForColumn(0) + frame)

    def widget(self, index: int) -> QWidget | None:
        return self.stack.widget(index)

    def currentWidget(self) -> QWidget | None:  # noqa: N802 - QTabWidget's name
        return self.stack.currentWidget()

    def currentIndex(self) -> int:  # noqa: N802 - QTabWidget's name
        return self.stack.currentIndex()

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802 - QTabWidget's name
        if 0 <= index < self.count():
            self.list.setCurrentRow(index)

    def _row_changed(self, row: int) -> None:
        if row >= 0 and row != self.stack.currentIndex():
            self.stack.setCurrentIndex(row)
            self.currentChanged.emit(row)
