"""Aufbau der folium-Karte: Ebenen, Legende, Maskierung, Netzwerke, Einzugsbereiche, Hintergrund, Ausschnitt."""

from __future__ import annotations

import html
import json
import re

import folium
import pytest
from folium.map import FitBounds

from daten.fehler import EingabeFehler
from karte import baue_karte, html_text
from karte.assets import fremde_adressen
from karte.ebenen import JsEbene
from karte.laufzeit import Steuerung
from karte.netze import GESTRICHELT
from karte.symbole import FORMEN
from tests.karte.conftest import entpackt

CHORO = {"merkmal": "sgb2_quote_u15", "jahr": 2024, "klassifikation": "equal_interval", "klassen": 3}


def _karte(daten, kommune, **optionen) -> folium.Map:
    return baue_karte(**daten, kommune=kommune, **optionen)


def _ebenen(m: folium.Map) -> dict[str, JsEbene]:
    return {c.titel: c for c in m._children.values() if isinstance(c, JsEbene)}


def _steuerung(m: folium.Map) -> Steuerung:
    return next(c for c in m._children.values() if isinstance(c, Steuerung))


def _html(m: folium.Map) -> str:
    return html_text(m)


def aufrufe(html: str, name: str) -> list[dict]:
    """Die JSON-Optionen aller Aufrufe `RK.name(karte, …, {…})` im Skript der Karte."""
    dekodierer, out = json.JSONDecoder(), []
    for t in re.finditer(rf"RK\.{name}\(\w+, (?:\"\w+\",\s*)?", html):
        out.append(dekodierer.raw_decode(html, t.end())[0])
    return out


def test_ebenenwahl_bekommt_alle_ebenen_als_daten(daten, kommune):
    text = _html(_karte(daten, kommune, choropleth=CHORO, einzugsbereiche=("kita",)))
    titel = [o["titel"] for f in ("flaechen", "netze", "einrichtungen") for o in aufrufe(text, f)]
    assert titel[:3] == [
        "Indikator: Kinder unter 15 in SGB-II-Bedarfsgemeinschaften 2024", "Stadtteile", "Sozialräume"]
    assert "Einzugsbereich Kita: 800 m" in titel and "Netzwerke" in titel
    assert {"Einrichtungen: Kita (4)", "Einrichtungen: ASD-Dienststelle (4)", "Einrichtungen: Grundschule (4)"} <= set(
        titel)
    assert aufrufe(text, "kacheln") == []  # Standard: kein Hintergrund, keine Anfrage ins Netz
    assert "L.control.layers(" not in text  # eigene Ebenenwahl (RK.ebenenwahl), Namen nie als HTML


def test_einrichtungen_je_art_mit_farbe_und_form_aus_konfiguration(daten, kommune):
    m = _karte(daten, kommune)
    ebenen, d = _ebenen(m), entpackt(m)
    assert ebenen["Einrichtungen: Kita (4)"].fabrik == "einrichtungen"
    kita = d["Einrichtungen: Kita (4)"]
    erwartet = next(a.farbe for a in kommune.einrichtungsarten if a.schluessel == "kita")
    assert kita["farbe"] == erwartet
    assert kita["bez"] == "Kita"
    assert len(kita["x"]) == len(kita["n"]) == 4
    arten = [d[t] for t, e in ebenen.items() if e.fabrik == "einrichtungen"]
    assert len({a["farbe"] for a in arten}) == 3
    # zweiter Kanal: jede Art eine andere Form (WCAG 1.4.1), in der Reihenfolge der Konfiguration
    formen = [json.dumps(a["form"]) for a in arten]
    assert len(set(formen)) == 3
    assert kita["form"] == FORMEN["quadrat"]  # Kita ist die zweite Art der Konfiguration
    legende = _steuerung(m).legende_html
    assert legende.count("<svg") >= 3 and "umkreist: im Sozialraumgremium" in legende


def test_popup_daten_vollstaendig_und_deutsch(daten, kommune):
    kita = entpackt(_karte(daten, kommune))["Einrichtungen: Kita (4)"]
    i = kita["n"].index("Einrichtung 1")
    assert kita["t"][i] == "Träger 0 (frei)"
    assert kita["ad"][i] == "Hauptstraße 1"
    assert kita["an"][i] == "Beratung; Treffpunkt" and kita["z"][i] == "Kinder, Familien"
    assert kita["k"][i] == "20"
    assert kita["gv"][i] == "seit 01.01.2020"
    assert kita["nw"][i] == "Netz A"
    assert [f[1] for f in kita["felder"]] == ["Träger", "Adresse", "Stadtteil", "Sozialraum", "Angebote",
                                              "Zielgruppen", "Plätze", "Netzwerke", "Im Sozialraumgremium", "Gültig"]
    assert kita["gr"][i] == "nein" and kita["g"][i] == 0
    asd = entpackt(_karte(daten, kommune))["Einrichtungen: ASD-Dienststelle (4)"]
    assert asd["k"] == [None] * 4  # keine Kapazität → Zeile entfällt im Popup


