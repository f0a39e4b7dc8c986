"""Seite „Import“ in AppTest: nur für Administration/Jugendhilfeplanung, Probelauf mit Bericht, dann Import."""

from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from daten import modelle as m
from daten import oeffentlich
from daten.db import erstelle_engine, sitzung
from daten.politik import Akteur
from tests.daten.import_hilfen import kopiere_sqlite

WURZEL = Path(__file__).resolve().parents[2]
CSV = ("Stadtteil;Jahr;Merkmal;Wert\nMombach;2019;einwohner;14.321\nGonsenhiem;2019;einwohner;100\n"
       "Finthen;2019;Ausländeranteil;12,5\n").encode("cp1252")


@pytest.fixture
def schreibbar(app_env, monkeypatch, tmp_path):
    url = kopiere_sqlite(app_env, tmp_path / "seite.db")
    monkeypatch.setenv("RESSOURCENKARTE_DB_URL", url)
    yield url


def _seite(akteur: Akteur | None) -> AppTest:
    at = AppTest.from_file(str(WURZEL / "seiten/importe.py"), default_timeout=120)
    if akteur:
        at.session_state["akteur"] = akteur
    return at.run()


def _knopf(at: AppTest, anfang: str):
    return next(b for b in at.button if b.label.startswith(anfang))


def test_ohne_recht_nur_hinweis(schreibbar):
    at = _seite(None)
    assert not at.exception and "vorbehalten" in at.info[0].value and not at.file_uploader
    at = _seite(Akteur("tl01", "teamleitung", 1))
    assert "vorbehalten" in at.info[0].value


def test_probelauf_und_import_als_jugendhilfeplanung(schreibbar):
    at = _seite(Akteur("jhp", "jugendhilfeplanung"))
    assert not at.exception
    at.radio[0].set_value("indikatoren").run()
    assert _knopf(at, "Probelauf").disabled
    at.file_uploader[0].set_value(("kennzahlen.csv", CSV, "text/csv")).run()
    _knopf(at, "Probelauf").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Probelauf" in at.warning[0].value  # ein Fehler: nichts geschrieben
    bericht = at.dataframe[0].value
    fehler = bericht[bericht["Stufe"] == "Fehler"]
    assert list(fehler["Zeile"]) == [3] and "Gonsenheim" in fehler["Problem"].iloc[0]
    assert any(b.proto.label == "Zeilenbericht als CSV herunterladen" for b in at.get("download_button"))
    next(c for c in at.checkbox if c.label.startswith("Fehlerhafte Zeilen")).check().run()
    _knopf(at, "Importieren").click().run()
    assert not at.exception and "geschrieben" in at.success[0].value
    e = erstelle_engine(schreibbar)
    with sitzung(e, akteur=None) as s:
        werte = {(w.merkmal, w.wert) for w in s.scalars(select(m.Indikatorwert).where(m.Indikatorwert.jahr == 2019))}
        wer = s.scalars(select(m.Aenderung.benutzer).where(m.Aenderung.tabelle == "indikatorwert")
                        .order_by(m.Aenderung.id.desc())).first()
    # die Offenen Daten zeigen den neuen Stand sofort (öffentliche Sicht neu gerechnet)
    offen = oeffentlich.lies(e, "stadtteile", jahr=2019).set_index("name")
    e.dispose()
    assert werte == {("einwohner", 14321.0), ("auslaenderanteil", 12.5)} and wer == "jhp"
    assert offen.loc["Mombach", "einwohner"] == 14321.0 and offen.loc["Finthen", "auslaenderanteil"] == 12.5


def test_dateiname_wird_nicht_als_markdown_gelesen(schreibbar):
    at = _seite(Akteur("admin", "admin"))
    at.radio[0].set_value("einrichtungen").run()
    at.file_uploader[0].set_value(("**fett**_[x](y).csv", b"name,art\nA,kita\n", "text/csv")).run()
    _knopf(at, "Probelauf").click().run()
    assert not at.exception
    meldung = at.error[0].value
    assert r"\*\*fett\*\*" in meldung and "keine Koordinaten" in meldung


def test_import_im_menue_nur_fuer_berechtigte(app_env):
    at = AppTest.from_file(str(WURZEL / "streamlit_app.py"), default_timeout=120).run()
    assert not at.exception
    with pytest.raises(ValueError, match="Known pages"):  # ohne Anmeldung nicht in der Navigation
        at.switch_page(str(WURZEL / "seiten/importe.py"))
    at.sidebar.text_input[0].input("jhp")
    at.sidebar.text_input[1].input("demo")
    at.sidebar.button[0].click().run()
    at.switch_page(str(WURZEL / "seiten/importe.py")).run()
    assert not at.exception and at.title[0].value == "Import" and at.file_uploader


def test_spalten_auf_der_seite_zuordnen_vorbelegt_mit_der_erkennung(schreibbar):
    e = erstelle_engine(schreibbar)
    with sitzung(e, akteur=None) as s:
        p = s.scalar(select(m.Stadtteil).where(m.Stadtteil.name == "Mombach")).geometrie.representative_point()
    e.dispose()
    csv = f"Titel;Einrichtungsart;Breite;Länge\nKita Spaltentest;kita;{p.y:.6f};{p.x:.6f}\n".encode()
    at = _seite(Akteur("admin", "admin"))
    at.radio[0].set_value("einrichtungen").run()
    at.file_uploader[0].set_value(("neu.csv", csv, "text/csv")).run()
    assert not at.exception, [x.value for x in at.exception]
    assert not [t for t in at.text_area if "ZIEL=QUELLE" in t.label]  # keine Kommandozeilen-Syntax auf der Seite
    wahl = {sb.label: sb for sb in at.selectbox if sb.key and sb.key.startswith("spalte_einrichtungen_")}
    # vorbelegt mit der automatischen Erkennung; nicht erkannte Felder leer
    assert (wahl["Art"].value, wahl["Breite (WGS84)"].value, wahl["Länge (WGS84)"].value) == \
        ("Einrichtungsart", "Breite", "Länge")
    assert wahl["Name"].value == "" and wahl["Name"].options == ["–", "Titel", "Einrichtungsart", "Breite", "Länge"]
    _knopf(at, "Probelauf").click().run()
    bericht = at.dataframe[0].value
    assert any("Kein Name" in x for x in bericht["Problem"])
    wahl["Name"].set_value("Titel").run()
    _knopf(at, "Importieren").click().run()
    assert not at.exception and "geschrieben" in at.success[0].value, [x.value for x in at.warning]
    e = erstelle_engine(schreibbar)
    with sitzung(e, akteur=None) as s:
        neu = s.scalar(select(m.Einrichtung).where(m.Einrichtung.name == "Kita Spaltentest"))
    e.dispose()
    assert neu is not None and neu.art == "kita"
