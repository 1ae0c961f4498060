"""Beside the Complaints page's list: the complaint open (its editor), or the intake form.
The page shows this area only while it holds one of them; the list has the whole width
otherwise."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QScrollArea, QStackedWidget, QWidget

from jsd_desk.domain.errors import JsdError
from jsd_desk.services.complaint_detail import complaint_detail
from jsd_desk.ui.complaints.detail import ComplaintDetailPanel
from jsd_desk.ui.complaints.intake import IntakePanel
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import flush_all


def _scroll(name: str) -> QScrollArea:
    area = QScrollArea()
    area.setObjectName(name)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


class ComplaintSide(QStackedWidget):
    """``recorded(NewComplaint)``: the intake form recorded one. ``switched``: what is shown
    here changed (perhaps to nothing). ``print_receipt_requested(complaint_id)``: from the
    complaint's editor."""

    recorded = Signal(object)
    switched = Signal()
    print_receipt_requested = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaint_side")
        self.ctx = ctx
        self.detail: ComplaintDetailPanel | None = None
        self.detail_scroll = _scroll("complaint_detail_scroll")
        # The intake form is built the first time it is needed: opening the list stays quick.
        self._intake: IntakePanel | None = None
        self.intake_scroll = _scroll("complaint_intake_scroll")
        self.addWidget(self.detail_scroll)
        self.addWidget(self.intake_scroll)

    def shown_detail(self) -> ComplaintDetailPanel | None:
        """The complaint's editor, whether on top or behind the intake form."""
        if self.detail is not None and shiboken6.isValid(self.detail):
            return self.detail
        return None

    def showing_complaint(self) -> bool:
        return self.currentWidget() is self.detail_scroll and self.shown_detail() is not None

    def holds_something(self) -> bool:
        return self.shown_detail() is not None or self.currentWidget() is self.intake_scroll

    def open_complaint(self, complaint_id: str) -> bool:
        """Show a complaint's editor (re-using it when it is that complaint already)."""
        shown = self.shown_detail()
        if shown is not None and shown.complaint_id == complaint_id:
            self.setCurrentWidget(self.detail_scroll)
            self.switched.emit()
            return True
        try:
            detail = complaint_detail(self.ctx.store, complaint_id)
        except JsdError as exc:
            self.ctx.signals.status_message.emit(exc.message())
            return False
        if shown is not None:
            flush_all(shown)
        panel = ComplaintDetailPanel(self.ctx, detail)
        panel.print_receipt_requested.connect(self.print_receipt_requested.emit)
        old = self.detail_scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.detail_scroll.setWidget(panel)
        self.detail = panel
        self.setCurrentWidget(self.detail_scroll)
        self.switched.emit()
        return True

    def close_complaint(self) -> None:
        shown = self.shown_detail()
        if shown is not None:
            flush_all(shown)
            self.detail_scroll.takeWidget()
            shown.deleteLater()
        self.detail = None
        self.setCurrentWidget(self.detail_scroll)
        self.switched.emit()

    def refresh(self) -> None:
        """Re-read the complaint shown (and its attachments); one gone meanwhile closes."""
        shown = self.shown_detail()
        if shown is not None and not shown.refresh():
            self.detail_scroll.takeWidget()
            shown.deleteLater()
            self.detail = None
            self.switched.emit()

    @property
    def intake(self) -> IntakePanel:
        if self._intake is None:
            self._intake = IntakePanel(self.ctx)
            self._intake.recorded.connect(self.recorded.emit)
            self._intake.cancelled.connect(self._intake_cancelled)
            self.intake_scroll.setWidget(self._intake)
        return self._intake

    def new_complaint(self, session_id: str | None = None) -> None:
        shown = self.shown_detail()
        if shown is not None:
            flush_all(shown)
        self.intake.start(session_id)
        self.setCurrentWidget(self.intake_scroll)
        self.switched.emit()

    def _intake_cancelled(self) -> None:
        self.setCurrentWidget(self.detail_scroll)
        self.switched.emit()
