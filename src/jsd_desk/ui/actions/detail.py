"""One action item: its fields (saved as they are edited), where it was agreed, its follow-up
history, a new follow-up, its attachments. Built per item, like the complaint editor, so each
saved edit and its undo belong to the item they were made on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError, ValidationError
from jsd_desk.domain.validation import parse_date
from jsd_desk.i18n import _, ngettext
from jsd_desk.services import action_queries as aq
from jsd_desk.services import actions as service
from jsd_desk.ui.actions.model import ACTION_STATUS_COLOURS, FollowUpModel, date_text
from jsd_desk.ui.attachments import AttachmentsBox
from jsd_desk.ui.complaints.intake import normalize_date_text
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import LINE_MAX, AutosaveField, Kind
from jsd_desk.ui.kit.flow import FlowLayout
from jsd_desk.ui.kit.widgets import (
    error_label,
    fill_vocab_combo,
    heading_label,
    muted,
    show_error,
)
from jsd_desk.ui.language import Retranslatable


class ActionDetailPanel(Retranslatable, QWidget):
    def __init__(self, ctx: UiContext, detail: aq.ActionDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("action_detail")
        self.ctx = ctx
        self.detail = detail
        self.action_id = detail.id
        self.bindings: dict[str, AutosaveField] = {}
        self.setStyleSheet("QLineEdit:read-only, QPlainTextEdit[readOnly=\"true\"] "
                           "{ background: palette(window); }")

        self.title = heading_label(1.15)
        self.title.setObjectName("action_title")
        self.title.setWordWrap(True)
        self.status_chip = QLabel()
        self.status_chip.setObjectName("status_chip")
        self.overdue_chip = QLabel()
        self.overdue_chip.setObjectName("overdue_chip")
        self.overdue_chip.setStyleSheet("QLabel { background: #c0392b; color: white; "
                                        "border-radius: 9px; padding: 2px 10px; "
                                        "font-weight: bold; }")
        chips = FlowLayout(spacing=8)
        chips.addWidget(self.status_chip)
        chips.addWidget(self.overdue_chip)
        top = QVBoxLayout()
        top.addWidget(self.title)
        top.addLayout(chips)
        self.origin = muted(QLabel())
        self.origin.setObjectName("action_origin")
        self.origin.setWordWrap(True)
        self.open_session_button = QPushButton()
        self.open_session_button.setObjectName("action_open_session")
        self.open_session_button.clicked.connect(self._open_session)
        origin_row = QVBoxLayout()
        origin_row.addWidget(self.origin)
        origin_row.addWidget(self.open_session_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.read_only_note = muted(QLabel())
        self.read_only_note.setObjectName("read_only_note")
        self.read_only_note.setWordWrap(True)

        # -- fields ------------------------------------------------------------------------------
        self.fields_box = QGroupBox()
        self.fields_box.setObjectName("action_fields")
        form = QFormLayout(self.fields_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        spacing = self.description.fontMetrics().lineSpacing()
        self.description.setFixedHeight(spacing * 3 + 14)
        self.responsible_party = QComboBox()
        self.owner = QLineEdit()
        self.due_on = QLineEdit()
        self.status = QComboBox()
        self.field_labels: dict[str, QLabel] = {}
        editors: tuple[tuple[str, QLineEdit | QPlainTextEdit | QComboBox, Kind], ...] = (
            ("description", self.description, "text"),
            ("responsible_party", self.responsible_party, "code"),
            ("owner", self.owner, "text"), ("due_on", self.due_on, "date"),
            ("status", self.status, "code"))
        for key, editor, kind in editors:
            self.bindings[key] = AutosaveField(
                editor, key, self._writer(key, date=kind == "date"), kind=kind,
                undo_stack=ctx.undo_stack, describe=self._describer(key))
            label = QLabel()
            label.setBuddy(editor)
            self.field_labels[key] = label
            form.addRow(label, self.bindings[key].container)

        # -- follow-ups --------------------------------------------------------------------------
        self.history_box = QGroupBox()
        self.history_box.setObjectName("follow_up_history")
        self.history_model = FollowUpModel(self)
        self.history = QTableView()
        self.history.setObjectName("follow_ups_table")
        self.history.setModel(self.history_model)
        self.history.verticalHeader().setVisible(False)
        self.history.setWordWrap(True)
        self.history.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.history.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(FollowUpModel.DATE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FollowUpModel.STATUS,
                                    QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FollowUpModel.NOTE, QHeaderView.ResizeMode.Stretch)
        # The session is in each row's tooltip: the note needs the width, and wraps.
        self.history.setColumnHidden(FollowUpModel.SESSION, True)
        header.sectionResized.connect(lambda *_a: self.history.resizeRowsToContents())
        self.history_empty = muted(QLabel())
        self.history_empty.setObjectName("follow_ups_empty")
        self.new_note = QPlainTextEdit()
        self.new_note.setObjectName("note")
        self.new_note.setTabChangesFocus(True)
        self.new_note.setFixedHeight(spacing * 3 + 14)
        self.new_status = QComboBox()
        self.new_status.setObjectName("status_after")
        self.new_date = QLineEdit()
        self.new_date.setObjectName("recorded_on")
        self.new_date.setMaxLength(LINE_MAX)
        self.new_date.setText(dt.date.today().isoformat())
        self.new_date.setMaximumWidth(150)
        self.add_button = QPushButton()
        self.add_button.setObjectName("action_add_follow_up")
        self.add_button.clicked.connect(self.add_follow_up)
        self.note_error = error_label("note_error")
        self.date_error = error_label("recorded_on_error")
        self.follow_up_error = error_label("follow_up_error")
        self.new_labels = [QLabel(), QLabel(), QLabel()]
        for label, buddy in zip(self.new_labels, (self.new_note, self.new_status, self.new_date),
                                strict=True):
            label.setBuddy(buddy)
        new_form = QFormLayout()
        new_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        note_holder = QWidget()
        note_box = QVBoxLayout(note_holder)
        note_box.setContentsMargins(0, 0, 0, 0)
        note_box.addWidget(self.new_note)
        note_box.addWidget(self.note_error)
        new_form.addRow(self.new_labels[0], note_holder)
        new_form.addRow(self.new_labels[1], self.new_status)
        date_holder = QWidget()
        date_box = QVBoxLayout(date_holder)
        date_box.setContentsMargins(0, 0, 0, 0)
        date_box.addWidget(self.new_date)
        date_box.addWidget(self.date_error)
        new_form.addRow(self.new_labels[2], date_holder)
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        history = QVBoxLayout(self.history_box)
        history.addWidget(self.history_empty)
        history.addWidget(self.history)
        self.new_box = QGroupBox()
        self.new_box.setObjectName("new_follow_up")
        new_layout = QVBoxLayout(self.new_box)
        new_layout.addLayout(new_form)
        new_layout.addWidget(self.follow_up_error)
        new_layout.addLayout(add_row)

        self.attachments_box = AttachmentsBox(ctx)
        self.attachments = self.attachments_box.attachments

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addLayout(origin_row)
        layout.addWidget(self.read_only_note)
        layout.addWidget(self.fields_box)
        layout.addWidget(self.history_box)
        layout.addWidget(self.new_box)
        layout.addWidget(self.attachments_box)
        layout.addStretch(1)
        self.retranslate_ui()
        self.show_detail(detail)
        self.attachments.set_record("action_item", detail.id, read_only=not detail.editable)

    def _writer(self, key: str, *, date: bool = False) -> Callable[[Any], None]:
        store, aid = self.ctx.store, self.action_id

        def write(value: Any) -> None:
            if date and isinstance(value, str):
                value = normalize_date_text(value)
            service.update_action_item(store, aid, **{key: value})

        return write

    def _describer(self, key: str) -> Callable[[], str]:
        return lambda: self._titles()[key]

    def _titles(self) -> dict[str, str]:
        return {"description": _("Action item"), "responsible_party": _("Responsible"),
                "owner": _("Owner"), "due_on": _("Due on"), "status": _("Status")}

    def retranslate_ui(self) -> None:
        titles = self._titles()
        for key, label in self.field_labels.items():
            label.setText(titles[key] + ":")
            self.bindings[key].editor.setAccessibleName(titles[key])
        self.fields_box.setTitle(_("Commitment"))
        self.owner.setPlaceholderText(_("Who answers for it (a person or an office)"))
        self.due_on.setPlaceholderText(_("YYYY-MM-DD"))
        self.due_on.setToolTip(_("The date it is due (YYYY-MM-DD or DD/MM/YYYY)"))
        fill_vocab_combo(self.responsible_party, vocab.RESPONSIBLE_PARTY)
        fill_vocab_combo(self.status, vocab.ACTION_STATUS)
        self.open_session_button.setText(_("Open session"))
        self.open_session_button.setAccessibleName(_("Open the session where it was agreed"))
        self.history_box.setTitle(_("Follow-up history"))
        self.history.setAccessibleName(_("Follow-up history"))
        self.history_empty.setText(_("No follow-up yet."))
        self.new_box.setTitle(_("New follow-up"))
        self.new_labels[0].setText(_("What was said:"))
        self.new_labels[1].setText(_("Status after:"))
        self.new_labels[2].setText(_("Date:"))
        self.new_note.setPlaceholderText(_("Progress reported, what remains, what was decided"))
        self.new_note.setAccessibleName(_("Follow-up note"))
        self.new_status.setAccessibleName(_("Status after the follow-up"))
        self.new_date.setAccessibleName(_("Date of the follow-up"))
        fill_vocab_combo(self.new_status, vocab.ACTION_STATUS, empty=_("(unchanged)"))
        self.add_button.setText(_("Add follow-up"))
        self.add_button.setAccessibleName(_("Add the follow-up"))
        self.history_model.retranslate()
        self._show_header()

    def refresh(self) -> bool:
        try:
            detail = aq.action_detail(self.ctx.store, self.action_id)
        except JsdError:
            return False
        self.show_detail(detail)
        return True

    def show_detail(self, d: aq.ActionDetail) -> None:
        self.detail = d
        values = {"description": d.description, "responsible_party": d.responsible_party,
                  "owner": d.owner, "due_on": d.due_on, "status": d.status}
        for key, value in values.items():
            self.bindings[key].load(value)
            self.bindings[key].set_read_only(not d.editable)
        if not self.owner.hasFocus():
            self.owner.setCursorPosition(0)  # a long value shows its beginning
        for widget in (self.new_note, self.new_status, self.new_date, self.add_button):
            widget.setEnabled(d.editable)
        self.history_model.set_rows(d.follow_ups)
        self.history.resizeRowsToContents()
        rows = len(d.follow_ups)
        self.history.setVisible(rows > 0)
        self.history_empty.setVisible(rows == 0)
        row_height = self.history.verticalHeader().defaultSectionSize()
        self.history.setMinimumHeight(min(max(rows, 1), 5) * row_height
                                      + self.history.horizontalHeader().height() + 6)
        self._show_header()

    def _show_header(self) -> None:
        d = self.detail
        summary = " ".join(d.description.split())
        self.title.setText(summary if len(summary) <= 120 else summary[:119] + "…")
        self.title.setToolTip(d.description[:1000])
        status = d.status or ""
        colour = ACTION_STATUS_COLOURS.get(status, "#777777")
        self.status_chip.setText(vocab.ACTION_STATUS.label(status) if status else "?")
        self.status_chip.setStyleSheet(f"QLabel {{ background: {colour}; color: white; "
                                       "border-radius: 9px; padding: 2px 10px; "
                                       "font-weight: bold; }")
        self.status_chip.setAccessibleName(_("Status: {status}", status=self.status_chip.text()))
        self.overdue_chip.setVisible(d.overdue)
        if d.overdue and d.due_on:
            days = (dt.date.today() - d.due_on).days
            self.overdue_chip.setText(ngettext("Overdue by {n} day", "Overdue by {n} days", days))
            self.overdue_chip.setAccessibleName(self.overdue_chip.text())
        parts = []
        if d.session_title or d.session_starts:
            when = date_text(d.session_starts.date()) if d.session_starts else ""
            parts.append(_("Agreed on {date} in “{session}”", date=when, session=d.session_title))
        if d.platform:
            parts.append(d.platform)
        if d.priority_problem:
            parts.append(_("Priority problem: {title}", title=d.priority_problem))
        self.origin.setText(" · ".join(parts))
        self.open_session_button.setVisible(bool(d.session_id))
        self.read_only_note.setVisible(not d.editable)
        self.read_only_note.setText(_("A liaison officer updates only the security forces' "
                                      "action items; this one is read-only here."))

    def _open_session(self) -> None:
        if self.detail.session_id:
            self.ctx.signals.open_requested.emit("session", self.detail.session_id)

    def add_follow_up(self) -> str | None:
        """Record the follow-up typed below the history; refused values are explained in place
        and nothing is written."""
        for label in (self.note_error, self.date_error, self.follow_up_error):
            show_error(label, None)
        note = self.new_note.toPlainText().strip()
        if not note:
            show_error(self.note_error, _("Say what was reported about this action item."))
            self.new_note.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        try:
            recorded = parse_date(normalize_date_text(self.new_date.text()), "recorded_on")
            fid = service.add_follow_up(self.ctx.store, self.action_id, note=note,
                                        status_after=self.new_status.currentData(),
                                        recorded_on=recorded)
        except ValidationError as exc:
            target = {"recorded_on": self.date_error, "note": self.note_error}.get(
                exc.field, self.follow_up_error)
            show_error(target, exc.message())
            return None
        except JsdError as exc:
            show_error(self.follow_up_error, exc.message())
            return None
        self.new_note.clear()
        self.new_status.setCurrentIndex(0)
        self.new_date.setText(dt.date.today().isoformat())
        self.ctx.signals.status_message.emit(_("Follow-up recorded."))
        self.refresh()
        return fid
