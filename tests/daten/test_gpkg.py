"""GeoPackage für das GIS der Stadt, geöffnet wie QGIS/GDAL es öffnen (sqlite3, pyogrio): Bezugssystem, Stile,
Aliase, Metadaten, amtliche Stadtteilnummern, Kennzahlen-Ebenen mit den Werten der Analyse, Gremium nur offen."""

from __future__ import annotations

import shutil
import sqlite3
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pyogrio
import pytest
from sqlalchemy import select

from analysen.angebot import bevoelkerungspunkte
from analysen.vergleich import vergleiche
from daten import modelle as m
from daten.berichtsdaten import lade_berichtsdaten
from daten.db import erstelle_engine, sitzung
from daten.demo import demo_jahre
from daten.politik import SYSTEM
from tests.daten.test_cli import rk

JAHR = demo_jahre().vorjahr
HEUTE = date.today()
# Einrichtung → (gültig_von, gültig_bis) relativ zu heute; erwartet im Gremium?
GRENZFAELLE = {"geschlossen-gestern": (None, HEUTE - timedelta(days=1), False),
               "schliesst-heute": (None, HEUTE, True),
               "oeffnet-morgen": (HEUTE + timedelta(days=1), None, False),
               "oeffnet-heute": (HEUTE, None, True)}


@pytest.fixture(scope="module")
def db_url(demo_sqlite_url, tmp_path_factory):
    datei = tmp_path_factory.mktemp("gpkg") / "rk.db"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), datei)
    url = f"sqlite:///{datei}"
    engine = erstelle_engine(url)
    with sitzung(engine, akteur=SYSTEM) as s:  # städtische Kitas: Stufe 1, also im Gremium, solange sie offen sind
        kitas = s.scalars(select(m.Einrichtung).where(m.Einrichtung.art == "kita", m.Einrichtung.traeger_art ==
                                                      "staedtisch", m.Einrichtung.gueltig_bis.is_(None))
                          .order_by(m.Einrichtung.id).limit(len(GRENZFAELLE))).all()
        for kita, (name, (von, bis, _)) in zip(kitas, GRENZFAELLE.items(), strict=True):
            kita.name, kita.gueltig_von, kita.gueltig_bis = name, von, bis
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def standard(db_url, tmp_path_factory) -> Path:
    """`ressourcenkarte export x.gpkg` ohne Optionen: metrisches KBS der Kommune, jüngstes Jahr."""
    pfad = tmp_path_factory.mktemp("aus") / "x.gpkg"
    r = rk("export", str(pfad), url=db_url)
    assert r.returncode == 0, r.stderr
    assert "EPSG:25832" in r.stdout and f"Kennzahlen {JAHR}" in r.stdout
    return pfad


@pytest.fixture(scope="module")
def wgs84_vorjahr(db_url, tmp_path_factory) -> Path:
    pfad = tmp_path_factory.mktemp("aus") / "y.gpkg"
    r = rk("export", str(pfad), "--crs", "EPSG:4326", "--jahr", str(JAHR - 1), url=db_url)
    assert r.returncode == 0, r.stderr
    return pfad


@pytest.fixture(scope="module")
def analyse(db_url, kommune):
    """Die Vergleichstabelle, wie `ressourcenkarte vergleich` sie rechnet (je Jahr)."""
    engine = erstelle_engine(db_url)
    d = lade_berichtsdaten(engine, kommune, akteur=SYSTEM)
    engine.dispose()
    punkte = bevoelkerungspunkte(d.stadtteile, raster_m=kommune.versorgung.raster_m,
                                 crs_metrisch=kommune.crs_metrisch)
    return {j: vergleiche(d.indikatoren, d.einrichtungen, kommune, jahr=j, punkte=punkte, budgets=d.budgets,
                          netzwerke=d.netzwerke) for j in (JAHR, JAHR - 1)}


def _db(pfad: Path) -> sqlite3.Connection:
    return sqlite3.connect(pfad)


