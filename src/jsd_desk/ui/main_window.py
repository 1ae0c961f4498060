"""The main window: navigation between the pages (``ui.pages``), the window's actions and
their shortcuts, with the toolbar, menus and status bar that show them (``window_bars``).

Pages are built the first time they are shown, so start-up pays only for Home.

Pages may offer these methods, which the window's actions call when present:
``new_session()``, ``new_complaint()``, ``new_action_item()``, ``focus_search()``,
``open_record(entity, record_id)``, ``refresh()``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QStyle,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.i18n import _, current_locale
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import flush_all
from jsd_desk.ui.kit.page import Page
from jsd_desk.ui.pages import PAGE_OF_ENTITY, PAGES, PageSpec
from jsd_desk.ui.window_bars import WindowBars

if TYPE_CHECKING:
    from jsd_desk.ui.complaints.page import ComplaintsPage
    from jsd_desk.ui.sessions.page import SessionsPage

log = logging.getLogger(__name__)

LANGUAGE_SETTING = "language"
LOCALE_SETTING = "locale"


class MainWindow(QMainWindow):
    def __init__(self, ctx: UiContext, settings: QSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("main_window")
        self._settings = settings if settings is not None else QSettings()
        self._pages: dict[str, QWidget] = {}
        self._slots: dict[str, QWidget] = {}

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setIconSize(QSize(20, 20))
        self.navigation.setSpacing(2)
        self.navigation.setMaximumWidth(320)
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        for spec in PAGES:
            item = QListWidgetItem(self.style().standardIcon(spec.icon), "")
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.navigation.addItem(item)
            item.setHidden(not self.shows(spec))
            slot = QWidget()  # replaced by the page on first show
            self._slots[spec.key] = slot
            self.stack.addWidget(slot)
        self.navigation.currentRowChanged.connect(self._row_changed)

        self.splitter = QSplitter()
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.setCentralWidget(self.splitter)

        self._make_actions()
        self.bars = WindowBars(self, new=(self.action_new_session, self.action_new_complaint,
                                          self.action_new_action_item),
                               undo=(self.action_undo, self.action_redo),
                               search=self.action_search, quit=self.action_quit,
                               about=self.action_about, go=tuple(self.go_actions.values()))
        self.bars.search_box.returnPressed.connect(self._global_search)

        ctx.signals.records_changed.connect(self._records_changed)
        ctx.signals.open_requested.connect(self.open_record)
        ctx.signals.intake_requested.connect(self._intake_requested)
        ctx.signals.status_message.connect(self.show_message)

        if ctx.role == "liaison":
            # A liaison officer's device does not keep minutes nor agree commitments.
            self.action_new_session.setEnabled(False)
            self.action_new_action_item.setEnabled(False)
        self.retranslate_ui()
        self._restore_geometry()
        start = str(self._settings.value("main_window/page", "home"))
        visible = {spec.key for spec in PAGES if self.shows(spec)}
        self.go_to(start if start in visible else "home")
        # The Sync page owns the timer that watches the sync folder (a USB stick coming and
        # going): with a folder chosen it must run from start-up, not from the first visit.
        from jsd_desk.services.sync import sync_folder

        if sync_folder(ctx.workspace) is not None:
            self.page("sync")

    # -- building ------------------------------------------------------------------------------

    def _action(self, name: str, slot: Callable[[], Any],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                icon: QStyle.StandardPixmap | None = None) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work whichever page has focus
        return action

    def _make_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.action_new_session = self._action("action_new_session", self.new_session,
                                               QKeySequence.StandardKey.New, sp.SP_FileIcon)
        self.action_new_complaint = self._action("action_new_complaint", self.new_complaint,
                                                 "Ctrl+Shift+N", sp.SP_FileDialogNewFolder)
        self.action_new_action_item = self._action("action_new_action_item", self.new_action_item,
                                                   "Ctrl+Shift+A", sp.SP_DialogYesButton)
        self.action_search = self._action("action_search", self.focus_search,
                                          QKeySequence.StandardKey.Find,
                                          sp.SP_FileDialogContentsView)
        stack = self.ctx.undo_stack
        self.action_undo = self._action("action_undo", stack.undo, QKeySequence.StandardKey.Undo,
                                        sp.SP_ArrowBack)
        self.action_redo = self._action("action_redo", stack.redo, None, sp.SP_ArrowForward)
        self.action_redo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo),
                                       QKeySequence("Ctrl+Y")])
        stack.canUndoChanged.connect(self.action_undo.setEnabled)
        stack.canRedoChanged.connect(self.action_redo.setEnabled)
        # Bound methods: Qt disconnects them when the window goes (the stack outlives it).
        stack.undoTextChanged.connect(self._undo_text_changed)
        stack.redoTextChanged.connect(self._undo_text_changed)
        self.action_undo.setEnabled(stack.canUndo())
        self.action_redo.setEnabled(stack.canRedo())
        self.action_quit = self._action("action_quit", self.close, QKeySequence.StandardKey.Quit)
        self.action_about = self._action("action_about", self.show_about)
        self.action_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.go_actions: dict[str, QAction] = {}
        shown = [spec for spec in PAGES if self.shows(spec)]
        for spec in PAGES:
            # Ctrl+1… number the pages this role sees, in the order the navigation lists them.
            n = shown.index(spec) + 1 if spec in shown else None
            self.go_actions[spec.key] = self._action(
                f"action_go_{spec.key}", self._goer(spec.key), f"Ctrl+{n}" if n else None)
            self.go_actions[spec.key].setVisible(n is not None)

    def shows(self, spec: PageSpec) -> bool:
        """Whether this device's role lists the page (the Dashboard is the analyst's)."""
        return spec.roles is None or self.ctx.role in spec.roles

    def _goer(self, key: str) -> Callable[[], Any]:
        return lambda: self.go_to(key)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("JSD Desk"))
        self.setAccessibleName(_("JSD Desk"))
        for row, spec in enumerate(PAGES):
            item = self.navigation.item(row)
            item.setText(_(spec.title))
            shortcut = self.go_actions[spec.key].shortcut().toString()
            item.setToolTip(_("{page} ({shortcut})", page=_(spec.title), shortcut=shortcut)
                            if shortcut else _(spec.title))
            action = self.go_actions[spec.key]
            action.setText(_(spec.title))
            action.setToolTip(item.toolTip())
        self.navigation.setAccessibleName(_("Pages"))
        # Wide enough for the longest page name in this language (French and longer catalogs
        # included), so no name is clipped behind a scroll bar.
        needed = self.navigation.sizeHintForColumn(0) + 2 * self.navigation.frameWidth() + 12
        self.navigation.setMinimumWidth(min(needed, self.navigation.maximumWidth()))
        self.stack.setAccessibleName(_("Current page"))
        texts = {
            self.action_new_session: (_("New &session"), _("Plan or record a dialogue session")),
            self.action_new_complaint: (_("New &complaint"), _("Record a citizen's complaint")),
            self.action_new_action_item: (_("New &action item"),
                                          _("Record a commitment made in a session")),
            self.action_search: (_("&Search"), _("Search every record")),
            self.action_quit: (_("&Quit"), _("Close JSD Desk")),
            self.action_about: (_("&About JSD Desk"),
                                _("Version, licence and the licences of the bundled software")),
        }
        for action, (text, tip) in texts.items():
            action.setText(text)
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
            action.setStatusTip(tip)
        self._undo_texts()
        info = self.ctx.workspace.keys.info
        self.bars.retranslate(_("{device} · {role}", device=info.name,
                                role=vocab.ROLE.label(info.role)))

    def _undo_text_changed(self, _text: str) -> None:
        self._undo_texts()

    def _undo_texts(self) -> None:
        stack = self.ctx.undo_stack
        if not shiboken6.isValid(stack):  # the stack is being destroyed (its clear() signals)
            return
        undo, redo = stack.undoText(), stack.redoText()
        self.action_undo.setText(_("&Undo {edit}", edit=undo).strip() if undo else _("&Undo"))
        self.action_redo.setText(_("&Redo {edit}", edit=redo).strip() if redo else _("&Redo"))
        self.action_undo.setToolTip(_("Undo the last edit (Ctrl+Z)"))
        self.action_redo.setToolTip(_("Redo the edit just undone (Ctrl+Shift+Z)"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- pages ---------------------------------------------------------------------------------

    def page(self, key: str) -> QWidget:
        """The page for ``key``, built on first use."""
        built = self._pages.get(key)
        if built is not None:
            return built
        spec = next(s for s in PAGES if s.key == key)
        page: QWidget = spec.build(self.ctx)
        page.setObjectName(f"page_{key}")
        slot = self._slots[key]
        index = self.stack.indexOf(slot)
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(slot)
        slot.deleteLater()
        self._pages[key] = page
        # Imported here, as pages.py builds each page: the window's start-up loads no page module.
        from jsd_desk.ui.settings_page import SettingsPage

        if isinstance(page, SettingsPage):
            page.language_changed.connect(self._save_language)
        return page

    def _save_language(self, code: str) -> None:
        self._settings.setValue(LANGUAGE_SETTING, code)
        # The format locale (fr_NE or fr_CI dates and numbers) is kept beside the language.
        self._settings.setValue(LOCALE_SETTING, current_locale())

    def current_key(self) -> str:
        return PAGES[max(self.navigation.currentRow(), 0)].key

    def current_page(self) -> QWidget:
        return self.page(self.current_key())

    def go_to(self, key: str) -> QWidget:
        row = next(i for i, s in enumerate(PAGES) if s.key == key)
        if self.navigation.currentRow() != row:
            self.navigation.setCurrentRow(row)
        return self.page(key)

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        previous = self.stack.currentWidget()
        if previous is not None:
            flush_all(previous)  # leaving a page is leaving its fields
        page = self.page(PAGES[row].key)
        self.stack.setCurrentWidget(page)
        if isinstance(page, Page):  # every page but Settings, which reads nothing to refresh
            page.refresh_if_stale()  # its showEvent did already, unless it was shown

    # The pages are built on first show (start-up pays for Home only), so their classes are
    # named for the type checker here and imported by their builders in ui/pages.py.
    def _sessions(self) -> SessionsPage:
        return cast("SessionsPage", self.go_to("sessions"))

    def _complaints(self) -> ComplaintsPage:
        return cast("ComplaintsPage", self.go_to("complaints"))

    # -- actions ---------------------------------------------------------------------------------

    def new_session(self) -> None:
        self._sessions().new_session()

    def new_complaint(self) -> None:
        self._complaints().new_complaint()

    def _intake_requested(self, session_id: str) -> None:
        self._complaints().new_complaint(session_id or None)

    def new_action_item(self) -> None:
        # Action items are agreed in a session: the session editor records them.
        self._sessions().new_action_item()

    def focus_search(self) -> None:
        page = self.current_page()
        if not (isinstance(page, Page) and page.focus_search()):
            self.bars.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.bars.search_box.selectAll()

    def open_record(self, entity: str, record_id: str) -> None:
        key = PAGE_OF_ENTITY.get(entity)
        if key is None:
            self.show_message(_("This record cannot be shown here."))
            return
        page = self.go_to(key)
        assert isinstance(page, Page)  # every page of PAGE_OF_ENTITY is one (tests/test_ui_shell)
        page.open_record(entity, record_id)

    def _global_search(self) -> None:
        from jsd_desk.services.queries import describe_hits
        from jsd_desk.services.search import search

        text = self.bars.search_box.text()
        hits = describe_hits(self.ctx.store, search(self.ctx.store, text, limit=30))
        menu = QMenu(self)
        menu.setObjectName("search_results")
        menu.setAccessibleName(_("Search results"))
        if not hits:
            none = menu.addAction(_("Nothing found for “{query}”.", query=text[:60]))
            none.setEnabled(False)
        for hit in hits:
            action = menu.addAction(hit.label)
            action.triggered.connect(
                lambda _c=False, e=hit.entity, i=hit.record_id: self.open_record(e, i))
        menu.popup(self.bars.search_box.mapToGlobal(self.bars.search_box.rect().bottomLeft()))

    def show_about(self) -> None:
        from jsd_desk.ui.about_dialog import AboutDialog

        dialog = AboutDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_message(self, text: str, timeout_ms: int = 6000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def _records_changed(self, _entities: frozenset[str]) -> None:
        self.statusBar().showMessage(_("Saved."), 2500)

    # -- geometry and closing ----------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self._settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            screen = QApplication.primaryScreen()
            if screen is not None:
                avail = screen.availableGeometry()
                self.resize(min(1280, avail.width()), min(800, avail.height()))
        state = self._settings.value("main_window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        splitter = self._settings.value("main_window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([170, 1100])

    def save_geometry(self) -> None:
        self._settings.setValue("main_window/geometry", self.saveGeometry())
        self._settings.setValue("main_window/state", self.saveState())
        self._settings.setValue("main_window/splitter", self.splitter.saveState())
        self._settings.setValue("main_window/page", self.current_key())
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        flush_all(self)
        self.save_geometry()
        super().closeEvent(event)

