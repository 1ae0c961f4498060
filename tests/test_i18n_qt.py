"""Switching the language of a running app: real widgets retranslate, Qt's own standard buttons
follow from Qt's qtbase catalogs, date pickers follow the locale."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QDateEdit, QDialogButtonBox, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from jsd_desk.domain import vocab
from jsd_desk.i18n import _, current_language, current_locale
from jsd_desk.i18n.pseudo import pseudo
from jsd_desk.ui.language import Retranslatable, apply_language, qt_translations_dir

Buttons = QDialogButtonBox.StandardButton


class Sample(Retranslatable, QWidget):
    """A form written to the contract of jsd_desk.ui.language."""

    def __init__(self) -> None:
        super().__init__()
        self.retranslations = 0
        self.kind = QLabel()
        self.error = QLabel()
        self.due = QDateEdit(QDate(2026, 3, 5))
        self.due.setCalendarPopup(True)
        self.buttons = QDialogButtonBox(Buttons.Ok | Buttons.Cancel)
        layout = QVBoxLayout(self)
        for widget in (self.kind, self.error, self.due, self.buttons):
            layout.addWidget(widget)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.retranslations += 1
        self.kind.setText(vocab.SESSION_KIND.label("neighbourhood_dialogue"))
        self.error.setText(_("The due date is before the session."))
        self.setWindowTitle(_("Action item"))
        self.kind.setAccessibleName(_("Kind of session"))

    def button_texts(self) -> tuple[str, str]:
        ok, cancel = self.buttons.button(Buttons.Ok), self.buttons.button(Buttons.Cancel)
        assert ok is not None and cancel is not None
        return ok.text(), cancel.text()


@pytest.fixture
def english_app(qapp: object) -> Iterator[None]:
    before = QLocale()
    apply_language("en")
    yield
    apply_language("en")
    QLocale.setDefault(before)


def _switch(qtbot: QtBot, widget: Sample, lang: str, **kwargs: str) -> None:
    seen = widget.retranslations
    apply_language(lang, **kwargs)
    qtbot.waitUntil(lambda: widget.retranslations > seen)


def test_switching_language_retranslates_open_widgets_and_qt_buttons(
        qtbot: QtBot, english_app: None) -> None:
    widget = Sample()
    qtbot.addWidget(widget)
    assert widget.kind.text() == "Neighbourhood dialogue"
    assert widget.button_texts() == ("OK", "Cancel")

    _switch(qtbot, widget, "fr")
    assert current_language() == "fr"
    assert widget.kind.text() == "Dialogue de quartier"
    assert widget.error.text() == "L'échéance est antérieure à la séance."
    assert widget.windowTitle() == "Engagement"
    assert widget.kind.accessibleName() == "Type de séance"
    # Qt's own standard buttons, from qtbase_fr.qm.
    qtbot.waitUntil(lambda: widget.button_texts() == ("OK", "Annuler"))

    _switch(qtbot, widget, "qps")
    assert widget.kind.text() == pseudo("Neighbourhood dialogue")
    assert len(widget.kind.text()) >= 1.4 * len("Neighbourhood dialogue")
    qtbot.waitUntil(lambda: widget.button_texts() == (pseudo("OK"), pseudo("Cancel")))

    _switch(qtbot, widget, "en")
    assert widget.kind.text() == "Neighbourhood dialogue"
    qtbot.waitUntil(lambda: widget.button_texts() == ("OK", "Cancel"))


def test_a_widget_built_after_the_switch_starts_in_the_new_language(
        qtbot: QtBot, english_app: None) -> None:
    apply_language("fr")
    widget = Sample()
    qtbot.addWidget(widget)
    assert widget.kind.text() == "Dialogue de quartier"
    assert widget.button_texts() == ("OK", "Annuler")


def test_changing_only_the_format_locale_still_reaches_every_widget(
        qtbot: QtBot, english_app: None) -> None:
    widget = Sample()
    qtbot.addWidget(widget)
    _switch(qtbot, widget, "fr")
    # No Qt catalog comes or goes between fr_NE and fr_CI: the event is sent all the same.
    _switch(qtbot, widget, "fr", locale="fr_CI")
    assert current_locale() == "fr_CI"
    qtbot.waitUntil(lambda: widget.locale().name() == "fr_CI")


def test_date_pickers_follow_the_locale_monday_first_in_french(
        qtbot: QtBot, english_app: None) -> None:
    widget = Sample()
    qtbot.addWidget(widget)
    calendar = widget.due.calendarWidget()
    assert calendar is not None
    _switch(qtbot, widget, "fr")
    qtbot.waitUntil(lambda: widget.due.locale().name() == "fr_NE")
    assert calendar.firstDayOfWeek() == Qt.DayOfWeek.Monday
    assert widget.due.displayFormat() == "dd/MM/yyyy"
    assert widget.due.text() == "05/03/2026"
    assert widget.due.locale().toString(widget.due.date(), "d MMMM yyyy") == "5 mars 2026"

    # A picker built with the English default format moves to the French one.
    apply_language("en")
    us_style = QDateEdit(QDate(2026, 3, 5))
    qtbot.addWidget(us_style)
    us_style.setDisplayFormat(QLocale("en_US").dateFormat(QLocale.FormatType.ShortFormat))
    QLocale.setDefault(QLocale("en_US"))
    _switch(qtbot, widget, "fr")
    assert us_style.displayFormat() == "dd/MM/yyyy"
    assert us_style.text() == "05/03/2026"


def test_qt_ships_its_french_catalog() -> None:
    from pathlib import Path

    assert (Path(qt_translations_dir()) / "qtbase_fr.qm").is_file()
