"""Seite „Pflege“: die Teamleitung pflegt die Einträge ihres Sozialraums (Administration: alle).

Oben die Karte des Bereichs – ein Klick wählt eine Stelle für neue Einrichtungen oder zum Verschieben –,
darunter Reiter für neue Einrichtungen, Bearbeiten (mit Verlauf und Wiederherstellen), Netzwerke und die
Liste der lange nicht bestätigten Einträge. Alle Regeln prüft `daten.dienste`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from daten import politik
from daten.db import sitzung
from daten.dienste import einrichtungen as de
from daten.fehler import RessourcenkarteFehler
from daten.politik import darf_schreiben
from karte import baue_karte
from seiten import _frische, _pflege_netzwerke
from seiten import _pflege_einrichtung as pe
from seiten import _pflege_lage as lage
from seiten import gemeinsam as g

REITER = ["Neue Einrichtung", "Einrichtung bearbeiten", "Netzwerke", "Zu prüfen"]
REITER_SCHLUESSEL = "pflege_reiter"
KARTE_SCHLUESSEL = "pflege_karte"
KARTE_HOEHE = 560  # Pixel: genug Fläche, um eine Stelle genau zu treffen


def darf_pflegen(akteur) -> bool:  # noqa: ANN001
    """Wer überhaupt Einrichtungen pflegen darf (Teamleitung im eigenen Sozialraum, Administration)."""
    return akteur is not None and darf_schreiben(akteur, "einrichtung", akteur.sozialraum_id)


def _bereich(daten) -> tuple[int | None, str | None]:  # noqa: ANN001
    a = g.akteur()
    sr = daten.sozialraeume
    if politik.umfang(a, "aendern", "einrichtung") == politik.ALLE:
        name = st.selectbox("Sozialraum", ["", *sr["name"]], format_func=lambda n: n or "alle Sozialräume",
                            key="pflege_sozialraum", placeholder="Bitte wählen …")
        return (int(sr.loc[sr["name"] == name, "id"].iloc[0]), name) if name else (None, None)
    zeile = sr[sr["id"] == a.sozialraum_id]
    return a.sozialraum_id, (zeile["name"].iloc[0] if len(zeile) else None)


def _karte(stand: str, daten, sozialraum: str | None) -> None:  # noqa: ANN001
    kommune = g.kommune()
    try:
        # ohne Netzwerk-Linien: sie verdecken die Fläche, auf die man zum Wählen einer Stelle klickt
        argumente = daten.als_argumente() | {"netzwerk_kanten": daten.netzwerk_kanten.iloc[0:0]}
        karte = g.klickbare_karte(("pflege", stand, sozialraum), lambda: baue_karte(
            **argumente, kommune=kommune, basemap=g.einstellungen().basemap, auswahl_sozialraum=sozialraum))
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
        return
    st.caption("Auf die Karte klicken, um eine Stelle zu wählen (für eine neue Einrichtung oder zum Verschieben).")
    # Die Nadel kommt als eigene Ebene dazu (feature_group_to_add): die Karte selbst bleibt dieselbe und wird im
    # Browser nicht neu geladen, wenn sich nur die gewählte Stelle ändert.
    # Der Klick, der diesen Lauf auslöste, steht schon vor dem Zeichnen im Session-State der Komponente: so zeigt
    # die Nadel ohne weiteren Lauf die gerade geklickte Stelle.
    lage.merke_klick(st.session_state.get(KARTE_SCHLUESSEL))
    klick = st_folium(karte, height=KARTE_HOEHE, use_container_width=True, key=KARTE_SCHLUESSEL,
                      returned_objects=["last_clicked"], feature_group_to_add=lage.nadel(lage.klickpunkt()))
    lage.merke_klick(klick)
    punkt = lage.klickpunkt()
    platz = st.empty()  # immer vorhanden, auch ohne Klick (feste Position der Elemente darunter)
    if punkt is not None:
        platz.caption("Gewählte Stelle: " + g.md(lage.beschreibe(punkt)))


def _auswahl(sozialraum_id: int | None, andere: bool) -> pd.DataFrame:
    arten = {a.schluessel: a.bezeichnung for a in g.kommune().einrichtungsarten}
    with sitzung(g.engine(), akteur=None) as s:
        zeilen = de.auswahlliste(s, None if andere else sozialraum_id)
    df = pd.DataFrame(zeilen, columns=["id", "name", "art", "stadtteil", "sozialraum_id", "offen"])
    df["anzeige"] = [f"{r.name} ({arten.get(r.art, r.art)}, {r.stadtteil}){'' if r.offen else ' – geschlossen'}"
                     for r in df.itertuples()]
    return df


def seite() -> None:
    st.title("Pflege der Ressourcenkarte")
    a = g.akteur()
    if not darf_pflegen(a):
        st.info("Einträge pflegen die Teamleitung ASD (im eigenen Sozialraum) und die Administration. "
                "Bitte mit einem solchen Konto anmelden; lesen können Sie die Karte.")
        return
    # feste Plätze für Meldungen, damit die Elemente darunter beim nächsten Lauf dieselben bleiben
    meldung = st.empty()
    text = st.session_state.pop(pe.MELDUNG, None)
    if text:
        meldung.success(g.md(text))
        st.toast(g.md(text), icon="✅")  # sichtbar, wo auch immer die Seite gerade steht
    stand, daten = g.aktuelle_daten()
    sozialraum_id, sozialraum = _bereich(daten)
    _karte(stand, daten, sozialraum)
    # mit Schlüssel und Zustand: der gewählte Reiter bleibt über Neuläufe erhalten, eine Seite kann ihn setzen
    # (nach „Einrichtung anlegen“, „Korrigieren“ auf der Startseite), und nur der offene Reiter wird gebaut.
    wunsch = st.session_state.pop(pe.REITER_WUNSCH, None)
    if wunsch in REITER:  # vor dem Widget setzen; danach ließe Streamlit den Zustand nicht mehr ändern
        st.session_state[REITER_SCHLUESSEL] = wunsch
    neu, bearbeiten, netz, pruefen = st.tabs(REITER, key=REITER_SCHLUESSEL, on_change="rerun")
    # Jeder Reiter ist ein Fragment: Eingaben und der Klick auf „Speichern“ laufen nur durch den Reiter, nicht durch
    # Karte und Daten darüber. Erst nach dem Speichern lädt die ganze Seite neu (st.rerun), und die Bestätigung
    # steht oben, bevor die Karte mit dem neuen Stand gebaut ist.
    if neu.open:
        with neu:
            _reiter_neu()
    if bearbeiten.open:
        with bearbeiten:
            _reiter_bearbeiten(sozialraum_id)
    if netz.open:
        offen = daten.einrichtungen if sozialraum is None else daten.einrichtungen[
            daten.einrichtungen["sozialraum"] == sozialraum]
        with netz:
            _reiter_netzwerke(sozialraum_id, dict(zip(offen["id"], offen["name"], strict=True)))
    if pruefen.open:
        with pruefen:
            _reiter_pruefen()


@st.fragment
def _reiter_neu() -> None:
    pe.neu_anlegen()


@st.fragment
def _reiter_bearbeiten(sozialraum_id: int | None) -> None:
    andere = st.checkbox("Auch Einrichtungen anderer Sozialräume zeigen (nur lesen)", key="pflege_andere")
    pe.bearbeiten(_auswahl(sozialraum_id, andere))


@st.fragment
def _reiter_netzwerke(sozialraum_id: int | None, einrichtungen: dict[int, str]) -> None:
    _pflege_netzwerke.netzwerke(sozialraum_id, einrichtungen)


@st.fragment
def _reiter_pruefen() -> None:
    _frische.faellige_liste("pflege")


seite()
