"""Liste der Einträge, die lange nicht bestätigt wurden – je Zeile „stimmt noch“ oder „korrigieren“ mit einem Klick.
Gezeigt auf der Startseite der Teamleitung und auf der Pflege-Seite."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from daten import dienste, politik
from daten.db import sitzung
from daten.dienste import einrichtungen as de
from daten.dienste import frische
from daten.dienste import netzwerke as dn
from daten.fehler import RessourcenkarteFehler
from seiten import gemeinsam as g

AUSWAHL = "pflege_auswahl"  # dieselbe Auswahl wie auf der Pflege-Seite
REITER_WUNSCH = "pflege_reiter_wunsch"  # Reiter, den die Pflege-Seite beim nächsten Lauf öffnet
HOECHSTENS_KNOEPFE = 40
KOPF = ("Eintrag (Art)", "Ort", "zuletzt bestätigt", "Prüfen", "")


def faellige_liste(schluessel: str) -> None:
    """Fällige Einträge des eigenen Sozialraums (Administration/Jugendhilfeplanung: alle)."""
    monate = g.einstellungen().frische_monate
    with sitzung(g.engine(), akteur=None) as s:
        faellig = frische.faellige_eintraege(s, g.akteur(), monate=monate)
    st.subheader(f"Zu prüfen: länger als {g.md(monate)} Monate nicht bestätigt ({len(faellig)})")
    if not faellig:
        st.success("Alle Einträge sind aktuell bestätigt.")
        return
    st.caption("„Stimmt noch“ setzt das Bestätigungsdatum auf heute; „Korrigieren“ öffnet den Eintrag zum Bearbeiten.")
    darf = politik.darf(g.akteur(), "aendern", "einrichtung")
    arten = {a.schluessel: a.bezeichnung for a in g.kommune().einrichtungsarten} | {"Netzwerk": "Netzwerk"}
    breiten = [4, 2.4, 1.6, 1.8, 1.6]
    for spalte, kopf in zip(st.columns(breiten), KOPF, strict=True):  # Spaltenköpfe über den Zeilen
        spalte.markdown(f"**{kopf}**" if kopf else "")
    for f in faellig[:HOECHSTENS_KNOEPFE]:
        name, ort, datum, ok, korr = st.columns(breiten, vertical_alignment="center")
        name.text(f"{f.name} ({arten.get(f.art, f.art)})")
        ort.text(f.ort)
        datum.text(f"{f.bestaetigt_am:%d.%m.%Y}" if f.bestaetigt_am else "nie")
        if darf and ok.button("Stimmt noch", key=f"{schluessel}_ok_{f.tabelle}_{f.id}",
                              help=f"„{g.md(f.name)}“ als geprüft markieren"):
            _bestaetige(f)
        if darf and f.tabelle == "einrichtung" and korr.button("Korrigieren", key=f"{schluessel}_k_{f.id}"):
            st.session_state[AUSWAHL] = f.id
            st.session_state[REITER_WUNSCH] = "Einrichtung bearbeiten"
            st.session_state.pop("pflege_geladen", None)
            if st.session_state.get("pflege_reiter") is not None:  # schon auf der Pflege-Seite
                st.rerun()
            st.switch_page("seiten/pflege.py")
    if len(faellig) > HOECHSTENS_KNOEPFE:
        st.caption(f"… und {len(faellig) - HOECHSTENS_KNOEPFE} weitere (Tabelle):")
        st.dataframe(pd.DataFrame([{"Name": f.name, "Ort": f.ort, "zuletzt bestätigt": f.bestaetigt_am}
                                   for f in faellig[HOECHSTENS_KNOEPFE:]]), hide_index=True)


def _bestaetige(f: frische.Faellig) -> None:
    try:
        if f.tabelle == "einrichtung":
            dienste.ausfuehren(g.engine(), g.akteur(), de.bestaetige_einrichtung, einrichtung_id=f.id,
                               version=f.version)
        else:
            dienste.ausfuehren(g.engine(), g.akteur(), dn.bestaetige_netzwerk, netzwerk_id=f.id, version=f.version)
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
    else:
        st.session_state["pflege_meldung"] = f"„{f.name}“ bestätigt."
        st.rerun()
