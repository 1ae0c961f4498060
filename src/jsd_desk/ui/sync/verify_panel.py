"""The Sync page's "Printed minutes" panel: whether a minutes PDF still matches the records
of its session, or what changed since it was made."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QStyle, QVBoxLayout, QWidget

from jsd_desk.i18n import _
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.minutes_dialog import verify_minutes_file
from jsd_desk.ui.operations import Operation
from jsd_desk.ui.sync.jobs import SyncJobs
from jsd_desk.ui.sync.panel import SyncPanel
from jsd_desk.ui.sync.widgets import hint, selectable


class VerifyPanel(SyncPanel):
    def __init__(self, ctx: UiContext, jobs: SyncJobs, parent: QWidget | None = None) -> None:
        super().__init__("verify_minutes_box", ctx, jobs, parent)
        self.action_verify_minutes = self._action(
            "action_verify_minutes", self.verify_minutes,
            QStyle.StandardPixmap.SP_FileDialogContentsView)
        self.verify_result = selectable(QLabel())
        self.verify_result.setObjectName("minutes_check")
        self.verify_result.setWordWrap(True)
        self.verify_hint = hint(QLabel())
        row = QHBoxLayout()
        row.addWidget(self._button(self.action_verify_minutes))
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verify_hint)
        layout.addWidget(self.verify_result)
        layout.addStretch(1)
        layout.addLayout(row)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Printed minutes"))
        self.action_verify_minutes.setText(_("Verify a minutes PDF…"))
        self.action_verify_minutes.setToolTip(_("Check whether printed minutes still match the "
                                                "records"))
        self.verify_hint.setText(_("Checks whether a minutes PDF still matches the records of "
                                   "its session, or what has changed since it was made."))
        self.verify_result.setAccessibleName(_("Result of the minutes check"))

    def verify_minutes(self, path: Path | None = None) -> Operation | None:
        return verify_minutes_file(self, self.ctx, path, on_result=self.verify_result.setText)
