"""Die eine Regel Punkt → Stadtteil (daten.geometrie): im Stadtteil (Rand inklusive, kleinste id bei mehreren),
sonst der nächste innerhalb der Toleranz der Kommune, sonst abgelehnt – und das metrische KBS aus der Konfiguration.

Flächen und Punkte werden in Metern gebaut und wie im Produkt in EPSG:4326 übergeben; die Flächen mit Stützpunkten
alle 10 m wie echte Grenzen, damit ihre Kanten in Grad dieselben Linien sind wie in Metern."""

import math

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, box

from daten.fehler import EingabeFehler
from daten.geometrie import (
    KEINE_GRENZEN,
    RAND_M,
    metrisches_crs,
    nach_metrisch,
    nach_wgs84,
    ordne_stadtteile,
    stadtteil_fuer_punkt,
)

X0, Y0 = 445_000.0, 5_540_000.0  # Mainz, EPSG:25832


def _teile(crs: int = 25832, ids=(1, 2, 3), x0: float = X0, y0: float = Y0) -> gpd.GeoDataFrame:
    """A | B nebeneinander (gemeinsame Grenze bei x0 + 1000), dann 200 m Lücke, dann C."""
    geo = [box(x0, y0, x0 + 1000, y0 + 1000), box(x0 + 1000, y0, x0 + 2000, y0 + 1000),
           box(x0 + 2200, y0, x0 + 3000, y0 + 1000)]
    return _in_grad(gpd.GeoDataFrame({"id": list(ids), "name": ["A", "B", "C"]}, geometry=geo, crs=crs))


