"""Seite „Hospitationen und Reflexion“: gegenseitige Hospitationen (R13, gezählt je Sozialraum und Jahr; Kita → Kita
markiert) und die jährliche Reflexion mit der Lenkungsgruppe (R11), dokumentiert von der Jugendhilfeplanung."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analysen.gremium import hospitation_markiert, hospitationen_je_jahr
from daten import politik
from daten.dienste import hospitationen as dienst
from daten.dienste import reflexion
from seiten import _gremium as gr
from seiten import gemeinsam as g


def _hospitationen(daten) -> None:  # noqa: ANN001
    kommune = g.kommune()
    h = gr.lesen(dienst.hospitationen)
    markiert = kommune.gremium.hospitation_markieren
    st.subheader("Hospitationen je Sozialraum und Jahr")
    zahl = hospitationen_je_jahr(h, markieren=markiert, sozialraeume=list(daten.sozialraeume["name"]))
    st.dataframe(zahl.rename(columns={"sozialraum": "Sozialraum", "jahr": "Jahr", "anzahl": "Hospitationen",
                                      "personen": "Personen", "gleiche_art": "davon gleiche Art (markiert)"}),
                 hide_index=True, width="stretch")
    name, _ = gr.sozialraum_auswahl(daten, schluessel="hosp_sozialraum")
    eigene = h[h["sozialraum"] == name]
    st.dataframe(pd.DataFrame({
        "Datum": eigene["datum"].map(g.datum), "von": eigene["von"], "nach": eigene["nach"],
        "Personen": eigene["anzahl_personen"],
        "Arbeitsfeld": eigene["bereich"], "Zweck": eigene["zweck"],
        "Markierung": [("gleiche Art" if hospitation_markiert(v, n, markiert) else "")
                       for v, n in zip(eigene["von_art"], eigene["nach_art"], strict=True)]}),
        hide_index=True, width="stretch")
    a = g.akteur()
    ein = daten.einrichtungen[daten.einrichtungen["sozialraum"] == name]
    if politik.darf(a, "anlegen", "hospitation") and len(ein) > 1:
        with st.form("hospitation"):
            st.markdown("**Hospitation eintragen**")
            namen = dict(zip(ein["id"], ein["name"], strict=True))
            von = st.selectbox("von (Einrichtung)", list(namen), format_func=namen.get, placeholder="Bitte wählen …")
            nach = st.selectbox("nach (Einrichtung)", list(namen), index=1, format_func=namen.get,
                                placeholder="Bitte wählen …")
            datum = st.date_input("Datum", format="DD.MM.YYYY")
            personen = st.number_input("Anzahl Personen", min_value=1, value=1, step=1)
            zweck = st.text_input("Zweck (welches Arbeitsfeld kennenlernen?)")
            if st.form_submit_button("Hospitation speichern"):
                gr.schreibe(lambda s, ak: dienst.trage_hospitation_ein(
                    s, ak, kommune=kommune, von_id=int(von), nach_id=int(nach), datum=datum,
                    anzahl_personen=int(personen), zweck=zweck), "Hospitation gespeichert.",
                    hinweise=lambda erg: erg[1])


def _reflexion() -> None:
    kommune = g.kommune()
    st.subheader("Jährliche Reflexion mit der Lenkungsgruppe")
    st.caption("Lenkungsgruppe: " + "; ".join(kommune.gremium.lenkungsgruppe))
    r = gr.lesen(reflexion.reflexionen)
    arten = {"gemeinsam": "Delegierte + Lenkungsgruppe", "lenkungsgruppe": "Lenkungsgruppe allein"}
    st.dataframe(pd.DataFrame({"Jahr": r["jahr"], "Datum": r["datum"].map(g.datum), "Art": r["art"].map(arten),
                               "Zeitraum bis": r["zeitraum_bis"].map(g.datum), "Ergebnisse": r["ergebnisse"],
                               "Vorschläge": r["vorschlaege"], "dokumentiert von": r["dokumentiert_von"]}),
                 hide_index=True, width="stretch")
    a = g.akteur()
    if politik.darf(a, "anlegen", "reflexion"):
        with st.form("reflexion"):
            st.markdown("**Reflexion dokumentieren (Jugendhilfeplanung)**")
            jahr = st.number_input("Betrachtetes Jahr", min_value=2020, max_value=2100, value=date.today().year - 1)
            datum = st.date_input("Datum der Sitzung", format="DD.MM.YYYY")
            art = st.selectbox("Art", list(arten), format_func=arten.get, placeholder="Bitte wählen …")
            vor = {int(x.id): f"{x.datum:%d.%m.%Y}" for x in r[r["art"] == "gemeinsam"].itertuples()}
            vorsitzung = st.selectbox("gemeinsame Sitzung davor (nur für die Lenkungsgruppe)", [None, *vor],
                                      format_func=lambda i: "–" if i is None else vor[i],
                                      placeholder="Bitte wählen …")
            ergebnisse = st.text_area("Ergebnisse")
            vorschlaege = st.text_area("Vorschläge zur Fortschreibung")
            if st.form_submit_button("Reflexion speichern"):
                gr.schreibe(lambda s, ak: reflexion.dokumentiere_reflexion(
                    s, ak, jahr=int(jahr), datum=datum, art=art, ergebnisse=ergebnisse, vorschlaege=vorschlaege,
                    vorsitzung_id=vorsitzung, teilnehmende=arten[art]), "Reflexion gespeichert.")


def seite() -> None:
    st.title("Hospitationen und Reflexion")
    gr.meldung()
    _, daten = g.aktuelle_daten()
    _hospitationen(daten)
    _reflexion()


seite()
