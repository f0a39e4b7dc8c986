"""Offene Daten (Issue 17): öffentliche Sichten, `ressourcenkarte opendata` und pygeoapi als OGC API – Features.

Ein pygeoapi-Dienst (in der Hülle `berichte.opendienst`, wie im Betrieb) läuft je Modul einmal auf 127.0.0.1 gegen
eine frische Demo-Datenbank auf PostGIS und liest als `rk_lesen`. Geprüft wird gegen die Datenbank selbst: so viele
Einrichtungen wie offen sind, Koordinaten wie gespeichert, Filter wie die gleiche SQL-Abfrage. Dazu: was die
Datenbank der Rolle `rk_lesen` verweigert, die Sichten auf SQLite und der Weg ohne Server (GeoJSON).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
import yaml
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import DBAPIError

from analysen.offen import SPALTEN
from befehle import main
from berichte.opendata import aktualisiere
from daten import modelle as m
from daten import oeffentlich, politik
from daten.betrieb import LESEN, richte_rollen_ein
from daten.db import erstelle_engine, migriere, sitzung
from daten.fehler import DatenbankFehler
from daten.laden import initialisiere
from tests.conftest import loesche_postgis, postgis_datenbank

OFFEN = ("aktiv AND coalesce(gueltig_bis, '9999-12-31') >= current_date "
         "AND coalesce(gueltig_von, '0001-01-01') <= current_date")
PYGEOAPI = Path(sys.executable).with_name("pygeoapi")
TITEL = {"einrichtungen": "Einrichtungen", "stadtteile": "Stadtteile mit Kennzahlen",
         "sozialraeume": "Sozialräume mit Kennzahlen", "netzwerke": "Netzwerke"}
INTERN = {"id", "version", "geaendert_von", "notiz", "notizen", "erstellt_von", "stadtteil_id", "sozialraum_id",
          "kapazitaet_intern", "bestaetigt_von", "schliessgrund", "teamleitung", "login", "passwort_hash", "quelle",
          "koordination_id", "einrichtung_id", "netzwerk_id", "gueltig_von", "gueltig_bis", "aktiv"}


def _freier_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dienst(tmp_path_factory, kommune):
    """(Basis-URL, Eigentümer-Engine, Ordner) eines laufenden Dienstes über die Demo auf PostGIS als rk_lesen."""
    url = postgis_datenbank()
    engine = erstelle_engine(url)
    initialisiere(engine, kommune, demo=True)
    richte_rollen_ein(engine)
    ordner = tmp_path_factory.mktemp("opendata")
    port = _freier_port()
    basis = f"http://127.0.0.1:{port}"
    cfg = ordner / "pg.yml"
    assert main(["--db", url, "opendata", str(cfg), "--basis-url", basis]) == 0
    umgebung = {**os.environ, "PYGEOAPI_CONFIG": str(cfg), "PYGEOAPI_OPENAPI": str(ordner / "oa.yml")}
    erzeugt = subprocess.run([str(PYGEOAPI), "openapi", "generate", str(cfg), "--output-file", str(ordner / "oa.yml")],
                             env=umgebung, capture_output=True, text=True, timeout=120)
    assert erzeugt.returncode == 0, erzeugt.stderr[-2000:]
    server = subprocess.Popen([sys.executable, "-m", "berichte.opendienst", "--port", str(port)], env=umgebung,
                              stdout=subprocess.DEVNULL, stderr=open(ordner / "server.log", "w"), cwd=ordner)  # noqa: SIM115
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{basis}/collections?f=json", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.25)
        else:
            pytest.fail("pygeoapi antwortet nicht: " + (ordner / "server.log").read_text()[-2000:])
        yield basis, engine, ordner
    finally:
        server.terminate()
        server.wait(timeout=10)
        engine.dispose()
        loesche_postgis(url)


def _hole(basis: str, pfad: str, **kopf: str) -> tuple[dict, dict]:
    anfrage = urllib.request.Request(basis + pfad, headers=kopf)
    with urllib.request.urlopen(anfrage, timeout=30) as antwort:
        return json.load(antwort), dict(antwort.headers)


def _zahl(engine, sql: str, **p) -> int:  # noqa: ANN001
    with engine.connect() as c:
        return int(c.execute(text(sql), p).scalar_one())


@pytest.mark.postgis
def test_sammlungen_mit_deutschen_titeln_und_nichts_internes(dienst):
    basis, _, _ = dienst
    daten, _ = _hole(basis, "/collections?f=json")
    sammlungen = {c["id"]: c for c in daten["collections"]}
    assert {i: c["title"] for i, c in sammlungen.items()} == TITEL
    for c in sammlungen.values():
        assert c["description"] and any(link["rel"] == "license" for link in c["links"])
    assert "Kennzahlen: Einwohnerinnen und Einwohner (Personen)" in sammlungen["stadtteile"]["description"]
    assert sammlungen["stadtteile"]["extent"]["temporal"]["interval"][0][0].startswith("20")
    # keine Sammlung und keine Eigenschaft aus Protokollen, Maßnahmen, Budgets, Konten, Änderungsprotokoll
    verboten = ("protokoll", "massnahm", "budget", "benutzer", "konto", "aenderung", "sitzung", "anwesen", "passwort")
    assert not [i for i in sammlungen if any(w in i for w in verboten)]
    for sid in sammlungen:
        fc, _ = _hole(basis, f"/collections/{sid}/items?f=json&limit=5000")
        namen = set().union(*(f["properties"] for f in fc["features"]))
        assert fc["features"] and not namen & INTERN, sid
        assert not [n for n in namen if any(w in n for w in verboten)], sid
        fest = set(politik.OEFFENTLICH[oeffentlich.SICHTEN[sid]]) - {"geometrie", "schluessel", "kennung"}
        assert fest <= namen, sid
    lizenz, _ = _hole(basis, "/?f=json")
    assert lizenz["title"] == "Sozialraum-Ressourcenkarte Mainz – Offene Daten"


@pytest.mark.postgis
def test_alle_offenen_einrichtungen_in_wgs84_mit_nur_oeffentlichen_eigenschaften(dienst):
    basis, engine, _ = dienst
    fc, kopf = _hole(basis, "/collections/einrichtungen/items?f=json&limit=1000")
    offen = _zahl(engine, f"SELECT count(*) FROM einrichtung WHERE {OFFEN}")
    alle = _zahl(engine, "SELECT count(*) FROM einrichtung")
    assert offen < alle  # die Demo hat geschlossene und künftige Einrichtungen: die zählen nicht
    assert len(fc["features"]) == fc["numberMatched"] == fc["numberReturned"] == offen
    assert kopf["Content-Type"] == "application/geo+json"
    erwartet = set(politik.OEFFENTLICH["oeffentlich_einrichtungen"]) - {"schluessel", "geometrie"}
    assert {k for f in fc["features"] for k in f["properties"]} == erwartet
    assert all(f["properties"]["kapazitaet"] is None for f in fc["features"])  # intern (offene_daten.kapazitaet)
    with engine.connect() as c:
        db = {s: (x, y) for s, x, y in c.execute(text(
            f"SELECT schluessel, ST_X(geometrie), ST_Y(geometrie) FROM einrichtung WHERE {OFFEN}"))}
    assert {f["id"] for f in fc["features"]} == set(db)
    for f in fc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert f["geometry"]["type"] == "Point" and 7 < lon < 9 and 49 < lat < 51
        assert (lon, lat) == pytest.approx(db[f["id"]], abs=1e-7)
    beispiel = next(f for f in fc["features"] if f["properties"]["art"] == "kita")
    assert beispiel["properties"]["art_bezeichnung"] == "Kita"
    assert beispiel["properties"]["traeger_art_bezeichnung"] in ("städtisch", "frei")


@pytest.mark.postgis
@pytest.mark.parametrize("anfrage", ["sozialraum=Mombach", "filter=sozialraum%3D%27Mombach%27"],
                         ids=["eigenschaft", "cql"])
def test_filter_nach_sozialraum(dienst, anfrage):
    basis, engine, _ = dienst
    fc, _ = _hole(basis, f"/collections/einrichtungen/items?f=json&limit=1000&{anfrage}")
    offen_e = OFFEN.replace("gueltig", "e.gueltig").replace("aktiv AND", "e.aktiv AND")
    soll = _zahl(engine, "SELECT count(*) FROM einrichtung e JOIN stadtteil st ON st.id = e.stadtteil_id JOIN "
                         f"sozialraum sr ON sr.id = st.sozialraum_id WHERE sr.name = 'Mombach' AND {offen_e}")
    alle = _zahl(engine, f"SELECT count(*) FROM einrichtung WHERE {OFFEN}")
    assert 0 < soll < alle
    assert fc["numberMatched"] == len(fc["features"]) == soll
    assert {f["properties"]["sozialraum"] for f in fc["features"]} == {"Mombach"}


@pytest.mark.postgis
def test_bbox_grenzt_ein_wie_die_datenbank(dienst):
    basis, engine, _ = dienst
    x0, y0, x1, y1 = 8.25, 49.99, 8.28, 50.01
    fc, _ = _hole(basis, f"/collections/einrichtungen/items?f=json&limit=1000&bbox={x0},{y0},{x1},{y1}")
    soll = _zahl(engine, f"SELECT count(*) FROM einrichtung WHERE {OFFEN} AND "
                         "ST_Intersects(geometrie, ST_MakeEnvelope(:a, :b, :c, :d, 4326))", a=x0, b=y0, c=x1, d=y1)
    alle = _zahl(engine, f"SELECT count(*) FROM einrichtung WHERE {OFFEN}")
    assert 0 < soll < alle and fc["numberMatched"] == len(fc["features"]) == soll
    for f in fc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert x0 <= lon <= x1 and y0 <= lat <= y1


@pytest.mark.postgis
def test_blaettern_wie_qgis(dienst):
    """QGIS blättert über die next-Links; jede Einrichtung kommt genau einmal, numberMatched stimmt."""
    basis, engine, _ = dienst
    url, gesehen, seiten = "/collections/einrichtungen/items?f=json&limit=100", [], 0
    while url:
        fc, kopf = _hole(basis, url, Accept="application/geo+json")
        assert kopf["Content-Type"] == "application/geo+json"
        gesehen += [f["id"] for f in fc["features"]]
        seiten += 1
        weiter = [link["href"] for link in fc["links"] if link["rel"] == "next"]
        url = weiter[0].removeprefix(basis) if weiter and fc["features"] else None
        assert seiten < 10
    offen = _zahl(engine, f"SELECT count(*) FROM einrichtung WHERE {OFFEN}")
    assert len(gesehen) == len(set(gesehen)) == offen and seiten == offen // 100 + 1
    einzeln, kopf = _hole(basis, f"/collections/einrichtungen/items/{gesehen[0]}?f=json")
    assert einzeln["id"] == gesehen[0] and kopf["Content-Type"] == "application/geo+json"


@pytest.mark.postgis
def test_kennzahlen_je_jahr_und_zeitfilter(dienst):
    basis, engine, _ = dienst
    with engine.connect() as c:
        jahr = c.execute(text("SELECT max(jahr) FROM indikatorwert")).scalar_one()
        einwohner = dict(c.execute(text("SELECT st.name, i.wert FROM indikatorwert i JOIN stadtteil st ON "
                                        "st.id = i.stadtteil_id WHERE i.merkmal = 'einwohner' AND i.jahr = :j"),
                                   {"j": jahr}).all())
    fc, _ = _hole(basis, f"/collections/stadtteile/items?f=json&limit=1000&datetime={jahr}-12-31")
    assert fc["numberMatched"] == len(einwohner) == 15
    for f in fc["features"]:
        p = f["properties"]
        assert p["jahr"] == jahr and p["einwohner"] == einwohner[p["name"]]
        assert p["statusklasse"] in ("hoch", "mittel", "niedrig", "sehr niedrig")
        assert "alleinerziehende_quote" not in p  # nicht freigegeben (offene_daten.merkmale)
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
    sr, _ = _hole(basis, f"/collections/sozialraeume/items?f=json&limit=1000&jahr={jahr}")
    assert sr["numberMatched"] == 10
    summe = sum(f["properties"]["einwohner"] for f in sr["features"])
    assert summe == pytest.approx(sum(einwohner.values()))


@pytest.mark.postgis
def test_netzwerke_nur_schluessel_offener_mitglieder(dienst):
    basis, engine, _ = dienst
    fc, _ = _hole(basis, "/collections/netzwerke/items?f=json&limit=1000")
    with engine.connect() as c:
        offen = set(c.execute(text(f"SELECT schluessel FROM einrichtung WHERE {OFFEN}")).scalars())
        anzahl = c.execute(text("SELECT count(*) FROM netzwerk")).scalar_one()
    assert fc["numberMatched"] == anzahl
    for f in fc["features"]:
        mitglieder = f["properties"]["mitglieder"].split("; ") if f["properties"]["mitglieder"] else []
        assert set(mitglieder) <= offen and len(mitglieder) == f["properties"]["anzahl_mitglieder"]
        if mitglieder:
            assert f["geometry"]["type"] == "MultiPoint" and len(f["geometry"]["coordinates"]) == len(mitglieder)


@pytest.mark.postgis
def test_openapi_gueltig_und_kopfzeilen_des_dienstes(dienst):
    basis, _, ordner = dienst
    umgebung = {**os.environ, "PYGEOAPI_CONFIG": str(ordner / "pg.yml"), "PYGEOAPI_OPENAPI": str(ordner / "oa.yml")}
    erg = subprocess.run([str(PYGEOAPI), "openapi", "validate", str(ordner / "oa.yml")], env=umgebung,
                         capture_output=True, text=True, timeout=120)
    assert erg.returncode == 0 and "Valid OpenAPI document" in erg.stdout + erg.stderr
    _, kopf = _hole(basis, "/collections?f=json", Origin="https://portal.example")
    assert kopf["Access-Control-Allow-Origin"] == "*" and kopf["Cache-Control"] == "public, max-age=300"
    anfrage = urllib.request.Request(basis + "/collections", method="OPTIONS")
    with urllib.request.urlopen(anfrage, timeout=10) as antwort:
        assert antwort.status == 204 and "GET" in antwort.headers["Access-Control-Allow-Methods"]
    with pytest.raises(urllib.error.HTTPError) as fehler:
        _hole(basis, "/collections/einrichtungen/items/gibt-es-nicht?f=json")
    assert fehler.value.code == 404 and fehler.value.headers["Cache-Control"] == "no-store"
    with pytest.raises(urllib.error.HTTPError) as fehler:
        _hole(basis, "/collections/protokollpunkt/items?f=json")
    assert fehler.value.code == 404


@pytest.mark.postgis
@pytest.mark.parametrize("tabelle", ["protokollpunkt", "benutzer", "aenderung", "massnahme", "budget", "sitzung",
                                     "hospitation", "anmeldesperre", "einrichtung", "offene_kennzahl", "indikatorwert"])
def test_datenbank_verweigert_rk_lesen_alles_ausser_den_sichten(dienst, tabelle):
    _, engine, _ = dienst
    roh = create_engine(engine.url)
    try:
        with roh.connect() as c:
            c.execute(text(f"SET ROLE {LESEN}"))
            assert c.execute(text("SELECT count(*) FROM oeffentlich_einrichtungen")).scalar_one() > 0
            with pytest.raises(DBAPIError, match="permission denied"):
                c.execute(text(f"SELECT count(*) FROM {tabelle}"))
            c.rollback()
            c.execute(text(f"SET ROLE {LESEN}"))
            with pytest.raises(DBAPIError):
                c.execute(text("DELETE FROM oeffentlich_einrichtungen"))
            c.rollback()
    finally:
        roh.dispose()


@pytest.mark.postgis
def test_leser_funktioniert_als_rk_lesen_und_nur_die_eigentuemerin_veroeffentlicht(dienst, kommune):
    _, engine, _ = dienst
    als_lesen = erstelle_engine(engine.url.set(username=LESEN).render_as_string(hide_password=False))
    try:
        gdf = oeffentlich.lies(als_lesen, "einrichtungen")
        assert len(gdf) == _zahl(engine, f"SELECT count(*) FROM einrichtung WHERE {OFFEN}")
        assert gdf.crs.to_epsg() == 4326
        jahr = _zahl(engine, "SELECT max(jahr) FROM indikatorwert")
        assert len(oeffentlich.lies(als_lesen, "sozialraeume", jahr=jahr)) == 10
        with pytest.raises(DatenbankFehler, match="Eigentümerin"):
            oeffentlich.veroeffentliche(als_lesen, bezeichnungen=[], werte=pd.DataFrame(columns=SPALTEN))
    finally:
        als_lesen.dispose()


@pytest.mark.postgis
def test_neue_werte_veroeffentlicht_auch_die_anwendung_neue_spalten_nur_die_eigentuemerin(dienst, kommune):
    """Ein Indikator-Import auf der Seite läuft als rk_app: neue Werte brauchen keine Schemaänderung."""
    from daten.betrieb import APP

    _, engine, _ = dienst
    with engine.connect() as c:
        bez = [tuple(z) for z in c.execute(text(
            "SELECT liste, schluessel, bezeichnung, einheit, art, reihenfolge FROM offene_bezeichnung"))]
        werte = pd.DataFrame(c.execute(text(
            "SELECT k.ebene, coalesce(st.name, sr.name) AS gebiet, k.jahr, k.schluessel, k.wert, k.text "
            "FROM offene_kennzahl k LEFT JOIN stadtteil st ON k.ebene = 'stadtteil' AND st.id = k.gebiet_id "
            "LEFT JOIN sozialraum sr ON k.ebene = 'sozialraum' AND sr.id = k.gebiet_id")).all(), columns=SPALTEN)
    jahr = int(werte.jahr.max())
    zeile = (werte.ebene == "stadtteil") & (werte.gebiet == "Altstadt") & (werte.jahr == jahr) & (
        werte.schluessel == "einwohner")
    assert zeile.sum() == 1
    geaendert = werte.copy()
    geaendert.loc[zeile, "wert"] = 4711.0
    als_app = erstelle_engine(engine.url.set(username=APP).render_as_string(hide_password=False))
    try:
        oeffentlich.veroeffentliche(als_app, bezeichnungen=bez, werte=geaendert)
        gdf = oeffentlich.lies(als_app, "stadtteile", jahr=jahr)
        assert gdf.set_index("name").loc["Altstadt", "einwohner"] == 4711.0
        # eine neue Spalte (Konfiguration) verlangt die Eigentümerin
        extra = ("kennzahl", "neu_kz", "Neue Kennzahl", None, "zahl", 99)
        with pytest.raises(DatenbankFehler, match="Eigentümerin"):
            oeffentlich.veroeffentliche(als_app, bezeichnungen=[*bez, extra], werte=geaendert)
    finally:
        als_app.dispose()
        oeffentlich.veroeffentliche(engine, bezeichnungen=bez, werte=werte)
    gdf = oeffentlich.lies(engine, "stadtteile", jahr=jahr)
    assert gdf.set_index("name").loc["Altstadt", "einwohner"] == werte.loc[zeile, "wert"].iloc[0]


@pytest.mark.postgis
def test_ausgeblendete_und_geschlossene_einrichtungen_sind_nicht_oeffentlich(dienst):
    _, engine, _ = dienst
    with engine.connect() as c:
        a, b = c.execute(text(f"SELECT schluessel FROM einrichtung WHERE {OFFEN} AND gueltig_bis IS NULL "
                              "ORDER BY id LIMIT 2")).scalars().all()
    try:
        with engine.begin() as c:
            c.execute(text("UPDATE einrichtung SET aktiv = false WHERE schluessel = :s"), {"s": a})
            c.execute(text("UPDATE einrichtung SET gueltig_bis = current_date - 1 WHERE schluessel = :s"), {"s": b})
        schluessel = set(oeffentlich.lies(engine, "einrichtungen").schluessel)
        assert a not in schluessel and b not in schluessel
        with engine.begin() as c:  # Schließung heute: heute noch offen
            c.execute(text("UPDATE einrichtung SET gueltig_bis = current_date WHERE schluessel = :s"), {"s": b})
        assert b in set(oeffentlich.lies(engine, "einrichtungen").schluessel)
    finally:
        with engine.begin() as c:
            c.execute(text("UPDATE einrichtung SET aktiv = true, gueltig_bis = NULL WHERE schluessel IN (:a, :b)"),
                      {"a": a, "b": b})


def test_dienst_meldet_fehlende_konfiguration_deutsch(monkeypatch):
    from berichte import opendienst

    monkeypatch.delenv("PYGEOAPI_CONFIG", raising=False)
    with pytest.raises(SystemExit, match="PYGEOAPI_CONFIG ist nicht gesetzt"):
        opendienst.pruefe_umgebung()
    monkeypatch.setenv("PYGEOAPI_CONFIG", "/nirgends/pg.yml")
    monkeypatch.setenv("PYGEOAPI_OPENAPI", "/nirgends/oa.yml")
    with pytest.raises(SystemExit, match="die Datei fehlt"):
        opendienst.pruefe_umgebung()


# ------------------------------------------------------------------------------------------ SQLite
@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory, kommune):
    url = f"sqlite:///{tmp_path_factory.mktemp('od_sqlite') / 'rk.db'}"
    engine = erstelle_engine(url)
    initialisiere(engine, kommune, demo=True)
    yield url, engine
    engine.dispose()


def test_sichten_auf_sqlite_wie_erklaert(sqlite_demo, kommune):
    _, engine = sqlite_demo
    leer = oeffentlich.lies(engine, "stadtteile")  # vor dem Veröffentlichen: eine Zeile je Stadtteil, ohne Jahr
    assert len(leer) == 15 and leer["jahr"].isna().all()
    n = aktualisiere(engine, kommune)
    with sitzung(engine, akteur=None) as s:
        protokoll = s.scalar(select(func.count()).select_from(m.Aenderung))
    assert aktualisiere(engine, kommune) == n > 0  # unverändert: schreibt nichts, keine Zeile im Protokoll
    with sitzung(engine, akteur=None) as s:
        assert s.scalar(select(func.count()).select_from(m.Aenderung)) == protokoll
    kennzahlen = [*kommune.offene_daten.merkmale, "bedarfsindex", "statusklasse", "bedarfsklasse"]
    for name, sicht in oeffentlich.SICHTEN.items():
        gdf = oeffentlich.lies(engine, name)
        fest = [s for s in politik.OEFFENTLICH[sicht] if s != "geometrie"]
        erwartet = [*fest, *(kennzahlen if name in ("stadtteile", "sozialraeume") else []), "geometry"]
        assert list(gdf.columns) == erwartet, name
        assert gdf.crs.to_epsg() == 4326 and gdf.geometry.notna().all(), name
    with engine.connect() as c:
        offen = c.execute(text(f"SELECT count(*) FROM einrichtung WHERE {OFFEN}")).scalar_one()
    assert len(oeffentlich.lies(engine, "einrichtungen")) == offen
    with engine.connect() as c:
        jahr = c.execute(text("SELECT max(jahr) FROM indikatorwert")).scalar_one()
    sr = oeffentlich.lies(engine, "sozialraeume", jahr=jahr)
    assert len(sr) == 10 and set(sr.geometry.geom_type) == {"MultiPolygon"}
    with pytest.raises(Exception, match="Unbekannte öffentliche Sicht"):
        oeffentlich.lies(engine, "benutzer")


def test_kapazitaet_nur_wenn_freigegeben(sqlite_demo, kommune):
    _, engine = sqlite_demo
    frei = kommune.model_copy(update={"offene_daten": kommune.offene_daten.model_copy(update={"kapazitaet": True})})
    try:
        aktualisiere(engine, frei)
        assert oeffentlich.lies(engine, "einrichtungen")["kapazitaet"].notna().any()
    finally:
        aktualisiere(engine, kommune)
    assert oeffentlich.lies(engine, "einrichtungen")["kapazitaet"].isna().all()


def test_sichten_ueberstehen_migration_zurueck_und_vor(tmp_path, kommune):
    engine = erstelle_engine(f"sqlite:///{tmp_path / 'rk.db'}")
    initialisiere(engine, kommune)
    migriere(engine, "0008_kalender", zurueck=True)
    with engine.connect() as c:
        assert not [v for v in oeffentlich.SICHTEN.values() if v in c.dialect.get_view_names(c)]
    migriere(engine)
    with engine.connect() as c:
        assert set(oeffentlich.SICHTEN.values()) <= set(c.dialect.get_view_names(c))
    engine.dispose()


def test_opendata_auf_sqlite_ohne_server(sqlite_demo, tmp_path, capsys):
    """SQLite: die Sammlungen als GeoJSON neben der Konfiguration; pygeoapis GeoJSON-Anbieter filtert sie."""
    from pygeoapi.provider.geojson import GeoJSONProvider

    url, engine = sqlite_demo
    cfg = tmp_path / "od.yml"
    assert main(["--db", url, "opendata", str(cfg), "--basis-url", "https://karte.example/api"]) == 0
    assert "GeoJSON-Dateien" in capsys.readouterr().out
    c = yaml.safe_load(cfg.read_text())
    assert c["server"]["url"] == "https://karte.example/api"
    assert c["metadata"]["license"]["url"] == "https://www.govdata.de/dl-de/by-2-0"
    assert c["metadata"]["contact"]["email"] and set(c["resources"]) == set(TITEL)
    anbieter = c["resources"]["einrichtungen"]["providers"][0]
    assert anbieter["name"] == "GeoJSON" and Path(anbieter["data"]).parent == tmp_path / "od.daten"
    p = GeoJSONProvider(anbieter)
    alle = p.query(limit=5000)
    assert alle["numberMatched"] == len(oeffentlich.lies(engine, "einrichtungen"))
    mombach = p.query(limit=5000, properties=[("sozialraum", "Mombach")])
    ausschnitt = p.query(limit=5000, bbox=[8.25, 49.99, 8.28, 50.01])
    assert 0 < mombach["numberMatched"] < alle["numberMatched"]
    assert 0 < ausschnitt["numberMatched"] < alle["numberMatched"]
    umgebung = {**os.environ, "PYGEOAPI_CONFIG": str(cfg), "PYGEOAPI_OPENAPI": str(tmp_path / "oa.yml")}
    erg = subprocess.run([str(PYGEOAPI), "openapi", "generate", str(cfg), "--output-file", str(tmp_path / "oa.yml")],
                         env=umgebung, capture_output=True, text=True, timeout=120)
    assert erg.returncode == 0, erg.stderr[-2000:]


def test_opendata_klare_fehler(tmp_path, capsys):
    assert main(["--db", f"sqlite:///{tmp_path / 'fehlt.db'}", "opendata", str(tmp_path / "x.yml")]) == 1
    assert "gibt es nicht" in capsys.readouterr().err
    assert main(["--db", f"sqlite:///{tmp_path / 'x.db'}", "opendata", str(tmp_path / "x.txt")]) == 1
    assert ".yml" in capsys.readouterr().err
    assert main(["--db", f"sqlite:///{tmp_path / 'x.db'}", "opendata", str(tmp_path / "nein" / "x.yml")]) == 1
    assert "existiert nicht" in capsys.readouterr().err


def test_opendata_ohne_pygeoapi_sagt_was_zu_installieren_ist(sqlite_demo, tmp_path, monkeypatch, capsys):
    import importlib.util

    echt = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pygeoapi" else echt(name, *a))
    url, _ = sqlite_demo
    assert main(["--db", url, "opendata", str(tmp_path / "od.yml")]) == 0
    aus = capsys.readouterr().out
    assert "pygeoapi ist nicht installiert" in aus and "ressourcenkarte[opendata]" in aus
    assert (tmp_path / "od.yml").exists()


def test_dienst_liefert_die_offenen_dateien_nur_bekannte_namen(tmp_path):
    from berichte.opendienst import OffeneDatenDienst

    (tmp_path / "einrichtungen.csv").write_bytes(b"\xef\xbb\xbfname;art\n")
    (tmp_path / "geheim.txt").write_text("intern")
    innen_gerufen = []

    def innen(umgebung, start):  # noqa: ANN001, ANN202 - pygeoapi-Ersatz
        innen_gerufen.append(umgebung["PATH_INFO"])
        start("200 OK", [("Content-Type", "application/json")])
        return [b"{}"]

    dienst = OffeneDatenDienst(innen, portal="https://portal.example", cache_s=600, dateien=tmp_path)

    def rufe(pfad, methode="GET"):  # noqa: ANN001, ANN202
        antwort = {}

        def start(status, kopf):  # noqa: ANN001, ANN202
            antwort["status"], antwort["kopf"] = status, dict(kopf)

        antwort["inhalt"] = b"".join(dienst({"REQUEST_METHOD": methode, "PATH_INFO": pfad}, start))
        return antwort

    a = rufe("/offene-daten/einrichtungen.csv")
    assert a["status"] == "200 OK" and a["inhalt"] == b"\xef\xbb\xbfname;art\n"
    assert a["kopf"]["Content-Type"] == "text/csv; charset=utf-8"
    assert a["kopf"]["Access-Control-Allow-Origin"] == "https://portal.example"
    assert a["kopf"]["Cache-Control"] == "public, max-age=600"
    assert rufe("/offene-daten/einrichtungen.csv", "HEAD")["inhalt"] == b""
    for name in ("geheim.txt", "../test_opendata.py", "%2e%2e/geheim.txt", "stadtteile.csv"):  # stadtteile fehlt
        a = rufe(f"/offene-daten/{name}")
        assert a["status"] == "404 Not Found" and a["kopf"]["Cache-Control"] == "no-store", name
        assert b"intern" not in a["inhalt"]
    assert innen_gerufen == []
    assert rufe("/collections")["status"] == "200 OK" and innen_gerufen == ["/collections"]
    ohne, status = OffeneDatenDienst(innen, dateien=None), []
    ohne({"REQUEST_METHOD": "GET", "PATH_INFO": "/offene-daten/einrichtungen.csv"}, lambda s, _k: status.append(s))
    assert status == ["404 Not Found"]  # ohne RK_OFFENE_DATEIEN keine Dateien


@pytest.mark.postgis
def test_dateien_schreibt_auch_rk_lesen(dienst, tmp_path, capsys):
    """Der Dienst schreibt die Dateien vor dem Start als rk_lesen (deploy/systemd/ressourcenkarte-api.service)."""
    _, engine, _ = dienst
    als_lesen = engine.url.set(username=LESEN).render_as_string(hide_password=False)
    assert main(["--db", als_lesen, "opendata-dateien", str(tmp_path), "--basis-url", "https://k.example"]) == 0
    geo = json.loads((tmp_path / "einrichtungen.geojson").read_text(encoding="utf-8"))
    assert len(geo["features"]) == _zahl(engine, f"SELECT count(*) FROM einrichtung WHERE {OFFEN}")
    satz = json.loads((tmp_path / "metadaten.dcat.json").read_text(encoding="utf-8"))
    assert "Einwohnerinnen und Einwohner" in satz["dct:description"]  # Bezeichnungen als rk_lesen gelesen
