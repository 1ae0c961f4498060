"""A small hand-built dataset for the indicator tests, recorded through the services (events),
with the values each indicator must give, computed by hand in the comments and in EXPECTED.

Reference date: 2026-06-30. Places: Niamey (NE-8) ⊃ commune NE-8-C1 ⊃ quartier NE-8-C1-Q1;
Diffa (NE-2). Platforms: P1 at the quartier, P2 at the Diffa region, P3 with no place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from jsd_desk.services import actions, complaints, places, sessions
from jsd_desk.store.writer import Store

AS_OF = dt.date(2026, 6, 30)


@dataclass(frozen=True)
class Dataset:
    p1: str
    p2: str
    p3: str
    problem: str
    sessions: dict[str, str]
    complaints: dict[str, str]
    actions: dict[str, str]


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day + "T10:00")


def build(store: Store) -> Dataset:
    niamey = places.place_id_for_code("NE-8")
    diffa = places.place_id_for_code("NE-2")
    commune = places.add_place(store, name="Niamey I", level="commune", parent_id=niamey,
                               code="NE-8-C1")
    quartier = places.add_place(store, name="Yantala", level="quartier", parent_id=commune,
                                code="NE-8-C1-Q1")
    p1 = places.add_platform(store, name="Plateforme de Yantala", place_id=quartier)
    p2 = places.add_platform(store, name="Plateforme de Diffa", place_id=diffa)
    p3 = places.add_platform(store, name="Groupe de travail national", place_id=None)
    problem = places.add_priority_problem(store, platform_id=p1, title="Vols de motos")

    def session(platform: str, kind: str, when: str, title: str) -> str:
        return sessions.create_session(store, platform_id=platform, kind=kind, title=title,
                                       starts_at=_at(when))

    s1 = session(p1, "neighbourhood_dialogue", "2026-01-15", "Dialogue de janvier")
    s2 = session(p1, "radio_call_in", "2026-02-10", "Émission de février")
    s3 = session(p2, "workshop", "2026-04-05", "Atelier de Diffa")
    s4 = session(p2, "workshop", "2026-08-01", "Atelier prévu")  # after the reference date
    s5 = session(p3, "neighbourhood_dialogue", "2026-03-01", "Réunion sans lieu")

    # Attendance. Niamey: 3 + 4 + 5 + 6 = 18 (women 9, youth 10); Diffa: 2 + 1 = 3; none: 2.
    for sid, cat, gender, n in ((s1, "police", "m", 3), (s1, "youth", "f", 4), (s1, "women", "f", 5),
                                (s2, "youth", "m", 6), (s3, "gendarmerie", "m", 2),
                                (s3, "other", "unspecified", 1), (s5, "women", "f", 2),
                                (s4, "police", "m", 50)):
        sessions.set_attendance(store, sid, cat, gender, n)
    # A cell set twice keeps its last count (one record per cell).
    sessions.set_attendance(store, s1, "police", "m", 3)

    sessions.add_concern(store, s1, description="Vols la nuit", theme="Vol",
                         priority_problem_id=problem)
    sessions.add_concern(store, s1, description="Vols au marché", theme="vol ")
    sessions.add_concern(store, s2, description="Vente de drogue", theme="Drogue")

    def complaint(day: str, channel: str, category: str, *, session_id: str | None = None,
                  place_id: str | None = None) -> str:
        return complaints.receive_complaint(store, received_on=day, channel=channel,
                                            category=category, description="(test)",
                                            session_id=session_id, place_id=place_id).id

    c1 = complaint("2026-01-15", "session", "police_conduct", session_id=s1)
    complaints.change_status(store, c1, "under_review", at=_at("2026-01-20"))
    complaints.change_status(store, c1, "resolved", at=_at("2026-01-25"))  # 10 days
    c2 = complaint("2026-01-20", "walk_in", "theft", place_id=quartier)
    complaints.change_status(store, c2, "referred", referred_to="Commissariat", at=_at("2026-02-01"))
    complaints.change_status(store, c2, "resolved", at=_at("2026-03-01"))  # 40 days
    c3 = complaint("2026-02-10", "radio", "police_conduct", session_id=s2)  # still received
    c4 = complaint("2026-04-05", "session", "sgbv", session_id=s3)
    complaints.change_status(store, c4, "withdrawn", at=_at("2026-04-10"))  # closed in 5 days
    c5 = complaint("2026-06-15", "phone", "other")  # no place; too recent for "after 30 days"
    c6 = complaint("2026-03-01", "phone", "theft", place_id=diffa)
    complaints.change_status(store, c6, "under_review", at=_at("2026-03-02"))
    complaints.change_status(store, c6, "resolved", at=_at("2026-03-04"))  # 3 days

    a1 = actions.add_action_item(store, s1, description="Patrouilles de nuit",
                                 responsible_party="police", due_on="2026-02-01")  # overdue
    a2 = actions.add_action_item(store, s1, description="Éclairage du marché",
                                 responsible_party="community", due_on="2026-12-01")
    actions.update_action_item(store, a2, status="done")
    a3 = actions.add_action_item(store, s2, description="Contrôles routiers",
                                 responsible_party="police", due_on="2026-03-01")
    actions.update_action_item(store, a3, status="dropped")
    a4 = actions.add_action_item(store, s3, description="Permanence de la brigade",
                                 responsible_party="gendarmerie", due_on="2026-05-01")
    actions.update_action_item(store, a4, status="in_progress")  # overdue
    a5 = actions.add_action_item(store, s3, description="Réunion avec les chefs",
                                 responsible_party="police", due_on="2026-07-15")
    return Dataset(p1, p2, p3, problem,
                   {"s1": s1, "s2": s2, "s3": s3, "s4": s4, "s5": s5},
                   {"c1": c1, "c2": c2, "c3": c3, "c4": c4, "c5": c5, "c6": c6},
                   {"a1": a1, "a2": a2, "a3": a3, "a4": a4, "a5": a5})


T, U = "_T", "_U"

# By region, whole time (Breakdown("region", "all")): {(indicator, place, category, option): value}
BY_REGION: dict[tuple[str, str, str, str], int | float] = {
    # sessions: Niamey s1 s2; Diffa s3 (s4 is after the reference date); no place: s5
    ("sessions_held", "NE-8", "neighbourhood_dialogue", ""): 1,
    ("sessions_held", "NE-8", "radio_call_in", ""): 1,
    ("sessions_held", "NE-8", T, ""): 2,
    ("sessions_held", "NE-2", "workshop", ""): 1,
    ("sessions_held", "NE-2", T, ""): 1,
    ("sessions_held", U, "neighbourhood_dialogue", ""): 1,
    ("sessions_held", U, T, ""): 1,
    ("participants", "NE-8", "police", "m"): 3,
    ("participants", "NE-8", "youth", "f"): 4,
    ("participants", "NE-8", "youth", "m"): 6,
    ("participants", "NE-8", "youth", T): 10,
    ("participants", "NE-8", "women", "f"): 5,
    ("participants", "NE-8", T, "f"): 9,
    ("participants", "NE-8", T, "m"): 9,
    ("participants", "NE-8", T, T): 18,
    ("participants_share_women", "NE-8", T, ""): 0.5,
    ("participants_share_youth", "NE-8", T, ""): 0.5556,  # 10/18
    ("participants", "NE-2", T, T): 3,
    ("participants", "NE-2", "other", "unspecified"): 1,
    ("participants_share_women", "NE-2", T, ""): 0.0,
    ("participants", U, T, T): 2,
    ("participants_share_women", U, T, ""): 1.0,
    ("concerns_by_theme", "NE-8", "vol", ""): 2,  # "Vol" and "vol " are one theme
    ("concerns_by_theme", "NE-8", "drogue", ""): 1,
    ("concerns_by_theme", "NE-8", T, ""): 3,
    ("concerns_by_priority_problem", "NE-8", U, ""): 2,
    # complaints: Niamey c1 c2 c3; Diffa c4 c6; no place c5
    ("complaints_by_category", "NE-8", "police_conduct", ""): 2,
    ("complaints_by_category", "NE-8", "theft", ""): 1,
    ("complaints_by_category", "NE-8", T, ""): 3,
    ("complaints_by_channel", "NE-8", "radio", ""): 1,
    ("complaints_by_channel", "NE-8", "walk_in", ""): 1,
    ("complaints_by_status", "NE-8", "resolved", ""): 2,
    ("complaints_by_status", "NE-8", "received", ""): 1,
    ("complaints_resolved", "NE-8", T, ""): 2,
    ("complaints_days_to_resolve_median", "NE-8", T, ""): 25.0,  # (10 + 40) / 2
    ("complaints_days_to_resolve_p90", "NE-8", T, ""): 37.0,  # 10 + 0.9 × 30
    ("complaints_days_to_resolve_median", "NE-8", "theft", ""): 40.0,
    ("complaints_share_police_conduct", "NE-8", T, ""): 0.6667,
    ("complaints_share_open_30", "NE-8", T, ""): 0.6667,  # c2 (40 days) and c3 of c1 c2 c3
    ("complaints_share_open_90", "NE-8", T, ""): 0.3333,  # c3
    ("complaints_by_status", "NE-2", "withdrawn", ""): 1,
    ("complaints_resolved", "NE-2", "sgbv", ""): 0,
    ("complaints_resolved", "NE-2", T, ""): 1,
    ("complaints_days_to_resolve_median", "NE-2", T, ""): 3.0,
    ("complaints_share_police_conduct", "NE-2", T, ""): 0.0,
    ("complaints_share_open_30", "NE-2", T, ""): 0.0,
    ("complaints_share_open_90", "NE-2", T, ""): 0.0,  # only c6 is 90 days old
    ("complaints_by_category", U, "other", ""): 1,
    ("complaints_resolved", U, T, ""): 0,
    ("actions_made", "NE-8", "police", ""): 2,
    ("actions_made", "NE-8", "community", ""): 1,
    ("actions_made", "NE-8", T, ""): 3,
    ("actions_done", "NE-8", "community", ""): 1,
    ("actions_done", "NE-8", "police", ""): 0,
    ("actions_done", "NE-8", T, ""): 1,
    ("actions_overdue", "NE-8", "police", ""): 1,
    ("actions_overdue", "NE-8", T, ""): 1,
    ("actions_completion_rate", "NE-8", "community", ""): 1.0,
    ("actions_completion_rate", "NE-8", "police", ""): 0.0,
    ("actions_completion_rate", "NE-8", T, ""): 0.3333,
    ("actions_made", "NE-2", T, ""): 2,
    ("actions_overdue", "NE-2", "gendarmerie", ""): 1,
    ("actions_overdue", "NE-2", "police", ""): 0,
    ("actions_completion_rate", "NE-2", T, ""): 0.0,
}

# Whole country, whole time (Breakdown(None, "all")): {(indicator, category, option): value}
NATIONAL: dict[tuple[str, str, str], int | float] = {
    ("sessions_held", T, ""): 4,
    ("participants", T, T): 23,
    ("participants", "women", "f"): 7,
    ("participants_share_women", T, ""): 0.4783,  # 11/23
    ("participants_share_youth", T, ""): 0.4348,  # 10/23
    ("complaints_by_category", T, ""): 6,
    ("complaints_by_category", "police_conduct", ""): 2,
    ("complaints_share_police_conduct", T, ""): 0.3333,
    ("complaints_resolved", T, ""): 3,
    ("complaints_days_to_resolve_median", T, ""): 10.0,  # 3 10 40
    ("complaints_days_to_resolve_p90", T, ""): 34.0,  # 10 + 0.8 × 30
    ("complaints_share_open_30", T, ""): 0.4,  # c2 c3 of c1 c2 c3 c4 c6
    ("complaints_share_open_90", T, ""): 0.25,  # c3 of c1 c2 c3 c6
    ("actions_made", T, ""): 5,
    ("actions_made", "police", ""): 3,
    ("actions_done", T, ""): 1,
    ("actions_overdue", T, ""): 2,
    ("actions_completion_rate", T, ""): 0.2,
    ("actions_completion_rate", "police", ""): 0.0,
}
