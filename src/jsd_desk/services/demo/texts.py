"""The texts a demo run writes as a facilitator would type them: dates, minutes, descriptions."""

from __future__ import annotations

import datetime as dt

from jsd_desk.services.demo.corpus import EN_MONTHS, FR_MONTHS, Act, PlatformSpec, T, Theme


def date_text(day: dt.date, lang: str) -> str:
    if lang == "fr":
        return f"{'1er' if day.day == 1 else day.day} {FR_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"


def time_text(when: dt.datetime, lang: str) -> str:
    return f"{when.hour} h {when.minute:02d}" if lang == "fr" else f"{when.hour:02d}:{when.minute:02d}"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def platform_description(spec: PlatformSpec) -> str:
    return {
        "niamey": f"Plateforme de dialogue entre les habitants du quartier {spec.place}, la police et les "
                  f"autorités municipales et coutumières.",
        "town": f"Plateforme de dialogue de la commune de {spec.place} : population, police, gendarmerie, "
                f"mairie, chefs traditionnels et religieux.",
        "crisis": f"Cadre de concertation de {spec.place} entre les communautés, les forces de défense et de "
                  f"sécurité et les autorités, dans une zone touchée par l'insécurité.",
        "north": f"Plateforme de dialogue de {spec.place} : population, police, garde nationale et "
                 f"organisations d'aide aux migrants.",
        "national": "Rencontre mensuelle des organisations de la société civile et du ministère de "
                    "l'Intérieur sur la sécurité collaborative.",
        "radio": f"Émission en direct où la police répond aux appels des auditeurs ({spec.place}).",
    }[spec.profile]


def write_minutes(lang: str, start: dt.datetime, end: dt.datetime, venue: str, facilitator: str,
             cells: dict[tuple[str, str], tuple[int, str | None]], agenda: list[T],
             concerns: list[tuple[str, Theme, str]], follow: list[tuple[str, str]],
             new_actions: list[tuple[Act, dt.date]], n_complaints: int, place: str) -> str:
    """The session's minutes, written the way a facilitator would type them."""
    li = 0 if lang == "fr" else 1
    total = sum(n for n, _names in cells.values())
    women = sum(n for (_c, g), (n, _names) in cells.items() if g == "f")
    police = sum(n for (c, _g), (n, _names) in cells.items() if c == "police")
    gendarmes = sum(n for (c, _g), (n, _names) in cells.items() if c == "gendarmerie")
    share = round(100 * women / total) if total else 0
    lines: list[str] = []
    if li == 0:
        lines.append(f"Séance du {date_text(start.date(), 'fr')}. Lieu : {venue}. Ouverture à "
                     f"{time_text(start, 'fr')} par {facilitator}.")
        lines.append(f"Participants : {total}, dont {women} femmes ({share} %). Forces de sécurité : "
                     f"{police} policiers, {gendarmes} gendarmes.")
        lines.append("Ordre du jour : " + " ; ".join(f"{i}. {a[0]}" for i, a in enumerate(agenda, 1)) + ".")
        lines.append("Préoccupations soulevées :")
        lines.extend(f"- {theme.label[0]} : {text}" for _k, theme, text in concerns)
        if follow:
            lines.append("Suivi des engagements :")
            lines.extend(f"- {item_text} : {note}" for item_text, note in follow)
        if new_actions:
            lines.append("Nouveaux engagements :")
            lines.extend(f"- {act.text[0].format(place=place)} ({act.owner[0].format(place=place)}, "
                         f"d'ici le {date_text(due, 'fr')})" for act, due in new_actions)
        if n_complaints:
            lines.append(f"Plaintes reçues au cours de la séance : {n_complaints}.")
        lines.append(f"La séance a été levée à {time_text(end, 'fr')}.")
    else:
        lines.append(f"Meeting of {date_text(start.date(), 'en')}. Venue: {venue}. Opened at "
                     f"{time_text(start, 'en')} by {facilitator}.")
        lines.append(f"Participants: {total}, of whom {women} women ({share}%). Security forces: "
                     f"{police} police officers, {gendarmes} gendarmes.")
        lines.append("Agenda: " + "; ".join(f"{i}. {a[1]}" for i, a in enumerate(agenda, 1)) + ".")
        lines.append("Concerns raised:")
        lines.extend(f"- {theme.label[1]}: {text}" for _k, theme, text in concerns)
        if follow:
            lines.append("Follow-up of commitments:")
            lines.extend(f"- {item_text}: {note}" for item_text, note in follow)
        if new_actions:
            lines.append("New commitments:")
            lines.extend(f"- {act.text[1].format(place=place)} ({act.owner[1].format(place=place)}, "
                         f"by {date_text(due, 'en')})" for act, due in new_actions)
        if n_complaints:
            lines.append(f"Complaints received during the meeting: {n_complaints}.")
        lines.append(f"The meeting closed at {time_text(end, 'en')}.")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# A liaison officer's device
# --------------------------------------------------------------------------------------------
