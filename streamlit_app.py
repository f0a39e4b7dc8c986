"""Sozialraum-Ressourcenkarte – Streamlit-Einstieg: Navigation, Anmeldung, gemeinsame Seitenleiste."""

from __future__ import annotations

import logging
import secrets
import time

import streamlit as st

from daten import politik
from daten.db import pruefe_verbindung
from daten.fehler import AnmeldeFehler, DatenbankFehler, KonfigurationsFehler, RessourcenkarteFehler
from daten.importe import darf_importieren
from daten.konten import anmelden, client_adresse
from daten.politik import ROLLEN, darf_schreiben
from seiten import _vorlauf, anmeldung
from seiten import gemeinsam as g

st.set_page_config(page_title="Sozialraum-Ressourcenkarte", layout="wide")
log = logging.getLogger("ressourcenkarte.dashboard")


@st.cache_resource
def _protokollierung() -> None:
    """Einmal je Serverprozess: Stufe und Format aus RESSOURCENKARTE_LOG_LEVEL/_FORMAT (daten.protokollierung)."""
    from daten.protokollierung import richte_ein

    richte_ein()


_protokollierung()


def _fehlerseite(exc: BaseException) -> None:
    """Eine deutsche Zeile ohne Pfade, URLs oder Traceback; Einzelheiten nur ins Server-Protokoll."""
    log.error("Dashboard kann nicht starten: %s", exc)
    if isinstance(exc, KonfigurationsFehler):
        text = "Die Anwendung ist nicht richtig konfiguriert. Bitte die Administration benachrichtigen."
    elif isinstance(exc, DatenbankFehler):
        text = "Die Datenbank ist nicht erreichbar oder nicht eingerichtet. Bitte später erneut versuchen oder " \
               "die Administration benachrichtigen."
    else:
        text = "Die Anwendung konnte nicht starten. Bitte die Administration benachrichtigen."
    st.error(text, icon="⚠️")


def unerwartet(exc: BaseException, *, wo: str) -> None:
    """Ein Fehler, den keine Seite erwartet hat: deutsche Meldung mit Vorfallnummer auf dem Bildschirm, Einzelheiten
    (mit Traceback) nur im Server-Protokoll unter derselben Nummer – nie ein Traceback im Browser."""
    if isinstance(exc, RessourcenkarteFehler):  # bekannte Fehler sind schon deutsch und ohne Interna
        st.error(g.md(str(exc)))
        return
    vorfall = secrets.token_hex(4).upper()
    log.exception("Vorfall %s (%s): %s", vorfall, wo, type(exc).__name__)
    st.error(f"Ein unerwarteter Fehler ist aufgetreten (Vorfall {vorfall}). Bitte die Seite neu laden; bleibt der "
             "Fehler, die Vorfallnummer an die Administration geben.", icon="⚠️")


def _client() -> str:
    """Schlüssel des Clients für die Sperre nach Fehlversuchen: die TCP-Gegenstelle; X-Forwarded-For nur, wenn sie
    ein vertrauter Proxy ist (RESSOURCENKARTE_VERTRAUTE_PROXYS, daten.konten.client_adresse)."""
    try:
        ip = st.context.ip_address
        kopf = st.context.headers.get("X-Forwarded-For")
    except Exception:  # noqa: BLE001 - ohne Laufzeitkontext (z. B. Test) gibt es keine Adresse
        ip, kopf = None, None
    return client_adresse(ip if isinstance(ip, str) and ip else None, kopf, g.einstellungen().proxy_netze())


def _anmelden() -> None:
    with st.form("anmeldung"):
        st.markdown("**Anmelden**")
        login = st.text_input("Benutzername")
        pw = st.text_input("Passwort", type="password")
        if st.form_submit_button("Anmelden"):
            try:
                akteur = anmelden(g.engine(), login, pw, demo_modus=g.einstellungen().demo, client=_client())
            except AnmeldeFehler as exc:
                st.error(g.md(str(exc)))
                return
            except Exception as exc:  # noqa: BLE001 - nie ein Traceback vor der Anmeldung
                unerwartet(exc, wo="Anmeldung")
                return
            st.session_state["akteur"] = akteur
            st.session_state["anzeigename"] = akteur.anzeigename or akteur.login
            st.session_state["zuletzt_aktiv"] = time.time()
            st.session_state["zur_startseite"] = True
            st.rerun()


def _inaktivitaet_pruefen() -> None:
    """Abmelden nach RESSOURCENKARTE_INAKTIV_MINUTEN ohne Aktion (gemessen zwischen zwei Aktionen)."""
    jetzt = time.time()
    zuletzt = st.session_state.get("zuletzt_aktiv")
    grenze = g.einstellungen().inaktiv_minuten * 60
    if g.akteur() is not None and zuletzt is not None and jetzt - zuletzt > grenze:
        st.session_state.pop("akteur", None)
        st.session_state.pop("anzeigename", None)
        st.session_state["abgemeldet"] = "Sie wurden wegen Inaktivität abgemeldet. Bitte erneut anmelden."
    st.session_state["zuletzt_aktiv"] = jetzt


