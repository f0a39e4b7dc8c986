"""Import der Stadtteil-Grenzen: echte Mainzer Datei mit Splittern, Benennung, Bereinigung, Neuzuordnung."""

import zipfile

import geopandas as gpd
import numpy as np
import pytest
import shapely
from sqlalchemy import select

from daten import modelle as m
from daten import repository as repo
from daten.db import sitzung
from daten.importe import StadtteilOptionen
from daten.politik import SYSTEM
from tests.conftest import realdata
from tests.daten.import_hilfen import JHP, importiere_datei, stand

pytest_plugins = ["tests.daten.import_fixtures"]
pytestmark = pytest.mark.realdata
NAMED = "mainz_ortsbezirke_lageinfo_named.geojson"
RAW = "mainz_ortsbezirke_lageinfo_raw.geojson"


def _grenzen(engine) -> gpd.GeoDataFrame:
    with sitzung(engine, akteur=None) as s:
        return repo.stadtteile(session=s)


def _jeder_punkt_genau_einmal(st: gpd.GeoDataFrame, n: int = 20_000) -> np.ndarray:
    """Zufallspunkte in der Stadt: in wie vielen Stadtteilen liegt jeder? (Rand hat Fläche null)"""
    geo = st.to_crs(25832).geometry.values
    stadt = shapely.union_all(geo)
    rng = np.random.default_rng(7)
    x0, y0, x1, y1 = stadt.bounds
    pkt = shapely.points(rng.uniform(x0, x1, n), rng.uniform(y0, y1, n))
    pkt = pkt[shapely.contains(stadt, pkt)]
    return sum(shapely.contains(g, pkt).astype(int) for g in geo)


def test_benannte_datei_ergibt_lueckenlose_ueberdeckung(demo_db, kommune):
    roh = gpd.read_file(realdata(NAMED)).to_crs(25832)
    assert not shapely.coverage_is_valid(roh.geometry.values)  # die Datei hat wirklich Splitter
    with sitzung(demo_db, akteur=SYSTEM) as s:  # amtliche Nummer fehlt: der Import setzt sie aus der Konfiguration
        for teil in s.scalars(select(m.Stadtteil)):
            teil.nummer = None
    vorher = _grenzen(demo_db)
    erg = importiere_datei(demo_db, kommune, "stadtteile", realdata(NAMED), probe=False)
    assert erg.geschrieben, erg.bericht.als_text()
    st = _grenzen(demo_db)
    assert len(st) == 15 and st.geometry.notna().all()
    assert dict(zip(st["name"], st["nummer"], strict=True)) == kommune.stadtteil_nummern
    assert shapely.coverage_is_valid(st.geometry.values)  # EPSG:4326, wie gespeichert
    stadt = shapely.union_all(st.to_crs(25832).geometry.values)
    assert stadt.geom_type == "Polygon" and len(stadt.interiors) == 0  # 32 Splitterlöcher geschlossen
    assert set(_jeder_punkt_genau_einmal(st)) == {1}
    # Flächen in m² (EPSG:25832) berichtet; nichts Großes verschoben
    fl = erg.plan.flaechen.set_index("stadtteil")
    assert fl.loc["Finthen", "flaeche_vorher_m2"] == pytest.approx(11.02e6, rel=0.01)
    assert (fl["aenderung_m2"].abs() < 10_000).all()
    assert erg.plan.verschiebungen["flaeche_m2"].sum() > 10_000
    assert any("Überlappung" in b.problem and "m²" in b.problem for b in erg.bericht.befunde)
    # Sozialräume folgen (Vereinigung beim Lesen), Einrichtungen neu zugeordnet und aufgelistet
    with sitzung(demo_db, akteur=None) as s:
        sr = repo.sozialraeume(session=s).set_index("name")
        ein = repo.einrichtungen(session=s, kommune=kommune)
    drais = shapely.union_all(st[st["name"].isin(["Drais", "Lerchenberg", "Marienborn"])].geometry.values)
    assert sr.loc["Drais, Lerchenberg, Marienborn", "geometry"].equals(drais)
    assert erg.plan.umzuege and all(u.alt != u.neu for u in erg.plan.umzuege)
    umzug = erg.plan.umzuege[0]
    assert ein.set_index("id").loc[umzug.einrichtung_id, "stadtteil"] == umzug.neu
    j = gpd.sjoin(ein, st[["name", "geometry"]].rename(columns={"name": "st_name"}), predicate="within")
    assert len(j) >= len(ein) - 10 and (j["stadtteil"] == j["st_name"]).all()  # Demo-Punkte am Rand: außerhalb
    assert vorher.geometry.iloc[0] != st.geometry.iloc[0]


