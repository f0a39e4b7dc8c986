"""Import von Einrichtungen: echte Schul- und OSM-Dateien, Formate, Koordinatensysteme, Schlüssel, alles oder nichts."""

import json

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Transformer
from sqlalchemy import select

from daten import modelle as m
from daten.db import sitzung
from daten.fehler import EingabeFehler
from daten.importe import EinrichtungOptionen
from tests.conftest import realdata
from tests.daten.import_hilfen import JHP, importiere_datei, setze_rohe_grenzen, stand, zaehle

pytest_plugins = ["tests.daten.import_fixtures"]
SCHULEN = "mainz_schulen_jedeschule_subset.geojson"
LUECKEN_GYMNASIUM = "Hechtsheimer Str. 29"


def _einrichtungen(engine, **filter) -> list[m.Einrichtung]:
    with sitzung(engine, akteur=None) as s:
        q = select(m.Einrichtung).filter_by(**filter)
        return [(e, e.stadtteil.name) for e in s.scalars(q)]


@pytest.mark.realdata
def test_schulen_ohne_lage_abgelehnt_dann_uebersprungen(demo_db, kommune):
    davor = stand(demo_db)
    erg = importiere_datei(demo_db, kommune, "einrichtungen", realdata(SCHULEN), probe=False)
    assert not erg.geschrieben and stand(demo_db) == davor  # eine Zeile ohne Lage: nichts geschrieben
    (fehler,) = [b for b in erg.bericht.befunde if b.stufe == "Fehler"]
    assert fehler.zeile == 6 and "ohne Koordinaten" in fehler.problem  # Ludwig-Schwamb-Schule, Objekt 6
    erg = importiere_datei(demo_db, kommune, "einrichtungen", realdata(SCHULEN), probe=False,
                           zeilen_ueberspringen=True)
    assert erg.geschrieben and erg.zahlen == {"neu": 46, "ändern": 0, "unverändert": 0, "übersprungen": 1}
    schulen = _einrichtungen(demo_db, quelle=f"Import: {SCHULEN}")
    assert len(schulen) == 46
    arten = {e.name: e.art for e, _ in schulen}
    assert arten["Peter-Jordan-Schule"] == "foerderschule"
    assert {"grundschule", "weiterfuehrende_schule", "foerderschule"} == set(arten.values())
    assert {e.traeger_art for e, _ in schulen} == {"staedtisch", "frei"}  # öffentliche/private Schule
    lerchenberg = next((e, st) for e, st in schulen if e.name.startswith("Grundschule") and "Lerchenberg" in st)
    assert lerchenberg[0].schluessel.startswith("import:RP-")


@pytest.mark.realdata
def test_neuimport_aktualisiert_statt_zu_verdoppeln(demo_db, kommune, tmp_path):
    importiere_datei(demo_db, kommune, "einrichtungen", realdata(SCHULEN), probe=False, zeilen_ueberspringen=True)
    anzahl = zaehle(demo_db, m.Einrichtung)
    gdf = gpd.read_file(realdata(SCHULEN))
    gdf.loc[gdf["name"] == "Peter-Jordan-Schule", "address"] = "Neue Straße 1, 55122 Mainz"
    pfad = tmp_path / SCHULEN
    gdf.to_file(pfad)
    erg = importiere_datei(demo_db, kommune, "einrichtungen", pfad, probe=False, zeilen_ueberspringen=True)
    assert erg.zahlen["neu"] == 0 and erg.zahlen["ändern"] == 1 and erg.zahlen["unverändert"] == 45
    assert zaehle(demo_db, m.Einrichtung) == anzahl
    (e, _), = _einrichtungen(demo_db, name="Peter-Jordan-Schule")
    assert e.adresse == "Neue Straße 1, 55122 Mainz" and e.version == 2


