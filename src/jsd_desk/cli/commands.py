"""The registry of subcommands. Each capability adds its own module to COMMANDS."""

from __future__ import annotations

from typing import Any, Protocol

from jsd_desk.cli import complaints, core, minutes, report, security, sync


class Command(Protocol):
    def register(self, sub: Any) -> None: ...


COMMANDS: list[Command] = [core, minutes, sync, security, report, complaints]
