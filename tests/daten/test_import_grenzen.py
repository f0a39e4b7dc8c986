"""Importbomben: was beim Lesen entsteht (entpackte Bytes, Einträge, Zeilen, Spalten) ist begrenzt und wird
*während* des Lesens geprüft; die Meldung ist deutsch, nennt die Datei, und die Datenbank bleibt unverändert.
Die Grenzen werden für die Tests verkleinert (die Prüfung ist dieselbe), die Grenzwerte selbst auf beiden Seiten
geprüft: genau an der Grenze gelesen, eins darüber abgelehnt."""

import io
import zipfile

import openpyxl
import pytest

from daten.fehler import EingabeFehler
from daten.importe import Quelle, importiere
from daten.importe import lesen as lesen_mod
from daten.importe.bericht import Bericht
from daten.importe.lesen import lies, spaltennamen
from tests.daten.import_hilfen import ADMIN, stand


def _xlsx(zeilen: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for z in zeilen:
        ws.append(z)
    puffer = io.BytesIO()
    wb.save(puffer)
    return puffer.getvalue()


def _bombe(eintrag: str, groesse: int, basis: bytes | None = None) -> bytes:
    """Ein Zip (oder XLSX, wenn `basis` ein XLSX ist), dessen Eintrag `eintrag` sich zu `groesse` Bytes entpackt."""
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED) as z:
        if basis is not None:
            with zipfile.ZipFile(io.BytesIO(basis)) as alt:
                for info in alt.infolist():
                    if info.filename != eintrag:
                        z.writestr(info, alt.read(info))
        with z.open(eintrag, "w", force_zip64=True) as f:
            stueck = b"<!-- " + b"x" * (1024 * 1024 - 9) + b" -->"
            for _ in range(groesse // len(stueck)):
                f.write(stueck)
            f.write(b" " * (groesse % len(stueck)))
    return puffer.getvalue()


@pytest.fixture
def klein(monkeypatch):
    monkeypatch.setattr(lesen_mod, "HOECHSTENS_ENTPACKT", 4 * 1024 * 1024)
    monkeypatch.setattr(lesen_mod, "HOECHSTENS_ZEILEN", 50)
    monkeypatch.setattr(lesen_mod, "HOECHSTENS_SPALTEN", 20)
    monkeypatch.setattr(lesen_mod, "HOECHSTENS_EINTRAEGE", 30)


def test_xlsx_das_sich_zu_mehr_entpackt_wird_abgelehnt(klein):
    gut = _xlsx([["name", "art"], ["Kita", "kita"]])
    # Kommentar im Blatt-XML: gültiges XLSX, nur aufgebläht – knapp über der Grenze
    bombe = _bombe("xl/worksheets/sheet1.xml", 5 * 1024 * 1024, gut)
    assert len(bombe) < 200_000  # klein gepackt, groß entpackt
    with pytest.raises(EingabeFehler, match=r"bombe\.xlsx ergibt entpackt mehr als 4 MB"):
        lies(Quelle("bombe.xlsx", bombe), Bericht("bombe.xlsx"))


def test_entpackte_groesse_genau_an_der_grenze_wird_gelesen(klein):
    gut = _xlsx([["name", "art"], ["Kita", "kita"]])
    gesamt = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(gut)).infolist())
    lesen_mod.HOECHSTENS_ENTPACKT = gesamt  # genau so viel, wie die Datei entpackt ergibt
    roh = lies(Quelle("gut.xlsx", gut), Bericht("gut.xlsx"))
    assert list(roh.werte["name"]) == ["Kita"]
    lesen_mod.HOECHSTENS_ENTPACKT = gesamt - 1
    with pytest.raises(EingabeFehler, match="entpackt mehr als"):
        lies(Quelle("gut.xlsx", gut), Bericht("gut.xlsx"))


def test_gezipptes_shapefile_bombe_und_zu_viele_eintraege(klein):
    with pytest.raises(EingabeFehler, match=r"x\.zip ergibt entpackt mehr als"):
        lies(Quelle("x.zip", _bombe("daten.shp", 5 * 1024 * 1024)), Bericht("x.zip"))
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w") as z:
        for i in range(31):
            z.writestr(f"d{i}.txt", b"x")
    with pytest.raises(EingabeFehler, match=r"enthält 31 Dateien \(höchstens 30\)"):
        lies(Quelle("viele.zip", puffer.getvalue()), Bericht("viele.zip"))


