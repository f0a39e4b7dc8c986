"""Pflege-Seite, Teil „Lage“: Kartenklick, Koordinaten (WGS84 oder das metrische KBS der Kommune) oder Adresse
einer bestehenden Einrichtung.

Alle Umrechnungen und Prüfungen macht `daten.dienste.raum`; hier werden nur Eingaben gesammelt und
das Ergebnis (Punkt in EPSG:4326 mit Beschreibung, was angenommen wurde) angezeigt.
"""

from __future__ import annotations

import shapely
import streamlit as st

from daten.db import sitzung
from daten.dienste import raum
from daten.dienste.ausnahmen import MehrdeutigeKoordinaten
from daten.fehler import RessourcenkarteFehler
from daten.geometrie import Lage, metrisches_crs, naeherung
from seiten import gemeinsam as g

KLICK = "pflege_klick"
QUELLEN = {"karte": "Klick auf die Karte", "koordinaten": "Koordinaten eingeben",
           "adresse": "Adresse einer bestehenden Einrichtung"}


def merke_klick(klick: dict | None) -> bool:
    """Letzten Kartenklick (st_folium `last_clicked`, EPSG:4326) für die Formulare merken; True, wenn neu."""
    if klick and klick.get("last_clicked"):
        p = klick["last_clicked"]
        neu = (float(p["lat"]), float(p["lng"]))
        if st.session_state.get(KLICK) != neu:
            st.session_state[KLICK] = neu
            return True
    return False


def nadel(punkt: shapely.Point | None):  # noqa: ANN201 - folium wird erst hier geladen
    """Ebene mit einer Markierung an der gewählten Stelle (EPSG:4326) oder None: ein Kreis mit Punkt in der Mitte
    als Vektor (kein Bild von außen, offline)."""
    if punkt is None:
        return None
    import folium

    gruppe = folium.FeatureGroup(name="Gewählte Stelle")
    ort = (punkt.y, punkt.x)
    folium.CircleMarker(ort, radius=11, color="#b30000", weight=3, fill=True, fill_color="#ffffff",
                        fill_opacity=0.6, tooltip="Gewählte Stelle").add_to(gruppe)
    folium.CircleMarker(ort, radius=3, color="#b30000", fill=True, fill_color="#b30000", fill_opacity=1,
                        weight=1).add_to(gruppe)
    return gruppe


def klickpunkt() -> shapely.Point | None:
    lat_lng = st.session_state.get(KLICK)
    return shapely.Point(lat_lng[1], lat_lng[0]) if lat_lng else None


def _adressen() -> dict[str, shapely.Point]:
    with sitzung(g.engine(), akteur=None) as s:
        return raum.bekannte_adressen(s)


def beschreibe(punkt: shapely.Point) -> str:
    """„Breite …, Länge … – Stadtteil (Sozialraum)“ oder der Grund, warum der Punkt nicht passt."""
    text = f"Breite {punkt.y:.5f}, Länge {punkt.x:.5f} (EPSG:4326)"
    try:
        with sitzung(g.engine(), akteur=None) as s:
            ort = raum.verorte(s, punkt, kommune=g.kommune())
        text = f"{text} – {ort.stadtteil} (Sozialraum {ort.sozialraum})"
        if ort.abstand_m > 0:
            text += ". " + naeherung(Lage(ort.stadtteil, ort.abstand_m))
        return text
    except RessourcenkarteFehler as exc:
        return f"{text} – {exc}"


def lage_eingabe(schluessel: str, *, mit_adresse: bool = True) -> tuple[shapely.Point | None, str | None]:
    """Fragt die Lage ab; gibt (Punkt EPSG:4326 oder None, gewählte Adresse oder None) zurück."""
    quellen = QUELLEN if mit_adresse else {k: v for k, v in QUELLEN.items() if k != "adresse"}
    quelle = st.radio("Lage angeben durch", list(quellen), format_func=QUELLEN.get, horizontal=True,
                      key=f"{schluessel}_quelle")
    if quelle == "karte":
        p = klickpunkt()
        if p is None:
            st.info("Bitte auf die Karte oben klicken, um die Stelle zu wählen.")
            return None, None
        st.caption("Gewählte Stelle: " + g.md(beschreibe(p)))
        return p, None
    if quelle == "adresse":
        adressen = _adressen()
        wahl = st.selectbox("Adresse", ["", *adressen], key=f"{schluessel}_adresse",
                            format_func=lambda a: a or "bitte wählen", placeholder="Bitte wählen …")
        if not wahl:
            return None, None
        p = adressen[wahl]
        st.caption("Lage dieser Adresse: " + g.md(beschreibe(p)))
        return p, wahl
    return _koordinaten(schluessel), None


def _koordinaten(schluessel: str) -> shapely.Point | None:
    kommune = g.kommune()
    wahl = raum.crs_wahl(kommune)
    a, b = st.columns([3, 2])
    text = a.text_input("Koordinaten (zwei Zahlen)", key=f"{schluessel}_koord",
                        help="z. B. „49,9987; 8,2711“ (Breite; Länge) oder „447123 5540123“ "
                             f"(EPSG:{g.md(metrisches_crs(kommune))}, Ostwert Nordwert)")
    crs = b.selectbox("Bezugssystem", list(wahl), format_func=wahl.get, key=f"{schluessel}_crs",
                      placeholder="Bitte wählen …")
    if not text.strip():
        return None
    try:
        with sitzung(g.engine(), akteur=None) as s:
            deutung = raum.deute_koordinaten(s, text, kommune=kommune, crs=crs)
    except MehrdeutigeKoordinaten as exc:
        st.warning(g.md(str(exc)))
        deutungen = exc.deutungen
        wahl = st.radio("Gemeint ist", range(len(deutungen)), format_func=lambda i: g.md(deutungen[i].beschreibung),
                        index=None, key=f"{schluessel}_deutung")
        if wahl is None:
            return None
        deutung = deutungen[wahl]
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
        return None
    st.caption(f"Erkannt als {g.md(deutung.beschreibung)} → " + g.md(beschreibe(deutung.punkt)))
    return deutung.punkt
