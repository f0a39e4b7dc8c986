"""Ergebnisprotokoll: Punkte je Frage mit Handlungsebene, Bezügen (Einrichtungen, Netzwerke, Stadtteile) und
fehlenden Ressourcen als Punkte (EPSG:4326); Lesen nur für die, die es dürfen (R8, `darf_protokoll_lesen`).

Datenschutz (R3): vor dem Speichern prüft die Datenschicht den Text; Befunde müssen geändert oder mit
Begründung bestätigt werden (`datenschutz_grund` + bestätigte Befunde, beides im Änderungsprotokoll).
"""

from __future__ import annotations

from typing import Any

import shapely
from sqlalchemy.orm import Session

from daten import modelle as m
from daten.dienste.sitzungen import lade_sitzung, pruefe_version
from daten.fehler import EingabeFehler
from daten.gremium.datenschutz import befund_schluessel, pruefe_text
from daten.politik import Akteur


def speichere_punkt(session: Session, akteur: Akteur, *, sitzung_id: int, frage: int, handlungsebene: str,
                    text: str, fallbesprechung: bool = False, anonymisiert: bool = False,
                    schweigepflichtentbindung: bool = False, einrichtung_ids: list[int] = (),
                    netzwerk_ids: list[int] = (), stadtteil_ids: list[int] = (),
                    datenschutz_grund: str | None = None, bestaetigte_befunde: list[str] | None = None,
                    punkt_id: int | None = None, version: int | None = None) -> m.Protokollpunkt:
    """Legt einen Protokollpunkt an oder ändert ihn. Mit `datenschutz_grund` bestätigt die schreibende Person die
    Befunde der Datenschutzprüfung (Standard: die im Text gefundenen); ohne Grund lehnt die Datenschicht ab."""
    sz = lade_sitzung(session, sitzung_id)
    if punkt_id is None:
        p = m.Protokollpunkt(sitzung=sz)
        session.add(p)
    else:
        p = session.get(m.Protokollpunkt, punkt_id)
        if p is None or p.sitzung_id != sz.id:
            raise EingabeFehler(f"Protokollpunkt {punkt_id} gehört nicht zu Sitzung {sitzung_id}.")
        pruefe_version(p, version)
    p.frage, p.handlungsebene, p.text = int(frage), handlungsebene, (text or "").strip()
    p.fallbesprechung, p.anonymisiert = bool(fallbesprechung), bool(anonymisiert)
    p.schweigepflichtentbindung = bool(schweigepflichtentbindung)
    if (datenschutz_grund or "").strip():
        p.datenschutz_grund = datenschutz_grund.strip()
        p.datenschutz_befunde = sorted(bestaetigte_befunde if bestaetigte_befunde is not None
                                       else befund_schluessel(pruefe_text(p.text)))
    p.bezug = _alle(session, m.Einrichtung, einrichtung_ids, "Einrichtung")
    p.netzwerke = _alle(session, m.Netzwerk, netzwerk_ids, "Netzwerk")
    p.stadtteile = _alle(session, m.Stadtteil, stadtteil_ids, "Stadtteil")
    session.flush()
    return p


def _alle(session: Session, modell: type, ids: list[int], name: str) -> list:
    objekte = [session.get(modell, int(i)) for i in ids or []]
    if any(o is None for o in objekte):
        raise EingabeFehler(f"Bezug: ein gewähltes Objekt ({name}) gibt es nicht mehr. Bitte neu laden.")
    return objekte


def setze_fehlende_ressource(session: Session, akteur: Akteur, *, punkt_id: int, bezeichnung: str, lon: float,
                             lat: float) -> m.FehlendeRessource:
    """Verortet eine fehlende Ressource (Frage 6) als Punkt; `lon`/`lat` in Grad (EPSG:4326)."""
    p = session.get(m.Protokollpunkt, punkt_id)
    if p is None:
        raise EingabeFehler(f"Protokollpunkt {punkt_id} gibt es nicht.")
    f = m.FehlendeRessource(protokollpunkt=p, bezeichnung=(bezeichnung or "").strip(),
                            geometrie=shapely.Point(float(lon), float(lat)))
    session.add(f)
    session.flush()
    return f


def verteiler(kommune: Any, sitzung: m.Sitzung) -> list[str]:
    """Verteiler des Ergebnisprotokolls (R8): Konfiguration (3.2.3), Teilnehmende namentlich eingesetzt."""
    liste: list[str] = []
    for eintrag in kommune.verteiler.protokoll:
        if eintrag.lower().startswith("teilnehmer"):
            liste += [f"{t['name']} ({t['bereich']})" for t in sitzung.teilnehmende or []] or [eintrag]
        else:
            liste.append(eintrag)
    return liste