@pytest.mark.realdata
def test_schule_in_der_luecke_kommt_zum_naechsten_stadtteil(demo_sqlite, kommune):
    setze_rohe_grenzen(demo_sqlite)
    erg = importiere_datei(demo_sqlite, kommune, "einrichtungen", realdata(SCHULEN), probe=True,
                           zeilen_ueberspringen=True)
    gdf = gpd.read_file(realdata(SCHULEN))
    nr = int(gdf.index[gdf["address"].str.contains(LUECKEN_GYMNASIUM)][0]) + 1
    (warnung,) = [b for b in erg.bericht.befunde if b.stufe == "Warnung"]
    assert warnung.zeile == nr and "in keinem Stadtteil" in warnung.problem
    zeile = next(z for z in erg.plan.zeilen if z["zeile"] == nr)
    assert zeile["stadtteil"] in {"Oberstadt", "Hechtsheim", "Weisenau"}  # Nachbarn der Lücke
    assert zeile["stadtteil"] in warnung.problem


@pytest.mark.realdata
def test_osm_spielplaetze_ueber_tag_zuordnung(demo_sqlite, kommune):
    setze_rohe_grenzen(demo_sqlite)  # echte Grenzen: alle 398 Spielplätze liegen in (oder direkt an) ihnen
    erg = importiere_datei(demo_sqlite, kommune, "einrichtungen", realdata("mainz_osm_facilities_mymainzmap.geojson"),
                           probe=False, zeilen_ueberspringen=True)
    assert erg.geschrieben
    neu = _einrichtungen(demo_sqlite, quelle="Import: mainz_osm_facilities_mymainzmap.geojson")
    assert len(neu) == 398 and {e.art for e, _ in neu} == {"spielplatz"}
    assert all(e.schluessel.startswith(("osm:node/", "osm:way/", "osm:relation/")) for e, _ in neu)
    fehler = [b for b in erg.bericht.befunde if b.stufe == "Fehler"]
    assert len(fehler) == 2124 and "Art 'toilets'" in fehler[0].problem and "typzuordnung" in fehler[0].handlung


@pytest.mark.realdata
def test_landesweite_json_liste_nur_mainz(demo_sqlite, kommune):
    erg = importiere_datei(demo_sqlite, kommune, "einrichtungen",
                           realdata("rlp_schulen_jedeschule_all_schools_geocoded.json"), probe=True)
    assert len(erg.plan.zeilen) == 46
    aussen = [b for b in erg.bericht.befunde if "außerhalb des Stadtgebiets" in b.problem]
    ohne = [b for b in erg.bericht.befunde if "ohne Koordinaten" in b.problem]
    assert len(ohne) == 77 and len(aussen) > 1300


def _csv(tmp_path, name: str, text: str, kodierung: str = "utf-8"):
    pfad = tmp_path / name
    pfad.write_bytes(text.encode(kodierung))
    return pfad


CSV_KOPF = "Bezeichnung;Art;Träger;Straße;PLZ;Ort;{a};{b}\n"


def _punkte(kommune, n: int = 4):
    lat0, lon0 = kommune.kartenmitte
    return [(lat0 + 0.004 * i, lon0 + 0.006 * i) for i in range(n)]


def test_csv_cp1252_semikolon_deutsche_dezimalzahlen(demo_db, kommune, tmp_path):
    zeilen = [f"Kita Sonnenblume {i};Kindertagesstätte;Städtische Kitas;Mühlweg {i};55116;Mainz;"
              f"{str(lat).replace('.', ',')};{str(lon).replace('.', ',')}\n"
              for i, (lat, lon) in enumerate(_punkte(kommune))]
    pfad = _csv(tmp_path, "kitas.csv", CSV_KOPF.format(a="Breite", b="Länge") + "".join(zeilen), "cp1252")
    erg = importiere_datei(demo_db, kommune, "einrichtungen", pfad, probe=False)
    assert erg.geschrieben, erg.bericht.als_text()
    assert any("Windows-1252" in b.problem for b in erg.bericht.befunde)
    kitas = _einrichtungen(demo_db, quelle="Import: kitas.csv")
    assert {e.art for e, _ in kitas} == {"kita"} and len(kitas) == 4
    e = next(e for e, _ in kitas if e.name == "Kita Sonnenblume 0")
    assert e.adresse == "Mühlweg 0, 55116 Mainz" and e.traeger == "Städtische Kitas"
    assert e.geometrie.y == pytest.approx(kommune.kartenmitte[0]) and e.zielgruppen == kommune.art("kita").zielgruppen


