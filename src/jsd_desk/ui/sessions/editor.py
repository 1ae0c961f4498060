"""The session editor: a header (title, status, history, export, finalize) above its parts —
details and agenda, attendance, minutes, concerns, complaints received, new action items,
follow-up of the platform's earlier commitments, and amendments — listed as sections on the
left, since their titles with counts do not fit a tab bar on a small laptop.

Fields save themselves (``ui.fields``); new records (a concern, an action item…) are added with
a button. Finalizing locks the session: every part turns read-only and corrections are recorded
as amendments, listed in their own section.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QToolButton, QVBoxLayout, QWidget

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError, ValidationError
from jsd_desk.i18n import N_, _
from jsd_desk.services import queries
from jsd_desk.services import sessions as session_service
from jsd_desk.services.views import SessionView
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import AutosaveField, flush_all
from jsd_desk.ui.history_dialog import HistoryButton
from jsd_desk.ui.language import Retranslatable
from jsd_desk.ui.minutes_dialog import export_minutes_dialog
from jsd_desk.ui.sessions.actions_part import ActionsPart
from jsd_desk.ui.sessions.amendments_part import AmendmentsPart
from jsd_desk.ui.sessions.attendance import AttendanceGrid
from jsd_desk.ui.sessions.complaints_part import ComplaintsPart
from jsd_desk.ui.sessions.concerns_part import ConcernsPart
from jsd_desk.ui.sessions.details_part import DetailsPart
from jsd_desk.ui.sessions.follow_up_part import FollowUpPart
from jsd_desk.ui.sessions.minutes_part import MinutesPart
from jsd_desk.ui.sessions.models import fmt_datetime
from jsd_desk.ui.sessions.part import EditorPart
from jsd_desk.ui.sessions.sections import SectionTabs

ATTENDANCE_TITLE = N_("&Attendance")


class SessionEditor(Retranslatable, QWidget):
    """Edits one session. ``changed`` is emitted after this editor saved something."""

    changed = Signal()

    def __init__(self, ctx: UiContext, session_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("session_editor")
        self.ctx = ctx
        self.store = ctx.store
        self.session_id = session_id
        record = queries.session(self.store, session_id)
        if record is None:
            raise ValidationError("session", N_("No such session."))
        self.record: SessionView = record

        self._build_header()
        self.details = DetailsPart(ctx, session_id, self._saved)
        self.attendance = AttendanceGrid(ctx, session_id)
        self.minutes = MinutesPart(ctx, session_id, self._saved)
        self.concerns = ConcernsPart(ctx, session_id, self._saved)
        self.complaints = ComplaintsPart(ctx, session_id, self._saved)
        self.action_items = ActionsPart(ctx, session_id, self._saved)
        self.follow_up = FollowUpPart(ctx, session_id, self._saved)
        self.amendments = AmendmentsPart(ctx, session_id, self._saved)
        self.parts: list[EditorPart] = [self.details, self.minutes, self.concerns, self.complaints,
                                        self.action_items, self.follow_up, self.amendments]
        self.tabs = SectionTabs()
        self.tabs.setObjectName("session_tabs")
        for part in self.parts:
            part.edited.connect(self.changed.emit)
            part.retranslate_ui()  # later, each part retranslates itself on LanguageChange
        for widget in (self.details, self.attendance, *self.parts[1:]):
            self.tabs.addTab(widget, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.title_label)
        layout.addLayout(self.header)
        layout.addWidget(self.tabs, 1)

        self.reload()
        self.retranslate_ui()

    @property
    def fields(self) -> list[AutosaveField]:
        return [f for part in self.parts for f in part.fields]

    # == building ====================================================================================

    def _build_header(self) -> None:
        # The title has the editor's whole width (wrapping), the state and the commands a row
        # below it: a long title no longer squeezes them, nor they it.
        self.title_label = QLabel()
        self.title_label.setObjectName("session_heading")
        font = QFont(self.title_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title_label.setWordWrap(True)
        self.title_label.setMinimumWidth(120)
        self.status_label = QLabel()
        self.status_label.setObjectName("session_status")
        self.status_label.setWordWrap(True)
        self.action_finalize = QAction(self)
        self.action_finalize.setObjectName("action_finalize_session")
        self.action_finalize.setShortcut(QKeySequence("Ctrl+Shift+F"))
        self.action_finalize.triggered.connect(lambda _c=False: self.finalize())
        self.addAction(self.action_finalize)
        self.action_export = QAction(self)
        self.action_export.setObjectName("action_export_minutes")
        self.action_export.setShortcut(QKeySequence("Ctrl+E"))
        self.action_export.triggered.connect(lambda _c=False: self.export_minutes())
        self.addAction(self.action_export)
        self.finalize_button = QToolButton()
        self.finalize_button.setObjectName("finalize_button")
        self.finalize_button.setDefaultAction(self.action_finalize)
        self.finalize_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.export_button = QToolButton()
        self.export_button.setObjectName("export_minutes_button")
        self.export_button.setDefaultAction(self.action_export)
        self.export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.header = QHBoxLayout()
        self.header.addWidget(self.status_label, 1)
        self.history_button = HistoryButton(self, lambda: (self.store, self.session_id))
        self.header.addWidget(self.history_button)
        self.header.addWidget(self.export_button)
        self.header.addWidget(self.finalize_button)

    # == language ===================================================================================

    def retranslate_ui(self) -> None:
        self._retitle_tabs()
        self.tabs.setAccessibleName(_("Parts of the session"))
        self.tabs.list.setAccessibleName(_("Parts of the session"))
        self._update_header()

    def _retitle_tabs(self) -> None:
        titles: list[tuple[str, int | None]] = [(ATTENDANCE_TITLE, None)]
        titles[0:0] = [(self.details.TITLE, None)]
        titles += [(p.TITLE, p.count()) for p in self.parts[1:]]
        for i, (msgid, n) in enumerate(titles):
            self.tabs.setTabText(i, _(msgid, n=n) if n is not None else _(msgid))

    def _update_header(self) -> None:
        rec = self.record
        self.title_label.setText(f"{rec.title or _('(untitled)')}")
        self.title_label.setToolTip(fmt_datetime(rec.starts_at))
        finalized = rec.status == "finalized"
        status = vocab.SESSION_STATUS.label(rec.status or "draft")
        if finalized and rec.finalized_at:
            status = _("{status} on {date}", status=status, date=fmt_datetime(rec.finalized_at))
        self.status_label.setText(status)
        self.status_label.setAccessibleName(_("Status: {status}", status=status))
        self.action_finalize.setText(_("Finalize…"))
        self.action_finalize.setToolTip(_("Lock the session; later corrections become "
                                          "amendments (Ctrl+Shift+F)"))
        self.action_export.setText(_("Export minutes…"))
        self.action_export.setToolTip(_("Save the minutes as a PDF (Ctrl+E)"))
        self.finalize_button.setAccessibleName(_("Finalize the session"))
        self.export_button.setAccessibleName(_("Export minutes"))

    # == state ======================================================================================

    @property
    def finalized(self) -> bool:
        return self.record.status == "finalized"

    @property
    def can_edit(self) -> bool:
        return self.ctx.role != "liaison" and not self.finalized

    def _apply_state(self) -> None:
        editable = self.can_edit
        facilitator = self.ctx.role != "liaison"
        for part in self.parts:
            part.set_editable(editable, facilitator=facilitator, finalized=self.finalized)
        self.attendance.set_read_only(not editable)
        self.action_finalize.setEnabled(editable)
        self.finalize_button.setVisible(facilitator)

    def reload(self) -> None:
        """Re-read the session and its lists (after a save here or elsewhere)."""
        record = queries.session(self.store, self.session_id)
        if record is None:
            return
        self.record = record
        for part in self.parts:
            part.show_record(record)
        self.attendance.reload()
        self._apply_state()
        self._retitle_tabs()
        self._update_header()

    def flush(self) -> bool:
        return flush_all(self)

    # == actions ====================================================================================

    def _saved(self) -> None:
        self.changed.emit()
        self.reload()

    def focus_new_action_item(self) -> None:
        self.tabs.setCurrentIndex(self.tabs.stack.indexOf(self.action_items))
        self.action_items.focus_new()

    def finalize(self, *, confirm: bool = True) -> bool:
        if not self.can_edit:
            return False
        if not self.flush():
            QMessageBox.warning(self, _("Finalize the session"),
                                _("Some fields hold values that were refused. Correct them "
                                  "before finalizing."))
            return False
        if confirm:
            box = QMessageBox(QMessageBox.Icon.Question, _("Finalize the session"),
                              _("Finalize “{title}”? It can then no longer be edited; later "
                                "corrections are recorded as amendments.",
                                title=self.record.title or ""),
                              QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                              self)
            box.setObjectName("confirm_finalize")
            box.button(QMessageBox.StandardButton.Yes).setText(_("Finalize"))
            box.button(QMessageBox.StandardButton.Cancel).setText(_("Cancel"))
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            if box.exec() != QMessageBox.StandardButton.Yes:
                return False
        try:
            session_service.finalize_session(self.store, self.session_id)
        except JsdError as exc:
            QMessageBox.warning(self, _("Finalize the session"), exc.message())
            return False
        self._saved()
        self.ctx.signals.status_message.emit(_("Session finalized."))
        return True

    def export_minutes(self) -> None:
        """Minutes as PDF (language, audience and file asked), exported off the GUI thread."""
        self.flush()
        export_minutes_dialog(self.ctx, self.session_id, self)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        QTimer.singleShot(0, self._retitle_tabs)
