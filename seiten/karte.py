"""Seite „Karte“: Sozialräume, Stadtteile, Einrichtungen, Netzwerke, Choroplethen; Tabellen als Textfassung."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from analysen.auswahl import netzwerkliste
from daten.config import Kommune
from daten.fehler import RessourcenkarteFehler
from daten.kartendaten import Kartendaten
from daten.politik import darf_schreiben
from karte import baue_karte, html_text, png_bytes
from seiten import _choropleth, _export, _vorlauf
from seiten import _kartenfilter as f
from seiten import gemeinsam as g

# Breiter Inhalt (die Karte nimmt den größten Teil des Fensters ein) und Karte in Fensterhöhe, nie unter 420 px;
# der Rahmen um das iframe wächst mit (sonst lägen die Elemente darunter über der Karte).
KARTEN_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding: 3.4rem 1.5rem 2rem 1.5rem; max-width: none; }
.st-key-rkvoll_karte iframe, .st-key-rkvoll_karte [data-testid="stElementContainer"] {
  height: max(420px, calc(100vh - 13rem)) !important;
}
</style>"""


def seite() -> None:
    g.stil(KARTEN_CSS)
    kommune = g.kommune()
    stand, daten = g.aktuelle_daten()
    netze = g.netzwerke(stand)
    basemap_standard = g.einstellungen().basemap
    a = f.aus_zustand(kommune, daten, netze, basemap_standard)
    # der Titel nennt die Auswahl: das Erste, was nach einer Wahl neu erscheint
    ort = a.stadtteil or a.sozialraum
    st.title(f"Ressourcenkarte: {g.md(ort)}" if ort else "Ressourcenkarte")
    ein = f.gefiltert(kommune, daten, a, netze)
    kanten = f.kanten(daten, ein, a)
    # ein gewähltes Netzwerk hebt die Karte hervor, sofern es hier Verbindungen hat
    netz = a.netzwerk if a.netzwerk is not None and (kanten["netzwerk_id"] == a.netzwerk).any() else None
    optionen = {"choropleth": a.choropleth, "einzugsbereiche": tuple(a.einzug), "basemap": a.basemap,
                "auswahl_sozialraum": f.zoom_auf(a, netze), "auswahl_stadtteil": a.stadtteil or None,
                "auswahl_netzwerk": netz}

    def bauen():  # noqa: ANN202
        fehlt = daten.fehlende_ressourcen
        if fehlt is not None and a.sozialraum:  # wie die Einrichtungen: nur der gewählte Sozialraum
            fehlt = fehlt[fehlt["sozialraum"] == a.sozialraum]
        return baue_karte(**daten.als_argumente() | {"einrichtungen": ein, "netzwerk_kanten": kanten,
                                                     "fehlende_ressourcen": fehlt},
                          kommune=kommune, **optionen)

    links, rechts = st.columns([3.4, 1], gap="medium")
    with links:  # die Karte zuerst schicken, die Filter-Widgets danach (siehe seiten/_kartenfilter.py)
        f.kopfzeile(kommune, daten, a)
        html = _karte(stand, a, bauen)
    g.seitenrahmen()  # Sprache und Fokus gleich nach der Karte (siehe dort)
    if _vorlauf.beginnen(karte_als_html=isinstance(html, str)):
        return  # erstes Öffnen: der Rest der Seite folgt, sobald die Karte gezeichnet ist (seiten/_vorlauf.py)
    with rechts:
        f.widgets(kommune, daten, a, basemap_standard)
    with links:
        if html is not False:
            _karte_herunterladen(bauen, html, a.sozialraum)
    _tabellen(kommune, daten, ein, netze, a)


def _karte(stand: str, a: f.Auswahl, bauen) -> str | None | bool:  # noqa: ANN001
    """Zeigt die Karte; gibt ihr HTML zurück (None bei der klickbaren Karte, False bei einem Fehler).

    Wer Einträge pflegen darf, bekommt die klickbare Karte (st_folium meldet die angeklickte Stelle). Alle
    anderen sehen dasselbe HTML, das auch der Download liefert: einmal gebaut und für alle Sitzungen
    zwischengespeichert, ohne die Komponente von streamlit-folium (schneller, wenig Speicher je Sitzung).
    """
    wer = g.akteur()
    darf = wer is not None and darf_schreiben(wer, "einrichtung", wer.sozialraum_id)
    try:
        if darf:
            m, html = g.klickbare_karte((stand, *a.schluessel()), bauen), None
        else:
            m, html = None, g.karten_html(stand, a.schluessel(), _bauen=bauen)
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
        return False
    with st.container(key="rkvoll_karte"):
        if m is None:
            # Das HTML baut karte/ selbst; jeder Text aus der Datenbank steht darin nur als maskierte JSON-Daten.
            st.iframe(html, height=620, alt="Interaktive Karte der Sozialräume und Einrichtungen; dieselben "
                                            "Inhalte stehen in den Tabellen unter der Karte")
            return html
        klick = st_folium(m, height=620, use_container_width=True, key="karte", returned_objects=["last_clicked"])
    if klick and klick.get("last_clicked"):
        p = klick["last_clicked"]
        st.caption(f"Angeklickte Stelle: Breite {p['lat']:.5f}, Länge {p['lng']:.5f} (EPSG:4326)")
    return None


