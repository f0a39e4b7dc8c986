"""Import und Pflege ordnen dieselben Punkte demselben Stadtteil zu (früher: der Import nahm einen Punkt in einer
Lücke zwischen zwei Grenzen an, die Pflege-Seite lehnte ihn als „außerhalb des Stadtgebiets“ ab)."""

import geopandas as gpd
import pytest
import shapely

from daten import dienste
from daten import modelle as m
from daten.db import sitzung
from daten.dienste import einrichtungen as de
from daten.dienste import raum
from daten.fehler import EingabeFehler
from daten.geometrie import nach_metrisch, nach_wgs84
from daten.politik import SYSTEM
from tests.conftest import realdata
from tests.daten.dienste_hilfen import DLAT, DLON, LAT0, LON0
from tests.daten.import_hilfen import ADMIN, importiere_datei, setze_rohe_grenzen

pytest_plugins = ["tests.daten.import_fixtures"]
LUECKE_M = 60.0  # so breit wird der Streifen zwischen Laubenheim und Weisenau


def _verschoben(p: shapely.Point, dx_m: float, crs: int) -> shapely.Point:
    q = nach_metrisch(p, crs_metrisch=crs)
    return nach_wgs84(shapely.Point(q.x + dx_m, q.y), crs_metrisch=crs)


def _mit_luecke(welt) -> None:
    """Weisenau verliert an seiner Westseite einen 60 m breiten Streifen: eine Lücke zu Laubenheim."""
    crs = welt.kommune.crs_metrisch
    alt = welt.boxen["Weisenau"]
    west = _verschoben(shapely.Point(alt.bounds[0], alt.centroid.y), LUECKE_M, crs).x
    with sitzung(welt.engine, akteur=SYSTEM) as s:
        st = s.get(m.Stadtteil, welt.stadtteil["Weisenau"])
        st.geometrie = shapely.box(west, alt.bounds[1], alt.bounds[2], alt.bounds[3])


def _faelle(welt) -> dict[str, tuple[shapely.Point, str | None]]:
    """Punkt und erwarteter Stadtteil (None = abgelehnt) – je Regel und beide Seiten der Toleranz."""
    crs, t = welt.kommune.crs_metrisch, welt.kommune.stadtteil_toleranz_m
    mitte_y = LAT0 + DLAT / 2
    west = shapely.Point(LON0, mitte_y)  # Westrand von Neustadt
    laubenheim_ost = shapely.Point(LON0 + 2 * DLON, mitte_y)
    return {
        "innen": (welt.mitte("Neustadt"), "Neustadt"),
        "Grenze Neustadt/Laubenheim": (shapely.Point(LON0 + DLON, mitte_y), "Neustadt"),  # kleinere id
        "Toleranz − 1 m": (_verschoben(west, -(t - 1), crs), "Neustadt"),
        "Toleranz + 1 m": (_verschoben(west, -(t + 1), crs), None),
        "Lücke, 20 m neben Laubenheim": (_verschoben(laubenheim_ost, 20, crs), "Laubenheim"),
        "Lücke, 20 m neben Weisenau": (_verschoben(laubenheim_ost, LUECKE_M - 20, crs), "Weisenau"),
        "Berlin": (shapely.Point(13.4, 52.52), None),
    }


def _import(welt, faelle, tmp_path):
    pfad = tmp_path / "punkte.csv"
    zeilen = [f"{name};kita;{p.y:.9f};{p.x:.9f}" for name, (p, _) in faelle.items()]
    pfad.write_text("name;art;lat;lon\n" + "\n".join(zeilen) + "\n", encoding="utf-8")
    erg = importiere_datei(welt.engine, welt.kommune, "einrichtungen", pfad, probe=True)
    namen = list(faelle)
    angenommen = {z["name"]: z["stadtteil"] for z in erg.plan.zeilen}
    abgelehnt = {namen[b.zeile - 2]: b for b in erg.bericht.befunde if b.stufe == "Fehler"}
    return angenommen, abgelehnt, erg.bericht


