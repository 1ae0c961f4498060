"""The records behind a figure, as the Dashboard lists them: the kit's table model over the
indicators' ``RecordRef`` rows (one two-line entry each: the record, then its date and the
code the figure is about)."""

from __future__ import annotations

from PySide6.QtCore import QObject

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_
from jsd_desk.services import indicators as ind
from jsd_desk.ui.kit.table import Column, RowsTableModel


def code_label(ref: ind.RecordRef) -> str:
    """The record's own code shown beside it (a session's kind, a complaint's category, channel
    or status — whichever the figure is about —, an action item's status)."""
    if not ref.code:
        return ""
    candidates = {"session": (vocab.SESSION_KIND,),
                  "complaint": (vocab.COMPLAINT_CATEGORY, vocab.COMPLAINT_STATUS,
                                vocab.COMPLAINT_CHANNEL),
                  "action_item": (vocab.ACTION_STATUS,)}.get(ref.entity, ())
    for vocabulary in candidates:
        if ref.code in vocabulary.codes():
            return vocabulary.label(ref.code)
    return ""


def entry(ref: ind.RecordRef) -> str:
    """Two lines: the record's label, then its date and its code's label."""
    second = " · ".join(t for t in (ref.date.isoformat() if ref.date else "", code_label(ref))
                        if t)
    return f"{ref.label or '—'}\n{second}" if second else ref.label or "—"


class RecordsModel(RowsTableModel[ind.RecordRef]):
    COLUMNS: tuple[Column[ind.RecordRef], ...] = (
        Column(N_("Record counted"), entry, one_line=False,
               accessible=lambda ref: " · ".join(entry(ref).splitlines())),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(self.COLUMNS, lambda ref: (ref.entity, ref.id), parent)
