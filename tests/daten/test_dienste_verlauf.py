"""Verlauf aus dem Änderungsprotokoll, Vergleich im Konfliktfall, Wiederherstellen (selbst protokolliert)."""

from datetime import date

import pytest

from daten import dienste
from daten import modelle as m
from daten.db import sitzung
from daten.dienste import einrichtungen as de
from daten.dienste import verlauf as dv
from daten.dienste.wiederherstellen import stelle_version_wieder_her
from daten.fehler import EingabeFehler, KonfliktFehler, RechteFehler


def _kita(w, tl, stadtteil="Neustadt"):  # noqa: ANN001, ANN202
    return dienste.ausfuehren(w.engine, tl, de.lege_einrichtung_an, kommune=w.kommune, name="Kita Sonne", art="kita",
                              traeger_art="frei", punkt=w.mitte(stadtteil), kapazitaet=40)


def test_verlauf_zeigt_wer_wann_feld_vorher_nachher(welt):
    tl = welt.tl("Drais, Lerchenberg, Marienborn", "tl06")
    e = _kita(welt, tl, "Drais")
    dienste.ausfuehren(welt.engine, tl, de.aendere_einrichtung, einrichtung_id=e.id, version=1, kommune=welt.kommune,
                       kapazitaet=55, angebote=["Sprachförderung"], gueltig_von=date(2025, 8, 1))
    dienste.ausfuehren(welt.engine, tl, de.verschiebe_einrichtung, einrichtung_id=e.id, version=2,
                       kommune=welt.kommune, punkt=welt.mitte("Lerchenberg"))
    with sitzung(welt.engine, akteur=None) as s:
        eintraege = dv.verlauf(s, "einrichtung", e.id)
    assert [x.aktion for x in eintraege] == ["geändert", "geändert", "angelegt"]
    assert [x.version for x in eintraege] == [3, 2, 1] and {x.benutzer for x in eintraege} == {"tl06"}
    felder = {f.bezeichnung: (f.vorher, f.nachher) for f in eintraege[1].felder}
    assert felder["Kapazität"] == ("40", "55")
    assert felder["Angebote"] == ("—", "Sprachförderung")
    assert felder["gültig von"] == ("—", "01.08.2025")
    with sitzung(welt.engine, akteur=None) as s:
        erster = dv.verlauf(s, "einrichtung", e.id, kommune=welt.kommune)[-1]
    angelegt = {f.bezeichnung: f.nachher for f in erster.felder}
    assert (angelegt["Art"], angelegt["Trägerart"]) == ("Kita", "frei")
    verschoben = {f.bezeichnung: (f.vorher, f.nachher) for f in eintraege[0].felder}
    assert verschoben["Stadtteil"] == ("Drais", "Lerchenberg")
    assert verschoben["Lage"][1].startswith("Breite 49.") and "Länge 8." in verschoben["Lage"][1]


def test_version_wiederherstellen_ist_selbst_protokolliert(welt):
    tl = welt.tl("Neustadt")
    e = _kita(welt, tl)
    dienste.ausfuehren(welt.engine, tl, de.aendere_einrichtung, einrichtung_id=e.id, version=1, kommune=welt.kommune,
                       name="Kita Mond", kapazitaet=10, zielgruppen=["Familien"])
    with sitzung(welt.engine, akteur=None) as s:
        erste = dv.verlauf(s, "einrichtung", e.id)[-1]
    with pytest.raises(KonfliktFehler):  # auf veraltetem Stand wiederherstellen geht auch nicht
        dienste.ausfuehren(welt.engine, tl, stelle_version_wieder_her, kommune=welt.kommune, tabelle="einrichtung",
                           datensatz_id=e.id, aenderung_id=erste.aenderung_id, version=1)
    fremd = welt.tl("Mombach")
    with pytest.raises(RechteFehler):
        dienste.ausfuehren(welt.engine, fremd, stelle_version_wieder_her, kommune=welt.kommune,
                           tabelle="einrichtung", datensatz_id=e.id, aenderung_id=erste.aenderung_id, version=2)
    dienste.ausfuehren(welt.engine, tl, stelle_version_wieder_her, kommune=welt.kommune, tabelle="einrichtung",
                       datensatz_id=e.id, aenderung_id=erste.aenderung_id, version=2)
    with sitzung(welt.engine, akteur=None) as s:
        x = s.get(m.Einrichtung, e.id)
        assert (x.name, x.kapazitaet, x.zielgruppen, x.version) == ("Kita Sonne", 40, [], 3)
        neueste = dv.verlauf(s, "einrichtung", e.id)[0]
    assert neueste.benutzer == "tl" and neueste.version == 3
    assert {f.bezeichnung: f.nachher for f in neueste.felder}["Name"] == "Kita Sonne"


