"""Sync with the ministry hub, whose records live in PostgreSQL: the same bundles, the same
checks, the same all-or-nothing import."""

from __future__ import annotations

from pathlib import Path

import pytest

from jsd_desk.domain.errors import InputRefused
from jsd_desk.services import sync
from jsd_desk.store.verify import verify_store
from tests.sync_support import (
    MakeWorkspace,
    add_concern,
    dump,
    edit,
    introduce,
    receive,
    send,
    state,
)

pytestmark = pytest.mark.postgres


def test_a_hub_on_postgresql_imports_relays_and_refuses_alike(
        pg_database: str, make_workspace: MakeWorkspace, tmp_path: Path) -> None:
    hub = make_workspace("hub", "analyst", database_url=pg_database)
    fati, lami = make_workspace("fati"), make_workspace("lami", "liaison")
    introduce(fati, hub)
    introduce(lami, fati)
    rid = add_concern(lami, "Patrouilles de nuit demandées par les commerçants")
    receive(fati, send(lami, fati, tmp_path))
    edit(fati, rid, theme="patrouilles")
    bundle = send(fati, hub, tmp_path)

    report = receive(hub, bundle)
    assert report.new > 0 and [c.name for c in report.introduced] == ["lami"]
    assert dump(hub) == dump(fati)
    assert receive(hub, bundle).new == 0
    with hub.store.engine.begin() as conn:
        assert verify_store(conn).ok

    before = state(hub)
    damaged = tmp_path / "damaged.jsdb"
    damaged.write_bytes(bundle.read_bytes()[:-64])
    with pytest.raises(InputRefused, match="damaged"):
        receive(hub, damaged)
    assert state(hub) == before

    receive(fati, send(hub, fati, tmp_path))  # the hub's answer acknowledges
    assert sync.outbox(fati) == []
