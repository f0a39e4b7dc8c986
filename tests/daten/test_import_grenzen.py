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
