"""Gemeinsames der Seiten: Einstellungen, Engine (cache_resource), Daten (cache_data), Anmeldung."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st
from sqlalchemy import func, select

from daten import modelle as m
from daten.config import Kommune, lade_kommune
from daten.db import erstelle_engine, sitzung
from daten.einstellungen import Einstellungen, lade_einstellungen
from daten.fehler import RessourcenkarteFehler
from daten.kartendaten import Kartendaten, lade_kartendaten
from daten.rechte import Akteur


@st.cache_resource
def einstellungen() -> Einstellungen:
    """Einstellungen aus Umgebung/.env; ein Abschnitt [ressourcenkarte] in secrets.toml hat Vorrang."""
    try:
        geheim = dict(st.secrets.get("ressourcenkarte", {}))
    except (FileNotFoundError, KeyError, st.errors.StreamlitAPIException):
        geheim = {}
    return lade_einstellungen(**geheim)


@st.cache_resource
def kommune() -> Kommune:
    return lade_kommune(einstellungen().kommune)


@st.cache_resource
def engine():  # noqa: ANN201
    return erstelle_engine(einstellungen().db_url)


def datenstand() -> str:
    """Version der Daten: letzte Änderungsprotokoll-Zeile (jede Änderung wird protokolliert)."""
    with sitzung(engine(), akteur=None) as s:
        letzte = s.scalar(select(func.max(m.Aenderung.id)))
        anzahl = s.scalar(select(func.count()).select_from(m.Einrichtung))
    return f"{letzte}-{anzahl}"


@st.cache_data(show_spinner="Daten werden geladen …", max_entries=16)
def kartendaten(stand: str, stichtag: date | None = None, jahr: int | None = None) -> Kartendaten:
    """Alle Kartenebenen; der Cache hängt am Datenstand `stand`."""
    return lade_kartendaten(engine(), kommune(), stichtag=stichtag, jahr=jahr, pruefen=False)


def aktuelle_daten() -> tuple[str, Kartendaten]:
    """Datenstand und Kartendaten; bei Datenbankfehlern deutsche Meldung und Seitenende (st.stop)."""
    try:
        stand = datenstand()
        return stand, kartendaten(stand)
    except RessourcenkarteFehler as exc:
        zeige_fehler(exc)
        st.stop()
        raise  # st.stop() beendet den Lauf; für Typprüfer


def karte_der_sitzung(schluessel: tuple, bauen: Callable[[], Any], *, hoechstens: int = 8) -> Any:
    """Folium-Karte je Browsersitzung zwischenspeichern.

    Nicht sitzungsübergreifend (st.cache_resource): st_folium verändert das Kartenobjekt beim Rendern,
    ein geteiltes Objekt würde zwischen Nutzenden durcheinander geraten. Bauen kostet bei Mainz-Größe
    unter 0,1 s; der Zwischenspeicher hält Neuläufe (Filter unverändert) trotzdem schnell.
    """
    ablage: dict[tuple, Any] = st.session_state.setdefault("_karten", {})
    if schluessel not in ablage:
        while len(ablage) >= hoechstens:
            ablage.pop(next(iter(ablage)))
        ablage[schluessel] = bauen()
    return ablage[schluessel]


def akteur() -> Akteur | None:
    return st.session_state.get("akteur")


def zeige_fehler(exc: RessourcenkarteFehler) -> None:
    """Deutsche Fehlermeldung ohne Traceback."""
    st.error(str(exc), icon="⚠️")
