"""Kein Text aus Daten oder Konfiguration läuft durch eine Vorlage (Issue 6, Punkt 1) – die ganze Klasse.

1. Jedes Element jeder Karte rendert roh (RohRendern); ein fremdes folium-Element wird verweigert.
2. Eigenschaftstest (hypothesis): Jinja-, HTML-, JS-, Markdown- und Steuerzeichen-Nutzlasten in jedem
   Textfeld jeder Ebene; die eigenständige Karte (`html_text`) wird gebaut: nichts wird ausgewertet,
   das HTML-Gerüst bleibt dasselbe wie mit harmlosen Daten, jeder Text kommt unverändert als Daten an.
3. Die Maskierungsfunktionen selbst (js_json für Daten im Skript, html.escape in der Legende); im Browser
   setzt die Karte Texte nur als Textknoten (test_browser.py prüft, was zu sehen ist).
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import folium
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from karte import baue_karte, html_text, speichere_html
from karte.ebenen import JsEbene
from karte.laufzeit import js_json
from karte.legende import Abschnitt, Eintrag, legende_html
from karte.roh import RohRendern, elemente, pruefe_roh
from tests.karte.conftest import entpackt, karten_daten, lade_test_kommune, paket_inhalt

NUTZLASTEN = [
    "Q{{7*7}}Z",
    "{{lipsum.__globals__.os.popen(dict(id=1)|first).read()}}",
    "{% kaputt",
    "{% for x in range(3) %}R{% endfor %}",
    "{#",
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "\"'><svg onload=alert(3)>",
    "');alert(4);//",
    "![t](http://127.0.0.2/track.png)",
    "[klick](javascript:alert(5))",
    "**fett** _kursiv_ `code`",
    "\u2028\u2029\x00\x07\x1b[31m\r\n\t",
    "${alert(6)}",
    "&lt;b&gt; &amp;",
    "-- ; DROP TABLE einrichtung;",
]
KOMMUNE = lade_test_kommune()
text = st.one_of(st.sampled_from(NUTZLASTEN),
                 st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
                 st.lists(st.sampled_from(NUTZLASTEN), min_size=2, max_size=3).map("".join))


class _Geruest(HTMLParser):
    """Folge der Tags (ohne Attributwerte und Text) eines HTML-Dokuments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001, ANN201
        self.tags.append(f"<{tag} {' '.join(sorted(a for a, _ in attrs))}>")

    def handle_endtag(self, tag):  # noqa: ANN001, ANN201
        self.tags.append(f"</{tag}>")


def geruest(dokument: str) -> list[str]:
    p = _Geruest()
    p.feed(dokument)
    return p.tags


def _bestueckt(t: list[str]) -> dict:
    """Karten-Daten, in denen jedes Textfeld eine Nutzlast trägt (Namen eindeutig gehalten)."""
    d = karten_daten()
    ein, st_, sr, kanten = d["einrichtungen"], d["stadtteile"], d["sozialraeume"], d["netzwerk_kanten"]
    sr_neu = {"West": f"{t[0]}#W", "Ost": f"{t[1]}#O"}
    st_neu = {n: f"{t[2 + i % 2]}#{i}" for i, n in enumerate(st_["name"])}
    st_["sozialraum"] = st_["sozialraum"].map(sr_neu)
    st_["name"] = st_["name"].map(st_neu)
    sr["name"] = sr["name"].map(sr_neu)
    sr["stadtteile"] = t[4]
    sr["teamleitung"] = t[5]
    for i, spalte in enumerate(["traeger", "adresse", "angebote", "zielgruppen", "netzwerke", "traeger_art"]):
        ein[spalte] = t[(6 + i) % len(t)]
    ein["name"] = [f"{t[i % len(t)]}#{i}" for i in range(len(ein))]
    ein.loc[ein.index[0], "art"] = t[7]  # unbekannte Art: ihr Schlüssel wird Ebenentitel und Legendentext
    ein["stadtteil"] = ein["stadtteil"].map(st_neu)
    ein["sozialraum"] = ein["sozialraum"].map(sr_neu)
    kanten["netzwerk"] = [t[8], t[9]]
    kanten["von"], kanten["nach"], kanten["sozialraum"] = t[10], t[11], t[0]
    d["indikatoren"]["stadtteil"] = d["indikatoren"]["stadtteil"].map(st_neu)
    return d


def _kommune(t: list[str]):  # noqa: ANN202
    """Auch Texte aus der Konfiguration: Bezeichnung einer Einrichtungsart, Name und Einheit eines Indikators."""
    arten = [a.model_copy(update={"bezeichnung": t[13]}) if a.schluessel == "kita" else a
             for a in KOMMUNE.einrichtungsarten]
    merkmale = [m.model_copy(update={"bezeichnung": t[14], "einheit": t[15]}) if m.schluessel == "sgb2_quote_u15"
                else m for m in KOMMUNE.merkmale]
    return KOMMUNE.model_copy(update={"einrichtungsarten": arten, "merkmale": merkmale})


def _baue(d: dict, t: list[str], **optionen) -> folium.Map:
    return baue_karte(**d, kommune=_kommune(t), choropleth={"merkmal": "sgb2_quote_u15", "jahr": 2024, "klassen": 3},
                      einzugsbereiche=("kita",), titel=t[12], jahr=2024, **optionen)