def _karte_herunterladen(bauen, html: str | None, sozialraum: str) -> None:  # noqa: ANN001
    """Aktuelle Karte herunterladen: HTML (offline lauffähig) oder PNG (Headless-Chromium); dazu die Daten.

    Karte aus dem zwischengespeicherten HTML bzw. frisch gebaut: ein Kartenobjekt, das st_folium schon
    gerendert hat, enthielte die Karte sonst doppelt.
    """
    name = "ressourcenkarte" + (f"-{sozialraum}" if sozialraum else "")
    a, b, c = st.columns(3)
    # erst beim Klick erzeugt (eigener Thread), damit Neuläufe die Karte nicht zusätzlich rendern
    a.download_button("Karte als HTML herunterladen",
                      (lambda: html.encode("utf-8")) if html is not None else (lambda: html_text(bauen()).encode()),
                      file_name=f"{name}.html", mime="text/html", on_click="ignore")  # kein Neulauf
    if b.button("PNG für Berichte erzeugen"):
        try:
            with st.spinner("Karte wird im Browser gezeichnet …"):
                bild = png_bytes(bauen())
        except RessourcenkarteFehler as exc:
            g.zeige_fehler(exc)
        except Exception:  # noqa: BLE001 - Browserfehler nie als Traceback zeigen
            st.error("Das Bild konnte nicht erzeugt werden (Chromium antwortet nicht). Bitte HTML-Export nutzen.")
        else:
            b.download_button("PNG herunterladen", bild, file_name=f"{name}.png", mime="image/png", on_click="ignore")
    with c:
        _export.excel_knopf()


def _tabellen(kommune: Kommune, daten: Kartendaten, ein, netze: pd.DataFrame, a: f.Auswahl) -> None:  # noqa: ANN001
    """Textfassung der Karteninhalte (barrierefrei): Einrichtungen, Netzwerke, Indikatorwerte.

    Aufklappbar und erst beim Aufklappen gebaut: die Tabellen-Komponente von Streamlit bringt über 1 MB
    JavaScript mit, das sonst beim Öffnen der Seite mit der Karte um den Browser konkurriert. Einmal
    aufgeklappt, bleibt sie es in dieser Sitzung.
    """
    liste = netzwerkliste(netze, ein, sozialraum=a.sozialraum or None)
    kasten = st.expander(f"Karteninhalte als Tabellen (Textfassung): {len(ein)} Einrichtungen, {len(liste)} "
                         "Netzwerke, Indikator je Stadtteil", key="rk_tabellen", on_change="rerun")
    if not kasten.open:
        return
    with kasten:
        _reiter(kommune, daten, ein, liste, a)


def _reiter(kommune: Kommune, daten: Kartendaten, ein, liste: pd.DataFrame, a: f.Auswahl) -> None:  # noqa: ANN001
    fehlt = daten.fehlende_ressourcen if daten.fehlende_ressourcen is not None else pd.DataFrame(
        columns=["bezeichnung", "sozialraum", "datum"])
    if a.sozialraum:
        fehlt = fehlt[fehlt["sozialraum"] == a.sozialraum]
    reiter = st.tabs([f"Einrichtungen ({len(ein)})", f"Netzwerke ({len(liste)})", "Indikator je Stadtteil",
                      f"Fehlende Ressourcen ({len(fehlt)})"])
    with reiter[0]:
        _einrichtungen(kommune, ein, a.stadtteil or a.sozialraum)
    with reiter[1]:
        st.caption("Netzwerke mit Mitgliedern unter den gezeigten Einrichtungen (Fragen 7 und 8 des Gremiums).")
        st.dataframe(pd.DataFrame({
            "Netzwerk": liste["name"], "Status": liste["status"].map(f.STATUS).fillna(liste["status"]),
            "Sozialraum": liste["sozialraum"].replace("", "stadtweit"),
            "Mitglieder (gezeigt)": liste["mitglieder"].map(len), "Mitglieder": liste["mitglieder"].map("; ".join),
        }), hide_index=True, width="stretch")
    with reiter[2]:
        _choropleth.tabelle(kommune, daten.indikatoren, daten.stadtteile, a.choropleth,
                            sozialraum=a.sozialraum or None)
    with reiter[3]:
        st.caption("Frage 6 der Ergebnisprotokolle: was im Sozialraum fehlt (Kurzbezeichnung; den Protokolltext "
                   "lesen nur die Personen auf dem Verteiler).")
        st.dataframe(pd.DataFrame({"Fehlende Ressource": fehlt["bezeichnung"], "Sozialraum": fehlt["sozialraum"],
                                   "Sitzung vom": pd.to_datetime(fehlt["datum"]).dt.strftime("%d.%m.%Y")}),
                     hide_index=True, width="stretch")


def _einrichtungen(kommune: Kommune, ein, ort: str) -> None:  # noqa: ANN001
    arten = {x.schluessel: x.bezeichnung for x in kommune.einrichtungsarten}
    titel = f"Einrichtungen in {g.md(ort)}" if ort else "Einrichtungen"
    st.subheader(f"{titel} ({len(ein)})")
    st.caption("Textfassung der Karteninhalte (barrierefrei): dieselben Einrichtungen wie auf der Karte.")
    tab = pd.DataFrame({
        "Name": ein["name"], "Art": ein["art"].map(arten).fillna(ein["art"]), "Träger": ein["traeger"],
        "Trägerart": ein["traeger_art"].map(kommune.traegerarten).fillna(ein["traeger_art"]),
        "Adresse": ein["adresse"], "Stadtteil": ein["stadtteil"], "Sozialraum": ein["sozialraum"],
        "Im Gremium": ein["im_gremium"].map({True: "ja", False: "nein"}),
        "Plätze": ein["kapazitaet"], "Zielgruppen": ein["zielgruppen"], "Netzwerke": ein["netzwerke"],
    })
    st.dataframe(tab, hide_index=True, width="stretch",
                 column_config={"Plätze": st.column_config.NumberColumn(format="%d")})


seite()
