"""Choroplethe eines Indikators je Stadtteil: Werte, Bezug „je 1.000“, Klassifikation mit mapclassify."""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from daten.fehler import EingabeFehler

KLASSIFIKATIONEN = {
    "quantile": "Quantile",
    "natural_breaks": "Natürliche Brüche (Jenks)",
    "equal_interval": "Gleiche Intervalle",
    "eigene": "Eigene Grenzen",
}
# ColorBrewer YlOrRd (9 Stufen); für k Klassen werden k Stufen gleichmäßig gewählt.
FARBEN = ["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"]
KEINE_DATEN = "#d9d9d9"


@dataclass(frozen=True)
class Choropleth:
    """Auswahl für die Choroplethe. `bezug` = Altersgruppen-Merkmal für „je 1.000“ (None = absolut)."""

    merkmal: str
    jahr: int
    bezug: str | None = None
    klassifikation: str = "quantile"
    klassen: int = 5
    grenzen: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if self.klassifikation not in KLASSIFIKATIONEN:
            erlaubt = ", ".join(KLASSIFIKATIONEN)
            raise EingabeFehler(f"Klassifikation '{self.klassifikation}' ist unbekannt. Erlaubt: {erlaubt}.")
        if not 2 <= int(self.klassen) <= len(FARBEN):
            raise EingabeFehler(f"Anzahl Klassen {self.klassen}: bitte 2 bis {len(FARBEN)} wählen.")
        if self.klassifikation == "eigene" and not self.grenzen:
            raise EingabeFehler("Eigene Klassengrenzen fehlen: bitte mindestens eine Grenze angeben (z. B. 10; 20).")

    @classmethod
    def aus(cls, wert: Choropleth | Mapping[str, Any]) -> Choropleth:
        """Nimmt eine Choropleth oder ein Dict mit denselben Schlüsseln."""
        if isinstance(wert, Choropleth):
            return wert
        d = dict(wert)
        if d.get("grenzen") is not None:
            d["grenzen"] = tuple(float(g) for g in d["grenzen"])
        return cls(**d)


@dataclass(frozen=True)
class Klassen:
    """Ergebnis der Klassifikation: Obergrenzen je Klasse, Beschriftungen, Farben und Klasse je Wert."""

    obergrenzen: list[float]
    beschriftungen: list[str]
    farben: list[str]
    zuordnung: list[int | None] = field(default_factory=list)


def zahl(x: float, stellen: int) -> str:
    """Deutsche Zahl: Tausenderpunkt, Dezimalkomma."""
    text = f"{x:,.{stellen}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def nachkommastellen(werte: Sequence[float]) -> int:
    """Stellen für die Anzeige: ganze Zahlen ohne, sonst nach Spannweite 0–2."""
    w = [float(v) for v in werte if v is not None and math.isfinite(v)]
    if not w or all(float(v).is_integer() for v in w):
        return 0
    spanne = max(w) - min(w)
    return 0 if spanne >= 100 else (1 if spanne >= 1 else 2)


def _palette(k: int) -> list[str]:
    if k == 1:
        return [FARBEN[4]]
    return [FARBEN[round(i * (len(FARBEN) - 1) / (k - 1))] for i in range(k)]


def _einteiler(y: np.ndarray, klassifikation: str, k: int, grenzen: Sequence[float] | None):  # noqa: ANN202
    import mapclassify

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # mapclassify warnt bei wenigen verschiedenen Werten
        if klassifikation == "eigene":
            return mapclassify.UserDefined(y, bins=sorted(set(grenzen or ())))
        if len(np.unique(y)) == 1:  # alle Werte gleich: eine Klasse (mapclassify verweigert das)
            return mapclassify.UserDefined(y, bins=[float(y[0])])
        k = max(1, min(k, len(np.unique(y))))
        if klassifikation == "quantile":
            return mapclassify.Quantiles(y, k=k)
        if klassifikation == "natural_breaks":  # FisherJenks: optimal und ohne Zufall (reproduzierbar)
            return mapclassify.FisherJenks(y, k=k)
        return mapclassify.EqualInterval(y, k=k)


def klassifiziere(werte: Sequence[float], *, klassifikation: str, klassen: int,
                  grenzen: Sequence[float] | None = None, einheit: str = "") -> Klassen:
    """Teilt die Werte in Klassen; NaN bleibt ohne Klasse. Beschriftung „3 bis 10 %“, „über 10 bis 20 %“."""
    arr = np.asarray(werte, dtype=float)
    gueltig = arr[np.isfinite(arr)]
    if gueltig.size == 0:
        return Klassen([], [], [], [None] * len(arr))
    ein = _einteiler(gueltig, klassifikation, klassen, grenzen)
    ober = [round(float(b), 9) for b in ein.bins]
    unten = float(gueltig.min())
    stellen = nachkommastellen([unten, *ober])
    suffix = f" {einheit}" if einheit else ""
    texte = []
    for i, ob in enumerate(ober):
        if i == 0:
            von = unten if klassifikation != "eigene" or unten <= ob else None
            if von is None:
                text = f"bis {zahl(ob, stellen)}"
            else:
                text = zahl(ob, stellen) if von == ob else f"{zahl(von, stellen)} bis {zahl(ob, stellen)}"
        else:
            text = f"über {zahl(ober[i - 1], stellen)} bis {zahl(ob, stellen)}"
        texte.append(text + suffix)
    idx = iter(int(c) for c in ein.yb)
    zuordnung = [next(idx) if math.isfinite(v) else None for v in arr]
    return Klassen(ober, texte, _palette(len(ober)), zuordnung)


def indikatorwerte(indikatoren: pd.DataFrame, *, merkmal: str, jahr: int, bezug: str | None) -> pd.Series:
    """Wert je Stadtteil (Index) im Jahr; mit `bezug` je 1.000 Personen dieser Gruppe (0 Personen → NaN)."""
    jahr_df = indikatoren[indikatoren["jahr"] == int(jahr)]
    werte = jahr_df[jahr_df["merkmal"] == merkmal].groupby("stadtteil")["wert"].sum(min_count=1)
    if bezug:
        basis = jahr_df[jahr_df["merkmal"] == bezug].groupby("stadtteil")["wert"].sum(min_count=1)
        basis = basis.where(basis > 0)
        werte = (werte / basis * 1000.0).dropna()
    return werte.astype(float)
