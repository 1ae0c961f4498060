"""Small widget helpers shared by every page: combos filled from vocabularies, headings,
inline error labels, muted text, lines, names for screen readers, the standard list view."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QTableView,
    QWidget,
)

from jsd_desk.domain.vocab import Vocabulary
from jsd_desk.ui.kit.table import RowsTableModel

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


def combo_width_for(combo: QComboBox, text: str) -> int:
    """The width ``combo`` needs to show ``text`` whole with its frame, arrow and icon."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    icon = combo.iconSize().width() + 4 if not combo.itemIcon(combo.currentIndex()).isNull() \
        else 0
    contents = QSize(combo.fontMetrics().horizontalAdvance(text) + icon + 2,
                     combo.fontMetrics().height())
    return combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, contents,
                                          combo).width()


def fit_to_choice(combo: QComboBox, *, least: int = 0) -> None:
    """Keep ``combo`` as wide as its current choice (at least ``least`` px), not as its longest
    item: a filter reading "All categories" stays narrow, and whatever is chosen shows whole.
    Call once; it follows the choice and the language (item texts) from then on."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(1)

    def fit(*_args: object) -> None:
        combo.setMinimumWidth(max(least, combo_width_for(combo, combo.currentText())))

    combo.currentIndexChanged.connect(fit)
    combo.currentTextChanged.connect(fit)
    model = combo.model()
    model.dataChanged.connect(fit)
    model.modelReset.connect(fit)
    model.rowsInserted.connect(fit)
    fit()


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


def table_view(name: str, *, wrap: bool = False) -> QTableView:
    """A list of records as the pages show them: whole rows selected one at a time, read-only
    cells, alternating rows a line of text tall (plus padding: touch-pad friendly), no row
    numbers. ``wrap``: long cells wrap instead of eliding (conflicting values)."""
    view = QTableView()
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(wrap)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setHighlightSections(False)
    view.verticalHeader().setMinimumSectionSize(view.fontMetrics().height() + 10)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    return view


def current_id(view: QAbstractItemView, model: RowsTableModel[Any]) -> str | None:
    """The record id of ``view``'s current row, read from its kit ``model`` (None: no row)."""
    index = view.selectionModel().currentIndex()
    if not index.isValid():
        return None
    value = model.id_at(index.row())
    return str(value) if value else None




def add_action(owner: QWidget, name: str, slot: Callable[[], Any],
               icon: QStyle.StandardPixmap | None = None) -> QAction:
    """A named action of ``owner`` (its shortcut works wherever the focus is inside it); the
    text is set in the owner's ``retranslate_ui``."""
    action = QAction(owner)
    action.setObjectName(name)
    if icon is not None:
        action.setIcon(owner.style().standardIcon(icon))
    action.triggered.connect(lambda _checked=False: slot())
    owner.addAction(action)
    return action


def ok_cancel(dialog: QDialog, on_ok: Callable[[], Any]) -> QDialogButtonBox:
    """A dialog's OK and Cancel buttons: OK runs ``on_ok`` (which accepts the dialog when it
    is done), Cancel rejects it."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons
