"""Diagramme der Vergleich-Seite ohne Streamlit: deutsches Zahlenformat, Namen, Farben, Quadranten in Worten."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from seiten import _diagramme as dg


def _daten(n: int):
    namen = [f"Gebiet {i:02d}" for i in range(n)]
    geo = gpd.GeoDataFrame({"gebiet": namen, "wert": [i * 1.5 for i in range(n)], "hinweis": [""] * n},
                           geometry=[box(8 + i * 0.01, 50, 8.01 + i * 0.01, 50.01) for i in range(n)], crs=4326)
    tab = pd.DataFrame({"gebiet": namen, "wert": [i * 1.5 for i in range(n)], "beschriftung": namen,
                        "bedarfsindex": [i - n / 2 for i in range(n)],
                        "versorgungsindex": [n / 2 - i for i in range(n)],
                        "hinweis": [""] * n})
    zeit = pd.DataFrame([{"gebiet": g, "jahr": j, "wert": i + j - 2020} for i, g in enumerate(namen)
                         for j in (2022, 2023, 2024)])
    return geo, tab, zeit


def _spec(n: int, gewaehlt: list[str] | None = None) -> dict:
    geo, tab, zeit = _daten(n)
    return dg.diagramme(geo, tab, zeit, achse="Plätze je 1.000 Kinder", nenner="Kinder unter 6",
                        gewaehlt=gewaehlt).to_dict()


def _ebenen(spec: dict) -> list[dict]:
    """Alle Einzeldiagramme (auch in Schichten) der verbundenen Diagramme."""
    out = []
    for zeile in spec["vconcat"]:
        for teil in zeile["hconcat"]:
            out.extend(teil.get("layer", [teil]))
    return out


def _mit_auswahl(spec: dict) -> set[str]:
    """Marken der Diagramme, auf die die Auswahl „gebiet“ wirkt (benannte Sichten in `views`)."""
    views = set(next(p for p in spec["params"] if p["name"] == "gebiet")["views"])
    return {e["mark"]["type"] for e in _ebenen(spec) if e.get("name") in views}


def _werte(spec: dict, ebene: dict) -> list[dict]:
    name = ebene.get("data", {}).get("name")
    return spec["datasets"][name] if name else ebene.get("data", {}).get("values", [])


def test_deutsches_zahlenformat_in_der_konfiguration():
    spec = _spec(4)
    locale = spec["config"]["locale"]
    assert locale["number"]["decimal"] == "," and locale["number"]["thousands"] == "."
    assert locale["time"]["months"][2] == "März" and locale["time"]["shortDays"][1] == "Mo"
    # Achsen und Tooltips formatieren mit Tausendertrennung (d3: ","), die das Locale zum Punkt macht
    text = json.dumps(spec)
    assert '"format": ",.2f"' in text and '"format": ",.4~f"' in text


def test_jede_achse_hat_einen_titel_mit_einheit():
    for e in _ebenen(_spec(4)):
        for kanal in ("x", "y"):
            enc = e.get("encoding", {}).get(kanal)
            if enc and "field" in enc and enc["field"] not in ("beschriftung", "null") and e["mark"]["type"] != "text":
                assert enc.get("title"), (e["mark"], kanal)
    titel = json.dumps(_spec(4), ensure_ascii=False)
    assert "Plätze je 1.000 Kinder" in titel and "Standardabweichungen" in titel


@pytest.mark.parametrize(("n", "beschriftet"), [(dg.DIREKT, dg.DIREKT), (dg.DIREKT + 1, 0)])
def test_namen_direkt_an_punkten_und_linien_bis_zehn_gebiete(n, beschriftet):
    spec = _spec(n)
    texte = [e for e in _ebenen(spec) if e["mark"]["type"] == "text"]
    assert len(texte) == 2  # Streudiagramm und Zeitreihe
    streu, linie = texte
    assert len(streu["transform"][0]["filter"]["oneOf"]) == beschriftet
    assert len({w["gebiet"] for w in _werte(spec, linie)}) == beschriftet
    legende = [e for e in _ebenen(spec) if e["mark"]["type"] == "line"][0]["encoding"]["color"]
    assert legende["legend"]["title"] == "Gebiete"
    assert len(legende["scale"]["domain"]) == (n if n <= dg.DIREKT else 1)


def test_gewaehlte_gebiete_nebeneinander_in_eigenen_farben():
    spec = _spec(15, ["Gebiet 03", "Gebiet 11"])
    farbe = [e for e in _ebenen(spec) if e["mark"]["type"] == "line"][0]["encoding"]["color"]["scale"]
    assert farbe["domain"] == ["Gebiet 03", "Gebiet 11", dg.UEBRIGE]
    assert farbe["range"] == [dg.FARBEN[0], dg.FARBEN[1], dg.GRAU]
    auswahl = next(p for p in spec["params"] if p["name"] == "gebiet")
    assert auswahl["value"] == [{"gebiet": "Gebiet 03"}, {"gebiet": "Gebiet 11"}]
    assert _mit_auswahl(spec) == {"geoshape", "bar", "circle", "line"}  # Karte, Rangfolge, Streuung, Zeitreihe
    streu = [e for e in _ebenen(spec) if e["mark"]["type"] == "text"][0]
    assert streu["transform"][0]["filter"]["oneOf"] == ["Gebiet 03", "Gebiet 11"]


def test_vergleichsfarben_ohne_unbekannte_namen():
    f = dg.vergleichsfarben(["A", "B"], ["B", "X", "B"])
    assert f.domain == ["B", dg.UEBRIGE] and f.gruppe("A") == dg.UEBRIGE and f.gruppe("B") == "B"
    alle = dg.vergleichsfarben(["A", "B"], ["A", "B"])
    assert alle.domain == ["A", "B"]  # alle gewählt: keine Gruppe „übrige“


def test_quadranten_in_worten_beide_seiten_der_null():
    tab = pd.DataFrame({"gebiet": ["Nord", "Süd", "Ost", "West", "Mitte", "Leer"],
                        "bedarfsindex": [1.2, 0.0, -0.5, 0.01, 2.0, None],
                        "versorgungsindex": [-0.8, -0.01, 0.0, 0.5, -0.2, 1.0]})
    felder = {titel.split(" –")[0]: gebiete for titel, _, gebiete in dg.quadranten(tab)}
    assert felder["Rechts unten"] == ["Mitte (Bedarf +2,00, Versorgung -0,20)",
                                      "Nord (Bedarf +1,20, Versorgung -0,80)"]  # größter Abstand zuerst
    assert felder["Rechts oben"] == ["West (Bedarf +0,01, Versorgung +0,50)"]  # 0,01 > 0: über dem Durchschnitt
    assert felder["Links unten"] == ["Süd (Bedarf 0,00, Versorgung -0,01)"]  # Bedarf genau 0: nicht darüber
    assert felder["Links oben"] == ["Ost (Bedarf -0,50, Versorgung 0,00)"]  # Versorgung genau 0 zählt als gut
    assert not any("Leer" in g for gs in felder.values() for g in gs)  # ohne Index kein Feld
    deutung = dict((t.split(" –")[0], d) for t, d, _ in dg.quadranten(tab))
    assert "fehlt am ehesten Angebot" in deutung["Rechts unten"]


def test_entzerre_haelt_abstand_und_bleibt_nah_am_wert():
    werte = pd.Series([1.0, 1.05, 1.1, 5.0, -2.0], index=list("abcde"))
    lagen = dg.entzerre(werte, abstand=0.5)
    sortiert = lagen.sort_values()
    assert (sortiert.diff().dropna() >= 0.5 - 1e-9).all()  # nichts überdeckt sich
    assert list(sortiert.index) == ["e", "a", "b", "c", "d"]  # Reihenfolge bleibt
    assert lagen["d"] == 5.0 and lagen["e"] == -2.0  # wer frei steht, bleibt an seinem Wert
    assert lagen[["a", "b", "c"]].mean() == pytest.approx(1.05)  # die Gruppe steht um ihren Mittelwert
    # Gegenprobe: weit genug auseinander – nichts verschoben
    assert list(dg.entzerre(pd.Series([0.0, 1.0]), abstand=0.5)) == [0.0, 1.0]
