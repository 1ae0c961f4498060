"""The Conflicts view: fields two devices changed before they synced, and a choice between them.

Each conflicting field is a row (kind of record, the record, the field, the value the records
show now and the others); below it, the competing values with the device that wrote each and
when. Keeping one calls ``services.sync.resolve_conflict``: the choice is itself an event, so the
other devices settle the same way once they receive it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QSplitter,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain.errors import JsdError
from jsd_desk.domain.records import ENTITIES
from jsd_desk.i18n import N_, _
from jsd_desk.services import queries
from jsd_desk.services import sync as sync_service
from jsd_desk.services.search import Hit  # a reference to a record, as search returns them
from jsd_desk.services.sync import ConflictView, Head
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.roles import ROW_ROLE
from jsd_desk.ui.kit.table import Column, RowsTableModel
from jsd_desk.ui.kit.widgets import table_view
from jsd_desk.ui.language import Retranslatable

# What people call each kind of record and each field (the store's names are codes).
ENTITY_LABELS: dict[str, str] = {
    "place": N_("Place"), "platform": N_("Platform"), "priority_problem": N_("Priority problem"),
    "session": N_("Session"), "agenda_item": N_("Agenda item"), "attendance": N_("Attendance"),
    "concern": N_("Concern"), "complaint": N_("Complaint"), "complainant": N_("Complainant"),
    "complaint_status_change": N_("Complaint status change"), "action_item": N_("Action item"),
    "follow_up": N_("Follow-up"), "amendment": N_("Amendment"), "attachment": N_("Attachment"),
    "complaint_target": N_("Complaint target time"),
}
FIELD_LABELS: dict[str, str] = {
    "deleted": N_("Deleted"), "parent_id": N_("Part of"), "level": N_("Level"),
    "code": N_("Code"), "name": N_("Name"), "place_id": N_("Place"),
    "description": N_("Description"), "platform_id": N_("Platform"), "title": N_("Title"),
    "status": N_("Status"), "kind": N_("Kind"), "starts_at": N_("Starts"), "ends_at": N_("Ends"),
    "venue": N_("Venue"), "language": N_("Language"), "facilitator": N_("Facilitator"),
    "minutes": N_("Minutes"), "finalized_at": N_("Finalized on"), "session_id": N_("Session"),
    "position": N_("Position"), "notes": N_("Notes"), "category": N_("Category"),
    "gender": N_("Gender"), "count": N_("Count"), "names": N_("Names"), "theme": N_("Theme"),
    "raised_by": N_("Raised by"), "priority_problem_id": N_("Priority problem"),
    "reference": N_("Reference"), "receipt_code": N_("Receipt code"),
    "received_on": N_("Received on"), "channel": N_("Channel"), "against": N_("Against"),
    "anonymous": N_("Anonymous"), "referred_to": N_("Referred to"), "response": N_("Response"),
    "outcome": N_("Outcome"), "complaint_id": N_("Complaint"), "contact": N_("Contact"),
    "age_group": N_("Age group"), "from_status": N_("From status"), "to_status": N_("To status"),
    "changed_at": N_("Changed on"), "note": N_("Note"), "action_item_id": N_("Action item"),
    "status_after": N_("Status after"), "recorded_on": N_("Recorded on"),
    "responsible_party": N_("Responsible party"), "owner": N_("Owner"), "due_on": N_("Due on"),
    "field": N_("Field"), "text": N_("Text"), "recorded_at": N_("Recorded on"),
    "entity": N_("Record kind"), "entity_id": N_("Record"), "filename": N_("File name"),
    "media_type": N_("File type"), "sha256": N_("File fingerprint"), "size": N_("Size"),
    "caption": N_("Caption"), "severity": N_("Severity"),
    "liaison_device_id": N_("Liaison device"), "review_days": N_("Days to review"),
    "referral_days": N_("Days to refer or answer"), "resolution_days": N_("Days to resolve"),
}


def entity_label(entity: str) -> str:
    return _(ENTITY_LABELS[entity]) if entity in ENTITY_LABELS else entity


def field_label(field: str) -> str:
    return _(FIELD_LABELS[field]) if field in FIELD_LABELS else field.replace("_", " ")


def local_time(value: dt.datetime) -> str:
    """A UTC time from the log, shown in this computer's time."""
    return value.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def format_value(entity: str, field: str, value: Any, refs: dict[tuple[str, str], str]) -> str:
    """A field's value as people read it: vocabulary labels, dates, the referenced record."""
    if isinstance(value, dict):  # a sealed value this device may not open
        return _("Confidential")
    if field == "deleted":
        return _("Deleted") if value else _("Not deleted")
    if value is None or value == "":
        return _("(empty)")
    spec = ENTITIES[entity].fields.get(field) if entity in ENTITIES else None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if spec is not None and isinstance(value, str):
        if spec.kind == "code" and spec.vocab is not None and value in spec.vocab:
            return spec.vocab.label(value)
        if spec.kind == "datetime":
            try:
                return dt.datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")
            except ValueError:
                return value
        if spec.kind == "ref" and spec.ref is not None:
            return refs.get((spec.ref, value), value[:8])
    return str(value)


