"""Einladung zur Sitzung (R4): Kalenderdatei (.ics, RFC 5545 über `icalendar`) und E-Mail-Text; Versand per SMTP
(`daten.gremium.versand`), wenn `RESSOURCENKARTE_SMTP_HOST` gesetzt ist, sonst zum Herunterladen.

Die .ics enthält genau ein VEVENT mit stabiler UID (Sitzungsschlüssel), SEQUENCE = Version (Kalender
übernehmen Verschiebungen), DTSTART/DTEND in der Zeitzone der Konfiguration samt VTIMEZONE und
LOCATION = Anschrift des Sitzungsorts. Texte aus der Datenbank stehen als Klartext darin, nie als Vorlage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

from daten.gremium.kalender import WOCHENTAGE
from daten.gremium.versand import pruefe_adressen, pruefe_smtp, sende


@dataclass(frozen=True)
class Einladung:
    """Alles, was eine Einladung braucht (aus der Sitzung gelesen; keine Datenbank nötig)."""

    schluessel: str
    version: int
    sozialraum: str
    teilgremium: str
    datum: Any  # date
    beginn: str
    ende: str
    ort: str
    ort_adresse: str
    protokollfuehrung: str
    eingeladene: list[dict[str, Any]]

    @classmethod
    def aus_sitzung(cls, sz: Any) -> Einladung:
        ort = sz.ort
        return cls(schluessel=sz.schluessel, version=sz.version, sozialraum=sz.sozialraum.name,
                   teilgremium=sz.teilgremium.name if sz.teilgremium else "", datum=sz.datum, beginn=sz.beginn or "",
                   ende=sz.ende or "", ort=ort.name if ort else "", ort_adresse=(ort.adresse or "") if ort else "",
                   protokollfuehrung=sz.protokollfuehrung or "", eingeladene=list(sz.eingeladene or []))


def _zeiten(e: Einladung, kommune: Any) -> tuple[datetime, datetime]:
    zone = ZoneInfo(kommune.gremium.zeitzone)
    h, mi = map(int, (e.beginn or kommune.gremium.beginn).split(":"))
    start = datetime(e.datum.year, e.datum.month, e.datum.day, h, mi, tzinfo=zone)
    if e.ende:
        h2, m2 = map(int, e.ende.split(":"))
        ende = datetime(e.datum.year, e.datum.month, e.datum.day, h2, m2, tzinfo=zone)
        if ende > start:
            return start, ende
    return start, start + timedelta(minutes=kommune.gremium.dauer_minuten)


def titel(e: Einladung) -> str:
    gremium = e.teilgremium or e.sozialraum
    return f"Sozialraumgremium {gremium}: Sitzung am {e.datum:%d.%m.%Y}"


def einladung_ics(e: Einladung, kommune: Any) -> bytes:
    """Die Einladung als iCalendar-Datei (bytes, UTF-8, CRLF)."""
    from icalendar import Calendar, Event, vText

    start, ende = _zeiten(e, kommune)
    cal = Calendar()
    cal.add("prodid", f"-//{kommune.amt} – Sozialraum-Ressourcenkarte//DE")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    ev = Event()
    ev.add("uid", f"{e.schluessel}@ressourcenkarte")
    ev.add("sequence", int(e.version or 1))
    ev.add("dtstamp", datetime.now(ZoneInfo("UTC")))
    ev.add("dtstart", start)
    ev.add("dtend", ende)
    ev.add("summary", titel(e))
    ev["location"] = vText(", ".join(x for x in (e.ort, e.ort_adresse) if x) or "Ort folgt")
    ev.add("description", beschreibung(e, kommune))
    cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()


def beschreibung(e: Einladung, kommune: Any) -> str:
    """Tagesordnung: die Fragen der Konfiguration (3.2.2), Protokollführung, Eingeladene nach Arbeitsfeld."""
    zeilen = ["Tagesordnung: die Fragen des Sozialraumgremiums", ""]
    zeilen += [f"{i}. {frage}" for i, frage in enumerate(kommune.fragen, start=1)]
    zeilen += ["", f"Protokoll: {e.protokollfuehrung or 'wird in der Sitzung festgelegt'}"]
    if e.eingeladene:
        zeilen += ["", "Eingeladen:"] + [f"- {t['name']} ({t['bereich']})" for t in e.eingeladene]
    return "\n".join(zeilen)


def email_text(e: Einladung, kommune: Any) -> tuple[str, str]:
    """(Betreff, Text) der Einladung als Klartext."""
    start, ende = _zeiten(e, kommune)
    ort = ", ".join(x for x in (e.ort, e.ort_adresse) if x) or "wird noch bekannt gegeben"
    text = (f"Guten Tag,\n\nhiermit lädt die Teamleitung ASD zur Sitzung des Sozialraumgremiums "
            f"{e.teilgremium or e.sozialraum} ein:\n\n"
            f"Termin: {WOCHENTAGE[start.weekday()]}, {start:%d.%m.%Y}, {start:%H:%M}–{ende:%H:%M} Uhr\n"
            f"Ort: {ort}\n\n{beschreibung(e, kommune)}\n\n"
            f"Aus jedem KiJuKuZ und jeder Kita des Sozialraums nimmt bitte eine Person teil (in der Regel Leitung "
            f"oder Vertretung). Die Kalenderdatei hängt an.\n\nMit freundlichen Grüßen\n{kommune.amt}\n")
    return titel(e), text


def sende_einladung(e: Einladung, kommune: Any, einstellungen: Any, empfaenger: list[str]) -> None:
    """Sendet die Einladung mit .ics-Anhang über SMTP (Einstellungen RESSOURCENKARTE_SMTP_*)."""
    pruefe_smtp(einstellungen, "die Einladung")
    adressen = pruefe_adressen(empfaenger)
    betreff, text = email_text(e, kommune)
    nachricht = EmailMessage()
    nachricht["Subject"] = betreff
    nachricht["From"] = einstellungen.smtp_absender
    nachricht["To"] = ", ".join(adressen)
    nachricht.set_content(text)
    nachricht.add_attachment(einladung_ics(e, kommune), maintype="text", subtype="calendar",
                             filename=f"einladung-{e.datum:%Y-%m-%d}.ics")
    sende(nachricht, einstellungen, was="die Einladung")
