"""Pflege-Seite, Teil „Netzwerke“: anlegen, umbenennen, Status, Mitglieder aus einer Liste, Koordination."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from daten import dienste
from daten.db import sitzung
from daten.dienste import netzwerke as dn
from daten.dienste import verlauf as dv
from daten.fehler import KonfliktFehler, RessourcenkarteFehler
from daten.politik import darf_schreiben
from seiten import _pflege_einrichtung as pe
from seiten import _pflege_verlauf as verlauf
from seiten import gemeinsam as g

NEU = 0
KONFLIKT = "netz_konflikt"
GELADEN = "netz_geladen_"


def netzwerke(sozialraum_id: int | None, einrichtungen: dict[int, str]) -> None:
    """`einrichtungen`: wählbare Mitglieder (id → Anzeige), z. B. die offenen Einrichtungen des Bereichs."""
    with sitzung(g.engine(), akteur=None) as s:
        liste = dn.netzwerke_im_bereich(s, sozialraum_id)
    optionen = [NEU, *(n["id"] for n in liste)]
    namen = {NEU: "➕ Neues Netzwerk"} | {n["id"]: n["name"] for n in liste}
    wahl = st.selectbox("Netzwerk", optionen, format_func=namen.get, key="netz_wahl",
                        index=1 if len(optionen) > 1 else 0, placeholder="Bitte wählen …")
    if wahl == NEU:
        _neu(sozialraum_id, einrichtungen)
        return
    n = next(x for x in liste if x["id"] == wahl)
    if _konflikt(n):
        return
    # Das Formular bleibt auf dem Stand, mit dem die Bearbeitung begann (auch wenn jemand anderes inzwischen
    # speichert): sonst verschwänden Eingaben beim nächsten Lauf, und gespeichert würde gegen den neuen Stand.
    frisch, n = n, st.session_state.setdefault(f"{GELADEN}{n['id']}", n)
    if frisch["version"] != n["version"]:
        st.info("Dieses Netzwerk wurde inzwischen geändert. Beim Speichern sehen Sie beide Stände nebeneinander; "
                "„Neu laden“ zeigt den gespeicherten Stand.")
    akteur = g.akteur()
    darf = akteur is not None and darf_schreiben(akteur, "netzwerk", n["sozialraum_id"])
    if not darf:
        st.info("Nur lesen: dieses Netzwerk pflegt die Teamleitung seines Sozialraums bzw. die Administration.")
    werte = _formular(f"n{n['id']}v{n['version']}", n, einrichtungen | n["mitglieder"], gesperrt=not darf)
    st.caption(f"Stand {g.md(n['version'])}" + (f" · zuletzt bestätigt: {n['bestaetigt_am']:%d.%m.%Y}"
                                               if n["bestaetigt_am"] else ""))
    links, rechts = st.columns(2)
    if darf and links.button("Netzwerk speichern", type="primary", key=f"n{n['id']}_speichern"):
        mitglieder = werte.pop("mitglieder")
        felder = {k: v for k, v in werte.items() if v != n.get(k)}
        try:
            dienste.ausfuehren(g.engine(), akteur, dn.speichere_netzwerk, netzwerk_id=n["id"], version=n["version"],
                               mitglieder=mitglieder, **felder)
        except KonfliktFehler as exc:  # jemand war schneller: beide Stände nebeneinander (nächster Lauf)
            st.session_state[KONFLIKT] = {"id": n["id"], "meldung": str(exc), "geladen": n, "felder": felder,
                                          "mitglieder": mitglieder}
            st.session_state.pop(f"{GELADEN}{n['id']}", None)
            st.rerun()
        except RessourcenkarteFehler as exc:
            g.zeige_fehler(exc)
        else:
            _erfolg("Netzwerk gespeichert.")
    if darf and links.button("Neu laden", key=f"n{n['id']}_neu", help="Eingaben verwerfen, gespeicherten Stand zeigen"):
        _vergessen()
        st.rerun()
    if darf and rechts.button("Stimmt noch (bestätigen)", key=f"n{n['id']}_ok"):
        _ausfuehren(lambda: dienste.ausfuehren(g.engine(), akteur, dn.bestaetige_netzwerk, netzwerk_id=n["id"],
                                               version=n["version"]), "Netzwerk bestätigt.")
    with st.expander("Verlauf", key=f"verlauf_netzwerk_{n['id']}"):
        verlauf.zeige_verlauf("netzwerk", n["id"], n["version"], darf=darf, nach_erfolg=_erfolg)


def _formular(schluessel: str, n: dict, einrichtungen: dict[int, str], *, gesperrt: bool = False) -> dict:
    status = list(dn.NETZWERK_STATUS)
    name = st.text_input("Name des Netzwerks", value=n.get("name") or "", key=f"{schluessel}_name", disabled=gesperrt)
    st_wahl = st.radio("Status", status, format_func=dn.NETZWERK_STATUS.get, horizontal=True, disabled=gesperrt,
                       index=status.index(n["status"]) if n.get("status") in status else 0, key=f"{schluessel}_status")
    beschreibung = st.text_area("Beschreibung", value=n.get("beschreibung") or "", key=f"{schluessel}_beschr",
                                disabled=gesperrt)
    ids = list(einrichtungen)
    mitglieder = st.multiselect("Mitglieder", ids, default=[i for i in n.get("mitglieder", {}) if i in einrichtungen],
                                format_func=einrichtungen.get, key=f"{schluessel}_mitglieder", disabled=gesperrt,
                                placeholder="Einrichtungen wählen (Tippen filtert)",
                                select_all=False)  # kein „Alle auswählen“: alle Einrichtungen wären Mitglied
    koord = st.selectbox("Koordinierende Einrichtung", [None, *mitglieder], disabled=gesperrt,
                         format_func=lambda i: "keine" if i is None else einrichtungen.get(i, str(i)),
                         index=([None, *mitglieder].index(n.get("koordination_id"))
                                if n.get("koordination_id") in mitglieder else 0), key=f"{schluessel}_koord",
                         placeholder="Bitte wählen …")
    return {"name": name.strip(), "status": st_wahl, "beschreibung": beschreibung.strip() or None,
            "koordination_id": koord, "mitglieder": list(mitglieder)}


def _neu(sozialraum_id: int | None, einrichtungen: dict[int, str]) -> None:
    runde = st.session_state.setdefault("netz_neu_runde", 0)
    werte = _formular(f"netzneu{runde}", {}, einrichtungen)
    if st.button("Netzwerk anlegen", type="primary", key=f"netzneu{runde}_anlegen"):
        def anlegen():  # noqa: ANN202
            n = dienste.ausfuehren(g.engine(), g.akteur(), dn.lege_netzwerk_an, sozialraum_id=sozialraum_id,
                                   **werte)
            st.session_state["netz_neu_runde"] = runde + 1  # leeres Formular für das nächste
            return n
        _ausfuehren(anlegen, "Netzwerk angelegt.")


def _ausfuehren(aufruf, text: str) -> None:  # noqa: ANN001
    try:
        aufruf()
    except KonfliktFehler as exc:
        g.zeige_fehler(exc)
        _vergessen()  # der nächste Lauf zeigt den gespeicherten Stand
        if st.button("Neu laden", key="netz_neu_laden"):
            st.rerun()
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
    else:
        _erfolg(text)


def _zum_vergleich(n: dict, felder: dict | None = None, mitglieder: list[int] | None = None) -> dict:
    """Stand eines Netzwerks als lesbare Werte (Namen statt ids), optional mit einer Eingabe darüber."""
    namen = dict(n["mitglieder"])
    w = {k: n.get(k) for k in ("name", "status", "beschreibung", "koordination_id")} | (felder or {})
    ids = list(n["mitglieder"]) if mitglieder is None else mitglieder
    w["koordination_id"] = namen.get(w["koordination_id"], w["koordination_id"])
    w["status"] = dn.NETZWERK_STATUS.get(w["status"], w["status"])
    return w | {"mitglieder": sorted(namen.get(i, f"Einrichtung {i}") for i in ids)}


def _konflikt(n: dict) -> bool:
    """Konfliktansicht, falls das Speichern dieses Netzwerks an einer fremden Änderung scheiterte.

    Nebeneinander: Ausgangsstand, jetzt gespeicherter Stand, eigene Eingabe. Neu laden verwirft die Eingabe;
    Anwenden legt die eigenen Feldänderungen und Mitglieder-Zu-/Abgänge auf den neuen Stand (nie still
    überschrieben: die Änderungen der anderen Person an anderen Feldern und Mitgliedern bleiben).
    """
    k = st.session_state.get(KONFLIKT)
    if not k or k["id"] != n["id"]:
        return False
    alt = k["geladen"]
    st.warning(g.md(k["meldung"]), icon="⚠️")
    eingabe = _zum_vergleich(alt | {"mitglieder": alt["mitglieder"] | n["mitglieder"]}, k["felder"], k["mitglieder"])
    zeilen = dv.vergleiche(_zum_vergleich(alt), _zum_vergleich(n), eingabe)
    st.markdown("**Ihre Eingabe und der inzwischen gespeicherte Stand nebeneinander**")
    st.table(pd.DataFrame(zeilen), hide_index=True,
             alt="Vergleich: Ihr Ausgangsstand, der jetzt gespeicherte Stand und Ihre Eingabe")
    links, rechts = st.columns(2)
    if links.button("Neu laden (meine Eingabe verwerfen)", key="netz_konflikt_neu"):
        _vergessen()
        st.rerun()
    if rechts.button("Meine Änderungen auf den neuen Stand anwenden", key="netz_konflikt_anwenden"):
        vorher, ihre = set(alt["mitglieder"]), set(k["mitglieder"])
        soll = [i for i in n["mitglieder"] if i not in vorher - ihre] + sorted(ihre - vorher - set(n["mitglieder"]))
        try:
            dienste.ausfuehren(g.engine(), g.akteur(), dn.speichere_netzwerk, netzwerk_id=n["id"], version=n["version"],
                               mitglieder=soll, **k["felder"])
        except KonfliktFehler as exc:  # schon wieder jemand schneller: neuer Vergleich gegen den neuen Stand
            st.session_state[KONFLIKT] = k | {"meldung": str(exc), "geladen": n}
            st.rerun()
        except RessourcenkarteFehler as exc:
            g.zeige_fehler(exc)
        else:
            _erfolg("Ihre Änderungen wurden auf den neuen Stand angewendet.")
    return True


def _vergessen() -> None:
    """Gemerkte Ausgangsstände und Konflikt vergessen: die Formulare zeigen wieder den gespeicherten Stand."""
    for k in [k for k in st.session_state if str(k).startswith(GELADEN)]:
        del st.session_state[k]
    st.session_state.pop(KONFLIKT, None)


def _erfolg(text: str) -> None:
    _vergessen()
    pe.erfolg(text)
