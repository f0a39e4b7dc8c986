"""Seite „Start“ nach der Anmeldung: „Meine Aufgaben“ je Rolle (daten.aufgaben) und die Einträge, die die
Teamleitung in ihrem Sozialraum prüfen sollte (Frische)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from daten import aufgaben as da
from daten import politik
from daten.db import sitzung
from daten.politik import ROLLEN
from seiten import _frische
from seiten import gemeinsam as g

HIER = "seiten/start.py"


def oeffne(aufgabe: da.Aufgabe) -> None:
    """Setzt die Werte der Zielseite (Session-State) und wechselt dorthin."""
    for schluessel, wert in aufgabe.parameter.items():
        st.session_state[schluessel] = wert
    if da.PROTOKOLL_SITZUNG in aufgabe.parameter:  # die Protokollseite liest ihre Sitzung (noch) unter diesem Namen
        st.session_state["protokoll_sitzung"] = aufgabe.parameter[da.PROTOKOLL_SITZUNG]
    try:
        st.switch_page(aufgabe.seite)
    except st.errors.StreamlitAPIException:  # Seite einzeln gestartet (ohne Navigation) oder nicht freigegeben
        st.info(f"Bitte links in der Navigation die Seite für „{g.md(aufgabe.bezeichnung)}“ öffnen.")


def meine_aufgaben() -> None:
    """Liste der offenen Aufgaben mit je einem Knopf, der die passende Seite öffnet."""
    with sitzung(g.engine(), akteur=None) as s:
        liste = da.aufgaben(s, g.akteur(), heute=date.today(), frische_monate=g.einstellungen().frische_monate)
    st.subheader(f"Meine Aufgaben ({len(liste)})")
    if not liste:
        st.success("Keine offenen Aufgaben.")
        return
    for i, aufgabe in enumerate(liste):
        art, text, knopf = st.columns([2.2, 6, 1.6], vertical_alignment="center")
        art.markdown(f"**{g.md(aufgabe.bezeichnung)}**")
        text.text(aufgabe.text)
        if aufgabe.seite != HIER and knopf.button("Öffnen", key=f"aufgabe_{i}_{aufgabe.art}",
                                                  help=f"{g.md(aufgabe.bezeichnung)}: Seite öffnen"):
            oeffne(aufgabe)


def seite() -> None:
    a = g.akteur()
    st.title("Start")
    if a is None:
        st.write("Bitte links anmelden.")
        return
    st.write(f"Angemeldet als {g.md(st.session_state.get('anzeigename', a.login))} "
             f"({ROLLEN.get(a.rolle, g.md(a.rolle))}).")
    meldung = st.session_state.pop("pflege_meldung", None)
    if meldung:
        st.success(g.md(meldung))
    meine_aufgaben()
    if politik.darf(a, "frische_pruefen", "frische_pruefen"):
        _frische.faellige_liste("start")
    else:
        st.caption("Die Karte und die Auswertungen finden Sie links in der Navigation.")


seite()
