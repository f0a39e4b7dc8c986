"""Seite „Budget“: je Sozialraum und Jahr Budget, geplant, genehmigt, ausgegeben und Rest je Art (R10, R12);
Genehmigung durch die Teamleitung ASD; Budgets setzt die Jugendhilfeplanung. Ein Jahr ohne eingetragenes Budget
zeigt „noch kein Budget eingetragen“ (nicht 0,00 €) und wer es einträgt."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analysen.gremium import KEIN_BUDGET, budget_uebersicht
from daten import politik
from daten.dienste import budget as dienst
from daten.dienste import massnahmen
from seiten import _gremium as gr
from seiten import gemeinsam as g

STATUS = {"beantragt": "beantragt", "genehmigt": "genehmigt", "umgesetzt": "umgesetzt", "abgelehnt": "abgelehnt"}


def _betrag(eingetragen: pd.Series, werte: pd.Series, ohne: str) -> pd.Series:
    """Beträge als Text; wo kein Budget eingetragen ist `ohne` statt 0,00 €."""
    return pd.Series([gr.eur(w) if e else ohne for e, w in zip(eingetragen, werte, strict=True)], index=werte.index,
                     dtype=object)


def _uebersicht(b: pd.DataFrame, m: pd.DataFrame, name: str, jahr: int) -> None:
    kommune = g.kommune()
    ub = budget_uebersicht(b, m, kommune.budgetkategorien, sozialraeume=[name], jahre=[jahr])
    st.subheader(f"Budget {name} {jahr}")
    if not ub["eingetragen"].all():
        fehlt = "" if not ub["eingetragen"].any() else ", ".join(ub.loc[~ub["eingetragen"], "bezeichnung"])
        st.info(dienst.kein_budget_meldung(jahr, name, fehlt or None))
    for z in ub.itertuples():
        if z.warnung and z.eingetragen:
            st.warning(f"{z.bezeichnung}: {z.warnung}.")
    st.dataframe(pd.DataFrame({
        "Art": ub["bezeichnung"], "Budget": _betrag(ub["eingetragen"], ub["budget"], KEIN_BUDGET),
        "geplant": ub["geplant"].map(gr.eur), "genehmigt": ub["genehmigt"].map(gr.eur),
        "ausgegeben": ub["ausgegeben"].map(gr.eur), "Rest": _betrag(ub["eingetragen"], ub["rest"], "–"),
        "Warnung": ub["warnung"]}), hide_index=True, width="stretch")
    st.caption("Rest = Budget − gebunden (geplante bzw. höhere Ist-Kosten aller nicht abgelehnten Maßnahmen). "
               "Fortbildung/Supervision/Teamentwicklung kommt aus dem fallunspezifischen Budget (höchstens "
               "1.500 € im Jahr, R12).")


def _massnahmen(m: pd.DataFrame, darf_genehmigen: bool) -> None:
    kommune = g.kommune()
    st.subheader("Maßnahmen")
    st.dataframe(pd.DataFrame({
        "ID": m["id"], "Titel": m["titel"], "Art": m["art"].map(kommune.massnahmenarten), "Status": m["status"],
        "geplant": m["kosten_geplant"].map(gr.eur),
        "Ist": m["kosten_ist"].map(lambda v: "" if pd.isna(v) else gr.eur(v)),
        "genehmigt von": m["genehmigt_von"].fillna(""), "am": m["genehmigt_am"],
        "Beschlussvorlage": m["beschlussvorlage"].fillna(""), "Durchführung": m["durchfuehrung"].fillna("")}),
        hide_index=True, width="stretch")
    offen = m[m["status"] == "beantragt"]
    if darf_genehmigen and len(offen):
        with st.form("genehmigen"):
            st.markdown("**Genehmigen oder ablehnen (Teamleitung ASD, R10)**")
            labels = {int(r.id): f"{r.titel} ({gr.eur(r.kosten_geplant)})" for r in offen.itertuples()}
            mid = st.selectbox("Beantragte Maßnahme", list(labels), format_func=labels.get)
            grund = st.text_input("Begründung, falls das Budget überschritten wird (optional)")
            a, b = st.columns(2)
            ja, nein = a.form_submit_button("Genehmigen"), b.form_submit_button("Ablehnen")
            if ja or nein:
                gr.schreibe(lambda s, ak: massnahmen.entscheide_massnahme(s, ak, massnahme_id=mid, genehmigen=ja,
                                                                          ueberschreitung_grund=grund or None),
                            "Maßnahme genehmigt." if ja else "Maßnahme abgelehnt.")


def _budget_setzen(sr_id: int, jahr: int) -> None:
    kommune = g.kommune()
    eigene = [k for k in kommune.budgetkategorien if not k.anteil_von]
    with st.form("budget_setzen"):
        st.markdown("**Budget setzen (Jugendhilfeplanung)**")
        kat = st.selectbox("Kategorie", [k.schluessel for k in eigene],
                           format_func={k.schluessel: k.bezeichnung for k in eigene}.get)
        betrag = st.number_input("Betrag (€)", min_value=0.0, step=500.0)
        if st.form_submit_button("Budget speichern"):
            gr.schreibe(lambda s, a: dienst.setze_budget(s, a, sozialraum_id=sr_id, jahr=jahr, kategorie=kat,
                                                         betrag_eur=betrag), "Budget gespeichert.")


def seite() -> None:
    st.title("Budget und Maßnahmen")
    gr.meldung()
    _, daten = g.aktuelle_daten()
    name, sr_id = gr.sozialraum_auswahl(daten, schluessel="budget_sozialraum")
    jahre = list(range(date.today().year + 1, 2019, -1))
    jahr = st.selectbox("Jahr", jahre, index=1)
    b, m = gr.lesen(lambda s: dienst.budgets_und_massnahmen(s, jahr=jahr, sozialraum_id=sr_id))
    _uebersicht(b, m, name, jahr)
    a = g.akteur()
    teamleitung = politik.darf(a, "massnahme_genehmigen", politik.Ziel("massnahme_genehmigen", sr_id))
    _massnahmen(m, teamleitung)
    if politik.darf(a, "budget_setzen", "budget_setzen"):
        _budget_setzen(sr_id, jahr)


seite()
