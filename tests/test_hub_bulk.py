"""The hub's bulk path on PostgreSQL (``store.pg_bulk``: COPY and array statements under the batch
projection) gives exactly what the portable path gives on SQLCipher, and a bundle refused after
its batches were written leaves nothing of them behind."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from jsd_desk.domain.clock import Hlc
from jsd_desk.security.device import DeviceKeys
from jsd_desk.services import folder_import as fi
from jsd_desk.services.search import search
from jsd_desk.services.workspace import Workspace
from jsd_desk.store import models
from jsd_desk.store.eventlog import GENESIS, SignedEvent, make_event
from jsd_desk.store.ingest import STORE_BATCH
from jsd_desk.sync import bundle as fmt
from tests import indicator_data
from tests.sync_support import MakeWorkspace, add_concern, dump, edit, introduce, receive, send, state

pytestmark = pytest.mark.postgres

# The merge state and the search index, which the dump does not show, compared row for row.
MERGE_TABLES = (models.FieldWrite, models.FieldBase, models.SearchDoc)


def merge_state(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the merge tables but the hub's own writes (each hub seeds the reference
    places with its own device's events) and search_doc's id (a local counter)."""
    out = {}
    with ws.store.engine.connect() as conn:
        for model in MERGE_TABLES:
            table = models.tbl(model)
            columns = [c for c in table.c if not (model is models.SearchDoc and c.name == "id")]
            query = select(*columns)
            if model is models.FieldWrite:
                query = query.where(table.c.device_id != ws.keys.info.device_id)
            out[model.__tablename__] = sorted(tuple(r) for r in conn.execute(query))
    return out


def test_postgres_and_sqlite_hubs_hold_the_same_after_the_same_bundles(
        pg_database: str, make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    pg = make_workspace("hub", "analyst", database_url=pg_database)
    office = make_workspace("office", "analyst")
    fati, bako = make_workspace("fati"), make_workspace("bako")
    introduce(fati, bako, pg, office)
    # Round 1: new records of every kind (sealed complainants, dates, counts), one of them
    # shared with bako.
    indicator_data.build(fati.store)
    shared = add_concern(fati, "Racket au poste de contrôle de Chétimari")
    gone = add_concern(fati, "Vols de bétail au marché")
    receive(bako, send(fati, bako, tmp_path))
    rounds = [[send(fati, pg, tmp_path)]]
    # Round 2: rows the hubs hold already are updated, re-indexed, deleted, superseded, and
    # one field is edited on both devices at once (a conflict each hub must keep).
    edit(fati, shared, theme="racket", description="Racket au poste de Chétimari, la nuit")
    edit(bako, shared, theme="corruption")
    with fati.store.transaction() as tx:
        tx.delete("concern", gone)
    rounds.append([send(fati, pg, tmp_path), send(bako, pg, tmp_path)])

    reports: dict[str, list[int]] = {"pg": [], "office": []}
    for bundles in rounds:
        for bundle in bundles:
            for name, hub in (("pg", pg), ("office", office)):
                report = receive(hub, bundle)
                reports[name].append(report.conflicts)
                assert report.new > 0
    assert reports["pg"] == reports["office"] and reports["pg"][-1] > 0
    assert dump(pg) == dump(office)
    assert merge_state(pg) == merge_state(office)
    concerns = {r["id"]: r for r in json.loads(dump(pg))["records"]["concern"]}
    assert concerns[shared]["description"] == "Racket au poste de Chétimari, la nuit"
    assert gone not in concerns  # the dump leaves tombstones out; the row is one
    with pg.store.engine.connect() as conn:
        table = models.tbl(models.Concern)
        assert conn.execute(select(table.c.deleted).where(table.c.id == gone)).scalar_one()
    assert search(pg.store, "chetimari nuit") == search(office.store, "chetimari nuit") != []
    assert search(pg.store, "betail") == search(office.store, "betail") == []


def signed_feed(keys: DeviceKeys, n: int) -> list[SignedEvent]:
    """``n`` events of one device's feed, signed directly: a session and its concerns."""
    out: list[SignedEvent] = []
    prev, wall = GENESIS, int(dt.datetime(2026, 3, 1, 9).timestamp() * 1000)
    session = str(uuid.uuid4())
    for seq in range(1, n + 1):
        entity, fields = (("session", {"title": "Séance de mars", "kind": "workshop"})
                          if seq == 1 else
                          ("concern", {"session_id": session, "theme": "vol",
                                       "description": f"Préoccupation n° {seq}"}))
        ev = make_event(keys, seq=seq, prev_hash=prev, hlc=Hlc(wall + seq).encode(),
                        entity=entity, entity_id=session if seq == 1 else str(uuid.uuid4()),
                        op="upsert", fields=fields, base={})
        out.append(ev)
        prev = ev.hash
    return out


def bundle_of(keys: DeviceKeys, hub: Workspace, lines: bytes, last_seq: int) -> bytes:
    me = hub.keys.info
    manifest = fmt.Manifest(
        bundle_id=str(uuid.uuid4()), created_at="2026-03-02T10:00:00+00:00", sender=keys.info,
        to=(me.device_id,), recipients=(me.device_id,), vector={keys.info.device_id: last_seq},
        base={}, acks={me.device_id: {}}, cards=(),
        counts={"events": last_seq, "blobs": 0}, members=fmt.member_table(lines, {}))
    raw = fmt.manifest_bytes(manifest)
    return fmt.encrypt(fmt.write_zip(raw, keys.sign(raw), lines, []), [me.age_recipient])


def rows_of(ws: Workspace, model: type[models.Base]) -> int:
    with ws.store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(models.tbl(model))).scalar_one())


