"""Seite „Hospitationen und Reflexion“: gegenseitige Hospitationen (R13, gezählt je Sozialraum und Jahr; Kita → Kita
markiert), die jährliche Reflexion mit der Lenkungsgruppe (R11, 5.2: gemeinsam mit den Delegierten je Gremium, danach
die Lenkungsgruppe allein), dokumentiert von der Jugendhilfeplanung, und der Bericht jeder Teamleitung an die
Lenkungsgruppe (4.2) als Stand je Sozialraum und Jahr („erstattet am … / fehlt“)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analysen.gremium import hospitation_markiert, hospitationen_je_jahr
from daten import politik, werte
from daten.dienste import hospitationen as dienst
from daten.dienste import reflexion
from daten.dienste.lenkungsbericht import lenkungsbericht_erfassen
from daten.pflichten import pflichten_im_jahr
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


ARTEN = {werte.REFLEXION_GEMEINSAM: "Delegierte + Lenkungsgruppe",
         werte.REFLEXION_LENKUNGSGRUPPE: "Lenkungsgruppe allein"}


def _datum(d: object) -> str:
    return f"am {d:%d.%m.%Y}" if d else "fehlt"


def _pflichten(daten) -> None:  # noqa: ANN001
    """5.2 und 4.2: was über ein Jahr zu dokumentieren ist – Reflexion, Lenkungsgruppe, Bericht jeder Teamleitung."""
    st.subheader("Jährliche Pflichten: Reflexion und Berichte an die Lenkungsgruppe")
    jahr = st.selectbox("Betrachtetes Jahr", list(range(date.today().year, 2019, -1)), index=1, key="pflicht_jahr",
                        placeholder="Bitte wählen …")
    p = gr.lesen(lambda s: pflichten_im_jahr(s, jahr))
    st.markdown(f"Gemeinsame Reflexion über {g.md(jahr)}: **{_datum(p.reflexion_am)}** · Sitzung der Lenkungsgruppe: "
                f"**{_datum(p.lenkungsgruppe_am)}**")
    delegiert = {d.get("sozialraum"): d.get("name") for d in p.delegierte}
    st.dataframe(pd.DataFrame({
        "Sozialraum": [b.sozialraum for b in p.lenkungsberichte],
        "Bericht der Teamleitung an die Lenkungsgruppe": [b.text for b in p.lenkungsberichte],
        "erstattet von": [b.erstattet_von or "" for b in p.lenkungsberichte],
        "Delegierte bei der Reflexion": [delegiert.get(b.sozialraum, "") for b in p.lenkungsberichte]}),
        hide_index=True, width="stretch")
    a = g.akteur()
    sr = a.sozialraum_id if a is not None else None
    if sr is None or not politik.darf(a, "anlegen", politik.Ziel("lenkungsbericht", sr)):
        return
    eigener = p.bericht(sr)
    with st.form("lenkungsbericht"):
        st.markdown(f"**Bericht an die Lenkungsgruppe über {g.md(jahr)} erfassen (Teamleitung ASD, 4.2)**")
        datum = st.date_input("erstattet am", value=date.today(), max_value=date.today(), format="DD.MM.YYYY")
        inhalt = st.text_area("Kurz: was berichtet wurde (optional)")
        if st.form_submit_button("Bericht an die Lenkungsgruppe speichern"):
            gr.schreibe(lambda s, ak: lenkungsbericht_erfassen(s, ak, jahr=int(jahr), datum=datum, inhalt=inhalt),
                        "Bericht an die Lenkungsgruppe erfasst.")
    if eigener is not None and eigener.erstattet:
        st.caption(f"Für {g.md(jahr)} {g.md(eigener.text)} (von {g.md(eigener.erstattet_von)}); Speichern ändert Datum "
                   "und Inhalt.")


def _reflexion(daten) -> None:  # noqa: ANN001
    kommune = g.kommune()
    st.subheader("Jährliche Reflexion mit der Lenkungsgruppe")
    st.caption("Lenkungsgruppe: " + "; ".join(map(g.md, kommune.gremium.lenkungsgruppe)))
    r = gr.lesen(reflexion.reflexionen)
    a = g.akteur()
    if politik.darf(a, "anlegen", "reflexion"):
        _reflexion_formulare(list(daten.sozialraeume["name"]))
    st.dataframe(pd.DataFrame({
        "Jahr": r["jahr"], "Datum": r["datum"].map(g.datum), "Art": r["art"].map(ARTEN),
        "Zeitraum bis": r["zeitraum_bis"].map(g.datum),
        "Delegierte": [", ".join(f"{d.get('name')} ({d.get('sozialraum')})" for d in (x or []))
                       for x in r["delegierte"]],
        "Ergebnisse": r["ergebnisse"], "Vorschläge": r["vorschlaege"], "dokumentiert von": r["dokumentiert_von"]}),
        hide_index=True, width="stretch")


def _reflexion_formulare(sozialraeume: list[str]) -> None:
    """Erst die gemeinsame Reflexion (je Gremium eine delegierte Person), dann die Lenkungsgruppe allein (5.2)."""
    with st.form("reflexion"):
        st.markdown("**Gemeinsame Reflexion dokumentieren (Jugendhilfeplanung)**")
        jahr = st.number_input("Betrachtetes Jahr", min_value=2020, max_value=2100, value=date.today().year - 1)
        datum = st.date_input("Datum der Sitzung", format="DD.MM.YYYY")
        st.markdown("Delegierte je Gremium")
        namen = {sr: st.text_input(f"Delegierte Person {g.md(sr)}", key=f"delegiert_{sr}") for sr in sozialraeume}
        ergebnisse = st.text_area("Ergebnisse")
        vorschlaege = st.text_area("Vorschläge zur Fortschreibung")
        if st.form_submit_button("Reflexion speichern"):
            delegierte = [{"sozialraum": sr, "name": n} for sr, n in namen.items() if (n or "").strip()]
            gr.schreibe(lambda s, ak: reflexion.dokumentiere_reflexion(
                s, ak, jahr=int(jahr), datum=datum, art=werte.REFLEXION_GEMEINSAM, ergebnisse=ergebnisse,
                vorschlaege=vorschlaege, delegierte=delegierte, teilnehmende=ARTEN[werte.REFLEXION_GEMEINSAM]),
                "Reflexion gespeichert.")
    with st.form("lenkungsgruppe"):
        st.markdown("**Sitzung der Lenkungsgruppe dokumentieren** (nach der gemeinsamen Reflexion desselben Jahres)")
        jahr_l = st.number_input("Betrachtetes Jahr", min_value=2020, max_value=2100, value=date.today().year - 1,
                                 key="lg_jahr")
        datum_l = st.date_input("Datum der Sitzung", format="DD.MM.YYYY", key="lg_datum")
        ergebnisse_l = st.text_area("Ergebnisse", key="lg_ergebnisse")
        if st.form_submit_button("Sitzung der Lenkungsgruppe speichern"):
            gr.schreibe(lambda s, ak: reflexion.dokumentiere_reflexion(
                s, ak, jahr=int(jahr_l), datum=datum_l, art=werte.REFLEXION_LENKUNGSGRUPPE, ergebnisse=ergebnisse_l,
                teilnehmende=ARTEN[werte.REFLEXION_LENKUNGSGRUPPE]), "Sitzung der Lenkungsgruppe gespeichert.")


def seite() -> None:
    st.title("Hospitationen und Reflexion")
    gr.meldung()
    _, daten = g.aktuelle_daten()
    _hospitationen(daten)
    _pflichten(daten)
    _reflexion(daten)


seite()
