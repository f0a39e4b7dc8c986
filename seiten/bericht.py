"""Seite „Bericht“: Jahresbericht (3.2.4), Bereichsbericht (4.2), Umsetzungsbericht (4.4) als DOCX/PDF;
Empfehlungen und die Einschätzung je Frage der Jugendhilfeplanung bearbeiten (gespeichert und protokolliert). Der
Entwurf der Einschätzung kommt aus den Protokollpunkten, die die angemeldete Person lesen darf (daten.protokolle)."""

from __future__ import annotations

import streamlit as st

from analysen.angebot import bevoelkerungspunkte
from analysen.protokolle import einschaetzungen
from berichte.bericht import ARTEN, bericht_aus_daten
from berichte.dokument import als_docx, als_pdf
from daten import dienste
from daten.berichtsdaten import lade_berichtsdaten
from daten.dienste.bewertung import bewertung_speichern
from daten.dienste.empfehlungen import STATUS, speichere_empfehlung
from daten.fehler import RessourcenkarteFehler
from daten.geometrie import metrisches_crs
from daten.politik import Akteur, darf_schreiben
from daten.werte import MASSNAHME_STATUS
from seiten import gemeinsam as g

STADTWEIT = "(stadtweit)"
FORMATE = {"DOCX (Word)": ".docx", "PDF": ".pdf"}

# Bildunterschriften: Streamlit blendet sie mit opacity 0,6 aus (3,9:1 Kontrast; WCAG AA verlangt 4,5:1)
KONTRAST = ("<style>[data-testid='stCaptionContainer'] {opacity: 1 !important; color: #555 !important;}"
            "[data-testid='stCaptionContainer'] p {color: #555 !important;}</style>")


@st.cache_data(show_spinner="Daten werden geladen …", max_entries=4)
def _daten_stand(stand: str, akteur: Akteur | None):  # noqa: ANN202
    # Die Person gehört zum Schlüssel des Zwischenspeichers: Protokolltexte nur für den Verteiler (R8).
    return lade_berichtsdaten(g.engine(), g.kommune(), akteur=akteur, pruefen=False)


def _daten():  # noqa: ANN202
    """Frames zum aktuellen Datenstand (jede Änderung, auch eine gespeicherte Empfehlung, erneuert sie)."""
    return _daten_stand(g.datenstand(), g.akteur())


def _bericht_erstellen(jahr: int, art: str, sozialraum: str | None, endung: str) -> None:
    kommune = g.kommune()
    balken = st.progress(0.0, text="Bericht wird erstellt …")

    def melde(anteil: float, text: str) -> None:
        balken.progress(min(max(anteil, 0.0), 1.0), text=f"Bericht wird erstellt: {g.md(text)}")

    # Derselbe Bericht zum selben Datenstand (z. B. erst DOCX, dann PDF) wird nicht neu gerechnet und gezeichnet.
    schluessel = (g.datenstand(), jahr, art, sozialraum)
    gebaut = st.session_state.get("_bericht_dokument")
    try:
        if gebaut is not None and gebaut[0] == schluessel:
            dok = gebaut[1]
        else:
            daten = _daten()
            punkte = bevoelkerungspunkte(daten.stadtteile, raster_m=kommune.versorgung.raster_m,
                                         crs_metrisch=metrisches_crs(kommune))
            dok = bericht_aus_daten(daten, kommune, jahr=jahr, art=art, sozialraum=sozialraum, punkte=punkte,
                                    fortschritt=lambda a, t: melde(0.9 * a, t))
            st.session_state["_bericht_dokument"] = (schluessel, dok)
        melde(0.92, "Datei wird geschrieben")
        inhalt = als_docx(dok) if endung == ".docx" else als_pdf(dok)
    except RessourcenkarteFehler as exc:
        balken.empty()
        g.zeige_fehler(exc)
        return
    melde(1.0, "fertig")
    name = f"{art}-{jahr}" + (f"-{sozialraum}" if sozialraum else "") + endung
    st.session_state["bericht_datei"] = (name, inhalt)


def _empfehlungen(jahr: int, sozialraeume: list[str]) -> None:
    st.subheader(f"Empfehlungen {g.md(jahr)}")
    a = g.akteur()
    darf = a is not None and darf_schreiben(a, "empfehlung", None)
    daten = _daten()
    e = daten.empfehlungen
    e = e[e["jahr"] == jahr]
    wahl = st.selectbox("Empfehlung für", [STADTWEIT, *sozialraeume], key="emp_sr", placeholder="Bitte wählen …")
    schluessel = "" if wahl == STADTWEIT else wahl
    vorhanden = e[e["sozialraum"] == schluessel]
    text = str(vorhanden.iloc[0]["text"]) if len(vorhanden) else ""
    version = int(vorhanden.iloc[0]["version"]) if len(vorhanden) else None
    status = str(vorhanden.iloc[0]["status"]) if len(vorhanden) else "entwurf"
    if not darf:
        st.caption("Empfehlungen schreibt die Jugendhilfeplanung; hier nur lesen.")
        st.text(text or "Noch keine Empfehlung erfasst.")
        return
    with st.form(f"empfehlung_{jahr}_{schluessel}"):
        neu = st.text_area("Empfehlungen (eine je Zeile)", value=text, height=180)
        neuer_status = st.selectbox("Stand", list(STATUS), index=list(STATUS).index(status), format_func=STATUS.get,
                                    placeholder="Bitte wählen …")
        if st.form_submit_button("Empfehlung speichern"):
            try:
                dienste.ausfuehren(g.engine(), a, speichere_empfehlung, sozialraum=schluessel or None, jahr=jahr,
                                   text=neu, status=neuer_status, version=version)
            except RessourcenkarteFehler as exc:
                g.zeige_fehler(exc)
            else:
                st.success("Empfehlung gespeichert (im Änderungsprotokoll festgehalten).")
    if len(vorhanden):
        von = g.md(vorhanden.iloc[0]["geaendert_von"] or "–")
        st.caption(f"Zuletzt bearbeitet von {von}; Version {g.md(version)}.")


