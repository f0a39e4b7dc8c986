"""Schreibt die erzeugten Demo-Daten (`daten.demo.erzeuge_demo`) in die Datenbank."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import geopandas as gpd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten import politik
from daten.config import Kommune
from daten.demo import erzeuge_demo
from daten.demo_gremium import lade_gremium
from daten.dienste.konten import synchronisiere_teamleitung
from daten.fehler import EingabeFehler
from daten.geometrie import ordne_stadtteile


def echte_daten(s: Session) -> dict[str, int]:
    """Was in der Datenbank nicht von `init` oder der Demo stammt: Bezeichnung → Anzahl (nur > 0)."""
    zahlen = {
        "Stadtteil-Geometrien": s.scalar(select(func.count()).where(m.Stadtteil.geometrie.is_not(None))),
        "Benutzerkonten": s.scalar(select(func.count()).select_from(m.Benutzer).where(
            m.Benutzer.demo.is_(False), m.Benutzer.login != "admin")),
    }
    for name, modell in (("Einrichtungen", m.Einrichtung), ("Netzwerke", m.Netzwerk), ("Sitzungen", m.Sitzung),
                         ("Maßnahmen", m.Massnahme), ("Budgets", m.Budget), ("Indikatorwerte", m.Indikatorwert),
                         ("Hospitationen", m.Hospitation), ("Reflexionen", m.Reflexion)):
        zahlen[name] = s.scalar(select(func.count()).select_from(modell))
    return {k: int(v) for k, v in zahlen.items() if v}


def pruefe_demo_erlaubt(s: Session, kommune: Kommune) -> None:
    """Demo-Daten nur in eine leere Datenbank oder eine, die schon die Demo hält; sonst EingabeFehler."""
    k = s.scalar(select(m.Kommune).where(m.Kommune.name == kommune.name))
    if k is not None and k.demo_geladen:
        return
    echt = echte_daten(s)
    if echt:
        was = ", ".join(f"{n} {name}" for name, n in echt.items())
        raise EingabeFehler(
            f"Die Datenbank enthält bereits eigene Daten ({was}); Demo-Daten werden nur in eine leere oder reine "
            "Demo-Datenbank geladen, damit nichts Echtes überschrieben wird. Für die Demo bitte eine eigene "
            "Datenbank verwenden, z. B. RESSOURCENKARTE_DB_URL=sqlite:///$HOME/ressourcenkarte-demo.db "
            "ressourcenkarte init --demo")


def lade_demo(s: Session, kommune: Kommune, *, stichtag: date | None = None) -> None:
    """Lädt alle Demo-Daten in der laufenden Systemsitzung (`daten.db.systemsitzung`; Aufrufer committet).

    Nur in eine leere Datenbank: vorhandene eigene Daten (z. B. amtliche Stadtteilgrenzen) werden nie
    überschrieben (`pruefe_demo_erlaubt`). `stichtag` (Standard: heute) legt die Jahre der Demo fest
    (`daten.demo.demo_jahre`).
    """
    pruefe_demo_erlaubt(s, kommune)
    demo = erzeuge_demo(kommune, stichtag=stichtag)
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

    einr = _einrichtungen(s, demo.einrichtungen, stadtteile, kommune, demo.stichtag)
    for d in demo.indikatoren:
        s.add(m.Indikatorwert(stadtteil_id=stadtteile[d["stadtteil"]].id, jahr=d["jahr"], merkmal=d["merkmal"],
                              wert=float(d["wert"]), quelle=d.get("quelle")))
    for d in demo.netzwerke:
        sr = sozialraeume.get(d["sozialraum"]) if d.get("sozialraum") else None
        s.add(m.Netzwerk(schluessel=d["schluessel"], name=d["name"], status=d["status"], sozialraum=sr,
                         beschreibung=d.get("beschreibung"), mitglieder=[einr[k] for k in d["mitglieder"]]))
    lade_gremium(s, demo, sozialraeume, stadtteile, einr)
    s.flush()
    for d in demo.sozialraeume:  # die Demo-Konten der Teamleitungen tragen den fiktiven Namen aus den Sitzungen
        sr = sozialraeume[d["name"]]
        if d.get("teamleitung"):
            for b in s.scalars(select(m.Benutzer).where(m.Benutzer.rolle == politik.TEAMLEITUNG,
                                                        m.Benutzer.demo.is_(True),
                                                        m.Benutzer.sozialraum_id == sr.id)):
                b.anzeigename = d["teamleitung"]
        synchronisiere_teamleitung(s, sr.id)  # Name der Teamleitung (Konto) am Sozialraum


def _demo_bestaetigt(schluessel: str, stichtag: date) -> date:
    """Fiktives letztes Prüfdatum: 0–18 Monate vor dem Demo-Stichtag, fest je Schlüssel (etwa ein Drittel
    älter als zwölf Monate, damit die Frische-Liste der Teamleitung etwas zeigt)."""
    tage = int(hashlib.sha256(schluessel.encode()).hexdigest()[:8], 16) % 540
    return stichtag - timedelta(days=tage)


def _einrichtungen(s: Session, daten: list[dict], stadtteile: dict[str, m.Stadtteil],
                   kommune: Kommune, stichtag: date) -> dict[str, m.Einrichtung]:
    # Zuordnung über die Geometrie nach derselben Regel wie Import und Pflege (daten.geometrie),
    # nicht über den mitgelieferten Namen.
    st_gdf = gpd.GeoDataFrame({"id": [st.id for st in stadtteile.values()], "name": list(stadtteile)},
                              geometry=[st.geometrie for st in stadtteile.values()], crs=4326)
    zuordnung = ordne_stadtteile(gpd.GeoSeries([d["geometry"] for d in daten], crs=4326), st_gdf, kommune=kommune)
    ergebnis: dict[str, m.Einrichtung] = {}
    for d, st_name in zip(daten, zuordnung["stadtteil"], strict=True):
        if st_name is None:  # die Demo setzt jeden Punkt 30 m innerhalb seines Stadtteils: sonst ein Fehler im Code
            raise ValueError(f"Demo-Einrichtung {d['schluessel']} liegt in keinem Stadtteil")
        e = m.Einrichtung(
            schluessel=d["schluessel"], name=d["name"], art=d["art"], traeger_art=d["traeger_art"],
            traeger=d.get("traeger"), adresse=d.get("adresse"), zielgruppen=list(d.get("zielgruppen") or []),
            angebote=list(d.get("angebote") or []), kapazitaet=d.get("kapazitaet"),
            gueltig_von=d.get("gueltig_von"), gueltig_bis=d.get("gueltig_bis"), aktiv=True,
            stadtteil=stadtteile[st_name], geometrie=d["geometry"],
            quelle="Demo-Daten, fiktiv", bestaetigt_am=_demo_bestaetigt(d["schluessel"], stichtag))
        s.add(e)
        ergebnis[d["schluessel"]] = e
    s.flush()
    return ergebnis
