"""Seite „Import“ (Administration, Jugendhilfeplanung): Datei hochladen, Probelauf mit Zeilenbericht, dann importieren.

Texte aus Dateien und Datenbank erscheinen nur als Tabellen (st.dataframe) oder escaped – nie als Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from berichte import opendata
from daten import importe
from daten.fehler import RessourcenkarteFehler
from seiten import gemeinsam as g

# Zielfelder, wie Menschen sie nennen (Schlüssel wie in daten.importe.ZIELE)
FELDER = {
    "schluessel": "Kennung", "name": "Name", "art": "Art", "traeger_art": "Trägerart", "traeger": "Träger",
    "adresse": "Adresse", "strasse": "Straße", "hausnummer": "Hausnummer", "plz": "PLZ", "ort": "Ort",
    "kapazitaet": "Kapazität", "zielgruppen": "Zielgruppen", "angebote": "Angebote", "gueltig_von": "gültig von",
    "gueltig_bis": "gültig bis", "lat": "Breite (WGS84)", "lon": "Länge (WGS84)", "x": "Ostwert (x)",
    "y": "Nordwert (y)", "wkt": "Geometrie (WKT)", "stadtteil": "Stadtteil", "jahr": "Jahr", "merkmal": "Merkmal",
    "wert": "Wert", "quelle": "Quelle",
}

_ENDUNGEN = {
    "stadtteile": ["geojson", "json", "gpkg", "zip"],
    "einrichtungen": ["csv", "txt", "xlsx", "json", "geojson", "gpkg", "zip"],
    "indikatoren": ["csv", "txt", "xlsx"],
}


def _zeilen(text: str) -> tuple[str, ...]:
    return tuple(z.strip() for z in text.splitlines() if z.strip())


def _optionen(art: str, spalten: tuple[str, ...]):  # noqa: ANN202
    if art == "stadtteile":
        feld = st.text_input("Namensfeld (leer: wird gesucht)", help="Feld mit den Stadtteilnamen oder Kennungen")
        zuordnung = st.text_area("Zuordnung, je Zeile WERT=STADTTEIL (optional)",
                                 help="z. B. 4711=Altstadt, wenn das Namensfeld Kennungen enthält")
        nach_lage = st.checkbox("Unbenannte Flächen nach Überdeckung mit den gespeicherten Grenzen benennen")
        luecke = st.number_input("Lücken zwischen Nachbarn schließen bis (Meter Breite)", min_value=0.0,
                                 max_value=1000.0, value=50.0, step=10.0)
        crs = st.text_input("Koordinatensystem (EPSG, leer: aus der Datei)", key="crs_st")
        return importe.StadtteilOptionen(name_feld=feld.strip() or None, crs=crs.strip() or None,
                                         zuordnung=importe.lies_zuordnung(list(_zeilen(zuordnung)), None),
                                         namen_nach_lage=nach_lage, luecke_bis_m=float(luecke))
    if art == "einrichtungen":
        crs = st.text_input("Koordinatensystem (EPSG, leer: erklärt oder erkannt)", key="crs_ein")
        return importe.EinrichtungOptionen(crs=crs.strip() or None, spalten=spalten)
    merkmale = st.text_area("Merkmale, je Zeile WORT=SCHLÜSSEL (optional)",
                            help="Merkmalsnamen der Datei, die nicht wie in der Konfiguration heißen")
    jahr = st.text_input("Jahr (nur für breite Tabellen ohne Jahresspalte)")
    return importe.IndikatorOptionen(spalten=spalten, merkmale=_zeilen(merkmale),
                                     jahr=int(jahr) if jahr.strip().isdigit() else None)


@st.cache_data(max_entries=4, show_spinner=False)
def _vorschlag(art: str, name: str, daten: bytes) -> tuple[list[str], dict[str, str]]:
    """Spalten und automatische Zuordnung einer hochgeladenen Datei (einmal gelesen, nicht bei jedem Lauf)."""
    return importe.spaltenvorschlag(art, importe.Quelle(name, daten))


def _spalten_zuordnen(art: str, datei) -> tuple[str, ...]:  # noqa: ANN001
    """Je Zielfeld eine Auswahl aus den Spalten der Datei, vorbelegt mit der automatischen Erkennung. Ergebnis
    als ZIEL=QUELLE-Angaben (leer: das Feld wird nicht aus der Datei gelesen)."""
    if art not in importe.ZIELE or datei is None:
        return ()
    spalten, vorschlag = _vorschlag(art, datei.name, datei.getvalue())
    angaben = []
    with st.expander(f"Spalten zuordnen ({len(vorschlag)} von {len(importe.ZIELE[art])} Feldern erkannt)",
                     expanded=True):
        st.caption("Vorbelegt mit den erkannten Spalten; „–“ heißt: dieses Feld nicht aus der Datei lesen.")
        optionen = ["", *spalten]
        spalten_je_zeile = st.columns(3)
        for i, ziel in enumerate(importe.ZIELE[art]):
            wahl = spalten_je_zeile[i % 3].selectbox(
                FELDER.get(ziel, ziel), optionen, index=optionen.index(vorschlag[ziel]) if ziel in vorschlag else 0,
                format_func=lambda o: o or "–", key=f"spalte_{art}_{ziel}_{datei.file_id}",
                                                     placeholder="Bitte wählen …")
            angaben.append(f"{ziel}={wahl}")
    return tuple(angaben)


def _ergebnis(erg: importe.Ergebnis) -> None:
    (st.success if erg.geschrieben else st.warning if erg.bericht.hat_fehler else st.info)(g.md(erg.text, zeilen=True))
    st.subheader("Zeilenbericht")
    st.caption("Zeile: wie im Tabellenprogramm (Kopfzeile = 1) bzw. Nummer des Objekts; 0 = ganze Datei.")
    st.dataframe(erg.bericht.als_tabelle(), hide_index=True, width="stretch")
    st.download_button("Zeilenbericht als CSV herunterladen", data=erg.bericht.als_csv(),
                       file_name="importbericht.csv", mime="text/csv")
    plan = erg.plan
    if erg.art == "stadtteile":
        if len(plan.flaechen):
            st.subheader(f"Flächen je Stadtteil (m², EPSG:{g.md(plan.crs_metrisch)})")
            st.dataframe(plan.flaechen, hide_index=True, width="stretch")
        if plan.umzuege:
            st.subheader("Einrichtungen mit neuem Stadtteil")
            st.dataframe(pd.DataFrame([(u.name, u.alt, u.neu) for u in plan.umzuege],
                                      columns=["Einrichtung", "bisher", "neu"]), hide_index=True, width="stretch")
    elif len(plan.zeilen):
        st.subheader("Vorschau")
        st.dataframe(plan.vorschau(), hide_index=True, width="stretch")


def seite() -> None:
    st.title("Import")
    akteur = g.akteur()
    if not importe.darf_importieren(akteur):
        st.info("Importe sind der Administration und der Jugendhilfeplanung vorbehalten. Bitte passend anmelden.")
        return
    art = st.radio("Was soll importiert werden?", list(importe.ARTEN), format_func=importe.ARTEN.get,
                   horizontal=True)
    datei = st.file_uploader("Datei", type=_ENDUNGEN[art], key=f"datei_{art}",
                             help="Shapefiles als .zip mit .shp, .shx, .dbf und .prj")
    try:
        spalten = _spalten_zuordnen(art, datei)
        with st.expander("Weitere Optionen", expanded=False):
            optionen = _optionen(art, spalten)
    except RessourcenkarteFehler as exc:
        st.error(g.md(str(exc), zeilen=True))
        return
    ueberspringen = st.checkbox("Fehlerhafte Zeilen überspringen (sonst wird bei Fehlern nichts geschrieben)")
    links, rechts = st.columns(2)
    probe = links.button("Probelauf (nichts schreiben)", disabled=datei is None)
    schreiben = rechts.button("Importieren", type="primary", disabled=datei is None)
    if datei is None or not (probe or schreiben):
        return
    balken = st.progress(0.0, text="Import startet …")
    try:
        erg = importe.importiere(g.engine(), g.kommune(), art, importe.Quelle(datei.name, datei.getvalue()),
                                 akteur=akteur, optionen=optionen, probe=probe, zeilen_ueberspringen=ueberspringen,
                                 fortschritt=lambda a, t: balken.progress(min(a, 1.0), text=g.md(t)))
    except RessourcenkarteFehler as exc:
        balken.empty()
        st.error(g.md(str(exc), zeilen=True))
        return
    balken.progress(1.0, text="fertig")
    if erg.geschrieben:
        st.cache_data.clear()  # Karte und Tabellen zeigen sofort den neuen Stand
        if not probe:
            try:  # Offene Daten: Kennzahlen der öffentlichen Sichten neu rechnen
                opendata.nach_import(g.engine(), g.kommune(), art, geschrieben=True)
            except RessourcenkarteFehler as exc:
                st.warning(f"Import gespeichert, aber die Offenen Daten sind nicht aktualisiert: {g.md(str(exc))}")
    _ergebnis(erg)


seite()
