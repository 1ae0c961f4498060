"""The audit trail (issue 7): each record's history from the signed events — who, when, which
field, old and new value — and its export as CSV or JSON, with nothing a role may not read."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from jsd_desk.domain.errors import NotFound, UsageError
from jsd_desk.services import audit, complaints
from jsd_desk.services.workspace import Workspace
from tests.replicas import copy_events, events_of, introduce

Make = Callable[..., Workspace]


def test_a_complaint_history_says_who_changed_which_field_from_what_to_what(
        make_workspace: Make, tmp_path: Path) -> None:
    fac = make_workspace("fatouma", "facilitator")
    other = make_workspace("bako", "facilitator")
    new = complaints.receive_complaint(
        fac.store, received_on="2026-07-01", channel="walk_in", category="land",
        description="=HYPERLINK(\"http://x\")", complainant={"name": "Moussa Garba"})
    complaints.update_complaint(fac.store, new.id, description="Litige foncier")
    complaints.change_status(fac.store, new.id, "under_review")
    introduce(other, fac)
    introduce(fac, other)
    copy_events(other, events_of(fac))
    complaints.update_complaint(other.store, new.id, against="Chef de village")
    copy_events(fac, events_of(other))

    assert audit.resolve_record(fac.store, new.reference) == new.id
    assert audit.resolve_record(fac.store, new.id[:8]) == new.id
    with pytest.raises(NotFound):
        audit.resolve_record(fac.store, "ffffffffffff")
    history = audit.record_history(fac.store, new.id)
    changes = [(e.device, e.entity, e.field, e.old, e.new) for e in history
               if e.field in ("description", "status", "against", "name")]
    assert changes == [
        ("fatouma", "complaint", "description", None, "=HYPERLINK(\"http://x\")"),
        ("fatouma", "complaint", "status", None, "received"),
        ("fatouma", "complainant", "name", None, "Moussa Garba"),
        ("fatouma", "complaint", "description", "=HYPERLINK(\"http://x\")", "Litige foncier"),
        ("fatouma", "complaint", "status", "received", "under_review"),
        ("bako", "complaint", "against", None, "Chef de village"),
    ]
    assert [e.at for e in history] == sorted(e.at for e in history)

    n = audit.export_audit(history, tmp_path / "audit.csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "audit.csv").read_bytes().decode("utf-8-sig"))))
    assert rows[0] == list(audit.COLUMNS) and len(rows) == n + 1
    cells = {r[7] for r in rows[1:]} | {r[8] for r in rows[1:]}
    assert "'=HYPERLINK(\"http://x\")" in cells  # a formula is quoted, never run
    assert audit.export_audit(audit.store_history(fac.store), tmp_path / "all.json") > n
    data = json.loads((tmp_path / "all.json").read_bytes())
    assert data["format"] == audit.AUDIT_FORMAT
    assert {"when_utc", "device", "old_value", "new_value"} <= set(data["entries"][0])
    with pytest.raises(UsageError):
        audit.export_audit(history, tmp_path / "audit.txt")


def test_a_liaison_history_never_shows_an_identity(make_workspace: Make, tmp_path: Path) -> None:
    fac = make_workspace("fatouma", "facilitator")
    liaison = make_workspace("lamine", "liaison")
    introduce(liaison, fac)
    new = complaints.receive_complaint(
        fac.store, received_on="2026-07-01", channel="walk_in", category="sgbv",
        description="Agression", complainant={"name": "Aïchatou Boubacar", "contact": "96 00"})
    copy_events(liaison, events_of(fac))
    history = audit.record_history(liaison.store, new.id)
    identity = [e for e in history if e.entity == "complainant"]
    assert identity and all(e.confidential and e.new is audit.SEALED for e in identity)
    audit.export_audit(audit.store_history(liaison.store), tmp_path / "all.csv")
    audit.export_audit(audit.store_history(liaison.store), tmp_path / "all.json")
    for name in ("all.csv", "all.json"):
        data = (tmp_path / name).read_bytes().decode("utf-8")
        assert "Aïchatou" not in data and "96 00" not in data
    assert "Confidential" in (tmp_path / "all.csv").read_text(encoding="utf-8-sig")
