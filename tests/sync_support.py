"""Helpers of the sync tests: devices that know each other, bundles moved through real files,
and a fingerprint of everything a store holds (to prove a refused bundle wrote nothing)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from jsd_desk.services import sync
from jsd_desk.services.workspace import Workspace
from jsd_desk.store import models
from jsd_desk.store.dump import dump_text
from jsd_desk.sync.importer import ImportReport

MakeWorkspace = Callable[..., Workspace]

# Every table a sync could write: a refused bundle must leave each one as it was.
TABLES = [models.Event, models.HeldEvent, models.Device, models.Feed, models.SyncPeer,
          models.OutboxEntry, models.ImportLedger, models.LocalState, models.Blob,
          models.FieldWrite, models.FieldBase]


def introduce(*workspaces: Workspace) -> None:
    """Every device trusts every other one, through their contact cards (as ``peer add``)."""
    for a in workspaces:
        for b in workspaces:
            if a is not b:
                sync.add_peer(a, b.keys.info, fingerprint=b.keys.info.fingerprint())


def dump(ws: Workspace) -> str:
    with ws.store.engine.connect() as conn:
        return dump_text(conn)


def state(ws: Workspace) -> tuple[str, dict[str, int], dict[str, str]]:
    """The dump, the row count of every sync-related table, and local state values."""
    with ws.store.engine.connect() as conn:
        counts = {m.__tablename__: int(conn.execute(select(func.count()).select_from(
            models.tbl(m))).scalar_one()) for m in TABLES}
        local = {k: v for k, v in conn.execute(select(models.LocalState.key,
                                                      models.LocalState.value))}
    return dump(ws), counts, local


def send(src: Workspace, dst: Workspace | None, folder: Path) -> Path:
    """A bundle from ``src`` for ``dst`` (None: ``--all``), written into ``folder``."""
    path = folder / f"{src.keys.info.name}-{uuid.uuid4().hex[:8]}.jsdb"
    if dst is None:
        sync.export_bundle(src, path, everything=True)
    else:
        sync.export_bundle(src, path, to=dst.keys.info.device_id)
    return path


def receive(ws: Workspace, path: Path) -> ImportReport:
    (report,) = sync.import_bundles(ws, [path])
    return report


def add_concern(ws: Workspace, description: str, record_id: str | None = None,
                session_id: str | None = None) -> str:
    with ws.store.transaction() as tx:
        return tx.create("concern", {"session_id": session_id or str(uuid.uuid4()),
                                     "description": description}, record_id=record_id)


def edit(ws: Workspace, record_id: str, **fields: object) -> None:
    with ws.store.transaction() as tx:
        tx.put("concern", record_id, fields)


def concern(ws: Workspace, record_id: str) -> dict[str, object] | None:
    with ws.store.transaction() as tx:
        return tx.get("concern", record_id)
