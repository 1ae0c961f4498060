"""Help → About JSD Desk: the version, our licence, and the licences of everything bundled.

The list comes from ``jsd_desk.about`` (the installed distributions' metadata plus the few
bundled components that are not Python distributions), never typed here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jsd_desk import about
from jsd_desk.i18n import _
from jsd_desk.ui.language import Retranslatable


def app_icon() -> QIcon:
    """The application icon at every size it is drawn in (resources/icons/hicolor)."""
    icon = QIcon()
    for path in about.icon_files():
        icon.addFile(str(path))
    return icon


class AboutDialog(Retranslatable, QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.licences = about.third_party_licences()
        self.heading = QLabel()
        self.heading.setObjectName("about_heading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        self.table = QTableWidget(len(self.licences), 3)
        self.table.setObjectName("third_party_licences")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, entry in enumerate(self.licences):
            for column, text in enumerate((entry.name, entry.version, entry.licence)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.text = QPlainTextEdit()
        self.text.setObjectName("licence_text")
        self.text.setReadOnly(True)
        self.table.currentCellChanged.connect(lambda row, *_: self._show(row))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.text)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        top = QWidget()
        row_layout = QVBoxLayout(top)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(icon, alignment=Qt.AlignmentFlag.AlignHCenter)
        row_layout.addWidget(self.heading)
        layout.addWidget(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(760, 560)
        self.retranslate_ui()
        if self.licences:
            self.table.setCurrentCell(0, 0)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.licences):
            self.text.clear()
            return
        entry = self.licences[row]
        parts = []
        if entry.carrier:
            parts.append(_("Bundled inside {distribution}.", distribution=entry.carrier))
        if entry.url:
            parts.append(entry.url)
        parts.extend(entry.texts)
        if not entry.texts:
            parts.append(_("Licence: {licence}. Its metadata carry no licence text.",
                           licence=entry.licence))
        self.text.setPlainText("\n\n".join(parts))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("About JSD Desk"))
        self.heading.setText(
            "<h2>JSD Desk {version}</h2><p>{what}</p><p>{licence}</p><p>{third}</p>".format(
                version=about.version(),
                what=_("Community–police dialogue: sessions, complaints and commitments, "
                       "offline, synced by file."),
                licence=_("Licensed under the Apache License, version 2.0 ({spdx}).",
                          spdx=about.LICENCE),
                third=_("Built with Qt {qt}. It bundles the software below, each under its own "
                        "licence (select a line to read it):", qt=qVersion())))
        self.table.setHorizontalHeaderLabels([_("Component"), _("Version"), _("Licence")])
        self.table.setAccessibleName(_("Third-party licences"))
        self.text.setAccessibleName(_("Licence text"))
        self._show(self.table.currentRow())
