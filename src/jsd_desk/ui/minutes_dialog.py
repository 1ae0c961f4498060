"""Exporting a session's minutes as PDF, and checking a minutes PDF against the records.

The dialog asks for the language of the minutes (the session's own by default), the audience
profile and the file; ``services.minutes.export_minutes`` then runs off the GUI thread with
progress and cancel, and the PDF opens in the system's viewer (unless told not to, as tests and
offscreen renders do).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import N_, SUPPORTED, _, current_language
from jsd_desk.services import minutes as minutes_service
from jsd_desk.services import places, queries
from jsd_desk.services.minutes import ExportCancelled, ExportedMinutes, MinutesCheck
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.language import Retranslatable
from jsd_desk.ui.operations import Operation, Progress, error_text, run_operation

MINUTES_LANGUAGES = tuple(code for code in ("fr", "en") if code in SUPPORTED)
PROFILES: tuple[tuple[str, str, str], ...] = (
    ("platform", N_("Platform: the full minutes"),
     N_("Everything the session recorded, for the platform, the commissariat and the ministry. "
        "Never a complainant's identity.")),
    ("public", N_("Public: a summary for a notice board or the radio"),
     N_("Attendance figures and commitments only, without complaint details.")),
)
FILE_PREFIX = {"fr": "compte-rendu", "en": "minutes"}


def message_box(parent: QWidget, title: str, text: str, *, warning: bool = False) -> QMessageBox:
    """A message box shown without a nested event loop (safe from an operation's signals)."""
    box = QMessageBox(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information,
                      title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("sync_message")
    box.setAccessibleName(title)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def slug(text: str, limit: int = 40) -> str:
    """``Yantala Haut`` → ``yantala-haut``: a file-name friendly form of a name."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:limit].strip("-")


def default_file_name(lang: str, day: dt.date | None, where: str) -> str:
    """``compte-rendu-2026-03-04-yantala.pdf``."""
    parts = [FILE_PREFIX.get(lang, "minutes")]
    if day is not None:
        parts.append(day.isoformat())
    if slug(where):
        parts.append(slug(where))
    return "-".join(parts) + ".pdf"


def _documents_dir() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


class MinutesDialog(Retranslatable, QDialog):
    """Export the minutes of one session. ``open_when_done``: open the PDF in the system's
    viewer afterwards (default: yes, except on the offscreen platform)."""

    def __init__(self, ctx: UiContext, session_id: str, parent: QWidget | None = None, *,
                 open_when_done: bool | None = None, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("minutes_dialog")
        self.ctx = ctx
        self.session_id = session_id
        self.operation: Operation | None = None
        self.result_: ExportedMinutes | None = None
        if open_when_done is None:
            open_when_done = QGuiApplication.platformName() != "offscreen"
        record = queries.session(ctx.store, session_id)
        self._title = (record.title if record else None) or ""
        self._day = record.starts_at.date() if record and record.starts_at else None
        self._draft = record is None or record.status != "finalized"
        self._where = self._place_name(record.platform_id if record else None) or self._title
        self._folder = folder or _documents_dir()
        session_lang = record.language if record else None

        self.heading = QLabel()
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code in MINUTES_LANGUAGES:
            self.language.addItem("", code)
        default = session_lang if session_lang in MINUTES_LANGUAGES else (
            current_language() if current_language() in MINUTES_LANGUAGES else "fr")
        self.language.setCurrentIndex(max(self.language.findData(default), 0))
        self.profile = QComboBox()
        self.profile.setObjectName("profile")
        for profile, _label, _explain in PROFILES:
            self.profile.addItem("", profile)
        self.profile_hint = QLabel()
        self.profile_hint.setObjectName("profile_hint")
        self.profile_hint.setWordWrap(True)
        self.profile_hint.setMinimumWidth(380)
        self.out_path = QLineEdit()
        self.out_path.setObjectName("out_path")
        self.out_path.setMinimumWidth(380)
        self._suggested = str(self._folder / self._file_name())
        self.out_path.setText(self._suggested)
        self.browse = QPushButton()
        self.browse.setObjectName("browse_minutes_path")
        self.browse.clicked.connect(self.choose_path)
        self.labels = {key: QLabel() for key in ("language", "profile", "out_path")}
        self.labels["language"].setBuddy(self.language)
        self.labels["profile"].setBuddy(self.profile)
        self.labels["out_path"].setBuddy(self.out_path)
        path_row = QHBoxLayout()
        path_row.addWidget(self.out_path, 1)
        path_row.addWidget(self.browse)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.labels["language"], self.language)
        form.addRow(self.labels["profile"], self.profile)
        form.addRow("", self.profile_hint)
        form.addRow(self.labels["out_path"], path_row)
        self.draft_note = QLabel()
        self.draft_note.setObjectName("draft_note")
        self.draft_note.setWordWrap(True)
        self.draft_note.setVisible(self._draft)
        self.open_after = QCheckBox()
        self.open_after.setObjectName("open_when_done")
        self.open_after.setChecked(open_when_done)
        self.error = QLabel()
        self.error.setObjectName("minutes_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        self.buttons = QDialogButtonBox()
        self.export_button = QPushButton()
        self.export_button.setObjectName("export_button")
        self.export_button.setDefault(True)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.draft_note)
        layout.addWidget(self.open_after)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.language.currentIndexChanged.connect(self._language_changed)
        self.profile.currentIndexChanged.connect(lambda _i: self._describe_profile())
        self.retranslate_ui()

    def _place_name(self, platform_id: str | None) -> str:
        if not platform_id:
            return ""
        platform = next((p for p in places.platforms(self.ctx.store) if p.id == platform_id), None)
        if platform is None:
            return ""
        path = [n for n in places.place_path(self.ctx.store, platform.place_id) if n]
        return path[-1] if path else (platform.name or "")

    def _file_name(self) -> str:
        return default_file_name(str(self.language.currentData()), self._day, self._where)

    # -- language --------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Export minutes"))
        self.setAccessibleName(self.windowTitle())
        when = self._day.isoformat() if self._day else ""
        self.heading.setText(_("Minutes of “{title}”", title=self._title or _("(untitled)"))
                             + (f" — {when}" if when else ""))
        for i in range(self.language.count()):
            self.language.setItemText(i, vocab.CONTENT_LANGUAGE.label(
                str(self.language.itemData(i))))
        for i, (_code, label, _explain) in enumerate(PROFILES):
            self.profile.setItemText(i, _(label))
        self.labels["language"].setText(_("&Language of the minutes:"))
        self.labels["profile"].setText(_("&Audience:"))
        self.labels["out_path"].setText(_("&File:"))
        self.language.setAccessibleName(_("Language of the minutes"))
        self.profile.setAccessibleName(_("Audience"))
        self.out_path.setAccessibleName(_("File to write"))
        self.browse.setText(_("&Browse…"))
        self.browse.setAccessibleName(_("Choose the file"))
        self.draft_note.setText(_("This session is still a draft: the PDF will be marked "
                                  "“DRAFT / PROVISOIRE”."))
        self.open_after.setText(_("&Open the PDF when it is ready"))
        self.open_after.setAccessibleName(_("Open the PDF when it is ready"))
        self.export_button.setText(_("&Export"))
        self.export_button.setAccessibleName(_("Export the minutes"))
        self._describe_profile()

    def _describe_profile(self) -> None:
        index = max(self.profile.currentIndex(), 0)
        self.profile_hint.setText(_(PROFILES[index][2]))

    def _language_changed(self, _index: int) -> None:
        # Follow the language in the suggested name, unless the user typed a name of their own.
        if self.out_path.text() == self._suggested:
            self._suggested = str(Path(self._suggested).parent / self._file_name())
            self.out_path.setText(self._suggested)

    # -- actions ---------------------------------------------------------------------------------

    def choose_path(self) -> None:
        current = self.out_path.text().strip() or str(self._folder / self._file_name())
        path, _filter = QFileDialog.getSaveFileName(self, _("Export minutes"), current,
                                                    _("PDF files (*.pdf)"))
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self.out_path.setText(path)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _set_running(self, running: bool) -> None:
        for widget in (self.language, self.profile, self.out_path, self.browse,
                       self.export_button):
            widget.setEnabled(not running)

    def export(self) -> Operation | None:
        """Start the export in the background; the dialog closes when the PDF is written."""
        if self.operation is not None and not self.operation.is_finished():
            return None
        text = self.out_path.text().strip()
        if not text:
            self._show_error(_("Choose the file to write."))
            self.out_path.setFocus()
            return None
        self._show_error("")
        path = Path(text).expanduser()
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        store, session_id = self.ctx.store, self.session_id
        lang, profile = str(self.language.currentData()), str(self.profile.currentData())

        def work(progress: Progress) -> ExportedMinutes:
            return minutes_service.export_minutes(store, session_id, lang, profile, path,
                                                  progress=progress,
                                                  cancelled=progress.cancelled)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ExportCancelled):
                self._show_error(exc.message())
            else:
                self._show_error(error_text(exc))

        self._set_running(True)
        op = run_operation(self, _("Exporting the minutes"), work, on_success=self._done,
                           on_failure=failed)
        op.cancelled.connect(lambda: self._show_error(
            _("The export was cancelled; no file was written.")))
        op.finished.connect(lambda: self._set_running(False))
        self.operation = op
        return op

    def _done(self, result: ExportedMinutes) -> None:
        self.result_ = result
        self.ctx.signals.status_message.emit(_("Minutes saved to {path}.", path=str(result.path)))
        if self.open_after.isChecked():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path)))
        self.accept()

    def reject(self) -> None:
        if self.operation is not None and not self.operation.is_finished():
            self.operation.cancel()  # the dialog closes once the export has stopped
            return
        super().reject()


def export_minutes_dialog(ctx: UiContext, session_id: str, parent: QWidget | None = None, *,
                          open_when_done: bool | None = None) -> MinutesDialog:
    """Show the dialog (window-modal, without blocking the caller) and return it."""
    dialog = MinutesDialog(ctx, session_id, parent, open_when_done=open_when_done)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def verify_minutes_file(parent: QWidget, ctx: UiContext, path: Path | None = None, *,
                        on_result: Callable[[str], None] | None = None) -> Operation | None:
    """Ask for a minutes PDF (unless given) and say whether it still matches the records, or
    which sections changed since; the check runs off the GUI thread."""
    if path is None:
        chosen, _filter = QFileDialog.getOpenFileName(parent, _("Verify a minutes PDF"), "",
                                                      _("PDF files (*.pdf)"))
        if not chosen:
            return None
        path = Path(chosen)
    store, target = ctx.store, path
    title = _("Verify a minutes PDF")

    def work(_progress: Progress) -> MinutesCheck:
        return minutes_service.verify_minutes(store, target)

    def done(check: MinutesCheck) -> None:
        text = check.describe()
        if on_result is not None:
            on_result(text)
        message_box(parent, title, text, warning=not check.matches)

    def failed(exc: BaseException) -> None:
        text = exc.message() if isinstance(exc, JsdError) else error_text(exc)
        if on_result is not None:
            on_result(text)
        message_box(parent, title, text, warning=True)

    return run_operation(parent, _("Checking the minutes"), work, on_success=done,
                         on_failure=failed)
