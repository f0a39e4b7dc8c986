"""Seite „Verwaltung“ (nur Administration): Konten anlegen, Rolle/Sozialraum ändern, sperren, Passwort setzen."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from daten import dienste, politik
from daten.db import sitzung
from daten.dienste import konten as dk
from daten.fehler import RessourcenkarteFehler
from daten.politik import ROLLEN
from seiten import gemeinsam as g

MELDUNG = "verwaltung_meldung"


def _ausfuehren(funktion, text: str, **kw) -> None:  # noqa: ANN001
    try:
        dienste.ausfuehren(g.engine(), g.akteur(), funktion, **kw)
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
    else:
        st.session_state[MELDUNG] = text
        st.rerun()


def geringste_rolle() -> str:
    """Die Rolle mit den wenigsten Rechten laut Politik (Tabellen- und Fachrechte; bei Gleichstand die erste in
    ROLLEN) – der Vorschlag für neue Konten: mehr Rechte gibt die Administration bewusst."""
    def rechte(rolle: str) -> int:
        tabellen = sum(len(t.rechte.get(rolle, {})) for t in politik.TABELLEN.values())
        fach = sum(rolle in r for r in politik.FACHRECHTE.values())
        return tabellen + fach + (1000 if not politik.nur_lesen(politik.Akteur("", rolle)) else 0)
    return min(ROLLEN, key=rechte)


def _sozialraum_wahl(raeume: dict[int, str], rolle: str, schluessel: str, vorher: int | None = None) -> int | None:
    ids = list(raeume)
    if politik.sozialraum_wahlweise(rolle):  # Verteiler: ein Sozialraum oder stadtweit
        wahl = st.selectbox("Sozialraum (leer: stadtweit)", [None, *ids], key=schluessel,
                            format_func=lambda i: "stadtweit (alle Sozialräume)" if i is None else raeume[i],
                            index=[None, *ids].index(vorher) if vorher in ids else 0, placeholder="Bitte wählen …")
        return wahl
    if rolle not in dk.MIT_SOZIALRAUM:
        return None
    return st.selectbox("Sozialraum", ids, format_func=raeume.get, key=schluessel,
                        index=ids.index(vorher) if vorher in ids else None, placeholder="bitte wählen")


def _neues_konto(raeume: dict[int, str]) -> None:
    runde = st.session_state.setdefault("konto_runde", 0)
    k = f"konto{runde}"
    a, b = st.columns(2)
    login = a.text_input("Login", key=f"{k}_login", help="Kleinbuchstaben, Ziffern und . _ @ + -")
    name = b.text_input("Name der Person", key=f"{k}_name")
    rollen = list(ROLLEN)
    rolle = a.selectbox("Rolle", rollen, format_func=ROLLEN.get, key=f"{k}_rolle",
                        index=rollen.index(geringste_rolle()),
                        help="Vorgeschlagen ist die Rolle mit den wenigsten Rechten; bitte bewusst wählen.",
                        placeholder="Bitte wählen …")
    with b:
        sr = _sozialraum_wahl(raeume, rolle, f"{k}_sr")
    nur_sso = st.checkbox("Ohne Passwort (Anmeldung nur über Single Sign-on)", key=f"{k}_sso")
    pw = pw2 = None
    if not nur_sso:
        a, b = st.columns(2)
        pw = a.text_input("Passwort (mindestens 12 Zeichen)", type="password", key=f"{k}_pw")
        pw2 = b.text_input("Passwort wiederholen", type="password", key=f"{k}_pw2")
    if st.button("Konto anlegen", type="primary", key=f"{k}_anlegen"):
        if not nur_sso and pw != pw2:
            st.error("Die beiden Passwörter stimmen nicht überein.", icon="⚠️")
            return
        st.session_state["konto_runde"] = runde + 1
        _ausfuehren(dk.lege_benutzer_an, f"Konto {login.strip().lower()} angelegt.", login=login, anzeigename=name,
                    rolle=rolle, sozialraum_id=sr, passwort=None if nur_sso else pw)
        st.session_state["konto_runde"] = runde  # nur bei Fehler erreicht: Eingaben behalten


def _konto_aendern(alle: list[dk.Konto], raeume: dict[int, str]) -> None:
    logins = [k.login for k in alle]
    login = st.selectbox("Konto", logins, key="konto_wahl", placeholder="Bitte wählen …")
    k = next(x for x in alle if x.login == login)
    s = f"aendern_{k.id}_{k.version}"
    a, b = st.columns(2)
    name = a.text_input("Name der Person", value=k.anzeigename, key=f"{s}_name")
    rolle = b.selectbox("Rolle", list(ROLLEN), format_func=ROLLEN.get, index=list(ROLLEN).index(k.rolle),
                        key=f"{s}_rolle", placeholder="Bitte wählen …")
    sr_vorher = next((i for i, n in raeume.items() if n == k.sozialraum), None)
    with a:
        sr = _sozialraum_wahl(raeume, rolle, f"{s}_sr", sr_vorher)
    if st.button("Rolle/Name speichern", key=f"{s}_speichern"):
        _ausfuehren(dk.aendere_rolle, f"Konto {k.login} geändert.", login=k.login, rolle=rolle, sozialraum_id=sr,
                    anzeigename=name, version=k.version)
    a, b = st.columns(2)
    with a:
        if k.aktiv and st.button("Konto sperren", key=f"{s}_sperren"):
            _ausfuehren(dk.sperre_benutzer, f"Konto {k.login} gesperrt.", login=k.login, version=k.version)
        if not k.aktiv and st.button("Sperre aufheben", key=f"{s}_frei"):
            _ausfuehren(dk.sperre_benutzer, f"Konto {k.login} freigegeben.", login=k.login, gesperrt=False,
                        version=k.version)
    with b:
        pw = st.text_input("Neues Passwort (mindestens 12 Zeichen)", type="password", key=f"{s}_pw")
        if st.button("Passwort setzen", key=f"{s}_pwknopf", disabled=not pw):
            _ausfuehren(dk.setze_passwort, f"Passwort für {k.login} gesetzt.", login=k.login, passwort=pw,
                        version=k.version)


def seite() -> None:
    st.title("Verwaltung: Konten")
    a = g.akteur()
    if not politik.darf(a, "konten_verwalten", "konten_verwalten"):
        st.info("Diese Seite ist der Administration vorbehalten.")
        return
    meldung = st.session_state.pop(MELDUNG, None)
    if meldung:
        st.success(g.md(meldung))
    with sitzung(g.engine(), akteur=None) as s:
        alle = dk.konten(s)
    raeume = {int(i): n for i, n in zip(*_sozialraeume(), strict=True)}
    st.dataframe(pd.DataFrame([{"Login": k.login, "Name": k.anzeigename, "Rolle": ROLLEN.get(k.rolle, k.rolle),
                                "Sozialraum": k.sozialraum or "", "Status": "aktiv" if k.aktiv else "gesperrt",
                                "Anmeldung": "nur Single Sign-on" if k.nur_sso else "Passwort"} for k in alle]),
                 hide_index=True, width="stretch")
    neu, aendern = st.tabs(["Neues Konto", "Konto ändern"])
    with neu:
        _neues_konto(raeume)
    with aendern:
        _konto_aendern(alle, raeume)


def _sozialraeume() -> tuple[list, list]:
    _stand, daten = g.aktuelle_daten()
    return list(daten.sozialraeume["id"]), list(daten.sozialraeume["name"])


seite()