def test_netzwerke_knoten_linien_und_status(daten, kommune):
    m = _karte(daten, kommune)
    netz = entpackt(m)["Netzwerke"]
    assert netz["n"] == ["Netz A", "Netz B"] and netz["s"] == ["besteht", "soll entwickelt werden"]
    assert [f["properties"]["i"] for f in netz["kanten"]["features"]] == [0, 1]
    assert all(f["geometry"]["type"] == "LineString" for f in netz["kanten"]["features"])
    assert aufrufe(_html(m), "netze")[0]["strich"] == GESTRICHELT
    # Knoten in der Mitte der Mitglieder (EPSG:4326 [lat, lon]), Hülle umschließt alle Mitglieder
    import shapely

    for i in range(2):
        (lat1, lon1), (lat2, lon2) = netz["mxy"][i]
        assert netz["hub"][i] == pytest.approx([(lat1 + lat2) / 2, (lon1 + lon2) / 2], abs=1e-4)
        huelle = shapely.geometry.shape(netz["huelle"]["features"][i]["geometry"])
        assert all(huelle.contains(shapely.Point(lon, lat)) for lat, lon in netz["mxy"][i])
    assert netz["m"][0] == ["Einrichtung 1", "Einrichtung 2"]
    legende = _steuerung(m).legende_html
    assert 'class="linie"' in legende and 'class="linie gestrichelt"' in legende and 'class="knoten"' in legende


def test_netzwerk_auswahl_nach_name_oder_id(daten, kommune):
    text = _html(_karte(daten, kommune, auswahl_netzwerk="Netz B"))
    assert aufrufe(text, "netze")[0]["auswahl"] == 1
    assert aufrufe(_html(_karte(daten, kommune, auswahl_netzwerk=1)), "netze")[0]["auswahl"] == 0
    with pytest.raises(EingabeFehler, match="Netzwerk 'Netz Z'"):
        _karte(daten, kommune, auswahl_netzwerk="Netz Z")


def test_einzugsbereich_radius_in_metern(daten, kommune):
    m = _karte(daten, kommune, einzugsbereiche=("kita", "asd"))
    ebenen, fcs = _ebenen(m), entpackt(m)
    kita = ebenen["Einzugsbereich Kita: 800 m"]
    asd = ebenen["Einzugsbereich ASD-Dienststelle: 2.500 m"]
    assert (kita.optionen["radius_m"], asd.optionen["radius_m"]) == (800.0, 2500.0)
    # Fläche metrisch (EPSG:25832): ein ASD-Puffer ist ein Kreis von 2.500 m, vereinigte Kita-Puffer
    # sind höchstens so groß wie die Summe der Einzelkreise.
    import math

    import geopandas as gpd
    import shapely

    def flaeche(ebene):
        geo = shapely.from_geojson(json.dumps(fcs[ebene.titel]["features"][0]["geometry"]))
        return float(gpd.GeoSeries([geo], crs=4326).to_crs(25832).area.iloc[0])

    n_kita = int((daten["einrichtungen"]["art"] == "kita").sum())
    # vier Kitas liegen in vier Stadtteilen > 1,6 km auseinander: Fläche = vier volle Kreise
    assert flaeche(kita) == pytest.approx(n_kita * math.pi * 800**2, rel=0.01)
    # ASD-Puffer überlappen sich (2,5 km Radius): vereinigt kleiner als die Summe, größer als ein Kreis
    n_asd = int((daten["einrichtungen"]["art"] == "asd").sum())
    assert math.pi * 2500**2 < flaeche(asd) < n_asd * math.pi * 2500**2
    tt = entpackt(m)["Einzugsbereich ASD-Dienststelle: 2.500 m"]["features"][0]["properties"]["tt"]
    assert tt.startswith("Einzugsbereich ASD-Dienststelle: 2.500 m\nabgedeckt: ") and tt.endswith(" km²")
    assert "," in tt.split("abgedeckt: ")[1]  # deutsches Dezimalkomma
    # Zeichenfolge = Reihenfolge der Ebenen: Einzugsbereiche über den Flächen, unter Netzwerken und Punkten
    assert [o["titel"] for o in aufrufe(_html(m), "flaechen")][-2:] == [
        "Einzugsbereich Kita: 800 m", "Einzugsbereich ASD-Dienststelle: 2.500 m"]