def _pflege(welt, faelle):
    angenommen, abgelehnt = {}, {}
    with sitzung(welt.engine, akteur=None) as s:
        for name, (p, _) in faelle.items():
            try:
                angenommen[name] = raum.verorte(s, p, kommune=welt.kommune).stadtteil
            except EingabeFehler as exc:
                abgelehnt[name] = str(exc)
    return angenommen, abgelehnt


def test_import_und_pflege_ordnen_gleich_zu(welt, tmp_path):
    _mit_luecke(welt)
    faelle = _faelle(welt)
    erwartet = {n: st for n, (_, st) in faelle.items() if st is not None}
    imp_an, imp_ab, bericht = _import(welt, faelle, tmp_path)
    pfl_an, pfl_ab = _pflege(welt, faelle)
    assert imp_an == pfl_an == erwartet
    assert set(imp_ab) == set(pfl_ab) == {"Toleranz + 1 m", "Berlin"}
    for name, befund in imp_ab.items():  # derselbe Text: Punkt, nächster Stadtteil, Abstand
        assert befund.feld == "lat/lon" and "außerhalb des Stadtgebiets" in befund.problem
        assert pfl_ab[name].startswith(befund.problem), (name, befund.problem, pfl_ab[name])
    assert "101,0 m vom nächsten Stadtteil Neustadt" in imp_ab["Toleranz + 1 m"].problem
    # Lücke und Toleranz: angenommen mit Warnung im Importbericht, die den Stadtteil nennt
    warnungen = {b.zeile: b.problem for b in bericht.befunde if b.stufe == "Warnung"}
    for nr, name in enumerate(faelle, start=2):
        if name.startswith(("Lücke", "Toleranz − 1 m")):
            assert f"gehört zum nächsten Stadtteil {erwartet[name]}" in warnungen[nr]
        else:
            assert nr not in warnungen


def test_pflege_legt_an_wo_der_import_annimmt(welt):
    """Der gemeldete Fehler: ein Punkt in der Lücke zwischen zwei Grenzen ließ sich nur importieren."""
    _mit_luecke(welt)
    p, stadtteil = _faelle(welt)["Lücke, 20 m neben Laubenheim"]
    tl = welt.tl("Laubenheim, Weisenau")
    e = dienste.ausfuehren(welt.engine, tl, de.lege_einrichtung_an, kommune=welt.kommune, name="Kita Lücke",
                           art="kita", traeger_art="staedtisch", punkt=p)
    with sitzung(welt.engine, akteur=None) as s:
        gespeichert = s.get(m.Einrichtung, e.id)
        assert gespeichert.stadtteil.name == stadtteil == "Laubenheim"
        assert shapely.equals_exact(gespeichert.geometrie, p, 1e-9)  # die Lage bleibt, wie angegeben


@pytest.mark.realdata
def test_echte_schulen_und_ungereinigte_grenzen_gleich_zugeordnet(demo_sqlite, kommune):
    """46 Mainzer Schulen gegen die rohen Ortsbezirke (Lücken, Überlappungen): Import und Pflege sagen dasselbe,
    auch für das Gymnasium in der Lücke zwischen drei Ortsbezirken."""
    setze_rohe_grenzen(demo_sqlite)
    datei = realdata("mainz_schulen_jedeschule_subset.geojson")
    erg = importiere_datei(demo_sqlite, kommune, "einrichtungen", datei, probe=True, zeilen_ueberspringen=True,
                           akteur=ADMIN)
    schulen = gpd.read_file(datei)
    imp = {z["zeile"]: z["stadtteil"] for z in erg.plan.zeilen}
    assert len(imp) == 46
    with sitzung(demo_sqlite, akteur=None) as s:
        pfl = {nr: raum.verorte(s, schulen.geometry.iloc[nr - 1], kommune=kommune).stadtteil for nr in imp}
    assert pfl == imp
    luecke = int(schulen.index[schulen["address"].str.contains("Hechtsheimer Str. 29")][0]) + 1
    assert imp[luecke] in {"Oberstadt", "Hechtsheim", "Weisenau"}  # Nachbarn der Lücke
    (warnung,) = [b for b in erg.bericht.befunde if b.stufe == "Warnung" and b.zeile == luecke]
    assert f"gehört zum nächsten Stadtteil {imp[luecke]}" in warnung.problem
