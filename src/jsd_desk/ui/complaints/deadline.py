"""How a complaint's deadline reads on screen (Home, the Complaints list and detail): the state
as a coloured dot and a word, the next step and its due date, the escalation flags."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from jsd_desk.domain import vocab
from jsd_desk.domain.escalation import ESCALATION
from jsd_desk.i18n import _, ngettext
from jsd_desk.i18n.formats import format_date
from jsd_desk.services.complaint_standing import Standing

# Readable on light and dark backgrounds; never the only sign (the word is always there too).
STATE_COLOURS = {"overdue": "#d0342c", "at_risk": "#e69138", "on_time": "#6aa84f",
                 "closed": "#999999"}
_ICONS: dict[str, QIcon] = {}


def state_icon(state: str | None) -> QIcon:
    """A small filled circle in the state's colour (cached; empty without a state)."""
    if state not in STATE_COLOURS:
        return QIcon()
    icon = _ICONS.get(state)
    if icon is None:
        pix = QPixmap(12, 12)
        pix.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pix)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor(STATE_COLOURS[state]))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(1, 1, 10, 10)
        painter.end()
        icon = _ICONS[state] = QIcon(pix)
    return icon


def state_label(st: Standing | None) -> str:
    return "" if st is None or st.state is None else vocab.DEADLINE_STATE.label(st.state)


def due_line(step: str | None, due_on: dt.date | None, days_left: int) -> str:
    """``First contact due 3 Mar 2026 · 2 days late`` (empty when closed or undated)."""
    if step is None or due_on is None:
        return ""
    text = _step_due(step, due_on)
    if days_left < 0:
        text += " · " + ngettext("{n} day late", "{n} days late", -days_left)
    elif days_left == 0:
        text += " · " + _("due today")
    return text


def _step_due(step: str, due_on: dt.date) -> str:
    return _("{step} due {date}", step=vocab.COMPLAINT_STEP.label(step),
             date=format_date(due_on, "medium"))


def due_text(st: Standing | None) -> str:
    d = None if st is None else st.deadline
    return "" if d is None else due_line(d.step, d.due_on, d.days_left)


def strip_line(st: Standing) -> str:
    """One line of a strip of what is late, the most telling part first, since a narrow strip
    cuts its end: ``REF · 15 days late · First contact due 3 Mar 2026 · Escalated``. An
    overdue one says how late in words (its state word would only repeat it); any other says
    its state."""
    d = st.deadline
    if d is not None and d.step is not None and d.due_on is not None and d.days_left < 0:
        parts = [st.reference, ngettext("{n} day late", "{n} days late", -d.days_left),
                 _step_due(d.step, d.due_on)]
    else:
        parts = [st.reference, state_label(st), due_text(st)]
    return " · ".join(x for x in (*parts, flags_text(st)) if x)


def flags_line(flags: tuple[str, ...]) -> str:
    return " · ".join(ESCALATION.label(f) for f in flags)


def flags_text(st: Standing | None) -> str:
    return "" if st is None else flags_line(st.flags)
