"""Offene Daten: die öffentlichen Sichten `oeffentlich_*` auf beiden Backends und ihr Leser.

Die Sichten sind die **ganze** öffentliche Oberfläche (Datenbankrolle `rk_lesen`, pygeoapi, öffentliche Seite,
Downloads). Welche festen Spalten sie haben, steht in `daten.politik.OEFFENTLICH`; dazu kommen in den Sichten
der Stadtteile und Sozialräume je veröffentlichter Kennzahl eine Spalte (Merkmale und Bedarfsindex, die die
Kommune-Konfiguration unter `offene_daten` freigibt).

- `oeffentlich_einrichtungen`: offene Einrichtungen (heute gültig), eine Zeile je Einrichtung.
- `oeffentlich_stadtteile`, `oeffentlich_sozialraeume`: eine Zeile je Gebiet und Jahr mit Kennzahlen
  (ohne veröffentlichte Kennzahlen eine Zeile je Gebiet mit `jahr` NULL).
- `oeffentlich_netzwerke`: Netzwerke mit den Schlüsseln ihrer offenen Mitgliedseinrichtungen (nie Personen).

Kennzahlen rechnet Python (`analysen.offen`); `veroeffentliche` schreibt sie mit den Bezeichnungen aus der
Konfiguration in die Tabellen `offene_kennzahl`/`offene_bezeichnung` und legt die Sichten neu an. Die Sichten
entstehen außerdem nach jeder Migration (`daten/migrationen/env.py`) – vorher werden sie entfernt, damit eine
Migration Tabellen umbauen kann.

Geometrien: EPSG:4326 (lon, lat). PostGIS: Sozialräume als Vereinigung ihrer Stadtteile, Netzwerke als
Mehrfachpunkt ihrer Mitglieder. SQLite hat keine Geometriefunktionen: dort bleiben diese beiden Spalten in der
Sicht leer, `lies` bildet sie in Python (gleiches Ergebnis).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from daten import politik
from daten.fehler import DatenbankFehler, EingabeFehler
from daten.geometrie import SRID

SICHTEN: dict[str, str] = {
    "einrichtungen": "oeffentlich_einrichtungen",
    "stadtteile": "oeffentlich_stadtteile",
    "sozialraeume": "oeffentlich_sozialraeume",
    "netzwerke": "oeffentlich_netzwerke",
}
GEOMETRIE = "geometrie"
_BRAUCHT = {"einrichtung", "stadtteil", "sozialraum", "netzwerk", "netzwerk_mitglied", "offene_bezeichnung",
            "offene_kennzahl"}
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
OFFEN = ("coalesce(e.gueltig_bis, '9999-12-31') >= current_date "
         "AND coalesce(e.gueltig_von, '0001-01-01') <= current_date")


@dataclass(frozen=True)
class Kennzahl:
    """Eine veröffentlichte Kennzahl (Spalte der Gebietssichten): `art` zahl (Spalte wert) oder text."""

    schluessel: str
    bezeichnung: str
    einheit: str = ""
    art: str = "zahl"


# ------------------------------------------------------------------------------------------ Sichten (SQL)
def _liste(dialekt: str, spalte: str) -> str:
    """JSON-Liste (Zielgruppen, Angebote) als Text „a; b“."""
    if dialekt == "postgresql":
        return (f"(SELECT string_agg(x.w, '; ' ORDER BY x.i) FROM json_array_elements_text({spalte}) "
                "WITH ORDINALITY AS x(w, i))")
    return f"(SELECT group_concat(j.value, '; ') FROM json_each({spalte}) AS j)"


def _stand(dialekt: str) -> str:
    if dialekt == "postgresql":
        return "make_date(j.jahr, 12, 31)"
    return "CASE WHEN j.jahr IS NULL THEN NULL ELSE CAST(j.jahr AS TEXT) || '-12-31' END"


def _geo(dialekt: str, ausdruck: str) -> str:
    if dialekt == "postgresql":
        return f"CAST({ausdruck} AS geometry(Geometry, {SRID}))"
    return "CAST(NULL AS BLOB)"


def _kennzahl_spalten(ebene: str, kennzahlen: Sequence[Kennzahl], gebiet: str) -> str:
    teile = []
    for k in kennzahlen:
        if not _NAME.match(k.schluessel) or k.schluessel in _FESTE_NAMEN:
            raise EingabeFehler(f"Kennzahl-Schlüssel {k.schluessel!r} taugt nicht als Spaltenname der offenen Daten "
                                "(kleine Buchstaben, Ziffern, _; nicht wie eine feste Spalte).")
        feld = "wert" if k.art == "zahl" else "text"
        teile.append(f"(SELECT k.{feld} FROM offene_kennzahl k WHERE k.ebene = '{ebene}' AND k.gebiet_id = {gebiet} "
                     f"AND k.jahr = j.jahr AND k.schluessel = '{k.schluessel}') AS \"{k.schluessel}\"")
    return "".join(f", {t}" for t in teile)


_FESTE_NAMEN = {s for spalten in politik.OEFFENTLICH.values() for s in spalten}


def sichten_sql(dialekt: str, kennzahlen: Sequence[Kennzahl] = ()) -> dict[str, str]:
    """Sichtname → SELECT (ohne CREATE VIEW). Spaltenreihenfolge wie `politik.OEFFENTLICH`, Kennzahlen vor der
    Geometrie."""
    pg = dialekt == "postgresql"
    jahr_text = "CAST(j.jahr AS TEXT)" if not pg else "CAST(j.jahr AS varchar)"
    einrichtungen = f"""
