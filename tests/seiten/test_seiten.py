"""Karte-Seite in AppTest: jede Eingabe hat eine sichtbare Wirkung (Tabelle, Kopfzeile, Karte)."""

from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from daten import modelle as m
from daten.db import erstelle_engine, sitzung
from daten.demo import demo_jahre

T = 120
WURZEL = Path(__file__).resolve().parents[2]


def app(datei: str = "streamlit_app.py", *, tabellen: bool = True) -> AppTest:
    """AppTest der App; `tabellen`: die aufklappbare Textfassung ist offen (sonst wird sie nicht gebaut)."""
    at = AppTest.from_file(str(WURZEL / datei), default_timeout=T)
    if tabellen:
        at.session_state["rk_tabellen"] = True
    return at


def _ohne_fehler(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def tabelle(at: AppTest, spalte: str):
    """Die Tabelle mit dieser Spalte (die Seite zeigt mehrere)."""
    return next(d.value for d in at.dataframe if spalte in d.value.columns)


def wahl(at: AppTest, label: str):
    return next(s for s in at.selectbox if s.label == label)


def karten_html(at: AppTest) -> str:
    """Das HTML der gezeigten Karte (st.iframe mit srcdoc)."""
    rahmen = at.get("iframe")
    assert len(rahmen) == 1
    return rahmen[0].proto.srcdoc


def test_tabellen_erst_beim_aufklappen(app_env):
    at = app(tabellen=False).run()
    _ohne_fehler(at)
    assert not at.dataframe  # die schwere Tabellen-Komponente lädt erst, wenn jemand sie braucht
    kasten = at.expander[-1]
    assert kasten.label.startswith("Karteninhalte als Tabellen (Textfassung): ") and "Einrichtungen" in kasten.label
    at.session_state["rk_tabellen"] = True
    at.run()
    assert len(tabelle(at, "Name")) > 100


def test_start_zeigt_karte_und_tabelle(app_env):
    at = app().run()
    _ohne_fehler(at)
    assert at.title[0].value == "Ressourcenkarte"
    assert at.subheader[0].value.startswith("Einrichtungen (")
    assert len(tabelle(at, "Name")) > 100
    html = karten_html(at)
    assert html.count("class=\"folium-map\"") == 1  # genau eine Karte (die Übersichtskarte ist ein Steuerelement)
    assert at.get("iframe")[0].proto.alt.startswith("Interaktive Karte")  # Name für Bildschirmleser


def test_sozialraum_auswahl_filtert_tabelle_und_zoomt_karte(app_env, demo_sqlite_url):
    engine = erstelle_engine(demo_sqlite_url)
    with sitzung(engine, akteur=None) as s:
        stufe = s.scalar(select(m.Sozialraum.stufe).where(m.Sozialraum.name == "Mombach"))
    engine.dispose()
    at = app().run()
    wahl(at, "Sozialraum").select("Mombach").run()
    _ohne_fehler(at)
    df = tabelle(at, "Name")
    assert set(df["Sozialraum"]) == {"Mombach"}
    assert at.title[0].value == "Ressourcenkarte: Mombach"
    assert at.subheader[0].value == f"Einrichtungen in Mombach ({len(df)})"
    assert "Sozialraum Mombach" in karten_html(at)  # Kartentitel/aria-label nennt den Sozialraum
    kopf = next(c.value for c in at.caption if c.value.startswith("Sozialraum Mombach"))
    assert "Teamleitung ASD: " in kopf and "nicht eingetragen" not in kopf
    # Demo: Mombach nimmt Stufe 3 im Juli des laufenden Jahres auf, davor Stufe 2
    assert stufe == (3 if date.today() >= date(date.today().year, 7, 1) else 2)
    assert f"Gremium auf Stufe {stufe} von 3" in kopf


def test_filter_nur_gremium_und_traeger(app_env, demo_sqlite_url):
    engine = erstelle_engine(demo_sqlite_url)
    with sitzung(engine, akteur=None) as s:
        stufe = dict(s.execute(select(m.Sozialraum.name, m.Sozialraum.stufe)).all())
    engine.dispose()
    at = app().run()
    next(c for c in at.checkbox if c.label == "Nur Gremiumsmitglieder").check().run()
    _ohne_fehler(at)
    gremium = tabelle(at, "Name")
    assert len(gremium) > 20 and set(gremium["Im Gremium"]) == {"ja"}
    assert "Spielplatz" not in set(gremium["Art"])
    wahl(at, "Träger").select("frei").run()
    frei = tabelle(at, "Name")
    assert len(frei) > 5, "freie Träger sitzen in Gremien der Stufen 2 und 3"
    assert set(frei["Trägerart"]) == {"frei"}
    assert all(stufe[sr] >= 2 for sr in frei["Sozialraum"]), "freie Träger erst ab Stufe 2"
    kitas = frei[frei["Art"] == "Kita"]
    assert all(stufe[sr] == 3 for sr in kitas["Sozialraum"]), "Kitas freier Träger erst ab Stufe 3"
    # Stufe 3 gilt in der Demo ab Juli des laufenden Jahres: erst dann sitzen Kitas freier Träger im Gremium
    assert bool(len(kitas)) == (max(stufe.values()) == 3) == (date.today() >= date(date.today().year, 7, 1))


def test_zielgruppe_kinder_findet_kitas_und_grundschulen(app_env):
    at = app().run()
    zg = wahl(at, "Zielgruppe")
    assert zg.options[:3] == ["alle", "Kinder (unter 14 Jahren)", "Kinder 0–3"]  # Reihenfolge der Konfiguration
    zg.select("Kinder").run()
    df = tabelle(at, "Name")
    assert {"Kita", "Grundschule"} <= set(df["Art"])
    assert "Suchthilfe" not in set(df["Art"])  # nur Jugendliche und Erwachsene
    wahl(at, "Zielgruppe").select("Jugendliche").run()
    assert "Kita" not in set(tabelle(at, "Name")["Art"])


def test_netzwerk_hervorheben_zeigt_nur_seine_mitglieder(app_env, demo_sqlite_url):
    engine = erstelle_engine(demo_sqlite_url)
    with sitzung(engine, akteur=None) as s:
        netz = s.scalar(select(m.Netzwerk).where(m.Netzwerk.name == "Netzwerk Frühe Hilfen"))
        mitglieder = sorted(e.name for e in netz.mitglieder if e.aktiv)
        netz_id = netz.id
    engine.dispose()
    at = app().run()
    nw = wahl(at, "Netzwerk hervorheben")
    assert nw.value is None and "Netzwerk Frühe Hilfen – besteht" in nw.options
    netze = tabelle(at, "Netzwerk")
    assert {"besteht", "soll entwickelt werden"} <= set(netze["Status"])
    zeile = netze[netze["Netzwerk"] == "Netzwerk Frühe Hilfen"].iloc[0]
    assert sorted(zeile["Mitglieder"].split("; ")) == mitglieder and zeile["Sozialraum"] == "stadtweit"
    nw.set_value(netz_id).run()
    _ohne_fehler(at)
    assert sorted(tabelle(at, "Name")["Name"]) == mitglieder
    assert list(tabelle(at, "Netzwerk")["Netzwerk"]).count("Netzwerk Frühe Hilfen") == 1


def test_choroplethe_zeigt_klassen_in_karte_und_tabelle(app_env):
    at = app().run()
    wahl(at, "Indikator").select("einwohner_u6").run()
    _ohne_fehler(at)
    assert [o for o in wahl(at, "Bezug").options] == ["absolut (Personen)", "je 1.000 Einwohnerinnen und Einwohner"]
    werte = tabelle(at, "Klasse auf der Karte")
    assert len(werte) == 15 and werte["Klasse auf der Karte"].nunique() == 5
    html = karten_html(at)
    assert f"Kinder unter 6 Jahren {demo_jahre().vorjahr}" in html  # Legende: Indikator und jüngstes Jahr
    for klasse in set(werte["Klasse auf der Karte"]):
        assert klasse in html, klasse  # dieselben Klassen in Legende und Tabelle
    wahl(at, "Klassifikation").select("natural_breaks").run()
    at.slider[0].set_value(3).run()
    assert tabelle(at, "Klasse auf der Karte")["Klasse auf der Karte"].nunique() == 3


def test_anteile_ohne_bezug_eigene_grenzen_deutsch(app_env):
    at = app().run()
    wahl(at, "Indikator").select("sgb2_quote_u15").run()
    assert not [s for s in at.selectbox if s.label == "Bezug"], "je 1.000 eines Prozentwerts ergibt keinen Sinn"
    wahl(at, "Klassifikation").select("eigene").run()
    assert not at.slider, "die Klassenzahl wirkt bei eigenen Grenzen nicht"
    feld = at.text_input[0]
    assert feld.label.startswith("Eigene Klassengrenzen") and feld.value  # Vorschlag aus den Daten
    assert feld.value != "10; 20; 30"
    feld.set_value("12,5; 20").run()
    _ohne_fehler(at)
    klassen = set(tabelle(at, "Klasse auf der Karte")["Klasse auf der Karte"])
    assert any("12,5" in k for k in klassen) and any("20" in k for k in klassen)
    at.text_input[0].set_value("1,000; 2.5").run()  # englisch: Tausenderkomma und Dezimalpunkt
    _ohne_fehler(at)
    at.text_input[0].set_value("1,000").run()  # mehrdeutig
    assert any("mehrdeutig" in w.value for w in at.warning)


def test_einwohner_je_1000_und_deutsche_tausender(app_env):
    at = app().run()
    wahl(at, "Indikator").select("einwohner_u6").run()
    wahl(at, "Klassifikation").select("eigene").run()
    at.text_input[0].set_value("1.000; 2.000").run()  # deutsch: 1000 und 2000, nicht 1 und 2
    klassen = set(tabelle(at, "Klasse auf der Karte")["Klasse auf der Karte"])
    assert any(k.endswith(" bis 1.000") for k in klassen) and "über 1.000 bis 2.000" in klassen, klassen


def test_stadtteil_aufteilen(app_env):
    at = app().run()
    wahl(at, "Sozialraum").select("Drais, Lerchenberg, Marienborn").run()
    teil = wahl(at, "Stadtteil")
    assert teil.options == ["alle Stadtteile", "Drais", "Lerchenberg", "Marienborn"]
    teil.select("Lerchenberg").run()
    _ohne_fehler(at)
    df = tabelle(at, "Name")
    assert len(df) > 0 and set(df["Stadtteil"]) == {"Lerchenberg"}
    assert at.subheader[0].value == f"Einrichtungen in Lerchenberg ({len(df)})"
    assert "Stadtteil Lerchenberg" in next(c.value for c in at.caption if c.value.startswith("Sozialraum"))
    # Stadtteil eines anderen Sozialraums wird beim Wechsel verworfen
    wahl(at, "Sozialraum").select("Mombach").run()
    assert set(tabelle(at, "Name")["Stadtteil"]) == {"Mombach"}


def test_ohne_eingestellten_hintergrund_keine_wahl_und_keine_kacheln(app_env):
    """Intranet: ohne Einstellung bietet die Seite keinen Kachelserver an und die Karte fragt keinen an."""
    at = app().run()
    _ohne_fehler(at)
    assert not [s for s in at.selectbox if s.label == "Hintergrundkarte"]
    assert any("RESSOURCENKARTE_BASEMAP" in c.value for c in at.caption)
    html = karten_html(at)
    assert "RK.kacheln(" not in html and "tile.openstreetmap.org" not in html and "geodatenzentrum" not in html


def test_eingestellter_hintergrund_und_keiner_zur_wahl(app_env, monkeypatch):
    monkeypatch.setenv("RESSOURCENKARTE_BASEMAP", "basemapde")
    st.cache_resource.clear()
    at = app().run()
    hg = wahl(at, "Hintergrundkarte")
    assert hg.options == ["basemap.de (BKG)", "keine (nur Inhalte)"] and hg.value == "basemapde"
    assert "sgx.geodatenzentrum.de/wmts_basemapde" in karten_html(at)
    assert "tile.openstreetmap.org" not in karten_html(at)  # OSM wird nie angeboten, wenn nicht eingestellt
    hg.select("keine").run()
    _ohne_fehler(at)
    assert "RK.kacheln(" not in karten_html(at)


def test_staedtischer_wms_erscheint_in_der_karte(app_env, monkeypatch):
    monkeypatch.setenv("RESSOURCENKARTE_BASEMAP", "wms:https://geo.stadt.example/wms|stadtplan")
    st.cache_resource.clear()
    at = app().run()
    _ohne_fehler(at)
    assert wahl(at, "Hintergrundkarte").options == ["Städtischer WMS", "keine (nur Inhalte)"]
    html = karten_html(at)
    assert '"url":"https://geo.stadt.example/wms"' in html and '"layers":"stadtplan"' in html


def test_englische_bedienelemente_ersetzt(app_env):
    at = app().run()
    arten = next(x for x in at.multiselect if x.label == "Einrichtungsarten")
    assert arten.proto.select_all == 0  # kein „Select all“
    assert arten.placeholder == "alle Arten"
    beschriftungen = [w.label for w in (*at.selectbox, *at.checkbox, *at.multiselect)]
    assert not [b for b in beschriftungen if "R2" in b or "51.04" in b]
    assert "Suchthilfe" in arten.options


def test_anmeldung(app_env):
    at = app().run()
    at.sidebar.text_input[0].input("tl01")
    at.sidebar.text_input[1].input("falsch")
    at.sidebar.button[0].click().run()
    assert any("falsch" in e.value for e in at.error)
    at.sidebar.text_input[1].input("demo")
    at.sidebar.button[0].click().run()
    assert any("Teamleitung ASD" in m.value for m in at.sidebar.markdown)
    assert not at.get("iframe")  # Teamleitung: klickbare Karte (st_folium) statt HTML


def test_ohne_demo_erst_anmelden(app_env, monkeypatch):
    monkeypatch.setenv("RESSOURCENKARTE_DEMO", "false")
    monkeypatch.setenv("RESSOURCENKARTE_ADMIN_PASSWORT", "ein-langes-eigenes-Passwort")
    st.cache_resource.clear()
    at = app().run()
    _ohne_fehler(at)
    assert "Bitte links anmelden." in [m.value for m in at.markdown]
    assert not at.dataframe


@pytest.mark.parametrize("seite", ["seiten/karte.py", "seiten/praesentation.py"])
def test_jede_seite_einzeln(app_env, seite):
    at = app(seite).run()
    _ohne_fehler(at)
    assert at.title


def test_karte_auf_beiden_backends(app_env_postgis):
    at = app().run()
    _ohne_fehler(at)
    assert at.subheader[0].value.startswith("Einrichtungen (")
    assert len(tabelle(at, "Name")) > 100
    assert date.today()  # Stichtag heute: dieselben Filter auf SQLite und PostGIS


def test_fehlende_ressourcen_auf_karte_und_als_tabelle(app_env):
    """Frage 6: die fehlenden Ressourcen der Protokolle als eigene Kartenebene und als Tabelle (Textfassung);
    mit gewähltem Sozialraum nur dessen."""
    from daten.einstellungen import Einstellungen

    with sitzung(erstelle_engine(Einstellungen().db_url), akteur=None) as s:
        alle = s.execute(select(m.FehlendeRessource.bezeichnung, m.Sozialraum.name)
                         .join(m.Protokollpunkt).join(m.Sitzung).join(m.Sozialraum)).all()
    assert len(alle) > 10
    at = app().run()
    _ohne_fehler(at)
    df = tabelle(at, "Fehlende Ressource")
    assert sorted(df["Fehlende Ressource"]) == sorted(b for b, _ in alle)
    assert df["Sitzung vom"].str.fullmatch(r"\d\d\.\d\d\.\d{4}").all()
    assert '"Fehlende Ressourcen"' in karten_html(at)  # Titel der Ebene in der Ebenenwahl
    wahl(at, "Sozialraum").select("Mombach").run()
    df = tabelle(at, "Fehlende Ressource")
    assert sorted(df["Fehlende Ressource"]) == sorted(b for b, s in alle if s == "Mombach") and len(df)


def test_erstes_oeffnen_im_browser_karte_zuerst_dann_die_ganze_seite(app_env, monkeypatch):
    """Im Browser schickt der erste Lauf nur Karte und Melder (Filter, Downloads, Anmeldung folgen); die Meldung
    „Karte gezeichnet“ bringt die ganze Seite, und danach bleibt es in der Sitzung so. Ohne Browser sofort alles."""
    from seiten import _vorlauf

    monkeypatch.setattr(_vorlauf, "_im_browser", lambda: True)
    at = app(tabellen=False).run()
    _ohne_fehler(at)
    assert karten_html(at).count('class="folium-map"') == 1  # die Karte steht schon
    assert not at.selectbox and not at.sidebar.text_input and not at.get("download_button")
    at.session_state[_vorlauf.VOLL] = True  # was der Melder im Browser auslöst (on_bereit_change)
    at.run()
    _ohne_fehler(at)
    assert wahl(at, "Sozialraum") and {t.label for t in at.sidebar.text_input} == {"Benutzername", "Passwort"}
    assert any(b.proto.label == "Karte als HTML herunterladen" for b in at.get("download_button"))
    wahl(at, "Sozialraum").select("Mombach").run()  # weitere Läufe: sofort die ganze Seite
    assert wahl(at, "Sozialraum").value == "Mombach" and at.sidebar.text_input

    monkeypatch.setattr(_vorlauf, "_im_browser", lambda: False)
    at = app(tabellen=False).run()
    assert wahl(at, "Sozialraum") and at.sidebar.text_input  # AppTest, Skripte: kein Melder, alles auf einmal
