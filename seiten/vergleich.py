"""Seite „Vergleich“ (R14): Bedarf gegen Angebot je Stadtteil oder Sozialraum, verbundene Diagramme, Tabellen."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from analysen.angebot import bevoelkerungspunkte
from analysen.ausgleich import lorenzkurve
from analysen.beschriftung import vergleich_dateien, vergleich_spalten
from analysen.gremium import sitzungskonformitaet_aus
from analysen.protokolle import fehlende_ressourcen, themen
from analysen.vergleich import Kennzahl, kennzahlen_katalog, ungleichheit, vergleiche
from daten.berichtsdaten import Berichtsdaten, lade_berichtsdaten, tabelle_als_csv, tabelle_als_xlsx
from daten.db import sitzung
from daten.fehler import RessourcenkarteFehler
from daten.geometrie import metrisches_crs
from daten.politik import Akteur, darf_protokoll_lesen
from daten.protokolle import protokoll_uebersicht, punkte_anzahl
from seiten import _diagramme as dg
from seiten import gemeinsam as g

SCHLUESSEL_GEBIETE = "vgl_gebiete"

# Bildunterschriften: Streamlit blendet sie mit opacity 0,6 aus (3,9:1 Kontrast; WCAG AA verlangt 4,5:1)
KONTRAST = ("<style>[data-testid='stCaptionContainer'] {opacity: 1 !important; color: #555 !important;}"
            "[data-testid='stCaptionContainer'] p {color: #555 !important;}</style>")


@st.cache_data(show_spinner="Daten werden geladen …", max_entries=4)
def _daten(stand: str, akteur: Akteur | None = None) -> Berichtsdaten:
    """Frames zum Datenstand; Protokolltexte nur, soweit `akteur` sie lesen darf (der Schlüssel des Zwischenspeichers
    enthält die Person: niemand bekommt die Protokolle eines anderen aus dem Speicher)."""
    return lade_berichtsdaten(g.engine(), g.kommune(), akteur=akteur, pruefen=False)


# Spalten, die sich beim Bestätigen oder Speichern ändern, ohne dass sich am Vergleich etwas ändert
@st.cache_data(show_spinner=False, max_entries=4)
def _inhaltsstand(stand: str, akteur: Akteur | None = None) -> str:
    """Fingerabdruck der Daten, die der Vergleich liest (alle Frames ohne `_OHNE_BELANG`, dazu die Zahl fehlender
    Ressourcen). Schlüssel aller Zwischenspeicher dieser Seite: Speichert jemand in der Pflege nur eine
    Bestätigung, bleibt er gleich, und nichts wird neu gerechnet; ändert sich ein Wert, ein neuer."""
    return g.fingerabdruck([*vars(_daten(stand, akteur)).items(), ("fehlende", _fehlende_anzahl(stand))])


@st.cache_data(show_spinner="Vergleich wird berechnet …", max_entries=16)
def _vergleich(stand: str, jahr: int) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    d = _daten(stand)
    k = g.kommune()
    v = vergleiche(d.indikatoren, d.einrichtungen, k, jahr=jahr, punkte=_punkte(stand), budgets=d.budgets,
                   netzwerke=d.netzwerke)
    return v.tabelle, {e: b.schritte() for e, b in v.bedarf.items()}


@st.cache_data(show_spinner=False, max_entries=4)
def _punkte(stand: str) -> pd.DataFrame:
    k = g.kommune()
    return bevoelkerungspunkte(_daten(stand).stadtteile, raster_m=k.versorgung.raster_m,
                               crs_metrisch=metrisches_crs(k))


@st.cache_data(show_spinner=False, max_entries=16)
def _konformitaet(stand: str, jahr: int) -> pd.DataFrame:
    return sitzungskonformitaet_aus(_daten(stand), g.kommune(), jahre=[jahr])


def _zeitreihe(stand: str, jahre: list[int]) -> pd.DataFrame:
    return pd.concat([_vergleich(stand, j)[0] for j in jahre], ignore_index=True)


@st.cache_data(show_spinner=False, max_entries=4)
def _fehlende_anzahl(stand: str) -> pd.DataFrame:
    """Zahl der Punkte zu Frage 6 je Sozialraum und Jahr – für alle (keine Texte; daten.protokolle)."""
    with sitzung(g.engine(), akteur=None) as s:
        return punkte_anzahl(session=s, frage=g.kommune().gremium.frage_fehlende_ressourcen)


def _mit_fehlenden_ressourcen(t: pd.DataFrame, stand: str, jahr: int) -> pd.DataFrame:
    """Zahl der genannten fehlenden Ressourcen (Frage 6) je Sozialraum als Kennzahl – damit steht sie auf der Karte.
    Stadtteile: keine Angabe (Protokolle gelten dem Sozialraum)."""
    f = _fehlende_anzahl(stand)
    anzahl = f[f["jahr"] == jahr].set_index("sozialraum")["anzahl"]
    werte = t["gebiet"].map(anzahl).fillna(0).where(t["ebene"] == "Sozialraum")
    return t.assign(fehlende_ressourcen=werte)


def _auswahl_aus_diagramm() -> None:
    """Klick in ein Diagramm nimmt das Gebiet in den Vergleich auf oder heraus (gilt dann für alle Diagramme)."""
    zustand = st.session_state.get("vgl_diagramm")
    try:
        punkte = zustand["selection"]["gebiet"]
    except (KeyError, TypeError):
        return
    gewaehlt = [p.get("gebiet") for p in punkte or [] if p.get("gebiet")]
    st.session_state[SCHLUESSEL_GEBIETE] = list(dict.fromkeys(gewaehlt))[:dg.HOECHSTENS]


def _steuerung(jahre: list[int], katalog: dict, tabelle: pd.DataFrame) -> tuple[int, str, str, list[str]]:
    a, b, c = st.columns([1, 1, 2])
    jahr = a.selectbox("Jahr", jahre, key="vgl_jahr", placeholder="Bitte wählen …")
    ebene = b.radio("Ebene", ["Sozialraum", "Stadtteil"], horizontal=True, key="vgl_ebene")
    spalten = [k for k in katalog if k in tabelle and tabelle[k].notna().any()]
    kennzahl = c.selectbox("Kennzahl für Karte, Rangfolge und Zeitreihe", spalten, format_func=lambda k:
                           katalog[k].achse, key="vgl_kennzahl", placeholder="Bitte wählen …")
    weitere = st.multiselect("Weitere Kennzahlen in der Tabelle", spalten, format_func=lambda k: katalog[k].achse,
                             default=[s for s in ("bedarfsindex", "versorgungsindex", "ausgleichsbedarf")
                                      if s in spalten], key="vgl_spalten", placeholder="Kennzahlen wählen …")
    return jahr, ebene, kennzahl, weitere


def seite() -> None:
    st.title("Vergleich der Sozialräume")
    st.markdown(KONTRAST, unsafe_allow_html=True)  # nur eigenes, festes CSS
    st.caption("Bedarf gegen Angebot (Konzeption, Grundsatz 1): je Stadtteil oder Sozialraum, über die Jahre.")
    kommune = g.kommune()
    try:
        stand = _inhaltsstand(g.datenstand(), g.akteur())
        daten = _daten(stand, g.akteur())
        jahre = sorted(map(int, daten.indikatoren["jahr"].unique()), reverse=True)
        if not jahre:
            st.info("Noch keine Indikatorwerte vorhanden.")
            return
        katalog = kennzahlen_katalog(kommune)
        jahr_vorher = st.session_state.get("vgl_jahr", jahre[0])
        tabelle, schritte = _vergleich(stand, jahr_vorher if jahr_vorher in jahre else jahre[0])
        katalog["fehlende_ressourcen"] = Kennzahl("fehlende_ressourcen", "Fehlende Ressourcen (Frage 6)",
                                                  "Nennungen", "Protokollpunkte zu Frage 6, ohne Fallbesprechungen")
        jahr, ebene, kennzahl, weitere = _steuerung(jahre, katalog, _mit_fehlenden_ressourcen(tabelle, stand,
                                                                                               jahr_vorher))
        tabelle, schritte = _vergleich(stand, jahr)
    except RessourcenkarteFehler as exc:
        g.zeige_fehler(exc)
        return
    t = _mit_fehlenden_ressourcen(tabelle[tabelle["ebene"] == ebene], stand, jahr)
    zeit = _zeitreihe_mit_fehlenden(stand, tuple(sorted(jahre)))
    gebiete = list(t["gebiet"])
    vorher = st.session_state.get(SCHLUESSEL_GEBIETE) or []
    if any(n not in gebiete for n in vorher):  # Ebene gewechselt: nur Gebiete dieser Ebene bleiben
        st.session_state[SCHLUESSEL_GEBIETE] = [n for n in vorher if n in gebiete]
    gewaehlt = st.multiselect(
        "Gebiete vergleichen (nebeneinander in allen Diagrammen)", gebiete, key=SCHLUESSEL_GEBIETE,
        max_selections=dg.HOECHSTENS, placeholder="Gebiete wählen …",
        help=f"Bis zu {dg.HOECHSTENS} Gebiete: jedes bekommt in allen Diagrammen eine eigene Farbe und seinen Namen. "
             "Auch ein Klick in ein Diagramm nimmt ein Gebiet auf oder heraus.")
    bivariat = st.toggle("Karte bivariat: Bedarf × Versorgung", key="vgl_bivariat")
    k = katalog[kennzahl]
    _diagramme(daten, t, zeit[zeit["ebene"] == ebene], kennzahl, k, gewaehlt, bivariat, ebene,
               schluessel=(stand, jahr, ebene, kennzahl))
    gebiet = gewaehlt[0] if len(gewaehlt) == 1 else ""
    _tabelle(t, kennzahl, weitere, katalog, gebiet, jahr, ebene)
    _schritte(schritte.get(ebene), gewaehlt, ebene)
    _ungleichheit(tabelle, kommune, katalog)
    sozialraeume = gewaehlt if ebene == "Sozialraum" else []
    _gremiumsarbeit(_konformitaet(stand, jahr), jahr, sozialraeume)
    _protokolle(daten, kommune, jahr, gebiet if ebene == "Sozialraum" else "", stand)


@st.cache_data(show_spinner=False, max_entries=4)
def _zeitreihe_mit_fehlenden(stand: str, jahre: tuple[int, ...]) -> pd.DataFrame:
    """Vergleichstabellen aller Jahre mit der Zahl fehlender Ressourcen – einmal je Datenstand, nicht je Neulauf."""
    zeit = _zeitreihe(stand, list(jahre))
    return pd.concat([_mit_fehlenden_ressourcen(z, stand, int(j)) for j, z in zeit.groupby("jahr")],
                     ignore_index=True)


@st.cache_data(show_spinner=False, max_entries=16)
def _diagramm_gebaut(schluessel: tuple, gewaehlt: tuple[str, ...], bivariat: bool, achse: str, nenner: str | None,
                     _geo: pd.DataFrame, _tab: pd.DataFrame, _reihe: pd.DataFrame) -> alt.TopLevelMixin:
    """Die verbundenen Diagramme, gebaut einmal je (Datenstand, Jahr, Ebene, Kennzahl) und Auswahl: `schluessel`
    bestimmt die Frames vollständig (sie werden darum nicht gehasht)."""
    return dg.diagramme(_geo, _tab, _reihe, achse=achse, nenner=nenner, gewaehlt=list(gewaehlt), bivariat=bivariat)


def _diagramme(daten: Berichtsdaten, t: pd.DataFrame, zeit: pd.DataFrame, kennzahl: str, k, gewaehlt: list[str],  # noqa: ANN001
               bivariat: bool, ebene: str, *, schluessel: tuple) -> None:
    flaechen = daten.sozialraeume if ebene == "Sozialraum" else daten.stadtteile
    werte = t.set_index("gebiet")
    hinweis = werte["kleine_zahl"].fillna("").map(lambda h: f"kleine Zahl: {h}" if h else "")
    geo = flaechen[["name", "geometry"]].rename(columns={"name": "gebiet"})
    geo = geo[geo.geometry.notna()].copy()
    geo["wert"] = geo["gebiet"].map(werte[kennzahl])
    geo["hinweis"] = geo["gebiet"].map(hinweis).fillna("")
    geo["bivariat_farbe"] = geo["gebiet"].map(werte["bivariat_farbe"])
    geo["bivariat_text"] = geo["gebiet"].map(werte["bivariat_text"])
    tab = pd.DataFrame({"gebiet": werte.index, "wert": werte[kennzahl].to_numpy(),
                        "beschriftung": [f"{n} ⚠" if h else n for n, h in zip(werte.index, hinweis, strict=True)],
                        "bedarfsindex": werte["bedarfsindex"].to_numpy(),
                        "versorgungsindex": werte["versorgungsindex"].to_numpy(), "hinweis": hinweis.to_numpy()})
    reihe = pd.DataFrame({"gebiet": zeit["gebiet"], "jahr": zeit["jahr"], "wert": zeit[kennzahl]})
    diagramm = _diagramm_gebaut(schluessel, tuple(gewaehlt), bivariat, k.achse, k.nenner, geo, tab, reihe)
    st.altair_chart(diagramm, on_select=_auswahl_aus_diagramm, selection_mode="gebiet", key="vgl_diagramm")
    st.caption("Klick auf ein Gebiet nimmt es in den Vergleich auf oder heraus (Doppelklick hebt auf); per "
               "Tastatur über „Gebiete vergleichen“. ⚠ = kleine Zahl: Nenner unter "
               f"{g.zahl(g.kommune().versorgung.kleine_zahl)} bzw. weniger als "
               f"{g.zahl(g.kommune().bedarfsindex.mindest_einwohner)} Einwohner – mit Vorsicht lesen.")
    _quadranten(tab)
    markiert = tab.assign(ausgewaehlt=tab["gebiet"].isin(gewaehlt))
    kasten = st.expander("Textfassung der Diagramme (Tabellen)", key="vgl_textfassung", on_change="rerun")
    if not kasten.open:  # zugeklappt: die Tabellen nicht bei jedem Neulauf bauen
        return
    with kasten:
        st.markdown("**Karte und Rangfolge**")
        st.dataframe(markiert.sort_values("wert", ascending=False)[["gebiet", "wert", "hinweis", "ausgewaehlt"]]
                     .rename(columns={"gebiet": "Gebiet", "wert": k.achse, "hinweis": "Hinweis",
                                      "ausgewaehlt": "ausgewählt"}), hide_index=True)
        if bivariat:
            st.dataframe(dg.bivariat_legende(), hide_index=True)
        st.markdown("**Bedarf gegen Angebot**")
        st.dataframe(markiert[["gebiet", "bedarfsindex", "versorgungsindex", "ausgewaehlt"]].rename(
            columns={"gebiet": "Gebiet", "bedarfsindex": "Bedarfsindex", "versorgungsindex": "Versorgungsindex",
                     "ausgewaehlt": "ausgewählt"}), hide_index=True)
        st.markdown("**Zeitreihe**")
        st.dataframe(reihe.pivot_table(index="gebiet", columns="jahr", values="wert").rename_axis(
            index="Gebiet", columns="Jahr"))


def _quadranten(tab: pd.DataFrame) -> None:
    """Das Streudiagramm in Worten: welche Gebiete in welchem Feld liegen (aus den Daten, Namen maskiert)."""
    felder = dg.quadranten(tab)
    if not any(gebiete for _, _, gebiete in felder):
        return
    zeilen = ["**Bedarf gegen Angebot in Worten** (0 = Durchschnitt der Gebiete):"]
    for titel, deutung, gebiete in felder:
        zeilen.append(f"- **{g.md(titel)}** ({g.md(deutung)}): "
                      + ("; ".join(g.md(x) for x in gebiete) if gebiete else "keines"))
    st.markdown("\n".join(zeilen))


def _tabelle(t: pd.DataFrame, kennzahl: str, weitere: list[str], katalog: dict, gebiet: str, jahr: int,
             ebene: str) -> None:
    st.subheader(f"Tabelle {g.md(ebene)} {g.md(jahr)}")
    spalten = ["gebiet", *dict.fromkeys([kennzahl, *weitere]), "bedarfsklasse", "statusklasse", "kleine_zahl"]
    if ebene == "Stadtteil":
        spalten.insert(1, "sozialraum")
    vorhanden = [c for c in dict.fromkeys(spalten) if c in t]
    koepfe = vergleich_spalten(vorhanden, g.kommune())  # dieselben Köpfe wie in der XLSX/CSV-Datei
    anzeige = t[vorhanden].rename(columns={c: koepfe[c].kopf for c in vorhanden})
    st.dataframe(anzeige, hide_index=True, width="stretch", column_config=_zahlenformat(vorhanden, katalog, koepfe))
    a, b = st.columns(2)
    d, k = _daten(g.datenstand()), g.kommune()
    export, erkl = vergleich_dateien(t, k, indikatoren=d.indikatoren, stadtteile=d.stadtteile)
    # Dateien erst beim Klick erzeugen (nicht bei jedem Neulauf der Seite)
    a.download_button("Tabelle als CSV (Excel, ;) herunterladen", lambda: tabelle_als_csv(export),
                      file_name=f"vergleich-{jahr}.csv", mime="text/csv")
    b.download_button("Tabelle als XLSX herunterladen", lambda: tabelle_als_xlsx(
        export, blatt=f"{ebene} {jahr}", erlaeuterungen=erkl, titel=f"{k.name}: Vergleich {ebene} {jahr}"),
        file_name=f"vergleich-{jahr}.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _zahlenformat(spalten: list[str], katalog: dict, koepfe: dict) -> dict:
    """Zahlen im Format des Browsers (in deutschen Ämtern: 1.234,5), Beträge in Euro – nie „0.00“."""
    return {koepfe[c].kopf: st.column_config.NumberColumn(format="euro" if "€" in katalog[c].einheit
                                                          else "localized")
            for c in spalten if c in katalog and c in koepfe}


def _schritte(schritte: pd.DataFrame | None, gewaehlt: list[str], ebene: str) -> None:
    if schritte is None:
        return
    with st.expander(f"Rechenschritte des Bedarfsindex ({g.md(ebene)})"):
        st.caption("z = (Wert − Mittelwert) / Standardabweichung je Indikator; Summe (Gewicht · z); die Summe erneut "
                   "standardisiert ist der Index; Klassen an den MSS-Schwellen.")
        s = schritte if not gewaehlt else schritte[schritte["gebiet"].isin(gewaehlt)]
        st.dataframe(s, hide_index=True, width="stretch")


def _ungleichheit(tabelle: pd.DataFrame, kommune, katalog: dict) -> None:  # noqa: ANN001
    # Zustand des Aufklappens mitgeführt: zugeklappt wird nichts gerechnet (Gini, Theil, Lorenzkurve je Neulauf)
    kasten = st.expander("Ungleichheit des Angebots zwischen den Sozialräumen (Gini, Theil)", key="vgl_ungleichheit",
                         on_change="rerun")
    if not kasten.open:
        return
    u = ungleichheit(tabelle, kommune)
    with kasten:
        u = u.assign(kennzahl=u["kennzahl"].map(lambda c: katalog[c].achse if c in katalog else c))
        st.dataframe(u.rename(columns={"kennzahl": "Kennzahl", "gini": "Gini", "theil": "Theil",
                                       "gebiete": "Gebiete"}), hide_index=True)
        st.caption("0 = gleich verteilt; gewichtet mit der jeweiligen Zielgruppe.")
        _lorenz(tabelle[tabelle["ebene"] == "Sozialraum"], kommune, katalog)


def _lorenz(t: pd.DataFrame, kommune, katalog: dict) -> None:  # noqa: ANN001
    """Lorenzkurve einer Angebotskennzahl über die Sozialräume (gewichtet mit ihrer Zielgruppe)."""
    paare = {f"je_1000_{va.art}": f"zielgruppe_{va.art}" for va in kommune.versorgung.arten}
    paare["kita_plaetze_je_kind"] = "kinder_kita"
    paare = {k: g for k, g in paare.items() if k in t and g in t and t[k].notna().sum() >= 2}
    if not paare:
        return
    k = st.selectbox("Lorenzkurve für", list(paare), format_func=lambda c: katalog[c].achse, key="vgl_lorenz",
                     placeholder="Bitte wählen …")
    lk = lorenzkurve(t[k], t[paare[k]])
    gleich = pd.DataFrame({"anteil_bevoelkerung": [0.0, 1.0], "anteil_angebot": [0.0, 1.0]})
    basis = alt.Chart(lk).mark_line(point=True, color="#d94801").encode(
        x=alt.X("anteil_bevoelkerung:Q", title="kumulierter Anteil der Zielgruppe", axis=alt.Axis(format="%")),
        y=alt.Y("anteil_angebot:Q", title="kumulierter Anteil am Angebot", axis=alt.Axis(format="%")))
    diagonale = alt.Chart(gleich).mark_line(strokeDash=[4, 4], color="#636363").encode(
        x="anteil_bevoelkerung:Q", y="anteil_angebot:Q")
    st.altair_chart(dg.deutsch((diagonale + basis).properties(width=360, height=300,
                                                              title=f"Lorenzkurve: {katalog[k].achse}")))
    st.dataframe(lk.rename(columns={"anteil_bevoelkerung": "Anteil Zielgruppe (kumuliert)",
                                    "anteil_angebot": "Anteil Angebot (kumuliert)"}), hide_index=True)


def _gremiumsarbeit(k: pd.DataFrame, jahr: int, sozialraeume: list[str]) -> None:
    """Sitzungskonformität je Sozialraum (R5, R6, R13): Turnus, Ortswechsel, Anwesenheit, Hospitationen."""
    st.subheader(f"Arbeit der Gremien {g.md(jahr)}")
    if k.empty or not k["sitzungen"].any():
        st.info(f"Für {g.md(jahr)} ist keine durchgeführte Sitzung erfasst.")
    ja_nein = {True: "ja", False: "nein"}
    st.dataframe(pd.DataFrame({
        "Sozialraum": k["sozialraum"], "Sitzungen": k["sitzungen"],
        "Halbjahre ohne Sitzung": k["halbjahre_ohne_sitzung"],
        "Ortswechsel eingehalten": [ja_nein.get(w, "–") for w in k["ortsrotation_ok"]],
        "Anwesenheit (%)": (100 * k["anwesenheitsquote"]).round(0), "Hospitationen": k["hospitationen"],
        "ausgewählt": k["sozialraum"].isin(sozialraeume)}), hide_index=True, width="stretch")
    st.caption("Sitzungen: durchgeführte Sitzungen im Jahr (auch der Teilgremien). Halbjahre ohne Sitzung: nur "
               "beendete Halbjahre (die Konzeption verlangt mindestens eine Sitzung je Halbjahr). Ortswechsel: "
               "ASD → Kita → KiJuKuZ („–“ ohne Sitzung). Anwesenheit: Anteil der erwarteten Teilnahmen – je Sitzung "
               "jedes KiJuKuZ und jede Kita der geltenden Stufe. Hospitationen: Zahl im Jahr.")
    probleme = k[(k["halbjahre_ohne_sitzung"] > 0) | (k["ortsrotation_ok"] == False)]  # noqa: E712 (None bleibt)
    if len(probleme):
        st.warning("Nicht eingehalten (Turnus oder Ortswechsel): " + ", ".join(map(g.md, probleme["sozialraum"])))


def _protokolle(daten: Berichtsdaten, kommune, jahr: int, sozialraum: str, stand: str) -> None:  # noqa: ANN001
    """Zählungen für alle (daten.protokolle.protokoll_uebersicht, ohne Texte); Themen und Texte nur mit Leserecht."""
    alle = _uebersicht(stand)
    zahlen = alle[alle["jahr"] == jahr]
    st.subheader(f"Auswertung der Protokolle {g.md(jahr)}")
    if zahlen.empty:
        st.info("Für dieses Jahr liegen keine Protokolle vor.")
        return
    st.dataframe(zahlen.pivot_table(index="sozialraum", columns="frage", values="anzahl", aggfunc="sum")
                 .rename_axis(index="Sozialraum", columns="Frage"), width="stretch")
    st.caption("Anzahl Protokollpunkte je Sozialraum und Frage (1–8).")
    st.dataframe(alle.pivot_table(index="sozialraum", columns="jahr", values="anzahl", aggfunc="sum", fill_value=0)
                 .rename_axis(index="Sozialraum", columns="Jahr"), width="stretch")
    st.caption("Anzahl Protokollpunkte je Sozialraum und Jahr (Vergleich über die Jahre).")
    namen = sorted(zahlen["sozialraum"].unique())
    wahl = sozialraum or st.selectbox("Sozialraum für Themen", namen, key="vgl_prot_sr",
                                      placeholder="Bitte wählen …")
    sr_id = daten.sozialraeume.set_index("name")["id"].get(wahl)
    if not darf_protokoll_lesen(g.akteur(), int(sr_id) if sr_id is not None else None):
        f = _fehlende_anzahl(stand)
        n = int(f.loc[(f["jahr"] == jahr) & (f["sozialraum"] == wahl), "anzahl"].sum())
        st.write(f"Fehlende Ressourcen (Frage 6) in {g.md(wahl)}: {n} Nennungen. Themen und Texte sehen nur Personen "
                 "mit Leserecht für die Protokolle dieses Gremiums.")
        return
    p = daten.protokollpunkte
    teil = p[(p["jahr"] == jahr) & (p["sozialraum"] == wahl)]
    th = themen(teil, ausschluss=kommune.stadtteile)
    # Themen stammen aus Protokolltext: als reiner Text, nie als Markdown
    st.text(f"Wiederkehrende Themen in {wahl} (Anzahl Sitzungen): "
            + (", ".join(f"{r.thema} ({r.sitzungen})" for r in th.itertuples()) or "keine"))
    st.markdown("**Fehlende Ressourcen (Frage 6)**")
    st.dataframe(fehlende_ressourcen(teil, frage=kommune.gremium.frage_fehlende_ressourcen), hide_index=True,
                 width="stretch")


@st.cache_data(show_spinner=False, max_entries=4)
def _uebersicht(stand: str) -> pd.DataFrame:
    with sitzung(g.engine(), akteur=None) as s:
        return protokoll_uebersicht(session=s)


seite()
