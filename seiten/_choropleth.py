"""Auswahl der Choroplethe (Indikator je Stadtteil) und ihre Textfassung als Tabelle.

Die Auswahl wird zuerst aus dem Sitzungszustand gelesen (`aus_zustand`), damit die Karte vor den Widgets
gezeichnet werden kann; `widgets` zeigt danach dieselben Felder mit denselben Schlüsseln.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from analysen.auswahl import grenzen_text, grenzen_vorschlag, lies_zahlen
from daten.config import Kommune
from daten.fehler import EingabeFehler
from karte import KLASSIFIKATIONEN
from karte.choropleth import indikatorwerte, klassifiziere
from seiten import gemeinsam as g


def _bezeichnung(kommune: Kommune, schluessel: str) -> str:
    return next((mk.bezeichnung for mk in kommune.merkmale if mk.schluessel == schluessel), schluessel)


@dataclass
class Zustand:
    """Gewählte Choroplethe (`wahl` für `baue_karte(choropleth=…)`) und was die Widgets dazu brauchen."""

    wahl: dict | None = None
    fehler: str | None = None
    jahre: list[int] = field(default_factory=list)
    grenzen_schluessel: str = ""
    vorschlag: str = ""


def _gueltig(schluessel: str, optionen: list, standard: object) -> object:
    wert = st.session_state.get(schluessel, standard)
    if wert not in optionen:
        st.session_state.pop(schluessel, None)
        return standard
    return wert


def aus_zustand(kommune: Kommune, indikatoren: pd.DataFrame) -> Zustand:
    """Die Auswahl aus dem Sitzungszustand; ungültige Werte (z. B. Jahr ohne Daten) fallen auf den Standard.

    Bezüge („je 1.000 …“) nur, wo die Konfiguration sie für das Merkmal nennt (`merkmale[].bezuege`); eigene
    Grenzen mit einem Vorschlag aus den Daten dieses Indikators (Quartile, gerundet).
    """
    merkmale = {mk.schluessel: mk for mk in kommune.merkmale}
    z = Zustand()
    schluessel = _gueltig("c_merkmal", ["", *merkmale], "")
    if not schluessel or indikatoren.empty:
        return z
    mk = merkmale[schluessel]
    z.jahre = sorted({int(j) for j in indikatoren.loc[indikatoren["merkmal"] == schluessel, "jahr"]}, reverse=True)
    if not z.jahre:
        z.fehler = "Für diesen Indikator liegen noch keine Werte vor."
        return z
    jahr = _gueltig("c_jahr", z.jahre, z.jahre[0])
    bezug = _gueltig("c_bezug", ["", *mk.bezuege], "") or None
    klass = _gueltig("c_klass", list(KLASSIFIKATIONEN), "quantile")
    klassen = int(st.session_state.get("c_klassen", 5))
    grenzen = None
    if klass == "eigene":
        z.grenzen_schluessel = f"c_grenzen_{schluessel}_{bezug}_{jahr}"  # je Indikator ein eigener Vorschlag
        z.vorschlag = grenzen_text(grenzen_vorschlag(indikatorwerte(indikatoren, merkmal=schluessel, jahr=jahr,
                                                                    bezug=bezug)))
        try:
            grenzen = lies_zahlen(st.session_state.get(z.grenzen_schluessel, z.vorschlag))
        except EingabeFehler as exc:
            z.fehler = str(exc)
            return z
    z.wahl = {"merkmal": schluessel, "jahr": int(jahr), "bezug": bezug, "klassifikation": klass,
              "klassen": klassen, "grenzen": grenzen}
    return z


def widgets(kommune: Kommune, z: Zustand) -> None:
    """Die Felder der Choroplethe (Werte aus dem Sitzungszustand, siehe `aus_zustand`)."""
    merkmale = {mk.schluessel: mk for mk in kommune.merkmale}
    with st.expander("Indikator je Stadtteil (Choroplethe)", expanded=False):
        schluessel = st.selectbox("Indikator", ["", *merkmale], key="c_merkmal",
                                  format_func=lambda k: f"{merkmale[k].bezeichnung} ({merkmale[k].einheit})"
                                  if k else "keiner", placeholder="Bitte wählen …")
        if not schluessel:
            return
        if not z.jahre:
            st.info(g.md(z.fehler) if z.fehler else "Keine Werte.")
            return
        mk = merkmale[schluessel]
        st.selectbox("Jahr", z.jahre, key="c_jahr", placeholder="Bitte wählen …")
        if mk.bezuege:
            st.selectbox("Bezug", ["", *mk.bezuege], key="c_bezug",
                         format_func=lambda k: f"je 1.000 {_bezeichnung(kommune, k)}" if k
                         else f"absolut ({mk.einheit})", placeholder="Bitte wählen …")
        klass = st.selectbox("Klassifikation", list(KLASSIFIKATIONEN), key="c_klass",
                             format_func=KLASSIFIKATIONEN.get, placeholder="Bitte wählen …")
        if klass != "eigene":  # bei eigenen Grenzen ergibt sich die Zahl der Klassen aus den Grenzen
            st.slider("Anzahl Klassen", 3, 7, 5, key="c_klassen")
            return
        st.text_input("Eigene Klassengrenzen (mit ; getrennt)", z.vorschlag, key=z.grenzen_schluessel,
                      help="Zahlen in deutscher (1.000; 2.500 oder 1,5; 2,5) oder englischer Schreibweise "
                           "(1000.5). Der Vorschlag teilt die Werte dieses Jahres in vier gleich große Gruppen. "
                           "Mit der Eingabetaste übernehmen.")
        if z.fehler:
            st.warning(g.md(z.fehler))
        elif z.wahl and z.wahl["grenzen"]:
            grenzen = z.wahl["grenzen"]
            st.caption(f"{len(grenzen) + 1} Klassen, Grenzen: "
                       + " · ".join(g.zahl(x, 0 if float(x).is_integer() else 2) for x in grenzen))


def tabelle(kommune: Kommune, indikatoren: pd.DataFrame, stadtteile: pd.DataFrame, wahl: dict | None,
            *, sozialraum: str | None = None) -> None:
    """Textfassung der Choroplethe: Wert und Klasse je Stadtteil, absteigend nach Wert."""
    if wahl is None:
        st.caption("Keine Choroplethe gewählt. Unter „Indikator je Stadtteil“ lässt sich ein Indikator "
                   "auf der Karte einfärben; seine Werte stehen dann hier.")
        return
    mk = next(m for m in kommune.merkmale if m.schluessel == wahl["merkmal"])
    einheit = f"je 1.000 {_bezeichnung(kommune, wahl['bezug'])}" if wahl["bezug"] else mk.einheit
    werte = indikatorwerte(indikatoren, merkmal=wahl["merkmal"], jahr=wahl["jahr"], bezug=wahl["bezug"])
    teile = stadtteile[["name", "sozialraum"]].copy()
    teile["wert"] = teile["name"].map(werte).astype(float)
    kl = klassifiziere(teile["wert"].tolist(), klassifikation=wahl["klassifikation"], klassen=wahl["klassen"],
                       grenzen=wahl["grenzen"], einheit=einheit if len(einheit) <= 3 else "")
    teile["klasse"] = [kl.beschriftungen[k] if k is not None else "keine Daten" for k in kl.zuordnung]
    if sozialraum:
        teile = teile[teile["sozialraum"] == sozialraum]
    teile = teile.sort_values("wert", ascending=False, na_position="last")
    stellen = 0 if teile["wert"].dropna().map(float.is_integer).all() else 1
    st.markdown(f"**{g.md(mk.bezeichnung)} {g.md(wahl['jahr'])}** ({g.md(einheit)})")
    st.dataframe(pd.DataFrame({
        "Stadtteil": teile["name"], "Sozialraum": teile["sozialraum"],
        f"Wert ({einheit})": teile["wert"].map(lambda v: g.zahl(v, stellen)), "Klasse auf der Karte": teile["klasse"],
    }), hide_index=True, width="stretch")
