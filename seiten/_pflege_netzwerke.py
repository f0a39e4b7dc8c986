"""Pflege-Seite, Teil „Netzwerke“: anlegen, umbenennen, Status, Mitglieder aus einer Liste, Koordination."""

from __future__ import annotations

import streamlit as st

from daten import dienste
from daten.db import sitzung
from daten.dienste import netzwerke as dn
from daten.fehler import KonfliktFehler, RessourcenkarteFehler
from daten.rechte import darf_schreiben
from seiten import _pflege_einrichtung as pe
from seiten import _pflege_verlauf as verlauf
from seiten import gemeinsam as g

NEU = 0


def netzwerke(sozialraum_id: int | None, einrichtungen: dict[int, str]) -> None:
    """`einrichtungen`: wählbare Mitglieder (id → Anzeige), z. B. die offenen Einrichtungen des Bereichs."""
    with sitzung(g.engine(), akteur=None) as s:
        liste = dn.netzwerke_im_bereich(s, sozialraum_id)
    optionen = [NEU, *(n["id"] for n in liste)]
    namen = {NEU: "➕ Neues Netzwerk"} | {n["id"]: n["name"] for n in liste}
    wahl = st.selectbox("Netzwerk", optionen, format_func=namen.get, key="netz_wahl",
                        index=1 if len(optionen) > 1 else 0)
    if wahl == NEU:
        _neu(sozialraum_id, einrichtungen)
        return
    n = next(x for x in liste if x["id"] == wahl)
    akteur = g.akteur()
    darf = akteur is not None and darf_schreiben(akteur, "netzwerk", n["sozialraum_id"])
    if not darf:
        st.info("Nur lesen: dieses Netzwerk pflegt die Teamleitung seines Sozialraums bzw. die Administration.")
    werte = _formular(f"n{n['id']}v{n['version']}", n, einrichtungen | n["mitglieder"], gesperrt=not darf)
    st.caption(f"Stand {n['version']}" + (f" · zuletzt bestätigt: {n['bestaetigt_am']:%d.%m.%Y}"
                                         if n["bestaetigt_am"] else ""))
    links, rechts = st.columns(2)
    if darf and links.button("Netzwerk speichern", type="primary", key=f"n{n['id']}_speichern"):
        mitglieder = werte.pop("mitglieder")
        felder = {k: v for k, v in werte.items() if v != n.get(k)}
        _ausfuehren(lambda: dienste.ausfuehren(g.engine(), akteur, dn.speichere_netzwerk, n["id"],
                                               version=n["version"], mitglieder=mitglieder, **felder),
                    "Netzwerk gespeichert.")
    if darf and rechts.button("Stimmt noch (bestätigen)", key=f"n{n['id']}_ok"):
        _ausfuehren(lambda: dienste.ausfuehren(g.engine(), akteur, dn.bestaetige_netzwerk, n["id"],
                                               version=n["version"]), "Netzwerk bestätigt.")
    with st.expander("Verlauf", key=f"verlauf_netzwerk_{n['id']}"):
        verlauf.zeige_verlauf("netzwerk", n["id"], n["version"], darf=darf, nach_erfolg=pe.erfolg)


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
                                placeholder="Einrichtungen wählen (Tippen filtert)")
    koord = st.selectbox("Koordinierende Einrichtung", [None, *mitglieder], disabled=gesperrt,
                         format_func=lambda i: "keine" if i is None else einrichtungen.get(i, str(i)),
                         index=([None, *mitglieder].index(n.get("koordination_id"))
                                if n.get("koordination_id") in mitglieder else 0), key=f"{schluessel}_koord")
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
        if st.button("Neu laden", key="netz_neu_laden"):
            st.rerun()
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
    else:
        pe.erfolg(text)
