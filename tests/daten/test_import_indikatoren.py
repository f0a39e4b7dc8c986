"""Import von Indikatoren: lange und breite Tabellen, deutsche Zahlen, Merkmale gegen die Konfiguration."""

import pandas as pd
import pytest
from sqlalchemy import select

from daten import modelle as m
from daten.db import sitzung
from daten.importe import IndikatorOptionen
from tests.conftest import realdata
from tests.daten.import_hilfen import JHP, importiere_datei, stand

pytest_plugins = ["tests.daten.import_fixtures"]


def _wert(engine, stadtteil: str, jahr: int, merkmal: str):
    with sitzung(engine, akteur=None) as s:
        return s.scalar(select(m.Indikatorwert).join(m.Stadtteil)
                        .where(m.Stadtteil.name == stadtteil, m.Indikatorwert.jahr == jahr,
                               m.Indikatorwert.merkmal == merkmal))


def test_lange_tabelle_deutsche_zahlen_als_jugendhilfeplanung(demo_db, kommune, tmp_path):
    pfad = tmp_path / "lang.csv"
    pfad.write_text("Stadtteil;Jahr;Merkmal;Wert;Quelle\n"
                    "Mombach;2019;einwohner;14.321;Statistik 2019\n"
                    "hartenberg/münchfeld;2019;Ausländeranteil;17,5;Statistik 2019\n"
                    "Neustadt;2019;einwohner_u6;1.234,0;\n", encoding="utf-8")
    erg = importiere_datei(demo_db, kommune, "indikatoren", pfad, akteur=JHP, probe=False,
                           optionen=IndikatorOptionen())
    assert erg.geschrieben and erg.zahlen == {"neu": 3, "ändern": 0, "unverändert": 0}, erg.bericht.als_text()
    assert _wert(demo_db, "Mombach", 2019, "einwohner").wert == 14321
    assert _wert(demo_db, "Hartenberg-Münchfeld", 2019, "auslaenderanteil").wert == 17.5
    iw = _wert(demo_db, "Neustadt", 2019, "einwohner_u6")
    assert iw.wert == 1234 and iw.quelle == "Import: lang.csv"
    assert any("als 14321 gelesen" in b.problem for b in erg.bericht.befunde)
    with sitzung(demo_db, akteur=None) as s:
        assert s.scalars(select(m.Aenderung.benutzer).where(m.Aenderung.tabelle == "indikatorwert")
                         .order_by(m.Aenderung.id.desc())).first() == "jhp-test"


def test_breite_tabelle_xlsx_aktualisiert(demo_sqlite, kommune, tmp_path):
    df = pd.DataFrame({"Ortsbezirk": ["Mombach", "Finthen"], "Jahr": [2019, 2019],
                       "einwohner": [14000, 15000], "Kinder unter 6 Jahren": [900, 800]})
    df.to_excel(tmp_path / "breit.xlsx", index=False)
    erg = importiere_datei(demo_sqlite, kommune, "indikatoren", tmp_path / "breit.xlsx", probe=False)
    assert erg.plan.format == "breite Tabelle" and erg.zahlen["neu"] == 4
    df["einwohner"] = [14100, 15000]
    df.to_excel(tmp_path / "breit.xlsx", index=False)
    erg = importiere_datei(demo_sqlite, kommune, "indikatoren", tmp_path / "breit.xlsx", probe=False)
    assert erg.zahlen == {"neu": 0, "ändern": 1, "unverändert": 3}
    assert _wert(demo_sqlite, "Mombach", 2019, "einwohner").wert == 14100
    assert _wert(demo_sqlite, "Finthen", 2019, "einwohner_u6").wert == 800


def test_unbekanntes_merkmal_mit_vorschlag_und_nichts_geschrieben(demo_sqlite, kommune, tmp_path):
    pfad = tmp_path / "x.csv"
    pfad.write_text("stadtteil,jahr,merkmal,wert\nMombach,2019,einwohner,100\nMombach,2019,einwohnr,5\n"
                    "Atlantis,2019,einwohner,3\nMombach,2019,auslaenderanteil,140\nMombach,zwei,einwohner,1\n",
                    encoding="utf-8")
    davor = stand(demo_sqlite)
    erg = importiere_datei(demo_sqlite, kommune, "indikatoren", pfad, probe=False)
    assert not erg.geschrieben and stand(demo_sqlite) == davor
    fehler = {b.zeile: b for b in erg.bericht.befunde if b.stufe == "Fehler"}
    assert set(fehler) == {3, 4, 5, 6}
    assert "'einwohner'" in fehler[3].problem and "--merkmal" in fehler[3].handlung
    assert "Atlantis" in fehler[4].problem and "0 und 100" in fehler[5].problem and "kein Jahr" in fehler[6].problem
    erg = importiere_datei(demo_sqlite, kommune, "indikatoren", pfad, probe=False, zeilen_ueberspringen=True)
    assert erg.geschrieben and erg.zahlen["neu"] == 1 and erg.zahlen["übersprungen"] == 4


@pytest.mark.realdata
def test_echte_kennzahlen_mit_merkmalszuordnung(demo_sqlite, kommune):
    opt = IndikatorOptionen(merkmale=("Einwohner Hauptwohnsitz am 31.12.2023=einwohner",
                                      "Ausländeranteil am 31.12.2022=auslaenderanteil"))
    erg = importiere_datei(demo_sqlite, kommune, "indikatoren", realdata("mainz_stadtteile_kennzahlen.csv"),
                           optionen=opt, probe=True, zeilen_ueberspringen=True)
    zeilen = pd.DataFrame(erg.plan.zeilen)
    assert set(zeilen["merkmal"]) == {"einwohner", "auslaenderanteil"}
    assert set(zeilen["jahr"]) == {2022, 2023} and zeilen["stadtteil"].isin(kommune.stadtteile).all()
    assert len(zeilen) >= 15
    assert any("Mainz gesamt" in b.problem for b in erg.bericht.befunde)  # Stadtsumme ist kein Stadtteil
