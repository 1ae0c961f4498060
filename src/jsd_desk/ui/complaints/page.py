"""The Complaints page: receipt-code lookup and the printable receipt slip in its toolbar,
the filter bar (``filter_bar``), what is late (``attention``) above the lazy list
(``complaint_list``), and beside it, once one is open, the complaint's editor or the intake
form (``side``). The page assembles them and routes what one asks of another.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSplitter,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import _
from jsd_desk.services import complaint_queries as cq
from jsd_desk.services.complaints import NewComplaint, find_by_receipt
from jsd_desk.services.receipts import receipt_message, receipt_status
from jsd_desk.ui.complaints.attention import AttentionStrip
from jsd_desk.ui.complaints.complaint_list import ComplaintList
from jsd_desk.ui.complaints.detail import ComplaintDetailPanel
from jsd_desk.ui.complaints.filter_bar import ComplaintFilterBar
from jsd_desk.ui.complaints.intake import IntakePanel
from jsd_desk.ui.complaints.reads import wait_for
from jsd_desk.ui.complaints.receipt_slip import print_receipt_slip
from jsd_desk.ui.complaints.side import ComplaintSide
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.page import Page
from jsd_desk.ui.kit.widgets import error_label, show_error
from jsd_desk.ui.operations import Operation

SIDE_SHARE = 0.46  # of the page's width, for the complaint open beside the list


class ComplaintsPage(Page):
    WATCHED = frozenset({"complaint_target", "complaint", "complaint_status_change",
                         "complainant", "attachment", "session", "place"})

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("complaints_page")
        self.exports: list[Operation] = []
        sp = QStyle.StandardPixmap

        # -- toolbar ---------------------------------------------------------------------------
        self.receipt_error = error_label("receipt_lookup_error")
        self.receipt_error.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("complaints_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.action_new_complaint = self._action("action_new_complaint", self.new_complaint,
                                                 sp.SP_FileIcon)
        self.action_print_receipt = self._action("action_print_receipt",
                                                 lambda: self.print_receipt(),
                                                 sp.SP_DialogSaveButton)
        self.action_close_complaint = self._action("action_close_complaint",
                                                   self.close_complaint, sp.SP_DialogCloseButton)
        self.toolbar.addAction(self.action_new_complaint)
        self.toolbar.addAction(self.action_print_receipt)
        self.toolbar.addAction(self.action_close_complaint)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.receipt_label = QLabel()
        self.receipt_lookup = QLineEdit()
        self.receipt_lookup.setObjectName("receipt_lookup")
        self.receipt_lookup.setMaxLength(40)
        self.receipt_lookup.setClearButtonEnabled(True)
        self.receipt_lookup.setFixedWidth(self.receipt_lookup.fontMetrics().horizontalAdvance(
            "XXXX-XXXX-XXXX") + 48)
        self.receipt_lookup.returnPressed.connect(self._lookup_typed)
        self.receipt_lookup.textEdited.connect(lambda _t: show_error(self.receipt_error, None))
        self.receipt_label.setBuddy(self.receipt_lookup)
        self.action_find_receipt = self._action("action_find_receipt", self._lookup_typed,
                                                sp.SP_FileDialogContentsView)
        self.toolbar.addWidget(self.receipt_label)
        self.toolbar.addWidget(self.receipt_lookup)
        self.toolbar.addAction(self.action_find_receipt)
        # What a complainant who gave a receipt code is told, in French and in English.
        self.receipt_answer = QLabel()
        self.receipt_answer.setObjectName("receipt_answer")
        self.receipt_answer.setWordWrap(True)
        self.receipt_answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.receipt_answer.setVisible(False)

        # -- the filters, what is late, the list, and beside it the complaint open -------------
        self.filters = ComplaintFilterBar()
        self.attention = AttentionStrip(ctx)
        self.attention.opened.connect(self.open_complaint)
        self.side = ComplaintSide(ctx)
        self.side.switched.connect(self._side_switched)
        self.side.recorded.connect(self._recorded)
        self.side.print_receipt_requested.connect(lambda cid: self.print_receipt(cid))
        self.list = ComplaintList(ctx, self.filters, self._shown_id)
        self.list.chosen.connect(lambda cid: self.open_complaint(cid, select_in_list=False))
        self.model = self.list.model
        self.table = self.list.table
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.attention)
        left_box.addWidget(self.list, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("complaints_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.side.setVisible(False)  # until a complaint is opened or one is being recorded

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.receipt_error)
        layout.addWidget(self.receipt_answer)
        layout.addWidget(self.filters)
        layout.addWidget(self.splitter, 1)

        self.retranslate_ui()
        self.attention.refresh()
        self.model.set_filter(self.current_filter())
        self.list.after_change()
        self._update_actions()

    def retranslate_ui(self) -> None:
        self.action_new_complaint.setText(_("New complaint"))
        self.action_new_complaint.setToolTip(_("Record a complaint, anonymous or named (Ctrl+K)"))
        self.action_print_receipt.setText(_("Print receipt…"))
        self.action_print_receipt.setToolTip(
            _("The receipt slip of the selected complaint, as a PDF to print"))
        self.action_close_complaint.setText(_("Close"))
        self.action_close_complaint.setToolTip(_("Close the complaint and show the whole list"))
        self.action_find_receipt.setText(_("Find"))
        self.action_find_receipt.setToolTip(_("Find the complaint with this receipt code"))
        self.receipt_label.setText(_("Receipt code:"))
        self.receipt_lookup.setPlaceholderText("XXXX-XXXX-XXXX")
        self.receipt_lookup.setAccessibleName(_("Look up a complaint by its receipt code"))
        self.receipt_lookup.setToolTip(_("Type the code from a receipt slip and press Enter"))
        self.toolbar.setAccessibleName(_("Complaint actions"))
        self.toolbar.setWindowTitle(_("Complaint actions"))

    # -- the filters (scripts, tests, benchmarks) --------------------------------------------------

    def current_filter(self) -> cq.ComplaintFilter:
        return self.filters.current_filter()

    def set_filter(self, *, status: str | object | None = ..., category: str | object | None = ...,
                   channel: str | object | None = ..., period: str | object | None = ...) -> None:
        """Choose filters as the combo boxes would."""
        self.filters.set_filter(status=status, category=category, channel=channel, period=period)

    def set_search_text(self, text: str) -> None:
        self.filters.set_search_text(text)

    def clear_filters(self) -> None:
        self.filters.clear()

    def wait_until_loaded(self, timeout_ms: int = 30_000) -> None:
        """Process events until the rows, the counts and what is late arrived."""
        deadline = dt.datetime.now() + dt.timedelta(milliseconds=timeout_ms)
        self.list.wait_until_rows(deadline)
        self.list.wait_until_counted(deadline)
        wait_for(lambda: self.attention.pending, deadline)

    def wait_until_rows(self, timeout_ms: int = 30_000) -> None:
        """Process events until the rows of the current filter are in the list."""
        self.list.wait_until_rows(dt.datetime.now() + dt.timedelta(milliseconds=timeout_ms))

    # -- the complaint open --------------------------------------------------------------------------

    @property
    def detail(self) -> ComplaintDetailPanel | None:
        return self.side.shown_detail()

    @property
    def intake(self) -> IntakePanel:
        return self.side.intake

    def selected_id(self) -> str | None:
        return self.list.selected_id()

    def _shown_id(self) -> str | None:
        """The complaint open beside the list: the one to keep selected when the list changes."""
        detail = self.detail
        return detail.complaint_id if detail is not None else self.selected_id()

    def open_complaint(self, complaint_id: str, *, select_in_list: bool = True) -> bool:
        """Show a complaint beside the list (and select it in the list when it is there)."""
        if not self.side.open_complaint(complaint_id):
            return False
        if select_in_list and not self.list.select(complaint_id, scroll=True):
            self.list.clear_selection()
        return True

    def close_complaint(self) -> None:
        self.side.close_complaint()

    def new_complaint(self, session_id: str | None = None) -> None:
        self.side.new_complaint(session_id)

    def _recorded(self, new: NewComplaint) -> None:
        self.model.reload()
        self.list.after_change()
        self.open_complaint(new.id)
        self.ctx.signals.status_message.emit(
            _("Complaint {reference} recorded.", reference=new.reference))

    def _side_switched(self) -> None:
        """Show the side only while it holds something; the list is compact beside it."""
        holds = self.side.holds_something()
        was = self.side.isVisible() or self.side.isVisibleTo(self)
        self.list.set_compact(holds)
        self.side.setVisible(holds)
        if holds and not was:
            total = max(self.splitter.width(), 1)
            side = int(total * SIDE_SHARE)
            self.splitter.setSizes([total - side, side])
        if self.detail is not None and self.side.showing_complaint():
            self.list.select(self.detail.complaint_id)
        self._update_actions()

    def _update_actions(self) -> None:
        d = self.detail.detail if self.detail is not None else None
        showing = self.side.showing_complaint() and d is not None
        self.action_print_receipt.setEnabled(
            bool(showing and d is not None and d.anonymous and d.receipt_code))
        self.action_close_complaint.setEnabled(self.side.holds_something()
                                               and self.side.currentWidget()
                                               is self.side.detail_scroll)

    # -- receipt codes -----------------------------------------------------------------------------

    def _lookup_typed(self) -> None:
        self.lookup_receipt(self.receipt_lookup.text())

    def lookup_receipt(self, code: str) -> str | None:
        """Find the complaint with this receipt code: the list shows it alone, selected."""
        show_error(self.receipt_error, None)
        try:
            complaint_id = find_by_receipt(self.ctx.store, code)
        except JsdError as exc:
            show_error(self.receipt_error, exc.message())
            return None
        self.clear_filters()
        self.set_search_text(code)
        self.open_complaint(complaint_id)
        status = receipt_status(self.ctx.store, code)
        self.receipt_answer.setText("\n".join(
            f"{name} : {receipt_message(status, lang)}"
            for lang, name in (("fr", "Français"), ("en", "English"))))
        self.receipt_answer.setAccessibleName(_("What to tell the complainant"))
        self.receipt_answer.setVisible(True)
        return complaint_id

    def print_receipt(self, complaint_id: str | None = None,
                      out_path: Path | None = None) -> Operation | None:
        """Write the receipt slip (PDF, off the GUI thread); ask where when no path is given."""
        detail = self.detail
        if complaint_id is None and detail is not None:
            complaint_id = detail.complaint_id
        if complaint_id is None:
            self.ctx.signals.status_message.emit(_("No receipt can be printed here."))
            return None
        shown = detail is not None and detail.complaint_id == complaint_id
        op = print_receipt_slip(self, self.ctx, complaint_id,
                                reference=detail.detail.reference if shown and detail else "",
                                language=detail.detail.language if shown and detail else None,
                                out_path=out_path)
        if op is not None:
            self.exports.append(op)
        return op

    # -- the main window's hooks ------------------------------------------------------------------

    def focus_search(self) -> bool:
        self.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search.selectAll()
        return True

    def open_record(self, entity: str, record_id: str) -> None:
        if entity == "complaint":
            self.open_complaint(record_id)

    def _refresh(self) -> None:
        """Re-read the list (keeping selection and scroll when the rows are the same), the
        counts, what is late, and the complaint shown."""
        self.list.reload()
        self.attention.refresh()
        self.side.refresh()
        self._update_actions()
