"""Seite „Protokoll“: Ergebnisprotokoll entlang der acht Fragen (R7) mit Datenschutzprüfung (R3), fehlenden
Ressourcen auf der Karte (Frage 6), Maßnahmen aus Protokollpunkten (R10/R12), Export DOCX/PDF und Versand (R8).

Lesen nur auf dem Verteiler (`darf_protokoll_lesen`); schreiben die Protokollführung und die Teamleitung ASD.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from analysen.gremium import budget_uebersicht
from berichte import dokument
from berichte.protokoll import protokoll_dokument
from daten import protokolle
from daten.db import sitzung
from daten.dienste import massnahmen, protokoll
from daten.dienste import sitzungen as dienst
from daten.dienste.budget import budgets_und_massnahmen, kein_budget_meldung
from daten.gremium.datenschutz import befund_schluessel, pruefe_text
from daten.politik import darf_protokoll_lesen, darf_schreiben
from karte import baue_karte
from seiten import _gremium as gr
from seiten import gemeinsam as g

FREIGABE = {"offen": "noch nicht bestätigt", "anonymisiert": "anonymisiert",
            "entbindung": "Schweigepflichtsentbindung liegt vor"}


def _punkte_zeigen(punkte: pd.DataFrame) -> None:
    """Die Punkte nach Frage (Reihenfolge der Konfiguration, 3.2.2), je Punkt der volle Text mit Handlungsebene und
    Bezügen – nie auf eine Zeile gekürzt. Texte aus der Datenbank maskiert (nie Markdown)."""
    kommune = g.kommune()
    for nr, frage in enumerate(kommune.fragen, start=1):
        zeilen = punkte[punkte["frage"] == nr]
        st.markdown(f"**{nr}\\. {g.md(frage)}** ({len(zeilen)} {'Punkt' if len(zeilen) == 1 else 'Punkte'})")
        if zeilen.empty:
            st.caption("Keine Punkte.")
            continue
        for z in zeilen.itertuples():
            ebene = kommune.handlungsebenen.get(z.handlungsebene, z.handlungsebene)
            with st.container(border=True):
                st.markdown(f"**{g.md(ebene)}**" + (" · Fallbesprechung" if z.fallbesprechung else ""))
                st.markdown(g.md(z.text, zeilen=True))
                bezuege = [f"{was}: {wert}" for was, wert in (
                    ("Einrichtungen", z.einrichtungen), ("Netzwerke", z.netzwerke), ("Stadtteile", z.stadtteile),
                    ("fehlende Ressource", z.fehlende_ressourcen)) if wert]
                if bezuege:
                    st.caption(g.md(" · ".join(bezuege)))


def _ort_fehlende_ressource(daten, name: str) -> tuple[float | None, float | None]:  # noqa: ANN001
    st.markdown("**Fehlende Ressource verorten** (Klick in die Karte oder Koordinaten eingeben, EPSG:4326)")
    ein = daten.einrichtungen[daten.einrichtungen["sozialraum"] == name]
    karte = g.klickbare_karte(("fehlend", name), lambda: baue_karte(
        sozialraeume=daten.sozialraeume, stadtteile=daten.stadtteile, einrichtungen=ein,
        netzwerk_kanten=daten.netzwerk_kanten.iloc[0:0], indikatoren=daten.indikatoren, kommune=g.kommune(),
        auswahl_sozialraum=name, basemap=g.einstellungen().basemap))
    klick = st_folium(karte, height=380, use_container_width=True, key="fehlend_karte",
                      returned_objects=["last_clicked"])
    if klick and klick.get("last_clicked"):
        st.session_state["fehlend_breite"] = float(klick["last_clicked"]["lat"])
        st.session_state["fehlend_laenge"] = float(klick["last_clicked"]["lng"])
    a, b = st.columns(2)
    breite = a.number_input("Breite (Grad)", value=st.session_state.get("fehlend_breite"), format="%.5f",
                            key="fehlend_breite_eingabe")
    laenge = b.number_input("Länge (Grad)", value=st.session_state.get("fehlend_laenge"), format="%.5f",
                            key="fehlend_laenge_eingabe")
    return breite, laenge


def _formular(daten, name: str, sid: int) -> None:  # noqa: ANN001
    kommune = g.kommune()
    st.subheader("Punkt eintragen")
    fragen = list(range(1, len(kommune.fragen) + 1))
    frage = st.selectbox("Frage", fragen, format_func=lambda n: f"{n}. {kommune.fragen[n - 1]}", key="p_frage",
                         placeholder="Bitte wählen …")
    ebene = st.selectbox("Handlungsebene", list(kommune.handlungsebenen), format_func=kommune.handlungsebenen.get,
                         key="p_ebene", placeholder="Bitte wählen …")
    text = st.text_area("Text des Punkts", key="p_text")
    fall = st.checkbox("Fallbesprechung (Einzelfall, R3)", key="p_fall")
    freigabe = st.radio("Freigabe der Fallbesprechung", list(FREIGABE), format_func=FREIGABE.get, horizontal=True,
                        key="p_freigabe", disabled=not fall)
    ein = daten.einrichtungen[daten.einrichtungen["sozialraum"] == name]
    bezug = st.multiselect("Bezug: Einrichtungen", list(ein["id"]),
                           format_func=dict(zip(ein["id"], ein["name"], strict=True)).get, key="p_ein",
                           placeholder="keine")
    netze = gr.lesen(lambda s: _netzwerke(s))
    netz = st.multiselect("Bezug: Netzwerke", list(netze), format_func=netze.get, key="p_netz", placeholder="keine")
    teile = daten.stadtteile[daten.stadtteile["sozialraum"] == name]
    stadtteile = st.multiselect("Bezug: Stadtteile", list(teile["id"]),
                                format_func=dict(zip(teile["id"], teile["name"], strict=True)).get, key="p_st",
                                placeholder="keine")
    breite = laenge = None
    bezeichnung = ""
    if frage == kommune.gremium.frage_fehlende_ressourcen:
        breite, laenge = _ort_fehlende_ressource(daten, name)
        bezeichnung = st.text_input("Was fehlt dort? (kurz, erscheint auf der Karte)", key="p_fehlt")
    werte = {"frage": frage, "handlungsebene": ebene, "text": text, "fallbesprechung": fall,
             "anonymisiert": fall and freigabe == "anonymisiert",
             "schweigepflichtentbindung": fall and freigabe == "entbindung",
             "einrichtung_ids": bezug, "netzwerk_ids": netz, "stadtteil_ids": stadtteile}
    ort = (bezeichnung, laenge, breite) if bezeichnung and breite is not None and laenge is not None else None
    if st.button("Prüfen und speichern", type="primary"):
        befunde = pruefe_text(text)
        if befunde:
            st.session_state["p_pruefung"] = {"text": text, "befunde": befund_schluessel(befunde)}
        else:
            _speichern(sid, werte, ort)
    pruefung = st.session_state.get("p_pruefung")
    if pruefung and pruefung["text"] == text:
        befunde = pruefe_text(text)
        st.warning("Möglicherweise personenbezogene Angaben. Bitte den Text ändern oder mit Begründung "
                   "bestätigen; die Bestätigung steht im Änderungsprotokoll.")
        st.markdown(gr.hervorgehoben(text, befunde))
        st.dataframe(gr.befund_tabelle(befunde), hide_index=True, width="stretch")
        grund = st.text_input("Begründung der Bestätigung (mindestens 10 Zeichen)", key="p_grund")
        if st.button("Bestätigen und speichern"):
            _speichern(sid, werte | {"datenschutz_grund": grund, "bestaetigte_befunde": pruefung["befunde"]}, ort)


def _netzwerke(s) -> dict[int, str]:  # noqa: ANN001
    from sqlalchemy import select

    from daten import modelle as m

    return dict(s.execute(select(m.Netzwerk.id, m.Netzwerk.name).order_by(m.Netzwerk.name)).all())


def _speichern(sid: int, werte: dict, ort: tuple | None) -> None:
    def aktion(s, a):  # noqa: ANN001, ANN202
        p = protokoll.speichere_punkt(s, a, sitzung_id=sid, **werte)
        if ort:
            protokoll.setze_fehlende_ressource(s, a, punkt_id=p.id, bezeichnung=ort[0], lon=ort[1], lat=ort[2])
        return p

    gr.schreibe(aktion, "Punkt gespeichert.", aufraeumen=("p_pruefung",))


def _massnahme(punkte: pd.DataFrame, name: str, sr_id: int, jahr: int) -> None:
    kommune = g.kommune()
    b, m_ = gr.lesen(lambda s: budgets_und_massnahmen(s, jahr=jahr, sozialraum_id=sr_id))
    ub = budget_uebersicht(b, m_, kommune.budgetkategorien, sozialraeume=[name], jahre=[jahr])
    if not ub["eingetragen"].any():  # vor dem Formular: für dieses Jahr lässt sich noch nichts beantragen
        st.info(g.md(kein_budget_meldung(jahr, name)))
    with st.form("massnahme"):
        st.subheader("Maßnahme aus einem Protokollpunkt")
        labels = {int(r.id): f"Frage {r.frage}: {r.text[:70]}" for r in punkte.itertuples()}
        pid = st.selectbox("Protokollpunkt (Beschluss)", list(labels), format_func=labels.get,
                           placeholder="Bitte wählen …")
        titel = st.text_input("Titel der Maßnahme")
        art = st.selectbox("Art", list(kommune.massnahmenarten), format_func=kommune.massnahmenarten.get,
                           placeholder="Bitte wählen …")
        vorlage = st.selectbox("Beschlussvorlage", kommune.beschlussvorlagen, placeholder="Bitte wählen …")
        durch = st.text_input("Durchführung (wer)")
        kosten = st.number_input("Geplante Kosten (€)", min_value=0.0, step=50.0)
        grund = st.text_input("Begründung, falls das Budget überschritten wird (optional)")
        if st.form_submit_button("Maßnahme beantragen"):
            gr.schreibe(lambda s, a: massnahmen.lege_massnahme_an(
                s, a, protokollpunkt_id=pid, titel=titel, art=art, beschlussvorlage=vorlage, durchfuehrung=durch,
                kosten_geplant=kosten, ueberschreitung_grund=grund or None), "Maßnahme beantragt.")
    for z in ub.itertuples():
        if z.warnung and z.eingetragen:
            st.warning(f"Budget {g.md(z.bezeichnung)}: {g.md(z.warnung)} (Rest {gr.eur(z.rest)}).")


def _export_und_status(sz, darf_schreiben: bool, akteur) -> None:  # noqa: ANN001
    sid = int(sz["id"])

    def datei(endung: str):  # noqa: ANN202
        def bauen() -> bytes:
            with sitzung(g.engine(), akteur=None) as s:
                dok = protokoll_dokument(s, g.kommune(), sid, akteur=akteur)
            return dokument.als_docx(dok) if endung == "docx" else dokument.als_pdf(dok)
        return bauen

    a, b = st.columns(2)
    a.download_button("Protokoll als DOCX", datei("docx"), file_name=f"protokoll-{sz['datum']:%Y-%m-%d}.docx",
                      mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    b.download_button("Protokoll als PDF", datei("pdf"), file_name=f"protokoll-{sz['datum']:%Y-%m-%d}.pdf",
                      mime="application/pdf")
    if darf_schreiben and sz["status"] == "durchgefuehrt" and st.button("Protokoll abschließen (protokolliert)"):
        gr.schreibe(lambda s, a_: dienst.setze_status(s, a_, sitzung_id=sid, status="protokolliert"),
                    "Protokoll abgeschlossen.")
    if darf_schreiben and sz["status"] == "protokolliert" and st.button("Als versendet markieren"):
        gr.schreibe(lambda s, a_: dienst.markiere_versendet(s, a_, sitzung_id=sid), "Versand vermerkt.")
    if sz["versendet_von"]:
        st.caption(f"Versendet von {g.md(sz['versendet_von'])} am {sz['versendet_am']:%d.%m.%Y %H:%M}.")


SCHREIBBAR = ("durchgefuehrt", "protokolliert")
WAHL = "protokoll_wahl"  # Schlüssel der Sitzungsauswahl; „protokoll_sitzung“ übergibt die Wahl der Seite Sitzungen


def _auswahl(alle: pd.DataFrame, akteur) -> int:  # noqa: ANN001
    """Sitzungsauswahl (ohne abgesagte): übergeben von „Sitzungen“, sonst die eigene zu schreibende, sonst die zuletzt
    gehaltene. Nur der Schlüssel trägt die Wahl (kein index zusätzlich)."""
    labels = gr.sitzung_labels(alle)  # ohne Status: die Wahl bleibt beim Abschließen des Protokolls
    ids = list(labels)
    uebergabe = st.session_state.pop("protokoll_sitzung", None)
    if uebergabe in ids:
        st.session_state[WAHL] = uebergabe
    if st.session_state.get(WAHL) not in ids:
        login = akteur.login if akteur else None
        eigene = [int(r.id) for r in alle.itertuples() if login and r.protokoll_login == login
                  and r.status in SCHREIBBAR]
        gehalten = [int(r.id) for r in alle.itertuples() if r.status in ("durchgefuehrt", *SCHREIBBAR, "versendet")]
        st.session_state[WAHL] = (eigene or gehalten or ids)[-1]
    return st.selectbox("Sitzung", ids, format_func=labels.get, key=WAHL, placeholder="Bitte wählen …")


def _warum_nicht(sz, alle: pd.DataFrame, akteur, schreibt: bool) -> None:  # noqa: ANN001
    """Wer im Sozialraum Protokolle schreiben kann, aber diese Sitzung nicht: warum – und welche er schreiben kann."""
    label = dienst.STATUS_TEXT[sz["status"]]
    if sz["status"] == "versendet":
        st.info("Das Protokoll ist versendet und damit abgeschlossen; es lässt sich nur noch lesen.")
    elif not schreibt:
        if sz["protokoll_login"]:
            text = (f"Das Protokoll dieser Sitzung schreibt {sz['protokollfuehrung'] or sz['protokoll_login']} "
                    f"(delegiert an das Konto {sz['protokoll_login']}). Sie können es hier lesen.")
        elif sz["protokollfuehrung"]:
            text = (f"Das Protokoll dieser Sitzung schreibt {sz['protokollfuehrung']}; es ist noch an kein Konto "
                    "delegiert. Delegieren kann die Teamleitung ASD auf der Seite „Sitzungen“.")
        else:
            text = "Für diese Sitzung ist noch keine Protokollführung eingetragen (Teamleitung ASD, Seite „Sitzungen“)."
        st.info(g.md(text))
    elif sz["status"] not in SCHREIBBAR:
        st.info(g.md(f"Status ist noch '{label}': Sie schreiben das Protokoll dieser Sitzung, sobald die "
                      f"Teamleitung ASD sie am oder nach dem {sz['datum']:%d.%m.%Y} auf 'durchgeführt' gesetzt "
                      "hat."))
    login = akteur.login if akteur else None
    meine = alle[(alle["protokoll_login"] == login) & (alle["id"] != sz["id"])] if login else alle.iloc[0:0]
    offen = meine[meine["status"].isin(SCHREIBBAR)]
    spaeter = meine[meine["status"].isin(["geplant", "eingeladen"])]
    if len(offen):
        st.success(g.md("Sie schreiben das Protokoll der Sitzung am " + ", ".join(
            f"{d:%d.%m.%Y} ({dienst.STATUS_TEXT[s]})" for d, s in zip(offen["datum"], offen["status"], strict=True))
            + " – oben unter „Sitzung“ wählen."))
    elif len(spaeter) and not (schreibt and sz["status"] in SCHREIBBAR):
        st.caption(g.md("Ihnen ist das Protokoll der Sitzung am " + ", ".join(
            f"{d:%d.%m.%Y}" for d in spaeter["datum"]) + " übertragen; schreiben lässt es sich ab dem Sitzungstag."))


def seite() -> None:
    st.title("Ergebnisprotokoll")
    gr.meldung()
    _, daten = g.aktuelle_daten()
    name, sr_id = gr.sozialraum_auswahl(daten, schluessel="protokoll_sozialraum")
    akteur = g.akteur()
    if not darf_protokoll_lesen(akteur, sr_id):
        st.error("Protokolle dieses Gremiums lesen nur die Personen auf dem Verteiler (Teamleitung und Mitglieder "
                 "des Sozialraums, Verteiler-Konten der Abteilungs-, Sachgebiets- und Kita-Teamleitungen, "
                 "Jugendhilfeplanung). Bitte mit einem berechtigten Konto anmelden.")
        return
    alle = gr.lesen(lambda s: dienst.sitzungen(s, sozialraum_id=sr_id))
    alle = alle[alle["status"] != "abgesagt"]
    if alle.empty:
        st.info("Noch keine Sitzung in diesem Gremium.")
        return
    sid = _auswahl(alle, akteur)
    sz = alle[alle["id"] == sid].iloc[0]
    st.markdown(g.md(f"Sitzung am {sz['datum']:%d.%m.%Y} · Ort: {sz['ort'] or '–'} · Protokoll: "
                      f"{sz['protokollfuehrung'] or '–'} · Status: {dienst.STATUS_TEXT[sz['status']]} · "
                      f"Teilnehmende: {sz['anzahl_teilnehmende']}"))
    schreibt = gr.leitet(akteur, sr_id) or (bool(sz["protokoll_login"]) and sz["protokoll_login"] == akteur.login)
    if darf_schreiben(akteur, "protokollpunkt", sr_id):
        _warum_nicht(sz, alle, akteur, schreibt)
    punkte = gr.lesen(lambda s: protokolle.punkte(s, sid, akteur=akteur))
    _punkte_zeigen(punkte)
    if schreibt and sz["status"] in SCHREIBBAR:
        _formular(daten, name, sid)
    if schreibt and len(punkte):
        _massnahme(punkte, name, sr_id, sz["datum"].year)
    if sz["status"] in (*SCHREIBBAR, "versendet"):
        _export_und_status(sz, schreibt, akteur)


seite()
