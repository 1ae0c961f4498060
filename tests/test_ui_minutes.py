"""Minutes from the session editor, on real widgets offscreen: the export dialog (language,
audience, file), the export off the GUI thread with cancel, and checking a PDF from the Sync page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from jsd_desk.services import sessions
from jsd_desk.services.workspace import Workspace
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.minutes_dialog import MinutesDialog, default_file_name, slug
from jsd_desk.ui.sessions.editor import SessionEditor
from jsd_desk.ui.sync.page import SyncPage
from tests.ui_helpers import seed

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")


@pytest.fixture
def ctx(workspace: Workspace) -> Iterator[UiContext]:
    context = UiContext(workspace)
    yield context
    context.signals.detach()


def _dialog(qtbot: QtBot, editor: SessionEditor) -> MinutesDialog:
    editor.action_export.trigger()
    [dialog] = [d for d in editor.findChildren(MinutesDialog) if d.isVisible()]
    qtbot.waitExposed(dialog)
    return dialog


def test_export_in_french_off_the_gui_thread_then_verify(ctx: UiContext, qtbot: QtBot,
                                                        tmp_path: Path) -> None:
    ids = seed(ctx.store)
    sessions.update_session(ctx.store, ids.upcoming, language="fr",
                            minutes="Les patrouilles de nuit ont repris au marché.")
    messages: list[str] = []
    ctx.signals.status_message.connect(messages.append)
    editor = SessionEditor(ctx, ids.upcoming)
    qtbot.addWidget(editor)
    editor.show()

    dialog = _dialog(qtbot, editor)
    # The session's own language by default, the full minutes, a name saying what and where.
    assert dialog.language.currentData() == "fr" and dialog.profile.currentData() == "platform"
    day = sessions_day(ctx, ids.upcoming)
    assert Path(dialog.out_path.text()).name == \
        f"compte-rendu-{day}-plateforme-de-talladje.pdf"
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert Path(dialog.out_path.text()).name.startswith(f"minutes-{day}-")
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    assert dialog.draft_note.isVisible()  # a draft is marked as such
    assert not dialog.open_after.isChecked()  # nothing opens on the offscreen platform

    out = tmp_path / "compte rendu.pdf"
    dialog.out_path.setText(str(out))
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        QTest.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        # The click returned at once: the PDF is being made in the background.
        assert dialog.operation is not None and not out.exists()
        assert not dialog.export_button.isEnabled()
    reader = pypdf.PdfReader(out)
    first = reader.pages[0].extract_text()
    assert "Compte rendu de la séance de dialogue" in first and "Réunion de suivi" in first
    assert reader.metadata is not None and "Réunion de suivi" in str(reader.metadata.title)
    assert messages[-1] == f"Minutes saved to {out}."

    # Cancelled before it finished: no file, and the dialog stays open to try again.
    dialog = _dialog(qtbot, editor)
    again = tmp_path / "again.pdf"
    dialog.out_path.setText(str(again))
    QTest.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: "cancelled" in dialog.error.text(), timeout=30_000)
    assert dialog.isVisible() and not again.exists() and dialog.export_button.isEnabled()
    dialog.cancel_button.click()
    assert not dialog.isVisible()

    # The Sync page checks a PDF against the records, and says what changed since.
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    page.show()
    assert _verify(qtbot, page, out).startswith("These minutes match the records")
    sessions.update_session(ctx.store, ids.upcoming, minutes="Texte corrigé après la séance.")
    changed = _verify(qtbot, page, out)
    assert changed.startswith("These minutes no longer match") and "minutes text" in changed
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("pas un PDF")
    assert _verify(qtbot, page, not_pdf) == f"{not_pdf} is not a minutes PDF made by JSD Desk."


def _verify(qtbot: QtBot, page: SyncPage, path: Path) -> str:
    page.verify.verify_result.clear()
    page.verify.verify_minutes(path)
    qtbot.waitUntil(lambda: bool(page.verify.verify_result.text()), timeout=30_000)
    boxes = [b for b in page.findChildren(QMessageBox) if b.isVisible()]
    assert [b.text() for b in boxes] == [page.verify.verify_result.text()]
    boxes[0].close()
    return page.verify.verify_result.text()


def sessions_day(ctx: UiContext, session_id: str) -> str:
    from jsd_desk.services import queries

    record = queries.session(ctx.store, session_id)
    assert record is not None and record.starts_at is not None
    return record.starts_at.date().isoformat()


def test_default_file_names() -> None:
    import datetime as dt

    day = dt.date(2026, 3, 4)
    assert default_file_name("fr", day, "Yantala") == "compte-rendu-2026-03-04-yantala.pdf"
    assert default_file_name("en", None, "Tillabéri — Ayorou") == "minutes-tillaberi-ayorou.pdf"
    assert slug("ɗan Kassawa / Zinder!") == "an-kassawa-zinder"
    assert re.fullmatch(r"[a-z0-9-]*", slug("Ƙofar Arewa 😀 ١٢٣"))