def test_einzugsbereich_unbekannte_art_meldet_deutsch(daten, kommune):
    with pytest.raises(EingabeFehler, match="Einrichtungsart 'schwimmbad' ist unbekannt"):
        _karte(daten, kommune, einzugsbereiche=("schwimmbad",))


def test_sozialraeume_mit_festen_beschriftungen(daten, kommune):
    m = _karte(daten, kommune)
    assert _ebenen(m)["Sozialräume"].optionen["label"] == "sozialraum"
    assert _ebenen(m)["Stadtteile"].optionen["label"] == "stadtteil"  # Stadtteilnamen erst vergrößert
    sr = entpackt(m)["Sozialräume"]
    punkte = [f["properties"]["lp"] for f in sr["features"]]
    assert len(punkte) == 2 and all(49.9 < lat < 50.1 and 8.1 < lon < 8.4 for lat, lon in punkte)
    assert {f["properties"]["n"] for f in sr["features"]} == {"West", "Ost"}


def test_kein_cdn_im_html(daten, kommune):
    text = _html(_karte(daten, kommune, choropleth=CHORO, einzugsbereiche=("kita",)))
    assert fremde_adressen(text) == []
    for name in ("cdn", "jsdelivr", "unpkg", "code.jquery", "bootstrapcdn", "cdnjs"):
        assert name not in text.lower()
    assert "<script src" not in text and "<link" not in text  # Leaflet als Text eingebettet
    assert "Leaflet" in text.split("</head>")[0]


def test_fremde_adressen_erkennt_stock_folium():
    """Gegenprobe: eine gewöhnliche folium-Karte lädt von CDNs, der Prüfer findet das."""
    text = folium.Map(location=[50, 8]).get_root().render()
    assert any("jsdelivr" in t for t in fremde_adressen(text))


