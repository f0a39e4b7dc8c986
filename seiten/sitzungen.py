"""Seite „Sitzungen“: Sitzungsrhythmus aller Gremien (R5), Sitzungen eines Gremiums, Planen mit Orts- und
Protokollwechsel (R4, R5), Einladung (.ics/E-Mail), Protokollversand per E-Mail (R8), Status, Delegation,
Teilnahmeprüfung (R6), Stufenbeschlüsse mit Geschichte und Teilgremien je Stadtteil (R2, Fußnote 3)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from analysen.gremium import anwesenheit, fehlende_je_jahr, kadenz, ortsvorschlag
from berichte.protokoll import sende_protokoll
from daten.dienste import sitzungen as dienst
from daten.gremium.einladung import Einladung, einladung_ics, email_text, sende_einladung
from daten.gremium.versand import protokoll_adressen
from daten.modelle.gremium import SITZUNG_STATUS
from daten.politik import darf_schreiben
from seiten import _gremium as gr
from seiten import gemeinsam as g
from seiten._absage import absage

STATUS = dienst.STATUS_TEXT
WAHL = "sitzungen_wahl"  # Schlüssel der Sitzungsauswahl: die gewählte Sitzung (id) im Session State


def _uebersicht(df: pd.DataFrame, namen: list[str]) -> None:
    st.subheader("Sitzungsrhythmus aller Gremien (R5: mindestens eine Sitzung je Halbjahr)")
    kz = kadenz(df, namen, date.today())
    if kz["ueberfaellig"].any():
        st.warning("Überfällig: " + ", ".join(map(g.md, kz.loc[kz["ueberfaellig"], "sozialraum"])))
    st.dataframe(pd.DataFrame({"Sozialraum": kz["sozialraum"], "letzte Sitzung": kz["letzte_sitzung"],
                               "nächste Sitzung": kz["naechste_sitzung"],
                               "überfällig": kz["ueberfaellig"].map({True: "ja", False: "nein"}),
                               "Hinweis": kz["hinweis"]}), hide_index=True, width="stretch")


def _konten_auswahl(konten: list[dict[str, str]]) -> dict[str | None, str]:
    """Konto-Auswahl (Login → „Name (Rolle, login)“): nur Konten des Sozialraums, die schreiben dürfen."""
    return {k["login"]: f"{k['anzeigename']} ({k['rolle']}, {k['login']})" for k in konten}


def _planen(sr_id: int, eigene: pd.DataFrame, ein: pd.DataFrame, teile: pd.DataFrame) -> None:
    kommune = g.kommune()
    with st.expander("Sitzung planen (Teamleitung ASD)", expanded=False):
        mitglieder = ein[ein["im_gremium"]]
        vorschlag = ortsvorschlag(eigene, mitglieder, kommune.gremium.ortswechsel)
        reihe = [w.bereich for w in kommune.gremium.protokollwechsel]
        datum = st.date_input("Datum der Sitzung", value=date.today() + timedelta(days=28), format="DD.MM.YYYY")
        for h in dienst.termin_hinweise(kommune, datum):
            st.warning(f"Der Termin liegt ungünstig: {g.md(h)}.")
        feld = gr.lesen(lambda s: dienst.protokoll_vorschlag(s, sozialraum_id=sr_id, datum=datum)) or reihe[0]
        konten = _konten_auswahl(gr.lesen(lambda s: dienst.protokollkonten(s, sozialraum_id=sr_id)))
        with st.form("planen"):
            a, b = st.columns(2)
            beginn = a.text_input("Beginn (HH:MM)", kommune.gremium.beginn)
            ende = b.text_input("Ende (HH:MM)", "")
            orte = list(ein["id"])
            namen = dict(zip(ein["id"], ein["name"] + " (" + ein["art_bezeichnung"] + ")", strict=True))
            ort = st.selectbox("Ort (Einrichtung im Sozialraum)", orte, format_func=namen.get,
                               index=orte.index(vorschlag["einrichtung_id"]) if vorschlag else 0,
                               placeholder="Bitte wählen …")
            if vorschlag:
                st.caption(f"Vorschlag im Wechsel ASD → Kita → KiJuKuZ: {g.md(vorschlag['name'])} "
                           f"({g.md(vorschlag['grund'])}).")
            gremien = {"ganzes Gremium": None, **{f"Teilgremium {n}": int(i) for i, n in zip(teile["id"], teile["name"],
                                                                                             strict=True)}}
            teil = gremien[st.selectbox("Sitzung des Gremiums oder eines Teilgremiums", list(gremien),
                                        placeholder="Bitte wählen …")]
            bereich = st.selectbox("Protokoll führt (Arbeitsfeld im Wechsel)", reihe, index=reihe.index(feld)
                                   if feld in reihe else 0, placeholder="Bitte wählen …")
            st.caption(f"Im Wechsel ist diesmal {g.md(feld)} dran; ein anderes Arbeitsfeld braucht einen kurzen Grund.")
            grund = st.text_input("Grund, wenn ein anderes Arbeitsfeld das Protokoll führt (mindestens 10 Zeichen)")
            name = st.text_input("Name der Protokollführung")
            login = st.selectbox("Konto der Protokollführung (optional)", [None, *konten],
                                 format_func=lambda k: "– noch keines –" if k is None else konten[k],
                                 placeholder="Bitte wählen …")
            if st.form_submit_button("Sitzung planen"):
                gr.schreibe(lambda s, a_: dienst.plane_sitzung(
                    s, a_, kommune=kommune, sozialraum_id=sr_id, datum=datum, ort_id=int(ort),
                    protokoll_bereich=bereich, protokoll_bereich_grund=grund or None,
                    protokollfuehrung=f"{name} ({bereich})" if name else (None if login else bereich),
                    protokoll_login=login, beginn=beginn, ende=ende or None, teilgremium_id=teil),
                    "Sitzung geplant.", hinweise=_waehle_neue)


def _waehle_neue(sz) -> list[str]:  # noqa: ANN001
    """Nach dem Planen steht die neue Sitzung in der Auswahl (vor dem Neuladen gesetzt, das Auswahlfeld folgt)."""
    st.session_state[WAHL] = int(sz.id)
    return []


def _einladung(sz, darf: bool) -> None:  # noqa: ANN001
    kommune = g.kommune()
    e = gr.lesen(lambda s: Einladung.aus_sitzung(dienst.lade_sitzung(s, int(sz["id"]))))
    a, b = st.columns(2)
    a.download_button("Einladung als Kalenderdatei (.ics)", einladung_ics(e, kommune),
                      file_name=f"einladung-{e.datum:%Y-%m-%d}.ics", mime="text/calendar")
    betreff, text = email_text(e, kommune)
    with b.expander("E-Mail-Text der Einladung"):
        st.text(f"Betreff: {betreff}\n\n{text}")
    if darf and g.einstellungen().smtp_host:
        with st.form("senden"):
            an = st.text_area("Empfänger (E-Mail-Adressen, eine je Zeile)")
            if st.form_submit_button("Einladung per E-Mail senden"):
                try:
                    sende_einladung(e, kommune, g.einstellungen(), an.splitlines())
                    st.success("Einladung gesendet.")
                except Exception as exc:  # noqa: BLE001 - deutsche Meldung statt Traceback
                    st.error(g.md(str(exc)))


def _protokoll_versand(sz, sr_id: int) -> None:  # noqa: ANN001
    """R8: das Ergebnisprotokoll (PDF) per E-Mail an den Verteiler; der Versand wird mit Person und Zeit vermerkt."""
    if sz["status"] not in ("protokolliert", "versendet"):
        return
    if sz["versendet_von"]:
        st.text(f"Protokoll versendet von {sz['versendet_von']} am {sz['versendet_am']:%d.%m.%Y %H:%M}.")
    a = g.akteur()
    if not (gr.leitet(a, sr_id) or (a is not None and sz["protokoll_login"] and sz["protokoll_login"] == a.login)):
        return
    if not g.einstellungen().smtp_host:
        st.caption("Kein SMTP-Server eingestellt: das Protokoll auf der Seite „Protokoll“ als PDF herunterladen, "
                   "selbst versenden und dort als versendet markieren.")
        return
    kommune = g.kommune()
    ohne = [e for e in kommune.verteiler.protokoll if not kommune.verteiler.adressen.get(e)]
    with st.form("protokoll_senden"):
        st.markdown("**Ergebnisprotokoll per E-Mail an den Verteiler**")
        an = st.text_area("Empfänger des Protokolls (E-Mail-Adressen, eine je Zeile)",
                          value="\n".join(protokoll_adressen(kommune)))
        if ohne:
            st.caption("Vorbelegt sind die Adressen aus der Konfiguration; ohne hinterlegte Adresse (bitte "
                       "ergänzen): " + "; ".join(map(g.md, ohne)))
        if st.form_submit_button("Protokoll als PDF senden"):
            gr.schreibe(lambda s, a_: sende_protokoll(s, a_, kommune, g.einstellungen(), int(sz["id"]),
                                                      an.splitlines()),
                        "Protokoll gesendet; der Versand ist mit Person und Zeit vermerkt.")


def _kopf(sz) -> str:  # noqa: ANN001
    """Datum, Ort und Status der gewählten Sitzung – steht über jeder Aktion, damit klar ist, wofür sie gilt."""
    ort = f" · Ort: {sz['ort']}" if sz["ort"] else ""
    teil = f" · {sz['teilgremium']}" if sz["teilgremium"] else ""
    return f"Sitzung am {sz['datum']:%d.%m.%Y}{ort}{teil} · Status: {STATUS[sz['status']]}"


def _gast_zeilen(text: str) -> list[dict]:
    """„Name; Organisation“ je Zeile (Organisation optional) → Gäste für den Dienst."""
    gaeste = []
    for zeile in text.splitlines():
        if zeile.strip():
            name, _, org = zeile.partition(";")
            gaeste.append({"gast": True, "name": name.strip(), "organisation": org.strip() or None})
    return gaeste


def _verwalten(sz, sr_id: int) -> None:  # noqa: ANN001
    sid, version = int(sz["id"]), int(sz["version"])
    kopf = g.md(_kopf(sz))
    with st.form("status"):
        st.markdown(f"**Status setzen** – {kopf}")
        folge = [s for s in SITZUNG_STATUS if s != "abgesagt" or sz["status"] == "abgesagt"]
        neu = st.selectbox("Status", folge, index=folge.index(sz["status"]), format_func=STATUS.get,
                           placeholder="Bitte wählen …")
        st.caption(f"„durchgeführt“ und alles danach erst ab dem Sitzungstag ({sz['datum']:%d.%m.%Y}).")
        if st.form_submit_button("Status setzen"):
            gr.schreibe(lambda s, a: dienst.setze_status(s, a, sitzung_id=sid, status=neu, version=version),
                        "Status gesetzt.")
    reihe = [w.bereich for w in g.kommune().gremium.protokollwechsel]
    konten = _konten_auswahl(gr.lesen(lambda s: dienst.protokollkonten(s, sozialraum_id=sr_id)))
    vorschlag = gr.lesen(lambda s: dienst.protokoll_vorschlag(s, sozialraum_id=sr_id, datum=sz["datum"],
                                                              sitzung_id=sid))
    with st.form("delegation"):
        st.markdown(f"**Protokoll delegieren** – {kopf}")
        if not konten:
            st.info("Im Sozialraum gibt es kein aktives Konto, das Protokolle schreiben darf. Konten legt die "
                    "Administration an (Rolle Gremiumsmitglied).")
        login = st.selectbox("Konto, das das Protokoll schreibt", list(konten), format_func=konten.get,
                             index=None, placeholder="Konto wählen")
        jetzt = sz["protokoll_bereich"] if sz["protokoll_bereich"] in reihe else vorschlag
        bereich = st.selectbox("Arbeitsfeld (Protokoll im Wechsel)", reihe,
                               index=reihe.index(jetzt) if jetzt in reihe else 0, placeholder="Bitte wählen …")
        if vorschlag:
            st.caption(f"Im Wechsel ist bei dieser Sitzung {g.md(vorschlag)} dran.")
        grund = st.text_input("Grund (Pflicht bei Abweichung vom Wechsel, mindestens 10 Zeichen)")
        if st.form_submit_button("Delegieren"):
            if login is None:
                st.error("Bitte das Konto wählen, das das Protokoll schreibt.")
            else:
                gr.schreibe(lambda s, a: dienst.delegiere_protokoll(
                    s, a, sitzung_id=sid, an_login=login, an_bereich=bereich, grund=grund or None, version=version),
                    f"Protokoll der Sitzung am {sz['datum']:%d.%m.%Y} an {g.md(konten[login])} delegiert.")
    _teilnahme_formular(sz)


def _teilnahme_formular(sz) -> None:  # noqa: ANN001
    kopf = g.md(_kopf(sz))
    sid, version = int(sz["id"]), int(sz["version"])
    mitglieder = [t for t in sz["teilnehmende"] if not t.get("gast")]
    gaeste = [t for t in sz["teilnehmende"] if t.get("gast")]
    moeglich = list(sz["eingeladene"]) + [t for t in mitglieder if t not in sz["eingeladene"]]
    with st.form("teilnahme"):
        st.markdown(f"**Teilnahme und Gäste** – {kopf}")
        namen = [f"{t['name']} ({t['bereich']})" for t in moeglich]
        da = {f"{t['name']} ({t['bereich']})" for t in mitglieder}
        wahl = st.multiselect("Anwesend (Mitglieder)", namen, default=[x for x in namen if x in da],
                              placeholder="niemand")
        gast_text = st.text_area(
            "Gäste bei Bedarf (keine Mitglieder): je Zeile „Name; Organisation“ – die Organisation ist optional",
            value="\n".join(f"{t['name']}; {t['organisation']}" if t.get("organisation") else t["name"]
                            for t in gaeste))
        if st.form_submit_button("Teilnahme speichern"):
            liste = [t for t in moeglich if f"{t['name']} ({t['bereich']})" in wahl] + _gast_zeilen(gast_text)
            gr.schreibe(lambda s, a: dienst.trage_teilnahme_ein(s, a, sitzung_id=sid, teilnehmende=liste,
                                                                version=version), "Teilnahme gespeichert.")


def _teilnahme(eigene: pd.DataFrame, daten, sid: int | None) -> None:  # noqa: ANN001
    stufen = gr.lesen(dienst.stufen)
    standard = dict(zip(daten.sozialraeume["name"], daten.sozialraeume["stufe"], strict=True))
    anw = anwesenheit(eigene, daten.einrichtungen, arten=g.kommune().gremium.teilnahme_arten, stufen=stufen,
                      standard=standard)
    st.subheader("Teilnahmeprüfung (R6: je KiJuKuZ und Kita eine Person)")
    if sid is not None:
        fehlt = anw[(anw["sitzung_id"] == sid) & ~anw["anwesend"]]
        st.write(f"In der gewählten Sitzung fehlten: {', '.join(map(g.md, fehlt['einrichtung'])) or 'niemand'}.")
    luecken = fehlende_je_jahr(anw)
    st.dataframe(luecken.rename(columns={"sozialraum": "Sozialraum", "jahr": "Jahr", "einrichtung": "Einrichtung",
                                         "art": "Art", "sitzungen": "Sitzungen", "anwesend": "anwesend",
                                         "fehlend": "gefehlt"}), hide_index=True, width="stretch")


def _stufen(name: str, sr_id: int, eigene: pd.DataFrame) -> None:
    """R2: die heute geltende Stufe, ihre Geschichte und – für Teamleitung/Jugendhilfeplanung – ein Beschluss."""
    kommune = g.kommune()
    st.subheader(f"Stufe des Gremiums {g.md(name)}")
    heute = gr.lesen(lambda s: dienst.stufe_am(s, sr_id, date.today()))
    st.write(f"Heute gilt Stufe {g.md(heute)}: {g.md(kommune.stufen.get(heute, ''))}")
    geschichte = gr.lesen(lambda s: dienst.stufen_geschichte(s, sr_id))
    st.dataframe(pd.DataFrame({"gültig ab": geschichte["gueltig_ab"], "Stufe": geschichte["stufe"],
                               "Beschluss": geschichte["beschluss"],
                               "beschlossen in der Sitzung vom": geschichte["sitzung_datum"],
                               "eingetragen von": geschichte["beschlossen_von"].fillna(""),
                               "Grund für den Sprung": geschichte["sprung_grund"].fillna("")}),
                 hide_index=True, width="stretch")
    a = g.akteur()
    if a is None or not darf_schreiben(a, "stufenbeschluss", sr_id):
        return
    gehalten = eigene[eigene["status"].isin(["durchgefuehrt", "protokolliert", "versendet"])]
    sitzungen = {"keine (Beschluss außerhalb einer Sitzung)": None,
                 **{f"{d:%d.%m.%Y}": int(i) for i, d in zip(gehalten["id"], gehalten["datum"], strict=True)}}
    with st.form("stufe"):
        st.markdown("**Stufenbeschluss eintragen**")
        stufe = st.selectbox("Stufe", list(kommune.stufen), format_func=lambda n: f"{n}: {kommune.stufen[n]}",
                             placeholder="Bitte wählen …")
        ab = st.date_input("gilt ab", value=date.today(), format="DD.MM.YYYY")
        text = st.text_area("Beschluss (Wortlaut oder Verweis auf das Protokoll)")
        sitzung = sitzungen[st.selectbox("beschlossen in der Sitzung", list(sitzungen), placeholder="Bitte wählen …")]
        sprung = st.text_input("Grund, falls eine Stufe übersprungen wird (3.1: sonst Stufe für Stufe)")
        if st.form_submit_button("Stufenbeschluss speichern"):
            gr.schreibe(lambda s, a_: dienst.beschliesse_stufe(
                s, a_, sozialraum_id=sr_id, stufe=int(stufe), gueltig_ab=ab, beschluss=text,
                sitzung_id=sitzung, kommune=kommune, sprung_grund=sprung or None),
                "Stufenbeschluss gespeichert.")


def _teilgremien(daten, name: str, sr_id: int, teile: pd.DataFrame, darf: bool) -> None:  # noqa: ANN001
    """Fußnote 3: Teilgremien je Stadtteil; Sitzungen können dann einem Teilgremium gehören."""
    st.subheader(f"Teilgremien {g.md(name)}")
    if teile.empty:
        st.caption("Das Gremium tagt ungeteilt.")
    else:
        st.dataframe(pd.DataFrame({"Teilgremium": teile["name"], "Stadtteile": teile["stadtteile"],
                                   "gültig ab": teile["gueltig_ab"], "Beschluss": teile["beschluss"]}),
                     hide_index=True, width="stretch")
    if not darf:
        return
    stadtteile = daten.stadtteile[daten.stadtteile["sozialraum"] == name]
    ids = {n: int(i) for i, n in zip(stadtteile["id"], stadtteile["name"], strict=True)}
    with st.form("teilgremium"):
        st.markdown("**Teilgremium anlegen (Aufteilung nach Stadtteilen)**")
        titel = st.text_input("Name des Teilgremiums")
        gewaehlt = st.multiselect("Stadtteile", list(ids), placeholder="bitte wählen")
        ab = st.date_input("tagt ab", value=date.today(), format="DD.MM.YYYY", key="teil_ab")
        text = st.text_input("Beschluss (Wortlaut oder Verweis auf das Protokoll, optional)")
        if st.form_submit_button("Teilgremium anlegen"):
            gr.schreibe(lambda s, a_: dienst.lege_teilgremium_an(
                s, a_, sozialraum_id=sr_id, name=titel, stadtteil_ids=[ids[n] for n in gewaehlt], gueltig_ab=ab,
                beschluss=text or None), "Teilgremium angelegt.")


def seite() -> None:
    st.title("Sitzungen der Sozialraumgremien")
    gr.meldung()
    _, daten = g.aktuelle_daten()
    alle = gr.lesen(lambda s: dienst.sitzungen(s))
    _uebersicht(alle, list(daten.sozialraeume["name"]))
    name, sr_id = gr.sozialraum_auswahl(daten)
    eigene = alle[alle["sozialraum_id"] == sr_id]
    ein = daten.einrichtungen[daten.einrichtungen["sozialraum"] == name]
    akteur = g.akteur()
    darf = gr.leitet(akteur, sr_id)
    teile = gr.lesen(lambda s: dienst.teilgremien(s, sr_id))
    if darf:
        _planen(sr_id, eigene, ein, teile)
    st.subheader(f"Sitzungen {g.md(name)}")
    tab = pd.DataFrame({"ID": eigene["id"], "Datum": eigene["datum"], "Beginn": eigene["beginn"],
                        "Status": eigene["status"].map(STATUS), "Ort": eigene["ort"],
                        "Teilgremium": eigene["teilgremium"], "Protokoll": eigene["protokollfuehrung"],
                        "Punkte": eigene["anzahl_punkte"]})
    st.dataframe(tab, hide_index=True, width="stretch")
    sid = None
    if len(eigene):
        labels = gr.sitzung_labels(eigene)  # ohne Status: die Wahl bleibt, wenn er sich ändert
        ids = list(labels)
        if st.session_state.get(WAHL) not in ids:  # erste Wahl: die nächste offene Sitzung, sonst die letzte
            st.session_state[WAHL] = next((int(r.id) for r in eigene.itertuples()
                                           if r.status in ("geplant", "eingeladen")), ids[-1])
        # Nur der Schlüssel trägt die Wahl (kein index zusätzlich): sie bleibt über Status, Delegation, Neuladen.
        sid = st.selectbox("Sitzung", ids, format_func=labels.get, key=WAHL, placeholder="Bitte wählen …")
        sz = eigene[eigene["id"] == sid].iloc[0]
        st.markdown(f"**{g.md(_kopf(sz))}**")
        gaeste = f" (davon Gäste: {sz['anzahl_gaeste']})" if sz["anzahl_gaeste"] else ""
        konto = f" (Konto {sz['protokoll_login']})" if sz["protokoll_login"] else ""
        st.markdown(g.md(f"Protokoll: {sz['protokollfuehrung'] or '–'}{konto}; Eingeladene: "
                          f"{len(sz['eingeladene'])}; Teilnehmende: {sz['anzahl_teilnehmende']}{gaeste}"))
        if sz["protokoll_bereich_grund"]:
            st.caption(g.md(f"Abweichung vom Protokollwechsel: {sz['protokoll_bereich_grund']}"))
        _einladung(sz, darf)
        absage(sz, darf)
        _protokoll_versand(sz, sr_id)
        if darf:
            _verwalten(sz, sr_id)
        st.session_state["protokoll_sitzung"] = int(sid)
        try:
            st.page_link("seiten/protokoll.py", label="Zum Ergebnisprotokoll dieser Sitzung")
        except st.errors.StreamlitAPIException:  # Seite einzeln gestartet (ohne Navigation)
            st.caption("Das Ergebnisprotokoll steht auf der Seite „Protokoll“.")
    _teilnahme(eigene, daten, sid)
    _stufen(name, sr_id, eigene)
    _teilgremien(daten, name, sr_id, teile, darf)


seite()