def test_bezugssystem_standard_metrisch_und_waehlbar(standard, wgs84_vorjahr):
    for pfad, epsg in ((standard, 25832), (wgs84_vorjahr, 4326)):
        ebenen = dict(_db(pfad).execute("select table_name, srs_id from gpkg_contents where data_type='features'"))
        assert set(ebenen) == {"sozialraeume", "stadtteile", "einrichtungen", "netzwerke", "netzwerk_verbindungen",
                               "stadtteile_kennzahlen", "sozialraeume_kennzahlen"}
        assert set(ebenen.values()) == {epsg}
        assert pyogrio.read_info(pfad, layer="einrichtungen")["crs"] == f"EPSG:{epsg}"
    x = pyogrio.read_dataframe(standard, layer="einrichtungen").geometry.x
    assert x.between(420_000, 470_000).all()  # Meter (UTM 32N), nicht Grad
    lon = pyogrio.read_dataframe(wgs84_vorjahr, layer="einrichtungen").geometry.x
    assert lon.between(7.9, 8.6).all()


def test_qgis_stile_wie_im_dashboard(standard, kommune):
    db = _db(standard)
    geom = dict(db.execute("select table_name, column_name from gpkg_geometry_columns"))
    zeilen = db.execute("select f_table_name, f_geometry_column, styleQML, useAsDefault, f_table_catalog, "
                        "f_table_schema from layer_styles").fetchall()
    stile = {z[0]: z for z in zeilen}
    assert set(stile) == set(geom)  # jede Ebene hat einen Stil …
    for name, z in stile.items():
        assert z[1] == geom[name] and z[3] == 1 and z[4] == "" and z[5] == ""  # … der beim Öffnen gilt
        ET.fromstring(z[2].split("\n", 1)[1])  # gültiges XML
    qml = ET.fromstring(stile["einrichtungen"][2].split("\n", 1)[1])
    r = qml.find("renderer-v2")
    assert r.get("type") == "categorizedSymbol" and r.get("attr") == "art"
    kat = {k.get("value"): k.get("label") for k in r.iter("category")}
    assert kat == {a.schluessel: a.bezeichnung for a in kommune.einrichtungsarten}
    farben = {p.get("v") for p in r.iter("prop") if p.get("k") == "color"}
    assert "224,130,20,255" in farben  # Kita #e08214 wie in der Karte
    formen = {p.get("v") for p in r.iter("prop") if p.get("k") == "name"}
    assert {"circle", "square", "triangle", "diamond", "star"} <= formen  # Form als zweiter Kanal
    assert "im_gremium" in stile["einrichtungen"][2]  # Gremiumsring nur bei Mitgliedern
    kz = ET.fromstring(stile["stadtteile_kennzahlen"][2].split("\n", 1)[1]).find("renderer-v2")
    assert kz.get("attr") == "bedarfsklasse"
    assert [k.get("value") for k in kz.iter("category")][:4] == ["gering", "mittel", "erhöht", "hoch"]
    assert db.execute("select data_type from gpkg_contents where table_name = 'layer_styles'").fetchone() == (
        "attributes",)


def test_deutsche_aliase_beschreibungen_metadaten(standard, kommune):
    db = _db(standard)
    alias = {(t, c): n for t, c, n in db.execute("select table_name, column_name, name from gpkg_data_columns")}
    assert alias[("einrichtungen", "kapazitaet")] == "Plätze"
    assert alias[("einrichtungen", "art_bezeichnung")] == "Art"
    assert alias[("stadtteile", "nummer")] == "Amtliche Nummer"
    assert alias[("stadtteile_kennzahlen", "bedarfsindex")] == "Bedarfsindex (Standardabweichungen)"
    assert alias[("stadtteile_kennzahlen", "arbeitslosenquote")] == "Anteil Arbeitsloser (%)"
    assert not [n for n in alias.values() if "_" in n and not n.startswith("z_")]
    ext = set(db.execute("select table_name, extension_name from gpkg_extensions"))
    assert {("gpkg_data_columns", "gpkg_schema"), ("gpkg_data_column_constraints", "gpkg_schema"),
            ("gpkg_metadata", "gpkg_metadata"), ("gpkg_metadata_reference", "gpkg_metadata")} <= ext
    beschreibung = dict(db.execute("select table_name, description from gpkg_contents where data_type='features'"))
    assert all(len(t) > 20 for t in beschreibung.values()), beschreibung
    meta = dict(db.execute("select r.table_name, m.metadata from gpkg_metadata_reference r join gpkg_metadata m "
                           "on m.id = r.md_file_id where r.reference_scope = 'table' "
                           "and m.md_standard_uri = 'http://mrcc.com/qgis.dtd'"))  # was QGIS als Metadaten liest
    assert set(meta) == set(beschreibung)
    for text in meta.values():
        xml = ET.fromstring(text.split("\n", 1)[1])
        assert xml.findtext("license") == kommune.datenlizenz
        assert xml.findtext("contact/organization") == f"{kommune.name}, {kommune.amt}"
        assert xml.find("crs/spatialrefsys/authid").text == "EPSG:25832"
    assert "Quelle:" in meta["stadtteile_kennzahlen"]  # Quellen der Indikatoren
    gdal = pyogrio.read_info(standard, layer="einrichtungen")["layer_metadata"]  # dieselben Angaben für GDAL
    assert gdal["LIZENZ"] == kommune.datenlizenz and gdal["IDENTIFIER"] == "Einrichtungen"


