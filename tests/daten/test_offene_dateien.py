"""Dateien der offenen Daten (daten/offene_dateien.py, `ressourcenkarte opendata-dateien`): aus den öffentlichen
Sichten, lesbar für GIS und Portale, ohne interne Angaben – auf SQLite und PostGIS."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date

import pandas as pd
import pyogrio
import pytest

from befehle import main
from daten import dcat
from daten.db import erstelle_engine
from daten.fehler import EingabeFehler
from daten.laden import initialisiere
from daten.oeffentlich import lies
from daten.offene_dateien import DATEIEN, METADATEN, frequenz, lade_offene_daten, metadaten
from tests.conftest import IN_CI, REALDATA, loesche_postgis, postgis_datenbank
from tests.daten.offene_hilfen import geheimnisse_in, offene_schluessel, veroeffentliche_mit_geheimnissen

VALIDATOR = REALDATA.parent / "hsds" / "validate.py"
SICHTEN = ("einrichtungen", "stadtteile", "sozialraeume", "netzwerke")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgis", marks=pytest.mark.postgis)])
def offene_db(request, demo_sqlite_url, kommune, tmp_path_factory):
    """Demo-Datenbank (eigene Kopie bzw. frische PostGIS-Datenbank) mit veröffentlichten Kennzahlen und internen
    Angaben, die nirgends auftauchen dürfen."""
    if request.param == "sqlite":
        datei = tmp_path_factory.mktemp("offen") / "rk.db"
        shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), datei)
        url = f"sqlite:///{datei}"
    else:
        url = postgis_datenbank()
    engine = erstelle_engine(url)
    if request.param == "postgis":
        initialisiere(engine, kommune, demo=True)
    veroeffentliche_mit_geheimnissen(engine, kommune)
    yield engine
    engine.dispose()
    if request.param == "postgis":
        loesche_postgis(url)


@pytest.fixture(scope="module")
def ordner(offene_db, tmp_path_factory):
    """Alle Dateien, geschrieben über die Kommandozeile."""
    ziel = tmp_path_factory.mktemp("dateien")
    url = offene_db.url.render_as_string(hide_password=False)
    assert main(["opendata-dateien", str(ziel), "--db", url, "--basis-url", "https://daten.example.org/"]) == 0
    return ziel


def test_alle_dateien_ohne_interne_angaben(ordner):
    namen = sorted(p.name for p in ordner.iterdir())
    assert namen == sorted(d.name for d in (*DATEIEN, METADATEN))
    for pfad in ordner.iterdir():
        if pfad.suffix == ".gpkg":  # Binärdatei: die Texte stehen darin trotzdem lesbar (SQLite, UTF-8)
            text = pfad.read_bytes().decode("utf-8", errors="ignore")
        else:
            text = pfad.read_text(encoding="utf-8-sig")
        assert geheimnisse_in(text) == [], pfad.name


def test_geojson_wgs84_und_so_viele_wie_die_sicht(ordner, offene_db):
    for name in ("einrichtungen", "stadtteile", "sozialraeume"):
        sicht = lies(offene_db, name)
        daten = json.loads((ordner / f"{name}.geojson").read_text(encoding="utf-8"))
        assert daten["type"] == "FeatureCollection" and "crs" not in daten  # RFC 7946: immer WGS 84
        assert len(daten["features"]) == len(sicht) > 0
        assert pyogrio.read_info(ordner / f"{name}.geojson")["crs"] == "EPSG:4326"
        eigenschaften = set(daten["features"][0]["properties"])
        assert eigenschaften == set(sicht.columns) - {"geometry"}
    punkte = json.loads((ordner / "einrichtungen.geojson").read_text(encoding="utf-8"))["features"]
    lon, lat = zip(*(f["geometry"]["coordinates"] for f in punkte), strict=True)
    assert 7.5 < min(lon) <= max(lon) < 9 and 49.5 < min(lat) <= max(lat) < 50.5  # Länge, Breite in Mainz
    assert {f["properties"]["schluessel"] for f in punkte} == offene_schluessel(offene_db)  # genau die offenen


def test_csv_hat_die_oeffentlichen_spalten(ordner, offene_db):
    for name in SICHTEN:
        sicht = lies(offene_db, name)
        tab = pd.read_csv(ordner / f"{name}.csv", sep=";", decimal=",", encoding="utf-8-sig")
        erwartet = [c for c in sicht.columns if c != "geometry"] + (["laenge", "breite"] if name == "einrichtungen"
                                                                     else [])
        assert list(tab.columns) == erwartet
        assert len(tab) == len(sicht)
    ein = pd.read_csv(ordner / "einrichtungen.csv", sep=";", decimal=",", encoding="utf-8-sig")
    sicht = lies(offene_db, "einrichtungen").set_index("schluessel")
    erste = ein.iloc[0]
    assert erste["laenge"] == pytest.approx(sicht.loc[erste["schluessel"]].geometry.x, abs=1e-6)
    assert ein["kapazitaet"].isna().all()  # die Konfiguration gibt die Plätze nicht frei


def test_geopackage_ebenen_lesbar(ordner, offene_db):
    pfad = ordner / "offene-daten.gpkg"
    ebenen = {name for name, _ in pyogrio.list_layers(pfad)}
    assert ebenen == set(SICHTEN)
    for name in SICHTEN:
        sicht = lies(offene_db, name)
        gdf = pyogrio.read_dataframe(pfad, layer=name)
        assert gdf.crs.to_epsg() == 4326
        assert len(gdf) == int(sicht.geometry.notna().sum())
    st = pyogrio.read_dataframe(pfad, layer="stadtteile")
    assert "einwohner_u6" in st.columns and st["einwohner_u6"].notna().any()


def test_hsds_streng_gueltig_und_je_offene_einrichtung_ein_service(ordner, offene_db):
    if not VALIDATOR.exists():
        if IN_CI:
            pytest.fail(f"{VALIDATOR} fehlt (CI=true)")
        pytest.skip(f"{VALIDATOR} nicht vorhanden")
    pfad = ordner / "einrichtungen.hsds.json"
    n = len(lies(offene_db, "einrichtungen"))
    r = subprocess.run([sys.executable, str(VALIDATOR), str(pfad)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert f"{n} of {n} services valid" in r.stdout
    dienste = json.loads(pfad.read_text(encoding="utf-8"))
    assert len(dienste) == n and all(d["status"] == "active" for d in dienste)
    assert not any("Kapazität" in d["description"] for d in dienste)
    # ohne Trägernamen in der Sicht: Organisation „Träger von …“ mit der Trägerart
    assert all(d["organization"]["name"].startswith("Träger von ") for d in dienste)


def test_dcat_pflichtangaben_lizenz_und_verteilungen(ordner, offene_db, kommune):
    satz = json.loads((ordner / METADATEN.name).read_text(encoding="utf-8"))
    assert satz["@type"] == "dcat:Dataset"
    assert satz["@id"] == satz["dct:identifier"] == "https://daten.example.org/oeffentlich#datensatz"
    assert satz["dcat:landingPage"]["@id"] == "https://daten.example.org/oeffentlich"
    for feld in ("dct:title", "dct:description", "dct:license", "dct:publisher", "dcat:contactPoint",
                 "dct:temporal", "dct:spatial", "dct:accrualPeriodicity", "dcat:keyword", "dcat:distribution"):
        assert satz.get(feld), feld
    assert satz["dct:license"]["@id"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    assert satz["dct:publisher"]["foaf:name"] == f"{kommune.name}, {kommune.amt}"
    assert satz["dct:accrualPeriodicity"]["@id"].endswith("/frequency/ANNUAL")
    jahre = sorted({int(j) for j in lies(offene_db, "stadtteile")["jahr"].dropna()})
    assert satz["dct:temporal"]["dcat:startDate"]["@value"] == f"{jahre[0]}-01-01"
    assert satz["dct:temporal"]["dcat:endDate"]["@value"] == f"{jahre[-1]}-12-31"
    bbox = [r["dcat:bbox"]["@value"] for r in satz["dct:spatial"] if "dcat:bbox" in r]
    assert len(bbox) == 1 and bbox[0].startswith("POLYGON((8.")
    verteilungen = satz["dcat:distribution"]
    assert len(verteilungen) == len(DATEIEN) + 1  # jede Datei und die Schnittstelle
    for v, d in zip(verteilungen, DATEIEN, strict=False):
        assert v["dcat:accessURL"]["@id"] == f"https://daten.example.org/offene-daten/{d.name}"
        assert v["dct:format"]["@id"].endswith("/file-type/" + d.format)
        assert v["dcat:mediaType"]["@id"].endswith("/" + d.medientyp)
    assert verteilungen[-1]["dcat:accessURL"]["@id"] == "https://daten.example.org/api/collections"
    assert "dcat:downloadURL" not in verteilungen[-1]
    # Mainz: Gemeindeschlüssel 07315000 aus der Konfiguration
    gemeinde = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/07315000"
    assert satz["dcatde:politicalGeocodingURI"]["@id"] == gemeinde
    assert {"@id": gemeinde} in satz["dct:spatial"]
    assert not any("Gemeindeschlüssel" in h for h in satz.get("hinweise", []))


def test_ohne_gemeindeschluessel_nur_ausdehnung_und_annahme(offene_db, kommune):
    ohne = kommune.model_copy(update={"offene_daten": kommune.offene_daten.model_copy(
        update={"gemeindeschluessel": None})})
    satz = metadaten(lade_offene_daten(offene_db), ohne, basis="https://daten.example.org", heute=date(2026, 12, 6))
    assert "dcatde:politicalGeocodingURI" not in satz
    assert any(h.startswith("ANNAHME: kein Gemeindeschlüssel") for h in satz["hinweise"])


def test_gemeindeschluessel_hat_acht_ziffern():
    from pydantic import ValidationError

    from daten.config import OffeneDaten

    assert OffeneDaten(gemeindeschluessel="07315000").gemeindeschluessel == "07315000"
    for falsch in ("7315000", "073150001", "0731500x"):
        with pytest.raises(ValidationError):
            OffeneDaten(gemeindeschluessel=falsch)


def test_ohne_basisadresse_dateinamen_und_annahme(offene_db, kommune):
    satz = metadaten(lade_offene_daten(offene_db), kommune, basis="", heute=date(2026, 12, 6))
    assert [v["dcat:accessURL"]["@id"] for v in satz["dcat:distribution"]] == [d.name for d in DATEIEN]
    assert "dcat:landingPage" not in satz and satz["dct:modified"]["@value"] == "2026-12-06"
    assert any("RESSOURCENKARTE_OEFFENTLICHE_URL" in h for h in satz["hinweise"])


@pytest.mark.parametrize(("text", "kuerzel"), [("jährlich", "ANNUAL"), ("Monatlich", "MONTHLY"),
                                                ("unregelmäßig", "IRREG"), ("quarterly", "QUARTERLY")])
def test_frequenz_deutsch_oder_kuerzel(text, kuerzel):
    assert frequenz(text) == kuerzel


def test_frequenz_unbekannt_deutsche_meldung():
    with pytest.raises(EingabeFehler, match="offene_daten.aktualisierung 'ab und zu' ist unbekannt"):
        frequenz("ab und zu")


def test_lizenz_kurzname_uri_und_standard():
    assert dcat.lizenz_uri("dl-de/by-2-0") == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    assert dcat.lizenz_uri("DL-DE/ZERO-2-0") == "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"
    assert dcat.lizenz_uri("") == dcat.LIZENZEN[dcat.LIZENZ_STANDARD]
    assert dcat.lizenz_uri("https://example.org/lizenz") == "https://example.org/lizenz"


def test_ordner_fehlt_deutsche_meldung(offene_db, tmp_path, capsys):
    url = offene_db.url.render_as_string(hide_password=False)
    assert main(["opendata-dateien", str(tmp_path / "gibtsnicht"), "--db", url]) == 1
    assert "existiert nicht. Bitte zuerst anlegen" in capsys.readouterr().err


def test_basisadresse_ohne_http_deutsche_meldung(offene_db, tmp_path, capsys):
    url = offene_db.url.render_as_string(hide_password=False)
    assert main(["opendata-dateien", str(tmp_path), "--db", url, "--basis-url", "ressourcenkarte.mainz.de"]) == 1
    assert "bitte eine Adresse mit http:// oder https:// angeben" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # geprüft, bevor eine Datei entsteht
