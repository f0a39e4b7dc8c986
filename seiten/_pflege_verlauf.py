"""Pflege-Seite, Teil „Verlauf und Konflikt“: Änderungen je Eintrag, Version wiederherstellen, beide Stände
nebeneinander, wenn jemand anderes zwischendurch gespeichert hat. Texte aus der Datenbank nur als Daten."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from daten import dienste
from daten.db import sitzung
from daten.dienste import einrichtungen as de
from daten.dienste import verlauf as dv
from daten.dienste.wiederherstellen import stelle_version_wieder_her
from daten.fehler import KonfliktFehler, RessourcenkarteFehler
from seiten import gemeinsam as g

KONFLIKT = "pflege_konflikt"


def verlauf_tabelle(eintraege: list[dv.Verlaufseintrag]) -> pd.DataFrame:
    return pd.DataFrame([{
        "Zeitpunkt": f"{e.zeitpunkt:%d.%m.%Y %H:%M}", "Person": e.person, "Aktion": e.aktion, "Stand": e.version,
        "Änderungen": " | ".join(f"{f.bezeichnung}: {f.vorher} → {f.nachher}" for f in e.felder),
    } for e in eintraege], columns=["Zeitpunkt", "Person", "Aktion", "Stand", "Änderungen"])


def zeige_verlauf(tabelle: str, datensatz_id: int, version: int, *, darf: bool,
                  nach_erfolg: Callable[[str], None]) -> None:
    """Verlauf als Tabelle; mit Schreibrecht „diese Version wiederherstellen“ (selbst protokolliert)."""
    with sitzung(g.engine(), akteur=None) as s:
        eintraege = dv.verlauf(s, tabelle, datensatz_id, kommune=g.kommune())
    # statische Tabelle: als HTML lesbar (Screenreader), Verläufe sind kurz
    st.table(verlauf_tabelle(eintraege), hide_index=True, alt="Verlauf der Änderungen dieses Eintrags")
    frueher = [e for e in eintraege[1:] if e.zustand]
    if not darf or not frueher:
        return
    wahl = st.selectbox("Frühere Version", [e.aenderung_id for e in frueher], key=f"wh_{tabelle}_{datensatz_id}",
                        format_func=lambda i: next(f"Stand {e.version} vom {e.zeitpunkt:%d.%m.%Y %H:%M} ({e.person})"
                                                   for e in frueher if e.aenderung_id == i),
                        placeholder="Bitte wählen …")
    if st.button("Diese Version wiederherstellen", key=f"wh_knopf_{tabelle}_{datensatz_id}"):
        try:
            dienste.ausfuehren(g.engine(), g.akteur(), stelle_version_wieder_her, kommune=g.kommune(),
                               tabelle=tabelle, datensatz_id=datensatz_id, aenderung_id=wahl, version=version)
        except RessourcenkarteFehler as exc:
            g.zeige_fehler(exc)
        else:
            nach_erfolg("Frühere Version wiederhergestellt (im Verlauf als neue Änderung vermerkt).")


def merke_konflikt(exc: KonfliktFehler, datensatz_id: int, geladen: dict[str, Any], version: int,
                   aenderungen: dict[str, Any]) -> None:
    st.session_state[KONFLIKT] = {"id": datensatz_id, "meldung": str(exc), "geladen": geladen, "version": version,
                                  "aenderungen": aenderungen, "eingabe": {**geladen, **aenderungen}}


def zeige_konflikt(datensatz_id: int, *, neu_laden: Callable[[], None], nach_erfolg: Callable[[str], None]) -> bool:
    """Konfliktansicht für eine Einrichtung, falls einer vorliegt; True, wenn gezeigt."""
    k = st.session_state.get(KONFLIKT)
    if not k or k["id"] != datensatz_id:
        return False
    st.warning(g.md(k["meldung"]), icon="⚠️")
    with sitzung(g.engine(), akteur=None) as s:
        stand = de.bearbeitungsstand(s, datensatz_id)
        andere = dv.aenderungen_seit(s, "einrichtung", datensatz_id, k["version"], kommune=g.kommune())
    jetzt = stand["werte"] if stand else None
    jetzt_version = stand["version"] if stand else None
    st.markdown("**Ihre Eingabe und der inzwischen gespeicherte Stand nebeneinander**")
    st.table(pd.DataFrame(dv.vergleiche(k["geladen"], jetzt, k["eingabe"])), hide_index=True,
             alt="Vergleich: Ihr Ausgangsstand, der jetzt gespeicherte Stand und Ihre Eingabe")
    if andere:
        st.caption("Inzwischen gespeichert:")
        st.table(verlauf_tabelle(andere), hide_index=True, alt="Was andere inzwischen gespeichert haben")
    links, rechts = st.columns(2)
    if links.button("Neu laden (meine Eingabe verwerfen)", key="konflikt_neu"):
        st.session_state.pop(KONFLIKT, None)
        neu_laden()
        st.rerun()
    if jetzt is not None and rechts.button("Meine Änderungen auf den neuen Stand anwenden", key="konflikt_anwenden"):
        try:
            dienste.ausfuehren(g.engine(), g.akteur(), de.aendere_einrichtung, einrichtung_id=datensatz_id,
                               version=jetzt_version,
                               kommune=g.kommune(), trotz_dublette=True, **_ohne_lage(k["aenderungen"]),
                               punkt=_lage(k["aenderungen"]))
        except KonfliktFehler as exc:  # schon wieder jemand schneller: neuer Vergleich
            merke_konflikt(exc, datensatz_id, jetzt, jetzt_version, k["aenderungen"])
            st.rerun()
        except RessourcenkarteFehler as exc:
            g.zeige_fehler(exc)
        else:
            st.session_state.pop(KONFLIKT, None)
            nach_erfolg("Ihre Änderungen wurden auf den neuen Stand angewendet.")
    return True


def _ohne_lage(aenderungen: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in aenderungen.items() if k != "geometrie"}


def _lage(aenderungen: dict[str, Any]):  # noqa: ANN202
    import shapely

    wkt = aenderungen.get("geometrie")
    return shapely.from_wkt(wkt) if wkt else None