def test_zweiter_import_derselben_datei_aendert_nichts(demo_sqlite, kommune):
    importiere_datei(demo_sqlite, kommune, "stadtteile", realdata(NAMED), probe=False)
    davor = stand(demo_sqlite)
    erg = importiere_datei(demo_sqlite, kommune, "stadtteile", realdata(NAMED), probe=False)
    assert erg.geschrieben and not erg.plan.geometrien and not erg.plan.umzuege
    assert stand(demo_sqlite) == davor


def test_rohe_datei_ohne_namen_wird_abgelehnt_und_nichts_geschrieben(demo_db, kommune):
    davor = stand(demo_db)
    erg = importiere_datei(demo_db, kommune, "stadtteile", realdata(RAW), probe=False)
    assert not erg.geschrieben
    fehler = [b for b in erg.bericht.befunde if b.stufe == "Fehler"]
    assert len(fehler) == 15 and all("ohne Stadtteilnamen" in b.problem for b in fehler)
    assert "OBJECTID" in fehler[0].problem and "--namen-nach-lage" in fehler[0].handlung
    assert stand(demo_db) == davor


def _zuordnung_aus_named() -> dict[str, str]:
    named = gpd.read_file(realdata(NAMED))
    return {str(o): n for o, n in zip(named["OBJECTID"], named["ortsbezirk"], strict=True)}


def test_rohe_datei_mit_zuordnungsdatei(demo_sqlite, kommune, tmp_path):
    """Wie eine städtische IT: Namensfeld OBJECTID und eine CSV-Zuordnung (hier aus der benannten Datei gebaut)."""
    csv = tmp_path / "zuordnung.csv"
    csv.write_text("OBJECTID;Stadtteil\n" + "".join(f"{o};{n}\n" for o, n in _zuordnung_aus_named().items()),
                   encoding="utf-8")
    from daten.importe import lies_zuordnung

    opt = StadtteilOptionen(name_feld="OBJECTID", zuordnung=lies_zuordnung([], csv))
    erg = importiere_datei(demo_sqlite, kommune, "stadtteile", realdata(RAW), optionen=opt, probe=False)
    assert erg.geschrieben, erg.bericht.als_text()
    st = _grenzen(demo_sqlite).set_index("name")
    named = gpd.read_file(realdata(NAMED)).set_index("ortsbezirk")
    for name in ("Lerchenberg", "Altstadt", "Laubenheim"):
        iou = (st.loc[name, "geometry"].intersection(named.loc[name, "geometry"]).area
               / st.loc[name, "geometry"].union(named.loc[name, "geometry"]).area)
        assert iou > 0.99, name


def test_rohe_datei_nach_lage_benannt(demo_sqlite, kommune):
    erg = importiere_datei(demo_sqlite, kommune, "stadtteile", realdata(RAW),
                           optionen=StadtteilOptionen(namen_nach_lage=True), probe=True)
    erwartet = _zuordnung_aus_named()
    raw = gpd.read_file(realdata(RAW))
    benannt = {b.zeile: b.problem.split("benannt: ")[1].split(" (")[0]
               for b in erg.bericht.befunde if "nach Lage benannt" in b.problem}
    assert len(benannt) == 15
    for nr, name in benannt.items():
        assert erwartet[str(raw["OBJECTID"].iloc[nr - 1])] == name
    assert not erg.bericht.hat_fehler and not erg.geschrieben


