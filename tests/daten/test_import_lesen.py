"""Dateien lesen: Trennzeichen, Kodierung, Excel, JSON, GeoPackage, Shapefile; Zahlen, Namen, KBS-Erkennung."""

import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from daten.fehler import EingabeFehler
from daten.importe.bericht import Bericht
from daten.importe.koordinaten import deute, lies_crs
from daten.importe.lesen import Quelle, lies
from daten.importe.namen import Namensliste
from daten.importe.zahlen import KeineZahl, lies_zahl

TEXT = "Name;Ort;Wert\nKita Möwe;Mainz-Weisenau;1,5\n\"Treff; mit Semikolon\";Gonsenheim;2\n"


@pytest.mark.parametrize("kodierung,erkannt", [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252"),
                                               ("utf-16", "UTF-16")])
def test_csv_kodierungen(kodierung, erkannt):
    b = Bericht("x.csv")
    roh = lies(Quelle("x.csv", TEXT.encode(kodierung)), b)
    assert list(roh.werte.columns) == ["Name", "Ort", "Wert"]
    assert roh.werte.loc[2, "Name"] == "Kita Möwe" and roh.werte.loc[3, "Name"] == "Treff; mit Semikolon"
    assert erkannt in roh.beschreibung
    assert any("Windows-1252" in x.problem for x in b.befunde) == (erkannt == "Windows-1252")


@pytest.mark.parametrize("trenn", [",", ";", "\t", "|"])
def test_csv_trennzeichen(trenn):
    text = trenn.join(["a", "b", "c"]) + "\n" + trenn.join(["1", "x y", "3"]) + "\n"
    roh = lies(Quelle("x.csv", text.encode()), Bericht("x"))
    assert list(roh.werte.columns) == ["a", "b", "c"] and roh.werte.loc[2, "b"] == "x y"


def test_csv_zu_viele_felder_und_doppelte_spalten():
    b = Bericht("x.csv")
    roh = lies(Quelle("x.csv", b"Ort,Name,Ort\n1,2,3\n4,5,6,7\n8,9\n"), b)
    assert list(roh.werte.columns) == ["Ort", "Name", "Ort.2"]
    assert [x.zeile for x in b.befunde if x.stufe == "Fehler"] == [3]
    assert roh.werte.loc[4, "Ort.2"] == ""


def test_xlsx_zahlen_und_datum(tmp_path):
    pd.DataFrame({"Name": ["A", "B"], "lat": [49.987654321, 50.0], "seit": pd.to_datetime(["2024-08-01", None])}) \
        .to_excel(tmp_path / "x.xlsx", index=False)
    roh = lies(Quelle.aus_pfad(tmp_path / "x.xlsx"), Bericht("x"))
    assert roh.werte.loc[2, "lat"] == "49.987654321" and roh.werte.loc[3, "lat"] == "50"
    assert roh.werte.loc[2, "seit"] == "2024-08-01" and roh.werte.loc[3, "seit"] == ""


def test_geojson_mit_kaputtem_objekt_und_crs_angabe():
    text = ('{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25832"}},'
            '"features":[{"type":"Feature","properties":{"n":1},"geometry":{"type":"Point","coordinates":[450000,5540000]}},'
            '{"type":"Feature","properties":{"n":2},"geometry":{"type":"Point","coordinates":[NaN,1]}},'
            '{"type":"Feature","properties":{"n":3},"geometry":{"type":"Punkt","coordinates":[1,2]}},'
            '{"type":"Feature","properties":{"n":4},"geometry":null}]}')
    b = Bericht("x.geojson")
    roh = lies(Quelle("x.geojson", text.encode()), b)
    assert roh.crs.to_epsg() == 25832
    assert roh.nummern == [1, 4] and roh.geometrien[1] is None
    assert {x.zeile for x in b.befunde if x.stufe == "Fehler"} == {2, 3}


def test_geopackage_und_gezipptes_shapefile(tmp_path):
    gdf = gpd.GeoDataFrame({"name": ["Ä", "B"]}, geometry=[shapely.Point(8.2, 50.0), shapely.Point(8.3, 49.9)],
                           crs=4326).to_crs(31467)
    gdf.to_file(tmp_path / "x.gpkg", layer="eins")
    roh = lies(Quelle.aus_pfad(tmp_path / "x.gpkg"), Bericht("x"))
    assert roh.crs.to_epsg() == 31467 and list(roh.werte["name"]) == ["Ä", "B"]
    gdf.to_file(tmp_path / "s.shp")
    with zipfile.ZipFile(tmp_path / "s.zip", "w") as zf:
        for teil in tmp_path.glob("s.*"):
            if teil.suffix != ".zip":
                zf.write(teil, f"../../{teil.name}")  # Pfade im Archiv werden nie übernommen
    roh = lies(Quelle("s.zip", (tmp_path / "s.zip").read_bytes()), Bericht("x"))
    assert roh.crs.to_epsg() == 31467 and len(roh.geometrien) == 2
    with pytest.raises(EingabeFehler, match=r"als \.zip"):
        lies(Quelle("s.shp", (tmp_path / "s.shp").read_bytes()), Bericht("x"))