def test_stadtteile_mit_amtlicher_nummer(standard, kommune, db_url):
    for ebene in ("stadtteile", "stadtteile_kennzahlen"):
        nummern = dict(_db(standard).execute(f"select name, nummer from {ebene}"))
        assert nummern == kommune.stadtteil_nummern, ebene
    engine = erstelle_engine(db_url)  # die Nummer steht in der Datenbank (Demo-Laden aus der Konfiguration)
    with sitzung(engine, akteur=None) as s:
        assert dict(s.execute(select(m.Stadtteil.name, m.Stadtteil.nummer)).all()) == kommune.stadtteil_nummern
    engine.dispose()


@pytest.mark.parametrize("ebene,tabelle", [("Stadtteil", "stadtteile_kennzahlen"),
                                           ("Sozialraum", "sozialraeume_kennzahlen")])
def test_kennzahlen_gleich_der_analyse_im_gewaehlten_jahr(standard, wgs84_vorjahr, analyse, ebene, tabelle):
    spalten = ["bedarfsindex", "z_arbeitslosenquote", "arbeitslosenquote", "einwohner", "versorgungsindex",
               "je_1000_kita", "versorgt_kita", "ausgleichsbedarf"]
    for pfad, jahr in ((standard, JAHR), (wgs84_vorjahr, JAHR - 1)):
        gdf = pyogrio.read_dataframe(pfad, layer=tabelle).set_index("name")
        erwartet = analyse[jahr].ebene(ebene)
        assert set(gdf["jahr"]) == {jahr} and sorted(gdf.index) == sorted(erwartet.index)
        for s in spalten:
            assert gdf[s].to_numpy() == pytest.approx(erwartet.loc[gdf.index, s].round(4).to_numpy()), (jahr, s)
        assert (gdf["bedarfsklasse"] == erwartet.loc[gdf.index, "bedarfsklasse"]).all()
    vorjahr = pyogrio.read_dataframe(wgs84_vorjahr, layer=tabelle).set_index("name")
    jetzt = pyogrio.read_dataframe(standard, layer=tabelle).set_index("name")
    assert (vorjahr["einwohner"] != jetzt.loc[vorjahr.index, "einwohner"]).any()  # wirklich das gewählte Jahr


def test_geschlossene_einrichtung_nie_im_gremium(standard):
    im = dict(_db(standard).execute(f"select name, im_gremium from einrichtungen where name in "
                                    f"({', '.join('?' * len(GRENZFAELLE))})", list(GRENZFAELLE)))
    assert {n: bool(v) for n, v in im.items()} == {n: f[2] for n, f in GRENZFAELLE.items()}


@pytest.mark.parametrize("args,meldung", [
    (["{tmp}/x.gpkg", "--crs", "99999"], "kein bekanntes Koordinatenbezugssystem"),
    (["{tmp}/x.geojson", "--crs", "25832"], "RFC 7946"),
    (["{tmp}/x.xlsx", "--jahr", str(JAHR)], "nur für GeoPackage"),
    (["{tmp}/x.gpkg", "--jahr", "1995"], "keine Indikatorwerte"),
])
def test_falsche_optionen_deutsche_meldung(db_url, tmp_path, args, meldung):
    r = rk("export", *[a.format(tmp=tmp_path) for a in args], url=db_url)
    assert r.returncode != 0 and meldung in r.stderr and "Traceback" not in r.stderr
    assert not list(tmp_path.iterdir())  # nichts Halbes geschrieben
