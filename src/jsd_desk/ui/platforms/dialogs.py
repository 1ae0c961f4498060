"""The dialogs of the Platforms & places page: a new place, a new platform."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.errors import JsdError, ValidationError
from jsd_desk.i18n import N_, _
from jsd_desk.services import places as place_service
from jsd_desk.services import platforms as service
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.widgets import (
    error_label,
    fill_combo,
    fill_vocab_combo,
    ok_cancel,
    show_error,
)
from jsd_desk.ui.language import Retranslatable

# -- dialogs ---------------------------------------------------------------------------------------


class FormDialog(Retranslatable, QDialog):
    """A small form with OK/Cancel; ``submit`` saves and raises JsdError to refuse."""

    def __init__(self, parent: QWidget | None, object_name: str) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.error = error_label(f"{object_name}_error")
        self.buttons = ok_cancel(self, self._ok)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.result_id: str | None = None
        self.resize(460, self.sizeHint().height())

    def submit(self) -> str:
        raise NotImplementedError

    def _ok(self) -> None:
        show_error(self.error, None)
        try:
            self.result_id = self.submit()
        except JsdError as exc:
            show_error(self.error, exc.message())
            return
        self.accept()

    def retranslate_ui(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setObjectName("action_ok")
        ok.setAccessibleName(ok.text())


class PlaceDialog(FormDialog):
    def __init__(self, ctx: UiContext, parent_place: service.PlaceNode | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, "place_dialog")
        self.ctx = ctx
        self.parent_place = parent_place
        self.under = QLabel()
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.level = QComboBox()
        self.level.setObjectName("level")
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.labels = [QLabel(), QLabel(), QLabel(), QLabel()]
        for label, widget in zip(self.labels, (self.under, self.name, self.level, self.code),
                                 strict=True):
            if widget is not self.under:
                label.setBuddy(widget)
            self.form.addRow(label, widget)
        self.retranslate_ui()
        # The level below the parent's is the likely one.
        codes = vocab.PLACE_LEVEL.codes()
        if parent_place is not None and parent_place.level in codes:
            below = codes[min(codes.index(parent_place.level) + 1, len(codes) - 1)]
            self.level.setCurrentIndex(max(self.level.findData(below), 0))

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.setWindowTitle(_("New place"))
        for label, text in zip(self.labels, (_("Inside:"), _("Name:"), _("Level:"), _("Code:")),
                               strict=True):
            label.setText(text)
        self.under.setText(self.parent_place.name if self.parent_place else _("(top level)"))
        self.name.setAccessibleName(_("Name of the place"))
        self.level.setAccessibleName(_("Level of the place"))
        self.code.setAccessibleName(_("Code of the place"))
        self.code.setPlaceholderText(_("Optional: an official code"))
        fill_vocab_combo(self.level, vocab.PLACE_LEVEL)

    def submit(self) -> str:
        name = self.name.text().strip()
        if not name:
            raise ValidationError("name", N_("This field is required."))
        return place_service.add_place(
            self.ctx.store, name=name, level=self.level.currentData(),
            parent_id=self.parent_place.id if self.parent_place else None,
            code=self.code.text().strip() or None)


class PlatformDialog(FormDialog):
    def __init__(self, ctx: UiContext, place_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent, "platform_dialog")
        self.ctx = ctx
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.place = QComboBox()
        self.place.setObjectName("place_id")
        self.place.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.place.setMinimumContentsLength(24)
        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.description.fontMetrics().lineSpacing() * 4 + 14)
        self.labels = [QLabel(), QLabel(), QLabel()]
        for label, widget in zip(self.labels, (self.name, self.place, self.description),
                                 strict=True):
            label.setBuddy(widget)
            self.form.addRow(label, widget)
        from jsd_desk.services.choices import place_choices

        items: list[tuple[Any, str]] = [(None, _("(no place)"))]
        items.extend((c.id, c.label) for c in place_choices(ctx.store))
        fill_combo(self.place, items)
        self.place.setCurrentIndex(max(self.place.findData(place_id), 0))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.setWindowTitle(_("New platform"))
        for label, text in zip(self.labels, (_("Name:"), _("Place:"), _("Description:")),
                               strict=True):
            label.setText(text)
        self.name.setAccessibleName(_("Name of the platform"))
        self.name.setPlaceholderText(_("e.g. Plateforme de dialogue de Talladjé"))
        self.place.setAccessibleName(_("Place of the platform"))
        self.description.setAccessibleName(_("Description of the platform"))
        if self.place.count():
            self.place.setItemText(0, _("(no place)"))

    def submit(self) -> str:
        name = self.name.text().strip()
        if not name:
            raise ValidationError("name", N_("This field is required."))
        return place_service.add_platform(
            self.ctx.store, name=name, place_id=self.place.currentData(),
            description=self.description.toPlainText().strip() or None)