@pytest.mark.parametrize(("basemap", "erwartet"), [
    ("osm", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
    ("basemapde", "de_basemapde_web_raster_farbe"),
])
def test_hintergrund_kacheln(daten, kommune, basemap, erwartet):
    kacheln = aufrufe(_html(_karte(daten, kommune, basemap=basemap)), "kacheln")
    assert len(kacheln) == 1 and erwartet in kacheln[0]["url"] and not kacheln[0]["wms"]
    if basemap == "basemapde":
        assert "© GeoBasis-DE / BKG" in html.unescape(kacheln[0]["optionen"]["attribution"])


def test_hintergrund_wms_und_keine(daten, kommune):
    wms = aufrufe(_html(_karte(daten, kommune, basemap="wms:https://geo.example.org/wms|stadtplan")), "kacheln")
    assert len(wms) == 1 and wms[0]["url"] == "https://geo.example.org/wms" and wms[0]["wms"]
    assert wms[0]["optionen"]["layers"] == "stadtplan"
    ohne = _html(_karte(daten, kommune, basemap="keine"))
    assert aufrufe(ohne, "kacheln") == []
    assert "rk-ohne-kacheln" in ohne


def test_basemapde_als_wms_mit_quellenangabe_des_bkg(daten, kommune):
    wms = aufrufe(_html(_karte(daten, kommune, basemap="wms:https://sgx.geodatenzentrum.de/wms_basemapde|"
                                                      "de_basemapde_web_raster_grau")), "kacheln")
    assert len(wms) == 1 and wms[0]["wms"] and wms[0]["url"] == "https://sgx.geodatenzentrum.de/wms_basemapde"
    assert wms[0]["optionen"]["layers"] == "de_basemapde_web_raster_grau"
    assert "© GeoBasis-DE / BKG" in html.unescape(wms[0]["optionen"]["attribution"])
    # ein Host, der nur so ähnlich heißt, bekommt nicht die Quellenangabe des BKG
    fremd = aufrufe(_html(_karte(daten, kommune, basemap="wms:https://geodatenzentrum.de.example.org/wms|x")),
                    "kacheln")
    assert fremd[0]["optionen"]["attribution"] == "Hintergrund: geodatenzentrum.de.example.org"


def test_kachelserver_der_stadt(daten, kommune):
    xyz = aufrufe(_html(_karte(daten, kommune, basemap="xyz:https://kacheln.stadt.example/{z}/{x}/{y}.png")),
                  "kacheln")
    assert len(xyz) == 1 and not xyz[0]["wms"] and xyz[0]["url"] == "https://kacheln.stadt.example/{z}/{x}/{y}.png"
    assert xyz[0]["optionen"]["attribution"] == "Hintergrund: kacheln.stadt.example"


def test_ohne_angabe_kein_hintergrund(daten, kommune):
    ohne = _html(baue_karte(**daten, kommune=kommune))
    assert aufrufe(ohne, "kacheln") == [] and "rk-ohne-kacheln" in ohne


@pytest.mark.parametrize("basemap", ["google", "wms:ftp://x|a", "wms:https://geo.example.org/wms",
                                     "xyz:https://kacheln.example/{z}/{x}.png", "xyz:ftp://k/{z}/{x}/{y}.png"])
def test_hintergrund_ungueltig(daten, kommune, basemap):
    with pytest.raises(EingabeFehler, match="Hintergrundkarte"):
        _karte(daten, kommune, basemap=basemap)


def test_auswahl_passt_ausschnitt_an(daten, kommune):
    m = _karte(daten, kommune, auswahl_sozialraum="Ost")
    fit = [c for c in m._children.values() if isinstance(c, FitBounds)]
    assert len(fit) == 1
    w, s, o, n = daten["sozialraeume"].set_index("name").loc[["Ost"]].total_bounds
    assert [*fit[0].bounds[0], *fit[0].bounds[1]] == pytest.approx([s, w, n, o])
    alle = _karte(daten, kommune)
    fit_alle = next(c for c in alle._children.values() if isinstance(c, FitBounds))
    assert fit_alle.bounds[0][1] < fit[0].bounds[0][1]  # ohne Auswahl: auch der Westen
    breite = {f["properties"]["n"]: f["properties"]["w"] for f in entpackt(m)["Sozialräume"]["features"]}
    assert breite == {"Ost": 5, "West": None}


def test_auswahl_stadtteil_zoomt_und_hebt_hervor(daten, kommune):
    m = _karte(daten, kommune, auswahl_stadtteil="Westoben")
    fit = next(c for c in m._children.values() if isinstance(c, FitBounds))
    w, s, o, n = daten["stadtteile"].set_index("name").loc[["Westoben"]].total_bounds
    assert [*fit.bounds[0], *fit.bounds[1]] == pytest.approx([s, w, n, o], abs=1e-4)
    props = {f["properties"]["n"]: f["properties"] for f in entpackt(m)["Stadtteile"]["features"]}
    assert props["Westoben"]["w"] == 4 and props["Westoben"]["hc"] == "#111111"
    assert all(p["w"] is None for n, p in props.items() if n != "Westoben")
    with pytest.raises(EingabeFehler, match="Stadtteil 'Nirgendwo' gibt es nicht"):
        _karte(daten, kommune, auswahl_stadtteil="Nirgendwo")


def test_stadtteil_tooltip_mit_sozialraum_und_indikator(daten, kommune):
    d = entpackt(_karte(daten, kommune, choropleth=CHORO))
    tt = {f["properties"]["n"]: f["properties"]["tt"] for f in d["Stadtteile"]["features"]}
    assert tt["Ostoben"] == ("Stadtteil Ostoben\nSozialraum Ost (Gremium Stufe 3)\n"
                             "Kinder unter 15 in SGB-II-Bedarfsgemeinschaften 2024: 27,5 %")
    choro = {f["properties"]["n"]: f["properties"]["tt"] for f in d[next(t for t in d if t.startswith("Indikator"))][
        "features"]}
    assert choro == tt  # gleicher Tooltip, egal welche der beiden Ebenen sichtbar ist
    ohne = entpackt(_karte(daten, kommune))["Stadtteile"]["features"][0]["properties"]["tt"]
    assert ohne == "Stadtteil Westunten\nSozialraum West (Gremium Stufe 1)"


def test_titel_und_jahr(daten, kommune):
    text = _html(_karte(daten, kommune, titel="Ressourcenkarte Mainz", jahr=2024, auswahl_sozialraum="Ost"))
    assert "<title>Ressourcenkarte Mainz – Sozialraum Ost – Stand 2024</title>" in text
    assert aufrufe(text, "steuerung")[0]["ueberschrift"] == "Ressourcenkarte Mainz – Sozialraum Ost – Stand 2024"
    ohne = _html(_karte(daten, kommune))
    assert "<title>Ressourcenkarte</title>" in ohne and aufrufe(ohne, "steuerung")[0]["ueberschrift"] is None
    assert '<html lang="de">' in text
    assert "user-scalable" not in text and "maximum-scale" not in text


def test_auswahl_unbekannt(daten, kommune):
    with pytest.raises(EingabeFehler, match="Sozialraum 'Nirgendwo' gibt es nicht"):
        _karte(daten, kommune, auswahl_sozialraum="Nirgendwo")


def test_praesentation_groessere_schrift(daten, kommune):
    normal, gross = _html(_karte(daten, kommune)), _html(_karte(daten, kommune, praesentation=True))
    assert "font: 600 12px" in normal and "font: 600 17px" in gross
    assert aufrufe(gross, "steuerung")[0]["praesentation"] is True
    assert aufrufe(normal, "steuerung")[0]["praesentation"] is False
    assert aufrufe(gross, "steuerung")[0]["legendeOffen"] is False  # Legende im Meeting zugeklappt


def test_leere_einrichtungen_und_netze(daten, kommune):
    daten["einrichtungen"] = daten["einrichtungen"].iloc[0:0]
    daten["netzwerk_kanten"] = daten["netzwerk_kanten"].iloc[0:0]
    m = _karte(daten, kommune)
    titel = set(_ebenen(m))
    assert titel == {"Stadtteile", "Sozialräume"}
    assert _steuerung(m).suche is False


def test_stadtteil_tooltip_ohne_sozialraum_und_unbekannter_sozialraum():
    import geopandas as gpd
    from shapely.geometry import Point

    from karte.flaechen import stadtteil_zeilen

    st = gpd.GeoDataFrame({"name": ["A", "B", "C"], "sozialraum": ["X", None, "Y"]}, geometry=[Point(0, 0)] * 3)
    assert stadtteil_zeilen(st, {"X": "Sozialraum X (Gremium Stufe 1)"}, ["w1", "w2", "w3"]) == [
        "Stadtteil A\nSozialraum X (Gremium Stufe 1)\nw1", "Stadtteil B\nw2", "Stadtteil C\nSozialraum Y\nw3"]


def test_fehlende_ressourcen_als_eigene_ebene_mit_text_als_daten(daten, kommune):
    """Frage 6: jede fehlende Ressource ein Kreis (250 m) um ihren Punkt, Tooltip mit Bezeichnung, Sozialraum
    und Sitzungsdatum; Legende nennt sie; Texte nur als Daten (kein HTML, keine Vorlage)."""
    from datetime import date

    import geopandas as gpd
    import shapely

    st = daten["stadtteile"]
    punkte = [st.geometry.iloc[i].representative_point() for i in (0, 1)]
    boese = "<img src=x onerror=alert(1)> {{ 7*7 }}"
    fehlt = gpd.GeoDataFrame({"bezeichnung": ["Krippenplätze", boese], "sozialraum": ["Nord", "Süd"],
                              "datum": [date(2025, 3, 4), None]}, geometry=punkte, crs=4326)
    m = _karte(daten, kommune, fehlende_ressourcen=fehlt)
    assert "Fehlende Ressourcen" in _ebenen(m)
    fc = entpackt(m)["Fehlende Ressourcen"]["features"]
    assert [f["properties"]["tt"] for f in fc] == [
        "Fehlende Ressource (Frage 6)\nKrippenplätze\nSozialraum Nord · Sitzung vom 04.03.2025",
        f"Fehlende Ressource (Frage 6)\n{boese}\nSozialraum Süd"]
    for f, p in zip(fc, punkte, strict=True):
        kreis = shapely.from_geojson(json.dumps(f["geometry"]))
        assert kreis.contains(p)
        flaeche = float(gpd.GeoSeries([kreis], crs=4326).to_crs(25832).area.iloc[0])
        assert flaeche == pytest.approx(3.14159 * 250**2, rel=0.03)
    assert "fehlende Ressource (Frage 6)" in _steuerung(m).legende_html
    text = _html(m)
    assert "<img src=x" not in text  # nur im gepackten Datenblock, nie als HTML
    # ohne Punkte keine Ebene und kein Legendeneintrag
    leer = _karte(daten, kommune, fehlende_ressourcen=fehlt.iloc[0:0])
    assert "Fehlende Ressourcen" not in _ebenen(leer) and "Frage 6" not in _steuerung(leer).legende_html
