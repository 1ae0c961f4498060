"""Where a device keeps its store: DESIGN §7's --data-dir, env JSD_DESK_DATA_DIR, or the default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs


def default_data_dir() -> Path:
    env = os.environ.get("JSD_DESK_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("jsd-desk", appauthor=False))


@dataclass(frozen=True)
class DataDir:
    root: Path

    @property
    def keyslots(self) -> Path:
        return self.root / "keyslots.json"

    @property
    def device(self) -> Path:
        return self.root / "device.json"

    @property
    def device_keys(self) -> Path:
        return self.root / "device.key"

    @property
    def database(self) -> Path:
        return self.root / "jsd.db"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    def exists(self) -> bool:
        return self.keyslots.exists() and self.device.exists()
