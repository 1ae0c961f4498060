"""The target times of complaints, as a section of the Settings page (issue 12): for the
ministry (on a ministry device: every platform) or for one platform, per category and
severity. What is shown is the target in force and where it comes from; what is typed is
saved as a target record of the chosen scope, synced like any record."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jsd_desk.domain import vocab
from jsd_desk.domain.deadlines import Target
from jsd_desk.domain.errors import JsdError
from jsd_desk.i18n import N_, _
from jsd_desk.services import choices, targets
from jsd_desk.ui.context import UiContext
from jsd_desk.ui.kit.widgets import ERROR_COLOUR, fill_combo, fill_vocab_combo
from jsd_desk.ui.language import Retranslatable

MINISTRY = "*"  # the scope combo's data for the ministry's targets
SOURCES = {"platform": N_("This platform"), "ministry": N_("Ministry"), "default": N_("Built in")}
# In days (the explanation above the table says so): short headers fit every language.
STEP_COLUMNS = (N_("First contact"), N_("Referral or response"), N_("Resolution"))


class TargetsPanel(Retranslatable, QGroupBox):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("complaint_targets_box")
        self.scope = QComboBox()
        self.scope.setObjectName("target_scope")
        self.severity = QComboBox()
        self.severity.setObjectName("target_severity")
        self.scope_label, self.severity_label = QLabel(), QLabel()
        self.scope_label.setBuddy(self.scope)
        self.severity_label.setBuddy(self.severity)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.table = QTableWidget(len(vocab.COMPLAINT_CATEGORY.codes()), 5)
        self.table.setObjectName("complaint_targets")
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        # The category and its source read in full; the day counts share what is left.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for col in range(1, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.spins: dict[str, tuple[QSpinBox, QSpinBox, QSpinBox]] = {}
        for row, code in enumerate(vocab.COMPLAINT_CATEGORY.codes()):
            spins = []
            for col in range(3):
                spin = QSpinBox()
                spin.setObjectName(f"target_{code}_{('review', 'referral', 'resolution')[col]}")
                spin.setRange(0, 999)  # 0 can be typed; the service says why it is refused
                self.table.setCellWidget(row, col + 1, spin)
                spins.append(spin)
            self.spins[code] = (spins[0], spins[1], spins[2])
        self.table.setMinimumHeight(self.table.verticalHeader().length()
                                    + header.sizeHint().height() + 4)
        self.save_button = QPushButton()
        self.save_button.setObjectName("action_save_targets")
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setObjectName("targets_message")
        self.message.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.scope_label, self.scope)
        form.addRow(self.severity_label, self.severity)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain)
        layout.addLayout(form)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._shown: dict[tuple[str, str], Target] = {}
        self.scope.currentIndexChanged.connect(lambda _i: self.load())
        self.severity.currentIndexChanged.connect(lambda _i: self.load())
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Complaint target times"))
        self.explain.setText(_("Days from the day a complaint is received by which each step is "
                               "due. A platform's own targets apply to its complaints; the "
                               "ministry's to every platform; otherwise the built-in ones."))
        self.scope_label.setText(_("&Targets of:"))
        self.severity_label.setText(_("S&everity:"))
        self.scope.setAccessibleName(_("Whose targets"))
        self.severity.setAccessibleName(_("Severity"))
        scopes: list[tuple[object, str]] = []
        if self.ctx.role == "analyst":
            scopes.append((MINISTRY, _("The ministry (every platform)")))
        scopes += [(c.id, c.label) for c in choices.platform_choices(self.ctx.store)]
        fill_combo(self.scope, scopes)
        fill_vocab_combo(self.severity, vocab.COMPLAINT_SEVERITY)
        self.table.setHorizontalHeaderLabels([_("Category"), *(_(h) for h in STEP_COLUMNS),
                                              _("From")])
        self.save_button.setText(_("Save targets"))
        self.load()

    def _platform(self) -> str | None:
        data = self.scope.currentData()
        return None if data in (None, MINISTRY) else str(data)

    def load(self) -> None:
        severity = self.severity.currentData() or "normal"
        lines = {(t.category, t.severity): t
                 for t in targets.effective_targets(self.ctx.store, self._platform())}
        for row, code in enumerate(vocab.COMPLAINT_CATEGORY.codes()):
            line = lines[(code, severity)]
            label = vocab.COMPLAINT_CATEGORY.label(code)
            self.table.setItem(row, 0, QTableWidgetItem(label))
            self.table.setItem(row, 4, QTableWidgetItem(_(SOURCES[line.source])))
            t = line.target
            values = (t.review_days, t.referral_days, t.resolution_days)
            for spin, value, step in zip(self.spins[code], values, STEP_COLUMNS, strict=True):
                spin.setValue(value)
                spin.setAccessibleName(f"{label}: {_(step)}")
        self._shown = {(c, severity): lines[(c, severity)].target for c in self.spins}
        has_scope = self.scope.count() > 0
        self.save_button.setEnabled(has_scope)
        self.table.setEnabled(has_scope)
        if not has_scope:
            self._say(_("Add a platform first: its complaints get the built-in targets until "
                        "then."))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {ERROR_COLOUR}" if error else "")

    def save(self) -> int:
        """Write the targets that differ from those in force; how many were written."""
        severity = self.severity.currentData() or "normal"
        platform = self._platform()
        changed = 0
        for code, spins in self.spins.items():
            typed = Target(*(s.value() for s in spins))
            if typed == self._shown[(code, severity)]:
                continue
            try:
                targets.set_target(self.ctx.store, category=code, severity=severity,
                                   platform_id=platform, review_days=typed.review_days,
                                   referral_days=typed.referral_days,
                                   resolution_days=typed.resolution_days)
            except JsdError as exc:
                self._say(_("{category}: {reason}", category=vocab.COMPLAINT_CATEGORY.label(code),
                            reason=exc.message()), error=True)
                spins[0].setFocus()
                return changed
            changed += 1
        self.load()
        self._say(_("Targets saved.") if changed else _("Nothing to save."))
        return changed