def test_meter_in_lat_lon_spalten_erkannt_und_erklaert(demo_sqlite, kommune, tmp_path):
    t = Transformer.from_crs(4326, 25832, always_xy=True)
    zeilen = []
    for i, (lat, lon) in enumerate(_punkte(kommune)):
        x, y = t.transform(lon, lat)
        zeilen.append(f"Kita {i},kita,,,,,{y:.1f},{x:.1f}\n")
    pfad = _csv(tmp_path, "meter.csv", CSV_KOPF.format(a="lat", b="lon").replace(";", ",") + "".join(zeilen))
    erg = importiere_datei(demo_sqlite, kommune, "einrichtungen", pfad, probe=True)
    (w,) = [b for b in erg.bericht.befunde if b.stufe == "Warnung"]
    assert "keine Grad-Werte" in w.problem and "EPSG:25832" in w.problem and "--crs" in w.handlung
    assert not erg.bericht.hat_fehler
    assert erg.plan.zeilen[0]["lat"] == pytest.approx(kommune.kartenmitte[0], abs=1e-6)


def test_vertauschte_breite_laenge_abgelehnt(demo_sqlite, kommune, tmp_path):
    zeilen = [f"Kita {i},kita,,,,,{lon},{lat}\n" for i, (lat, lon) in enumerate(_punkte(kommune))]
    pfad = _csv(tmp_path, "tausch.csv", CSV_KOPF.format(a="lat", b="lon").replace(";", ",") + "".join(zeilen))
    davor = stand(demo_sqlite)
    with pytest.raises(EingabeFehler, match="vertauscht"):
        importiere_datei(demo_sqlite, kommune, "einrichtungen", pfad, probe=False, zeilen_ueberspringen=True)
    assert stand(demo_sqlite) == davor
    # eine einzelne vertauschte Zeile unter richtigen wird als Zeilenfehler gemeldet
    zeilen = [f"Kita {i},kita,,,,,{lat},{lon}\n" for i, (lat, lon) in enumerate(_punkte(kommune))]
    zeilen[2] = "Kita 2,kita,,,,,{1},{0}\n".format(*_punkte(kommune)[2])
    pfad = _csv(tmp_path, "tausch1.csv", CSV_KOPF.format(a="lat", b="lon").replace(";", ",") + "".join(zeilen))
    erg = importiere_datei(demo_sqlite, kommune, "einrichtungen", pfad, probe=True)
    (f,) = [b for b in erg.bericht.befunde if b.stufe == "Fehler"]
    assert f.zeile == 4 and "vertauscht" in f.problem


def test_xy_mit_crs_und_wkt_und_xlsx(demo_sqlite, kommune, tmp_path):
    t = Transformer.from_crs(4326, 31467, always_xy=True)
    punkte = _punkte(kommune)
    df = pd.DataFrame({"Name": [f"Beratung {i}" for i in range(4)], "Typ": "Erziehungsberatung",
                       "Rechtswert": [t.transform(lon, lat)[0] for lat, lon in punkte],
                       "Hochwert": [t.transform(lon, lat)[1] for lat, lon in punkte],
                       "Trägerart": ["frei", "freier Träger", "städtisch", "Stadt"]})
    df.to_excel(tmp_path / "gk.xlsx", index=False)
    erg = importiere_datei(demo_sqlite, kommune, "einrichtungen", tmp_path / "gk.xlsx", probe=True,
                           optionen=EinrichtungOptionen(crs="31467"))
    assert not erg.bericht.hat_fehler, erg.bericht.als_text()
    assert [z["traeger_art"] for z in erg.plan.zeilen] == ["frei", "frei", "staedtisch", "staedtisch"]
    assert {z["art"] for z in erg.plan.zeilen} == {"beratungsstelle"}
    assert erg.plan.zeilen[1]["lon"] == pytest.approx(punkte[1][1], abs=1e-6)
    wkt = "wkt,name,art\n" + "".join(f"SRID=4326;POINT ({lon} {lat}),Treff {i},Jugendzentrum\n"
                                     for i, (lat, lon) in enumerate(punkte))
    erg = importiere_datei(demo_sqlite, kommune, "einrichtungen", _csv(tmp_path, "w.csv", wkt), probe=True)
    assert not erg.bericht.hat_fehler and {z["art"] for z in erg.plan.zeilen} == {"kijukuz"}