SELECT e.schluessel, e.name, e.art, coalesce(ba.bezeichnung, e.art) AS art_bezeichnung,
       e.traeger_art, coalesce(bt.bezeichnung, e.traeger_art) AS traeger_art_bezeichnung,
       e.adresse, st.name AS stadtteil, sr.name AS sozialraum,
       {_liste(dialekt, 'e.zielgruppen')} AS zielgruppen, {_liste(dialekt, 'e.angebote')} AS angebote,
       CASE WHEN EXISTS (SELECT 1 FROM offene_bezeichnung f WHERE f.liste = 'freigabe' AND f.schluessel = 'kapazitaet')
            THEN e.kapazitaet END AS kapazitaet,
       e.bestaetigt_am, e.geometrie
FROM einrichtung e
JOIN stadtteil st ON st.id = e.stadtteil_id
JOIN sozialraum sr ON sr.id = st.sozialraum_id
LEFT JOIN offene_bezeichnung ba ON ba.liste = 'einrichtungsart' AND ba.schluessel = e.art
LEFT JOIN offene_bezeichnung bt ON bt.liste = 'traegerart' AND bt.schluessel = e.traeger_art
WHERE {OFFEN}"""
    stadtteile = f"""
SELECT coalesce(st.nummer, st.name) || '-' || coalesce({jahr_text}, 'ohne') AS kennung,
       st.nummer, st.name, sr.name AS sozialraum, j.jahr, {_stand(dialekt)} AS stand
       {_kennzahl_spalten('stadtteil', kennzahlen, 'st.id')}, st.geometrie
FROM stadtteil st
JOIN sozialraum sr ON sr.id = st.sozialraum_id
LEFT JOIN (SELECT DISTINCT gebiet_id, jahr FROM offene_kennzahl WHERE ebene = 'stadtteil') j ON j.gebiet_id = st.id"""
    flaeche = _geo(dialekt, "(SELECT ST_Multi(ST_Union(t.geometrie)) FROM stadtteil t WHERE t.sozialraum_id = sr.id)")
    if pg:
        teile = "(SELECT string_agg(t.name, '; ' ORDER BY t.id) FROM stadtteil t WHERE t.sozialraum_id = sr.id)"
    else:
        teile = ("(SELECT group_concat(t.name, '; ') FROM (SELECT name FROM stadtteil WHERE sozialraum_id = sr.id "
                 "ORDER BY id) t)")
    sozialraeume = f"""
SELECT CAST(sr.reihenfolge + 1 AS {'varchar' if pg else 'TEXT'}) || '-' || coalesce({jahr_text}, 'ohne') AS kennung,
       sr.reihenfolge + 1 AS nummer, sr.name, {teile} AS stadtteile,
       j.jahr, {_stand(dialekt)} AS stand
       {_kennzahl_spalten('sozialraum', kennzahlen, 'sr.id')}, {flaeche} AS geometrie
FROM sozialraum sr
LEFT JOIN (SELECT DISTINCT gebiet_id, jahr FROM offene_kennzahl WHERE ebene = 'sozialraum') j ON j.gebiet_id = sr.id"""
    mitglieder = f"SELECT e.schluessel, e.geometrie FROM netzwerk_mitglied nm JOIN einrichtung e ON e.id = " \
                 f"nm.einrichtung_id WHERE nm.netzwerk_id = n.id AND {OFFEN}"
    if pg:
        liste = f"(SELECT string_agg(m.schluessel, '; ' ORDER BY m.schluessel) FROM ({mitglieder}) m)"
    else:
        liste = f"(SELECT group_concat(m.schluessel, '; ') FROM ({mitglieder} ORDER BY e.schluessel) m)"
    netzwerke = f"""
SELECT n.schluessel, n.name, n.status, n.beschreibung, sr.name AS sozialraum,
       (SELECT e.schluessel FROM einrichtung e WHERE e.id = n.koordination_id AND {OFFEN}) AS koordination,
       {liste} AS mitglieder,
       (SELECT count(*) FROM ({mitglieder}) m) AS anzahl_mitglieder,
       {_geo(dialekt, f"(SELECT ST_Multi(ST_Collect(m.geometrie)) FROM ({mitglieder}) m)")} AS geometrie
