"""Sozialraum-Ressourcenkarte – Streamlit-Einstieg: Navigation, Anmeldung, gemeinsame Seitenleiste."""

from __future__ import annotations

import streamlit as st

from daten import modelle as m
from daten.db import pruefe_verbindung, sitzung
from daten.fehler import RessourcenkarteFehler
from daten.rechte import ROLLEN, Akteur, darf_schreiben, pruefe_passwort
from seiten import anmeldung
from seiten import gemeinsam as g

st.set_page_config(page_title="Sozialraum-Ressourcenkarte", layout="wide")


def _anmelden() -> None:
    with st.sidebar.form("anmeldung"):
        st.markdown("**Anmelden**")
        login = st.text_input("Benutzername")
        pw = st.text_input("Passwort", type="password")
        if st.form_submit_button("Anmelden"):
            with sitzung(g.engine(), akteur=None) as s:
                b = s.query(m.Benutzer).filter_by(login=login, aktiv=True).one_or_none()
                if b is None or not pruefe_passwort(pw, b.passwort_hash):
                    st.error("Benutzername oder Passwort ist falsch.")
                    return
                st.session_state["akteur"] = Akteur(login=b.login, rolle=b.rolle, sozialraum_id=b.sozialraum_id)
                st.session_state["anzeigename"] = b.anzeigename
                st.session_state["zur_startseite"] = True
            st.rerun()


def _seitenleiste() -> None:
    einst = g.einstellungen()
    st.sidebar.markdown(f"**{g.kommune().name}** · {g.kommune().amt}")
    a = g.akteur()
    if a:
        st.sidebar.markdown(f"Angemeldet: {st.session_state.get('anzeigename', a.login)} ({ROLLEN[a.rolle]})")
        if st.sidebar.button("Abmelden") and not anmeldung.abmelden():
            st.rerun()
    else:
        if einst.anmeldung != "sso":
            _anmelden()
        anmeldung.sso_bereich()
    if einst.demo:
        st.sidebar.info("Demo-Modus: alle Daten sind fiktiv. Konten z. B. 'jhp', 'tl01', Passwort 'demo'.")


def main() -> None:
    try:
        pruefe_verbindung(g.engine())
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
        st.stop()
    _seitenleiste()
    a = g.akteur()
    # Wer pflegt, landet auf „Start“ mit den zu prüfenden Einträgen; sonst auf der Karte.
    start = a is not None and a.rolle in ("teamleitung", "admin", "jugendhilfeplanung")
    startseite = st.Page("seiten/start.py", title="Start", default=True)
    seiten = [
        *([startseite] if start else []),
        st.Page("seiten/karte.py", title="Karte", default=not start),
        st.Page("seiten/praesentation.py", title="Präsentation"),
    ]
    if a is not None and darf_schreiben(a, "einrichtung", a.sozialraum_id):
        seiten.append(st.Page("seiten/pflege.py", title="Pflege"))
    if a is not None and a.rolle == "admin":
        seiten.append(st.Page("seiten/verwaltung.py", title="Verwaltung"))
    # Lesen ist im Demo-Modus ohne Anmeldung möglich; sonst erst nach Anmeldung.
    if not g.einstellungen().demo and g.akteur() is None:
        st.title("Sozialraum-Ressourcenkarte")
        st.write("Bitte links anmelden.")
        return
    navigation = st.navigation(seiten)
    if st.session_state.pop("zur_startseite", False) and start:
        st.switch_page(startseite)  # nach der Anmeldung: was zu prüfen ist
    navigation.run()


main()