def test_wiederherstellen_nur_aus_dem_eigenen_verlauf(welt):
    tl = welt.tl("Neustadt")
    a, b = _kita(welt, tl), dienste.ausfuehren(
        welt.engine, tl, de.lege_einrichtung_an, kommune=welt.kommune, name="Kita Stern", art="kita",
        traeger_art="frei", punkt=welt.mitte("Neustadt", dx=0.01))
    with sitzung(welt.engine, akteur=None) as s:
        von_b = dv.verlauf(s, "einrichtung", b.id)[0]
    with pytest.raises(EingabeFehler, match="gehört nicht zu diesem Eintrag"):
        dienste.ausfuehren(welt.engine, tl, stelle_version_wieder_her, kommune=welt.kommune, tabelle="einrichtung",
                           datensatz_id=a.id, aenderung_id=von_b.aenderung_id, version=1)


def test_aenderungen_seit_und_vergleich(welt):
    tl, andere = welt.tl("Neustadt", "ich"), welt.tl("Neustadt", "kollegin")
    e = _kita(welt, tl)
    with sitzung(welt.engine, akteur=None) as s:
        geladen = de.formularwerte(s.get(m.Einrichtung, e.id))
    dienste.ausfuehren(welt.engine, andere, de.aendere_einrichtung, einrichtung_id=e.id, version=1,
                       kommune=welt.kommune,
                       kapazitaet=41, adresse="Neue Str. 1")
    with sitzung(welt.engine, akteur=None) as s:
        jetzt = de.formularwerte(s.get(m.Einrichtung, e.id))
        seit = dv.aenderungen_seit(s, "einrichtung", e.id, 1)
    assert [(x.benutzer, x.version) for x in seit] == [("kollegin", 2)]
    eingabe = geladen | {"kapazitaet": 50, "name": "Kita Sonnenschein"}
    zeilen = {z["Feld"]: z for z in dv.vergleiche(geladen, jetzt, eingabe)}
    assert zeilen["Kapazität"] == {"Feld": "Kapazität", "Ihr Ausgangsstand": "40",
                                   "Jetzt gespeichert (andere Person)": "41", "Ihre Eingabe": "50",
                                   "Hinweis": "beide geändert"}
    assert zeilen["Adresse"]["Hinweis"] == "von der anderen Person geändert"
    assert zeilen["Name"]["Hinweis"] == "nur von Ihnen geändert"
    assert "Art" not in zeilen  # unverändert
    assert dv.vergleiche(geladen, None, eingabe)[0]["Jetzt gespeichert (andere Person)"] == "(gelöscht)"


def test_zeige_wert():
    assert dv.zeige_wert("x", None) == "—" and dv.zeige_wert("x", []) == "—"
    assert dv.zeige_wert("gueltig_bis", "2026-07-31") == "31.07.2026"
    assert dv.zeige_wert("aktiv", True) == "ja"
    assert dv.zeige_wert("passwort_hash", "***") == "(verborgen)"
    assert dv.zeige_wert("geometrie", "POINT (8.25 50)") == "Breite 50.00000, Länge 8.25000"
