"""Seite „Offene Daten“ (ohne Anmeldung): Karte der Einrichtungen und Gebiete mit einer Kennzahl als Choroplethe,
Tabellen als Textfassung, Schnittstelle und Downloads. Liest nur die öffentlichen Sichten (daten/offene_dateien.py)
und fragt nie nach der angemeldeten Person."""

from __future__ import annotations

import streamlit as st

from daten.fehler import RessourcenkarteFehler
from daten.offene_dateien import (
    DATEIEN,
    METADATEN,
    OffeneDaten,
    api_adresse,
    datei_bytes,
    einrichtungen_tabelle,
    lade_offene_daten,
    lizenz_text,
    mit_kennzahlen,
)
from karte.oeffentlich import baue_oeffentliche_karte, kennzahl_tabelle
from seiten import gemeinsam as g


@st.cache_data(ttl=300, max_entries=2, show_spinner="Offene Daten werden geladen …")
def _daten() -> OffeneDaten:
    return lade_offene_daten(g.engine())


@st.cache_data(ttl=300, max_entries=32, show_spinner="Karte wird gebaut …")
def _karten_html(merkmal: str | None, jahr: int | None) -> str:
    """Die Karte als HTML, für alle Sitzungen zwischengespeichert (wie die Daten fünf Minuten)."""
    from karte import html_text

    daten = _daten()
    return html_text(baue_oeffentliche_karte(daten, mit_kennzahlen(g.kommune(), daten), merkmal=merkmal, jahr=jahr,
                                             basemap=g.einstellungen().basemap))


def _gueltig(schluessel: str, optionen: list) -> None:
    """Ein Wert im Sitzungszustand, den es nicht (mehr) zur Auswahl gibt, fällt auf den Standard zurück."""
    if schluessel in st.session_state and st.session_state[schluessel] not in optionen:
        del st.session_state[schluessel]


def _auswahl(daten: OffeneDaten, kommune) -> tuple[str | None, int | None]:  # noqa: ANN001
    zahlen = [k.schluessel for k in daten.zahlen() if daten.jahre(k.schluessel)]
    namen = {m.schluessel: f"{m.bezeichnung} ({m.einheit})" if m.einheit else m.bezeichnung for m in kommune.merkmale}
    optionen = [*zahlen, ""]
    _gueltig("o_kennzahl", optionen)
    a, b = st.columns(2)
    merkmal = a.selectbox("Kennzahl je Stadtteil (Farbe der Flächen)", optionen, key="o_kennzahl",
                          format_func=lambda k: namen.get(k, k) if k else "keine", placeholder="Bitte wählen …")
    if not merkmal:
        return None, None
    jahre = daten.jahre(merkmal)
    _gueltig("o_jahr", jahre)
    return merkmal, b.selectbox("Jahr", jahre, key="o_jahr", placeholder="Bitte wählen …")


def _tabellen(daten: OffeneDaten, kommune, merkmal: str | None, jahr: int | None) -> None:  # noqa: ANN001
    ein = einrichtungen_tabelle(daten, kommune)
    reiter = st.tabs([f"Einrichtungen ({len(ein)})", "Kennzahl je Stadtteil"])
    with reiter[0]:
        st.caption("Textfassung der Karte: dieselben Einrichtungen wie auf der Karte.")
        st.dataframe(ein, hide_index=True, width="stretch", height=520)
    with reiter[1]:
        if merkmal is None or jahr is None:
            st.caption("Keine Kennzahl gewählt. Oben lässt sich eine Kennzahl auf der Karte einfärben; ihre Werte "
                       "stehen dann hier.")
            return
        tab, titel = kennzahl_tabelle(daten, kommune, merkmal=merkmal, jahr=jahr)
        st.markdown(f"**{g.md(titel)}**")
        st.dataframe(tab, hide_index=True, width="stretch")


def _schnittstelle_und_downloads(daten: OffeneDaten, kommune) -> None:  # noqa: ANN001
    st.subheader("Schnittstelle und Downloads")
    basis = g.einstellungen().oeffentliche_url
    api = api_adresse(basis)
    if api:
        st.link_button("Schnittstelle (OGC API – Features): Sammlungen", api)
    else:
        st.caption("Eine öffentliche Schnittstelle (OGC API – Features) ist für diese Installation nicht eingerichtet.")
    kasten = st.expander("Offene Daten herunterladen: GeoPackage, GeoJSON, CSV, HSDS 3.0 und Metadaten (DCAT-AP.de)",
                         key="o_downloads", on_change="rerun")
    if not kasten.open:
        return  # die Dateien entstehen erst beim Klick; zugeklappt braucht die Seite keine Knöpfe
    with kasten:
        st.caption(g.md(lizenz_text(kommune)))
        for d in (*DATEIEN, METADATEN):
            st.download_button(f"{d.titel} – {d.name}", lambda n=d.name: datei_bytes(n, daten, kommune, basis=basis),
                               file_name=d.name, mime=d.medientyp, help=d.beschreibung, on_click="ignore",
                               key=f"o_datei_{d.name}")


def seite() -> None:
    kommune = g.kommune()
    st.title("Offene Daten: Einrichtungen und Kennzahlen")
    st.markdown(g.md(f"{kommune.name}, {kommune.amt}: Einrichtungen für Kinder, Jugendliche und Familien und "
                     "Kennzahlen je Stadtteil, ohne Anmeldung. Die Tabellen neben der Karte enthalten dieselben "
                     "Angaben als Text."))
    try:
        daten = _daten()
        kommune = mit_kennzahlen(kommune, daten)
        merkmal, jahr = _auswahl(daten, kommune)
        links, rechts = st.columns([3, 2], gap="medium")
        with links, st.container(key="rkvoll_oeffentlich"):
            st.iframe(_karten_html(merkmal, jahr), height=600,
                      alt="Karte der Einrichtungen, Stadtteile und Sozialräume; dieselben Inhalte stehen in den "
                          "Tabellen neben der Karte")
        g.seitenrahmen()  # Sprache und Fokus gleich nach der Karte
        with rechts:
            _tabellen(daten, kommune, merkmal, jahr)
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
        return
    _schnittstelle_und_downloads(daten, kommune)


seite()
