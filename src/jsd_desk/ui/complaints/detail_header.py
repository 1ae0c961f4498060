"""The top of a complaint's editor: its reference and status, where and when it was
received, where it stands against its targets, and when each measured step happened."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from jsd_desk.domain import vocab
from jsd_desk.i18n import _
from jsd_desk.services.complaint_detail import ComplaintDetail
from jsd_desk.ui.complaints.deadline import STATE_COLOURS, due_text, flags_text, state_label
from jsd_desk.ui.complaints.model import STATUS_COLOURS, short_date
from jsd_desk.ui.history_dialog import HistoryButton, RecordRef
from jsd_desk.ui.kit.flow import FlowLayout
from jsd_desk.ui.kit.widgets import heading_label, monospace, muted


class ComplaintHeader(QWidget):
    """``record``: the store and the complaint's id, for its history of changes, whose
    shortcut works wherever the focus is in ``owner`` (the whole editor)."""

    def __init__(self, owner: QWidget, record: RecordRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reference = heading_label(1.45)
        self.reference.setObjectName("reference")
        monospace(self.reference, 1.45)
        self.status_chip = QLabel()
        self.status_chip.setObjectName("status")
        self.status_chip.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.received_line = muted(QLabel())
        self.received_line.setObjectName("received_line")
        self.received_line.setWordWrap(True)
        # Where it stands against its targets, and when each measured step happened.
        self.deadline_line = QLabel()
        self.deadline_line.setObjectName("deadline_line")
        self.deadline_line.setWordWrap(True)
        self.steps_line = muted(QLabel())
        self.steps_line.setObjectName("step_times")
        self.steps_line.setWordWrap(True)
        top = FlowLayout(spacing=12)
        top.addWidget(self.reference)
        top.addWidget(self.status_chip)
        self.history_button = HistoryButton(owner, record)
        top.addWidget(self.history_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.received_line)
        layout.addWidget(self.deadline_line)
        layout.addWidget(self.steps_line)

    def show_detail(self, d: ComplaintDetail) -> None:
        self.reference.setText(d.reference or _("(no reference yet)"))
        status = d.status or ""
        colour = STATUS_COLOURS.get(status, "#777777")
        self.status_chip.setText(vocab.COMPLAINT_STATUS.label(status) if status else "?")
        self.status_chip.setStyleSheet(
            f"QLabel {{ background: {colour}; color: white; border-radius: 9px;"
            " padding: 2px 10px; font-weight: bold; }")
        self.status_chip.setAccessibleName(_("Status: {status}", status=self.status_chip.text()))
        parts = [_("Received {date}", date=short_date(d.received_on) or "?")]
        if d.channel and not d.session_title:
            parts.append(vocab.COMPLAINT_CHANNEL.label(d.channel))
        if d.session_title:
            parts.append(_("in session {title}", title=d.session_title))
        if d.place_path:
            parts.append(" › ".join(d.place_path))
        self.received_line.setText(" · ".join(parts))
        st = d.standing
        if st is None or st.deadline is None:
            self.deadline_line.setText("")
        else:
            text = " · ".join(x for x in (state_label(st), due_text(st)) if x)
            colour = STATE_COLOURS.get(st.state or "", "")
            flags = flags_text(st)
            self.deadline_line.setText(
                f"<b style='color:{colour}'>{html.escape(text)}</b>"
                + (f"<br><b>⚑ {html.escape(flags)}</b>" if flags else ""))
        self.deadline_line.setVisible(bool(self.deadline_line.text()))
        steps = [] if st is None else [
            (_("First contact"), st.steps.first_contact), (_("Referred"), st.steps.referred),
            (_("Closed"), st.steps.closed)]
        self.steps_line.setText(" · ".join(f"{label} {short_date(when.date())}"
                                           for label, when in steps if when))
        self.steps_line.setVisible(bool(self.steps_line.text()))
