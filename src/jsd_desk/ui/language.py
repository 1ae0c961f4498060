"""The interface language on the Qt side: Qt's own translations, the locale, live switching.

Contract for every widget of the GUI
====================================

1. Put user-visible text in one method, ``retranslate_ui(self) -> None``, that sets every text
   from ``_()`` (labels, titles, tooltips, placeholders, accessible names, header data, combo
   items built from vocabularies: ``vocab.COMPLAINT_STATUS.label(code)``). Call it at the end of
   ``__init__``. Strings defined at import time are marked ``N_()`` and translated in there.
2. Inherit :class:`Retranslatable` before the Qt class::

       class SessionPage(Retranslatable, QWidget):
           def __init__(self, ctx: UiContext) -> None:
               super().__init__()
               self.title = QLabel()
               self.retranslate_ui()

           def retranslate_ui(self) -> None:
               self.title.setText(_("Sessions"))

   Its ``changeEvent`` calls ``retranslate_ui()`` on ``QEvent.Type.LanguageChange``. A widget
   that overrides ``changeEvent`` itself calls ``super().changeEvent(event)``.
3. Item models do not get ``LanguageChange`` (they are not widgets): the view that owns one calls
   ``model.headerDataChanged.emit(...)`` / ``dataChanged`` from its ``retranslate_ui``, and the
   model's ``data()``/``headerData()`` translate when asked, never caching translated text.
4. Dates and numbers shown in text go through :mod:`jsd_desk.i18n.formats` at display time;
   date pickers follow the locale set here (Monday first in French) with no code of their own.
5. To switch language, the Settings page calls :func:`apply_language` and the window saves the
   choice. At start-up the composition root calls :func:`apply_language` with the choice of
   :func:`jsd_desk.i18n.settings.choose_language` (given the saved value and
   ``desktop=desktop_locales()``) *before* building windows, saves it when ``first_run``, and
   shows ``choice.notice()`` if it is not None.

What :func:`apply_language` does: ``set_language`` (gettext, format locale), ``QLocale.setDefault``
(and re-resolves the locale of existing windows and the display format of date/time editors
left at their locale's default), then replaces the ``QTranslator`` of Qt's own ``qtbase_<lang>``
(standard buttons, QFileDialog, QMessageBox; from ``QLibraryInfo``'s translations path). Qt
posts ``LanguageChange`` to every widget when a translator is removed or installed; when neither
happens (only the format locale changed, or Qt has no catalog for the language) the event is
sent explicitly.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QDateTimeEdit, QWidget

from jsd_desk.i18n import PSEUDO, current_locale, set_language
from jsd_desk.i18n.formats import cldr_code
from jsd_desk.i18n.pseudo import pseudo

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    _BaseWidget = QWidget  # mypy checks the mixin as the widget it will be mixed into
else:
    _BaseWidget = object


class Retranslatable(_BaseWidget):
    """Mixin: ``retranslate_ui()`` runs on every ``LanguageChange`` the widget receives."""

    def retranslate_ui(self) -> None:
        raise NotImplementedError(f"{type(self).__name__} must define retranslate_ui()")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


class PseudoQtTranslator(QTranslator):
    """Qt's own strings in the pseudo-locale, so that standard buttons stretch too."""

    def translate(self, context: str, source_text: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        # QT_LAYOUT_DIRECTION is a setting disguised as a string ("LTR"); leave it alone.
        if not source_text or source_text == "QT_LAYOUT_DIRECTION":
            return ""
        return pseudo(source_text)

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


# Qt keeps only a pointer to an installed translator: hold the Python objects here.
_installed: list[QTranslator] = []
_installed_language: str | None = None


def qt_translations_dir() -> str:
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def qt_locale(locale: str) -> QLocale:
    """The QLocale for a format locale (``fr_NE``, ``fr_CI``, ``en`` → en_GB's data)."""
    return QLocale(cldr_code(locale))


def desktop_locales() -> list[str]:
    """The languages the desktop prefers (Windows and macOS report them only through Qt)."""
    return [code.replace("-", "_") for code in QLocale.system().uiLanguages()]


def _qt_translators(language: str) -> list[QTranslator]:
    if language == PSEUDO:
        return [PseudoQtTranslator()]
    if language == "en":
        return []  # Qt's source strings are English
    translator = QTranslator()
    if translator.load(f"qtbase_{language}", qt_translations_dir()):
        return [translator]
    log.warning("Qt has no translations for %r; its standard dialogs stay in English", language)
    return []


def _relocalize(old: QLocale, new: QLocale) -> None:
    """Existing widgets keep the locale they were built with: re-resolve it from the new default
    (widgets given a locale explicitly keep theirs), and move date/time editors that show their
    locale's default format to the new default format."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    for window in app.topLevelWidgets():
        if not window.testAttribute(Qt.WidgetAttribute.WA_SetLocale):
            window.unsetLocale()
    short = QLocale.FormatType.ShortFormat
    defaults = (
        (old.dateFormat(short), new.dateFormat(short)),
        (old.dateTimeFormat(short), new.dateTimeFormat(short)),
        (old.timeFormat(short), new.timeFormat(short)),
    )
    for widget in app.allWidgets():
        if isinstance(widget, QDateTimeEdit):
            for before, after in defaults:
                if widget.displayFormat() == before:
                    widget.setDisplayFormat(after)
                    break


def apply_language(language: str, *, locale: str | None = None) -> str:
    """Switch the whole interface to ``language`` now; returns the language in force.

    Needs the QApplication to exist. Every widget then receives ``LanguageChange``."""
    global _installed_language
    before = (_installed_language, current_locale())
    chosen = set_language(language, locale=locale)
    old_default = QLocale()
    new_default = qt_locale(current_locale())
    QLocale.setDefault(new_default)
    _relocalize(old_default, new_default)
    if before == (chosen, current_locale()):
        return chosen
    changed = False
    while _installed:
        changed = QCoreApplication.removeTranslator(_installed.pop()) or changed
    for translator in _qt_translators(chosen):
        if QCoreApplication.installTranslator(translator):
            _installed.append(translator)
            changed = True
    _installed_language = chosen
    app = QCoreApplication.instance()
    if not changed and app is not None:
        # No Qt catalog came or went (e.g. fr_NE → fr_CI), so Qt posted nothing: our own texts
        # still have to follow.
        QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LanguageChange))
    return chosen
