"""The item-data roles every list model of the GUI answers, defined once.

A view asks ``index.data(ID_ROLE)`` for the record id behind a row (to reselect it after a
refresh, to open it) and ``index.data(ROW_ROLE)`` for the row object itself (the query
service's frozen dataclass), so no page has to keep a parallel list of what it shows.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the backing row object (as Vorta's table model)
# First role free for a model's own extras (e.g. the action items' "overdue" flag).
FIRST_CUSTOM_ROLE = Qt.ItemDataRole.UserRole + 3

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
