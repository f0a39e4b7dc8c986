"""Maßnahmen aus Protokollpunkten (R7, R10, R12): beantragen, genehmigen/ablehnen (nur Teamleitung ASD), umsetzen.

Budgetregeln prüft die Datenschicht (`daten.gremium.regeln.pruefe_budget`): harter Deckel für
Fortbildung/Supervision, jede andere Überschreitung nur mit `ueberschreitung_grund` (im Änderungsprotokoll).
Für ein Jahr, in dem das Budget noch nicht eingetragen ist, wird keine Maßnahme beantragt
(`daten.dienste.budget.pruefe_budget_eingetragen`): ein fehlendes Budget ist nicht 0 €.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from daten import modelle as m
from daten.audit import kommune_der_sitzung
from daten.dienste.budget import pruefe_budget_eingetragen
from daten.dienste.sitzungen import pruefe_version
from daten.fehler import EingabeFehler
from daten.politik import Akteur


def _lade(session: Session, massnahme_id: int) -> m.Massnahme:
    x = session.get(m.Massnahme, massnahme_id)
    if x is None:
        raise EingabeFehler(f"Maßnahme {massnahme_id} gibt es nicht.")
    return x


def _grund(x: m.Massnahme, grund: str | None) -> None:
    if (grund or "").strip():
        x.ueberschreitung_grund = grund.strip()


def lege_massnahme_an(session: Session, akteur: Akteur, *, protokollpunkt_id: int, titel: str, art: str,
                      kosten_geplant: float, beschlussvorlage: str | None = None, durchfuehrung: str | None = None,
                      jahr: int | None = None, ueberschreitung_grund: str | None = None) -> m.Massnahme:
    """Beantragt eine Maßnahme aus einem Protokollpunkt; Sozialraum, Sitzung und Jahr kommen aus der Sitzung.

    Ist für das Jahr im Sozialraum noch kein Budget der Art eingetragen: EingabeFehler „Für JAHR ist noch kein
    Budget eingetragen …“ (wer es einträgt steht in der Meldung)."""
    p = session.get(m.Protokollpunkt, protokollpunkt_id)
    if p is None:
        raise EingabeFehler(f"Protokollpunkt {protokollpunkt_id} gibt es nicht.")
    if not (titel or "").strip():
        raise EingabeFehler("Maßnahme: bitte einen Titel angeben.")
    if kosten_geplant is None or kosten_geplant < 0:
        raise EingabeFehler("Maßnahme: geplante Kosten bitte als Betrag ≥ 0 € angeben.")
    sz = p.sitzung
    pruefe_budget_eingetragen(session, kommune_der_sitzung(session), sozialraum_id=sz.sozialraum_id,
                              jahr=int(jahr or sz.datum.year), art=art)
    x = m.Massnahme(schluessel=f"massnahme-{uuid.uuid4().hex[:12]}", sozialraum_id=sz.sozialraum_id,
                    sitzung_id=sz.id, protokollpunkt=p, titel=titel.strip(), art=art,
                    beschlussvorlage=beschlussvorlage or None, durchfuehrung=(durchfuehrung or "").strip() or None,
                    kosten_geplant=float(kosten_geplant), status="beantragt", genehmigt=False,
                    jahr=int(jahr or sz.datum.year))
    _grund(x, ueberschreitung_grund)
    session.add(x)
    session.flush()
    return x


def entscheide_massnahme(session: Session, akteur: Akteur, *, massnahme_id: int, genehmigen: bool,
                         datum: date | None = None, ueberschreitung_grund: str | None = None,
                         version: int | None = None) -> m.Massnahme:
    """Genehmigt oder lehnt ab (R10: nur die Teamleitung ASD des Sozialraums); vermerkt wer und wann."""
    x = _lade(session, massnahme_id)
    pruefe_version(x, version)
    x.status = "genehmigt" if genehmigen else "abgelehnt"
    x.genehmigt = genehmigen
    x.genehmigt_von = akteur.login
    x.genehmigt_am = datum or date.today()
    _grund(x, ueberschreitung_grund)
    session.flush()
    return x


def setze_umgesetzt(session: Session, akteur: Akteur, *, massnahme_id: int, kosten_ist: float,
                    ueberschreitung_grund: str | None = None, version: int | None = None) -> m.Massnahme:
    """Maßnahme umgesetzt, mit Ist-Kosten (höhere Ist-Kosten zählen gegen das Budget)."""
    if kosten_ist is None or kosten_ist < 0:
        raise EingabeFehler("Ist-Kosten bitte als Betrag ≥ 0 € angeben.")
    x = _lade(session, massnahme_id)
    pruefe_version(x, version)
    x.status = "umgesetzt"
    x.kosten_ist = float(kosten_ist)
    _grund(x, ueberschreitung_grund)
    session.flush()
    return x
