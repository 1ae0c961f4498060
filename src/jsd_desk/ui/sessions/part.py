"""What every part of the session editor shares: the session it edits, self-saving fields, labels
retranslated in place, and the small widgets the parts are built from.

A part shows one aspect of a session (details, minutes, concerns…). The editor composes them,
hands each the current record after every reload, and says whether it may be edited. A
``ListPart`` lists records of the session (concerns, complaints, commitments, follow-ups,
amendments) and, most of them, records a new one in a box below the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import N_, _
from jsd_desk.services.views import ActionItemView, SessionView
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import AutosaveField, ErrorLabel
from jsd_desk.ui.kit.roles import ID_ROLE
from jsd_desk.ui.kit.table import Column, RowsTableModel
from jsd_desk.ui.kit.widgets import table_view
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
        self.record: SessionView | None = None  # the session as last shown
        self.fields: list[AutosaveField] = []
        self._labels: list[tuple[QLabel, str]] = []

    # -- for the editor ----------------------------------------------------------------------

    def show_record(self, record: SessionView) -> None:
        """Show the session as it is now (after every save, here or elsewhere)."""
        self.record = record
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


class _Record(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Record)


class _Clearable(Protocol):
    def clear(self) -> None: ...


class ListPart(EditorPart, Generic[R]):
    """A part listing records of the session (the kit's model in a table, ``LIST_NAME`` its
    accessible name) and, when ``ADD_NAME`` is set, a box below to record a new one
    (``{ADD_NAME}_form``, ``{ADD_NAME}_error``, ``action_add_{ADD_NAME}``; ``BOX_TITLE``,
    ``ADD_TEXT``) whose button calls ``add()``. Its title counts the rows listed."""

    LIST_NAME = ""
    ADD_NAME = ""
    BOX_TITLE = ""
    ADD_TEXT = ""

    def __init__(self, ctx: UiContext, session_id: str, saved: Callable[[], None],
                 columns: Sequence[Column[R]], view_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, session_id, saved, parent)
        self.model: RowsTableModel[R] = RowsTableModel(columns, lambda r: r.id, self)
        self.view = table(view_name)
        self.view.setModel(self.model)
        self.box: QGroupBox | None = None
        if self.ADD_NAME:
            self.box, self.form, self.error, self.add_button = add_form(self.ADD_NAME)
            self.add_button.clicked.connect(self.add)

    def lay_out(self, rows: Sequence[tuple[str, QWidget]] = (), *, hint: QLabel | None = None,
                below: QLayout | None = None) -> None:
        """The part's layout: ``hint`` above the list, the form's ``rows`` (a label msgid and
        its editor) in the box, ``below`` under it all."""
        if self.box is not None:
            for msgid, editor in rows:
                self.form.addRow(self.label(msgid, editor), editor)
            self.form.addRow(self.error)
            button_row(self.form, self.add_button)
        layout = QVBoxLayout(self)
        if hint is not None:
            layout.addWidget(hint)
        layout.addWidget(self.view, 1)
        if self.box is not None:
            layout.addWidget(self.box)
        if below is not None:
            layout.addLayout(below)

    def count(self) -> int:
        return self.model.rowCount()

    def set_editable(self, editable: bool, *, facilitator: bool, finalized: bool) -> None:
        super().set_editable(editable, facilitator=facilitator, finalized=finalized)
        if self.box is not None:
            self.box.setEnabled(editable)

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        if self.box is not None:
            self.box.setTitle(_(self.BOX_TITLE))
            self.add_button.setText(_(self.ADD_TEXT))
            self.add_button.setAccessibleName(self.add_button.text())
        self.view.setAccessibleName(_(self.LIST_NAME))
        self.model.retranslate()

    def add(self) -> None:
        """Record a new item from the box's fields (parts with a box define it)."""
        raise NotImplementedError

    def record_new(self, write: Callable[[], object], *typed: _Clearable) -> bool:
        """Run ``write`` (the service call that records the new item): refused, say why under
        the form and keep what was typed; recorded, clear the ``typed`` fields and re-read the
        session. True when recorded."""
        try:
            write()
        except JsdError as exc:
            self.error.show_error(exc)
            return False
        self.error.show_error(None)
        for editor in typed:
            editor.clear()
        self.saved()
        return True


def table(name: str) -> QTableView:
    """The kit's list view, its columns resizable (``fit_headers`` sets them up)."""
    view = table_view(name)
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
