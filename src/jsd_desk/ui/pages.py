"""The pages of the main window, in the order its navigation lists them: each one's key,
title, icon, builder, and the roles that see it; and which page opens which kind of record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QStyle, QWidget

from jsd_desk.i18n import N_
from jsd_desk.ui.context import UiContext

# Each page is imported when first shown (start-up pays only for Home), by a plain import in
# its builder: a missing or broken page module fails loudly, never hides behind a stand-in.


def _home(ctx: UiContext) -> QWidget:
    from jsd_desk.ui.home import HomePage
    return HomePage(ctx)


def _dashboard(ctx: UiContext) -> QWidget:
    from jsd_desk.ui.dashboard.page import DashboardPage
    return DashboardPage(ctx)


def _sessions(ctx: UiContext) -> QWidget:
    from jsd_desk.ui.sessions.page import SessionsPage
    return SessionsPage(ctx)


def _complaints(ctx: UiContext) -> QWidget:
    from jsd_desk.ui.complaints.page import ComplaintsPage
    return ComplaintsPage(ctx)


def _actions(ctx: UiContext) -> QWidget:
    from jsd_desk.ui.actions.page import ActionItemsPage
    return ActionItemsPage(ctx)


def _platforms(ctx: UiContext) -> QWidget:
    from jsd_desk.ui.platforms.page import PlatformsPage
    return PlatformsPage(ctx)


def _sync(ctx: UiContext) -> QWidget:
    from jsd_desk.ui.sync.page import SyncPage
    return SyncPage(ctx)


def _settings(ctx: UiContext) -> QWidget:
    from jsd_desk.ui.settings_page import SettingsPage
    return SettingsPage(ctx)


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # N_ msgid
    build: Callable[[UiContext], QWidget]
    icon: QStyle.StandardPixmap
    # The roles whose navigation shows the page (None: every role).
    roles: frozenset[str] | None = None


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", N_("Home"), _home,
             QStyle.StandardPixmap.SP_DirHomeIcon),
    PageSpec("dashboard", N_("Dashboard"), _dashboard,
             QStyle.StandardPixmap.SP_FileDialogContentsView, frozenset({"analyst"})),
    PageSpec("sessions", N_("Sessions"), _sessions,
             QStyle.StandardPixmap.SP_FileDialogDetailedView),
    PageSpec("complaints", N_("Complaints"), _complaints,
             QStyle.StandardPixmap.SP_MessageBoxWarning),
    PageSpec("actions", N_("Action items"), _actions,
             QStyle.StandardPixmap.SP_DialogApplyButton),
    PageSpec("platforms", N_("Platforms & places"), _platforms,
             QStyle.StandardPixmap.SP_DirIcon),
    PageSpec("sync", N_("Sync"), _sync,
             QStyle.StandardPixmap.SP_BrowserReload),
    PageSpec("settings", N_("Settings"), _settings,
             QStyle.StandardPixmap.SP_FileDialogInfoView),
)

# Which page shows which kind of record when another page asks to open one.
PAGE_OF_ENTITY = {"session": "sessions", "complaint": "complaints", "action_item": "actions",
                  "platform": "platforms", "place": "platforms", "concern": "sessions",
                  "priority_problem": "platforms"}
