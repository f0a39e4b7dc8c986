"""Filter der Karte-Seite: erst aus dem Sitzungszustand gelesen (`aus_zustand`), dann als Widgets gezeigt.

Warum zweigeteilt: Streamlit zeigt Elemente in der Reihenfolge, in der das Skript sie schickt, und lädt je
Widget-Art Code nach. Liest die Seite die Filter vorab aus `st.session_state` (alle Widgets haben feste
Schlüssel), kann sie die Karte vor den Filter-Widgets schicken: die Karte steht deutlich früher.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from analysen.auswahl import filtere_einrichtungen, netzwerkliste, zielgruppen
from daten.config import Kommune
from daten.kartendaten import Kartendaten
from seiten import _choropleth
from seiten import gemeinsam as g

TRAEGER = {"": "alle", "staedtisch": "städtisch", "frei": "frei"}
STATUS = {"besteht": "besteht", "soll entwickelt werden": "soll entwickelt werden"}
HINTERGRUENDE = {"osm": "OpenStreetMap", "basemapde": "basemap.de (BKG)", "keine": "keine (nur Inhalte)"}
OHNE_HINTERGRUND = "keine"


def hintergruende(basemap_standard: str) -> dict[str, str]:
    """Die eingestellte Hintergrundkarte und „keine“ – andere Server fragt die Seite nie an (Intranet)."""
    if basemap_standard in HINTERGRUENDE:
        name = HINTERGRUENDE[basemap_standard]
    elif "geodatenzentrum.de" in basemap_standard:
        name = "basemap.de (BKG)"
    else:
        name = "Städtischer WMS" if basemap_standard.startswith("wms:") else "Städtischer Kachelserver"
    return {basemap_standard: name, OHNE_HINTERGRUND: HINTERGRUENDE[OHNE_HINTERGRUND]}


@dataclass
class Auswahl:
    """Was die Filter der Seite ergeben, dazu die Auswahllisten für die Widgets."""

    sozialraum: str = ""
    stadtteil: str = ""
    arten: list[str] = field(default_factory=list)
    traeger: str = ""
    zielgruppe: str = ""
    nur_gremium: bool = False
    netzwerk: int | None = None
    einzug: list[str] = field(default_factory=list)
    basemap: str = OHNE_HINTERGRUND
    choro: _choropleth.Zustand = field(default_factory=_choropleth.Zustand)
    # Auswahllisten
    teile: list[str] = field(default_factory=list)
    zielgruppen: list[str] = field(default_factory=list)
    netzwerke: dict[int, str] = field(default_factory=dict)
    hintergruende: dict[str, str] = field(default_factory=dict)

    @property
    def choropleth(self) -> dict | None:
        return self.choro.wahl

    def schluessel(self) -> tuple:
        return (self.basemap, self.sozialraum, self.stadtteil, tuple(self.arten), self.traeger, self.zielgruppe,
                self.nur_gremium, self.netzwerk, tuple(self.einzug), repr(self.choropleth))


def altersbaender(kommune: Kommune) -> dict[str, tuple[int | None, int | None]]:
    return {z.name: (z.alter_von, z.alter_bis) for z in kommune.zielgruppen if z.hat_alter}


def zielgruppe_text(kommune: Kommune, name: str) -> str:
    """Zielgruppe für die Auswahlliste, mit Altersband, wenn der Name es nicht schon nennt."""
    z = next((z for z in kommune.zielgruppen if z.name == name), None)
    if not name:
        return "alle"
    if z is None or not z.hat_alter or any(c.isdigit() for c in name):
        return name
    if z.alter_bis is None:
        return f"{name} (ab {z.alter_von} Jahren)"
    if not z.alter_von:
        return f"{name} (unter {z.alter_bis} Jahren)"
    return f"{name} ({z.alter_von} bis unter {z.alter_bis} Jahren)"


def _gueltig(schluessel: str, optionen: list, standard: object) -> object:
    """Wert aus dem Sitzungszustand, wenn er (noch) zu den Optionen passt; sonst Standard (Zustand gelöscht)."""
    wert = st.session_state.get(schluessel, standard)
    if wert not in optionen:
        st.session_state.pop(schluessel, None)
        return standard
    return wert


def gefiltert(kommune: Kommune, daten: Kartendaten, a: Auswahl, netze: pd.DataFrame | None = None):  # noqa: ANN201
    """Die Einrichtungen nach der Auswahl (mit `netze`: auch nach dem hervorgehobenen Netzwerk)."""
    ids = None
    if a.netzwerk is not None and netze is not None:
        treffer = netze.loc[netze["id"] == a.netzwerk, "mitglied_ids"]
        ids = treffer.iloc[0] if len(treffer) else []
    return filtere_einrichtungen(daten.einrichtungen, sozialraum=a.sozialraum or None, stadtteil=a.stadtteil or None,
                                 arten=a.arten, traeger_art=a.traeger or None, zielgruppe=a.zielgruppe or None,
                                 altersbaender=altersbaender(kommune), nur_gremium=a.nur_gremium, ids=ids)


def aus_zustand(kommune: Kommune, daten: Kartendaten, netze: pd.DataFrame, basemap_standard: str) -> Auswahl:
    """Die Auswahl, wie die Widgets sie gleich zeigen werden (gleiche Schlüssel, gleiche Standards)."""
    ss = st.session_state
    arten = [x.schluessel for x in kommune.einrichtungsarten]
    a = Auswahl()
    a.sozialraum = _gueltig("f_sozialraum", ["", *daten.sozialraeume["name"]], "")
    if a.sozialraum:
        a.teile = list(daten.stadtteile.loc[daten.stadtteile["sozialraum"] == a.sozialraum, "name"])
    a.stadtteil = _gueltig("f_stadtteil", ["", *a.teile], "") if len(a.teile) > 1 else ""
    a.arten = [x for x in ss.get("f_arten", []) if x in arten]
    a.traeger = _gueltig("f_traeger", list(TRAEGER), "")
    a.zielgruppen = zielgruppen(daten.einrichtungen, [z.name for z in kommune.zielgruppen])
    a.zielgruppe = _gueltig("f_zielgruppe", ["", *a.zielgruppen], "")
    a.nur_gremium = bool(ss.get("f_gremium", False))
    liste = netzwerkliste(netze, gefiltert(kommune, daten, a), sozialraum=a.sozialraum or None)
    a.netzwerke = dict(zip(liste["id"].astype(int).tolist(),
                           liste["name"] + " – " + liste["status"].map(STATUS).fillna(liste["status"]), strict=True))
    a.netzwerk = _gueltig("f_netzwerk", [None, *a.netzwerke], None)
    a.einzug = [x for x in ss.get("f_einzug", []) if x in arten]
    a.hintergruende = hintergruende(basemap_standard)
    a.basemap = _gueltig("f_basemap", list(a.hintergruende), basemap_standard)
    a.choro = _choropleth.aus_zustand(kommune, daten.indikatoren)
    return a


def widgets(kommune: Kommune, daten: Kartendaten, a: Auswahl, basemap_standard: str) -> None:
    """Die Filter-Widgets in der schmalen Spalte neben der Karte (Werte aus dem Sitzungszustand)."""
    arten = {x.schluessel: x.bezeichnung for x in kommune.einrichtungsarten}
    st.selectbox("Sozialraum", ["", *daten.sozialraeume["name"]], key="f_sozialraum",
                 format_func=lambda n: n or "Alle Sozialräume", placeholder="Bitte wählen …")
    if len(a.teile) > 1:  # R1: ein Sozialraum lässt sich nach Stadtteilen aufteilen
        st.selectbox("Stadtteil", ["", *a.teile], key="f_stadtteil", format_func=lambda n: n or "alle Stadtteile",
                     placeholder="Bitte wählen …")
    st.multiselect("Einrichtungsarten", list(arten), key="f_arten", format_func=arten.get, placeholder="alle Arten",
                   select_all=False)
    st.selectbox("Träger", list(TRAEGER), key="f_traeger", format_func=TRAEGER.get, placeholder="Bitte wählen …")
    st.selectbox("Zielgruppe", ["", *a.zielgruppen], key="f_zielgruppe",
                 format_func=lambda z: zielgruppe_text(kommune, z),
                 help="Findet auch überschneidende Altersgruppen: „Kinder“ zeigt Kitas (Kinder 0–6) und "
                      "Grundschulen (Kinder 6–10).", placeholder="Bitte wählen …")
    st.checkbox("Nur Gremiumsmitglieder", key="f_gremium",
                help="Einrichtungen, die nach der aktuellen Stufe ihres Sozialraumgremiums dazugehören (Stufe 1: "
                     "städtische Dienste; Stufen 2 und 3 nehmen freie Träger und Schulen auf).")
    st.selectbox("Netzwerk hervorheben", [None, *a.netzwerke], key="f_netzwerk",
                 format_func=lambda i: a.netzwerke.get(i, "keines"),
                 help="Zeigt nur die Mitglieder dieses Netzwerks und ihre Verbindungen.", placeholder="Bitte wählen …")
    with st.expander("Einzugsbereiche und Hintergrund"):
        st.multiselect("Einzugsbereiche zeigen für", list(arten), key="f_einzug", format_func=arten.get,
                       placeholder="keine", select_all=False)
        wahl = list(a.hintergruende)
        if len(wahl) > 1:
            st.selectbox("Hintergrundkarte", wahl, key="f_basemap", index=wahl.index(basemap_standard),
                         format_func=a.hintergruende.get, placeholder="Bitte wählen …")
        else:
            st.caption("Hintergrundkarte: keine (heller Grund mit den Grenzen). Einen Kartendienst (basemap.de "
                       "oder den WMS der Stadt) trägt der Betrieb in RESSOURCENKARTE_BASEMAP ein.")
    _choropleth.widgets(kommune, a.choro)


def kanten(daten: Kartendaten, ein, a: Auswahl):  # noqa: ANN001, ANN201
    """Nur Verbindungen zwischen gezeigten Einrichtungen (die Filter gelten auch für Netzwerke)."""
    namen = set(ein["name"])
    k = daten.netzwerk_kanten
    k = k[k["von"].isin(namen) & k["nach"].isin(namen)]
    if a.netzwerk is not None and "netzwerk_id" in k:
        k = k[k["netzwerk_id"] == a.netzwerk]
    return k


def zoom_auf(a: Auswahl, netze: pd.DataFrame) -> str | None:
    """Gewählter Sozialraum; sonst der Sozialraum des gewählten Netzwerks (stadtweite: ganze Stadt)."""
    if a.sozialraum:
        return a.sozialraum
    if a.netzwerk is not None:
        sr = netze.loc[netze["id"] == a.netzwerk, "sozialraum"]
        return (sr.iloc[0] or None) if len(sr) else None
    return None


def kopfzeile(kommune: Kommune, daten: Kartendaten, a: Auswahl) -> None:
    """Eine Zeile über der Karte: Teamleitung und Stufe des gewählten Sozialraums."""
    if not a.sozialraum:
        st.caption(f"Alle {len(daten.sozialraeume)} Sozialräume. Einen Sozialraum rechts wählen, um auf ihn zu "
                   "zoomen und seine Teamleitung und Stufe zu sehen.")
        return
    z = g.sozialraum_zeile(daten, a.sozialraum)
    teile = [f"Sozialraum {g.md(a.sozialraum)}"]
    if a.stadtteil:
        teile.append(f"Stadtteil {g.md(a.stadtteil)}")
    teile.append(f"Teamleitung ASD: {g.md(z['teamleitung']) or 'nicht eingetragen'}")
    teile.append(f"Gremium auf {g.stufe_text(kommune, z['stufe'])}")
    st.caption(" · ".join(teile))
