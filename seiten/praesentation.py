"""Seite „Präsentation“ für die Lenkungsgruppe: große Schrift, nur lesen, Sozialraum für Sozialraum."""

from __future__ import annotations

from datetime import date

import streamlit as st
from streamlit_folium import st_folium

from analysen.kennzahlen import kennzahlen_sozialraeume, letztes_jahr
from karte import baue_karte
from seiten import gemeinsam as g

_STIL = """<style>
[data-testid="stMainBlockContainer"] p, [data-testid="stMainBlockContainer"] li { font-size: 1.35rem; }
[data-testid="stMetricValue"] { font-size: 2.6rem; }
[data-testid="stMetricLabel"] p { font-size: 1.2rem; }
</style>"""


def _karte(sozialraum: str, _daten, _kommune, basemap: str):  # noqa: ANN001, ANN202
    ein = _daten.einrichtungen[_daten.einrichtungen["sozialraum"] == sozialraum]
    kanten = _daten.netzwerk_kanten
    kanten = kanten[kanten["von"].isin(ein["name"]) & kanten["nach"].isin(ein["name"])]
    return baue_karte(sozialraeume=_daten.sozialraeume, stadtteile=_daten.stadtteile, einrichtungen=ein,
                      netzwerk_kanten=kanten, indikatoren=_daten.indikatoren, kommune=_kommune,
                      auswahl_sozialraum=sozialraum, praesentation=True, basemap=basemap)


def _schritt(namen: list[str]) -> str:
    if "praes_index" not in st.session_state:
        st.session_state["praes_index"] = 0
    a, b, c = st.columns([2, 5, 2])
    if a.button("◀ Vorheriger", width="stretch", help="Vorheriger Sozialraum"):
        st.session_state["praes_index"] = (st.session_state["praes_index"] - 1) % len(namen)
    if c.button("Nächster ▶", width="stretch", help="Nächster Sozialraum"):
        st.session_state["praes_index"] = (st.session_state["praes_index"] + 1) % len(namen)
    i = st.session_state["praes_index"]
    b.markdown(f"### {i + 1} / {len(namen)}: {namen[i]}")
    return namen[i]


def seite() -> None:
    st.markdown(_STIL, unsafe_allow_html=True)  # nur eigenes, festes CSS
    st.title("Präsentation für die Lenkungsgruppe")
    kommune = g.kommune()
    stand, alle = g.aktuelle_daten()
    jahre = sorted(alle.indikatoren["jahr"].unique(), reverse=True)
    jahr = st.selectbox("Berichtsjahr (Stand der Einrichtungen und Indikatoren)", [None, *map(int, jahre)],
                        format_func=lambda j: "aktuell" if j is None else str(j))
    daten = g.kartendaten(stand, date(jahr, 12, 31), jahr) if jahr else alle
    namen = list(daten.sozialraeume["name"])
    sozialraum = _schritt(namen)
    kz = kennzahlen_sozialraeume(daten.indikatoren, daten.einrichtungen, jahr=jahr or letztes_jahr(daten.indikatoren))
    zeile = kz[kz["sozialraum"] == sozialraum]
    karte, zahlen = st.columns([5, 2])
    with karte:
        m = g.karte_der_sitzung(("praes", stand, sozialraum, jahr),
                                lambda: _karte(sozialraum, daten, kommune, g.einstellungen().basemap))
        st_folium(m, height=640, use_container_width=True, returned_objects=[], key=f"praes_{sozialraum}_{jahr}")
    with zahlen:
        st.markdown(f"**Kennzahlen {int(zeile['jahr'].iloc[0]) if len(zeile) else ''}**")
        if len(zeile):
            z = zeile.iloc[0]
            st.metric("Einwohner", f"{z['einwohner']:,.0f}".replace(",", "."),
                      help="Einwohnerinnen und Einwohner mit Hauptwohnsitz")
            st.metric("unter 18 Jahren", f"{z['u18']:,.0f}".replace(",", "."))
            st.metric("Einrichtungen", f"{z['einrichtungen']:.0f}")
            st.metric("Kita-Plätze je 100 u6", f"{z['kita_plaetze_je_100_u6']:.1f}".replace(".", ","),
                      help="Kita-Plätze je 100 Kinder unter 6 Jahren")
            st.metric("SGB II (u15)", f"{z['sgb2_quote_u15']:.1f} %".replace(".", ","),
                      help="Anteil der Kinder unter 15 in SGB-II-Bedarfsgemeinschaften")
        teile = daten.sozialraeume.loc[daten.sozialraeume["name"] == sozialraum, "stadtteile"]
        if len(teile):
            st.markdown(f"Stadtteile: {teile.iloc[0]}")


seite()