@pytest.mark.parametrize("name,daten,meldung", [
    ("x.csv", b"", "ist leer"),
    ("x.xls", b"abc", "als .xlsx"),
    ("x.json", b"{kaputt", "kein gültiges JSON"),
    ("x.xlsx", b"PK\x03\x04kaputt", "kann nicht als XLSX gelesen werden"),
    ("x.gpkg", b"SQLite format 3\x00kaputt", "kann nicht als GPKG gelesen werden"),
    ("x.zip", b"PK\x05\x06" + b"\x00" * 18, "keine .shp"),
    ("x.csv", b"\x00\x01\x02binaer", "keine Textdatei"),
])
def test_kaputte_dateien_deutsche_meldung(name, daten, meldung):
    with pytest.raises(EingabeFehler, match=meldung) as exc:
        lies(Quelle(name, daten), Bericht(name))
    assert name in str(exc.value)


def test_fehlende_datei():
    with pytest.raises(EingabeFehler, match="nicht gefunden"):
        Quelle.aus_pfad("/gibt/es/nicht.csv")


@pytest.mark.parametrize("text,deutsch,wert", [("1.234,5", True, 1234.5), ("12,5", False, 12.5),
                                               ("2.414", False, 2.414), ("2.414", True, 2414.0),
                                               ("1.234.567", False, 1234567.0), ("-3 %", True, -3.0)])
def test_zahlen(text, deutsch, wert):
    assert lies_zahl(text, deutsch=deutsch)[0] == wert


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "nan", "inf", "1e999"])
def test_keine_zahlen(text):
    with pytest.raises(KeineZahl):
        lies_zahl(text)


def test_namen_gross_klein_trenner_und_vorschlaege(kommune):
    liste = Namensliste(kommune.stadtteile)
    assert liste.finde("HARTENBERG/MÜNCHFELD").name == "Hartenberg-Münchfeld"
    assert liste.finde("Mainz-Gonsenheim").name == "Gonsenheim"
    t = liste.finde("Lerchenbreg")
    assert t.name is None and t.vorschlaege == ("Lerchenberg",)


def _punkte(kommune, n=20):
    lat, lon = kommune.kartenmitte
    rng = np.random.default_rng(1)
    return lon + rng.uniform(-0.05, 0.05, n), lat + rng.uniform(-0.03, 0.03, n)


@pytest.mark.parametrize("epsg", [25832, 31467, 4647, 3857])
def test_metrische_kbs_werden_erkannt_und_erklaert(kommune, epsg):
    from pyproj import Transformer

    lon, lat = _punkte(kommune)
    x, y = Transformer.from_crs(4326, epsg, always_xy=True).transform(lon, lat)
    b = Bericht("x")
    d = deute(x, y, mitte=kommune.kartenmitte, stadt="Mainz", erklaert=lies_crs(4326), gegeben=None, bericht=b,
              crs_kommune=kommune.crs_metrisch)
    assert d.crs.to_epsg() == epsg and f"EPSG:{epsg}" in b.befunde[0].problem
    with pytest.raises(EingabeFehler, match=f"--crs {epsg}"):
        deute(x, y, mitte=kommune.kartenmitte, stadt="Mainz", erklaert=None, gegeben=lies_crs(4326), bericht=b,
              crs_kommune=kommune.crs_metrisch)


def test_vertauscht_und_unbekanntes_kbs(kommune):
    lon, lat = _punkte(kommune)
    with pytest.raises(EingabeFehler, match="vertauscht"):
        deute(lat, lon, mitte=kommune.kartenmitte, stadt="Mainz", erklaert=lies_crs(4326), gegeben=None,
              bericht=Bericht("x"), crs_kommune=kommune.crs_metrisch)
    with pytest.raises(EingabeFehler, match="unbekannt"):
        lies_crs("EPSG:999999")


@pytest.mark.parametrize("crs_kommune", [25832, 32632])
def test_bei_gleichstand_gilt_das_kbs_der_kommune(kommune, crs_kommune):
    """UTM 32N auf ETRS89 (25832) und auf WGS 84 (32632) liegen unter 1 m auseinander: beide passen zu allen
    Punkten; genommen wird das der Kommune-Konfiguration – 32632 steht in keiner festen Liste."""
    from pyproj import Transformer

    lon, lat = _punkte(kommune)
    x, y = Transformer.from_crs(4326, 25832, always_xy=True).transform(lon, lat)
    d = deute(x, y, mitte=kommune.kartenmitte, stadt="Mainz", erklaert=None, gegeben=None, bericht=Bericht("x"),
              crs_kommune=crs_kommune)
    assert d.crs.to_epsg() == crs_kommune