@dataclass(frozen=True)
class ConflictRow:
    """One conflicting field, with what the view shows of it."""

    conflict: ConflictView
    record: str  # the record's title or reference, or a short id when it is not readable here
    refs: dict[tuple[str, str], str]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.conflict.entity, self.conflict.entity_id, self.conflict.field)

    def value(self, head: Head) -> str:
        return format_value(self.conflict.entity, self.conflict.field, head.value, self.refs)

    def shown(self) -> str:
        return " / ".join(self.value(h) for h in self.conflict.heads if h.winning)

    def others(self) -> str:
        return " / ".join(self.value(h) for h in self.conflict.heads if not h.winning)


@dataclass(frozen=True)
class HeadRow:
    row: ConflictRow
    head: Head


def conflict_rows(ctx: UiContext) -> list[ConflictRow]:
    """The open conflicts of the store, with the titles of their records and of referenced ones."""
    found = sync_service.list_conflicts(ctx.workspace)
    targets = {Hit(c.entity, c.entity_id) for c in found}
    for c in found:
        spec = ENTITIES.get(c.entity)
        kind = spec.fields.get(c.field) if spec else None
        if kind is not None and kind.kind == "ref" and kind.ref is not None:
            targets |= {Hit(kind.ref, str(h.value)) for h in c.heads
                        if isinstance(h.value, str) and h.value}
    ordered: list[Hit] = sorted(targets, key=lambda t: (t.entity, t.entity_id))
    refs = {(h.entity, h.record_id): h.label for h in queries.describe_hits(ctx.store, ordered)}
    return [ConflictRow(c, refs.get((c.entity, c.entity_id), c.entity_id[:8]), refs)
            for c in found]


def conflict_columns() -> list[Column[ConflictRow]]:
    return [
        Column(N_("Kind of record"), lambda r: entity_label(r.conflict.entity)),
        Column(N_("Title or reference"), lambda r: r.record),
        Column(N_("Field"), lambda r: field_label(r.conflict.field)),
        Column(N_("Shown now"), lambda r: r.shown()),
        Column(N_("Other values"), lambda r: r.others()),
    ]


def head_columns() -> list[Column[HeadRow]]:
    return [
        Column(N_("Value"), lambda h: h.row.value(h.head)),
        Column(N_("Written on"), lambda h: h.head.device_name or h.head.device_id[:8]),
        Column(N_("Written at"), lambda h: local_time(h.head.written_at)),
        Column(N_("Now"), lambda h: _("shown now") if h.head.winning else ""),
    ]



