"""What a complainant learns with a receipt code (issue 12): where the complaint stands, in
French or English, and nothing else — not the category, the description, the place, whom it is
against, or any name. The receipt code is what an anonymous complainant holds; someone who
found it learns no more than a date and a status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jsd_desk.domain import vocab
from jsd_desk.i18n import N_, gettext_in, locale_for
from jsd_desk.i18n.formats import format_date
from jsd_desk.services.complaint_standing import standings
from jsd_desk.services.complaints import find_by_receipt
from jsd_desk.store.writer import Store


@dataclass(frozen=True)
class ReceiptStatus:
    received_on: dt.date | None
    status: str
    since: dt.date | None  # the day of the last move (None: still as received)
    next_step: str | None
    due_on: dt.date | None
    late: bool


def receipt_status(store: Store, code: str, *, today: dt.date | None = None) -> ReceiptStatus:
    """The standing of the complaint with this receipt code (``NotFound``/``ValidationError``
    with one sentence when there is none)."""
    complaint_id = find_by_receipt(store, code)
    st = standings(store, [complaint_id], today=today)[complaint_id]
    moves = [t for t in (st.steps.first_contact, st.steps.referred, st.steps.closed) if t]
    last = max(moves).date() if moves else None
    d = st.deadline
    return ReceiptStatus(st.received_on, st.status or "received", last,
                         None if d is None else d.step, None if d is None else d.due_on,
                         d is not None and d.state == "overdue")


STATUS_LINES: dict[str, str] = {
    "received": N_("Your complaint was received on {received}; it will be looked at soon."),
    "under_review": N_("Your complaint, received on {received}, is being examined (since "
                       "{since})."),
    "referred": N_("Your complaint, received on {received}, was passed on to the security "
                   "forces on {since}, who must answer it."),
    "resolved": N_("Your complaint, received on {received}, was resolved on {since}."),
    "closed_unresolved": N_("Your complaint, received on {received}, was closed on {since} "
                            "without a solution."),
    "withdrawn": N_("Your complaint, received on {received}, was withdrawn on {since}."),
}
NEXT_LINE = N_("Next step: {step}, expected by {due}.")
LATE_LINE = N_("Next step: {step}; it was expected by {due} and the platform has been alerted.")


def receipt_message(status: ReceiptStatus, lang: str) -> str:
    """The sentences a complainant is told, in ``lang`` (``fr`` or ``en``)."""
    locale = locale_for(lang)

    def day(d: dt.date | None) -> str:
        return format_date(d, "long", locale=locale) if d else "?"

    line = STATUS_LINES.get(status.status, STATUS_LINES["received"])
    text = gettext_in(lang, line, received=day(status.received_on),
                      since=day(status.since or status.received_on))
    if status.next_step and status.due_on:
        step = gettext_in(lang, vocab.COMPLAINT_STEP.msgid(status.next_step)).lower()
        text += " " + gettext_in(lang, LATE_LINE if status.late else NEXT_LINE, step=step,
                                 due=day(status.due_on))
    return text
