"""The receipt slip of an anonymous complaint (DESIGN §2: a complainant without a name comes
back with the code on it), written as a PDF off the GUI thread and opened for printing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from jsd_desk.i18n import _, current_language
from jsd_desk.services.minutes import export_receipt
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.operations import Operation, error_text, run_operation


def print_receipt_slip(parent: QWidget, ctx: UiContext, complaint_id: str, *,
                       reference: str = "", language: str | None = None,
                       out_path: Path | None = None) -> Operation | None:
    """Write the slip in the complaint's language (else the GUI's); ask where when no path
    is given. None when the user chose no file."""
    lang = language if language in ("fr", "en") else current_language()
    if out_path is None:
        name, _filter = QFileDialog.getSaveFileName(
            parent, _("Save the receipt slip"), f"receipt-{reference or 'complaint'}.pdf",
            _("PDF documents (*.pdf)"))
        if not name:
            return None
        out_path = Path(name)
    store, target = ctx.store, out_path

    def done(_result: object) -> None:
        ctx.signals.status_message.emit(_("Receipt slip saved to {path}.", path=str(target)))
        if QGuiApplication.platformName() not in ("offscreen", "minimal"):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def failed(exc: BaseException) -> None:
        ctx.signals.status_message.emit(error_text(exc))

    return run_operation(parent, _("Printing the receipt slip"),
                         lambda _p: export_receipt(store, complaint_id, lang, target),
                         on_success=done, on_failure=failed)
