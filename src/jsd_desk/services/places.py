"""Places (a tree of codes), dialogue platforms and their priority problems."""

from __future__ import annotations

import json
import uuid
from importlib import resources
from typing import Any

from sqlalchemy import select

from jsd_desk.domain.errors import NotFound, PermissionDenied
from jsd_desk.i18n import N_
from jsd_desk.services.views import PlatformView, view_of
from jsd_desk.store import models
from jsd_desk.store.writer import Store, Tx

# Reference places get ids derived from their codes, so every device that loads them holds the
# very same records and their events merge instead of duplicating.
PLACE_NAMESPACE = uuid.UUID("6f1d3c0e-51a7-4a8e-9a34-1d3f2b7c9e10")


def place_id_for_code(code: str) -> str:
    return str(uuid.uuid5(PLACE_NAMESPACE, code))


def reference_places() -> list[dict[str, Any]]:
    data = json.loads((resources.files("jsd_desk.resources") / "reference" / "places-niger.json")
                      .read_text(encoding="utf-8"))
    places: list[dict[str, Any]] = data["places"]
    return places


def ensure_place(tx: Tx, code: str, level: str, name: str, parent_code: str | None) -> str:
    pid = place_id_for_code(code)
    fields: dict[str, Any] = {"code": code, "level": level, "name": name,
                              "parent_id": place_id_for_code(parent_code) if parent_code else None}
    if tx.get("place", pid) is None:
        tx.create("place", fields, record_id=pid)
    return pid


def load_reference_places(store: Store) -> None:
    with store.transaction() as tx:
        for p in reference_places():
            ensure_place(tx, p["code"], p["level"], p["name"], p["parent"])


def _no_liaison(store: Store) -> None:
    # Places, platforms and their problems are the facilitators' and the ministry's to record.
    if store.keys.info.role == "liaison":
        raise PermissionDenied(N_("A liaison officer's device does not record places or "
                                  "platforms."))


def add_place(store: Store, *, name: str, level: str, parent_id: str | None, code: str | None = None) -> str:
    _no_liaison(store)
    with store.transaction() as tx:
        if parent_id and tx.get("place", parent_id) is None:
            raise NotFound(N_("The parent place does not exist."))
        return tx.create("place", {"name": name, "level": level, "parent_id": parent_id, "code": code})


def add_platform(store: Store, *, name: str, place_id: str | None, description: str | None = None) -> str:
    _no_liaison(store)
    with store.transaction() as tx:
        return tx.create("platform", {"name": name, "place_id": place_id, "description": description})


def add_priority_problem(store: Store, *, platform_id: str, title: str,
                         description: str | None = None) -> str:
    _no_liaison(store)
    with store.transaction() as tx:
        if tx.get("platform", platform_id) is None:
            raise NotFound(N_("No such platform."))
        return tx.create("priority_problem", {"platform_id": platform_id, "title": title,
                                              "description": description, "status": "active"})


def place_path(store: Store, place_id: str | None) -> list[str]:
    """Names from the country down to the place (for title blocks and lists)."""
    names: list[str] = []
    with store.reading() as s:
        seen: set[str] = set()
        while place_id and place_id not in seen:
            seen.add(place_id)
            place = s.get(models.Place, place_id)
            if place is None:
                break
            names.append(place.name or "")
            place_id = place.parent_id
    return list(reversed(names))


def platforms(store: Store) -> list[PlatformView]:
    with store.reading() as s:
        return [view_of(PlatformView, r) for r in s.scalars(
            select(models.Platform).where(models.Platform.deleted.is_(False))
            .order_by(models.Platform.name))]
