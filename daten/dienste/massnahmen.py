"""Maßnahmen aus Protokollpunkten (R7, R10, R12): beantragen, genehmigen/ablehnen (nur Teamleitung ASD), umsetzen.

Lebenslauf: beantragt → genehmigt/abgelehnt → umgesetzt (mit Ist-Kosten und Datum). Fortbildung, Supervision und
Teamentwicklung beschließt das Gremium selbst (5.3): `massnahme_beschliessen` vermerkt Sitzung und Protokollpunkt des
Beschlusses, Status „beschlossen“, ohne Genehmigung der Teamleitung; umgesetzt wird sie wie jede andere. Die
Regeln dazu prüft die Datenschicht (`daten.gremium.regeln`) gegen die gespeicherte Zeile.

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
from daten import werte
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


def gremium_beschliesst(kommune: object, art: str) -> bool:
    """True für die Arten, über die das Gremium selbst entscheidet (5.3: Fortbildung/Supervision/Teamentwicklung,
    in der Konfiguration eine Budgetkategorie mit `anteil_von`)."""
    return any(b.schluessel == art and b.anteil_von for b in kommune.budgetkategorien)


def lege_massnahme_an(session: Session, akteur: Akteur, *, protokollpunkt_id: int, titel: str, art: str,
                      kosten_geplant: float, beschlussvorlage: str | None = None, durchfuehrung: str | None = None,
                      jahr: int | None = None, ueberschreitung_grund: str | None = None) -> m.Massnahme:
    """Beantragt eine Maßnahme aus einem Protokollpunkt; Sozialraum, Sitzung und Jahr kommen aus der Sitzung.
    Arten, über die das Gremium selbst entscheidet (5.3), werden als Beschluss erfasst (`massnahme_beschliessen`).

    Ist für das Jahr im Sozialraum noch kein Budget der Art eingetragen: EingabeFehler „Für JAHR ist noch kein
    Budget eingetragen …“ (wer es einträgt steht in der Meldung)."""
    p = session.get(m.Protokollpunkt, protokollpunkt_id)
    if p is not None and gremium_beschliesst(kommune_der_sitzung(session), art):
        return massnahme_beschliessen(session, akteur, sitzung_id=p.sitzung_id, protokollpunkt_id=protokollpunkt_id,
                                      titel=titel, art=art, kosten_geplant=kosten_geplant,
                                      beschlussvorlage=beschlussvorlage, durchfuehrung=durchfuehrung, jahr=jahr)
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


def massnahme_beschliessen(session: Session, akteur: Akteur, *, sitzung_id: int, protokollpunkt_id: int,
                           titel: str, art: str, kosten_geplant: float, beschlussvorlage: str | None = None,
                           durchfuehrung: str | None = None, jahr: int | None = None) -> m.Massnahme:
    """5.3: das Gremium beschließt Fortbildung/Supervision/Teamentwicklung in eigener Verantwortung – erfasst mit der
    Sitzung und dem Protokollpunkt, in dem es beschlossen hat; Status „beschlossen“, keine Genehmigung der
    Teamleitung. Der harte Deckel (R12) gilt weiter (Datenschicht). Eintragen dürfen die Teamleitung ASD und die
    Protokollführung der Sitzung."""
    p = session.get(m.Protokollpunkt, protokollpunkt_id)
    if p is None or p.sitzung_id != sitzung_id:
        raise EingabeFehler(f"Protokollpunkt {protokollpunkt_id} gehört nicht zur Sitzung {sitzung_id}; der "
                            "Beschluss wird mit dem Punkt erfasst, in dem das Gremium ihn gefasst hat.")
    if not (titel or "").strip():
        raise EingabeFehler("Beschluss: bitte einen Titel angeben.")
    if kosten_geplant is None or kosten_geplant < 0:
        raise EingabeFehler("Beschluss: geplante Kosten bitte als Betrag ≥ 0 € angeben.")
    sz = p.sitzung
    jahr = int(jahr or sz.datum.year)
    pruefe_budget_eingetragen(session, kommune_der_sitzung(session), sozialraum_id=sz.sozialraum_id, jahr=jahr,
                              art=art)
    x = m.Massnahme(schluessel=f"massnahme-{uuid.uuid4().hex[:12]}", sozialraum_id=sz.sozialraum_id,
                    sitzung_id=sz.id, protokollpunkt=p, titel=titel.strip(), art=art,
                    beschlussvorlage=beschlussvorlage or None, durchfuehrung=(durchfuehrung or "").strip() or None,
                    kosten_geplant=float(kosten_geplant), status=werte.MASSNAHME_BESCHLOSSEN, genehmigt=False,
                    jahr=jahr)
    session.add(x)
    session.flush()
    return x


def massnahme_umsetzen(session: Session, akteur: Akteur, *, massnahme_id: int, kosten_ist: float,
                       umgesetzt_am: date, version: int | None,
                       ueberschreitung_grund: str | None = None) -> m.Massnahme:
    """Erfasst eine genehmigte oder vom Gremium beschlossene Maßnahme als umgesetzt: Ist-Kosten (≥ 0 €; höhere
    Ist-Kosten zählen gegen das Budget) und Datum (nicht in der Zukunft). Nur die Teamleitung ASD des Sozialraums
    (R10; Datenschicht); im Änderungsprotokoll festgehalten."""
    if kosten_ist is None or kosten_ist < 0:
        raise EingabeFehler("Ist-Kosten bitte als Betrag ≥ 0 € angeben.")
    if umgesetzt_am is None:
        raise EingabeFehler("Bitte das Datum der Umsetzung angeben.")
    if umgesetzt_am > date.today():
        raise EingabeFehler(f"Umgesetzt am {umgesetzt_am:%d.%m.%Y} liegt in der Zukunft; bitte das Datum angeben, an "
                            "dem die Maßnahme stattgefunden hat.")
    x = _lade(session, massnahme_id)
    pruefe_version(x, version)
    if x.status not in (werte.MASSNAHME_GENEHMIGT, werte.MASSNAHME_BESCHLOSSEN):
        raise EingabeFehler(f"„{x.titel}“ ist {werte.MASSNAHME_STATUS.get(x.status, x.status)}; als umgesetzt "
                            "erfasst wird eine genehmigte oder vom Gremium beschlossene Maßnahme.")
    x.status = werte.MASSNAHME_UMGESETZT
    x.kosten_ist = float(kosten_ist)
    x.umgesetzt_am = umgesetzt_am
    _grund(x, ueberschreitung_grund)
    session.flush()
    return x


def setze_umgesetzt(session: Session, akteur: Akteur, *, massnahme_id: int, kosten_ist: float,
                    ueberschreitung_grund: str | None = None, version: int | None = None) -> m.Massnahme:
    """Ältere Form von `massnahme_umsetzen` (Datum heute)."""
    return massnahme_umsetzen(session, akteur, massnahme_id=massnahme_id, kosten_ist=kosten_ist,
                              umgesetzt_am=date.today(), version=version, ueberschreitung_grund=ueberschreitung_grund)