HARMLOS = ["Text"] * 16
GERUEST_HARMLOS = geruest(html_text(_baue(_bestueckt(HARMLOS), HARMLOS)))


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(text, min_size=16, max_size=16))
def test_nutzlasten_in_jedem_textfeld_bleiben_daten(t):
    d = _bestueckt(t)
    m = _baue(d, t, auswahl_sozialraum=d["sozialraeume"]["name"].iloc[1])
    dokument = html_text(m)
    assert "Q49Z" not in dokument and "RRR" not in dokument and "uid=" not in dokument  # nichts ausgewertet
    assert geruest(dokument) == GERUEST_HARMLOS  # kein Text öffnet oder schließt ein Element
    # jeder Text kommt unverändert als Daten im Browser an (Datenpaket bzw. JSON-Optionen)
    block = re.search(r'RK\.paket\(\w+, "(-?[A-Za-z0-9+/= ]*)"\)', dokument).group(1)
    inhalt = paket_inhalt(block, [c for c in m._children.values() if isinstance(c, JsEbene)])
    namen = [n for e in inhalt.values() if isinstance(e, dict) and "bez" in e for n in e["n"]]
    assert sorted(namen) == sorted(d["einrichtungen"]["name"])
    traeger = {w for e in inhalt.values() if isinstance(e, dict) and "t" in e for w in e["t"]}
    assert any(t[6] in w for w in traeger)
    assert inhalt["Netzwerke"]["n"] == [t[8], t[9]]
    sr = {f["properties"]["n"] for f in inhalt["Sozialräume"]["features"]}
    assert sr == set(d["sozialraeume"]["name"])
    optionen = [json.JSONDecoder().raw_decode(dokument, x.end())[0]
                for x in re.finditer(r"RK\.(?:flaechen|einrichtungen|netze)\(\w+, \"\w+\",\s*", dokument)]
    assert f"Einrichtungen: {t[7]} (1)" in [o["titel"] for o in optionen]
    steuerung = json.JSONDecoder().raw_decode(dokument, re.search(r"RK\.steuerung\(\w+, ", dokument).end())[0]
    assert steuerung["ueberschrift"].startswith(t[12] or "Ressourcenkarte")
    assert html.escape(t[7]) in steuerung["legende"] and html.escape(t[13]) in steuerung["legende"]
    assert html.escape(t[14]) in steuerung["legende"]
    assert f"<title>{html.escape(steuerung['titel'])}</title>" in dokument


def test_abnahme_nutzlast_aus_der_datenbank(daten, kommune, tmp_path):
    """Wie /work/shared/acceptance/4-kein-template.sh: Art, Name, Träger, Netzwerk, Sozialraum."""
    p = "Q{{7*7}}Z{{lipsum.__globals__.os.popen(dict(id=1)|first).read()}}"
    ein = daten["einrichtungen"]
    ein.loc[ein.index[0], ["art", "name"]] = [p, p]
    ein.loc[ein.index[-1], ["traeger", "adresse"]] = [p, p]
    daten["netzwerk_kanten"].loc[0, "netzwerk"] = p
    daten["sozialraeume"].loc[1, "name"] = "S{{7*7}}Z"
    daten["stadtteile"]["sozialraum"] = daten["stadtteile"]["sozialraum"].replace("Ost", "S{{7*7}}Z")
    m = baue_karte(**daten, kommune=kommune, auswahl_sozialraum="S{{7*7}}Z", titel="{% kaputt")
    dokument = speichere_html(m, tmp_path / "k.html").read_text(encoding="utf-8")
    assert not re.search(r"Q49Z|uid=\d+\(|S49Z", dokument)
    d = entpackt(m)
    assert p in [n for e in d.values() if isinstance(e, dict) and "bez" in e for n in e["n"]]
    # auch der alte Weg über die branca-Figure (streamlit-folium) wertet nichts aus
    figur = m.get_root().render()
    assert not re.search(r"Q49Z|uid=\d+\(|S49Z", figur)


KONFIGURATIONEN = [
    {"basemap": "osm"}, {"basemap": "basemapde"}, {"basemap": "keine"},
    {"basemap": "wms:https://geo.example.org/wms|stadtplan"},
    {"choropleth": {"merkmal": "einwohner_u6", "jahr": 2024, "bezug": "einwohner"}, "einzugsbereiche": ("kita",)},
    {"praesentation": True, "auswahl_sozialraum": "Ost", "auswahl_netzwerk": "Netz A", "titel": "T", "jahr": 2020},
    {"auswahl_stadtteil": "Westoben", "hoehe": 600},
]


@pytest.mark.parametrize("optionen", KONFIGURATIONEN)
def test_jedes_kartenelement_rendert_roh(daten, kommune, optionen):
    m = baue_karte(**daten, kommune=kommune, **optionen)
    fremd = [type(e).__name__ for e in elemente(m) if not isinstance(e, RohRendern)]
    assert fremd == []
    pruefe_roh(m)


def test_fremdes_folium_element_wird_verweigert(daten, kommune):
    """Ein später hinzugefügtes folium-Element (dessen Ausgabe branca erneut als Vorlage übersetzt) fällt auf."""
    m = baue_karte(**daten, kommune=kommune)
    folium.LayerControl().add_to(m)
    with pytest.raises(TypeError, match="LayerControl"):
        html_text(m)


def test_js_json_maskiert_fuer_script():
    text = js_json({"a": "</script><!-- & ' \u2028\u2029", "b": [1, None]})
    assert "<" not in text and ">" not in text and "&" not in text and "'" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": "</script><!-- & ' \u2028\u2029", "b": [1, None]}


def test_legende_maskiert_texte_und_farben():
    teil = legende_html([Abschnitt("<b>Titel</b>", (Eintrag("punkt", "red;background:url(x)", "<img onerror=x>"),
                                                    Eintrag("kasten", "#00ff00", "{{7*7}}")), hinweis="<i>")])
    assert "<b>" not in teil and "<img" not in teil and "<i>" not in teil
    assert "&lt;img onerror=x&gt;" in teil and "{{7*7}}" in teil
    assert "url(x)" not in teil and "#888888" in teil  # ungültige Farbe wird grau