def _einschaetzung(jahr: int, sozialraeume: list[str]) -> None:
    """3.2.4: je Sozialraum und Frage die schriftliche Einschätzung – Entwurf aus den Protokollpunkten des Jahres
    (Texte nach Handlungsebene, Maßnahmen), von der Jugendhilfeplanung bearbeitet; der Bericht nimmt den
    gespeicherten Text, sonst den Entwurf."""
    a = g.akteur()
    if a is None or not darf_schreiben(a, "bewertung", None):
        return
    st.subheader(f"Einschätzung je Frage {g.md(jahr)}")
    kommune = g.kommune()
    daten = _daten()
    c1, c2 = st.columns([1, 2])
    sr = c1.selectbox("Sozialraum", sozialraeume, key="bew_sr", placeholder="Bitte wählen …")
    nr = c2.selectbox("Frage", list(range(1, len(kommune.fragen) + 1)),
                      format_func=lambda i: f"{i}. {kommune.fragen[i - 1]}", key="bew_frage",
                      placeholder="Bitte wählen …")
    p = daten.protokollpunkte
    p = p[(p["jahr"] == jahr) & (p["sozialraum"] == sr)]
    mass = daten.massnahmen[(daten.massnahmen["jahr"] == jahr) & (daten.massnahmen["sozialraum"] == sr)]
    bew = daten.bewertungen
    bew = bew[(bew["jahr"] == jahr) & (bew["sozialraum"] == sr)]
    e = einschaetzungen(p, mass, bew, fragen=kommune.fragen, ebenen=kommune.handlungsebenen,
                        arten=kommune.massnahmenarten, status=MASSNAHME_STATUS).set_index("frage").loc[nr]
    gespeichert = bew[bew["frage"] == nr]
    version = int(gespeichert.iloc[0]["version"]) if len(gespeichert) else None
    st.caption("Gespeichert – so steht es im Bericht." if e["quelle"] == "gespeichert" else
               "Entwurf aus den Protokollpunkten (nicht gespeichert): bitte bearbeiten und speichern.")
    sr_id = int(daten.sozialraeume.loc[daten.sozialraeume["name"] == sr, "id"].iloc[0])
    with st.form(f"bewertung_{jahr}_{sr}_{nr}"):
        text = st.text_area("Einschätzung", value=str(e["text"]), height=260)
        stand = st.selectbox("Stand", list(STATUS), format_func=STATUS.get,
                             index=list(STATUS).index(e["stand"]) if e["stand"] in STATUS else 0,
                             placeholder="Bitte wählen …")
        if st.form_submit_button("Einschätzung speichern"):
            try:
                dienste.ausfuehren(g.engine(), a, bewertung_speichern, sozialraum_id=sr_id, jahr=jahr, frage=int(nr),
                                   text=text, version=version, status=stand)
            except RessourcenkarteFehler as exc:
                g.zeige_fehler(exc)
            else:
                st.success("Einschätzung gespeichert (im Änderungsprotokoll festgehalten).")


def seite() -> None:
    st.title("Berichte")
    st.markdown(KONTRAST, unsafe_allow_html=True)  # nur eigenes, festes CSS
    kommune = g.kommune()
    try:
        daten = _daten()
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
        return
    jahre = sorted(map(int, daten.indikatoren["jahr"].unique()), reverse=True)
    if not jahre:
        st.info("Noch keine Indikatorwerte vorhanden.")
        return
    sozialraeume = [sr.name for sr in kommune.sozialraeume]
    a, b, c, d = st.columns([1, 2, 2, 1])
    jahr = a.selectbox("Berichtsjahr", jahre, key="ber_jahr", placeholder="Bitte wählen …")
    art = b.selectbox("Berichtsart", list(ARTEN), format_func=ARTEN.get, key="ber_art", placeholder="Bitte wählen …")
    sr = c.selectbox("Sozialraum", ["", *sozialraeume], format_func=lambda n: n or "alle Sozialräume",
                     key="ber_sr", placeholder="Bitte wählen …")
    fmt = d.radio("Format", list(FORMATE), key="ber_format")
    st.caption("Verteiler auf dem Deckblatt (Konzeption 3.2.4): " + "; ".join(map(g.md, kommune.verteiler.bericht)))
    if art == "bereich" and not sr:
        st.info("Der Bereichsbericht der Teamleitung gilt einem Sozialraum: bitte oben wählen.")
    elif st.button("Bericht erstellen", type="primary"):
        _bericht_erstellen(jahr, art, sr or None, FORMATE[fmt])
    datei = st.session_state.get("bericht_datei")
    if datei:
        name, inhalt = datei
        mime = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document" if name.endswith(".docx")
                else "application/pdf")
        st.download_button(f"{g.md(name)} herunterladen", inhalt, file_name=name, mime=mime)
    st.divider()
    _empfehlungen(jahr, sozialraeume)
    _einschaetzung(jahr, sozialraeume)


seite()
