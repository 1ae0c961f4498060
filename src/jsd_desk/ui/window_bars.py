"""What shows the main window's actions: the toolbar (new records, undo and redo, the search
box), the menus, and the status bar's line naming this device and its role."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QLineEdit, QMainWindow, QMenu, QSizePolicy, QToolBar, QWidget

from jsd_desk.i18n import _


class WindowBars:
    """Built on ``window`` from its actions: ``new`` (session, complaint, action item),
    ``undo`` (undo, redo), ``go`` (one per page)."""

    def __init__(self, window: QMainWindow, *, new: tuple[QAction, ...],
                 undo: tuple[QAction, QAction], search: QAction, quit: QAction,
                 about: QAction, go: tuple[QAction, ...]) -> None:
        self.window = window
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in new:
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        for action in undo:
            self.toolbar.addAction(action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("global_search")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(240)
        self.search_box.setMaxLength(500)
        self.toolbar.addWidget(self.search_box)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

        self.menu_file = QMenu(window)
        self.menu_file.setObjectName("menu_file")
        for action in new:
            self.menu_file.addAction(action)
        self.menu_file.addSeparator()
        self.menu_file.addAction(quit)
        self.menu_edit = QMenu(window)
        self.menu_edit.setObjectName("menu_edit")
        for action in undo:
            self.menu_edit.addAction(action)
        self.menu_edit.addSeparator()
        self.menu_edit.addAction(search)
        self.menu_go = QMenu(window)
        self.menu_go.setObjectName("menu_go")
        for action in go:
            self.menu_go.addAction(action)
        self.menu_help = QMenu(window)
        self.menu_help.setObjectName("menu_help")
        self.menu_help.addAction(about)
        for menu in (self.menu_file, self.menu_edit, self.menu_go, self.menu_help):
            window.menuBar().addMenu(menu)

        self.device_label = QLabel()
        self.device_label.setObjectName("status_device")
        window.statusBar().addPermanentWidget(self.device_label)
        window.statusBar().setObjectName("status_bar")

    def retranslate(self, device_line: str) -> None:
        """The bars' own texts (the actions' are the window's), and the device's line."""
        self.toolbar.setWindowTitle(_("Main toolbar"))
        self.toolbar.setAccessibleName(_("Main toolbar"))
        self.search_box.setPlaceholderText(_("Search everything (Ctrl+F)"))
        self.search_box.setAccessibleName(_("Search every record"))
        self.menu_file.setTitle(_("&File"))
        self.menu_edit.setTitle(_("&Edit"))
        self.menu_go.setTitle(_("&Go"))
        self.menu_help.setTitle(_("&Help"))
        self.device_label.setText(device_line)
        self.device_label.setAccessibleName(device_line)
        self.window.statusBar().setAccessibleName(_("Status bar"))
