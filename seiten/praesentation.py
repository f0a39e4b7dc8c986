"""Seite „Präsentation“ für die Lenkungsgruppe: eine Folie je Sozialraum (Beamer 1280×720 bis 1920×1080).

Titel mit Sozialraum und Jahr, Karte über die ganze Höhe, große Kennzahlen daneben, Teamleitung und Stufe
des Gremiums; Pfeiltasten (← →, Bild auf/ab für Präsenter) blättern. Darunter die Textfassung als Tabelle.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analysen.kennzahlen import kennzahlen_sozialraeume, letztes_jahr
from daten.config import Kommune
from daten.kartendaten import Kartendaten
from karte import baue_karte
from seiten import gemeinsam as g

# Eigenes, festes CSS (keine Daten darin). Die Regeln zielen auf die Kennzahlen-Spalte (st-key-…), damit
# keine allgemeinere Absatzregel die Schriftgröße der Zahlen überschreibt.
_STIL = """<style>
[data-testid="stMainBlockContainer"] { padding: 4rem 1.5rem 0.5rem 1.5rem; max-width: none; }
.st-key-praes_kopf h1 { font-size: clamp(1.6rem, 2.4vw, 2.6rem); padding: 0; line-height: 1.15; }
.st-key-praes_kopf [data-testid="stCaptionContainer"] p { font-size: clamp(0.95rem, 1.15vw, 1.3rem); }
.st-key-praes_kopf button p, .st-key-praes_kopf strong { font-size: clamp(0.95rem, 2.2vh, 1.4rem); }
.st-key-praes_zahlen [data-testid="stMetricValue"], .st-key-praes_zahlen [data-testid="stMetricValue"] * {
  font-size: clamp(1.5rem, 5.4vh, 3.4rem) !important; line-height: 1.08 !important;
}
.st-key-praes_zahlen [data-testid="stMetricLabel"], .st-key-praes_zahlen [data-testid="stMetricLabel"] * {
  font-size: clamp(0.85rem, 2vh, 1.4rem) !important; white-space: normal !important; overflow: visible !important;
}
.st-key-praes_zahlen [data-testid="stMetric"] { padding: 0 0 0.2rem 0; }
.st-key-praes_zahlen [data-testid="stVerticalBlock"] { gap: 0.35rem; }
.st-key-rkvoll_praes iframe, .st-key-rkvoll_praes [data-testid="stElementContainer"] {
  height: max(320px, calc(100vh - 11.6rem)) !important;
}
</style>"""

# Pfeiltasten und Präsenter (Bild auf/ab) klicken die Knöpfe „Vorheriger“/„Nächster“. Läuft im Hauptdokument;
# in Eingabefeldern, Auswahllisten und in der Karte (eigenes Dokument) bleiben die Tasten, was sie sind.
_TASTEN = """<script>
(function () {
  if (window.__rkPraesTasten) { return; }
  window.__rkPraesTasten = true;
  var ziel = {ArrowRight: "weiter", PageDown: "weiter", ArrowLeft: "zurueck", PageUp: "zurueck"};
  document.addEventListener("keydown", function (e) {
    var k = ziel[e.key];
    if (!k || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
    var t = e.target;
    if (t && (/^(input|textarea|select)$/i.test(t.tagName) || t.isContentEditable ||
        (t.closest && t.closest('[role="listbox"],[role="combobox"],[role="slider"],[role="tablist"]')))) { return; }
    var knopf = document.querySelector(".st-key-praes_" + k + " button");
    if (!knopf) { return; }
    e.preventDefault();
    knopf.click();
  });
})();
</script>"""


def _karte(sozialraum: str, daten: Kartendaten, kommune: Kommune, basemap: str):  # noqa: ANN202
    ein = daten.einrichtungen[daten.einrichtungen["sozialraum"] == sozialraum]
    kanten = daten.netzwerk_kanten
    kanten = kanten[kanten["von"].isin(ein["name"]) & kanten["nach"].isin(ein["name"])]
    return baue_karte(**daten.als_argumente() | {"einrichtungen": ein, "netzwerk_kanten": kanten}, kommune=kommune,
                      auswahl_sozialraum=sozialraum, praesentation=True, basemap=basemap)


def _blaettern(namen: list[str], i: int) -> None:
    st.session_state["praes_index"] = i % len(namen)


def _kopf(namen: list[str], kommune: Kommune, daten: Kartendaten, jahr_text: str) -> str:
    """Titelzeile mit Sozialraum und Jahr, Blätterknöpfe; gibt den gewählten Sozialraum zurück."""
    i = st.session_state.setdefault("praes_index", 0) % len(namen)
    with st.container(key="praes_kopf"):
        titel, zaehler, zurueck, weiter = st.columns([7, 1.1, 1.5, 1.5], vertical_alignment="center")
        zurueck.button("◀ Vorheriger", key="praes_zurueck", width="stretch", on_click=_blaettern,
                       args=(namen, i - 1), help="Vorheriger Sozialraum (Taste ← oder Bild auf)")
        weiter.button("Nächster ▶", key="praes_weiter", width="stretch", on_click=_blaettern,
                      args=(namen, i + 1), help="Nächster Sozialraum (Taste → oder Bild ab)")
        i = st.session_state["praes_index"]
        sozialraum = namen[i]
        titel.title(f"{g.md(sozialraum)} · {g.md(jahr_text)}")
        zaehler.markdown(f"**{i + 1:d} / {len(namen)}**")
        z = g.sozialraum_zeile(daten, sozialraum)
        st.caption(f"Sozialraum {i + 1:d} von {len(namen)} · Teamleitung ASD: "
                   f"{g.md(z['teamleitung']) or 'nicht eingetragen'} · Gremium auf "
                   f"{g.stufe_text(kommune, z['stufe'])} · Stadtteile: {g.md(z['stadtteile'])}")
    return sozialraum


def _zahlen(kommune: Kommune, daten: Kartendaten, sozialraum: str, kz: pd.DataFrame) -> dict[str, str]:
    """Große Kennzahlen in der Spalte neben der Karte; gibt sie auch als Text für die Tabelle zurück."""
    zeile = kz[kz["sozialraum"] == sozialraum]
    stufe = g.sozialraum_zeile(daten, sozialraum)["stufe"]
    werte: dict[str, str] = {}
    if len(zeile):
        z = zeile.iloc[0]
        werte = {
            "Einwohner": g.zahl(z["einwohner"]),
            "unter 18 Jahren": g.zahl(z["u18"]),
            "Einrichtungen": g.zahl(z["einrichtungen"]),
            "Kita-Plätze je 100 Kinder unter 6": g.zahl(z["kita_plaetze_je_100_u6"], 1),
            "SGB II, Kinder unter 15": f"{g.zahl(z['sgb2_quote_u15'], 1)} %",
        }
    if stufe is not None and not pd.isna(stufe):
        werte["Gremium: Stufe"] = f"{int(stufe)} von {max(kommune.stufen):d}"
    hilfe = {"Einwohner": "Einwohnerinnen und Einwohner mit Hauptwohnsitz",
             "SGB II, Kinder unter 15": "Anteil der Kinder unter 15 in SGB-II-Bedarfsgemeinschaften",
             "Gremium: Stufe": (g.md(kommune.stufen.get(int(stufe))) if stufe is not None and not pd.isna(stufe)
                                else None)}
    with st.container(key="praes_zahlen"):
        if len(zeile):
            st.caption(f"Kennzahlen {int(zeile['jahr'].iloc[0])}")
        for titel, wert in werte.items():
            st.metric(titel, wert, help=hilfe.get(titel))
    return werte


def _textfassung(kommune: Kommune, ein: pd.DataFrame, werte: dict[str, str]) -> None:
    """Tabellen statt Karte (barrierefrei): Kennzahlen und Einrichtungen des Sozialraums."""
    arten = {a.schluessel: a.bezeichnung for a in kommune.einrichtungsarten}
    kasten = st.expander(f"Textfassung: Kennzahlen und {len(ein)} Einrichtungen als Tabelle", key="praes_tabellen",
                         on_change="rerun")
    if not kasten.open:  # erst beim Aufklappen gebaut (siehe seiten/karte.py, _tabellen)
        return
    with kasten:
        st.dataframe(pd.DataFrame({"Kennzahl": list(werte), "Wert": list(werte.values())}), hide_index=True)
        st.dataframe(pd.DataFrame({
            "Name": ein["name"], "Art": ein["art"].map(arten).fillna(ein["art"]), "Träger": ein["traeger"],
            "Stadtteil": ein["stadtteil"], "Plätze": ein["kapazitaet"],
            "Im Gremium": ein["im_gremium"].map({True: "ja", False: "nein"}),
        }), hide_index=True, width="stretch", column_config={"Plätze": st.column_config.NumberColumn(format="%d")})


def seite() -> None:
    # Beamer: Seitenleiste beim Öffnen zu (über den Pfeil oben links erreichbar, dort das Berichtsjahr)
    st.set_page_config(initial_sidebar_state="collapsed")
    g.stil(_STIL)
    kommune = g.kommune()
    stand, alle = g.aktuelle_daten()
    jahre = sorted({int(j) for j in alle.indikatoren["jahr"].unique()}, reverse=True)
    jahr = st.sidebar.selectbox("Berichtsjahr (Stand der Einrichtungen und Kennzahlen)", [None, *jahre],
                                format_func=lambda j: "aktueller Stand" if j is None else str(j),
                                placeholder="Bitte wählen …")
    daten = g.kartendaten(stand, date(jahr, 12, 31), jahr) if jahr else alle
    kz_jahr = jahr or letztes_jahr(daten.indikatoren)
    jahr_text = f"Berichtsjahr {jahr}" if jahr else f"Stand {date.today():%d.%m.%Y}"
    namen = list(daten.sozialraeume["name"])
    if not namen:
        st.info("Noch keine Sozialräume angelegt.")
        return
    sozialraum = _kopf(namen, kommune, daten, jahr_text)
    kz = kennzahlen_sozialraeume(daten.indikatoren, daten.einrichtungen, jahr=kz_jahr, merkmale=kommune.merkmale)
    karte, zahlen = st.columns([4.2, 1.3], gap="medium")
    basemap = g.einstellungen().basemap
    with karte, st.container(key="rkvoll_praes"):
        # nur lesen: das zwischengespeicherte HTML der Karte (für alle Sitzungen gleich)
        html = g.karten_html(stand, ("praes", sozialraum, jahr, basemap),
                             _bauen=lambda: _karte(sozialraum, daten, kommune, basemap))
        # Das HTML baut karte/ selbst; jeder Text aus der Datenbank steht darin nur als maskierte JSON-Daten.
        st.iframe(html, height=600, alt="Karte des Sozialraums; Kennzahlen und Einrichtungen stehen daneben "
                                        "und in der Textfassung darunter")
    g.seitenrahmen()
    with zahlen:
        werte = _zahlen(kommune, daten, sozialraum, kz)
    _textfassung(kommune, daten.einrichtungen[daten.einrichtungen["sozialraum"] == sozialraum], werte)
    st.sidebar.html(_TASTEN, unsafe_allow_javascript=True)  # nach den Inhalten (lädt eigenen Code nach)


seite()
