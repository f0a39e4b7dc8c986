"""Zeitpunkte der Anmeldung eines Kontos (letzte, vorige) – Betriebsdaten für „Protokolle erhalten seit dem letzten
Besuch“ (daten.aufgaben). Ein eigenes kleines Modul: Passwort-Anmeldung (daten.konten) und Single Sign-on
(daten.dienste.anmeldung) benutzen es, ohne einander zu importieren."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from daten import modelle as m
from daten.schutz import intern_ausfuehren


def merke_anmeldung(session: Session, login: str, jetzt: datetime) -> None:
    """Vorige Anmeldung = letzte, letzte = `jetzt`.

    Betriebsdaten wie die Anmeldesperre: eine Anweisung der Datenschicht ohne neuen Stand (`version`) und ohne
    Zeile im Änderungsprotokoll – sonst stünde jede Anmeldung als Änderung des Kontos im Verlauf, und wer das
    Konto gerade bearbeitet, bekäme einen Konflikt."""
    t = m.Benutzer.__table__
    intern_ausfuehren(session, update(t).where(t.c.login == login)
                      .values(vorige_anmeldung=t.c.letzte_anmeldung, letzte_anmeldung=jetzt))