@pytest.mark.parametrize("endung", [".csv", ".xlsx", ".json", ".geojson"])
def test_zeilen_genau_an_der_grenze_gelesen_eine_mehr_abgelehnt(klein, endung):
    def datei(n: int) -> bytes:
        if endung == ".csv":
            return ("name;art\n" + "".join(f"E{i};kita\n" for i in range(n))).encode()
        if endung == ".xlsx":
            return _xlsx([["name", "art"], *[[f"E{i}", "kita"] for i in range(n)]])
        if endung == ".json":
            return ("[" + ",".join(f'{{"name": "E{i}"}}' for i in range(n)) + "]").encode()
        return ('{"type": "FeatureCollection", "features": [' + ",".join(
            f'{{"type": "Feature", "properties": {{"name": "E{i}"}}, "geometry": null}}' for i in range(n))
            + "]}").encode()

    roh = lies(Quelle(f"x{endung}", datei(50)), Bericht("x"))
    assert len(roh.werte) == 50
    with pytest.raises(EingabeFehler, match=r"mehr als 50 Zeilen"):
        lies(Quelle(f"x{endung}", datei(51)), Bericht("x"))


@pytest.mark.parametrize("endung", [".csv", ".xlsx", ".json"])
def test_spalten_genau_an_der_grenze_gelesen_eine_mehr_abgelehnt(klein, endung):
    def datei(n: int) -> bytes:
        namen = [f"s{i}" for i in range(n)]
        if endung == ".csv":
            return (";".join(namen) + "\n" + ";".join("1" for _ in namen) + "\n").encode()
        if endung == ".xlsx":
            return _xlsx([namen, [1] * n])
        return ("[{" + ",".join(f'"{s}": 1' for s in namen) + "}]").encode()

    assert len(lies(Quelle(f"x{endung}", datei(20)), Bericht("x")).werte.columns) == 20
    with pytest.raises(EingabeFehler, match=r"x\.\w+ hat 21 Spalten \(höchstens 20\)"):
        lies(Quelle(f"x{endung}", datei(21)), Bericht("x"))


def test_zwei_millionen_spalten_werden_sofort_abgelehnt():
    kopf = ";".join(["a"] * 2_000_000)  # dieselbe Spalte 2 Mio. Mal: früher quadratische Dublettensuche
    with pytest.raises(EingabeFehler, match=r"hat 2\.000\.000 Spalten"):
        lies(Quelle("breit.csv", (kopf + "\n" + kopf + "\n").encode()), Bericht("breit.csv"))


def test_spaltennamen_linear_und_eindeutig():
    namen = spaltennamen(["a"] * 5 + ["a.2", " b  c ", ""], "x.csv")
    assert namen == ["a", "a.2", "a.3", "a.4", "a.5", "a.2.2", "b c", "Spalte 8"]
    assert len(set(spaltennamen(["a"] * 900))) == 900


def test_bombe_beim_import_laesst_die_datenbank_unveraendert(klein, fuzz_kopie, kommune):
    engine, davor = fuzz_kopie
    gut = _xlsx([["name", "art", "lat", "lon"], ["Kita", "kita", 50.0, 8.27]])
    with pytest.raises(EingabeFehler, match="entpackt mehr als"):
        importiere(engine, kommune, "einrichtungen", Quelle("b.xlsx", _bombe("xl/sharedStrings.xml",
                                                                             5 * 1024 * 1024, gut)),
                   akteur=ADMIN, probe=False)
    assert stand(engine) == davor


@pytest.fixture
def fuzz_kopie(tmp_path, demo_sqlite_url):
    import sqlite3

    from sqlalchemy.engine import make_url

    from daten.db import erstelle_engine

    ziel = tmp_path / "demo.db"
    with sqlite3.connect(make_url(demo_sqlite_url).database) as q, sqlite3.connect(ziel) as z:
        q.backup(z)
    engine = erstelle_engine(f"sqlite:///{ziel}")
    yield engine, stand(engine)
    engine.dispose()


@pytest.mark.parametrize("endung", [".csv", ".json"])
def test_textdatei_genau_an_der_grenze_gelesen_ein_byte_mehr_abgelehnt(monkeypatch, endung):
    monkeypatch.setattr(lesen_mod, "HOECHSTENS_TEXT", 1000)
    if endung == ".csv":
        kopf = b"name;art\n"
        daten = kopf + b"x" * (1000 - len(kopf) - 6) + b";kita\n"
    else:
        daten = b'[{"name": "' + b"x" * (1000 - 14) + b'"}]'
    assert len(daten) == 1000
    assert len(lies(Quelle(f"t{endung}", daten), Bericht("t")).werte) == 1
    with pytest.raises(EingabeFehler, match=r"t\.\w+ ist mit 0 MB als Text zu groß"):
        lies(Quelle(f"t{endung}", daten + b" "), Bericht("t"))


# --- Geometrien: Stützpunkte, verwickelte Flächen -------------------------------------------------------------
def _polygon_geojson(punkte: list[tuple[float, float]], name: str = "Altstadt") -> bytes:
    import json

    ring = [list(p) for p in punkte] + [list(punkte[0])]
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": name},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}]}).encode()


def _kreis(n: int) -> list[tuple[float, float]]:
    import math

    return [(8.27 + 0.01 * math.cos(2 * math.pi * i / n), 50.0 + 0.01 * math.sin(2 * math.pi * i / n))
            for i in range(n)]


