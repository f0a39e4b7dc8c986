"""Dienst: die schriftliche Einschätzung je Frage für den Jahresbericht speichern (3.2.4, R9).

Den Entwurf erzeugt `analysen.protokolle.entwurf_bewertung` aus den Protokollpunkten des Jahres; die
Jugendhilfeplanung bearbeitet ihn und speichert hier. Der Bericht nimmt den gespeicherten Text, sonst den Entwurf.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten.dienste._gemeinsam import pruefe_recht
from daten.dienste.empfehlungen import HOECHSTLAENGE, STATUS
from daten.fehler import EingabeFehler, KonfliktFehler
from daten.gueltigkeit import kommune_der_sitzung
from daten.politik import Akteur


def bewertung_speichern(session: Session, akteur: Akteur, *, sozialraum_id: int | None, jahr: int, frage: int,
                        text: str, version: int | None, status: str = "entwurf") -> m.Bewertung:
    """Legt die Einschätzung für (Sozialraum oder stadtweit, Jahr, Frage) an oder ändert sie.

    `version`: der Stand, den die Person bearbeitet hat (None oder 0 für einen neuen Eintrag); weicht er ab,
    Konflikt statt Überschreiben. Nur Jugendhilfeplanung und Administration (daten/politik.py)."""
    pruefe_recht(session, akteur, tabelle="bewertung", sozialraum_id=sozialraum_id, was="die Einschätzung je Frage")
    fragen = kommune_der_sitzung(session).fragen
    if not 1 <= int(frage) <= len(fragen):
        raise EingabeFehler(f"Frage {frage} gibt es nicht; möglich: 1 bis {len(fragen)}.")
    if status not in STATUS:
        raise EingabeFehler(f"Status '{status}' gibt es nicht; möglich: {', '.join(STATUS)}.")
    if not 1990 <= int(jahr) <= 2100:
        raise EingabeFehler(f"Jahr {jahr} ist kein gültiges Berichtsjahr.")
    text = (text or "").strip()
    if len(text) > HOECHSTLAENGE:
        raise EingabeFehler(f"Die Einschätzung ist zu lang ({len(text)} Zeichen, höchstens {HOECHSTLAENGE}).")
    if sozialraum_id is not None and session.get(m.Sozialraum, sozialraum_id) is None:
        raise EingabeFehler(f"Sozialraum Nr. {sozialraum_id} gibt es nicht.")
    b = session.scalar(select(m.Bewertung).where(
        m.Bewertung.jahr == int(jahr), m.Bewertung.frage == int(frage),
        m.Bewertung.sozialraum_id.is_(None) if sozialraum_id is None else m.Bewertung.sozialraum_id == sozialraum_id))
    if b is None:
        if version not in (None, 0):
            raise KonfliktFehler("Die Einschätzung wurde inzwischen gelöscht. Bitte neu laden.")
        b = m.Bewertung(sozialraum_id=sozialraum_id, jahr=int(jahr), frage=int(frage))
        session.add(b)
    elif version is not None and version != b.version:
        raise KonfliktFehler("Die Einschätzung wurde inzwischen von jemand anderem geändert. Nichts wurde "
                             "gespeichert; bitte neu laden und die Änderung erneut eintragen.")
    b.text, b.status = text, status
    b.geaendert_von, b.geaendert_am = akteur.login, datetime.now().astimezone()
    session.flush()
    return b