def _in_grad(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gdf.set_geometry(gdf.geometry.segmentize(10.0)).to_crs(4326)


def _punkte(xy, crs: int = 25832, x0: float = X0, y0: float = Y0) -> gpd.GeoSeries:
    return gpd.GeoSeries([Point(x0 + x, y0 + y) for x, y in xy], crs=crs).to_crs(4326)


def _ein(punkt_xy, kommune, **kw):
    return stadtteil_fuer_punkt(_punkte([punkt_xy], **kw).iloc[0], _teile(**kw), kommune=kommune)


def test_mainz_toleranz_und_kbs_kommen_aus_der_konfiguration(kommune):
    assert kommune.stadtteil_toleranz_m == 100 and metrisches_crs(kommune) == 25832


def test_innen_und_auf_dem_rand(kommune):
    zu = ordne_stadtteile(_punkte([(500, 500), (0, 500), (1500, 999.999), (2600, 1000)]), _teile(), kommune=kommune)
    assert list(zu["stadtteil"]) == ["A", "A", "B", "C"]
    assert list(zu["abstand_m"]) == [0.0, 0.0, 0.0, 0.0]  # der Außenrand zählt als innen, nicht als Toleranz


def test_gemeinsame_grenze_geht_an_die_kleinste_id(kommune):
    grenze = [(1000, 500)]
    assert ordne_stadtteile(_punkte(grenze), _teile(), kommune=kommune)["stadtteil"].tolist() == ["A"]
    # nicht die Zeilenfolge entscheidet, sondern die id
    assert ordne_stadtteile(_punkte(grenze), _teile(ids=(5, 4, 3)), kommune=kommune)["stadtteil"].tolist() == ["B"]


def test_randzone_von_einem_zentimeter_beide_seiten(kommune):
    """Bis RAND_M neben der Grenze zählt der Punkt als auf ihr (kleinste id); weiter drin nicht mehr."""
    assert RAND_M == 0.01
    zu = ordne_stadtteile(_punkte([(1000.005, 500), (1000.02, 500), (-0.005, 500), (-0.02, 500)]), _teile(),
                          kommune=kommune)
    assert list(zu["stadtteil"]) == ["A", "B", "A", "A"]
    assert zu["abstand_m"].iloc[2] == 0.0  # 5 mm außen: noch auf dem Rand
    assert zu["abstand_m"].iloc[3] == pytest.approx(0.02, abs=1e-4)  # 2 cm außen: schon Toleranz (Regel 2)


def test_toleranz_beide_seiten(kommune):
    t = kommune.stadtteil_toleranz_m
    zu = ordne_stadtteile(_punkte([(-(t - 1), 500), (-t, 500), (-(t + 1), 500)]), _teile(), kommune=kommune)
    assert zu["stadtteil"].tolist() == ["A", "A", None]  # höchstens t Meter: zugeordnet
    assert zu["abstand_m"].round(3).tolist() == [t - 1, t, t + 1]
    assert zu["naechster"].tolist() == ["A", "A", "A"]  # auch bei Ablehnung: wer am nächsten liegt


def test_luecke_geht_an_den_naechsten(kommune):
    zu = ordne_stadtteile(_punkte([(2040, 500), (2160, 500)]), _teile(), kommune=kommune)
    assert zu["stadtteil"].tolist() == ["B", "C"]
    assert zu["abstand_m"].round(3).tolist() == [40.0, 40.0]


@pytest.mark.parametrize(("id_z", "erwartet"), [(0, ["Z", "A", "Z"]), (9, ["A", "A", "A"])])
def test_ueberlappung_und_gleicher_abstand_kleinste_id(kommune, id_z, erwartet):
    """Z überlappt A und teilt dessen Südkante: in beiden, oder 50 m unter beiden gleich weit weg."""
    z = _in_grad(gpd.GeoDataFrame({"id": [id_z], "name": ["Z"]}, geometry=[box(X0 + 400, Y0, X0 + 600, Y0 + 1000)],
                                  crs=25832))
    alle = gpd.GeoDataFrame(pd.concat([_teile(), z], ignore_index=True), crs=4326)
    zu = ordne_stadtteile(_punkte([(500, 500), (300, 500), (500, -50)]), alle, kommune=kommune)
    assert zu["stadtteil"].tolist() == erwartet
    assert zu["abstand_m"].iloc[2] == pytest.approx(50.0, abs=1e-3)


def test_ohne_lage_und_ohne_grenzen(kommune):
    p = gpd.GeoSeries([None, Point(math.nan, math.nan), Point()], crs=4326, index=[7, 8, 9])
    zu = ordne_stadtteile(p, _teile(), kommune=kommune)
    assert list(zu.index) == [7, 8, 9] and zu["stadtteil"].isna().all() and zu["abstand_m"].isna().all()
    leer = gpd.GeoDataFrame({"id": [1], "name": ["A"]}, geometry=[None], crs=4326)
    with pytest.raises(EingabeFehler) as info:
        ordne_stadtteile(_punkte([(500, 500)]), leer, kommune=kommune)
    assert str(info.value) == KEINE_GRENZEN and "import stadtteile" in KEINE_GRENZEN


def test_ein_punkt_dieselbe_regel_und_deutsche_ablehnung(kommune):
    t = kommune.stadtteil_toleranz_m
    assert _ein((500, 500), kommune).innen
    lage = _ein((-(t - 1), 500), kommune)
    assert lage.stadtteil == "A" and not lage.innen and lage.abstand_m == pytest.approx(t - 1)
    with pytest.raises(EingabeFehler) as info:
        _ein((-(t + 1), 500), kommune)
    p = _punkte([(-(t + 1), 500)]).iloc[0]
    text = str(info.value)
    assert f"Der Punkt (Breite {p.y:.5f}, Länge {p.x:.5f}) liegt außerhalb des Stadtgebiets" in text
    assert "101,0 m vom nächsten Stadtteil A entfernt, mehr als die erlaubten 100 m" in text
    # getauscht läge der Punkt nicht im Stadtgebiet: kein Rat zum Tauschen, sondern eine Stelle innerhalb wählen
    assert "vertauscht" not in text and "Bitte eine Stelle innerhalb des Stadtgebiets wählen" in text
    with pytest.raises(EingabeFehler, match="Position fehlt"):
        stadtteil_fuer_punkt(Point(math.nan, 1.0), _teile(), kommune=kommune)


def test_andere_utm_zone_ist_nur_konfiguration(kommune):
    """Eine Stadt in UTM 33N (EPSG:25833, hier bei 15° Ost): die Regel misst in ihrem KBS. In EPSG:25832 wäre
    derselbe Abstand dort um 0,2 % länger – bei 5 km Toleranz 11 m; dieselben Punkte fallen anders aus."""
    x0, y0 = 500_000.0, 5_650_000.0  # Mittelmeridian von UTM 33N, 51° Nord
    weit = {"stadtteil_toleranz_m": 5000.0}
    ost = kommune.model_copy(update={"crs_metrisch": 25833, **weit})
    mainz_kbs = kommune.model_copy(update=weit)
    teile, punkte = _teile(25833, x0=x0, y0=y0), _punkte([(-4995, 500), (-5005, 500)], 25833, x0=x0, y0=y0)
    zu = ordne_stadtteile(punkte, teile, kommune=ost)
    assert zu["stadtteil"].tolist() == ["A", None]
    assert zu["abstand_m"].round(2).tolist() == [4995.0, 5005.0]
    falsch = ordne_stadtteile(punkte, teile, kommune=mainz_kbs)  # gleiche Punkte, in UTM 32N gemessen
    assert falsch["stadtteil"].tolist() == [None, None] and falsch["abstand_m"].iloc[0] > 5005


def test_umrechnung_einzelner_geometrien():
    p = Point(8.27, 49.99)
    m = nach_metrisch(p, crs_metrisch=25832)
    assert 440_000 < m.x < 460_000 and 5_530_000 < m.y < 5_545_000
    zurueck = nach_wgs84(m, crs_metrisch=25832, stellen=7)
    assert (zurueck.x, zurueck.y) == (8.27, 49.99)
    assert shapely.equals_exact(nach_wgs84(nach_metrisch(p, crs_metrisch=25833), crs_metrisch=25833), p, 1e-9)


def test_gespeicherte_kante_in_grad_bleibt_der_rand(kommune):
    """Eine 2,9 km lange Kante entlang eines Breitenkreises (gespeichert in EPSG:4326) ist metrisch gekrümmt
    (19 cm); ein Punkt auf ihr liegt trotzdem auf dem Rand beider Nachbarn: die kleinste id."""
    lon0, lat0, dlon, dlat = 8.15, 49.93, 0.04, 0.036
    teile = gpd.GeoDataFrame({"id": [2, 1], "name": ["Süd", "Nord"]},
                             geometry=[box(lon0, lat0, lon0 + dlon, lat0 + dlat),
                                       box(lon0, lat0 + dlat, lon0 + dlon, lat0 + 2 * dlat)], crs=4326)
    kante = gpd.GeoSeries([Point(lon0 + dlon / 2, lat0 + dlat)], crs=4326)
    zu = ordne_stadtteile(kante, teile, kommune=kommune)
    assert zu["stadtteil"].tolist() == ["Nord"] and zu["abstand_m"].tolist() == [0.0]


def test_tausch_nur_vorgeschlagen_wenn_er_ins_stadtgebiet_fuehrt(kommune):
    """Ein Stadtteil um (Länge 8,27; Breite 49,99): eingegeben als (Länge 49,99; Breite 8,27) liegt der Punkt weit
    draußen, getauscht darin – dann der Rat „vertauscht“; bei einem Punkt, den auch der Tausch nicht hineinbringt,
    nicht."""
    teil = gpd.GeoDataFrame({"id": [1], "name": ["Mitte"]}, geometry=[box(8.26, 49.98, 8.28, 50.0)], crs=4326)
    with pytest.raises(EingabeFehler) as info:
        stadtteil_fuer_punkt(Point(49.99, 8.27), teil, kommune=kommune)
    assert "Vielleicht sind Breite und Länge vertauscht: getauscht läge der Punkt in Mitte." in str(info.value)
    with pytest.raises(EingabeFehler) as info:
        stadtteil_fuer_punkt(Point(8.40, 49.99), teil, kommune=kommune)  # einige km östlich, Tausch hilft nicht
    assert "vertauscht" not in str(info.value)
    assert "Bitte eine Stelle innerhalb des Stadtgebiets wählen" in str(info.value)
