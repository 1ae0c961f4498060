"""What every part of the session editor shares: the session it edits, self-saving fields, labels
retranslated in place, and the small widgets the parts are built from.

A part shows one aspect of a session (details, minutes, concerns…). The editor composes them,
hands each the current record after every reload, and says whether it may be edited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QTableView,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_, _
from jsd_desk.services.views import ActionItemView, SessionView
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import AutosaveField, ErrorLabel
from jsd_desk.ui.kit.roles import ID_ROLE
from jsd_desk.ui.kit.table import Column, RowsTableModel
from jsd_desk.ui.language import Retranslatable
from jsd_desk.ui.sessions.models import fmt_date


class EditorPart(Retranslatable, QWidget):
    """One part of the session editor. ``edited`` is emitted after it saved something;
    ``saved()`` also asks the editor to re-read the session (a record was added)."""

    edited = Signal()
    # The part's title in the editor's section list; "{n}" is replaced by ``count()``.
    TITLE = ""

    def __init__(self, ctx: UiContext, session_id: str, saved: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.store = ctx.store
        self.session_id = session_id
        self._saved = saved
        self.fields: list[AutosaveField] = []
        self._labels: list[tuple[QLabel, str]] = []

    # -- for the editor ----------------------------------------------------------------------

    def show_record(self, record: SessionView) -> None:
        """Show the session as it is now (after every save, here or elsewhere)."""
        for field in self.fields:
            field.load(getattr(record, field.field))

    def set_editable(self, editable: bool, *, facilitator: bool, finalized: bool) -> None:
        for field in self.fields:
            field.set_read_only(not editable)

    def count(self) -> int | None:
        """How many records the part lists (shown in its title), or None."""
        return None

    def retranslate_ui(self) -> None:
        for label, msgid in self._labels:
            label.setText(_(msgid))
            buddy = label.buddy()
            if buddy is not None:
                buddy.setAccessibleName(label.text().replace("&", "").rstrip(": "))

    # -- for the parts -----------------------------------------------------------------------

    def saved(self) -> None:
        self.edited.emit()
        self._saved()

    def label(self, msgid: str, buddy: QWidget | None = None) -> QLabel:
        label = QLabel()
        if buddy is not None:
            label.setBuddy(buddy)
        self._labels.append((label, msgid))
        return label

    def field(self, editor: Any, name: str, write: Callable[[Any], None], *,
              kind: str = "text", describe: str = "") -> AutosaveField:
        field = AutosaveField(editor, name, write, kind=kind,  # type: ignore[arg-type]
                              undo_stack=self.ctx.undo_stack,
                              describe=lambda: _(describe) if describe else name)
        field.saved.connect(lambda _o, _n: self.edited.emit())
        self.fields.append(field)
        return field

    def open_row(self, entity: str, model: RowsTableModel[Any], index: QModelIndex) -> None:
        record_id = model.data(model.index(index.row(), 0), ID_ROLE)
        if record_id:
            self.ctx.signals.open_requested.emit(entity, str(record_id))


def table(name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


def heading_width(header: QHeaderView, section: int) -> int:
    """The width ``section``'s heading needs to be read whole, margins included."""
    model = header.model()
    text = model.headerData(section, header.orientation(), Qt.ItemDataRole.DisplayRole) \
        if model is not None else None
    margin = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    metrics = header.fontMetrics()
    lines = str(text or "").splitlines() or [""]
    return max(metrics.horizontalAdvance(line) for line in lines) + margin + 4


def fit_headers(view: QTableView, stretch: int, contents: tuple[int, ...] = ()) -> None:
    """``stretch`` takes the room left; ``contents`` (short codes, dates) are as wide as their
    values and heading; the others start at a sensible width. No heading is cut short, whatever
    the language (the layout follows a language change); a long value is elided in its cell."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    for column in range(header.count()):
        mode = (QHeaderView.ResizeMode.Stretch if column == stretch else
                QHeaderView.ResizeMode.ResizeToContents if column in contents else
                QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(column, mode)

    def fit() -> None:
        # Sections never go below the stretching column's heading (Qt has one minimum for all).
        header.setMinimumSectionSize(max(40, heading_width(header, stretch)))
        for column in range(header.count()):
            if column != stretch and column not in contents:
                header.resizeSection(column, max(130, heading_width(header, column)))

    fit()
    model = view.model()
    if model is not None:
        model.headerDataChanged.connect(lambda *_a: fit())


def vocab_items(v: vocab.Vocabulary, blank: str | None = None) -> list[tuple[str | None, str]]:
    items: list[tuple[str | None, str]] = [(None, blank)] if blank is not None else []
    return items + [(c, v.label(c)) for c in v.codes()]


def short_text(editor: QPlainTextEdit, lines: int = 3) -> QPlainTextEdit:
    editor.setTabChangesFocus(True)  # Tab moves on: a keyboard route through the form
    height = editor.fontMetrics().lineSpacing() * lines + 14
    editor.setFixedHeight(height)
    return editor


def italic(label: QLabel) -> QLabel:
    font = QFont(label.font())
    font.setItalic(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


def add_form(name: str) -> tuple[QGroupBox, QFormLayout, ErrorLabel, QPushButton]:
    """A box to record a new item: its form, its error line and its button."""
    box = QGroupBox()
    box.setObjectName(f"{name}_form")
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    # Labels above their fields when the part is narrow (a long label in the longest language).
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    error = ErrorLabel()
    error.setObjectName(f"{name}_error")
    button = QPushButton()
    button.setObjectName(f"action_add_{name}")
    button.setAutoDefault(False)
    return box, form, error, button


def button_row(form: QFormLayout, button: QPushButton) -> None:
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(button)
    form.addRow(row)


def action_columns() -> list[Column[ActionItemView]]:
    return [
        Column(N_("Commitment"), lambda a: a.description or ""),
        Column(N_("Responsible"), lambda a: vocab.RESPONSIBLE_PARTY.label(a.responsible_party or "")),
        Column(N_("Owner"), lambda a: a.owner or ""),
        Column(N_("Due"), lambda a: fmt_date(a.due_on)),
        Column(N_("Status"), lambda a: vocab.ACTION_STATUS.label(a.status or "")),
    ]
