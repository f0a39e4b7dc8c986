"""Single Sign-on in der Seitenleiste: `st.login` (OpenID Connect) und Übernahme der Identität als Akteur.

Die Zuordnung Gruppen → Rolle/Sozialraum und das Anlegen/Nachführen des Kontos macht
`daten.dienste.anmeldung`; hier wird nur `st.user` gelesen und das Ergebnis in der Sitzung gemerkt.
Der Anbieter selbst (client_id, client_secret, server_metadata_url, redirect_uri, cookie_secret) steht in
`.streamlit/secrets.toml` unter [auth] bzw. [auth.NAME] – siehe README „Anmeldung über Single Sign-on“.
"""

from __future__ import annotations

import streamlit as st

from daten import dienste
from daten.dienste.anmeldung import lies_gruppen, melde_sso_an
from daten.fehler import RessourcenkarteFehler
from daten.politik import SYSTEM
from seiten import gemeinsam as g

SSO = "anmeldung_sso"


def sso_aktiv() -> bool:
    return g.einstellungen().anmeldung in ("sso", "beide")


def _angemeldet_beim_anbieter() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except (AttributeError, KeyError):
        return False


def sso_bereich() -> None:
    """Knopf „Mit Single Sign-on anmelden“; nach der Rückkehr vom Anbieter die Person als Akteur übernehmen."""
    if not sso_aktiv() or g.akteur() is not None:
        return
    einst = g.einstellungen()
    if not _angemeldet_beim_anbieter():
        if st.button("Mit Single Sign-on anmelden", type="primary"):
            st.login(einst.oidc_anbieter or None)
        return
    claims = {k: st.user[k] for k in st.user if k != "tokens"}
    try:
        gruppen = lies_gruppen(einst.oidc_gruppen, kommune=g.kommune())
        akteur = dienste.ausfuehren(g.engine(), SYSTEM, melde_sso_an, claims=claims, claim=einst.oidc_claim,
                                    gruppen=gruppen)
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
        if st.button("Beim Anmeldedienst abmelden"):
            st.logout()
        return
    st.session_state["akteur"] = akteur
    st.session_state["anzeigename"] = str(claims.get("name") or akteur.login)
    st.session_state[SSO] = True
    st.session_state["zur_startseite"] = True
    st.rerun()


def abmelden() -> bool:
    """Lokal abmelden; wer per Single Sign-on kam, wird auch dort abgemeldet (sonst käme er sofort zurück).

    True, wenn zum Anbieter weitergeleitet wird – dann kein st.rerun(): der Neulauf verwürfe die Weiterleitung.
    """
    st.session_state.pop("akteur", None)
    if st.session_state.pop(SSO, False):
        st.logout()
        return True
    return False
