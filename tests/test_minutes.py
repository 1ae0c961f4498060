"""Meeting minutes and complaint receipts as real PDFs: parsed with pypdf, read with poppler's
pdftotext and pdffonts, page 1 rendered with pdftoppm (a copy lands in build/artifacts/)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest

from jsd_desk.domain.errors import InputRefused, NotFound, ValidationError
from jsd_desk.services import actions, complaints, places, sessions
from jsd_desk.services.complaints import NewComplaint
from jsd_desk.services.minutes import (
    ExportCancelled,
    export_minutes,
    export_receipt,
    minutes_data,
    verify_minutes,
)
from jsd_desk.services.workspace import Workspace, init_workspace
from jsd_desk.store.writer import Store
from tests.conftest import PASSPHRASE

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "build" / "artifacts"

# Who filed a complaint must never reach any minutes, whatever the profile.
COMPLAINANT = "Zeinabou Ɗanmaïro-Kountché"
CONTACT = "+227 90 12 34 56"
COMPLAINT_TEXT = "Agression signalée par une habitante du quartier"
AGAINST = "Agents de la barrière nord"
HAUSA = "Ɓata, Ɗan Ƙasa, Ƴar Gida"
TITLE = "Rencontre communauté–police de mars : sécurité au marché"

ATTENDANCE = {("police", "m"): 4, ("police", "f"): 1, ("gendarmerie", "m"): 2,
              ("local_authority", "m"): 3, ("traditional_chief", "m"): 2,
              ("religious_leader", "m"): 2, ("women", "f"): 18, ("youth", "m"): 12,
              ("youth", "f"): 7, ("civil_society", "f"): 3, ("civil_society", "m"): 2,
              ("other", "unspecified"): 4}


@dataclass
class Meeting:
    session_id: str
    earlier_id: str
    platform_id: str
    named: NewComplaint
    anonymous: NewComplaint


def build_meeting(store: Store, *, scale: int = 1, n_actions: int = 3,
                  finalize: bool = False) -> Meeting:
    """A platform with an earlier session (three commitments, one followed up) and the March
    session: attendance, agenda, minutes with Hausa names, two concerns, a named and an
    anonymous complaint, new commitments and follow-ups."""
    niamey = places.place_id_for_code("NE-8")
    commune = places.add_place(store, name="Niamey IV", level="commune", parent_id=niamey)
    quartier = places.add_place(store, name="Gamkallé", level="quartier", parent_id=commune)
    plat = places.add_platform(store, name="Plateforme de dialogue de Gamkallé", place_id=quartier)
    problem = places.add_priority_problem(store, platform_id=plat, title="Vols de motos la nuit")
    earlier = sessions.create_session(
        store, platform_id=plat, kind="neighbourhood_dialogue", title="Réunion de février",
        starts_at=dt.datetime(2026, 2, 4, 15, 0), ends_at=dt.datetime(2026, 2, 4, 17, 0),
        facilitator="Aïssa Maïga")
    patrols = actions.add_action_item(
        store, earlier, description="Patrouilles de nuit renforcées près du marché",
        responsible_party="police", owner="Commissaire Ibrahim", due_on=dt.date(2026, 3, 1),
        priority_problem_id=problem)
    lights = actions.add_action_item(
        store, earlier, description="Réparer l'éclairage public de la rue 12",
        responsible_party="local_authority", owner="Mairie Niamey IV", due_on=dt.date(2026, 4, 1))
    actions.add_action_item(
        store, earlier, description="Campagne de sensibilisation contre la drogue",
        responsible_party="civil_society", owner="Association des jeunes",
        due_on=dt.date(2026, 5, 1))
    actions.add_follow_up(store, lights, note="Devis reçu", session_id=earlier,
                          status_after="in_progress", recorded_on=dt.date(2026, 2, 4))
    sid = sessions.create_session(
        store, platform_id=plat, kind="neighbourhood_dialogue", title=TITLE,
        starts_at=dt.datetime(2026, 3, 4, 14, 0), ends_at=dt.datetime(2026, 3, 4, 16, 30),
        venue="École primaire de Gamkallé, cour", facilitator="Aïssa Maïga",
        minutes="La séance s'est ouverte à 14 h 05 par le mot du chef de quartier.\n\n"
                "Les habitants ont évoqué les vols de motos et les rackets aux barrières.\n\n"
                f"Noms haoussa cités : {HAUSA}.")
    sessions.add_agenda_item(store, sid, "Mot d'accueil du chef de quartier")
    sessions.add_agenda_item(store, sid, "Bilan des engagements de février",
                             notes="Présenté par l'animatrice")
    for (category, gender), n in ATTENDANCE.items():
        sessions.set_attendance(store, sid, category, gender, n * scale)
    sessions.add_concern(store, sid, theme="Vols", raised_by="youth", priority_problem_id=problem,
                         description="Vols de motos la nuit près du marché de Gamkallé.")
    sessions.add_concern(store, sid, theme="Racket", raised_by="women",
                         description="Paiements exigés aux barrières sur la route de Say.")
    named = complaints.receive_complaint(
        store, received_on=dt.date(2026, 3, 4), channel="session", category="sgbv",
        description=COMPLAINT_TEXT, session_id=sid,
        complainant={"name": COMPLAINANT, "contact": CONTACT, "gender": "f"})
    anonymous = complaints.receive_complaint(
        store, received_on=dt.date(2026, 3, 4), channel="session", category="police_conduct",
        description="Racket à la barrière", session_id=sid, against=AGAINST)
    complaints.change_status(store, anonymous.id, "referred", referred_to="Commissariat central")
    parties = ("police", "community", "local_authority", "gendarmerie")
    owners = ("Commissaire Ibrahim", "Chef de quartier", "Mairie", "Brigade de Gamkallé")
    for i in range(n_actions):
        actions.add_action_item(
            store, sid, description=f"Engagement n° {i + 1} : installer un poste d'écoute au "
                                    "marché et rendre compte à la plateforme",
            responsible_party=parties[i % 4], owner=owners[i % 4],
            due_on=dt.date(2026, 4, 1) + dt.timedelta(days=i))
    actions.add_follow_up(store, patrols, note="Patrouilles faites trois nuits par semaine.",
                          session_id=sid, status_after="done", recorded_on=dt.date(2026, 3, 4))
    actions.add_follow_up(store, lights, note="Travaux prévus en avril.", session_id=sid,
                          recorded_on=dt.date(2026, 3, 4))
    if finalize:
        sessions.finalize_session(store, sid, at=dt.datetime(2026, 3, 5, 9, 0))
        sessions.add_amendment(store, sid, field="attendance", at=dt.datetime(2026, 3, 6, 10, 0),
                               text="Huit jeunes femmes étaient présentes, non sept.")
    return Meeting(sid, earlier, plat, named, anonymous)


# -- reading PDFs for real ------------------------------------------------------------------


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pypdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def pdf_bytes_everywhere(path: Path) -> bytes:
    """The file's bytes and every stream inflated: what a curious reader could dig out."""
    raw = path.read_bytes()
    parts = [raw]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", raw, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            parts.append(match.group(1))
    return b"\n".join(parts)


