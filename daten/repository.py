"""Lesezugriffe, die GeoDataFrames (EPSG:4326) für Karte, Analysen und Export liefern.

Dieselben Abfragen laufen auf SQLite und PostGIS; der Geometrietyp `Geo` liefert Shapely-Objekte.
"""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from daten import modelle as m
from daten.config import Kommune
from daten.dienste.sitzungen import stufen_am

CRS = "EPSG:4326"


def _gdf(zeilen: list[dict], spalten: list[str], geometrie: str = "geometry") -> gpd.GeoDataFrame:
    df = pd.DataFrame(zeilen, columns=[*spalten, geometrie])
    return gpd.GeoDataFrame(df, geometry=geometrie, crs=CRS)


def stadtteile(*, session: Session) -> gpd.GeoDataFrame:
    """Stadtteile: id, name, nummer (amtlich, aus der Konfiguration), sozialraum, sozialraum_id, quelle, geometry."""
    q = select(m.Stadtteil, m.Sozialraum.name).join(m.Sozialraum).order_by(m.Sozialraum.reihenfolge, m.Stadtteil.name)
    zeilen = [
        {"id": st.id, "name": st.name, "nummer": st.nummer, "sozialraum": sr, "sozialraum_id": st.sozialraum_id,
         "quelle": st.quelle, "geometry": st.geometrie}
        for st, sr in session.execute(q)
    ]
    return _gdf(zeilen, ["id", "name", "nummer", "sozialraum", "sozialraum_id", "quelle"])


def sozialraeume(*, session: Session) -> gpd.GeoDataFrame:
    """Sozialräume: id, name, stufe, teamleitung, stadtteile, geometry = Vereinigung ihrer Stadtteile."""
    st = stadtteile(session=session)
    zeilen = []
    for sr in session.scalars(select(m.Sozialraum).order_by(m.Sozialraum.reihenfolge)):
        teile = st[st["sozialraum_id"] == sr.id]
        geo = teile.geometry.dropna()
        zeilen.append({
            "id": sr.id, "name": sr.name, "stufe": sr.stufe, "teamleitung": sr.teamleitung,
            "stadtteile": ", ".join(teile["name"]),
            "geometry": shapely.union_all(geo.values) if len(geo) else None,
        })
    return _gdf(zeilen, ["id", "name", "stufe", "teamleitung", "stadtteile"])


def einrichtungen(*, session: Session, kommune: Kommune, stichtag: date | None = None,
                  frische_monate: int = 12, gremium_am: date | None = None) -> gpd.GeoDataFrame:
    """Einrichtungen mit Stadtteil, Sozialraum, Netzwerken und Gremiumszugehörigkeit (R2).

    `stichtag`: nur Einrichtungen, die an diesem Tag gültig sind (gültig_von/-bis); sonst alle aktiven.
    `frische` (aktuell / bald fällig / überfällig) misst `bestaetigt_am` gegen heute und `frische_monate`.
    `im_gremium` folgt der Stufe, die am `gremium_am` gilt (Standard: `stichtag`, sonst heute) – nach den
    Stufenbeschlüssen des Gremiums, ohne Beschluss nach der Stufe des Sozialraums. Eine Einrichtung, die an dem
    Tag geschlossen (gültig_bis davor) oder noch nicht eröffnet ist, sitzt nie im Gremium.
    """
    from daten.dienste.frische import frische_stufe

    heute = date.today()
    netz: dict[int, list[str]] = {}
    for _nid, eid, name in session.execute(
        select(m.Netzwerk.id, m.netzwerk_mitglied.c.einrichtung_id, m.Netzwerk.name).join(
            m.netzwerk_mitglied, m.netzwerk_mitglied.c.netzwerk_id == m.Netzwerk.id).order_by(m.Netzwerk.name)
    ):
        netz.setdefault(eid, []).append(name)
    tag = gremium_am or stichtag or date.today()
    stufe = stufen_am(session, tag)
    q = (select(m.Einrichtung, m.Stadtteil.name, m.Sozialraum.name, m.Sozialraum.id)
         .join(m.Stadtteil, m.Einrichtung.stadtteil_id == m.Stadtteil.id).join(m.Sozialraum)
         .where(m.Einrichtung.aktiv.is_(True)).order_by(m.Einrichtung.id))
    arten = {a.schluessel: a for a in kommune.einrichtungsarten}
    zeilen = []
    for e, st_name, sr_name, sr_id in session.execute(q):
        if stichtag and not ((e.gueltig_von is None or e.gueltig_von <= stichtag)
                             and (e.gueltig_bis is None or e.gueltig_bis >= stichtag)):
            continue
        art = arten.get(e.art)
        ab_stufe = art.stufe_fuer(e.traeger_art) if art else None
        offen = (e.gueltig_von is None or e.gueltig_von <= tag) and (e.gueltig_bis is None or e.gueltig_bis >= tag)
        zeilen.append({
            "id": e.id, "schluessel": e.schluessel, "name": e.name, "art": e.art,
            "art_bezeichnung": art.bezeichnung if art else e.art, "traeger_art": e.traeger_art,
            "traeger": e.traeger or "", "adresse": e.adresse or "", "zielgruppen": ", ".join(e.zielgruppen or []),
            "angebote": "; ".join(e.angebote or []),
            "kapazitaet": float(e.kapazitaet) if e.kapazitaet is not None else float("nan"),
            "gueltig_von": e.gueltig_von, "gueltig_bis": e.gueltig_bis, "stadtteil": st_name, "sozialraum": sr_name,
            "netzwerke": ", ".join(netz.get(e.id, [])), "gremium_ab_stufe": ab_stufe,
            "im_gremium": offen and ab_stufe is not None and ab_stufe <= stufe.get(sr_id, 1), "version": e.version,
            "bestaetigt_am": e.bestaetigt_am,
            "frische": frische_stufe(e.bestaetigt_am, heute=heute, monate=frische_monate),
            "geometry": e.geometrie,
        })
    spalten = ["id", "schluessel", "name", "art", "art_bezeichnung", "traeger_art", "traeger", "adresse",
               "zielgruppen", "angebote", "kapazitaet", "gueltig_von", "gueltig_bis", "stadtteil", "sozialraum",
               "netzwerke", "gremium_ab_stufe", "im_gremium", "version", "bestaetigt_am", "frische"]
    return _gdf(zeilen, spalten)


