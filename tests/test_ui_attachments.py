"""The attachments widget on real widgets and real stores: add a photo through the file
dialog, preview and view it, caption it, remove it and undo the removal; a file too large is
refused inline and nothing is added; read-only where the role may not attach."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from jsd_desk.services import actions, attachments, complaints, places, sessions
from jsd_desk.services.attachments import MAX_ATTACHMENT_BYTES
from jsd_desk.services.workspace import Workspace
from jsd_desk.ui.attachments import AttachmentListModel, AttachmentsWidget, AttachmentViewer
from jsd_desk.ui.context import UiContext
from tests.replicas import copy_events, events_of, introduce
from tests.test_services_attachments import png_bytes
from tests.ui_helpers import answer_next_dialog

Make = Callable[..., Workspace]
# The offscreen platform cannot resize windows to their hints; it says so for every dialog.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints")


@pytest.fixture
def ctx(workspace: Workspace) -> Iterator[UiContext]:
    context = UiContext(workspace)
    yield context
    context.signals.detach()


def _widget(qtbot: QtBot, ctx: UiContext, entity: str, record_id: str,
            read_only: bool = False) -> AttachmentsWidget:
    widget = AttachmentsWidget(ctx)
    qtbot.addWidget(widget)
    widget.resize(640, 420)
    widget.set_record(entity, record_id, read_only=read_only)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _complaint(ctx: UiContext) -> str:
    return complaints.receive_complaint(ctx.store, received_on="2026-03-02", channel="walk_in",
                                        category="theft", description="Vol de moto").id


def test_add_preview_view_remove_and_undo(qtbot: QtBot, ctx: UiContext, tmp_path: Path) -> None:
    cid = _complaint(ctx)
    widget = _widget(qtbot, ctx, "complaint", cid)
    photo = tmp_path / "feuille de présence.png"
    photo.write_bytes(png_bytes(40, 30))
    assert widget.empty.isVisible() and not widget.table.isVisible()
    assert not widget.action_remove.isEnabled() and not widget.action_view.isEnabled()

    # The real file dialog (Qt's own, offscreen) gives the path; the service reads the file.
    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(photo))
        dialog.accept()

    answer_next_dialog(qtbot, choose)
    widget.action_add.trigger()
    qtbot.waitUntil(lambda: widget.model.rowCount() == 1)

    assert widget.table.isVisible() and not widget.empty.isVisible()
    row = widget.model.row_at(0)
    assert row is not None and row.filename == photo.name and row.is_image
    # The new attachment is selected and previewed from the bytes in the store.
    assert widget.selected() == row
    pixmap = widget.preview.pixmap()
    assert widget.preview.isVisible() and not pixmap.isNull() and pixmap.height() == 30
    viewer = widget.view_selected()
    assert isinstance(viewer, AttachmentViewer)
    qtbot.addWidget(viewer)
    assert viewer.image.width() == 40 and viewer.image.height() == 30
    assert photo.name in viewer.windowTitle()
    viewer.close()

    assert widget.remove_selected()
    assert widget.model.rowCount() == 0
    assert attachments.attachments_for(ctx.store, "complaint", cid) == []
    ctx.undo_stack.undo()  # Ctrl+Z brings it back
    assert [a.filename for a in attachments.attachments_for(ctx.store, "complaint", cid)] \
        == [photo.name]
    assert widget.model.rowCount() == 1
    ctx.undo_stack.redo()
    assert widget.model.rowCount() == 0


def test_a_file_too_large_is_refused_inline_and_nothing_is_added(
        qtbot: QtBot, ctx: UiContext, tmp_path: Path) -> None:
    cid = _complaint(ctx)
    widget = _widget(qtbot, ctx, "complaint", cid)
    big = tmp_path / "scan énorme.tif"
    with big.open("wb") as fh:
        fh.truncate(MAX_ATTACHMENT_BYTES + 4096)
    op = widget.add_file(big)
    assert op is not None
    qtbot.waitUntil(lambda: widget.error.isVisible())
    assert "scan énorme.tif" in widget.error.text() and "25 MB" in widget.error.text()
    assert widget.error.accessibleName() == widget.error.text()
    assert widget.model.rowCount() == 0
    assert attachments.attachments_for(ctx.store, "complaint", cid) == []
    # The next good file clears the message.
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes())
    widget.add_file(photo)
    qtbot.waitUntil(lambda: widget.model.rowCount() == 1)
    assert not widget.error.isVisible()


def test_caption_is_edited_in_place_and_saved(qtbot: QtBot, ctx: UiContext,
                                              tmp_path: Path) -> None:
    cid = _complaint(ctx)
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes())
    aid = attachments.add_attachment(ctx.store, "complaint", cid, photo)
    widget = _widget(qtbot, ctx, "complaint", cid)
    index = widget.model.index(0, AttachmentListModel.CAPTION)
    widget.table.setCurrentIndex(index)
    widget.table.edit(index)
    editor = widget.table.viewport().findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    qtbot.keyClicks(editor, "Lettre du chef")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event loop turn
    qtbot.waitUntil(lambda: attachments.attachment_info(ctx.store, aid).caption
                    == "Lettre du chef")
    assert widget.model.data(index) == "Lettre du chef"


def test_models_pass_qtmodeltester(qtmodeltester: object, ctx: UiContext, tmp_path: Path) -> None:
    cid = _complaint(ctx)
    for n, data in enumerate((png_bytes(), b"%PDF-1.4 lettre", b"OggS" + b"\x00" * 30)):
        path = tmp_path / f"f{n}"
        path.write_bytes(data)
        attachments.add_attachment(ctx.store, "complaint", cid, path, f"légende {n} 🙂")
    model = AttachmentListModel()
    model.set_rows(attachments.attachments_for(ctx.store, "complaint", cid))
    model.editable = True
    model.save_caption = lambda aid, caption: None
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.set_rows([])
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_read_only_where_the_liaison_may_not_attach(qtbot: QtBot, make_workspace: Make,
                                                    tmp_path: Path) -> None:
    fac = make_workspace("fatouma", "facilitator")
    liaison = make_workspace("lamine", "liaison")
    introduce(liaison, fac)
    platform = places.add_platform(fac.store, name="Plateforme", place_id=None)
    session = sessions.create_session(fac.store, platform_id=platform,
                                      kind="neighbourhood_dialogue", title="Réunion",
                                      starts_at="2026-03-02T09:00")
    chief = actions.add_action_item(fac.store, session, description="Réunir les familles",
                                    responsible_party="traditional_chief")
    copy_events(liaison, events_of(fac))
    ctx = UiContext(liaison)
    widget = _widget(qtbot, ctx, "action_item", chief, read_only=True)
    assert not widget.action_add.isEnabled()
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes())
    assert widget.add_file(photo) is None
    ctx.signals.detach()


def test_the_attachments_box_titles_itself_in_the_language_chosen(qtbot: QtBot,
                                                                  ctx: UiContext) -> None:
    # The group every editor (a complaint, an action item) shows its attachments in.
    from jsd_desk.ui.attachments import AttachmentsBox
    from jsd_desk.ui.language import apply_language

    box = AttachmentsBox(ctx)
    qtbot.addWidget(box)
    assert box.objectName() == "attachments_box" and box.title() == "Attachments"
    assert box.attachments.parent() is box
    try:
        apply_language("fr")
        qtbot.waitUntil(lambda: box.title() == "Pièces jointes")
    finally:
        apply_language("en")
    qtbot.waitUntil(lambda: box.title() == "Attachments")