def assert_absent(path: Path, *secrets: str) -> None:
    """None of ``secrets`` in the text pypdf or poppler extract, nor in the bytes, raw or
    inflated, in any encoding a PDF writer might use."""
    texts = (pypdf_text(path), pdftotext(path), pdftotext(path, "-layout"))
    blob = pdf_bytes_everywhere(path)
    for secret in secrets:
        assert all(secret not in text for text in texts), secret
        for encoding in ("utf-8", "utf-16-be", "latin-1"):
            try:
                needle = secret.encode(encoding)
            except UnicodeEncodeError:
                continue
            assert needle not in blob, (secret, encoding)


def embedded_fonts(path: Path) -> list[tuple[str, str]]:
    """(name, embedded yes/no) of every font, as pdffonts reports them."""
    lines = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    out = []
    for line in lines:
        cols = line.split()
        # name type... encoding emb sub uni object ID: emb is the 5th column from the end.
        out.append((cols[0], cols[-5]))
    return out


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def words_by_page(path: Path) -> list[tuple[float, float, list[Word]]]:
    html = pdftotext(path, "-bbox")
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        words = [Word(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            page.group(3))]
        pages.append((float(page.group(1)), float(page.group(2)), words))
    return pages


def overlaps(words: list[Word], tolerance: float = 0.5) -> list[tuple[str, str]]:
    found = []
    ordered = sorted(words, key=lambda w: w.y0)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.y0 >= a.y1 - tolerance:
                break
            if min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance and \
                    min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance:
                found.append((a.text, b.text))
    return found