@pytest.mark.parametrize("where", ["postgresql", "sqlite"])
def test_a_bad_bundle_in_a_folder_is_refused_whole_after_its_batches_were_written(
        where: str, request: pytest.FixtureRequest, make_workspace: MakeWorkspace,
        tmp_path: Path) -> None:
    url = request.getfixturevalue("pg_database") if where == "postgresql" else None
    hub = make_workspace("hub", "analyst", database_url=url)
    fati, bako = make_workspace("fati"), make_workspace("bako")
    introduce(fati, hub)
    introduce(bako, hub)
    folder = tmp_path / "inbox"
    folder.mkdir()
    # More events than one batch: the first batches are stored and projected (COPY on
    # PostgreSQL) before the check that refuses the bundle — the last event's signature.
    n = 2 * STORE_BATCH + 10
    feed = signed_feed(fati.keys, n)
    lines = b"".join(fmt.event_line(ev.raw, ev.signature_b64) for ev in feed[:-1])
    lines += fmt.event_line(feed[-1].raw, feed[-2].signature_b64)
    (folder / "a-fati.jsdb").write_bytes(bundle_of(fati.keys, hub, lines, n))
    before = state(hub)
    alone = fi.import_folder(hub, [folder])
    (bad,) = alone.files
    assert bad.outcome == fi.SKIPPED and "signature" in bad.reason_text()
    assert f"#{n}" in bad.reason_text()
    assert state(hub) == before  # every sync table, the ledger, the local state, the dump

    # In a folder beside a good bundle: the good one imported, of the bad one nothing at all —
    # no event, write, record, index entry, feed or ledger row.
    add_concern(bako, "Patrouilles de nuit demandées")
    send(bako, hub, folder)
    docs, sessions = rows_of(hub, models.SearchDoc), rows_of(hub, models.DialogueSession)
    report = fi.import_folder(hub, [folder])
    outcomes = {f.path.name: f.outcome for f in report.files}
    assert outcomes.pop("a-fati.jsdb") == fi.SKIPPED
    assert list(outcomes.values()) == [fi.IMPORTED] and report.new > 0
    with hub.store.engine.connect() as conn:
        for model in (models.Event, models.FieldWrite, models.Feed):
            table = models.tbl(model)
            assert conn.execute(select(func.count()).select_from(table).where(
                table.c.device_id == fati.keys.info.device_id)).scalar_one() == 0
        ledger = models.tbl(models.ImportLedger)
        assert conn.execute(select(ledger.c.sender)).scalars().all() == [bako.keys.info.device_id]
    assert rows_of(hub, models.DialogueSession) == sessions
    assert rows_of(hub, models.SearchDoc) == docs + 1  # bako's concern only
    assert "Préoccupation n°" not in dump(hub) and "Patrouilles de nuit" in dump(hub)
    again = fi.import_folder(hub, [folder])
    assert again.count(fi.ALREADY) == 1 and again.count(fi.SKIPPED) == 1 and again.new == 0