def test_beinahe_treffer_mit_vorschlag_und_zuordnung(demo_sqlite, kommune, tmp_path):
    named = gpd.read_file(realdata(NAMED))
    named.loc[named["ortsbezirk"] == "Gonsenheim", "ortsbezirk"] = "Gonsenhiem"
    named.loc[named["ortsbezirk"] == "Altstadt", "ortsbezirk"] = "MAINZ-ALTSTADT"
    pfad = tmp_path / "tippfehler.geojson"
    named.to_file(pfad)
    erg = importiere_datei(demo_sqlite, kommune, "stadtteile", pfad, probe=True)
    fehler = [b for b in erg.bericht.befunde if b.stufe == "Fehler"]
    assert len(fehler) == 1 and "Gonsenhiem" in fehler[0].problem and "'Gonsenheim'" in fehler[0].problem
    assert any("als 'Altstadt' gelesen" in b.problem for b in erg.bericht.befunde)
    erg = importiere_datei(demo_sqlite, kommune, "stadtteile", pfad, probe=True,
                           optionen=StadtteilOptionen(zuordnung={"Gonsenhiem": "Gonsenheim"}))
    assert not erg.bericht.hat_fehler


def test_anderes_kbs_als_gezipptes_shapefile_mit_kaputter_geometrie(demo_sqlite, kommune, tmp_path):
    named = gpd.read_file(realdata(NAMED)).to_crs(25832)[["ortsbezirk", "geometry"]]
    named = named.rename(columns={"ortsbezirk": "ORTSBEZ"})
    # Loch, das über den Rand hinausragt (Ringe schneiden sich) in Mombach: make_valid muss reparieren
    i = int(np.flatnonzero(named["ORTSBEZ"] == "Mombach")[0])
    aussen = named.geometry.iloc[i].exterior
    x, y = aussen.coords[5]
    loch = shapely.box(x - 40, y - 40, x + 40, y + 40).exterior
    named.loc[named.index[i], "geometry"] = shapely.Polygon(aussen, [loch])
    assert not named.geometry.iloc[i].is_valid
    named.to_file(tmp_path / "ob.shp")
    zp = tmp_path / "ortsbezirke.zip"
    with zipfile.ZipFile(zp, "w") as zf:
        for teil in tmp_path.glob("ob.*"):
            zf.write(teil, f"ordner/{teil.name}")
    erg = importiere_datei(demo_sqlite, kommune, "stadtteile", zp, probe=False)
    assert erg.geschrieben, erg.bericht.als_text()
    assert any("EPSG:25832" in b.problem for b in erg.bericht.befunde if b.feld == "KBS")
    repariert = [b for b in erg.bericht.befunde if "make_valid" in b.problem]
    assert len(repariert) == 1 and repariert[0].zeile == i + 1 and "Mombach" in repariert[0].problem
    st = _grenzen(demo_sqlite)
    assert st.geometry.is_valid.all() and shapely.coverage_is_valid(st.geometry.values)
    assert st.total_bounds[0] == pytest.approx(8.14, abs=0.02)  # zurück in EPSG:4326


def test_nicht_berechtigt_nichts_geschrieben(demo_sqlite, kommune):
    davor = stand(demo_sqlite)
    erg = importiere_datei(demo_sqlite, kommune, "stadtteile", realdata(NAMED), akteur=JHP, probe=False)
    assert not erg.geschrieben and any(b.feld == "Rechte" for b in erg.bericht.befunde)
    assert stand(demo_sqlite) == davor


def test_schreiben_protokolliert_die_person(demo_db, kommune):
    importiere_datei(demo_db, kommune, "stadtteile", realdata(NAMED), probe=False)
    with sitzung(demo_db, akteur=None) as s:
        zeilen = s.scalars(select(m.Aenderung).where(m.Aenderung.benutzer == "admin-test")).all()
    tabellen = {z.tabelle for z in zeilen}
    assert tabellen == {"stadtteil", "einrichtung"}
    assert sum(z.tabelle == "stadtteil" for z in zeilen) == 15
