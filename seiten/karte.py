"""Seite „Karte“: Sozialräume, Stadtteile, Einrichtungen, Netzwerke, Choroplethen; Tabelle daneben."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from analysen.auswahl import filtere_einrichtungen, zielgruppen
from daten.fehler import RessourcenkarteFehler
from daten.rechte import darf_schreiben
from karte import KLASSIFIKATIONEN, baue_karte, html_text, png_bytes
from seiten import gemeinsam as g

TRAEGER = {"": "alle", "staedtisch": "städtisch", "frei": "frei"}


def _karte(daten, ein, kanten, kommune, optionen: dict):  # noqa: ANN001, ANN202
    return baue_karte(sozialraeume=daten.sozialraeume, stadtteile=daten.stadtteile, einrichtungen=ein,
                      netzwerk_kanten=kanten, indikatoren=daten.indikatoren, kommune=kommune, **optionen)


def _choropleth_auswahl(kommune, indikatoren: pd.DataFrame) -> dict | None:  # noqa: ANN001
    merkmale = {mk.schluessel: f"{mk.bezeichnung} ({mk.einheit})" for mk in kommune.merkmale}
    with st.expander("Choroplethe (Indikator je Stadtteil)", expanded=False):
        merkmal = st.selectbox("Indikator", ["", *merkmale], format_func=lambda k: merkmale.get(k, "keiner"))
        if not merkmal:
            return None
        jahre = sorted(indikatoren["jahr"].unique(), reverse=True)
        jahr = st.selectbox("Jahr", jahre)
        bezuege = {"": "absolut"} | {k: f"je 1.000 {v.split(' (')[0]}" for k, v in merkmale.items()
                                     if k.startswith("einwohner")}
        bezug = st.selectbox("Bezug", list(bezuege), format_func=bezuege.get)
        klass = st.selectbox("Klassifikation", list(KLASSIFIKATIONEN), format_func=KLASSIFIKATIONEN.get)
        klassen = st.slider("Anzahl Klassen", 3, 7, 5)
        grenzen = None
        if klass == "eigene":
            text = st.text_input("Eigene Klassengrenzen (mit ; getrennt)", "10; 20; 30")
            try:
                grenzen = [float(x.replace(",", ".")) for x in text.split(";") if x.strip()]
            except ValueError:
                st.warning("Grenzen bitte als Zahlen, getrennt mit ';' angeben (z. B. 10; 20; 30).")
                return None
    return {"merkmal": merkmal, "jahr": int(jahr), "bezug": bezug or None, "klassifikation": klass,
            "klassen": klassen, "grenzen": grenzen}


def _hintergrund_auswahl(standard: str) -> str:
    """Hintergrundkarte für diese Sitzung; Standard aus RESSOURCENKARTE_BASEMAP (auch ein städtischer WMS)."""
    namen = {"osm": "OpenStreetMap", "basemapde": "basemap.de (BKG)", "keine": "keine (nur Inhalte)"}
    if standard not in namen:
        namen = {standard: "Städtischer WMS"} | namen
    wahl = list(namen)
    return st.selectbox("Hintergrundkarte", wahl, index=wahl.index(standard), format_func=namen.get)


def seite() -> None:
    st.title("Ressourcenkarte")
    kommune = g.kommune()
    stand, daten = g.aktuelle_daten()
    arten = {a.schluessel: a.bezeichnung for a in kommune.einrichtungsarten}
    links, rechts = st.columns([3, 2])
    with rechts:
        sozialraum = st.selectbox("Sozialraum", ["", *daten.sozialraeume["name"]],
                                  format_func=lambda n: n or "Alle Sozialräume")
        teile = list(daten.stadtteile.loc[daten.stadtteile["sozialraum"] == sozialraum, "name"]) if sozialraum else []
        stadtteil = ""
        if len(teile) > 1:  # R1: ein Sozialraum lässt sich nach Stadtteilen aufteilen
            stadtteil = st.selectbox("Stadtteil", ["", *teile], format_func=lambda n: n or "alle Stadtteile")
        auswahl_arten = st.multiselect("Einrichtungsarten", list(arten), format_func=arten.get,
                                       placeholder="alle Arten")
        traeger = st.selectbox("Träger", list(TRAEGER), format_func=TRAEGER.get)
        zg = st.selectbox("Zielgruppe", ["", *zielgruppen(daten.einrichtungen)], format_func=lambda z: z or "alle")
        nur_gremium = st.checkbox("Nur Einrichtungen im Gremium (aktuelle Stufe, R2)")
        einzug = st.multiselect("Einzugsbereiche zeigen für", list(arten), format_func=arten.get,
                                placeholder="keine")
        choro = _choropleth_auswahl(kommune, daten.indikatoren)
        basemap = _hintergrund_auswahl(g.einstellungen().basemap)
    ein = filtere_einrichtungen(daten.einrichtungen, sozialraum=sozialraum or None, stadtteil=stadtteil or None,
                                arten=auswahl_arten,
                                traeger_art=traeger or None, zielgruppe=zg or None, nur_gremium=nur_gremium)
    # nur Verbindungen zwischen gezeigten Einrichtungen (Filter gelten auch für Netzwerke)
    namen = set(ein["name"])
    kanten = daten.netzwerk_kanten[daten.netzwerk_kanten["von"].isin(namen) & daten.netzwerk_kanten["nach"].isin(namen)]
    optionen = {"choropleth": choro, "einzugsbereiche": tuple(einzug), "basemap": basemap,
                "auswahl_sozialraum": sozialraum or None}
    schluessel = (basemap, sozialraum, stadtteil, tuple(auswahl_arten), traeger, zg, nur_gremium, tuple(einzug),
                  repr(choro))
    try:
        m = g.karte_der_sitzung((stand, *schluessel), lambda: _karte(daten, ein, kanten, kommune, optionen))
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
        return
    with links:
        # Klicks kommen nur zurück, wer Einträge pflegen darf (für das Bearbeiten); sonst löst die Karte
        # keine Neuläufe aus.
        a = g.akteur()
        darf = a is not None and darf_schreiben(a, "einrichtung", a.sozialraum_id)
        klick = st_folium(m, height=620, use_container_width=True, key="karte",
                          returned_objects=["last_clicked"] if darf else [])
        if darf and klick and klick.get("last_clicked"):
            p = klick["last_clicked"]
            st.caption(f"Angeklickte Stelle: Breite {p['lat']:.5f}, Länge {p['lng']:.5f} (EPSG:4326)")
        _export(m, sozialraum)
    _tabelle(ein, arten, stadtteil or sozialraum)


def _export(m, sozialraum: str) -> None:  # noqa: ANN001
    """Aktuelle Karte herunterladen: HTML (offline lauffähig) oder PNG (Headless-Chromium)."""
    name = "ressourcenkarte" + (f"-{sozialraum}" if sozialraum else "")
    a, b = st.columns(2)
    # erst beim Klick erzeugt (eigener Thread), damit Neuläufe die Karte nicht zusätzlich rendern
    a.download_button("Karte als HTML herunterladen", lambda: html_text(m).encode("utf-8"),
                      file_name=f"{name}.html", mime="text/html")
    if b.button("PNG für Berichte erzeugen"):
        try:
            with st.spinner("Karte wird im Browser gezeichnet …"):
                bild = png_bytes(m)
        except RessourcenkarteFehler as exc:
            g.zeige_fehler(exc)
        except Exception:  # noqa: BLE001 - Browserfehler nie als Traceback zeigen
            st.error("Das Bild konnte nicht erzeugt werden (Chromium antwortet nicht). Bitte HTML-Export nutzen.")
        else:
            b.download_button("PNG herunterladen", bild, file_name=f"{name}.png", mime="image/png")


def _tabelle(ein, arten: dict[str, str], sozialraum: str) -> None:  # noqa: ANN001
    titel = f"Einrichtungen in {sozialraum}" if sozialraum else "Einrichtungen"
    st.subheader(f"{titel} ({len(ein)})")
    st.caption("Textfassung der Karteninhalte (barrierefrei): dieselben Einrichtungen wie auf der Karte.")
    tab = pd.DataFrame({
        "Name": ein["name"], "Art": ein["art"].map(arten), "Träger": ein["traeger"],
        "Trägerart": ein["traeger_art"].map({"staedtisch": "städtisch", "frei": "frei"}),
        "Adresse": ein["adresse"], "Stadtteil": ein["stadtteil"], "Sozialraum": ein["sozialraum"],
        "Plätze": ein["kapazitaet"], "Zielgruppen": ein["zielgruppen"], "Netzwerke": ein["netzwerke"],
    })
    st.dataframe(tab, hide_index=True, width="stretch")


seite()
