"""Bedarfsindex nach dem Monitoring Soziale Stadtentwicklung Berlin (MSS).

Methode (Senatsverwaltung für Stadtentwicklung Berlin, MSS-Fortschreibungen seit 2013; Indikatoren wie
MSS 2019/2021; https://www.berlin.de/sen/sbw/stadtdaten/stadtwissen/monitoring-soziale-stadtentwicklung/):

1. Jeder Statusindikator (Anteil in %) wird über die Gebiete einer Ebene z-standardisiert:
   z = (Wert − Mittelwert) / Standardabweichung (Standardabweichung der Grundgesamtheit, ddof = 0).
2. Die z-Werte werden (gewichtet, Standard: gleich) summiert.
3. Die Summe wird erneut standardisiert: das ist der Index (Mittelwert 0, Standardabweichung 1).
4. Klassen des sozialen Status an den MSS-Schwellen (in Standardabweichungen): hoch < −1,0 ≤ mittel ≤ +1,0 <
   niedrig ≤ +1,5 < sehr niedrig. Hohe Indikatorwerte = ungünstige Lage, also hoher Index = niedriger Status =
   hoher Bedarf; `bedarfsklasse` liest dieselbe Klasse als Bedarf (gering / mittel / erhöht / hoch).
5. Dynamik: Veränderung jedes Indikators in Prozentpunkten gegenüber dem Vergleichsjahr (MSS: zwei Jahre),
   ebenso standardisiert, summiert und erneut standardisiert; Klassen positiv < −1,0 ≤ stabil ≤ +1,0 < negativ.

Gebiete mit weniger Einwohnern als `mindest_einwohner` (MSS: 300) gehen nicht in Mittelwert und
Standardabweichung ein und werden als kleine Zahl markiert. Alle Schritte stehen in `Bedarfsergebnis.schritte()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from daten.config import Bedarfsindex

STATUSKLASSEN = ("hoch", "mittel", "niedrig", "sehr niedrig")
BEDARFSKLASSEN = ("gering", "mittel", "erhöht", "hoch")  # dieselben Klassen als Bedarf gelesen
DYNAMIKKLASSEN = ("positiv", "stabil", "negativ")
KEINE_ANGABE = "keine Angabe"


def zwerte(werte: pd.Series, *, maske: pd.Series | None = None) -> tuple[pd.Series, float, float]:
    """z-Werte (ddof = 0); Mittelwert und Standardabweichung nur über `maske` (Standard: alle gültigen).

    Gibt (z, Mittelwert, Standardabweichung) zurück. Ohne Streuung sind alle z-Werte 0.
    """
    werte = pd.to_numeric(werte, errors="coerce").astype(float)
    basis = werte if maske is None else werte[maske]
    mittel = float(basis.mean()) if basis.notna().any() else float("nan")
    std = float(basis.std(ddof=0)) if basis.notna().any() else float("nan")
    if not np.isfinite(std) or std == 0:
        return werte.where(werte.isna(), 0.0), mittel, 0.0
    return (werte - mittel) / std, mittel, std


def _klasse(index: pd.Series, schwellen: tuple[float, ...], namen: tuple[str, ...]) -> pd.Series:
    """Ordnet Indexwerte Klassen zu: namen[0] < schwellen[0] ≤ namen[1] ≤ schwellen[1] < namen[2] ≤ … ."""
    x = index.to_numpy(dtype=float)
    bedingungen = [x < schwellen[0]]
    for i in range(1, len(schwellen)):
        bedingungen.append(x <= schwellen[i])
    bedingungen.append(x > schwellen[-1])
    klasse = np.select(bedingungen, list(namen), default=KEINE_ANGABE)
    return pd.Series(np.where(np.isnan(x), KEINE_ANGABE, klasse), index=index.index)


def statusklasse(index: pd.Series, schwellen: tuple[float, float, float] = (-1.0, 1.0, 1.5)) -> pd.Series:
    """Klasse des sozialen Status (hoch / mittel / niedrig / sehr niedrig) an den MSS-Schwellen."""
    return _klasse(index, tuple(schwellen), STATUSKLASSEN)


def dynamikklasse(index: pd.Series, schwellen: tuple[float, float] = (-1.0, 1.0)) -> pd.Series:
    """Klasse der Dynamik (positiv / stabil / negativ) an den MSS-Schwellen."""
    return _klasse(index, tuple(schwellen), DYNAMIKKLASSEN)


@dataclass
class Bedarfsergebnis:
    """Ergebnis mit allen Zwischenschritten (Index = Gebiet)."""

    tabelle: pd.DataFrame
    mittelwerte: dict[str, float] = field(default_factory=dict)
    standardabweichungen: dict[str, float] = field(default_factory=dict)
    gewichte: dict[str, float] = field(default_factory=dict)
    summe_mittel: float = float("nan")
    summe_std: float = float("nan")
    praefix: str = "z_"

    def schritte(self) -> pd.DataFrame:
        """Eine Zeile je Gebiet und Indikator: Wert, Mittelwert, Standardabweichung, z, Gewicht, Gewicht · z;
        dazu je Gebiet die Zeile „Index“ mit Summe, deren Mittelwert/Standardabweichung, Index und Klasse."""
        zeilen = []
        t = self.tabelle
        for gebiet, z in t.iterrows():
            for mk, gewicht in self.gewichte.items():
                roh = mk if self.praefix == "z_" else f"d_{mk}"
                zeilen.append({
                    "gebiet": gebiet, "schritt": "Indikator", "merkmal": mk, "wert": z.get(roh),
                    "mittelwert": self.mittelwerte.get(mk), "standardabweichung": self.standardabweichungen.get(mk),
                    "z": z.get(f"{self.praefix}{mk}"), "gewicht": gewicht,
                    "gewicht_mal_z": gewicht * z.get(f"{self.praefix}{mk}", np.nan),
                })
            spalte_summe, spalte_index, spalte_klasse = self._spalten()
            zeilen.append({
                "gebiet": gebiet, "schritt": "Index", "merkmal": "Summe (Gewicht · z)", "wert": z.get(spalte_summe),
                "mittelwert": self.summe_mittel, "standardabweichung": self.summe_std, "z": z.get(spalte_index),
                "gewicht": np.nan, "gewicht_mal_z": np.nan, "klasse": z.get(spalte_klasse),
            })
        return pd.DataFrame(zeilen)

    def _spalten(self) -> tuple[str, str, str]:
        if self.praefix == "z_":
            return "summe_gewichtet", "bedarfsindex", "statusklasse"
        return "dynamik_summe", "dynamikindex", "dynamikklasse"


def _index(tabelle: pd.DataFrame, spalten: dict[str, str], gewichte: dict[str, float], maske: pd.Series | None,
           praefix: str) -> tuple[pd.DataFrame, Bedarfsergebnis]:
    aus = pd.DataFrame(index=tabelle.index)
    erg = Bedarfsergebnis(aus, gewichte=gewichte, praefix=praefix)
    for roh in spalten.values():
        aus[roh] = pd.to_numeric(tabelle.get(roh), errors="coerce") if roh in tabelle else np.nan
    for mk, roh in spalten.items():
        z, mittel, std = zwerte(aus[roh], maske=maske)
        aus[f"{praefix}{mk}"] = z
        erg.mittelwerte[mk], erg.standardabweichungen[mk] = mittel, std
    summe = sum(gewichte[mk] * aus[f"{praefix}{mk}"] for mk in spalten)
    return aus.assign(_summe=summe), erg


def bedarfsindex(tabelle: pd.DataFrame, konfig: Bedarfsindex) -> Bedarfsergebnis:
    """Status-/Bedarfsindex je Zeile (Gebiet) von `tabelle` (Spalten = Merkmal-Schlüssel, optional `einwohner`).

    Spalten des Ergebnisses: die Indikatoren (Rohwerte), `z_<merkmal>`, `summe_gewichtet`, `bedarfsindex`,
    `statusklasse`, `bedarfsklasse`, `kleine_zahl` (weniger als `mindest_einwohner`).
    """
    gewichte = {i.merkmal: float(i.gewicht) for i in konfig.indikatoren}
    maske = _gross_genug(tabelle, konfig)
    aus, erg = _index(tabelle, {mk: mk for mk in gewichte}, gewichte, maske, "z_")
    summe = aus.pop("_summe")
    idx, erg.summe_mittel, erg.summe_std = zwerte(summe, maske=maske)
    aus["summe_gewichtet"] = summe
    aus["bedarfsindex"] = idx
    aus["statusklasse"] = statusklasse(idx, konfig.status_schwellen)
    aus["bedarfsklasse"] = aus["statusklasse"].map(dict(zip(STATUSKLASSEN, BEDARFSKLASSEN, strict=True))).fillna(
        KEINE_ANGABE)
    aus["kleine_zahl"] = ~maske
    erg.tabelle = aus
    return erg


def dynamik(jetzt: pd.DataFrame, vorher: pd.DataFrame, konfig: Bedarfsindex) -> Bedarfsergebnis:
    """Dynamikindex: Veränderung je Indikator in Prozentpunkten (`d_<merkmal>` = jetzt − vorher), standardisiert
    (`zd_<merkmal>`), gewichtet summiert (`dynamik_summe`), erneut standardisiert (`dynamikindex`), Klasse
    (`dynamikklasse`: positiv = Lage verbessert sich deutlich stärker als im Mittel)."""
    gewichte = {i.merkmal: float(i.gewicht) for i in konfig.indikatoren}
    diff = pd.DataFrame(index=jetzt.index)
    for mk in gewichte:
        a = pd.to_numeric(jetzt.get(mk), errors="coerce") if mk in jetzt else np.nan
        b = pd.to_numeric(vorher.reindex(jetzt.index).get(mk), errors="coerce") if mk in vorher else np.nan
        diff[f"d_{mk}"] = a - b
    diff["einwohner"] = jetzt.get("einwohner")
    maske = _gross_genug(diff, konfig)
    aus, erg = _index(diff, {mk: f"d_{mk}" for mk in gewichte}, gewichte, maske, "zd_")
    summe = aus.pop("_summe")
    idx, erg.summe_mittel, erg.summe_std = zwerte(summe, maske=maske)
    aus["dynamik_summe"] = summe
    aus["dynamikindex"] = idx
    aus["dynamikklasse"] = dynamikklasse(idx, konfig.dynamik_schwellen)
    erg.tabelle = aus
    return erg


def _gross_genug(tabelle: pd.DataFrame, konfig: Bedarfsindex) -> pd.Series:
    if "einwohner" not in tabelle:
        return pd.Series(True, index=tabelle.index)
    ew = pd.to_numeric(tabelle["einwohner"], errors="coerce")
    return ~(ew < konfig.mindest_einwohner).fillna(False)
