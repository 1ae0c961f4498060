"""One platform's fields, edited in place (each saved as it is left)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from jsd_desk.i18n import _
from jsd_desk.services import platforms as service
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.fields import AutosaveField
from jsd_desk.ui.kit.widgets import (
    fill_combo,
)
from jsd_desk.ui.language import Retranslatable


class PlatformEditor(Retranslatable, QWidget):
    """Name, place and description of one platform, saved as they are edited."""

    def __init__(self, ctx: UiContext, detail: service.PlatformDetail, editable: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("platform_editor")
        self.ctx = ctx
        self.platform_id = detail.id
        self.editable = editable
        self.name = QLineEdit()
        self.place = QComboBox()
        self.place.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.place.setMinimumContentsLength(18)
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setMinimumHeight(self.description.fontMetrics().lineSpacing() * 3 + 14)
        from jsd_desk.services.choices import place_choices

        places: list[tuple[Any, str]] = [(None, _("(no place)"))]
        places.extend((c.id, c.label) for c in place_choices(ctx.store))
        fill_combo(self.place, places)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.bindings: dict[str, AutosaveField] = {}
        self.labels: dict[str, QLabel] = {}
        store, pid = ctx.store, detail.id
        for key, editor in (("name", self.name), ("place_id", self.place),
                            ("description", self.description)):
            def write(value: Any, k: str = key) -> None:
                service.update_platform(store, pid, **{k: value})

            self.bindings[key] = AutosaveField(editor, key, write, undo_stack=ctx.undo_stack,
                                               describe=self._describer(key))
            label = QLabel()
            label.setBuddy(editor)
            self.labels[key] = label
            form.addRow(label, self.bindings[key].container)
        self.retranslate_ui()
        self.show_detail(detail)

    def _titles(self) -> dict[str, str]:
        return {"name": _("Name"), "place_id": _("Place"), "description": _("Description")}

    def _describer(self, key: str) -> Callable[[], str]:
        return lambda: self._titles()[key]

    def retranslate_ui(self) -> None:
        titles = self._titles()
        for key, label in self.labels.items():
            label.setText(titles[key] + ":")
        self.name.setAccessibleName(_("Name of the platform"))
        self.place.setAccessibleName(_("Place of the platform"))
        self.description.setAccessibleName(_("Description of the platform"))
        self.description.setPlaceholderText(_("Who takes part, how often it meets"))
        if self.place.count():
            self.place.setItemText(0, _("(no place)"))

    def show_detail(self, detail: service.PlatformDetail) -> None:
        values = {"name": detail.name, "place_id": detail.place_id,
                  "description": detail.description}
        for key, binding in self.bindings.items():
            binding.load(values[key])
            binding.set_read_only(not self.editable)
        if not self.name.hasFocus():
            self.name.setCursorPosition(0)  # a long name shows its beginning


# -- the page --------------------------------------------------------------------------------------

