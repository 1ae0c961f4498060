"""What every page of the GUI is given: the open workspace (services take its store)."""

from __future__ import annotations

from dataclasses import dataclass

from jsd_desk.services.workspace import Workspace
from jsd_desk.store.writer import Store


@dataclass
class UiContext:
    workspace: Workspace

    @property
    def store(self) -> Store:
        return self.workspace.store

    @property
    def role(self) -> str:
        return self.workspace.role
