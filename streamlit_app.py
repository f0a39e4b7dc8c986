"""Sozialraum-Ressourcenkarte – Streamlit-Einstieg: Navigation, Anmeldung, gemeinsame Seitenleiste."""

from __future__ import annotations

import streamlit as st

from daten import modelle as m
from daten.db import pruefe_verbindung, sitzung
from daten.fehler import RessourcenkarteFehler
from daten.rechte import ROLLEN, Akteur, pruefe_passwort
from seiten import gemeinsam as g

st.set_page_config(page_title="Sozialraum-Ressourcenkarte", layout="wide")


def _anmelden() -> None:
    with st.form("anmeldung"):
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
            st.rerun()


def _seitenleiste() -> None:
    """Inhalt der Seitenleiste; wird innerhalb ihres Containers aufgerufen (siehe main)."""
    einst = g.einstellungen()
    st.markdown(f"**{g.md(g.kommune().name)}** · {g.md(g.kommune().amt)}")
    a = g.akteur()
    if a:
        name = g.md(st.session_state.get("anzeigename", a.login))
        st.markdown(f"Angemeldet: {name} ({ROLLEN[a.rolle]})")
        if st.button("Abmelden"):
            st.session_state.pop("akteur", None)
            st.rerun()
    else:
        _anmelden()
    if einst.demo:
        st.info("Demo-Modus: alle Daten sind fiktiv. Konten z. B. 'jhp', 'tl01', Passwort 'demo'.")


def main() -> None:
    try:
        pruefe_verbindung(g.engine())
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
        st.stop()
    # Die Seitenleiste steht oben, wird aber erst nach der Seite gefüllt: Streamlit zeichnet in der Reihenfolge,
    # in der das Skript Elemente schickt, und lädt je Widget-Art Code nach; so erscheint die Karte früher.
    leiste = st.sidebar.container()
    seiten = [
        st.Page("seiten/karte.py", title="Karte", default=True),
        st.Page("seiten/praesentation.py", title="Präsentation"),
    ]
    # Lesen ist im Demo-Modus ohne Anmeldung möglich; sonst erst nach Anmeldung.
    if not g.einstellungen().demo and g.akteur() is None:
        with leiste:
            _seitenleiste()
        st.title("Sozialraum-Ressourcenkarte")
        st.write("Bitte links anmelden.")
        g.seitenrahmen()
        return
    st.navigation(seiten).run()
    with leiste:
        _seitenleiste()
    g.seitenrahmen()  # Sprache Deutsch, sichtbarer Fokus (BITV)


main()