def test_stuetzpunkte_genau_an_der_grenze_gelesen_einer_mehr_abgelehnt(monkeypatch):
    # ein geschlossener Ring mit 99 Ecken hat 100 Koordinaten
    monkeypatch.setattr(lesen_mod, "HOECHSTENS_STUETZPUNKTE", 100)
    for endung, daten in ((".geojson", _polygon_geojson(_kreis(99))),):
        assert len(lies(Quelle(f"p{endung}", daten), Bericht("p"), nur_geodaten=True).geometrien) == 1
        with pytest.raises(EingabeFehler, match=r"p\.geojson hat 101 Stützpunkte \(höchstens 100\)"):
            lies(Quelle(f"p{endung}", _polygon_geojson(_kreis(100))), Bericht("p"), nur_geodaten=True)


def test_stuetzpunkte_auch_im_geopackage(monkeypatch, tmp_path):
    import geopandas as gpd
    import shapely

    monkeypatch.setattr(lesen_mod, "HOECHSTENS_STUETZPUNKTE", 100)
    pfad = tmp_path / "p.gpkg"
    gpd.GeoDataFrame({"name": ["Altstadt"]}, geometry=[shapely.Polygon(_kreis(100))], crs=4326).to_file(pfad)
    with pytest.raises(EingabeFehler, match=r"p\.gpkg hat 101 Stützpunkte"):
        lies(Quelle.aus_pfad(pfad), Bericht("p"), nur_geodaten=True)


def test_json_mit_zu_vielen_koordinaten_wird_vor_dem_parsen_abgelehnt(monkeypatch):
    monkeypatch.setattr(lesen_mod, "HOECHSTENS_STUETZPUNKTE", 90)
    monkeypatch.setattr(lesen_mod, "HOECHSTENS_ZEILEN", 10)
    daten = _polygon_geojson(_kreis(97))  # 98 Paare + 3 Listen = 101 > 100
    assert daten.count(b"[") == 101
    with pytest.raises(EingabeFehler, match=r"enthält mehr als 90 Koordinaten bzw\. Listen"):
        lies(Quelle("p.geojson", daten), Bericht("p"), nur_geodaten=True)
    daten = _polygon_geojson(_kreis(96))  # 100 „[“: genau an der Grenze wird geparst (dann zählt die Stützpunktgrenze)
    assert daten.count(b"[") == 100
    with pytest.raises(EingabeFehler, match=r"hat 97 Stützpunkte \(höchstens 90\)"):
        lies(Quelle("p.geojson", daten), Bericht("p"), nur_geodaten=True)


def test_verwickelte_flaeche_wird_nach_frist_abgelehnt_datenbank_unveraendert(monkeypatch, fuzz_kopie, kommune):
    import random

    from daten.importe import stadtteile as st_mod

    engine, davor = fuzz_kopie
    zufall = random.Random(7)
    # 6000 zufällige Ecken: Millionen Selbstschnitte, make_valid braucht Minuten
    punkte = [(zufall.uniform(8.2, 8.3), zufall.uniform(49.95, 50.02)) for _ in range(6000)]
    monkeypatch.setattr(st_mod, "GEOMETRIE_S", 1.0)
    import time

    t0 = time.monotonic()
    with pytest.raises(EingabeFehler, match=r"Die Stadtteilgrenzen prüfen und reparieren dauerte länger als 1 s"):
        importiere(engine, kommune, "stadtteile", Quelle("v.geojson", _polygon_geojson(punkte)), akteur=ADMIN,
                   probe=False)
    assert time.monotonic() - t0 < 20
    assert stand(engine) == davor


def test_frist_und_speichergrenze_im_kindprozess():
    import time

    from daten.importe.frist import mit_frist

    assert mit_frist(sum, [1, 2, 3], was="Summe", rat="") == 6
    with pytest.raises(EingabeFehler, match=r"^Schlafen dauerte länger als 1 s und wurde abgebrochen\. Später\."):
        mit_frist(time.sleep, 30, was="Schlafen", rat="Später.", frist_s=1)
    # Die Grenze gilt für das, was der Kindprozess dazu anlegt (auch fürs Zurückschicken): 2 GB nicht, 16 MB schon
    with pytest.raises(EingabeFehler, match=r"Anlegen brauchte mehr als 256 MB Speicher"):
        mit_frist(bytearray, 2 * 1024**3, was="Anlegen", rat="", speicher_mb=256)
    assert len(mit_frist(bytearray, 16 * 1024 * 1024, was="Anlegen", rat="", speicher_mb=256)) == 16 * 1024 * 1024
    with pytest.raises(EingabeFehler, match=r"Teilen ist gescheitert \(ZeroDivisionError"):
        mit_frist(divmod, 1, 0, was="Teilen", rat="")
