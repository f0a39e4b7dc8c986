"""Offene Daten: die veröffentlichten Kennzahlen je Stadtteil und Sozialraum und Jahr (reine Funktion).

Eingabe sind die Indikatorwerte (lang: stadtteil, sozialraum, jahr, merkmal, wert); veröffentlicht wird nur, was
die Kommune-Konfiguration unter `offene_daten` freigibt: die Merkmale in `merkmale` (Sozialräume zusammengefasst
wie in der Vergleichstabelle: Anzahlen summiert, Anteile nach Bezugsgruppe gewichtet) und, mit
`bedarfsindex: true`, Bedarfsindex, Klasse des sozialen Status und Bedarfsklasse (je Ebene und Jahr für sich
standardisiert, wie `analysen.vergleich`).
"""

from __future__ import annotations

import pandas as pd

from analysen.bedarf import bedarfsindex
from analysen.kennzahlen import breit, fasse_zusammen
from daten.config import Kommune

SPALTEN = ["ebene", "gebiet", "jahr", "schluessel", "wert", "text"]
# Kennzahlen des Bedarfsindex: Schlüssel → (Bezeichnung, Einheit, Art)
INDEX = {
    "bedarfsindex": ("Bedarfsindex (standardisiert, höher = mehr Bedarf)", "Standardabweichungen", "zahl"),
    "statusklasse": ("Sozialer Status (Klasse)", "", "text"),
    "bedarfsklasse": ("Bedarf (Klasse)", "", "text"),
}


def bezeichnungen(kommune: Kommune) -> list[tuple[str, str, str, str | None, str, int]]:
    """(liste, schluessel, bezeichnung, einheit, art, reihenfolge): Einrichtungsarten, Trägerarten, Kennzahlen
    (Spalten der Gebietssichten) und Freigaben."""
    od = kommune.offene_daten
    aus: list[tuple[str, str, str, str | None, str, int]] = []
    aus += [("einrichtungsart", a.schluessel, a.bezeichnung, None, "text", i)
            for i, a in enumerate(kommune.einrichtungsarten)]
    aus += [("traegerart", k, v, None, "text", i) for i, (k, v) in enumerate(kommune.traegerarten.items())]
    merkmale = [mk for mk in kommune.merkmale if mk.schluessel in od.merkmale]
    aus += [("kennzahl", mk.schluessel, mk.bezeichnung, mk.einheit, "zahl", i) for i, mk in enumerate(merkmale)]
    if od.bedarfsindex and kommune.bedarfsindex is not None:
        aus += [("kennzahl", k, b, e or None, art, len(merkmale) + i)
                for i, (k, (b, e, art)) in enumerate(INDEX.items())]
    if od.kapazitaet:
        aus.append(("freigabe", "kapazitaet", "Kapazität der Einrichtungen ist öffentlich", None, "text", 0))
    return aus


def kennzahlen(indikatoren: pd.DataFrame, kommune: Kommune) -> pd.DataFrame:
    """Eine Zeile je Gebiet, Jahr und Kennzahl: ebene (stadtteil | sozialraum), gebiet (Name), jahr, schluessel,
    wert (Zahl) oder text (Klasse)."""
    od = kommune.offene_daten
    if indikatoren.empty:
        return pd.DataFrame(columns=SPALTEN)
    merkmale = [mk.schluessel for mk in kommune.merkmale if mk.schluessel in od.merkmale]
    zeilen = []
    for jahr in sorted(int(j) for j in indikatoren["jahr"].unique()):
        st = breit(indikatoren, jahr=jahr)
        st = st.reindex([s for s in kommune.stadtteile if s in st.index])
        sr = fasse_zusammen(st, kommune.merkmale)
        for ebene, tab in (("stadtteil", st), ("sozialraum", sr)):
            for gebiet, z in tab.iterrows():
                for mk in merkmale:
                    if mk in tab and pd.notna(z[mk]):
                        zeilen.append((ebene, gebiet, jahr, mk, round(float(z[mk]), 4), None))
            if od.bedarfsindex and kommune.bedarfsindex is not None and len(tab):
                b = bedarfsindex(tab, kommune.bedarfsindex).tabelle
                for gebiet, z in b.iterrows():
                    if pd.notna(z["bedarfsindex"]):
                        zeilen.append((ebene, gebiet, jahr, "bedarfsindex", round(float(z["bedarfsindex"]), 3), None))
                    for k in ("statusklasse", "bedarfsklasse"):
                        if isinstance(z[k], str) and z[k]:
                            zeilen.append((ebene, gebiet, jahr, k, None, z[k]))
    return pd.DataFrame(zeilen, columns=SPALTEN)
