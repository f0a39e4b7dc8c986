"""Ergebnisprotokoll: Punkte je Frage mit Handlungsebene, Bezügen (Einrichtungen, Netzwerke, Stadtteile) und
fehlenden Ressourcen als Punkte (EPSG:4326); Lesen nur für die, die es dürfen (R8, `darf_protokoll_lesen`).

Datenschutz (R3): vor dem Speichern prüft die Datenschicht den Text; Befunde müssen geändert oder mit
Begründung bestätigt werden (`datenschutz_grund` + bestätigte Befunde, beides im Änderungsprotokoll).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from daten import modelle as m
from daten.fehler import EingabeFehler, RechteFehler
from daten.gremium.datenschutz import befund_schluessel, pruefe_text
from daten.gremium.sitzungen import lade_sitzung, pruefe_version
from daten.politik import Akteur, darf_protokoll_lesen

PUNKT_SPALTEN = ["id", "frage", "handlungsebene", "text", "fallbesprechung", "anonymisiert",
                 "schweigepflichtentbindung", "einrichtung_ids", "einrichtungen", "netzwerk_ids", "netzwerke",
                 "stadtteil_ids", "stadtteile", "fehlende_ressourcen", "datenschutz_grund", "version"]
FEHLEND_SPALTEN = ["id", "bezeichnung", "protokollpunkt_id", "sitzung_id", "datum", "sozialraum_id", "sozialraum"]


def pruefe_leserecht(akteur: Akteur | None, sitzung: m.Sitzung) -> None:
    """RechteFehler, wenn `akteur` das Protokoll dieser Sitzung nicht lesen darf (Verteiler, R8)."""
    if not darf_protokoll_lesen(akteur, sitzung.sozialraum_id):
        raise RechteFehler("Dieses Protokoll lesen nur die Personen auf dem Verteiler des Gremiums "
                           "(Teamleitung und Mitglieder des Sozialraums, Jugendhilfeplanung). Bitte anmelden.")


def speichere_punkt(session: Session, akteur: Akteur, sitzung_id: int, *, frage: int, handlungsebene: str,
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


def setze_fehlende_ressource(session: Session, akteur: Akteur, punkt_id: int, *, bezeichnung: str, lon: float,
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


def punkte(session: Session, sitzung_id: int, *, akteur: Akteur | None) -> pd.DataFrame:
    """Die Protokollpunkte einer Sitzung (Spalten PUNKT_SPALTEN) – nur für Lesende auf dem Verteiler."""
    sz = lade_sitzung(session, sitzung_id)
    pruefe_leserecht(akteur, sz)
    q = (select(m.Protokollpunkt).where(m.Protokollpunkt.sitzung_id == sitzung_id)
         .options(selectinload(m.Protokollpunkt.bezug), selectinload(m.Protokollpunkt.netzwerke),
                  selectinload(m.Protokollpunkt.stadtteile), selectinload(m.Protokollpunkt.fehlende_ressourcen))
         .order_by(m.Protokollpunkt.frage, m.Protokollpunkt.id))
    zeilen = []
    for p in session.scalars(q):
        zeilen.append({
            "id": p.id, "frage": p.frage, "handlungsebene": p.handlungsebene, "text": p.text,
            "fallbesprechung": p.fallbesprechung, "anonymisiert": p.anonymisiert,
            "schweigepflichtentbindung": p.schweigepflichtentbindung,
            "einrichtung_ids": [e.id for e in p.bezug], "einrichtungen": ", ".join(e.name for e in p.bezug),
            "netzwerk_ids": [n.id for n in p.netzwerke], "netzwerke": ", ".join(n.name for n in p.netzwerke),
            "stadtteil_ids": [s.id for s in p.stadtteile], "stadtteile": ", ".join(s.name for s in p.stadtteile),
            "fehlende_ressourcen": ", ".join(f.bezeichnung for f in p.fehlende_ressourcen),
            "datenschutz_grund": p.datenschutz_grund or "", "version": p.version,
        })
    return pd.DataFrame(zeilen, columns=PUNKT_SPALTEN)


def fehlende_ressourcen(*, session: Session, sozialraum_id: int | None = None) -> gpd.GeoDataFrame:
    """Fehlende Ressourcen (Frage 6) als Punkte in EPSG:4326 – eigene Kartenebene.

    Spalten FEHLEND_SPALTEN + geometry; nur die Kurzbezeichnung, nie der Protokolltext (den lesen nur
    Berechtigte), daher für alle Kartennutzenden geeignet.
    """
    q = (select(m.FehlendeRessource, m.Protokollpunkt.sitzung_id, m.Sitzung.datum, m.Sitzung.sozialraum_id,
                m.Sozialraum.name)
         .join(m.Protokollpunkt, m.FehlendeRessource.protokollpunkt_id == m.Protokollpunkt.id)
         .join(m.Sitzung, m.Protokollpunkt.sitzung_id == m.Sitzung.id)
         .join(m.Sozialraum, m.Sitzung.sozialraum_id == m.Sozialraum.id)
         .order_by(m.Sitzung.datum, m.FehlendeRessource.id))
    if sozialraum_id is not None:
        q = q.where(m.Sitzung.sozialraum_id == sozialraum_id)
    zeilen = [{"id": f.id, "bezeichnung": f.bezeichnung, "protokollpunkt_id": f.protokollpunkt_id,
               "sitzung_id": sid, "datum": datum, "sozialraum_id": srid, "sozialraum": name, "geometry": f.geometrie}
              for f, sid, datum, srid, name in session.execute(q)]
    df = pd.DataFrame(zeilen, columns=[*FEHLEND_SPALTEN, "geometry"])
    return gpd.GeoDataFrame(df, geometry="geometry", crs="EPSG:4326")


def verteiler(kommune: Any, sitzung: m.Sitzung) -> list[str]:
    """Verteiler des Ergebnisprotokolls (R8): Konfiguration (3.2.3), Teilnehmende namentlich eingesetzt."""
    liste: list[str] = []
    for eintrag in kommune.verteiler.protokoll:
        if eintrag.lower().startswith("teilnehmer"):
            liste += [f"{t['name']} ({t['bereich']})" for t in sitzung.teilnehmende or []] or [eintrag]
        else:
            liste.append(eintrag)
    return liste