def _netzwerke_mit_mitgliedern():  # noqa: ANN202
    # Mitglieder und Sozialraum in zwei Abfragen statt je Netzwerk einzeln
    return (select(m.Netzwerk).options(selectinload(m.Netzwerk.mitglieder), selectinload(m.Netzwerk.sozialraum))
            .order_by(m.Netzwerk.name))


def netzwerke(*, session: Session) -> gpd.GeoDataFrame:
    """Netzwerke: id, name, status, sozialraum, mitglieder (Anzahl, Namen), geometry = MultiPoint der Mitglieder."""
    zeilen = []
    for n in session.scalars(_netzwerke_mit_mitgliedern()):
        pkt = [e.geometrie for e in n.mitglieder if e.aktiv]
        zeilen.append({
            "id": n.id, "name": n.name, "status": n.status, "sozialraum": n.sozialraum.name if n.sozialraum else "",
            "beschreibung": n.beschreibung or "", "anzahl_mitglieder": len(pkt),
            "mitglieder": ", ".join(e.name for e in n.mitglieder if e.aktiv),
            "geometry": shapely.MultiPoint(pkt) if pkt else None,
        })
    return _gdf(zeilen, ["id", "name", "status", "sozialraum", "beschreibung", "anzahl_mitglieder", "mitglieder"])


def netzwerk_kanten(*, session: Session, einrichtungen_gdf: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Verbindungen zwischen Mitgliedern je Netzwerk (Stern um das erste Mitglied): LineStrings in EPSG:4326.

    Mit `einrichtungen_gdf` nur Verbindungen zwischen dort enthaltenen Einrichtungen (z. B. Stichtag).
    """
    erlaubt = set(einrichtungen_gdf["id"]) if einrichtungen_gdf is not None else None
    zeilen = []
    for n in session.scalars(_netzwerke_mit_mitgliedern()):
        glieder = [e for e in n.mitglieder if e.aktiv and (erlaubt is None or e.id in erlaubt)]
        if len(glieder) < 2:
            continue
        mitte, *rest = glieder
        for e in rest:
            zeilen.append({
                "netzwerk_id": n.id, "netzwerk": n.name, "status": n.status,
                "sozialraum": n.sozialraum.name if n.sozialraum else "", "von": mitte.name, "nach": e.name,
                "geometry": shapely.LineString([mitte.geometrie, e.geometrie]),
            })
    return _gdf(zeilen, ["netzwerk_id", "netzwerk", "status", "sozialraum", "von", "nach"])


def indikatoren(*, session: Session) -> pd.DataFrame:
    """Indikatorwerte: stadtteil, sozialraum, jahr, merkmal, wert, quelle."""
    q = (select(m.Stadtteil.name, m.Sozialraum.name, m.Indikatorwert.jahr, m.Indikatorwert.merkmal,
                m.Indikatorwert.wert, m.Indikatorwert.quelle)
         .join(m.Stadtteil, m.Indikatorwert.stadtteil_id == m.Stadtteil.id).join(m.Sozialraum)
         .order_by(m.Stadtteil.name, m.Indikatorwert.jahr, m.Indikatorwert.merkmal))
    return pd.DataFrame(session.execute(q).all(),
                        columns=["stadtteil", "sozialraum", "jahr", "merkmal", "wert", "quelle"])


def tabelle(modell: type[m.Basis], *, session: Session) -> pd.DataFrame:
    """Eine Tabelle ohne Geometrie als DataFrame (für CSV/XLSX-Export)."""
    # Geheime Spalten (Passwort-Hash, info["geheim"]) verlassen die Datenschicht nie.
    spalten = [c.key for c in modell.__mapper__.column_attrs
               if c.key != "geometrie" and not c.columns[0].info.get("geheim")]
    zeilen = [{k: getattr(o, k) for k in spalten} for o in session.scalars(select(modell).order_by(modell.id))]
    return pd.DataFrame(zeilen, columns=spalten)