FROM netzwerk n
LEFT JOIN sozialraum sr ON sr.id = n.sozialraum_id"""
    return {SICHTEN["einrichtungen"]: einrichtungen, SICHTEN["stadtteile"]: stadtteile,
            SICHTEN["sozialraeume"]: sozialraeume, SICHTEN["netzwerke"]: netzwerke}


# ------------------------------------------------------------------------------------------ anlegen, entfernen
def kennzahlen(conn: Connection) -> list[Kennzahl]:
    """Die veröffentlichten Kennzahlen (Spalten der Gebietssichten) in ihrer Reihenfolge."""
    if not inspect(conn).has_table("offene_bezeichnung"):
        return []
    zeilen = conn.execute(text("SELECT schluessel, bezeichnung, einheit, art FROM offene_bezeichnung "
                               "WHERE liste = 'kennzahl' ORDER BY reihenfolge, schluessel")).all()
    return [Kennzahl(s, b, e or "", a) for s, b, e, a in zeilen]


def entferne_sichten(conn: Connection) -> None:
    """Entfernt alle Sichten `oeffentlich_*` (vor Migrationen und dem Verwerfen des Schemas)."""
    for name in SICHTEN.values():
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {name}")


def lege_sichten_an(conn: Connection) -> bool:
    """Legt die Sichten neu an (idempotent) und gibt sie auf PostgreSQL `rk_lesen` zu lesen, wenn es die Rolle
    gibt. False, wenn das Schema die nötigen Tabellen noch nicht hat (ältere Migration)."""
    entferne_sichten(conn)
    if not set(inspect(conn).get_table_names()) >= _BRAUCHT:
        return False
    dialekt = conn.dialect.name
    for name, sql in sichten_sql(dialekt, kennzahlen(conn)).items():
        conn.exec_driver_sql(f"CREATE VIEW {name} AS {sql}")
    if dialekt == "postgresql" and conn.execute(text(
            "SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": politik.LESEROLLE}).first():
        for name in SICHTEN.values():
            conn.exec_driver_sql(f"GRANT SELECT ON {name} TO {politik.LESEROLLE}")
    return True


def veroeffentliche(engine: Engine, *, bezeichnungen: Iterable[tuple[str, str, str, str | None, str, int]],
                    werte: pd.DataFrame) -> int:
    """Schreibt die veröffentlichten Bezeichnungen und Kennzahlen und legt die Sichten neu an.

    `bezeichnungen`: (liste, schluessel, bezeichnung, einheit, art, reihenfolge) – Listen `einrichtungsart`,
    `traegerart`, `kennzahl` (Spalten der Gebietssichten), `freigabe` (z. B. `kapazitaet`). `werte`: Spalten
    ebene (stadtteil | sozialraum), gebiet (Name), jahr, schluessel, wert, text. Unveränderte Angaben schreiben
    nichts (keine Zeile im Änderungsprotokoll). Gibt die Zahl der Kennzahlwerte zurück.
    """
    try:
        return _veroeffentliche(engine, sorted({(b[0], b[1]): b for b in bezeichnungen}.values()), werte)
    except DBAPIError as exc:
        grund = str(getattr(exc, "orig", exc)).strip().splitlines()
        if not any(w in " ".join(grund).lower() for w in ("permission denied", "must be owner")):
            raise
        raise DatenbankFehler("Die Offenen Daten lassen sich nicht veröffentlichen "
                              f"({grund[0][:160] if grund else 'abgelehnt'}). Bitte als Eigentümerin der Datenbank "
                              "ausführen (wie `ressourcenkarte init`), nicht als rk_app oder rk_lesen.") from None


def _veroeffentliche(engine: Engine, bez: list[tuple], werte: pd.DataFrame) -> int:
    from daten import modelle as m
    from daten.db import systemsitzung

    with engine.connect() as conn:
        ids = {("stadtteil", n): i for i, n in conn.execute(text("SELECT id, name FROM stadtteil"))}
        ids |= {("sozialraum", n): i for i, n in conn.execute(text("SELECT id, name FROM sozialraum"))}
        alt_bez = sorted(tuple(z) for z in conn.execute(text(
            "SELECT liste, schluessel, bezeichnung, einheit, art, reihenfolge FROM offene_bezeichnung")))
        alt_werte = {tuple(z) for z in conn.execute(text(
            "SELECT ebene, gebiet_id, jahr, schluessel, wert, text FROM offene_kennzahl"))}
    neu = []
    for z in werte.itertuples(index=False):
        gid = ids.get((z.ebene, z.gebiet))
        if gid is None:
            continue
        wert = None if pd.isna(z.wert) else float(z.wert)
        txt = None if z.text is None or (isinstance(z.text, float) and pd.isna(z.text)) else str(z.text)
        if wert is None and txt is None:
            continue
        neu.append((z.ebene, gid, int(z.jahr), z.schluessel, wert, txt))
    if alt_bez != bez or alt_werte != set(neu):
        with systemsitzung(engine, grund="Offene Daten veröffentlicht") as s:
            s.execute(m.offene_kennzahl.delete())
            s.execute(m.offene_bezeichnung.delete())
            spalten_b = ("liste", "schluessel", "bezeichnung", "einheit", "art", "reihenfolge")
            spalten_k = ("ebene", "gebiet_id", "jahr", "schluessel", "wert", "text")
            if bez:
                s.execute(m.offene_bezeichnung.insert(), [dict(zip(spalten_b, b, strict=True)) for b in bez])
            if neu:
                s.execute(m.offene_kennzahl.insert(), [dict(zip(spalten_k, z, strict=True)) for z in neu])
    with engine.begin() as conn:
        lege_sichten_an(conn)
    return len(neu)


# ------------------------------------------------------------------------------------------ lesen
def lies(engine: Engine, name: str, *, jahr: int | None = None) -> gpd.GeoDataFrame:
    """Eine öffentliche Sicht als GeoDataFrame in EPSG:4326 (lon, lat).

    `name`: einrichtungen | stadtteile | sozialraeume | netzwerke (oder der Sichtname). `jahr`: nur die
    Zeilen dieses Jahres (Gebietssichten). Spalten wie die Sicht, die Geometrie heißt `geometry`.
    Funktioniert auch mit einer Verbindung als `rk_lesen` (liest nur die Sichten).
    """
    sicht = SICHTEN.get(name, name)
    if sicht not in SICHTEN.values():
        raise EingabeFehler(f"Unbekannte öffentliche Sicht {name!r}; erlaubt: {', '.join(SICHTEN)}.")
    pg = engine.dialect.name == "postgresql"
    with engine.connect() as conn:
        if not inspect(conn).has_table(sicht) and sicht not in inspect(conn).get_view_names():
            raise DatenbankFehler(f"Die Sicht {sicht} fehlt. Bitte `ressourcenkarte init` ausführen.")
        spalten = [c["name"] for c in inspect(conn).get_columns(sicht)]
        auswahl = ", ".join(f'ST_AsBinary("{c}") AS "{c}"' if pg and c == GEOMETRIE else f'"{c}"' for c in spalten)
        bedingung = " WHERE jahr = :jahr" if jahr is not None and "jahr" in spalten else ""
        ordnung = "schluessel" if "schluessel" in spalten else "nummer, name, jahr"
        df = pd.read_sql_query(text(f"SELECT {auswahl} FROM {sicht}{bedingung} ORDER BY {ordnung}"), conn,
                               params={"jahr": jahr} if bedingung else None)
    geo = [shapely.from_wkb(bytes(g)) if g is not None else None for g in df.pop(GEOMETRIE)]
    gdf = gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geo, index=df.index, crs=SRID))
    if not pg and sicht == SICHTEN["sozialraeume"]:
        gdf = _sozialraum_flaechen(engine, gdf)
    elif not pg and sicht == SICHTEN["netzwerke"]:
        gdf = _netzwerk_punkte(engine, gdf)
    for c in ("bestaetigt_am", "stand"):
        if c in gdf:
            gdf[c] = pd.to_datetime(gdf[c]).dt.date
    return gdf


def _sozialraum_flaechen(engine: Engine, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    teile = lies(engine, "stadtteile").drop_duplicates("name")
    flaechen = {sr: shapely.MultiPolygon(list(_polygone(shapely.union_all(g.geometry.dropna().to_numpy()))))
                for sr, g in teile.groupby("sozialraum") if g.geometry.notna().any()}
    gdf = gdf.set_geometry(gpd.GeoSeries([flaechen.get(n) for n in gdf["name"]], index=gdf.index, crs=SRID))
    return gdf


def _polygone(g: shapely.Geometry) -> list[shapely.Polygon]:
    if isinstance(g, shapely.Polygon):
        return [g]
    return [p for teil in getattr(g, "geoms", []) for p in _polygone(teil)]


def _netzwerk_punkte(engine: Engine, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    punkte = dict(zip(*(lambda e: (e["schluessel"], e.geometry))(lies(engine, "einrichtungen")), strict=True))
    geo = []
    for liste in gdf["mitglieder"]:
        p = [punkte[s] for s in (liste or "").split("; ") if s in punkte]
        geo.append(shapely.MultiPoint(p) if p else None)
    return gdf.set_geometry(gpd.GeoSeries(geo, index=gdf.index, crs=SRID))
