"""Minutes of a large session as PDF: time per page, against plain reportlab in the same run.

Issue 5 asks for the time to produce the minutes of a large session, per page. One store holds
a session with 300 attendees, 80 new action items, 30 concerns, 20 complaints, 20 earlier items
followed up and a long minutes text. Measured, best of three:

* ``gather``: reading the snapshot from the encrypted store (``minutes_data``);
* ``render``: laying out the PDF in memory (``render_minutes``), per page;
* ``export``: the whole use case, fingerprint and atomic write included, per page;
* ``baseline``: a reportlab document of plain paragraphs in the same embedded font, with the
  same number of pages, per page: what the machine and reportlab cost before our tables.

    python -m benchmarks minutes
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PASSPHRASE = "benchmark passphrase"
REPEAT = 3


def _best(fn: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(REPEAT):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def _large_session(store: Any) -> str:
    from jsd_desk.domain import vocab
    from jsd_desk.services import actions, complaints, places, sessions

    plat = places.add_platform(store, name="Plateforme de dialogue de Tillabéri",
                               place_id=places.place_id_for_code("NE-6"))
    with store.transaction():
        earlier = sessions.create_session(
            store, platform_id=plat, kind="neighbourhood_dialogue", title="Séance de janvier",
            starts_at=dt.datetime(2026, 1, 8, 9, 0), facilitator="Moussa Hamani")
        old = [actions.add_action_item(store, earlier, description=f"Engagement ancien {i}",
                                       responsible_party="police", owner="Brigade",
                                       due_on=dt.date(2026, 2, 1)) for i in range(20)]
        minutes = "\n\n".join(
            f"Point {i} : les participants ont échangé sur la sécurité du marché, les "
            "patrouilles de nuit, les barrières et la confiance entre la population et les "
            "forces de défense et de sécurité. Ɓata, Ɗan Ƙasa et Ƴar Gida ont pris la parole."
            for i in range(25))
        sid = sessions.create_session(
            store, platform_id=plat, kind="neighbourhood_dialogue",
            title="Grande rencontre communauté–forces de sécurité de février",
            starts_at=dt.datetime(2026, 2, 12, 9, 0), ends_at=dt.datetime(2026, 2, 12, 13, 0),
            venue="Maison des jeunes", facilitator="Moussa Hamani", minutes=minutes)
        for i in range(8):
            sessions.add_agenda_item(store, sid, f"Point {i + 1} de l'ordre du jour")
        cells = [(c, g) for c in vocab.PARTICIPANT_CATEGORY.codes() for g in ("f", "m")]
        for n, (category, gender) in enumerate(cells):
            sessions.set_attendance(store, sid, category, gender, 300 // len(cells)
                                    + (300 % len(cells) if n == 0 else 0))
        for i in range(30):
            sessions.add_concern(store, sid, theme=f"Thème {i % 6}", raised_by="youth",
                                 description=f"Préoccupation {i} : vols, rackets et tensions "
                                             "aux barrières, signalés par plusieurs habitants.")
        for i in range(20):
            complaints.receive_complaint(store, received_on=dt.date(2026, 2, 12),
                                         channel="session", category="theft",
                                         description=f"Plainte {i}", session_id=sid)
        for i in range(80):
            actions.add_action_item(
                store, sid, description=f"Engagement {i + 1} : patrouille conjointe et compte "
                                        "rendu à la plateforme à la prochaine séance",
                responsible_party="gendarmerie", owner="Brigade territoriale",
                due_on=dt.date(2026, 3, 1) + dt.timedelta(days=i % 30))
        for i, item in enumerate(old):
            actions.add_follow_up(store, item, note=f"Suivi {i} : réalisé en partie.",
                                  session_id=sid, status_after="in_progress",
                                  recorded_on=dt.date(2026, 2, 12))
        sessions.finalize_session(store, sid, at=dt.datetime(2026, 2, 13, 8, 0))
    return sid


def _baseline(pages: int) -> tuple[float, int]:
    """Plain paragraphs in the same embedded font, as many pages as the minutes."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from jsd_desk.reports import fonts

    family = fonts.register_fonts()
    style = ParagraphStyle("plain", fontName=family, fontSize=9.5, leading=13)
    text = ("Les participants ont échangé sur la sécurité du marché et la confiance entre la "
            "population et les forces de défense et de sécurité. ") * 3

    def build(n: int) -> int:
        doc = SimpleDocTemplate(io.BytesIO(), pagesize=A4, initialFontName=family)
        doc.build([Paragraph(text, style) for _ in range(n)])
        return int(doc.page)

    per_page = max(1, 20 * 1 // max(build(20), 1))
    n = per_page * pages
    while build(n) < pages:
        n += per_page
    while n > 1 and build(n - 1) >= pages:
        n -= 1
    seconds, got = _best(lambda: build(n))
    return seconds, got


def run() -> dict[str, float | int]:
    from jsd_desk.reports.minutes import render_minutes
    from jsd_desk.services.minutes import (
        export_minutes,
        fingerprint,
        metadata_keywords,
        minutes_data,
    )
    from jsd_desk.services.workspace import init_workspace

    with tempfile.TemporaryDirectory(prefix="jsd-bench-minutes-") as tmp:
        ws, _recovery = init_workspace(Path(tmp) / "store", "Bench", "facilitator", PASSPHRASE)
        try:
            sid = _large_session(ws.store)
            gather_s, data = _best(lambda: minutes_data(ws.store, sid))
            fp = fingerprint(data)
            now = dt.datetime(2026, 2, 13, 9, 0)
            render_s, pdf = _best(lambda: render_minutes(
                data, lang="fr", profile="platform", fingerprint=fp.short,
                keywords=metadata_keywords(fp, "fr", "platform"), generated_at=now))
            out = Path(tmp) / "minutes.pdf"
            export_s, result = _best(lambda: export_minutes(ws.store, sid, "fr", "platform", out,
                                                            now=now))
        finally:
            ws.close()
    pages = int(pdf.pages)
    base_s, base_pages = _baseline(pages)
    results: dict[str, float | int] = {
        "pages": pages,
        "gather_ms": gather_s * 1000,
        "render_ms_per_page": render_s * 1000 / pages,
        "export_ms_per_page": export_s * 1000 / result.pages,
        "baseline_pages": base_pages,
        "baseline_ms_per_page": base_s * 1000 / base_pages,
        "render_vs_baseline": (render_s / pages) / (base_s / base_pages),
        "pdf_kib": len(pdf.data) / 1024,
    }
    return results


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key:28} {value:>10.2f}" if isinstance(value, float) else f"{key:28} {value:>10}")
