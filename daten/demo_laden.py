"""Schreibt die erzeugten Demo-Daten (`daten.demo.erzeuge_demo`) in die Datenbank."""

from __future__ import annotations

import geopandas as gpd
from sqlalchemy import select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten.config import Kommune
from daten.demo import erzeuge_demo
from daten.laden import stadtteil_fuer_punkte


def lade_demo(s: Session, kommune: Kommune) -> None:
    """Lädt alle Demo-Daten in der laufenden Transaktion (Aufrufer committet)."""
    demo = erzeuge_demo(kommune)
    stadtteile = {st.name: st for st in s.scalars(select(m.Stadtteil))}
    sozialraeume = {sr.name: sr for sr in s.scalars(select(m.Sozialraum))}
    for d in demo.sozialraeume:  # aktuelle Stufe und (fiktive) Teamleitung je Gremium
        if d["name"] in sozialraeume:
            sozialraeume[d["name"]].stufe = d["stufe"]
            sozialraeume[d["name"]].teamleitung = d["teamleitung"]
    for d in demo.stadtteile:
        stadtteile[d["name"]].geometrie = d["geometry"]
        stadtteile[d["name"]].quelle = "Demo-Geometrie (schematisch, vom Projekt gezeichnet)"
    s.flush()

    einr = _einrichtungen(s, demo.einrichtungen, stadtteile)
    for d in demo.indikatoren:
        s.add(m.Indikatorwert(stadtteil_id=stadtteile[d["stadtteil"]].id, jahr=d["jahr"], merkmal=d["merkmal"],
                              wert=float(d["wert"]), quelle=d.get("quelle")))
    for d in demo.netzwerke:
        sr = sozialraeume.get(d["sozialraum"]) if d.get("sozialraum") else None
        s.add(m.Netzwerk(schluessel=d["schluessel"], name=d["name"], status=d["status"], sozialraum=sr,
                         beschreibung=d.get("beschreibung"), mitglieder=[einr[k] for k in d["mitglieder"]]))
    sitzungen = _sitzungen(s, demo.sitzungen, sozialraeume, einr)
    for d in demo.massnahmen:
        s.add(m.Massnahme(
            schluessel=d["schluessel"], sozialraum=sozialraeume[d["sozialraum"]],
            sitzung_id=sitzungen[d["sitzung"]].id if d.get("sitzung") else None, titel=d["titel"], art=d["art"],
            beschlussvorlage=d.get("beschlussvorlage"), kosten_geplant=d["kosten_geplant"],
            kosten_ist=d.get("kosten_ist"), durchfuehrung=d.get("durchfuehrung"), genehmigt=d["genehmigt"],
            status=d["status"], jahr=d["jahr"]))
    for d in demo.budgets:
        s.add(m.Budget(sozialraum=sozialraeume[d["sozialraum"]], jahr=d["jahr"], kategorie=d["kategorie"],
                       betrag_eur=d["betrag_eur"]))
    for d in demo.hospitationen:
        s.add(m.Hospitation(von=einr[d["von"]], nach=einr[d["nach"]], datum=d["datum"], bereich=d.get("bereich")))
    for d in demo.reflexionen:
        s.add(m.Reflexion(jahr=d["jahr"], datum=d.get("datum"), teilnehmende=d.get("teilnehmende"),
                          ergebnisse=d.get("ergebnisse")))
    s.flush()


def _einrichtungen(s: Session, daten: list[dict], stadtteile: dict[str, m.Stadtteil]) -> dict[str, m.Einrichtung]:
    # Zuordnung über die Geometrie, nicht über den mitgelieferten Namen: so gilt sie auch für Importe.
    st_gdf = gpd.GeoDataFrame(
        {"name": list(stadtteile)}, geometry=[st.geometrie for st in stadtteile.values()], crs=4326)
    pkt = gpd.GeoDataFrame(geometry=[d["geometry"] for d in daten], crs=4326)
    zuordnung = stadtteil_fuer_punkte(pkt, st_gdf)
    ergebnis: dict[str, m.Einrichtung] = {}
    for d, st_name in zip(daten, zuordnung, strict=True):
        e = m.Einrichtung(
            schluessel=d["schluessel"], name=d["name"], art=d["art"], traeger_art=d["traeger_art"],
            traeger=d.get("traeger"), adresse=d.get("adresse"), zielgruppen=list(d.get("zielgruppen") or []),
            angebote=list(d.get("angebote") or []), kapazitaet=d.get("kapazitaet"),
            gueltig_von=d.get("gueltig_von"), gueltig_bis=d.get("gueltig_bis"), aktiv=True,
            stadtteil=stadtteile[st_name or d["stadtteil"]], geometrie=d["geometry"],
            quelle="Demo-Daten, fiktiv")
        s.add(e)
        ergebnis[d["schluessel"]] = e
    s.flush()
    return ergebnis


def _sitzungen(s: Session, daten: list[dict], sozialraeume: dict[str, m.Sozialraum],
               einr: dict[str, m.Einrichtung]) -> dict[str, m.Sitzung]:
    ergebnis: dict[str, m.Sitzung] = {}
    for d in daten:
        sz = m.Sitzung(
            schluessel=d["schluessel"], sozialraum=sozialraeume[d["sozialraum"]], datum=d["datum"],
            ort=einr.get(d.get("ort")), protokollfuehrung=d.get("protokollfuehrung"), status=d["status"],
            teilnehmende=list(d.get("teilnehmende") or []))
        for p in d.get("punkte") or []:
            sz.punkte.append(m.Protokollpunkt(
                frage=p["frage"], handlungsebene=p["handlungsebene"], text=p["text"],
                fallbesprechung=p.get("fallbesprechung", False), anonymisiert=p.get("anonymisiert", False),
                schweigepflichtentbindung=p.get("schweigepflichtentbindung", False),
                bezug=[einr[k] for k in p.get("bezug") or []]))
        s.add(sz)
        ergebnis[d["schluessel"]] = sz
    s.flush()
    return ergebnis
