"""Seite Vergleich in AppTest: Kennzahl, Jahr, Ebene, hervorgehobenes Gebiet, Tabellen und Downloads."""

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from daten.demo import demo_jahre
from seiten.gemeinsam import md
from tests.seiten.test_diagramme import _mit_auswahl

WURZEL = Path(__file__).resolve().parents[2]
# Demo mit heute geladen: Indikatoren bis zum Vorjahr, Gremien ab dem Vorjahr; FRUEHER liegt davor
FRUEHER = demo_jahre().indikatoren[1]


def _app():
    return AppTest.from_file(str(WURZEL / "seiten" / "vergleich.py"), default_timeout=180)


def _ok(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _spec(at) -> dict:
    return json.loads(at.get("vega_lite_chart")[0].proto.spec)


def _sel(at, label):
    return next(s for s in at.selectbox if s.label == label)


def test_vergleich_zeigt_diagramme_tabelle_und_downloads(app_env):
    at = _app().run()
    _ok(at)
    spec = _spec(at)
    titel = json.dumps(spec, ensure_ascii=False)
    assert "Karte: " in titel and "Rangfolge: " in titel and "Bedarf gegen Angebot" in titel and "Zeitreihe" in titel
    tabelle = next(d.value for d in at.dataframe if "Gebiet" in d.value.columns and "Bedarf" in d.value.columns)
    assert len(tabelle) == 10  # Sozialräume
    knoepfe = [b.proto.label for b in at.get("download_button")]
    assert any("CSV" in k for k in knoepfe) and any("XLSX" in k for k in knoepfe)


def _gebiete(at):
    return next(m for m in at.multiselect if m.label.startswith("Gebiete vergleichen"))


def test_zwei_gebiete_nebeneinander_in_allen_diagrammen(app_env):
    at = _app()
    at.session_state["vgl_textfassung"] = True  # Textfassung aufgeklappt (zugeklappt wird sie nicht gebaut)
    at = at.run()
    _gebiete(at).select("Mombach").select("Neustadt").run()
    _ok(at)
    spec = _spec(at)
    gebiet = next(p for p in spec.get("params", []) if p["name"] == "gebiet")
    assert gebiet["value"] == [{"gebiet": "Mombach"}, {"gebiet": "Neustadt"}]
    assert _mit_auswahl(spec) == {"geoshape", "bar", "circle", "line"}  # Karte, Rangfolge, Streuung, Zeitreihe
    text = json.dumps(spec, ensure_ascii=False)
    assert '"domain": ["Mombach", "Neustadt", "übrige Gebiete"]' in text  # eigene Farben, Legende „Gebiete“
    assert spec["config"]["locale"]["number"]["decimal"] == ","  # deutsches Zahlenformat
    # Textfassung markiert beide Gebiete
    markiert = next(d.value for d in at.dataframe if "ausgewählt" in d.value.columns)
    assert sorted(markiert.loc[markiert["ausgewählt"], "Gebiet"]) == ["Mombach", "Neustadt"]


def test_streudiagramm_in_worten(app_env):
    at = _app()
    at.session_state["vgl_textfassung"] = True  # Textfassung aufgeklappt (zugeklappt wird sie nicht gebaut)
    at = at.run()
    _ok(at)
    worte = next(m.value for m in at.markdown if "Bedarf gegen Angebot in Worten" in m.value)
    assert "Rechts unten – Bedarf über, Versorgung unter dem Durchschnitt" in worte
    tab = next(d.value for d in at.dataframe if "Bedarfsindex" in d.value.columns and "Versorgungsindex"
               in d.value.columns and "ausgewählt" in d.value.columns)
    rechts_unten = tab[(tab["Bedarfsindex"] > 0) & (tab["Versorgungsindex"] < 0)]["Gebiet"]
    zeile = next(z for z in worte.splitlines() if "Rechts unten" in z)
    for name in tab["Gebiet"]:  # jedes Gebiet steht genau in seinem Feld (Namen für Markdown maskiert)
        assert (md(name) + " \\(Bedarf" in zeile) == (name in set(rechts_unten)), name
    assert all(("," in z) for z in worte.splitlines()[1:] if "keines" not in z)  # Indexwerte mit Dezimalkomma


def test_stadtteilebene_und_kennzahl_mit_einheit(app_env):
    at = _app().run()
    next(r for r in at.radio if r.label == "Ebene").set_value("Stadtteil").run()
    _ok(at)
    kz = _sel(at, "Kennzahl für Karte, Rangfolge und Zeitreihe")
    kz.select("kita_plaetze_je_kind").run()
    _ok(at)
    text = json.dumps(_spec(at), ensure_ascii=False)
    assert "Kita-Plätze je Kind (Plätze je Kind)" in text and "Kinder unter 6 Jahren" in text  # Einheit und Nenner
    tabelle = next(d.value for d in at.dataframe if "Gebiet" in d.value.columns and "Sozialraum" in d.value.columns)
    assert len(tabelle) == 15


def test_jahr_wechseln(app_env):
    at = _app().run()
    _sel(at, "Jahr").select(FRUEHER).run()
    _ok(at)
    assert f"Tabelle Sozialraum {FRUEHER}" in [s.value for s in at.subheader]


@pytest.mark.parametrize("login", [None, "jhp"])
def test_fehlende_ressourcen_nur_mit_leserecht(app_env, login):
    at = _app()
    if login:
        from daten.politik import Akteur

        at.session_state["akteur"] = Akteur(login, "jugendhilfeplanung")
    at.run()
    _ok(at)
    ueberschriften = [m.value for m in at.markdown]
    tabellen = [d.value for d in at.dataframe if "text" in d.value.columns]
    if login:
        assert "**Fehlende Ressourcen (Frage 6)**" in ueberschriften and len(tabellen) == 1
        from sqlalchemy import create_engine, text

        with create_engine(app_env).connect() as c:
            frage6 = {z[0] for z in c.execute(text("SELECT text FROM protokollpunkt WHERE frage = 6"))}
        gezeigt = set(tabellen[0]["text"])
        assert gezeigt and gezeigt <= frage6  # nur Punkte der Frage 6
    else:
        assert "**Fehlende Ressourcen (Frage 6)**" not in ueberschriften and not tabellen
        assert any("Leserecht" in m for m in ueberschriften)


def test_fehlende_ressourcen_auf_der_karte(app_env):
    at = _app().run()
    _sel(at, "Kennzahl für Karte, Rangfolge und Zeitreihe").select("fehlende_ressourcen").run()
    _ok(at)
    spec = _spec(at)
    text = json.dumps(spec, ensure_ascii=False)
    assert "Karte: Fehlende Ressourcen (Frage 6) (Nennungen)" in text
    karte = next(d for d in spec["datasets"].values() if d and "geometry" in d[0]) if "datasets" in spec else None
    werte = karte or next(v["data"]["values"] for z in spec["vconcat"] for v in z["hconcat"]
                          if isinstance(v.get("data", {}).get("values"), list))
    assert sum(w["wert"] for w in werte) > 0 and len(werte) == 10


def test_arbeit_der_gremien_je_sozialraum(app_env):
    """R5, R6, R13 auf der Vergleich-Seite: aus den Sitzungen berechnet, nicht „noch nicht verfügbar“; ohne
    Regelnummern in den Texten der Seite."""
    from sqlalchemy import create_engine, text

    at = _app().run()
    _ok(at)
    jahr = _sel(at, "Jahr").value
    assert f"Arbeit der Gremien {jahr}" in [s.value for s in at.subheader]
    tab = next(d.value for d in at.dataframe if "Ortswechsel eingehalten" in d.value.columns)
    with create_engine(app_env).connect() as c:
        gehalten = dict(c.execute(text(
            "SELECT sr.name, count(*) FROM sitzung s JOIN sozialraum sr ON sr.id = s.sozialraum_id "
            "WHERE s.status IN ('durchgefuehrt', 'protokolliert', 'versendet') AND s.datum BETWEEN :a AND :b "
            "GROUP BY sr.name"), {"a": f"{jahr}-01-01", "b": f"{jahr}-12-31"}).all())
    assert len(tab) == 10 and dict(zip(tab["Sozialraum"], tab["Sitzungen"], strict=True)) == gehalten
    assert set(tab["Ortswechsel eingehalten"]) == {"ja"} and (tab["Halbjahre ohne Sitzung"] == 0).all()
    assert tab["Anwesenheit (%)"].between(50, 100).all() and (tab["Anwesenheit (%)"] < 100).any()
    assert not any("noch nicht verfügbar" in str(x.value) for x in [*at.markdown, *at.caption, *at.info])
    assert not [x.value for x in [*at.caption, *at.subheader] if re.search(r"\bR\d+\b", x.value)]
    _gebiete(at).select("Mombach").select("Neustadt").run()
    tab = next(d.value for d in at.dataframe if "Ortswechsel eingehalten" in d.value.columns)
    assert sorted(tab.loc[tab["ausgewählt"], "Sozialraum"]) == ["Mombach", "Neustadt"]
    _sel(at, "Jahr").select(FRUEHER).run()  # vor Beginn der Gremien (ab Vorjahr): nichts versäumt, Ortswechsel „–“
    _ok(at)
    tab = next(d.value for d in at.dataframe if "Ortswechsel eingehalten" in d.value.columns)
    assert (tab["Sitzungen"] == 0).all() and set(tab["Ortswechsel eingehalten"]) == {"–"}
    assert (tab["Halbjahre ohne Sitzung"] == 0).all() and any("keine durchgeführte Sitzung" in i.value for i in at.info)
    assert not any("Nicht eingehalten" in w.value for w in at.warning)


def test_tabelle_zeigt_betraege_in_euro_und_zahlen_im_format_des_browsers(app_env):
    at = _app().run()
    _sel(at, "Kennzahl für Karte, Rangfolge und Zeitreihe").select("budget_je_kind_eur").run()
    _ok(at)
    tabelle = next(d for d in at.dataframe if "Gebiet" in d.value.columns and "Bedarf" in d.value.columns)
    spalten = json.loads(tabelle.proto.columns)
    budget = next(k for k in spalten if k.startswith("Budget je Kind"))
    assert spalten[budget]["type_config"]["format"] == "euro"  # Beträge: 1.234,50 € statt 1234.50
    bedarf = next(k for k in spalten if k.startswith("Bedarfsindex"))
    assert spalten[bedarf]["type_config"]["format"] == "localized"