def _seitenleiste() -> None:
    """Inhalt der Seitenleiste; wird innerhalb ihres Containers aufgerufen (siehe main)."""
    einst = g.einstellungen()
    st.markdown(f"**{g.md(g.kommune().name)}** · {g.md(g.kommune().amt)}")
    a = g.akteur()
    if a:
        name = g.md(st.session_state.get("anzeigename", a.login))
        st.markdown(f"Angemeldet: {name} ({ROLLEN[a.rolle]})")
        if st.button("Abmelden") and not anmeldung.abmelden():
            st.rerun()
    else:
        if "abgemeldet" in st.session_state:
            st.info(g.md(st.session_state.pop("abgemeldet")))
        if einst.anmeldung != "sso":
            _anmelden()
        anmeldung.sso_bereich()
    if einst.demo:
        st.info("Demo-Modus: alle Daten sind fiktiv. Konten z. B. 'jhp', 'tl01', Passwort 'demo'.")


def _bitte_anmelden() -> None:
    """Startseite ohne Anmeldung (außerhalb des Demo-Modus): Hinweis auf die Anmeldung und die offenen Daten."""
    st.title("Sozialraum-Ressourcenkarte")
    st.write("Bitte links anmelden.")
    st.page_link("seiten/oeffentlich.py", label="Ohne Anmeldung: Offene Daten (Karte, Tabellen, Downloads)")


def main() -> None:
    try:
        g.einstellungen()
        g.kommune()
        pruefe_verbindung(g.engine())
    except RessourcenkarteFehler as exc:
        _fehlerseite(exc)
        st.stop()
    _inaktivitaet_pruefen()
    a = g.akteur()
    # Wer angemeldet ist, landet auf „Start“ mit „Meine Aufgaben“ (und den zu prüfenden Einträgen); sonst Karte.
    start = a is not None
    startseite = st.Page("seiten/start.py", title="Start", default=True)
    # Die Seitenleiste steht oben, wird aber erst nach der Seite gefüllt: Streamlit zeichnet in der Reihenfolge,
    # in der das Skript Elemente schickt, und lädt je Widget-Art Code nach; so erscheint die Karte früher.
    leiste = st.sidebar.container()
    seiten = [
        *([startseite] if start else []),
        st.Page("seiten/karte.py", title="Karte", default=not start),
        st.Page("seiten/praesentation.py", title="Präsentation"),
        st.Page("seiten/sitzungen.py", title="Sitzungen"),
        st.Page("seiten/protokoll.py", title="Protokoll"),
        st.Page("seiten/budget.py", title="Budget"),
        st.Page("seiten/hospitationen.py", title="Hospitationen und Reflexion"),
        st.Page("seiten/vergleich.py", title="Vergleich"),
        st.Page("seiten/bericht.py", title="Bericht"),
        *([st.Page("seiten/importe.py", title="Import")] if darf_importieren(g.akteur()) else []),
    ]
    if a is not None and darf_schreiben(a, "einrichtung", a.sozialraum_id):
        seiten.append(st.Page("seiten/pflege.py", title="Pflege"))
    if politik.darf(a, "konten_verwalten", "konten_verwalten"):
        seiten.append(st.Page("seiten/verwaltung.py", title="Verwaltung"))
    # Offene Daten: für alle, auch ohne Anmeldung; liest nur die öffentlichen Sichten (seiten/oeffentlich.py)
    offen = st.Page("seiten/oeffentlich.py", title="Offene Daten", url_path="oeffentlich")
    seiten.append(offen)
    # Lesen ist im Demo-Modus ohne Anmeldung möglich; sonst erst nach Anmeldung – bis dahin nur die offenen Daten.
    if not g.einstellungen().demo and g.akteur() is None:
        seiten = [st.Page(_bitte_anmelden, title="Anmeldung", url_path="anmeldung", default=True), offen]
    navigation = st.navigation(seiten, expanded=True)  # alle Seiten sichtbar (Streamlit klappt ab 13 sonst zu)
    try:
        if st.session_state.pop("zur_startseite", False) and start:
            st.switch_page(startseite)  # nach der Anmeldung: was zu prüfen ist
        navigation.run()
    except Exception as exc:  # noqa: BLE001 - st.stop/st.rerun sind BaseException und laufen durch
        unerwartet(exc, wo=getattr(navigation, "title", "Seite"))
    finally:  # auch wenn die Seite mit st.stop() endet: Anmeldung und Sprache gehören immer dazu
        if not _vorlauf.aktiv():  # beim ersten Öffnen der Karte erst nach ihr (seiten/_vorlauf.py)
            with leiste:
                _seitenleiste()
        g.seitenrahmen()  # Sprache Deutsch, sichtbarer Fokus (BITV)


main()