def test_unbekannte_art_und_spalte_mit_vorschlag(demo_sqlite, kommune, tmp_path):
    lat, lon = kommune.kartenmitte
    pfad = _csv(tmp_path, "x.csv", f"name,typ,lat,lon\nA,Kita,{lat},{lon}\nB,Kiat,{lat},{lon + 0.01}\n")
    erg = importiere_datei(demo_sqlite, kommune, "einrichtungen", pfad, probe=True)
    (f,) = [b for b in erg.bericht.befunde if b.stufe == "Fehler"]
    assert f.zeile == 3 and f.feld == "typ" and "'Kiat'" in f.problem and "'kita'" in f.handlung
    with pytest.raises(EingabeFehler, match="Meinten Sie 'typ'"):
        importiere_datei(demo_sqlite, kommune, "einrichtungen", pfad, probe=True,
                         optionen=EinrichtungOptionen(spalten=("art=tpy",)))


def test_jugendhilfeplanung_darf_keine_einrichtungen(demo_sqlite, kommune, tmp_path):
    lat, lon = kommune.kartenmitte
    pfad = _csv(tmp_path, "x.csv", f"name,art,lat,lon\nA,kita,{lat},{lon}\n")
    davor = stand(demo_sqlite)
    erg = importiere_datei(demo_sqlite, kommune, "einrichtungen", pfad, akteur=JHP, probe=False)
    assert not erg.geschrieben and any(b.feld == "Rechte" for b in erg.bericht.befunde)
    assert stand(demo_sqlite) == davor


def test_importe_stehen_mit_person_im_aenderungsprotokoll(demo_db, kommune, tmp_path):
    lat, lon = kommune.kartenmitte
    pfad = _csv(tmp_path, "x.json", json.dumps([{"name": "Neu", "art": "Mehrgenerationenhaus",
                                                  "location": {"lat": lat, "lon": lon}}]))
    erg = importiere_datei(demo_db, kommune, "einrichtungen", pfad, probe=False)
    assert erg.geschrieben
    with sitzung(demo_db, akteur=None) as s:
        a = s.scalars(select(m.Aenderung).where(m.Aenderung.tabelle == "einrichtung")
                      .order_by(m.Aenderung.id.desc())).first()
    assert a.benutzer == "admin-test" and a.aktion == "anlegen" and a.nachher["name"] == "Neu"


@pytest.mark.realdata
def test_schulen_liegen_im_richtigen_stadtteil(demo_sqlite, kommune):
    """Nach dem Import der echten Grenzen: jede Schule im Stadtteil, dessen Polygon sie enthält; jeder hat eine."""
    importiere_datei(demo_sqlite, kommune, "stadtteile", realdata("mainz_ortsbezirke_lageinfo_named.geojson"),
                     probe=False)
    erg = importiere_datei(demo_sqlite, kommune, "einrichtungen", realdata(SCHULEN), probe=False,
                           zeilen_ueberspringen=True)
    assert erg.zahlen["neu"] == 46 and not [b for b in erg.bericht.befunde if b.stufe == "Warnung"]
    named = gpd.read_file(realdata("mainz_ortsbezirke_lageinfo_named.geojson"))[["ortsbezirk", "geometry"]]
    schulen = gpd.read_file(realdata(SCHULEN)).dropna(subset=["geometry"])
    j = gpd.sjoin(schulen[["id", "geometry"]], named, predicate="within")
    eindeutig = j[~j["id"].duplicated(keep=False)].set_index("id")["ortsbezirk"]  # nicht in Überlappung/Lücke
    importiert = _einrichtungen(demo_sqlite, quelle=f"Import: {SCHULEN}")
    ist = {e.schluessel.removeprefix("import:"): st for e, st in importiert}
    assert len(eindeutig) >= 43
    assert all(ist[k] == v for k, v in eindeutig.items())
    assert set(ist.values()) == set(kommune.stadtteile)