def render_page1(pdf: Path, out_dir: Path, name: str) -> Path:
    """Page 1 as PNG (the test artefact), also copied to build/artifacts/ for people to look at."""
    prefix = out_dir / name
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(prefix)], check=True)
    png = prefix.with_suffix(".png")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(png, ARTIFACTS / png.name)
    return png


def ink_ratio(png: Path) -> float:
    from PIL import Image

    with Image.open(png) as image:
        gray = image.convert("L")
        histogram = gray.histogram()
    return sum(histogram[:200]) / sum(histogram)


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store_with_meetings(tmp_path_factory: pytest.TempPathFactory
                        ) -> Iterator[tuple[Workspace, Meeting, Meeting]]:
    """One store for the read-only tests: the March meeting of one platform, still a draft,
    and the same meeting of another platform, finalized and amended."""
    ws, _recovery = init_workspace(tmp_path_factory.mktemp("minutes") / "store", "Niamey",
                                   "facilitator", PASSPHRASE)
    draft = build_meeting(ws.store)
    final = build_meeting(ws.store, finalize=True)
    yield ws, draft, final
    ws.close()


@pytest.fixture(scope="module")
def shared(store_with_meetings: tuple[Workspace, Meeting, Meeting]) -> tuple[Workspace, Meeting]:
    return store_with_meetings[0], store_with_meetings[1]