class ConflictsView(Retranslatable, QWidget):
    """``count_changed(n)``: the number of open conflicts after a refresh."""

    count_changed = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflicts_view")
        self.ctx = ctx
        self.count = 0

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.empty = QLabel()
        self.empty.setObjectName("conflicts_empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.empty.font())
        font.setItalic(True)
        self.empty.setFont(font)

        self.model: RowsTableModel[ConflictRow] = RowsTableModel(
            conflict_columns(), lambda r: "|".join(r.key), self)
        self.table = table_view("conflicts_table", wrap=True)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._conflict_chosen)
        self.table.doubleClicked.connect(lambda _i: self.open_record())

        self.heads_label = QLabel()
        self.heads_label.setObjectName("conflict_heads_label")
        self.heads_label.setWordWrap(True)
        self.heads_model: RowsTableModel[HeadRow] = RowsTableModel(
            head_columns(), lambda h: h.head.stamp, self)
        self.heads = table_view("conflict_values", wrap=True)
        self.heads.setModel(self.heads_model)
        heads_header = self.heads.horizontalHeader()
        heads_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            heads_header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.heads.selectionModel().currentRowChanged.connect(lambda _c, _p: self._update_actions())
        self.heads.doubleClicked.connect(lambda _i: self.keep_selected())

        style = self.style()
        self.action_keep = QAction(self)
        self.action_keep.setObjectName("action_keep_conflict_value")
        self.action_keep.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton))
        self.action_keep.triggered.connect(lambda _c=False: self.keep_selected())
        self.action_open = QAction(self)
        self.action_open.setObjectName("action_open_conflict_record")
        self.action_open.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_FileDialogContentsView))
        self.action_open.triggered.connect(lambda _c=False: self.open_record())
        self.action_refresh = QAction(self)
        self.action_refresh.setObjectName("action_refresh_conflicts")
        self.action_refresh.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.action_refresh.triggered.connect(lambda _c=False: self.refresh())
        self.keep_button = self._button(self.action_keep, "keep_conflict_value_button")
        self.open_button = self._button(self.action_open, "open_conflict_record_button")
        self.refresh_button = self._button(self.action_refresh, "refresh_conflicts_button")
        self.keep_hint = QLabel()
        self.keep_hint.setWordWrap(True)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 6, 0, 0)
        lower_layout.addWidget(self.heads_label)
        lower_layout.addWidget(self.heads, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.keep_hint, 1)
        buttons.addWidget(self.open_button)
        lower_layout.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("conflicts_splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)

        top = QHBoxLayout()
        top.addWidget(self.intro, 1)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.empty, 1)
        self.retranslate_ui()
        self.refresh()

    @staticmethod
    def _button(action: QAction, name: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        return button

    # -- language --------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.intro.setText(_("Two devices changed these fields before they synced. The records "
                             "show the latest change; the other values are kept here until "
                             "someone chooses."))
        self.empty.setText(_("No conflicts. When two devices change the same field before they "
                             "sync, both values are kept here until someone chooses."))
        self.empty.setAccessibleName(self.empty.text())
        self.table.setAccessibleName(_("Conflicting fields"))
        self.heads.setAccessibleName(_("Competing values"))
        self.action_keep.setText(_("&Keep this value"))
        self.action_keep.setToolTip(_("Keep the selected value on every device"))
        self.keep_button.setAccessibleName(_("Keep this value"))
        self.keep_hint.setText(_("Your choice is recorded as a new change and reaches the other "
                                 "devices with the next bundle."))
        self.action_open.setText(_("Open the record"))
        self.action_open.setToolTip(_("Show the record this field belongs to"))
        self.open_button.setAccessibleName(_("Open the record"))
        self.action_refresh.setText(_("Refresh"))
        self.refresh_button.setAccessibleName(_("Refresh the conflicts"))
        self.model.retranslate()
        self.heads_model.retranslate()
        self._describe_current()

    # -- data ------------------------------------------------------------------------------------

    def refresh(self) -> None:
        current = self.current_row()
        key = current.key if current is not None else None
        rows = conflict_rows(self.ctx)
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        for col in range(self.model.columnCount()):
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), 320))
        self.table.resizeRowsToContents()
        chosen = next((i for i, r in enumerate(rows) if r.key == key), 0 if rows else -1)
        if chosen >= 0:
            self.table.setCurrentIndex(self.model.index(chosen, 0))
        else:
            self._show_heads(None)
        self.splitter.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self.count = len(rows)
        self.count_changed.emit(self.count)

    def current_row(self) -> ConflictRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def selected_head(self) -> HeadRow | None:
        index = self.heads.currentIndex()
        return self.heads_model.row_at(index.row()) if index.isValid() else None

    def _conflict_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.data(current, ROW_ROLE) if current.isValid() else None
        self._show_heads(row if isinstance(row, ConflictRow) else None)

    def _show_heads(self, row: ConflictRow | None) -> None:
        heads = ([HeadRow(row, h) for h in sorted(row.conflict.heads, key=lambda h: h.stamp)]
                 if row is not None else [])
        self.heads_model.set_rows(heads)
        self.heads.resizeRowsToContents()
        self._describe_current()
        self._update_actions()

    def _describe_current(self) -> None:
        row = self.current_row()
        if row is None:
            self.heads_label.setText("")
            return
        self.heads_label.setText(_("{field} of {kind} “{record}”: choose the value to keep.",
                                   field=field_label(row.conflict.field),
                                   kind=entity_label(row.conflict.entity).lower(),
                                   record=row.record))
        self.heads_label.setAccessibleName(self.heads_label.text())

    def _update_actions(self) -> None:
        head = self.selected_head()
        # A sealed value this device cannot open cannot be chosen here: it would be re-sealed
        # as the marker instead of the identity.
        self.action_keep.setEnabled(head is not None and not isinstance(head.head.value, dict))
        self.action_open.setEnabled(self.current_row() is not None)

    # -- actions ---------------------------------------------------------------------------------

    def keep_selected(self) -> bool:
        """Keep the selected value: an event that settles the conflict everywhere."""
        head = self.selected_head()
        if head is None or not self.action_keep.isEnabled():
            return False
        c = head.row.conflict
        try:
            sync_service.resolve_conflict(self.ctx.workspace, c.entity, c.entity_id, c.field,
                                          stamp=head.head.stamp)
        except JsdError as exc:
            QMessageBox.warning(self, _("Conflicts"), exc.message())
            self.refresh()
            return False
        self.ctx.signals.status_message.emit(
            _("Kept “{value}” for {field}.", value=_short(head.row.value(head.head)),
              field=field_label(c.field)))
        self.refresh()
        return True

    def open_record(self) -> None:
        row = self.current_row()
        if row is not None:
            self.ctx.signals.open_requested.emit(row.conflict.entity, row.conflict.entity_id)


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"
