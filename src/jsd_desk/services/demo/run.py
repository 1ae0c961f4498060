"""One period of activity on a facilitator's (or analyst's) device: places, platforms, sessions
with attendance, concerns, complaints and action items, and the follow-up of earlier records.

One class of about 500 lines on purpose: its steps draw from one random stream in a fixed order,
which is what makes a seed reproduce the same content; splitting them apart would hide that order.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from jsd_desk.services import actions, complaints, places, sessions
from jsd_desk.services.demo.corpus import (
    AGENDA_CLOSE,
    AGENDA_MIDDLE,
    AGENDA_OPEN,
    AMENDMENTS,
    ATTENDANCE,
    CRISIS_ADJUST,
    DEMO_PLACES,
    DROPPED,
    EN_MONTHS,
    FAMILY,
    FEMALE,
    FR_MONTHS,
    GENDARME_RANKS,
    KINDS,
    MALE,
    NATIONAL_WORKSHOPS,
    OUTCOMES,
    PLACE_CODE,
    PLATFORMS,
    POLICE_RANKS,
    PROFILE_THEMES,
    RADIO_AGENDA,
    REFERRALS,
    RURAL_REFERRAL,
    SCHEDULE,
    STALLED,
    STATUS_NOTES,
    THEMES,
    TITLES,
    Act,
    PlatformSpec,
    T,
    Theme,
    pick_weighted,
)
from jsd_desk.services.demo.options import DemoSummary, Progress
from jsd_desk.services.demo.state import Case, Item, Platform, Slot
from jsd_desk.services.demo.texts import date_text, lower_first, platform_description, write_minutes
from jsd_desk.services.security import created_here
from jsd_desk.store import models
from jsd_desk.store.writer import Store

# Graver categories come in as urgent (no random draw: a seed keeps giving the same data).
DEMO_SEVERITY = {"sgbv": "urgent", "extremism": "urgent"}

MIN_PERIOD_DAYS = 30
DRAFT_DAYS = 10  # sessions of the period's last days are still drafts
MAX_FOLLOW_UPS = 5  # carried-over items discussed per session


class Run:
    """One period of activity on a facilitator's (or analyst's) device."""

    def __init__(self, store: Store, rng: random.Random, summary: DemoSummary, count: int,
                 today: dt.date | None, progress: Progress | None) -> None:
        self.store = store
        self.rng = rng
        self.summary = summary
        self.count = count
        self.today = today or dt.date.today()
        self.progress = progress
        self.platforms: list[Platform] = []
        self.queue: list[tuple[dt.datetime, int, Callable[[dt.datetime], None]]] = []
        self.order = itertools.count()
        self.changed: set[str] = set()
        self.start = self.end = self.today

    # -- the whole run -------------------------------------------------------------------------

    def run(self) -> None:
        latest = self._latest_activity()
        with self.store.transaction():
            self._ensure_places()
            used = PLATFORMS[:min(len(PLATFORMS), max(6, round(self.count / 5)))]
            self.platforms = [self._platform(spec) for spec in used]
        rate = sum(1 / p.spec.cadence for p in self.platforms)
        days = max(MIN_PERIOD_DAYS, round(self.count / rate))
        if latest is None:
            end = self.today
            start = end - dt.timedelta(days=days - 1)
        else:
            start = latest + dt.timedelta(days=1)
            end = start + dt.timedelta(days=days - 1)
        self.start, self.end = start, end
        self.summary.first_day, self.summary.last_day = start, end
        slots = self._plan(start, end)
        total = len(slots) + 1
        with self.store.transaction():
            self._carry_over_existing(start)
        for done, slot in enumerate(slots, start=1):
            with self.store.transaction():
                self._flush(slot.when)
                self._session(slot, is_last=done == len(slots))
            if self.progress:
                self.progress(done, total)
        with self.store.transaction():
            self._flush(dt.datetime.combine(end, dt.time(23, 59)))
        if self.progress:
            self.progress(total, total)
        self.summary.changed = len(self.changed)

    def _latest_activity(self) -> dt.date | None:
        """The day of the latest session, or of later activity (a status change, a follow-up)
        if any: the next period starts after it, so every record's history stays in order."""
        m = models
        with self.store.reading() as s:
            latest = s.scalar(select(func.max(m.DialogueSession.starts_at)).where(
                m.DialogueSession.deleted.is_(False)))
            if latest is None:
                return None
            days = [latest.date()]
            for column in (m.ComplaintStatusChange.changed_at, m.Amendment.recorded_at):
                value = s.scalar(select(func.max(column)))
                if value is not None:
                    days.append(value.date())
            for day_column in (m.Complaint.received_on, m.FollowUp.recorded_on):
                day = s.scalar(select(func.max(day_column)))
                if day is not None:
                    days.append(day)
        return max(days)

    def _ensure_places(self) -> None:
        with self.store.transaction() as tx:
            for code, level, name, parent in DEMO_PLACES:
                places.ensure_place(tx, code, level, name, parent)

    def _platform(self, spec: PlatformSpec) -> Platform:
        place_id = places.place_id_for_code(PLACE_CODE[spec.place])
        with self.store.reading() as s:
            pid = s.scalar(select(models.Platform.id).where(
                models.Platform.name == spec.name, models.Platform.deleted.is_(False))
                .order_by(models.Platform.id).limit(1))
            problems: dict[str, str] = {}
            if pid is not None:
                titles = {t: key for key in spec.problems for t in THEMES[key].label}
                for ppid, title in s.execute(select(models.PriorityProblem.id,
                                                    models.PriorityProblem.title).where(
                        models.PriorityProblem.platform_id == pid,
                        models.PriorityProblem.deleted.is_(False))
                        .order_by(models.PriorityProblem.id)):
                    if title in titles:
                        problems.setdefault(titles[title], ppid)
            episodes = 0 if pid is None else len(list(s.scalars(select(models.DialogueSession.id).where(
                models.DialogueSession.platform_id == pid,
                models.DialogueSession.kind == "radio_call_in"))))
        place_name = spec.place
        if pid is None:
            pid = places.add_platform(self.store, name=spec.name, place_id=place_id,
                                      description=platform_description(spec))
        for key in spec.problems:
            if key not in problems:
                theme = THEMES[key]
                problems[key] = places.add_priority_problem(
                    self.store, platform_id=pid, title=theme.label[0],
                    description=theme.descriptions[0][0].format(place=place_name))
        # The same people facilitate a platform from one run to the next (seeded by its name).
        local = random.Random(spec.name)
        facilitators = tuple(f"{local.choice(FEMALE if i % 2 else MALE)} {local.choice(FAMILY)}"
                             for i in range(local.choice((1, 2, 2))))
        return Platform(spec, pid, place_id, problems, facilitators, episodes=episodes)

    # -- planning ------------------------------------------------------------------------------

    def _plan(self, start: dt.date, end: dt.date) -> list[Slot]:
        rng = self.rng
        days = (end - start).days + 1
        rates = [1 / p.spec.cadence for p in self.platforms]
        total_rate = sum(rates)
        shares = [self.count * r / total_rate for r in rates]
        counts = [int(s) for s in shares]
        # Largest remainders get the sessions left over (ties by platform order).
        for i in sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))[
                :self.count - sum(counts)]:
            counts[i] += 1
        slots: list[Slot] = []
        for p, n in zip(self.platforms, counts, strict=True):
            for i in range(n):
                kind = pick_weighted(rng, KINDS[p.spec.profile])
                offset = (i + 0.5 + rng.uniform(-0.35, 0.35)) * days / n
                day = start + dt.timedelta(days=min(days - 1, max(0, int(offset))))
                weekdays, (hour, minute), _minutes = SCHEDULE[kind]
                shifted = day
                while shifted.weekday() not in weekdays:
                    shifted += dt.timedelta(days=1)
                if shifted > end:
                    shifted -= dt.timedelta(days=7)
                if shifted < start:
                    shifted = day
                english = 0.5 if kind == "workshop" and p.spec.profile == "national" else p.spec.english
                language = "en" if rng.random() < english else "fr"
                when = dt.datetime.combine(shifted, dt.time(hour, minute))
                slots.append(Slot(when, p, kind, language))
        slots.sort(key=lambda s: (s.when, self.platforms.index(s.platform)))
        # A demo shows both working languages: at least one session in ten is held in English,
        # preferably with the partners of the national working group and the crisis regions.
        french = [s for s in slots if s.language == "fr" and s.kind != "radio_call_in"]
        rng.shuffle(french)
        french.sort(key=lambda s: -s.platform.spec.english)
        missing = (len(slots) + 9) // 10 - sum(1 for s in slots if s.language == "en")
        for slot in french[:max(0, missing)]:
            slot.language = "en"
        # Complaints that arrive between sessions: walk-ins and phone calls at the platform's place.
        previous: dict[str, dt.datetime] = {}
        for slot in slots:
            p = slot.platform
            since = previous.get(p.id, dt.datetime.combine(start, dt.time(8)))
            previous[p.id] = slot.when
            if p.spec.profile in ("radio", "national"):
                continue
            for _n in range(rng.choices((0, 1, 2), weights=(45, 40, 15))[0]):
                span = max(1, int((slot.when - since).total_seconds() // 60))
                at = since + dt.timedelta(minutes=rng.randrange(span))
                at = at.replace(hour=rng.randint(8, 17), minute=rng.choice((0, 15, 30, 45)))
                if at < slot.when:
                    self._schedule(at, self._intake_callback(p))
        return slots

    def _schedule(self, when: dt.datetime, action: Callable[[dt.datetime], None]) -> None:
        heapq.heappush(self.queue, (when, next(self.order), action))

    def _flush(self, until: dt.datetime) -> None:
        while self.queue and self.queue[0][0] < until:
            when, _n, action = heapq.heappop(self.queue)
            action(when)

    # -- what already exists ------------------------------------------------------------------

    def _carry_over_existing(self, start: dt.date) -> None:
        """Finalize old drafts, plan the next step of open complaints, carry open items over."""
        rng = self.rng
        by_id = {p.id: p for p in self.platforms}
        with self.store.reading() as s:
            drafts = list(s.execute(select(models.DialogueSession.id, models.DialogueSession.starts_at)
                                    .where(models.DialogueSession.status == "draft",
                                           models.DialogueSession.deleted.is_(False))
                                    .order_by(models.DialogueSession.starts_at,
                                              models.DialogueSession.title)))
            open_cases = list(s.execute(
                select(models.Complaint.id, models.Complaint.status, models.Complaint.category,
                       models.Complaint.language, models.Place.name, models.Place.level)
                .outerjoin(models.Place, models.Place.id == models.Complaint.place_id)
                .where(models.Complaint.status.in_(("received", "under_review", "referred")),
                       models.Complaint.deleted.is_(False))
                .order_by(models.Complaint.received_on, models.Complaint.reference)))
            open_items = list(s.execute(
                select(models.ActionItem.id, models.ActionItem.status, models.ActionItem.platform_id,
                       models.ActionItem.description, models.DialogueSession.starts_at)
                .outerjoin(models.DialogueSession,
                           models.DialogueSession.id == models.ActionItem.session_id)
                .where(models.ActionItem.status.in_(actions.OPEN_STATUSES),
                       models.ActionItem.deleted.is_(False))
                .order_by(models.DialogueSession.starts_at, models.ActionItem.description)))
        # A ministry device changes only what it created itself (services/security.py).
        drafts = [d for d in drafts if self._may_change("session", d[0])]
        open_cases = [c for c in open_cases if self._may_change("complaint", c[0])]
        open_items = [i for i in open_items if self._may_change("action_item", i[0])]
        for session_id, starts_at in drafts:
            when = dt.datetime.combine(start, dt.time(9))
            if starts_at is not None:
                when = max(when, starts_at + dt.timedelta(days=2))
            sessions.finalize_session(self.store, session_id, at=when)
            self.changed.add(session_id)
        for cid, status, category, language, place, level in open_cases:
            case = Case(cid, status or "received", category or "other", language or "fr", place or "Niamey",
                         level in ("commune", "department"), existing=True)
            at = dt.datetime.combine(start + dt.timedelta(days=rng.randint(0, 13)),
                                     dt.time(rng.randint(8, 17), 0))
            self._schedule(at, self._step_callback(case))
        acts = {text: act for theme in THEMES.values() for act in theme.acts for text in act.text}
        for aid, status, platform_id, description, starts_at in open_items:
            platform = by_id.get(platform_id or "")
            if platform is None or status is None:
                continue
            known = next((a for text, a in acts.items()
                          if description and description.startswith(text.split("{")[0])), None)
            since = starts_at.date() if starts_at else start
            platform.open_items.append(Item(aid, status, known, description or "", since,
                                             existing=True))

    def _may_change(self, entity: str, record_id: str) -> bool:
        if self.store.keys.info.role != "analyst":
            return True
        with self.store.transaction() as tx:
            return created_here(tx, entity, record_id)

    # -- complaints ----------------------------------------------------------------------------

    def _intake_callback(self, platform: Platform) -> Callable[[dt.datetime], None]:
        def intake(when: dt.datetime) -> None:
            channel = self.rng.choices(("walk_in", "phone", "other"), weights=(50, 35, 15))[0]
            self._complaint(platform, when, channel, None, "fr", None)
        return intake

    def _complaint(self, platform: Platform, when: dt.datetime, channel: str, session_id: str | None,
                   lang: str, theme_key: str | None) -> None:
        rng = self.rng
        li = 0 if lang == "fr" else 1
        key = theme_key or rng.choice(PROFILE_THEMES[platform.spec.profile])
        theme = THEMES[key]
        place = platform.spec.place
        description, against = rng.choice(theme.grievances)
        anonymous = {"sgbv": 0.3, "police_conduct": 0.5, "extremism": 0.7}.get(theme.category, 0.25)
        if channel == "radio":
            anonymous += 0.25
        complainant = None if rng.random() < anonymous else self._complainant(theme.category)
        new = complaints.receive_complaint(
            self.store, received_on=when.date(), channel=channel, category=theme.category,
            description=description[li].format(place=place), session_id=session_id,
            against=against[li], place_id=platform.place_id, language=lang, complainant=complainant,
            severity=DEMO_SEVERITY.get(theme.category, "normal"))
        self.summary.complaints += 1
        case = Case(new.id, "received", theme.category, lang, place,
                     platform.spec.profile in ("crisis", "north"))
        self._schedule(when + dt.timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 6)),
                       self._step_callback(case))

    def _complainant(self, category: str) -> dict[str, Any]:
        rng = self.rng
        female = rng.random() < (0.9 if category == "sgbv" else 0.35)
        name = f"{rng.choice(FEMALE if female else MALE)} {rng.choice(FAMILY)}"
        contact = None
        if rng.random() < 0.8:
            digits = [rng.randrange(10) for _ in range(6)]
            contact = (f"+227 {rng.choice((9, 8, 7))}{rng.randrange(10)} {digits[0]}{digits[1]} "
                       f"{digits[2]}{digits[3]} {digits[4]}{digits[5]}")
        age = rng.choices(("under_18", "18_35", "36_60", "over_60", "unknown"), weights=(5, 45, 35, 8, 7))[0]
        return {"name": name, "contact": contact, "gender": "f" if female else "m", "age_group": age}

    def _step_callback(self, case: Case) -> Callable[[dt.datetime], None]:
        return lambda when: self._step(case, when)

    def _step(self, case: Case, when: dt.datetime) -> None:
        """The next move of a complaint along its workflow, or none (it stays where it is)."""
        rng = self.rng
        li = 0 if case.language == "fr" else 1
        moves: dict[str, tuple[tuple[str, int], ...]] = {
            "received": (("under_review", 65), ("referred", 25), ("withdrawn", 4), ("", 6)),
            "under_review": (("referred", 55), ("resolved", 20), ("closed_unresolved", 12),
                             ("withdrawn", 5), ("", 8)),
            "referred": (("resolved", 55), ("closed_unresolved", 15), ("under_review", 5), ("", 25)),
        }
        new = pick_weighted(rng, moves[case.status])
        if not new:
            return
        referred_to = None
        if new == "referred":
            options = REFERRALS.get(case.category, REFERRALS["other"])
            target = rng.choice(options)
            if case.rural and case.category in ("theft", "assault"):
                target = RURAL_REFERRAL
            referred_to = target[li].format(place=case.place)
        note = rng.choice(STATUS_NOTES[new])[li]
        complaints.change_status(self.store, case.id, new, note=note, referred_to=referred_to, at=when)
        self.summary.status_changes += 1
        if case.existing:
            self.changed.add(case.id)
        if new in OUTCOMES:
            complaints.update_complaint(self.store, case.id, outcome=rng.choice(OUTCOMES[new])[li])
        elif new == "referred":
            response = (f"Transmise le {date_text(when.date(), 'fr')}." if li == 0
                        else f"Referred on {date_text(when.date(), 'en')}.")
            complaints.update_complaint(self.store, case.id, response=response)
        case.status = new
        if new in ("received", "under_review", "referred"):
            delay = rng.randint(3, 21) if new == "under_review" else rng.randint(7, 60)
            self._schedule(when + dt.timedelta(days=delay, hours=rng.randint(0, 8)),
                           self._step_callback(case))

    # -- a session -----------------------------------------------------------------------------

    def _session(self, slot: Slot, *, is_last: bool) -> None:
        rng, store, p, lang = self.rng, self.store, slot.platform, slot.language
        li = 0 if lang == "fr" else 1
        place = p.spec.place
        kind = slot.kind
        day = slot.when.date()

        # What is talked about: mostly the platform's priority problems.
        n_concerns = {"neighbourhood_dialogue": (2, 4), "awareness_meeting": (1, 2), "workshop": (1, 3),
                      "civil_society_exchange": (2, 4), "radio_call_in": (2, 5)}.get(kind, (1, 3))
        pool = PROFILE_THEMES[p.spec.profile]
        concerns: list[tuple[str, Theme, str]] = []
        for _n in range(rng.randint(*n_concerns)):
            key = rng.choice(p.spec.problems) if p.spec.problems and rng.random() < 0.6 else rng.choice(pool)
            theme = THEMES[key]
            concerns.append((key, theme, rng.choice(theme.descriptions)[li].format(place=place)))
        main_theme = concerns[0][1].label[li]

        if kind == "workshop" and p.spec.profile == "national":
            title = rng.choice(NATIONAL_WORKSHOPS)[li]
        else:
            months = FR_MONTHS if li == 0 else EN_MONTHS
            if kind == "radio_call_in":
                p.episodes += 1
            title = rng.choice(TITLES[kind])[li].format(
                place=place, month=f"{months[day.month - 1]} {day.year}", n=p.episodes,
                theme=lower_first(main_theme) if li == 0 else main_theme)

        _weekdays, _start, minutes = SCHEDULE[kind]
        ends = slot.when + dt.timedelta(minutes=minutes + rng.choice((-30, -15, 0, 15, 30, 45)))
        venue = rng.choice(p.spec.venues)
        facilitator = rng.choice(p.facilitators)
        cells = self._attendance(kind, p.spec.profile)

        # Carried-over commitments: what is said about them today.
        follow: list[tuple[Item, str, str]] = []
        for item in [i for i in p.open_items if i.since < day][:MAX_FOLLOW_UPS]:
            if item.status == "open":
                status = pick_weighted(rng, (("in_progress", 40), ("done", 20), ("", 38), ("dropped", 2)))
            else:
                status = pick_weighted(rng, (("done", 45), ("", 51), ("dropped", 4)))
            if status == "dropped":
                note = rng.choice(DROPPED)[li]
            elif status == "" or item.act is None:
                note = rng.choice(STALLED)[li]
            else:
                note = (item.act.done if status == "done" else item.act.progress)[li]
            follow.append((item, status, note))

        # New commitments, from today's concerns.
        n_actions = {"neighbourhood_dialogue": (1, 3), "awareness_meeting": (0, 1), "workshop": (1, 2),
                     "civil_society_exchange": (1, 3), "radio_call_in": (0, 2)}.get(kind, (0, 2))
        new_actions: list[tuple[Act, str | None, dt.date]] = []
        for key, theme, _text in concerns[:rng.randint(*n_actions)]:
            act = rng.choice(theme.acts)
            if any(a is act for a, _pp, _due in new_actions):
                continue
            new_actions.append((act, p.problems.get(key), day + dt.timedelta(days=rng.randint(14, 75))))

        n_complaints = {"neighbourhood_dialogue": (0, 2), "awareness_meeting": (0, 1),
                        "radio_call_in": (1, 3)}.get(kind, (0, 0))
        complaint_themes = [rng.choice(concerns)[0] for _n in range(rng.randint(*n_complaints))]
        agenda = self._agenda(kind)
        minutes_text = write_minutes(lang, slot.when, ends, venue, facilitator, cells, agenda, concerns,
                                 [(item.text, note) for item, _s, note in follow],
                                 [(a, due) for a, _pp, due in new_actions],
                                 len(complaint_themes), place)

        sid = sessions.create_session(store, platform_id=p.id, kind=kind, title=title,
                                      starts_at=slot.when, ends_at=ends, venue=venue, language=lang,
                                      facilitator=facilitator, minutes=minutes_text)
        self.summary.sessions += 1
        for item_title in agenda:
            sessions.add_agenda_item(store, sid, item_title[li])
        for (category, gender), (count, names) in cells.items():
            sessions.set_attendance(store, sid, category, gender, count, names)
        for key, theme, text in concerns:
            sessions.add_concern(store, sid, description=text, theme=theme.label[li],
                                 raised_by=rng.choice(theme.raised_by),
                                 priority_problem_id=p.problems.get(key))
            self.summary.concerns += 1
        for item, status, note in follow:
            actions.add_follow_up(store, item.id, note=note, session_id=sid, status_after=status or None,
                                  recorded_on=day)
            self.summary.follow_ups += 1
            if status:
                item.status = status
                if item.existing:
                    self.changed.add(item.id)
        p.open_items = [i for i in p.open_items if i.status in actions.OPEN_STATUSES]
        for act, problem_id, due in new_actions:
            text = act.text[li].format(place=place)
            aid = actions.add_action_item(store, sid, description=text, responsible_party=act.party,
                                          owner=act.owner[li].format(place=place), due_on=due,
                                          priority_problem_id=problem_id)
            p.open_items.append(Item(aid, "open", act, text, day))
            self.summary.action_items += 1
        channel = "radio" if kind == "radio_call_in" else "session"
        for key in complaint_themes:
            self._complaint(p, slot.when, channel, sid, lang, key)

        # Sessions of the period's last days are still being written up.
        if is_last or day > self.end - dt.timedelta(days=DRAFT_DAYS):
            return
        finalized = dt.datetime.combine(day + dt.timedelta(days=rng.randint(1, 4)),
                                        dt.time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))))
        sessions.finalize_session(store, sid, at=finalized)
        if rng.random() < 0.06:
            self._amend(sid, lang, finalized, cells, venue)

    def _amend(self, sid: str, lang: str, finalized: dt.datetime,
               cells: dict[tuple[str, str], tuple[int, str | None]], venue: str) -> None:
        rng = self.rng
        field_name, text = rng.choice(AMENDMENTS)
        women = cells.get(("women", "f"), (0, None))[0]
        body = text[0 if lang == "fr" else 1].format(
            n=women + rng.randint(1, 3), m=women, venue=venue,
            name=f"{rng.choice(MALE)} {rng.choice(FAMILY)}")
        sessions.add_amendment(self.store, sid, text=body, field=field_name,
                               at=finalized + dt.timedelta(days=rng.randint(2, 10), hours=1))
        self.summary.amendments += 1

    def _agenda(self, kind: str) -> list[T]:
        rng = self.rng
        if kind == "radio_call_in":
            return list(RADIO_AGENDA)
        middle = rng.sample(AGENDA_MIDDLE, rng.randint(2, 4))
        middle.sort(key=AGENDA_MIDDLE.index)
        return [rng.choice(AGENDA_OPEN), *middle, rng.choice(AGENDA_CLOSE)]

    def _attendance(self, kind: str, profile: str) -> dict[tuple[str, str], tuple[int, str | None]]:
        """Counts by category × gender, with the women's share kept between 25 and 45 %."""
        rng = self.rng
        spec = dict(ATTENDANCE.get(kind, ATTENDANCE["neighbourhood_dialogue"]))
        if profile == "crisis" and kind != "radio_call_in":
            spec.update(CRISIS_ADJUST)
        cells: dict[tuple[str, str], int] = {}
        for category, (low, high, share) in spec.items():
            n = rng.randint(low, high)
            women = round(n * rng.uniform(share * 0.7, min(1.0, share * 1.3)))
            if category == "women":
                women = n
            if kind == "radio_call_in" and category == "other":
                # Callers whose voice the host could not place are counted as unspecified.
                unknown = rng.randint(0, n // 3)
                cells[(category, "unspecified")] = unknown
                n -= unknown
                women = min(women, n)
            cells[(category, "f")] = women
            cells[(category, "m")] = n - women
        if kind != "radio_call_in":
            total = sum(v for (_c, g), v in cells.items() if g != "unspecified")
            f = sum(v for (_c, g), v in cells.items() if g == "f")
            target = rng.uniform(0.27, 0.43)
            if total and not 0.25 <= f / total <= 0.45:
                # Adjust the women's associations (or the young men) towards a plausible share.
                if f / total < 0.25:
                    cells[("women", "f")] += max(0, round((target * total - f) / (1 - target)))
                else:
                    cells[("youth", "m")] += max(0, round(f / target - total))
        out: dict[tuple[str, str], tuple[int, str | None]] = {}
        for (category, gender), n in cells.items():
            if n <= 0:
                continue
            names = None
            if category in ("police", "gendarmerie") and gender == "m" and rng.random() < 0.4:
                ranks = POLICE_RANKS if category == "police" else GENDARME_RANKS
                names = "; ".join(f"{rng.choice(ranks)} {rng.choice(MALE)} {rng.choice(FAMILY)}"
                                  for _n in range(min(n, 2)))
            out[(category, gender)] = (n, names)
        return out