@pytest.fixture(scope="module")
def finalized(store_with_meetings: tuple[Workspace, Meeting, Meeting],
              tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    ws, _draft, final = store_with_meetings
    out = tmp_path_factory.mktemp("final")
    paths = {}
    for lang in ("fr", "en"):
        paths[lang] = out / f"final-{lang}.pdf"
        export_minutes(ws.store, final.session_id, lang, "platform", paths[lang])
    return paths


@pytest.fixture(scope="module")
def exported(shared: tuple[Workspace, Meeting],
             tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    ws, meeting = shared
    out = tmp_path_factory.mktemp("pdfs")
    paths = {}
    for lang in ("fr", "en"):
        for profile in ("platform", "public"):
            path = out / f"minutes-{lang}-{profile}.pdf"
            export_minutes(ws.store, meeting.session_id, lang, profile, path,
                           now=dt.datetime(2026, 3, 4, 18, 0))
            paths[(lang, profile)] = path
    return paths


# -- contents ---------------------------------------------------------------------------------

LABELS = {
    "fr": ["Compte rendu de la séance de dialogue", "Participation", "Ordre du jour",
           "Préoccupations soulevées", "Plaintes reçues", "Nouveaux engagements",
           "Suivi des engagements antérieurs", "Signatures", "Animateur", "4 mars 2026",
           "14:00–16:30", "Dialogue de quartier", "Page 1 sur 2", "PROVISOIRE"],
    "en": ["Minutes of the dialogue session", "Attendance", "Agenda", "Concerns raised",
           "Complaints received", "New action items", "Follow-up of earlier action items",
           "Signatures", "Facilitator", "4 March 2026", "14:00–16:30", "Neighbourhood dialogue",
           "Page 1 of 2", "DRAFT"],
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_minutes_carry_the_labels_of_their_language_and_the_accented_content(
        exported: dict[tuple[str, str], Path], lang: str) -> None:
    path = exported[(lang, "platform")]
    # pypdf reads the streams in order; poppler's layout reads the page as people see it
    # (the footer's page total is a form drawn beside "Page 1 of"); the streams are also read
    # with a table cell's wrapped lines joined, wherever the watermark crosses the page.
    streams = pypdf_text(path)
    text = streams + "\n" + " ".join(streams.split()) + "\n" + " ".join(
        pdftotext(path, "-layout").split())
    for label in LABELS[lang]:
        assert label in text, label
    other = "en" if lang == "fr" else "fr"
    for label in ("Attendance", "Agenda", "Concerns raised") if lang == "fr" else \
            ("Participation", "Ordre du jour", "Préoccupations soulevées"):
        assert label not in text, (other, label)
    for content in (TITLE, HAUSA, "Gamkallé", "École primaire de Gamkallé, cour", "Aïssa Maïga",
                    "Niger › Niamey › Niamey IV › Gamkallé", "Patrouilles faites trois nuits",
                    "Vols de motos la nuit près du marché", "Engagement n° 3"):
        assert content in text, content


def test_minutes_show_the_follow_up_of_earlier_commitments_with_what_changed(
        shared: tuple[Workspace, Meeting], exported: dict[tuple[str, str], Path]) -> None:
    ws, meeting = shared
    follow = {f.description: f for f in minutes_data(ws.store, meeting.session_id).follow_ups}
    assert set(follow) == {"Patrouilles de nuit renforcées près du marché",
                           "Réparer l'éclairage public de la rue 12",
                           "Campagne de sensibilisation contre la drogue"}
    patrols = follow["Patrouilles de nuit renforcées près du marché"]
    assert (patrols.status_before, patrols.status_after) == ("open", "done")
    lights = follow["Réparer l'éclairage public de la rue 12"]
    assert (lights.status_before, lights.status_after, lights.changed) == (
        "in_progress", "in_progress", False)
    text = " ".join(pdftotext(exported[("en", "platform")], "-layout").split())
    assert "Open → Done" in text
    assert "agreed on 4 February 2026" in text
    fr = " ".join(pdftotext(exported[("fr", "platform")], "-layout").split())
    assert "pris le 4 février 2026" in fr


def test_attendance_totals_equal_the_rows(finalized: dict[str, Path]) -> None:
    # Read from the finalized minutes: a draft's diagonal mark is text that poppler's layout
    # mode interleaves with the table's lines.
    for lang in ("en", "fr"):
        lines = [line for line in pdftotext(finalized[lang], "-layout").splitlines()
                 if line.strip()]
        start = next(i for i, line in enumerate(lines)
                     if re.search(r"^\s*(Category|Catégorie)\b", line))
        rows: dict[str, list[int]] = {}
        for line in lines[start + 1:]:
            match = re.match(r"^\s*(\S.*?)\s{2,}(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$", line)
            if match is None:
                break
            rows[match.group(1)] = [int(match.group(i)) for i in range(2, 6)]
        total = rows.pop("Total")
        assert len(rows) == 9  # every category, zeros included
        for name, (f, m, u, row_total) in rows.items():
            assert f + m + u == row_total, name
        assert [sum(r[i] for r in rows.values()) for i in range(4)] == total
        assert total[3] == sum(ATTENDANCE.values()) == 60
        police = rows["Police"]
        assert police == [1, 4, 0, 5]


def test_no_complainant_identity_and_no_complaint_details_under_any_profile(
        shared: tuple[Workspace, Meeting], exported: dict[tuple[str, str], Path]) -> None:
    ws, meeting = shared
    assert COMPLAINANT not in repr(minutes_data(ws.store, meeting.session_id))
    for (_lang, profile), path in exported.items():
        assert_absent(path, COMPLAINANT, CONTACT, COMPLAINT_TEXT, AGAINST, "Commissariat central",
                      meeting.named.receipt_code, meeting.anonymous.receipt_code)
        text = " ".join(pypdf_text(path).split())
        if profile == "platform":
            assert meeting.named.reference in text and meeting.anonymous.reference in text
        else:
            assert meeting.named.reference not in text
            assert meeting.anonymous.reference not in text
            assert "Vols de motos la nuit près du marché" not in text  # a concern's description
            assert "Noms haoussa" not in text  # the minutes text
            assert "Engagement n° 3" in text and "Patrouilles faites trois nuits" in text


def test_fonts_are_embedded_and_metadata_bookmarks_and_language_are_set(
        exported: dict[tuple[str, str], Path]) -> None:
    for (lang, profile), path in exported.items():
        fonts = embedded_fonts(path)
        assert fonts and all(emb == "yes" for _name, emb in fonts), fonts
        assert all("DejaVuSans" in name for name, _emb in fonts), fonts
        reader = pypdf.PdfReader(path)
        meta = reader.metadata
        assert meta is not None
        assert TITLE in str(meta.title) and meta.author == "Aïssa Maïga"
        assert "Gamkallé" in str(meta.subject)
        assert "jsd-minutes/1" in str(meta.get("/Keywords"))
        assert str(reader.root_object["/Lang"]) == {"fr": "fr-FR", "en": "en-GB"}[lang]
        outline = [str(item["/Title"]) for item in reader.outline if isinstance(item, dict)]
        expected = 6 if profile == "public" else 9  # title and sections (no amendments)
        assert len(outline) == expected, outline
        if (lang, profile) == ("en", "platform"):
            assert outline[:3] == ["Minutes of the dialogue session", "1. Attendance",
                                   "2. Agenda"]
            assert outline[-1] == "8. Signatures"
        if (lang, profile) == ("fr", "public"):
            assert outline == ["Résumé public de la séance de dialogue", "1. Participation",
                               "2. En bref", "3. Nouveaux engagements",
                               "4. Suivi des engagements antérieurs", "5. Signatures"]


def test_page_one_renders_as_png(exported: dict[tuple[str, str], Path], tmp_path: Path) -> None:
    for lang in ("fr", "en"):
        png = render_page1(exported[(lang, "platform")], tmp_path, f"minutes-page1-{lang}")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert 0.02 < ink_ratio(png) < 0.5  # text and tables, not a blank or black page


def test_draft_mark_only_on_draft_sessions(exported: dict[tuple[str, str], Path],
                                          finalized: dict[str, Path]) -> None:
    for lang, mark in (("fr", "PROVISOIRE"), ("en", "DRAFT")):
        draft = pypdf_text(exported[(lang, "platform")])
        assert draft.count(mark) >= 3  # the banner and the mark on each of the two pages
        text = pypdf_text(finalized[lang])
        assert mark not in text
        assert ("Rectificatifs" if lang == "fr" else "Amendments") in text
        assert "Huit jeunes femmes étaient présentes, non sept." in text
        assert ("Finalisée le 5 mars 2026" if lang == "fr" else "Finalized on 5 March 2026") \
            in text


def test_a_large_session_paginates_cleanly(tmp_path: Path,
                                           make_workspace: Callable[..., Workspace]) -> None:
    ws = make_workspace()
    meeting = build_meeting(ws.store, scale=5, n_actions=80, finalize=True)
    path = tmp_path / "large.pdf"
    result = export_minutes(ws.store, meeting.session_id, "en", "platform", path)
    assert result.pages > 1
    assert len(pypdf.PdfReader(path).pages) == result.pages
    layout = pdftotext(path, "-layout")
    assert "300 participants, of whom 145 women" in layout
    pages = layout.split("\f")[:result.pages]
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {result.pages}" in page, number
        assert result.fingerprint.short in page
    seen = [int(n) for n in re.findall(r"Engagement n° (\d+) :", layout)]
    assert seen == list(range(1, 81))  # every commitment once, in order, none lost at a break
    continued = [p for p in pages if re.search(r"Engagement n° \d+", p)]
    assert len(continued) > 1 and all("Responsible" in p for p in continued)  # header repeats
    for width, height, words in words_by_page(path):
        assert words
        assert not overlaps(words)
        assert all(w.x0 >= 0 and w.x1 <= width and w.y0 >= 0 and w.y1 <= height for w in words)


def test_fingerprint_is_in_footer_and_metadata_and_verify_says_what_changed(
        tmp_path: Path, make_workspace: Callable[..., Workspace]) -> None:
    ws = make_workspace()
    meeting = build_meeting(ws.store)
    path = tmp_path / "m.pdf"
    result = export_minutes(ws.store, meeting.session_id[:8], "fr", "platform", path)
    assert result.fingerprint.short in pypdf_text(path)
    meta = pypdf.PdfReader(path).metadata
    assert meta is not None and result.fingerprint.full in str(meta.get("/Keywords"))
    public = tmp_path / "public.pdf"
    export_minutes(ws.store, meeting.session_id, "en", "public", public)

    check = verify_minutes(ws.store, path)
    assert check.matches and check.changed == ()
    assert verify_minutes(ws.store, public).matches
    assert "match" in check.describe()

    sessions.set_attendance(ws.store, meeting.session_id, "police", "f", 2)
    check = verify_minutes(ws.store, path)
    assert not check.matches and check.changed == ("attendance",)
    assert "attendance" in check.describe()

    sessions.add_concern(ws.store, meeting.session_id, description="Bruit la nuit", theme="Bruit")
    check = verify_minutes(ws.store, path)
    assert check.changed == ("attendance", "concerns")

    complaints.change_status(ws.store, meeting.named.id, "under_review")
    assert verify_minutes(ws.store, path).changed == ("attendance", "concerns", "complaints")

    fresh = tmp_path / "fresh.pdf"
    again = export_minutes(ws.store, meeting.session_id, "fr", "platform", fresh)
    assert again.fingerprint.full != result.fingerprint.full
    assert verify_minutes(ws.store, fresh).matches


def test_verify_refuses_files_that_are_not_our_minutes(
        shared: tuple[Workspace, Meeting], tmp_path: Path) -> None:
    ws, meeting = shared
    receipt = tmp_path / "receipt.pdf"
    export_receipt(ws.store, meeting.anonymous.id, "en", receipt)
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.4 not really\n" + bytes(range(256)))
    for path in (receipt, garbage):
        with pytest.raises(InputRefused, match="not a minutes PDF made by JSD Desk"):
            verify_minutes(ws.store, path)
    with pytest.raises(InputRefused, match="cannot be read"):
        verify_minutes(ws.store, tmp_path / "missing.pdf")


def test_unknown_session_and_unwritable_output_leave_no_file(
        shared: tuple[Workspace, Meeting], tmp_path: Path) -> None:
    ws, meeting = shared
    with pytest.raises(NotFound, match="No session matches"):
        export_minutes(ws.store, "ffffffff", "en", "platform", tmp_path / "x.pdf")
    with pytest.raises(ValidationError):
        export_minutes(ws.store, "ab", "en", "platform", tmp_path / "x.pdf")
    with pytest.raises(InputRefused, match="cannot be written"):
        export_minutes(ws.store, meeting.session_id, "en", "platform",
                       tmp_path / "no such folder" / "x.pdf")
    folder = tmp_path / "a folder.pdf"
    folder.mkdir()
    with pytest.raises(InputRefused, match="cannot be written"):
        export_minutes(ws.store, meeting.session_id, "en", "platform", folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a folder.pdf"]
    assert list(folder.iterdir()) == []


def test_progress_is_reported_and_cancel_leaves_no_file(
        shared: tuple[Workspace, Meeting], tmp_path: Path) -> None:
    ws, meeting = shared
    calls: list[tuple[int, int]] = []
    export_minutes(ws.store, meeting.session_id, "en", "platform", tmp_path / "ok.pdf",
                   progress=lambda done, total: calls.append((done, total)))
    assert len(calls) > 5 and all(0 <= d <= t for d, t in calls)
    assert calls[-1][0] == calls[-1][1]

    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked > 5

    with pytest.raises(ExportCancelled):
        export_minutes(ws.store, meeting.session_id, "en", "platform", tmp_path / "no.pdf",
                       cancelled=cancelled)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.pdf"]


def test_receipt_slip(shared: tuple[Workspace, Meeting], tmp_path: Path) -> None:
    ws, meeting = shared
    for lang in ("fr", "en"):
        for complaint in (meeting.anonymous, meeting.named):
            path = tmp_path / f"receipt-{lang}-{complaint.reference}.pdf"
            export_receipt(ws.store, complaint.id, lang, path)
            text = pypdf_text(path)
            assert complaint.reference in text and complaint.receipt_code in text
            assert ("Récépissé de plainte" if lang == "fr" else "Complaint receipt") in text
            assert ("4 mars 2026" if lang == "fr" else "4 March 2026") in text
            assert "Plateforme de dialogue de Gamkallé" in text
            assert_absent(path, COMPLAINANT, CONTACT, COMPLAINT_TEXT, AGAINST)
            fonts = embedded_fonts(path)
            assert fonts and all(emb == "yes" for _n, emb in fonts)
            box = pypdf.PdfReader(path).pages[0].mediabox
            assert (round(float(box.width)), round(float(box.height))) == (420, 595)  # A5
        # What happened is not printed on a slip that may be found in a pocket (sgbv).
        named = pypdf_text(tmp_path / f"receipt-{lang}-{meeting.named.reference}.pdf")
        assert ("Confidentiel" if lang == "fr" else "Confidential") in named
        anonymous = pypdf_text(tmp_path / f"receipt-{lang}-{meeting.anonymous.reference}.pdf")
        assert ("Comportement des forces" if lang == "fr" else "Conduct of security forces") \
            in anonymous
    png = render_page1(tmp_path / f"receipt-fr-{meeting.anonymous.reference}.pdf", tmp_path,
                       "receipt-page1-fr")
    assert 0.01 < ink_ratio(png) < 0.5
