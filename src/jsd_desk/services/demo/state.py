"""What a demo run keeps track of while it writes: its platforms, open items, cases, slots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from jsd_desk.services.demo.corpus import Act, PlatformSpec


@dataclass
class Platform:
    spec: PlatformSpec
    id: str
    place_id: str
    problems: dict[str, str]  # theme key → priority problem id
    facilitators: tuple[str, ...]
    open_items: list[Item] = field(default_factory=list)
    episodes: int = 0


@dataclass
class Item:
    id: str
    status: str
    act: Act | None
    text: str  # its description, as recorded
    since: dt.date
    existing: bool = False


@dataclass
class Case:
    id: str
    status: str
    category: str
    language: str
    place: str
    rural: bool
    existing: bool = False


@dataclass
class Slot:
    when: dt.datetime
    platform: Platform
    kind: str
    language: str
