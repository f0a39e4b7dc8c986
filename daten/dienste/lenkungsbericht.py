"""Bericht der Teamleitung ASD an die Lenkungsgruppe (4.2, R10): einer je Sozialraum und Jahr, erfasst mit Datum.

Erfasst wird, dass (und wann) die Teamleitung für ihren Sozialraum berichtet hat; der Inhalt ist optional (der Bericht
selbst entsteht auf der Seite „Bericht“ als Bereichsbericht). Rechte und Regeln prüft zusätzlich die Datenschicht.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten.dienste._gemeinsam import pruefe_recht, text_oder_none
from daten.dienste.sitzungen import pruefe_version
from daten.fehler import EingabeFehler
from daten.politik import Akteur


def lenkungsbericht_erfassen(session: Session, akteur: Akteur, *, jahr: int, datum: date, inhalt: str | None = None,
                             version: int | None = None) -> m.Lenkungsbericht:
    """Vermerkt den Bericht über `jahr` an die Lenkungsgruppe für den eigenen Sozialraum der Teamleitung ASD; gibt
    es ihn schon, werden Datum und Inhalt geändert (`version`: der gesehene Stand)."""
    sozialraum_id = akteur.sozialraum_id if akteur is not None else None
    if sozialraum_id is None:
        raise EingabeFehler("Den Bericht an die Lenkungsgruppe erstattet die Teamleitung ASD für ihren Sozialraum "
                            "(4.2); dieses Konto hat keinen Sozialraum.")
    pruefe_recht(session, akteur, tabelle="lenkungsbericht", sozialraum_id=sozialraum_id,
                 was="der Bericht an die Lenkungsgruppe")
    if datum is None:
        raise EingabeFehler("Bitte das Datum angeben, an dem der Bericht erstattet wurde.")
    if datum > date.today():
        raise EingabeFehler(f"{datum:%d.%m.%Y} liegt in der Zukunft; erfasst wird ein Bericht, wenn er erstattet ist.")
    if not 1990 <= int(jahr) <= datum.year:
        raise EingabeFehler(f"Der Bericht über {jahr} kann nicht am {datum:%d.%m.%Y} erstattet worden sein; bitte "
                            "Berichtsjahr und Datum prüfen.")
    b = session.scalar(select(m.Lenkungsbericht).where(m.Lenkungsbericht.sozialraum_id == sozialraum_id,
                                                       m.Lenkungsbericht.jahr == int(jahr)))
    if b is None:
        b = m.Lenkungsbericht(sozialraum_id=sozialraum_id, jahr=int(jahr))
        session.add(b)
    else:
        pruefe_version(b, version)
    b.datum, b.erstattet_von = datum, akteur.login
    b.inhalt = text_oder_none(inhalt, feld="Inhalt", hoechstens=20_000)
    session.flush()
    return b
