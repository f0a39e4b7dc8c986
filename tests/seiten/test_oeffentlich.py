"""Seite „Offene Daten“ in AppTest: ohne Anmeldung, nur aus den öffentlichen Sichten; die Kennzahl färbt Karte und
Tabelle; nichts Internes (Plätze, Träger-Namen, Teamleitung, Protokolle, Konten)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from daten.oeffentlich import lies
from daten.offene_dateien import DATEIEN, METADATEN
from seiten import gemeinsam
from tests.daten.offene_hilfen import geheimnisse_in, offene_schluessel, veroeffentliche_mit_geheimnissen
from tests.seiten.hilfen import demo_kopie, ohne_fehler

WURZEL = Path(__file__).resolve().parents[2]
SEITE = "seiten/oeffentlich.py"
# Wörter, die auf der öffentlichen Seite nie stehen dürfen (Protokolle, Konten, interne Angaben)
INTERN = ("Protokoll", "Passwort", "Benutzername", "Angemeldet", "Konto", "Plätze", "Kapazität", "Teamleitung",
          "Sitzung", "Budget")


@pytest.fixture
def offen(monkeypatch, demo_sqlite_url, tmp_path, kommune):
    """Eigene Demo-Kopie mit veröffentlichten Kennzahlen; die Seite darf nie nach der angemeldeten Person fragen."""
    with demo_kopie(monkeypatch, demo_sqlite_url, tmp_path) as engine:
        veroeffentliche_mit_geheimnissen(engine, kommune)

        def verboten():  # noqa: ANN202
            raise AssertionError("Die öffentliche Seite fragt nach der angemeldeten Person")

        monkeypatch.setattr(gemeinsam, "akteur", verboten)
        st.cache_data.clear()
        yield engine


def _app(datei: str = SEITE) -> AppTest:
    return AppTest.from_file(str(WURZEL / datei), default_timeout=120)


def _tabelle(at: AppTest, spalte: str):
    return next(d.value for d in at.dataframe if spalte in d.value.columns)


def _karte(at: AppTest) -> str:
    rahmen = at.get("iframe")
    assert len(rahmen) == 1
    return rahmen[0].proto.srcdoc


def _texte(at: AppTest) -> str:
    """Jeder sichtbare Text der Seite (ohne Karte): Titel, Absätze, Hinweise, Beschriftungen, Tabellen."""
    teile = [x.value for x in (*at.title, *at.markdown, *at.caption, *at.subheader, *at.info, *at.warning)]
    teile += [x.label for x in (*at.expander, *at.tabs, *at.selectbox)]
    teile += [d.value.to_csv() for d in at.dataframe]
    return "\n".join(map(str, teile))


def test_ohne_anmeldung_karte_und_alle_offenen_einrichtungen(offen):
    at = _app().run()
    ohne_fehler(at)
    assert at.title[0].value == "Offene Daten: Einrichtungen und Kennzahlen"
    anzahl = len(lies(offen, "einrichtungen"))
    assert anzahl == len(offene_schluessel(offen))  # die Sicht zeigt genau die heute offenen
    tab = _tabelle(at, "Name")
    assert len(tab) == anzahl > 200
    assert list(tab.columns) == ["Name", "Art", "Adresse", "Stadtteil", "Sozialraum"]
    assert f"Einrichtungen ({anzahl})" in [t.label for t in at.tabs]
    html = _karte(at)
    assert "leaflet" in html.lower() and "cdn" not in html.lower()  # offline: Leaflet liegt in der Seite
    assert "Kita" in html and "Legende" in html  # Ebenen je Art mit Legende


def test_nichts_internes_auf_der_seite_und_in_der_karte(offen):
    at = _app().run()
    text = _texte(at)
    html = _karte(at)
    assert geheimnisse_in(text) == [] and geheimnisse_in(html) == []
    for wort in INTERN:
        assert wort.lower() not in text.lower(), wort
    assert "Teamleitung ASD" not in html  # die Sozialräume der Sicht tragen keine Teamleitung


def test_kennzahl_und_jahr_aendern_karte_legende_und_tabelle(offen, kommune):
    at = _app().run()
    wahl = at.selectbox(key="o_kennzahl")
    assert wahl.value  # eine Kennzahl ist vorgewählt (die erste mit Werten)
    at.selectbox(key="o_kennzahl").select("sgb2_quote_u15").run()
    ohne_fehler(at)
    jahre = at.selectbox(key="o_jahr").options
    neuestes = jahre[0]
    bez = next(m.bezeichnung for m in kommune.merkmale if m.schluessel == "sgb2_quote_u15")
    html = _karte(at)
    assert f"{bez} {neuestes}" in html  # Legende: Kennzahl und Jahr
    werte = _tabelle(at, "Klasse auf der Karte")
    assert len(werte) == 15 and werte["Klasse auf der Karte"].nunique() == 5
    for klasse in set(werte["Klasse auf der Karte"]):
        assert klasse in html, klasse  # dieselben Klassen in Legende und Tabelle
    assert f"**{gemeinsam.md(f'{bez} {neuestes} (%)')}**" in [m.value for m in at.markdown]
    at.selectbox(key="o_jahr").select(jahre[-1]).run()
    assert f"{bez} {jahre[-1]}" in _karte(at) and f"{bez} {neuestes}" not in _karte(at)
    at.selectbox(key="o_kennzahl").select("").run()  # keine Kennzahl: keine Choroplethe
    ohne_fehler(at)
    assert f"{bez} " not in _karte(at) and [s for s in at.selectbox if s.key == "o_jahr"] == []
    assert "Keine Kennzahl gewählt" in _texte(at)


def test_bedarfsindex_mit_deutscher_bezeichnung(offen):
    at = _app().run()
    at.selectbox(key="o_kennzahl").select("bedarfsindex").run()
    ohne_fehler(at)
    assert "bedarfsindex" not in [m.value for m in at.markdown]
    assert any(m.value.startswith("**Bedarfsindex") for m in at.markdown)


def test_downloads_erst_aufgeklappt_und_schnittstelle_unter_der_basisadresse(offen, monkeypatch):
    at = _app().run()
    assert not at.get("download_button")  # zugeklappt: keine Knöpfe, keine Dateien
    assert not at.get("link_button")  # ohne Basisadresse kein Verweis auf eine Schnittstelle
    monkeypatch.setenv("RESSOURCENKARTE_OEFFENTLICHE_URL", "https://daten.example.org")
    st.cache_resource.clear()
    at = _app()
    at.session_state["o_downloads"] = True
    at.run()
    ohne_fehler(at)
    knoepfe = at.get("download_button")
    assert len(knoepfe) == len(DATEIEN) + 1
    assert {k.proto.label.rsplit(" – ", 1)[1] for k in knoepfe} == {d.name for d in (*DATEIEN, METADATEN)}
    assert at.get("link_button")[0].proto.url == "https://daten.example.org/api/collections"


def test_ohne_demo_nur_anmeldung_und_offene_daten(offen, monkeypatch):
    monkeypatch.setenv("RESSOURCENKARTE_DEMO", "false")
    monkeypatch.setenv("RESSOURCENKARTE_ADMIN_PASSWORT", "ein-langes-eigenes-Passwort")
    monkeypatch.setattr(gemeinsam, "akteur", lambda: None)  # die App selbst fragt (Seitenleiste, Navigation)
    st.cache_resource.clear()
    at = _app("streamlit_app.py").run()
    ohne_fehler(at)
    assert "Bitte links anmelden." in [m.value for m in at.markdown]
    at.switch_page(SEITE).run()
    ohne_fehler(at)
    assert at.title[0].value == "Offene Daten: Einrichtungen und Kennzahlen"
    assert len(_tabelle(at, "Name")) == len(lies(offen, "einrichtungen"))
    with pytest.raises(ValueError, match=r"Known pages: \['Anmeldung', '[^']*seiten/oeffentlich\.py'\]"):
        at.switch_page("seiten/karte.py")  # ohne Anmeldung gibt es nur diese beiden Seiten


def test_vor_der_ersten_veroeffentlichung_ohne_kennzahlen(monkeypatch, demo_sqlite_url, tmp_path, kommune):
    """Sichten ohne Kennzahlen (vor `ressourcenkarte init`/`opendata`): Karte und Tabelle, keine Choroplethe."""
    with demo_kopie(monkeypatch, demo_sqlite_url, tmp_path) as engine:
        at = _app().run()
        ohne_fehler(at)
        assert at.selectbox(key="o_kennzahl").options == ["keine"]
        assert [s for s in at.selectbox if s.key == "o_jahr"] == []
        tab = _tabelle(at, "Name")
        assert len(tab) == len(offene_schluessel(engine))
        kita = next(a.bezeichnung for a in kommune.einrichtungsarten if a.schluessel == "kita")
        assert kita in set(tab["Art"]) and "kita" not in set(tab["Art"])  # Bezeichnung der Konfiguration


@pytest.mark.postgis
def test_seite_auf_postgis(monkeypatch, kommune):
    """Dieselbe Seite gegen PostGIS (Sozialraum-Flächen und Netzwerk-Punkte rechnet dort die Sicht)."""
    from daten.db import erstelle_engine
    from daten.laden import initialisiere
    from tests.conftest import loesche_postgis, postgis_datenbank

    url = postgis_datenbank()
    engine = erstelle_engine(url)
    try:
        initialisiere(engine, kommune, demo=True)
        veroeffentliche_mit_geheimnissen(engine, kommune)
        monkeypatch.setenv("RESSOURCENKARTE_DB_URL", url)
        monkeypatch.setenv("RESSOURCENKARTE_DEMO", "true")
        monkeypatch.setenv("RESSOURCENKARTE_BASEMAP", "keine")
        st.cache_resource.clear()
        st.cache_data.clear()
        at = _app().run()
        ohne_fehler(at)
        assert len(_tabelle(at, "Name")) == len(offene_schluessel(engine))
        at.selectbox(key="o_kennzahl").select("einwohner_u6").run()
        assert _tabelle(at, "Klasse auf der Karte")["Klasse auf der Karte"].nunique() == 5
        assert geheimnisse_in(_texte(at)) == [] and geheimnisse_in(_karte(at)) == []
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
        engine.dispose()
        loesche_postgis(url)
