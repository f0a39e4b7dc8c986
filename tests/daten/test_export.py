"""Exporte, die fremde Werkzeuge so lesen wie gemeint: GDAL/QGIS, pandas mit deutschen Einstellungen, Excel."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from datetime import date, time
from pathlib import Path

import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely
from sqlalchemy import select

from daten import export as ex
from daten import modelle as m
from daten.db import erstelle_engine, sitzung
from daten.politik import SYSTEM, Akteur

GDAL36_VALIDATOR = Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")
FORMELN = ["=HYPERLINK(\"http://x\";\"klick\")", "+1+1", "-2+3", "@SUMME(A1)", "\tTab", "\rWagen"]


@pytest.fixture(scope="module")
def db(demo_sqlite_url, tmp_path_factory):
    """Kopie der Demo-Datenbank mit einer inaktiven Einrichtung und Namen, die Formeln wären."""
    datei = tmp_path_factory.mktemp("export") / "rk.db"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), datei)
    engine = erstelle_engine(f"sqlite:///{datei}")
    with sitzung(engine, akteur=SYSTEM) as s:
        st = s.scalar(select(m.Stadtteil).where(m.Stadtteil.name == "Neustadt"))
        punkt = shapely.Point(shapely.get_coordinates(st.geometrie.representative_point())[0])
        for i, text in enumerate(FORMELN):
            s.add(m.Einrichtung(schluessel=f"formel-{i}", name=text, art="verein", traeger_art="frei", traeger=text,
                                adresse=text, zielgruppen=["Kinder"], angebote=[text], stadtteil=st, geometrie=punkt))
        s.add(m.Einrichtung(schluessel="inaktiv", name="Aufgelöster Verein", art="verein", traeger_art="frei",
                            aktiv=False, stadtteil=st, geometrie=punkt))
    yield engine
    engine.dispose()


def _export(db, kommune, pfad: Path, akteur=SYSTEM) -> str:  # noqa: ANN001
    with sitzung(db, akteur=None) as s:
        return ex.exportiere(pfad, session=s, kommune=kommune, akteur=akteur)


@pytest.fixture(scope="module")
def gpkg(db, kommune, tmp_path_factory) -> Path:
    pfad = tmp_path_factory.mktemp("gpkg") / "x.gpkg"
    _export(db, kommune, pfad)
    return pfad


def test_geopackage_typen_datum_null_und_status(gpkg, db):
    con = sqlite3.connect(gpkg)
    typen = {r[1]: r[2] for r in con.execute("pragma table_info(einrichtungen)")}
    assert typen["kapazitaet"] == "INTEGER" and typen["gremium_ab_stufe"] == "INTEGER"
    assert typen["gueltig_von"] == "DATE" and typen["gueltig_bis"] == "DATE"
    assert {r[1]: r[2] for r in con.execute("pragma table_info(sozialraeume)")}["stufe"] == "INTEGER"
    for spalte in ("gueltig_von", "gueltig_bis", "traeger", "adresse"):
        assert con.execute(f"select count(*) from einrichtungen where {spalte} = ''").fetchone()[0] == 0, spalte
    assert con.execute("select count(*) from einrichtungen where gueltig_bis is null").fetchone()[0] > 100
    status = dict(con.execute("select status, count(*) from einrichtungen group by status").fetchall())
    with sitzung(db, akteur=None) as s:
        geschlossen = sum(1 for e in s.scalars(select(m.Einrichtung))
                          if e.aktiv and e.gueltig_bis is not None and e.gueltig_bis < date.today())
    assert status.get("geschlossen") == geschlossen and status.get("inaktiv") == 1
    assert con.execute("select name from einrichtungen where status = 'inaktiv'").fetchone()[0] == "Aufgelöster Verein"
    info = pyogrio.read_info(gpkg, layer="einrichtungen")
    assert dict(zip(info["fields"], info["dtypes"], strict=True))["kapazitaet"].startswith("int")


def test_geopackage_fuer_gdal_36_und_qgis_lts(gpkg):
    con = sqlite3.connect(gpkg)
    assert con.execute("pragma application_id").fetchone()[0] == 0x47504B47  # "GPKG"
    assert con.execute("pragma user_version").fetchone()[0] == 10200  # 1.2: GDAL 3.6 warnt erst bei 1.4
    trigger = {r[0] for r in con.execute("select name from sqlite_master where type = 'trigger'")}
    assert "rtree_einrichtungen_geom_update1" in trigger  # R-Baum-Trigger, die der Validator von GDAL 3.6 kennt
    if GDAL36_VALIDATOR.exists() and shutil.which("python3"):
        r = subprocess.run(["/usr/bin/python3", str(GDAL36_VALIDATOR), str(gpkg)], capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr


def test_geojson_nach_rfc_7946(db, kommune, tmp_path):
    pfad = tmp_path / "x.geojson"
    _export(db, kommune, pfad)
    gj = json.loads(pfad.read_text(encoding="utf-8"))
    assert "crs" not in gj and gj["type"] == "FeatureCollection"
    lon, lat = gj["features"][0]["geometry"]["coordinates"]
    assert 7.9 < lon < 8.6 and 49.8 < lat < 50.2  # Länge, Breite in WGS 84
    props = [f["properties"] for f in gj["features"]]
    assert {p["status"] for p in props} >= {"offen", "geschlossen", "inaktiv"}
    kita = next(p for p in props if p["art"] == "kita")
    assert isinstance(kita["kapazitaet"], int)
    assert any(p["gueltig_von"] is None for p in props) and any(p["gueltig_von"] for p in props)
    assert any(p["name"] == FORMELN[0] for p in props)  # GeoJSON sind Daten: der Text bleibt genau erhalten


def test_csv_fuer_deutsches_excel(db, kommune, tmp_path):
    pfad = tmp_path / "x.csv"
    text = _export(db, kommune, pfad)
    assert "Dezimalkomma" in text
    roh = pfad.read_bytes()
    assert roh.startswith(b"\xef\xbb\xbf")  # UTF-8 mit BOM: Excel erkennt Umlaute
    df = pd.read_csv(pfad, sep=";", decimal=",", encoding="utf-8-sig", dtype={"Plätze": "Int64"})
    assert pd.api.types.is_float_dtype(df["Länge"]) and df["Länge"].between(7.9, 8.6).all()
    assert pd.api.types.is_float_dtype(df["Breite"]) and df["Breite"].between(49.8, 50.2).all()
    assert set(df["Im Gremium"]) == {"ja", "nein"}
    assert {"Name", "Art", "Trägerart", "Sozialraum", "Status"} <= set(df.columns)
    assert "Kita" in set(df["Art"]) and "städtisch" in set(df["Trägerart"])  # Bezeichnungen statt Schlüssel
    assert df["Gültig von"].dropna().str.fullmatch(r"\d{2}\.\d{2}\.\d{4}").all()


def test_csv_und_xlsx_entschaerfen_formeln(db, kommune, tmp_path):
    csv = tmp_path / "x.csv"
    _export(db, kommune, csv)
    df = pd.read_csv(csv, sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False)
    namen = set(df["Name"])
    for formel in FORMELN:
        assert "'" + formel in namen, formel  # OWASP: vorangestelltes Hochkomma
        assert formel not in namen
    xlsx = tmp_path / "x.xlsx"
    _export(db, kommune, xlsx)
    ws = openpyxl.load_workbook(xlsx)["Einrichtungen"]
    kopf = [c.value for c in ws[1]]
    # XML kennt kein einzelnes CR: Excel und openpyxl lesen es als Zeilenumbruch
    formeln = {f.replace("\r", "\n") for f in FORMELN}
    zellen = [z for z in ws.iter_rows(min_row=2) if str(z[kopf.index("Name")].value).replace("\r", "\n") in formeln]
    assert len(zellen) == len(FORMELN)  # der Text steht genau so in der Zelle: kein sichtbares Hochkomma
    for zeile in zellen:
        for zelle in zeile:
            assert zelle.data_type != "f", zelle.value  # nie eine Formel
            if isinstance(zelle.value, str):
                assert zelle.data_type == "s" and not zelle.value.startswith("'"), zelle.value


def test_xlsx_lesbar_fuer_menschen(db, kommune, tmp_path):
    pfad = tmp_path / "x.xlsx"
    text = _export(db, kommune, pfad)
    assert "Protokolle nicht enthalten" not in text
    wb = openpyxl.load_workbook(pfad)
    assert {"Einrichtungen", "Sozialräume", "Netzwerke", "Indikatoren", "Sitzungen", "Protokollpunkte", "Maßnahmen",
            "Budgets", "Hospitationen"} <= set(wb.sheetnames)
    for ws in wb:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        kopf = [c.value for c in ws[1]]
        assert not [k for k in kopf if "_" in str(k)], (ws.title, kopf)  # keine technischen Spaltennamen
        assert all(c.font.bold for c in ws[1])
    ws = wb["Einrichtungen"]
    kopf = [c.value for c in ws[1]]
    laenge = ws.cell(row=2, column=kopf.index("Länge") + 1)
    assert 7.9 < laenge.value < 8.6 and laenge.number_format == "0.000000"  # Koordinaten nicht auf 8,27 gerundet
    ws = wb["Maßnahmen"]
    kopf = [c.value for c in ws[1]]
    assert "sozialraum_id" not in kopf and "Sozialraum" in kopf
    sr = {ws.cell(row=i, column=kopf.index("Sozialraum") + 1).value for i in range(2, ws.max_row + 1)}
    assert "Mombach" in sr and not any(isinstance(x, int) for x in sr)
    geld = ws.cell(row=2, column=kopf.index("Kosten geplant (€)") + 1)
    assert isinstance(geld.value, int | float) and "€" in geld.number_format
    assert ws.cell(row=2, column=kopf.index("Art") + 1).value in set(kommune.massnahmenarten.values())
    ws = wb["Sitzungen"]
    kopf = [c.value for c in ws[1]]
    teilnehmende = ws.cell(row=2, column=kopf.index("Teilnehmende") + 1).value
    assert "(ASD)" in teilnehmende and "[" not in teilnehmende and "{" not in teilnehmende
    datum = ws.cell(row=2, column=kopf.index("Datum") + 1)
    assert datum.is_date and datum.number_format == "DD.MM.YYYY"
    assert ws.cell(row=2, column=kopf.index("Ort") + 1).value  # Name der Einrichtung statt Nummer
    beginn = [z[kopf.index("Beginn")] for z in ws.iter_rows(min_row=2) if z[kopf.index("Beginn")].value is not None]
    assert beginn and all(isinstance(z.value, time) and z.number_format == "HH:MM" for z in beginn)  # keine Texte
    with sitzung(db, akteur=None) as s:
        logins = set(s.scalars(select(m.Benutzer.login)))
    versender = {z[kopf.index("Versendet von")].value for z in ws.iter_rows(min_row=2)} - {None}
    assert versender and not versender & logins  # Namen, nicht „tl01“
    for ws in wb:  # Druck: quer, Seitenbreite, Kopfzeile auf jeder Seite, keine sichtbaren Hochkommas
        assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.print_title_rows == "$1:$1", ws.title
        assert not [c.value for z in ws.iter_rows() for c in z if isinstance(c.value, str) and c.value.startswith("'")]
    erkl = dict(wb["Erläuterungen"].iter_rows(min_row=2, values_only=True))
    assert kommune.datenlizenz in erkl.values() and "Bedarfsindex: Methode" in erkl


def _blaetter(db, kommune, akteur):  # noqa: ANN001, ANN202
    from io import BytesIO

    with sitzung(db, akteur=None) as s:
        roh = ex.excel_bytes(session=s, kommune=kommune, akteur=akteur)
    return openpyxl.load_workbook(BytesIO(roh))


def test_dashboard_export_nach_leserecht(db, kommune):
    with sitzung(db, akteur=None) as s:
        mombach = s.scalar(select(m.Sozialraum.id).where(m.Sozialraum.name == "Mombach"))
    oeffentlich = _blaetter(db, kommune, None)
    lenkung = _blaetter(db, kommune, Akteur("lenkung", "lenkungsgruppe"))
    for wb in (oeffentlich, lenkung):
        assert "Sitzungen" not in wb.sheetnames and "Protokollpunkte" not in wb.sheetnames
        assert "Maßnahmen" in wb.sheetnames and "Einrichtungen" in wb.sheetnames
    tl = _blaetter(db, kommune, Akteur("tl10", "teamleitung", mombach))
    kopf = [c.value for c in tl["Sitzungen"][1]]
    sr = {z[kopf.index("Sozialraum")].value for z in tl["Sitzungen"].iter_rows(min_row=2)}
    assert sr == {"Mombach"}
    sitzungen = {z[kopf.index("Datum")].value for z in tl["Sitzungen"].iter_rows(min_row=2)}
    pkopf = [c.value for c in tl["Protokollpunkte"][1]]
    punkte = {z[pkopf.index("Sitzung")].value for z in tl["Protokollpunkte"].iter_rows(min_row=2)}
    assert punkte and all(p.endswith(" Mombach") for p in punkte)
    assert len(sitzungen) >= 4
    jhp = _blaetter(db, kommune, Akteur("jhp", "jugendhilfeplanung"))
    kopf = [c.value for c in jhp["Sitzungen"][1]]
    assert len({z[kopf.index("Sozialraum")].value for z in jhp["Sitzungen"].iter_rows(min_row=2)}) == 10


def test_cli_export_sagt_dass_er_als_system_laeuft(demo_sqlite_url, tmp_path):
    from tests.daten.test_cli import rk

    r = rk("export", str(tmp_path / "x.xlsx"), url=demo_sqlite_url)
    assert r.returncode == 0, r.stderr
    assert "als System" in r.stdout
    assert "Protokollpunkte" in openpyxl.load_workbook(tmp_path / "x.xlsx", read_only=True).sheetnames


@pytest.mark.parametrize("endung", [".gpkg", ".geojson", ".csv", ".xlsx"])
@pytest.mark.parametrize("fehler", [KeyboardInterrupt, RuntimeError])
def test_abbruch_laesst_alte_datei_und_keine_halbe(db, kommune, tmp_path, monkeypatch, endung, fehler):
    ziel = tmp_path / f"x{endung}"
    ziel.write_bytes(b"alte Datei")
    echt = {".gpkg": ex._gpkg, ".geojson": ex._geojson}

    def halb(pfad, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        if endung in echt:
            echt[endung](pfad, *args, **kwargs)  # schreibt vollständig in die temporäre Datei …
        else:
            Path(pfad).write_bytes(b"halb")
        raise fehler("Abbruch mitten im Schreiben")  # … und bricht dann ab

    monkeypatch.setattr(ex, {".gpkg": "_gpkg", ".geojson": "_geojson"}.get(endung, "_bytes_schreiben"),
                        halb if endung in echt else lambda pfad, inhalt: _halb_bytes(pfad, fehler))
    with pytest.raises(fehler):
        _export(db, kommune, ziel)
    assert ziel.read_bytes() == b"alte Datei"
    assert sorted(p.name for p in tmp_path.iterdir()) == [ziel.name]  # keine temporären Reste


def _halb_bytes(pfad: Path, fehler: type[BaseException]) -> None:
    from daten.dateien import atomar

    with atomar(pfad) as tmp:
        tmp.write_bytes(b"halb")
        raise fehler("Abbruch mitten im Schreiben")


def test_ordner_als_ziel_eine_deutsche_meldung(db, kommune, tmp_path):
    from daten.fehler import EingabeFehler

    (tmp_path / "x.csv").mkdir()
    with pytest.raises(EingabeFehler, match="ist ein Ordner"):
        _export(db, kommune, tmp_path / "x.csv")
