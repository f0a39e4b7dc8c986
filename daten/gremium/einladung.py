"""Einladung zur Sitzung (R4): Kalenderdatei (.ics, RFC 5545 über `icalendar`) und E-Mail-Text; Versand per SMTP
(`daten.gremium.versand`), wenn `RESSOURCENKARTE_SMTP_HOST` gesetzt ist, sonst zum Herunterladen.

Die .ics ist eine Terminanfrage nach iTIP (RFC 5546): `METHOD:REQUEST` mit ORGANIZER (Teamleitung ASD des
Sozialraums) und je Eintrag der Einladungsliste einem ATTENDEE (RSVP=TRUE), sodass Outlook & Co. Zu- und Absage
anbieten. Genau ein VEVENT mit stabiler UID (Sitzungsschlüssel) und SEQUENCE = `sitzung.sequenz` (steigt bei
jeder Verschiebung und bei der Absage), DTSTART/DTEND in der Zeitzone der Konfiguration samt VTIMEZONE mit
RRULE (`daten.gremium.zeitzone`), LOCATION = Anschrift des Sitzungsorts. Die Absage (`absage_ics`) trägt
`METHOD:CANCEL`, dieselbe UID, die höhere SEQUENCE und STATUS:CANCELLED.

E-Mail-Adressen: `gremium.adressen` der Konfiguration (Sozialraum → Teamleitung, Einrichtungs-Schlüssel →
Einrichtung); sonst für die Teamleitung ihr Login, wenn es eine Adresse ist (Single Sign-on), sonst der Absender
der Anwendung. Einrichtungen ohne Adresse stehen mit Namen und einer nie zustellbaren Adresse unter `.invalid`
(RFC 2606) in der Einladung – `fehlende_adressen` nennt sie. Texte aus der Datenbank stehen als Klartext darin,
nie als Vorlage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

from daten.gremium.kalender import WOCHENTAGE
from daten.gremium.versand import pruefe_adressen, pruefe_smtp, sende

UNZUSTELLBAR = "einrichtungen.invalid"  # RFC 2606: garantiert keine Zustellung
ABSENDER_STANDARD = "ressourcenkarte@localhost"


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
    sequenz: int = 0
    abgesagt: bool = False
    absage_grund: str = ""
    organisator: str = ""  # Name der Teamleitung ASD
    organisator_login: str = ""  # Login der Teamleitung (eine Adresse, wenn per Single Sign-on angelegt)
    absender: str = ABSENDER_STANDARD  # RESSOURCENKARTE_SMTP_ABSENDER: letzte Wahl für den ORGANIZER

    @classmethod
    def aus_sitzung(cls, sz: Any, *, absender: str | None = None) -> Einladung:
        """Liest die Sitzung (und die Teamleitung ihres Sozialraums aus den Konten)."""
        from daten import werte

        ort = sz.ort
        name, login = teamleitung(sz)
        return cls(schluessel=sz.schluessel, version=sz.version, sozialraum=sz.sozialraum.name,
                   teilgremium=sz.teilgremium.name if sz.teilgremium else "", datum=sz.datum, beginn=sz.beginn or "",
                   ende=sz.ende or "", ort=ort.name if ort else "", ort_adresse=(ort.adresse or "") if ort else "",
                   protokollfuehrung=sz.protokollfuehrung or "", eingeladene=list(sz.eingeladene or []),
                   sequenz=int(sz.sequenz or 0), abgesagt=sz.status == werte.SITZUNG_ABGESAGT,
                   absage_grund=sz.absage_grund or "", organisator=name, organisator_login=login,
                   absender=absender or ABSENDER_STANDARD)


def teamleitung(sz: Any) -> tuple[str, str]:
    """(Name, Login) der Teamleitung ASD des Sozialraums der Sitzung: das erste aktive Konto der Rolle, sonst der
    am Sozialraum eingetragene Name (ohne Login)."""
    from sqlalchemy import select
    from sqlalchemy.orm import object_session

    from daten import modelle as m
    from daten import politik

    session = object_session(sz)
    if session is not None:
        konto = session.execute(select(m.Benutzer.anzeigename, m.Benutzer.login).where(
            m.Benutzer.rolle == politik.TEAMLEITUNG, m.Benutzer.sozialraum_id == sz.sozialraum_id,
            m.Benutzer.aktiv.is_(True)).order_by(m.Benutzer.login).limit(1)).first()
        if konto is not None:
            return konto[0], konto[1]
    return (sz.sozialraum.teamleitung or f"Teamleitung ASD {sz.sozialraum.name}").split(", ")[0], ""


def _ist_adresse(text: str) -> bool:
    return bool(re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text or ""))


def organisator_adresse(e: Einladung, kommune: Any) -> str:
    """Adresse der Teamleitung: Konfiguration (gremium.adressen[Sozialraum]), Login als Adresse, sonst Absender."""
    konfiguriert = kommune.gremium.adressen.get(e.sozialraum)
    if konfiguriert:
        return konfiguriert
    return e.organisator_login if _ist_adresse(e.organisator_login) else e.absender


def teilnehmer_adresse(eintrag: dict[str, Any], kommune: Any) -> str:
    """Adresse eines Eintrags der Einladungsliste: konfiguriert je Einrichtungs-Schlüssel, sonst unzustellbar."""
    schluessel = str(eintrag.get("einrichtung") or eintrag.get("name") or "einrichtung")
    konfiguriert = kommune.gremium.adressen.get(schluessel)
    if konfiguriert:
        return konfiguriert
    lokal = re.sub(r"[^a-z0-9._-]+", "-", schluessel.casefold()).strip("-.") or "einrichtung"
    return f"{lokal}@{UNZUSTELLBAR}"


def teilnehmende(e: Einladung) -> list[dict[str, Any]]:
    """Die Einladungsliste ohne die Teamleitung selbst: sie ist ORGANIZER, nicht ATTENDEE (RFC 5546)."""
    selbst = " ".join(e.organisator.split()).casefold()
    return [t for t in e.eingeladene if not selbst or " ".join(str(t.get("name") or "").split()).casefold() != selbst]


def fehlende_adressen(e: Einladung, kommune: Any) -> list[str]:
    """Namen der Teilnehmenden, für die keine E-Mail-Adresse konfiguriert ist (gremium.adressen)."""
    return [str(t.get("name")) for t in teilnehmende(e) if teilnehmer_adresse(t, kommune).endswith("@" + UNZUSTELLBAR)]


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


def _kalender(e: Einladung, kommune: Any, *, methode: str) -> tuple[Any, Any]:
    from icalendar import Calendar, Event, vCalAddress, vText

    from daten.gremium.zeitzone import vtimezone

    start, ende = _zeiten(e, kommune)
    cal = Calendar()
    cal.add("prodid", f"-//{kommune.amt} – Sozialraum-Ressourcenkarte//DE")
    cal.add("version", "2.0")
    cal.add("method", methode)
    cal.add_component(vtimezone(kommune.gremium.zeitzone, start.year))
    ev = Event()
    ev.add("uid", f"{e.schluessel}@ressourcenkarte")
    ev.add("sequence", int(e.sequenz))
    ev.add("dtstamp", datetime.now(ZoneInfo("UTC")))
    ev.add("dtstart", start)
    ev.add("dtend", ende)
    ev["location"] = vText(", ".join(x for x in (e.ort, e.ort_adresse) if x) or "Ort folgt")
    organisator = vCalAddress(f"mailto:{organisator_adresse(e, kommune)}")
    organisator.params["CN"] = vText(e.organisator or f"Teamleitung ASD {e.sozialraum}")
    ev.add("organizer", organisator)
    for t in teilnehmende(e):
        a = vCalAddress(f"mailto:{teilnehmer_adresse(t, kommune)}")
        a.params["CN"] = vText(str(t.get("name") or ""))
        a.params["ROLE"] = vText("REQ-PARTICIPANT")
        a.params["PARTSTAT"] = vText("NEEDS-ACTION")
        a.params["RSVP"] = vText("TRUE")
        ev.add("attendee", a, encode=0)
    return cal, ev


def einladung_ics(e: Einladung, kommune: Any) -> bytes:
    """Die Einladung als iTIP-Terminanfrage (METHOD:REQUEST; bytes, UTF-8, CRLF). Ist die Sitzung abgesagt, die
    Absage – eine abgesagte Sitzung verlässt das Haus nie mehr als Anfrage."""
    if e.abgesagt:
        return absage_ics(e, kommune)
    cal, ev = _kalender(e, kommune, methode="REQUEST")
    ev.add("summary", titel(e))
    ev.add("status", "CONFIRMED")
    ev.add("description", beschreibung(e, kommune))
    cal.add_component(ev)
    return cal.to_ical()


def absage_ics(e: Einladung, kommune: Any) -> bytes:
    """Die Absage (METHOD:CANCEL, STATUS:CANCELLED) mit derselben UID und der SEQUENCE der Absage."""
    cal, ev = _kalender(e, kommune, methode="CANCEL")
    ev.add("summary", f"Abgesagt: {titel(e)}")
    ev.add("status", "CANCELLED")
    grund = f"Grund: {e.absage_grund}" if e.absage_grund else "Die Sitzung entfällt."
    ev.add("description", f"Die Sitzung am {e.datum:%d.%m.%Y} ist abgesagt. {grund}")
    cal.add_component(ev)
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
    """Sendet die Einladung (bei abgesagter Sitzung die Absage) mit .ics über SMTP (RESSOURCENKARTE_SMTP_*).

    Aufbau wie bei Outlook/Exchange: Text und Kalender als Alternativen (`text/calendar; method=REQUEST` bzw.
    CANCEL – erst daran erkennt Outlook eine Terminanfrage mit Zu- und Absage statt eines bloßen Anhangs), dazu die
    .ics als Anhang für Programme, die nur Anhänge öffnen."""
    pruefe_smtp(einstellungen, "die Einladung")
    adressen = pruefe_adressen(empfaenger)
    betreff, text = email_text(e, kommune)
    methode, name = ("CANCEL", "absage") if e.abgesagt else ("REQUEST", "einladung")
    if e.abgesagt:
        betreff = f"Abgesagt: {betreff}"
        text = (f"Guten Tag,\n\ndie Sitzung des Sozialraumgremiums {e.teilgremium or e.sozialraum} am "
                f"{e.datum:%d.%m.%Y} ist abgesagt.{' Grund: ' + e.absage_grund if e.absage_grund else ''}\n\n"
                f"Mit freundlichen Grüßen\n{kommune.amt}\n")
    nachricht = EmailMessage()
    nachricht["Subject"] = betreff
    nachricht["From"] = einstellungen.smtp_absender
    nachricht["To"] = ", ".join(adressen)
    ics = einladung_ics(e, kommune)
    nachricht.set_content(text)
    nachricht.add_alternative(ics.decode("utf-8"), subtype="calendar", params={"method": methode})
    nachricht.add_attachment(ics, maintype="application", subtype="ics", filename=f"{name}-{e.datum:%Y-%m-%d}.ics")
    sende(nachricht, einstellungen, was="die Einladung")
