"""The data folder's settings file (``settings.json``): the one place that reads and writes it.

It holds what belongs to this store rather than to the user's desktop: the hub's database URL,
the sync folder, the idle-lock delay. A missing or unreadable file reads as no settings, so a
damaged settings file never stops the store from opening.
"""

from __future__ import annotations

import json
from typing import Any

from jsd_desk.files import atomic_write
from jsd_desk.paths import DataDir

DATABASE_URL = "database_url"


def read_settings(data_dir: DataDir) -> dict[str, Any]:
    try:
        data = json.loads(data_dir.settings.read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_settings(data_dir: DataDir, settings: dict[str, Any]) -> None:
    atomic_write(data_dir.settings, json.dumps(settings, indent=2, sort_keys=True).encode(), 0o600)


def hub_database_url(data_dir: DataDir) -> str | None:
    """The PostgreSQL URL this data folder is bound to (a ministry hub), or None (SQLCipher)."""
    value = read_settings(data_dir).get(DATABASE_URL)
    return value if isinstance(value, str) and value else None
