"""Dienst: Empfehlungen zum Jahresbericht speichern (nur Jugendhilfeplanung und Administration, R9).

Die Rechteprüfung und das Änderungsprotokoll laufen zusätzlich in der Datenschicht (daten/audit.py);
hier steht die fachliche Regel mit verständlicher Meldung vorab.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten.fehler import EingabeFehler, KonfliktFehler, RechteFehler
from daten.politik import Akteur, darf_schreiben

STATUS = {"entwurf": "Entwurf", "abgestimmt": "abgestimmt"}
HOECHSTLAENGE = 20_000


def speichere_empfehlung(session: Session, akteur: Akteur, *, sozialraum: str | None, jahr: int, text: str,
                         status: str = "entwurf", version: int | None = None) -> m.Empfehlung:
    """Legt die Empfehlung für (Sozialraum oder stadtweit, Jahr) an oder ändert sie.

    `version`: der Stand, den die Person bearbeitet hat; weicht er ab, Konflikt statt Überschreiben.
    """
    if not darf_schreiben(akteur, "empfehlung", None):
        raise RechteFehler("Empfehlungen schreiben nur die Jugendhilfeplanung und die Administration.")
    if status not in STATUS:
        raise EingabeFehler(f"Status '{status}' gibt es nicht; möglich: {', '.join(STATUS)}.")
    text = (text or "").strip()
    if len(text) > HOECHSTLAENGE:
        raise EingabeFehler(f"Die Empfehlung ist zu lang ({len(text)} Zeichen, höchstens {HOECHSTLAENGE}).")
    if not 1990 <= int(jahr) <= 2100:
        raise EingabeFehler(f"Jahr {jahr} ist kein gültiges Berichtsjahr.")
    sr_id = None
    if sozialraum:
        sr_id = session.scalar(select(m.Sozialraum.id).where(m.Sozialraum.name == sozialraum))
        if sr_id is None:
            raise EingabeFehler(f"Sozialraum '{sozialraum}' gibt es nicht.")
    e = session.scalar(select(m.Empfehlung).where(
        m.Empfehlung.jahr == int(jahr),
        m.Empfehlung.sozialraum_id.is_(None) if sr_id is None else m.Empfehlung.sozialraum_id == sr_id))
    if e is None:
        if version not in (None, 0):
            raise KonfliktFehler("Die Empfehlung wurde inzwischen gelöscht. Bitte neu laden.")
        e = m.Empfehlung(sozialraum_id=sr_id, jahr=int(jahr))
        session.add(e)
    elif version is not None and version != e.version:
        raise KonfliktFehler(
            "Die Empfehlung wurde inzwischen von jemand anderem geändert. Nichts wurde gespeichert; "
            "bitte neu laden und die Änderung erneut eintragen.")
    e.text, e.status = text, status
    e.geaendert_von, e.geaendert_am = akteur.login, datetime.now().astimezone()
    session.flush()
    return e
