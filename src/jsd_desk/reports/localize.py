"""Words, dates and numbers in the language of a document, whatever the interface's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jsd_desk.domain.vocab import Vocabulary
from jsd_desk.i18n import gettext_in, locale_for
from jsd_desk.i18n.formats import format_date, format_number, format_percent, format_time

DASH = "—"


class Tr:
    """Translate and format for one document language (``fr`` or ``en``)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        # fr → fr_NE ("4 mars 2026"); en → day-month-year, 24 h ("4 March 2026", "14:30").
        self.locale = locale_for(lang)

    def __call__(self, msgid: str, **params: Any) -> str:
        return gettext_in(self.lang, msgid, **params)

    def term(self, vocabulary: Vocabulary, code: str | None) -> str:
        """A vocabulary label; an empty code is a dash, an unknown one is shown as it is."""
        if not code:
            return DASH
        return gettext_in(self.lang, vocabulary.msgid(code))

    def date(self, value: dt.date | None) -> str:
        return format_date(value, "long", locale=self.locale) if value else DASH

    def short_date(self, value: dt.date | None) -> str:
        return format_date(value, "medium", locale=self.locale) if value else DASH

    def time(self, value: dt.datetime | dt.time | None) -> str:
        if value is None:
            return DASH
        return format_time(value, "short", locale=self.locale)

    def number(self, value: int) -> str:
        return format_number(value, locale=self.locale)

    def percent(self, value: float) -> str:
        return format_percent(value, locale=self.locale)

    def when(self, starts: dt.datetime | None, ends: dt.datetime | None) -> tuple[str, str]:
        """(date, times) of a session: "4 March 2026", "14:00–16:30"; a session over several
        days shows both dates."""
        if starts is None:
            return DASH, DASH
        if ends is None:
            return self.date(starts.date()), self.time(starts)
        if ends.date() == starts.date():
            return self.date(starts.date()), f"{self.time(starts)}–{self.time(ends)}"
        return (f"{self.date(starts.date())} – {self.date(ends.date())}",
                f"{self.time(starts)} – {self.time(ends)}")
