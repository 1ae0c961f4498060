"""Need to know on a police liaison device (issue 12): a complaint's description, *against
whom* and outcome are sealed like the identity and opened for the liaison device only once the
complaint is referred to it; what it may not read is in none of its outputs, nor anywhere in
its data folder or database; an import refuses what a liaison device's role may not write."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from jsd_desk.domain.errors import InputRefused
from jsd_desk.services import audit, complaints, places, sessions
from jsd_desk.services.complaint_detail import complaint_detail
from jsd_desk.services.complaint_queries import ComplaintFilter, counts_by_status
from jsd_desk.services.complaint_standing import needing_attention
from jsd_desk.services.minutes import export_minutes
from jsd_desk.services.workspace import Workspace, open_workspace
from jsd_desk.store import models
from tests.conftest import PASSPHRASE
from tests.sync_support import MakeWorkspace, dump, introduce, receive, send, state

JSD = Path(sys.executable).with_name("jsd-desk")
HIDDEN = "violences conjugales répétées ; la plaignante a été blessée au bras"
HIDDEN_AGAINST = "Son époux Moussa"
WITHDRAWN = "Menaces d'un voisin, retirée par la plaignante"
REFERRED = "Racket au poste de contrôle de Gamkalé"
REFERRED_AGAINST = "Agent de faction au poste"


def _setup(make: MakeWorkspace) -> tuple[Workspace, Workspace, dict[str, str]]:
    fac, liaison = make("fatouma", "facilitator"), make("lamine", "liaison")
    introduce(fac, liaison)
    platform = places.add_platform(fac.store, name="Plateforme de Niamey II", place_id=None)
    session = sessions.create_session(fac.store, platform_id=platform,
                                      kind="neighbourhood_dialogue", title="Dialogue de Gamkalé",
                                      starts_at=dt.datetime(2026, 6, 3, 9))

    def receive_(description: str, category: str, against: str | None = None) -> str:
        return complaints.receive_complaint(
            fac.store, received_on="2026-06-03", channel="session", session_id=session,
            category=category, description=description, against=against,
            complainant={"name": "Hadiza", "contact": "+227 90 00 11 22"}).id

    ids = {"session": session, "hidden": receive_(HIDDEN, "sgbv", HIDDEN_AGAINST),
           "withdrawn": receive_(WITHDRAWN, "other"),
           "referred": receive_(REFERRED, "police_conduct", REFERRED_AGAINST)}
    complaints.change_status(fac.store, ids["withdrawn"], "withdrawn")
    complaints.update_complaint(fac.store, ids["hidden"], outcome="Orientée vers le centre")
    return fac, liaison, ids


def _everything_in_the_database(ws: Workspace) -> str:
    """Every value of every table of the (decrypted) database: events, merge state, search."""
    parts: list[str] = []
    with ws.store.engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars()
        for name in list(names):
            for row in conn.execute(text(f'SELECT * FROM "{name}"')):
                parts.extend(str(v) for v in row)
    return "\n".join(parts)


def _outputs(ws: Workspace, session: str, folder: Path) -> str:
    """What a person can get out of the device: dump, audit export, minutes, the detail view."""
    folder.mkdir(exist_ok=True)
    audit.export_audit(audit.store_history(ws.store), folder / "audit.csv")
    out = [dump(ws), (folder / "audit.csv").read_text(encoding="utf-8")]
    for lang in ("fr", "en"):
        export_minutes(ws.store, session, lang, "platform", folder / f"minutes-{lang}.pdf")
        out.append(subprocess.run(["pdftotext", str(folder / f"minutes-{lang}.pdf"), "-"],
                                  capture_output=True, text=True, check=True).stdout)
    with ws.store.reading() as s:
        ids = list(s.scalars(select(models.Complaint.id)))
    for cid in ids:
        d = complaint_detail(ws.store, cid)
        out.append(" ".join((d.description, d.against, d.outcome, d.response)))
    return "\n".join(out)


def _raw_files(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_a_liaison_device_reads_only_what_is_referred_to_it(make_workspace: MakeWorkspace,
                                                           tmp_path: Path) -> None:
    fac, liaison, ids = _setup(make_workspace)
    receive(liaison, send(fac, liaison, tmp_path))
    secrets = (HIDDEN, HIDDEN_AGAINST, WITHDRAWN, REFERRED, REFERRED_AGAINST,
               "Orientée vers le centre", "Hadiza", "90 00 11 22")

    def leaks(ws: Workspace, where: Path) -> list[str]:
        seen = _outputs(ws, ids["session"], where) + _everything_in_the_database(ws)
        raw = _raw_files(ws.data_dir.root)
        return [s for s in secrets if s in seen or s.encode() in raw
                or s.encode("utf-16-le") in raw]

    assert leaks(liaison, tmp_path / "before") == []
    # Aggregates need nothing sealed: every complaint is counted, by status and category.
    counts = counts_by_status(liaison.store, ComplaintFilter())
    assert (counts["received"], counts["withdrawn"]) == (2, 1)
    assert [s.id for s in needing_attention(liaison.store, liaison_only=True)] == []

    # The referral names the liaison device (the only one this facilitator trusts) and hands
    # it the description, against whom and later the outcome — never the identity.
    complaints.change_status(fac.store, ids["referred"], "referred", referred_to="Commissariat")
    complaints.update_complaint(fac.store, ids["referred"], outcome="Agent muté")
    receive(liaison, send(fac, liaison, tmp_path))
    d = complaint_detail(liaison.store, ids["referred"])
    assert (d.description, d.against, d.outcome) == (REFERRED, REFERRED_AGAINST, "Agent muté")
    assert d.identity is None
    assert REFERRED in dump(liaison)
    assert leaks(liaison, tmp_path / "after") == [REFERRED, REFERRED_AGAINST]
    owed = needing_attention(liaison.store, liaison_only=True, today=dt.date(2026, 6, 5))
    assert [s.id for s in owed] == [ids["referred"]]
    assert owed[0].due_on == dt.date(2026, 7, 18)  # police conduct: resolved within 45 days
    # Its answer travels back and the facilitator reads it.
    complaints.update_complaint(liaison.store, ids["referred"], response="Enquête ouverte")
    complaints.change_status(liaison.store, ids["referred"], "resolved")
    receive(fac, send(liaison, fac, tmp_path))
    assert complaint_detail(fac.store, ids["referred"]).status == "resolved"
    # The facilitator still reads everything.
    assert complaint_detail(fac.store, ids["hidden"]).description == HIDDEN


def _cli_import(ws: Workspace, bundle: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JSD_DESK_PASSPHRASE": PASSPHRASE}
    return subprocess.run([str(JSD), "bundle", "import", str(bundle), "--data-dir",
                           str(ws.data_dir.root)], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=300)


@pytest.mark.parametrize(("target", "fields", "words"), [
    ("hidden", {"outcome": "Classée"}, "not referred to it"),
    ("referred", {"description": "Autre chose"}, "may not change"),
    ("referred", {"category": "theft"}, "may not change"),
])
def test_an_import_refuses_what_a_liaison_device_may_not_write(
        make_workspace: MakeWorkspace, tmp_path: Path, target: str, fields: dict[str, str],
        words: str) -> None:
    fac, liaison, ids = _setup(make_workspace)
    complaints.change_status(fac.store, ids["referred"], "referred", referred_to="Commissariat")
    receive(liaison, send(fac, liaison, tmp_path))
    complaints.update_complaint(liaison.store, ids["referred"], response="Reçue")  # allowed
    # A tampered liaison device writes past its services (straight through the write path).
    with liaison.store.transaction() as tx:
        tx.put("complaint", ids[target], fields)
    bundle = send(liaison, fac, tmp_path)
    before = state(fac)
    fac.close()
    result = _cli_import(fac, bundle)
    assert result.returncode == 3, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "lamine" in lines[0] and words in lines[0]
    again = open_workspace(fac.data_dir.root, PASSPHRASE)
    try:
        assert state(again) == before  # store unchanged
    finally:
        again.close()


def test_a_refused_liaison_bundle_changes_nothing(make_workspace: MakeWorkspace,
                                                  tmp_path: Path) -> None:
    fac, liaison, ids = _setup(make_workspace)
    receive(liaison, send(fac, liaison, tmp_path))
    with liaison.store.transaction() as tx:
        tx.put("complaint", ids["hidden"], {"status": "resolved"})
    before = state(fac)
    with pytest.raises(InputRefused) as err:
        receive(fac, send(liaison, fac, tmp_path))
    assert "not referred to it" in err.value.message()
    assert state(fac) == before


def test_an_identity_from_a_liaison_device_is_refused(make_workspace: MakeWorkspace,
                                                      tmp_path: Path) -> None:
    fac, liaison, ids = _setup(make_workspace)
    complaints.change_status(fac.store, ids["referred"], "referred", referred_to="Commissariat")
    receive(liaison, send(fac, liaison, tmp_path))
    before = state(fac)
    with liaison.store.transaction() as tx:
        tx.put("complainant", ids["referred"], {"complaint_id": ids["referred"], "name": "X"})
    with pytest.raises(InputRefused) as err:
        receive(fac, send(liaison, fac, tmp_path))
    assert "identity" in err.value.message()
    assert state(fac) == before


def test_a_liaison_device_relays_what_it_cannot_read(make_workspace: MakeWorkspace,
                                                     tmp_path: Path) -> None:
    fac, liaison = make_workspace("fatouma", "facilitator"), make_workspace("lamine", "liaison")
    ministry = make_workspace("ministere", "analyst")
    introduce(fac, liaison, ministry)  # the facilitator seals to the ministry too
    cid = complaints.receive_complaint(fac.store, received_on="2026-06-03", channel="walk_in",
                                       category="sgbv", description=HIDDEN,
                                       complainant={"name": "Hadiza"}).id
    receive(liaison, send(fac, liaison, tmp_path))
    assert complaint_detail(liaison.store, cid).description == ""
    # The liaison officer carries the bundle on to the ministry, which reads it all.
    receive(ministry, send(liaison, ministry, tmp_path))
    d = complaint_detail(ministry.store, cid)
    assert d.description == HIDDEN and d.identity is not None and d.identity.name == "Hadiza"
