"""Seite „Start“ nach der Anmeldung: was die Teamleitung in ihrem Sozialraum prüfen sollte (Frische)."""

from __future__ import annotations

import streamlit as st

from daten import politik
from daten.politik import ROLLEN
from seiten import _frische
from seiten import gemeinsam as g


def seite() -> None:
    a = g.akteur()
    st.title("Start")
    if a is None:
        st.write("Bitte links anmelden.")
        return
    st.write(f"Angemeldet als {st.session_state.get('anzeigename', a.login)} ({ROLLEN.get(a.rolle, a.rolle)}).")
    meldung = st.session_state.pop("pflege_meldung", None)
    if meldung:
        st.success(meldung)
    if politik.darf(a, "frische_pruefen", "frische_pruefen"):
        _frische.faellige_liste("start")
    else:
        st.write("Die Karte und die Auswertungen finden Sie links in der Navigation.")


seite()
