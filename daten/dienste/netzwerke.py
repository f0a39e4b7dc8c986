"""Netzwerke pflegen (Fragen 7 und 8): anlegen, umbenennen, Status, Mitglieder, koordinierende Einrichtung.

Ein Netzwerk gehört zu einem Sozialraum (oder ist stadtweit – dann pflegt es nur die Administration).
Mitglieder dürfen auch aus anderen Sozialräumen kommen (z. B. eine Beratungsstelle für mehrere Gebiete).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from daten import modelle as m
from daten.dienste._gemeinsam import lade, pruefe_recht, text_oder_none
from daten.fehler import EingabeFehler
from daten.politik import Akteur

NETZWERK_STATUS = {"besteht": "besteht (Frage 7)", "soll entwickelt werden": "soll entwickelt werden (Frage 8)"}
_FELDER = ("name", "status", "beschreibung", "koordination_id")


def _pruefe(werte: dict[str, Any]) -> dict[str, Any]:
    aus = dict(werte)
    if "name" in aus:
        aus["name"] = text_oder_none(aus["name"], feld="Name", hoechstens=300)
        if not aus["name"]:
            raise EingabeFehler("Feld „Name“ ist leer. Bitte einen Namen für das Netzwerk eingeben.")
    if "status" in aus and aus["status"] not in NETZWERK_STATUS:
        raise EingabeFehler(f"Status „{aus['status']}“ ist unbekannt. Erlaubt: {', '.join(NETZWERK_STATUS)}.")
    if "beschreibung" in aus:
        aus["beschreibung"] = text_oder_none(aus["beschreibung"], feld="Beschreibung", hoechstens=5000)
    return aus


def _einrichtungen(session: Session, ids: Iterable[int]) -> list[m.Einrichtung]:
    ids = list(dict.fromkeys(int(i) for i in ids))
    if not ids:
        return []
    gefunden = {e.id: e for e in session.scalars(select(m.Einrichtung).where(m.Einrichtung.id.in_(ids)))}
    fehlt = [i for i in ids if i not in gefunden]
    if fehlt:
        raise EingabeFehler(f"Einrichtung(en) Nr. {', '.join(map(str, fehlt))} gibt es nicht (mehr). Bitte neu laden.")
    return [gefunden[i] for i in ids]


def _bestaetigt(n: m.Netzwerk, akteur: Akteur) -> None:
    n.bestaetigt_am = date.today()
    n.bestaetigt_von = akteur.login
    # Mitgliedschaften liegen in einer Zwischentabelle ohne eigene Version: die Zeile des Netzwerks wird
    # trotzdem geschrieben, damit der Versionszähler steigt (Konflikterkennung) und das Protokoll eine Zeile hat.
    flag_modified(n, "bestaetigt_von")


def lege_netzwerk_an(session: Session, akteur: Akteur, *, name: str, status: str, sozialraum_id: int | None,
                     beschreibung: str | None = None, mitglieder: Iterable[int] = (),
                     koordination_id: int | None = None, schluessel: str | None = None) -> m.Netzwerk:
    """Neues Netzwerk im Sozialraum `sozialraum_id` (None = stadtweit); Mitglieder als Einrichtungs-ids."""
    werte = _pruefe({"name": name, "status": status, "beschreibung": beschreibung})
    if sozialraum_id is not None and session.get(m.Sozialraum, sozialraum_id) is None:
        raise EingabeFehler(f"Sozialraum Nr. {sozialraum_id} gibt es nicht.")
    pruefe_recht(session, akteur, tabelle="netzwerk", sozialraum_id=sozialraum_id, was="ein Netzwerk anzulegen")
    glieder = _einrichtungen(session, [*mitglieder, *([koordination_id] if koordination_id else [])])
    n = m.Netzwerk(**werte, schluessel=schluessel or f"pflege-netz-{uuid.uuid4().hex[:12]}",
                   sozialraum_id=sozialraum_id, mitglieder=glieder, koordination_id=koordination_id)
    _bestaetigt(n, akteur)
    session.add(n)
    session.flush()
    return n


def _lade_zum_schreiben(session: Session, akteur: Akteur, netzwerk_id: int, version: int | None,
                        was: str) -> m.Netzwerk:
    n = lade(session, m.Netzwerk, netzwerk_id, version=version)
    pruefe_recht(session, akteur, tabelle="netzwerk", sozialraum_id=n.sozialraum_id, was=f"{was} „{n.name}“")
    return n


def aendere_netzwerk(session: Session, akteur: Akteur, *, netzwerk_id: int, version: int | None,
                     **aenderungen: Any) -> m.Netzwerk:
    """Ändert name, status, beschreibung, koordination_id (die Koordination wird dabei Mitglied)."""
    unbekannt = sorted(set(aenderungen) - set(_FELDER))
    if unbekannt:
        raise EingabeFehler(f"Unbekannte Felder: {', '.join(unbekannt)}. Bearbeitbar: {', '.join(_FELDER)}.")
    n = _lade_zum_schreiben(session, akteur, netzwerk_id, version, "das Ändern von")
    werte = _pruefe(aenderungen)
    if werte.get("koordination_id") is not None:
        (koord,) = _einrichtungen(session, [werte["koordination_id"]])
        if koord not in n.mitglieder:
            n.mitglieder.append(koord)
    for k, v in werte.items():
        if getattr(n, k) != v:
            setattr(n, k, v)
    _bestaetigt(n, akteur)
    session.flush()
    return n


def setze_mitglieder(session: Session, akteur: Akteur, *, netzwerk_id: int, version: int | None,
                     hinzu: Iterable[int] = (), weg: Iterable[int] = ()) -> m.Netzwerk:
    """Mitglieder hinzufügen/entfernen (Einrichtungs-ids); die koordinierende Einrichtung bleibt Mitglied."""
    n = _lade_zum_schreiben(session, akteur, netzwerk_id, version, "die Mitglieder von")
    weg_ids = {int(i) for i in weg}
    if n.koordination_id in weg_ids:
        raise EingabeFehler("Die koordinierende Einrichtung kann nicht entfernt werden. Bitte zuerst eine andere "
                            "Koordination wählen.")
    vorhanden = {e.id for e in n.mitglieder}
    for e in _einrichtungen(session, [i for i in hinzu if int(i) not in vorhanden]):
        n.mitglieder.append(e)
    for e in [e for e in n.mitglieder if e.id in weg_ids]:
        n.mitglieder.remove(e)
    _bestaetigt(n, akteur)
    session.flush()
    return n


def bestaetige_netzwerk(session: Session, akteur: Akteur, *, netzwerk_id: int, version: int) -> m.Netzwerk:
    """„Stimmt noch“: Bestätigungsdatum auf heute."""
    n = _lade_zum_schreiben(session, akteur, netzwerk_id, version, "das Bestätigen von")
    _bestaetigt(n, akteur)
    session.flush()
    return n


def speichere_netzwerk(session: Session, akteur: Akteur, *, netzwerk_id: int, version: int,
                       mitglieder: Iterable[int] | None = None, **aenderungen: Any) -> m.Netzwerk:
    """Formular eines Netzwerks in einer Transaktion: Felder (wie `aendere_netzwerk`) und die ganze Mitgliederliste."""
    n = _lade_zum_schreiben(session, akteur, netzwerk_id, version, "das Ändern von")
    if aenderungen:
        aendere_netzwerk(session, akteur, netzwerk_id=netzwerk_id, version=None, **aenderungen)
    if mitglieder is not None:
        soll = list(dict.fromkeys(int(i) for i in mitglieder))
        if n.koordination_id is not None and n.koordination_id not in soll:
            soll.append(n.koordination_id)
        ist = [e.id for e in n.mitglieder]
        hinzu, weg = [i for i in soll if i not in ist], [i for i in ist if i not in soll]
        if hinzu or weg:
            setze_mitglieder(session, akteur, netzwerk_id=netzwerk_id, version=None, hinzu=hinzu, weg=weg)
    return n


def netzwerke_im_bereich(session: Session, sozialraum_id: int | None) -> list[dict[str, Any]]:
    """Netzwerke eines Sozialraums (None = alle) mit Mitglieder-ids und -namen, für Formulare."""
    q = select(m.Netzwerk).order_by(m.Netzwerk.name)
    if sozialraum_id is not None:
        q = q.where(m.Netzwerk.sozialraum_id == sozialraum_id)
    return [{"id": n.id, "name": n.name, "status": n.status, "beschreibung": n.beschreibung,
             "sozialraum_id": n.sozialraum_id, "koordination_id": n.koordination_id, "version": n.version,
             "bestaetigt_am": n.bestaetigt_am, "mitglieder": {e.id: e.name for e in n.mitglieder}}
            for n in session.scalars(q)]
