"""Seite „Budget“: je Sozialraum und Jahr Budget, geplant, genehmigt, ausgegeben und Rest je Art (R10, R12);
Genehmigung durch die Teamleitung ASD; Fortbildung/Supervision beschließt das Gremium selbst (5.3); die Teamleitung
erfasst umgesetzte Maßnahmen mit Ist-Kosten und Datum; Budgets setzt die Jugendhilfeplanung. Ein Jahr ohne
eingetragenes Budget zeigt „noch kein Budget eingetragen“ (nicht 0,00 €) und wer es einträgt. Übersicht und
Maßnahmen nach Art rechnen dieselben Funktionen wie der Jahresbericht."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analysen.gremium import BUDGET_SPALTEN, KEIN_BUDGET, budget_erlaeuterung, budget_uebersicht
from analysen.protokolle import MASSNAHMEN_SPALTEN, massnahmen_uebersicht
from daten import politik, werte
from daten.dienste import budget as dienst
from daten.dienste import massnahmen
from seiten import _gremium as gr
from seiten import gemeinsam as g


def _betrag(eingetragen: pd.Series, werte: pd.Series, ohne: str) -> pd.Series:
    """Beträge als Text; wo kein Budget eingetragen ist `ohne` statt 0,00 €."""
    return pd.Series([gr.eur(w) if e else ohne for e, w in zip(eingetragen, werte, strict=True)], index=werte.index,
                     dtype=object)


def _uebersicht(b: pd.DataFrame, m: pd.DataFrame, name: str, jahr: int) -> None:
    kommune = g.kommune()
    ub = budget_uebersicht(b, m, kommune.budgetkategorien, sozialraeume=[name], jahre=[jahr])
    st.subheader(f"Budget {g.md(name)} {g.md(jahr)}")
    if not ub["eingetragen"].all():
        fehlt = "" if not ub["eingetragen"].any() else ", ".join(ub.loc[~ub["eingetragen"], "bezeichnung"])
        st.info(g.md(dienst.kein_budget_meldung(jahr, name, fehlt or None)))
    for z in ub.itertuples():
        if z.warnung and z.eingetragen:
            st.warning(f"{g.md(z.bezeichnung)}: {g.md(z.warnung)}.")
    werte_ = {k: ub[k].map(gr.eur) for k in ("geplant", "genehmigt", "ausgegeben", "gebunden")}
    werte_ |= {"bezeichnung": ub["bezeichnung"], "budget": _betrag(ub["eingetragen"], ub["budget"], KEIN_BUDGET),
               "rest": _betrag(ub["eingetragen"], ub["rest"], "–"), "warnung": ub["warnung"]}
    st.dataframe(pd.DataFrame({titel: werte_[k] for k, titel in BUDGET_SPALTEN.items()}), hide_index=True,
                 width="stretch")
    st.caption(g.md(budget_erlaeuterung(kommune.budgetkategorien)))


def _nach_art(m: pd.DataFrame) -> None:
    """Maßnahmen nach Art – dieselbe Tabelle wie im Jahresbericht."""
    if m.empty:
        return
    u = massnahmen_uebersicht(m, g.kommune().massnahmenarten)
    zellen = {"kosten_geplant": u["kosten_geplant"].map(gr.eur),
              "kosten_ist": u["kosten_ist"].map(lambda v: "" if pd.isna(v) else gr.eur(v))}
    st.markdown("**Maßnahmen nach Art** (wie im Jahresbericht)")
    st.dataframe(pd.DataFrame({titel: zellen.get(k, u[k]) for k, titel in MASSNAHMEN_SPALTEN.items()}),
                 hide_index=True, width="stretch")


def _massnahmen(m: pd.DataFrame, sr_id: int) -> None:
    kommune = g.kommune()
    st.subheader("Maßnahmen")
    _nach_art(m)
    st.dataframe(pd.DataFrame({
        "ID": m["id"], "Titel": m["titel"], "Art": m["art"].map(kommune.massnahmenarten),
        "Status": m["status"].map(werte.MASSNAHME_STATUS), "geplant": m["kosten_geplant"].map(gr.eur),
        "Ist": m["kosten_ist"].map(lambda v: "" if pd.isna(v) else gr.eur(v)),
        "umgesetzt am": m["umgesetzt_am"], "genehmigt von": m["genehmigt_von"].fillna(""), "am": m["genehmigt_am"],
        "Beschlussvorlage": m["beschlussvorlage"].fillna(""), "Durchführung": m["durchfuehrung"].fillna("")}),
        hide_index=True, width="stretch")
    st.caption("Fortbildung, Supervision und Teamentwicklung beschließt das Gremium in eigener Verantwortung "
               "(5.3): „vom Gremium beschlossen“ braucht keine Genehmigung der Teamleitung. Fallübergreifende und "
               "fallunspezifische Maßnahmen genehmigt die Teamleitung ASD (4.2).")
    a = g.akteur()
    if politik.darf(a, "massnahme_genehmigen", politik.Ziel("massnahme_genehmigen", sr_id)):
        _genehmigen(m[(m["status"] == werte.MASSNAHME_BEANTRAGT)
                      & ~m["art"].map(lambda x: massnahmen.gremium_beschliesst(kommune, x))])
    if politik.darf(a, "massnahme_umsetzen", politik.Ziel("massnahme_umsetzen", sr_id)):
        _umsetzen(m[m["status"].isin([werte.MASSNAHME_GENEHMIGT, werte.MASSNAHME_BESCHLOSSEN])])


def _genehmigen(offen: pd.DataFrame) -> None:
    if not len(offen):
        return
    with st.form("genehmigen"):
        st.markdown("**Genehmigen oder ablehnen (Teamleitung ASD, R10)**")
        labels = {int(r.id): f"{r.titel} ({gr.eur(r.kosten_geplant)})" for r in offen.itertuples()}
        versionen = dict(zip(offen["id"].astype(int), offen["version"].astype(int), strict=True))
        mid = st.selectbox("Beantragte Maßnahme", list(labels), format_func=labels.get, placeholder="Bitte wählen …")
        grund = st.text_input("Begründung, falls das Budget überschritten wird (optional)")
        a, b = st.columns(2)
        ja, nein = a.form_submit_button("Genehmigen"), b.form_submit_button("Ablehnen")
        if ja or nein:
            gr.schreibe(lambda s, ak: massnahmen.entscheide_massnahme(s, ak, massnahme_id=mid, genehmigen=ja,
                                                                      ueberschreitung_grund=grund or None,
                                                                      version=versionen[mid]),
                        "Maßnahme genehmigt." if ja else "Maßnahme abgelehnt.")


def _umsetzen(entschieden: pd.DataFrame) -> None:
    """R10: die Teamleitung erfasst, was umgesetzt ist – Ist-Kosten und Datum (im Änderungsprotokoll)."""
    if not len(entschieden):
        return
    with st.form("umsetzen"):
        st.markdown("**Als umgesetzt erfassen (Teamleitung ASD)**")
        labels = {int(r.id): f"{r.titel} ({werte.MASSNAHME_STATUS[r.status]}, geplant {gr.eur(r.kosten_geplant)})"
                  for r in entschieden.itertuples()}
        geplant = dict(zip(entschieden["id"].astype(int), entschieden["kosten_geplant"].astype(float), strict=True))
        versionen = dict(zip(entschieden["id"].astype(int), entschieden["version"].astype(int), strict=True))
        mid = st.selectbox("Genehmigte oder beschlossene Maßnahme", list(labels), format_func=labels.get,
                           placeholder="Bitte wählen …")
        ist = st.number_input("Ist-Kosten (€)", min_value=0.0, step=10.0, value=None,
                              help="leer lassen = die geplanten Kosten")
        am = st.date_input("umgesetzt am", value=date.today(), max_value=date.today(), format="DD.MM.YYYY")
        grund = st.text_input("Begründung, falls die Ist-Kosten das Budget überschreiten (optional)")
        if st.form_submit_button("Als umgesetzt speichern"):
            betrag = geplant[mid] if ist is None else float(ist)
            gr.schreibe(lambda s, ak: massnahmen.massnahme_umsetzen(
                s, ak, massnahme_id=mid, kosten_ist=betrag, umgesetzt_am=am, version=versionen[mid],
                ueberschreitung_grund=grund or None), f"Maßnahme als umgesetzt erfasst ({gr.eur(betrag)}).")


def _budget_setzen(sr_id: int, jahr: int) -> None:
    kommune = g.kommune()
    eigene = [k for k in kommune.budgetkategorien if not k.anteil_von]
    with st.form("budget_setzen"):
        st.markdown("**Budget setzen (Jugendhilfeplanung)**")
        kat = st.selectbox("Kategorie", [k.schluessel for k in eigene],
                           format_func={k.schluessel: k.bezeichnung for k in eigene}.get, placeholder="Bitte wählen …")
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
    jahr = st.selectbox("Jahr", jahre, index=1, placeholder="Bitte wählen …")
    b, m = gr.lesen(lambda s: dienst.budgets_und_massnahmen(s, jahr=jahr, sozialraum_id=sr_id))
    _uebersicht(b, m, name, jahr)
    _massnahmen(m, sr_id)
    if politik.darf(g.akteur(), "budget_setzen", "budget_setzen"):
        _budget_setzen(sr_id, jahr)


seite()
