"""Gemeinsames der Gremiumsseiten (Sitzungen, Protokoll, Budget, Hospitationen): Auswahl, Rechte, Hervorheben."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from daten import dienste, politik
from daten.db import sitzung
from daten.fehler import RessourcenkarteFehler
from daten.gremium.datenschutz import ARTEN, Befund, abschnitte
from daten.politik import Akteur
from seiten import gemeinsam as g


def hervorgehoben(text: str, befunde: list[Befund]) -> str:
    """Markdown, in dem die Befunde rot hinterlegt und fett sind; aller Text maskiert (nie als Auszeichnung)."""
    teile = []
    for teil, art in abschnitte(text, befunde):
        teile.append(f":red-background[**{g.md(teil, zeilen=True)}**]" if art else g.md(teil, zeilen=True))
    return "".join(teile)


def befund_tabelle(befunde: list[Befund]) -> pd.DataFrame:
    return pd.DataFrame({"Art": [ARTEN[b.art] for b in befunde], "Fundstelle": [b.text for b in befunde],
                         "Zeichen": [f"{b.start}–{b.ende}" for b in befunde]})


def leitet(akteur: Akteur | None, sozialraum_id: int | None) -> bool:
    """Teamleitung ASD dieses Sozialraums oder Administration (plant, lädt ein, setzt Status)."""
    return politik.darf(akteur, "gremium_leiten", politik.Ziel("gremium_leiten", sozialraum_id))


def sozialraum_auswahl(daten: Any, *, schluessel: str = "gremium_sozialraum") -> tuple[str, int]:
    """Auswahl des Sozialraums (Standard: der eigene); gibt (Name, id) zurück."""
    srs = daten.sozialraeume
    namen = list(srs["name"])
    a = g.akteur()
    eigener = srs.loc[srs["id"] == a.sozialraum_id, "name"] if a and a.sozialraum_id else pd.Series(dtype=str)
    index = namen.index(eigener.iloc[0]) if len(eigener) else 0
    name = st.selectbox("Sozialraum", namen, index=index, key=schluessel, placeholder="Bitte wählen …")
    return name, int(srs.loc[srs["name"] == name, "id"].iloc[0])


def schreibe(aktion: Callable[[Any, Akteur], Any], erfolg: str, *,
             hinweise: Callable[[Any], list[str]] | None = None, aufraeumen: tuple[str, ...] = ()) -> None:
    """Führt `aktion(session, akteur)` über den einen Einstieg der Dienste aus (`daten.dienste.ausfuehren`: eine
    Transaktion, Wiederholung bei Sperre, deutsche Meldungen). Fehler: deutsche Meldung. Erfolg: Seite neu laden
    (damit alle Tabellen den neuen Stand zeigen) und die Meldung samt `hinweise(ergebnis)` oben anzeigen."""
    a = g.akteur()
    if a is None:
        st.error("Bitte zuerst anmelden.")
        return
    try:
        ergebnis = dienste.ausfuehren(g.engine(), a, aktion)
        zusatz = hinweise(ergebnis) if hinweise else []
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
        return
    for schluessel in aufraeumen:
        st.session_state.pop(schluessel, None)
    st.session_state["_gremium_meldung"] = (erfolg, zusatz)
    st.rerun()


def meldung() -> None:
    """Zeigt die Erfolgsmeldung der letzten Aktion (nach dem Neuladen) einmal an."""
    erfolg, zusatz = st.session_state.pop("_gremium_meldung", (None, []))
    if erfolg:  # fester Text der Seite; gespeicherte Werte darin maskiert sie selbst (tests/markdown_pruefung)
        st.success(erfolg)
    for h in zusatz:  # Hinweise der Dienste nennen gespeicherte Namen
        st.warning(g.md(h))


def lesen(funktion: Callable[[Any], Any]) -> Any:
    """Liest in einer Lesetransaktion; Fehler als Meldung und Seitenende."""
    try:
        with sitzung(g.engine(), akteur=None) as s:
            return funktion(s)
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
        st.stop()
        raise


def eur(x: float) -> str:
    return f"{x:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")


def sitzung_labels(sitzungen: pd.DataFrame) -> dict[int, str]:
    """Beschriftung der Sitzungsauswahl: Datum und Ort, ohne Status. Streamlit merkt sich die Wahl im Browser als
    Beschriftung; stünde der Status darin, passte sie nach „Status setzen“ zu keiner Option mehr, und die nächste
    Aktion träfe eine andere Sitzung. Gleiche Beschriftungen bekommen die Nummer der Sitzung dazu."""
    roh = {int(r.id): f"{r.datum:%d.%m.%Y} – {r.ort or 'ohne Ort'}" + (f" – {r.teilgremium}" if r.teilgremium else "")
           for r in sitzungen.itertuples()}
    doppelt = {v for v in roh.values() if list(roh.values()).count(v) > 1}
    return {i: f"{v} (Nr. {i})" if v in doppelt else v for i, v in roh.items()}
