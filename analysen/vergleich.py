"""Die Vergleichstabelle (R14): je Stadtteil und je Sozialraum Indikatoren, Bedarfsindex mit allen Schritten,
Dynamik, Angebot, Versorgungsindex und Ausgleichsbedarf – für Seite, Kommandozeile und Jahresbericht.

Jede Ebene wird für sich standardisiert: die z-Werte der Stadtteile beziehen sich auf alle Stadtteile, die der
Sozialräume auf alle Sozialräume (deren Werte zuvor nach eigener Bezugsgruppe zusammengefasst sind).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
import pandas as pd

from analysen.angebot import angebot, netzwerke_je_sozialraum, versorgt_zusammenfassen, versorgungsgrad
from analysen.ausgleich import ausgleichsbedarf, bivariate_klassen, gini, theil, versorgungsindex
from analysen.bedarf import Bedarfsergebnis, bedarfsindex, dynamik
from analysen.kennzahlen import breit, einrichtungen_am, fasse_zusammen
from daten.config import Kommune
from daten.geometrie import metrisches_crs

EBENEN = ("Stadtteil", "Sozialraum")


@dataclass
class Vergleich:
    """`tabelle`: eine Zeile je Gebiet (Spalte `ebene`); `bedarf`/`dynamik`: Zwischenschritte je Ebene."""

    jahr: int
    tabelle: pd.DataFrame
    bedarf: dict[str, Bedarfsergebnis] = field(default_factory=dict)
    dynamik: dict[str, Bedarfsergebnis] = field(default_factory=dict)
    vergleichsjahr: int | None = None

    def ebene(self, name: str) -> pd.DataFrame:
        return self.tabelle[self.tabelle["ebene"] == name].set_index("gebiet")


def _budget_je_sozialraum(budgets: pd.DataFrame | None, jahr: int) -> pd.Series | None:
    if budgets is None:
        return None
    b = budgets[budgets["jahr"] == jahr]
    return b.groupby("sozialraum")["betrag_eur"].sum()


def _ebene_tabellen(indikatoren: pd.DataFrame, kommune: Kommune, jahr: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    st = breit(indikatoren, jahr=jahr)
    reihe = [s for s in kommune.stadtteile if s in st.index]
    st = st.reindex(reihe)
    sr = fasse_zusammen(st, kommune.merkmale)
    sr = sr.reindex([s.name for s in kommune.sozialraeume if s.name in sr.index])
    return st, sr


def vergleiche(indikatoren: pd.DataFrame, einrichtungen: gpd.GeoDataFrame, kommune: Kommune, *, jahr: int,
               punkte: pd.DataFrame | None = None, budgets: pd.DataFrame | None = None,
               netzwerke: pd.DataFrame | None = None) -> Vergleich:
    """Vergleich aller Gebiete im Jahr `jahr`.

    `indikatoren`: lang (stadtteil, sozialraum, jahr, merkmal, wert); `einrichtungen`: EPSG:4326 mit art,
    kapazitaet, stadtteil, sozialraum, gueltig_von/-bis (gezählt wird, was am 31.12. gilt); `punkte`:
    Bevölkerungspunkte (`analysen.angebot.bevoelkerungspunkte…`) für den Versorgungsgrad; `budgets`:
    sozialraum, jahr, betrag_eur; `netzwerke`: sozialraum, status.
    """
    if kommune.bedarfsindex is None:
        from daten.fehler import KonfigurationsFehler

        raise KonfigurationsFehler("Die Kommune-Konfiguration hat keinen Abschnitt 'bedarfsindex'.")
    if not (indikatoren["jahr"] == jahr).any():
        from daten.fehler import EingabeFehler

        vorhanden = ", ".join(str(j) for j in sorted(indikatoren["jahr"].unique()))
        raise EingabeFehler(f"Für {jahr} gibt es keine Indikatorwerte. Vorhanden: {vorhanden or 'keine'}.")
    konfig, v = kommune.bedarfsindex, kommune.versorgung
    jetzt = _ebene_tabellen(indikatoren, kommune, jahr)
    vj = jahr - konfig.dynamik_abstand_jahre
    vorher = _ebene_tabellen(indikatoren, kommune, vj) if (indikatoren["jahr"] == vj).any() else None
    ein = einrichtungen_am(einrichtungen, date(jahr, 12, 31))
    versorgt_st = versorgungsgrad(punkte, ein, v.arten, crs_metrisch=metrisches_crs(kommune)) if punkte is not None \
        else None
    st_tab, sr_tab = jetzt
    versorgt_sr = versorgt_zusammenfassen(versorgt_st, st_tab, st_tab["sozialraum"], v) if versorgt_st is not None \
        else None
    angebote = {
        "Stadtteil": angebot(st_tab, ein, v, gebiet="stadtteil", versorgt=versorgt_st),
        "Sozialraum": angebot(sr_tab, ein, v, gebiet="sozialraum", versorgt=versorgt_sr,
                              budget_eur=_budget_je_sozialraum(budgets, jahr)),
    }
    ergebnis = Vergleich(jahr=jahr, tabelle=pd.DataFrame(), vergleichsjahr=vj if vorher is not None else None)
    teile = []
    for i, ebene in enumerate(EBENEN):
        tab = jetzt[i]
        b = bedarfsindex(tab, konfig)
        ergebnis.bedarf[ebene] = b
        teil = tab.drop(columns=["sozialraum"], errors="ignore").join(
            b.tabelle.drop(columns=[mk for mk in tab.columns if mk in b.tabelle], errors="ignore"))
        if vorher is not None:
            d = dynamik(tab, vorher[i], konfig)
            ergebnis.dynamik[ebene] = d
            teil = teil.join(d.tabelle[["dynamikindex", "dynamikklasse", *[c for c in d.tabelle if
                                                                            c.startswith("d_")]]])
        ang = angebote[ebene]
        klein = ang.pop("kleine_zahl")
        teil = teil.join(ang)
        if ebene == "Sozialraum" and netzwerke is not None:
            teil = teil.join(netzwerke_je_sozialraum(netzwerke)).fillna(
                {"netzwerke_bestehend": 0, "netzwerke_geplant": 0})
        vi = versorgungsindex(teil, v.index)
        teil["versorgungsindex"] = vi["versorgungsindex"]
        teil = teil.join(ausgleichsbedarf(teil["bedarfsindex"], teil["versorgungsindex"]))
        teil = teil.join(bivariate_klassen(teil["bedarfsindex"], teil["versorgungsindex"]))
        teil["kleine_zahl"] = _kleine_zahl(teil.pop("kleine_zahl"), klein)
        teil.insert(0, "sozialraum", tab.get("sozialraum", pd.Series(tab.index, index=tab.index)))
        teil.insert(0, "gebiet", teil.index)
        teil.insert(0, "ebene", ebene)
        teil.insert(3, "jahr", jahr)
        teile.append(teil.reset_index(drop=True))
    ergebnis.tabelle = _spaltenreihenfolge(pd.concat(teile, ignore_index=True), kommune)
    return ergebnis


def _kleine_zahl(einwohner_klein: pd.Series, nenner: pd.Series) -> pd.Series:
    texte = []
    for g in einwohner_klein.index:
        teile = ["Einwohner unter Mindestgröße"] if bool(einwohner_klein.get(g)) else []
        if isinstance(nenner.get(g), str) and nenner.get(g):
            teile.append(nenner.get(g))
        texte.append("; ".join(teile))
    return pd.Series(texte, index=einwohner_klein.index)


def _spaltenreihenfolge(df: pd.DataFrame, kommune: Kommune) -> pd.DataFrame:
    merkmale = [mk.schluessel for mk in kommune.merkmale if mk.schluessel in df]
    z = [c for c in df if c.startswith("z_")]
    vorne = ["ebene", "gebiet", "sozialraum", "jahr", *merkmale, *z, "bedarfsindex", "summe_gewichtet",
             "statusklasse", "bedarfsklasse"]
    hinten = ["versorgungsindex", "ausgleichsbedarf", "rang_ausgleichsbedarf", "bivariat", "bivariat_farbe",
              "bivariat_text", "kleine_zahl"]
    mitte = [c for c in df if c not in vorne and c not in hinten]
    return df[[c for c in vorne if c in df] + mitte + [c for c in hinten if c in df]]


def ungleichheit(tabelle: pd.DataFrame, kommune: Kommune, *, ebene: str = "Sozialraum") -> pd.DataFrame:
    """Gini und Theil je Angebotskennzahl über die Gebiete einer Ebene, gewichtet mit der jeweiligen Zielgruppe."""
    t = tabelle[tabelle["ebene"] == ebene]
    v = kommune.versorgung
    zeilen = []
    paare = [(f"je_1000_{va.art}", f"zielgruppe_{va.art}") for va in v.arten]
    paare += [(f"versorgt_{va.art}", f"zielgruppe_{va.art}") for va in v.arten]
    paare += [("kita_plaetze_je_kind", "kinder_kita"), ("budget_je_kind_eur", "kinder_budget")]
    for kennzahl, gewicht in paare:
        if kennzahl not in t or gewicht not in t or t[kennzahl].notna().sum() < 2:
            continue
        zeilen.append({"kennzahl": kennzahl, "gini": gini(t[kennzahl], t[gewicht]),
                       "theil": theil(t[kennzahl], t[gewicht]), "gebiete": int(t[kennzahl].notna().sum())})
    return pd.DataFrame(zeilen, columns=["kennzahl", "gini", "theil", "gebiete"])


@dataclass(frozen=True)
class Kennzahl:
    """Beschriftung einer Spalte der Vergleichstabelle: Titel, Einheit und Nenner (ehrliche Achsentitel)."""

    schluessel: str
    titel: str
    einheit: str
    nenner: str = ""

    @property
    def achse(self) -> str:
        return f"{self.titel} ({self.einheit})" if self.einheit else self.titel


def kennzahlen_katalog(kommune: Kommune) -> dict[str, Kennzahl]:
    """Alle darstellbaren Spalten der Vergleichstabelle mit Titel, Einheit und Nenner."""
    merk = {mk.schluessel: mk for mk in kommune.merkmale}

    def gruppe(schluessel: Sequence[str]) -> str:
        return " + ".join(merk[s].bezeichnung if s in merk else s for s in schluessel)

    k: dict[str, Kennzahl] = {
        "bedarfsindex": Kennzahl("bedarfsindex", "Bedarfsindex", "Standardabweichungen",
                                 "standardisierte Summe der z-Werte der Statusindikatoren; hoch = hoher Bedarf"),
        "versorgungsindex": Kennzahl("versorgungsindex", "Versorgungsindex", "Standardabweichungen",
                                     "standardisiertes Mittel der z-Werte der Angebotskennzahlen; hoch = gut versorgt"),
        "ausgleichsbedarf": Kennzahl("ausgleichsbedarf", "Ausgleichsbedarf", "Standardabweichungen",
                                     "Bedarfsindex − Versorgungsindex"),
        "dynamikindex": Kennzahl("dynamikindex", "Dynamikindex", "Standardabweichungen",
                                 "Veränderung der Statusindikatoren, standardisiert; hoch = Lage verschlechtert sich"),
    }
    for mk in kommune.merkmale:
        nenner = f"Anteil an: {gruppe(mk.basis)}" if mk.ist_anteil and mk.basis else (
            "Anteil" if mk.ist_anteil else "Anzahl")
        k[mk.schluessel] = Kennzahl(mk.schluessel, mk.bezeichnung, mk.einheit, nenner)
    for va in kommune.versorgung.arten:
        art = kommune.art(va.art).bezeichnung
        ziel = gruppe(va.zielgruppe)
        k[f"je_1000_{va.art}"] = Kennzahl(f"je_1000_{va.art}", f"{art} je 1.000", f"je 1.000 {ziel}",
                                          f"Anzahl Einrichtungen / ({ziel}) × 1.000")
        k[f"versorgt_{va.art}"] = Kennzahl(f"versorgt_{va.art}", f"Versorgungsgrad {art}", "%",
                                           f"Anteil ({ziel}) mit der nächsten Einrichtung höchstens "
                                           f"{va.abstand_m:.0f} m entfernt (Luftlinie)")
        k[f"anzahl_{va.art}"] = Kennzahl(f"anzahl_{va.art}", f"Anzahl {art}", "Einrichtungen", "Anzahl")
    v = kommune.versorgung
    k["kita_plaetze_je_kind"] = Kennzahl("kita_plaetze_je_kind", "Kita-Plätze je Kind", "Plätze je Kind",
                                         f"Kita-Plätze / ({gruppe(v.kita_zielgruppe)})")
    k["budget_je_kind_eur"] = Kennzahl("budget_je_kind_eur", "Budget je Kind", "€ je Person",
                                       f"Budget des Sozialraums / ({gruppe(v.budget_zielgruppe)}); nur Sozialräume")
    k["netzwerke_bestehend"] = Kennzahl("netzwerke_bestehend", "Netzwerke (bestehend)", "Anzahl", "Anzahl")
    k["netzwerke_geplant"] = Kennzahl("netzwerke_geplant", "Netzwerke (sollen entwickelt werden)", "Anzahl", "Anzahl")
    return k
