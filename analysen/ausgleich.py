"""Bedarf gegen Angebot (R14): Versorgungsindex, Ausgleichsbedarf, Ungleichheit (Gini, Theil, Lorenzkurve),
bivariate Klassen für die Karte und Veränderung über die Jahre."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysen.bedarf import zwerte

# 3 × 3 bivariate Palette (Bedarf niedrig→hoch × Versorgung niedrig→hoch), nach Joshua Stevens' „Blue-Red“;
# Schlüssel "B<bedarf>V<versorgung>", 1 = niedrig. B3V1 (hoher Bedarf, geringe Versorgung) ist am dunkelsten rot.
BIVARIAT_FARBEN = {
    "B1V1": "#e8e8e8", "B1V2": "#b0d5df", "B1V3": "#64acbe",
    "B2V1": "#e4acac", "B2V2": "#ad9ea5", "B2V3": "#627f8c",
    "B3V1": "#c85a5a", "B3V2": "#985356", "B3V3": "#574249",
}
STUFEN = ("niedrig", "mittel", "hoch")


def versorgungsindex(tabelle: pd.DataFrame, kennzahlen: Sequence[str]) -> pd.DataFrame:
    """Mittel der z-Werte der Angebotskennzahlen (hoch = gut versorgt), erneut standardisiert.

    Spalten: `zv_<kennzahl>` und `versorgungsindex`. Fehlt eine Kennzahl in einem Gebiet, zählt sie dort nicht.
    """
    aus = pd.DataFrame(index=tabelle.index)
    for k in kennzahlen:
        aus[f"zv_{k}"] = zwerte(tabelle[k])[0] if k in tabelle else np.nan
    if not len(kennzahlen):
        aus["versorgungsindex"] = np.nan
        return aus
    aus["versorgungsindex"] = zwerte(aus[[f"zv_{k}" for k in kennzahlen]].mean(axis=1))[0]
    return aus


def ausgleichsbedarf(bedarf: pd.Series, versorgung: pd.Series) -> pd.DataFrame:
    """Lücke = Bedarfsindex − Versorgungsindex (beide standardisiert); Rang 1 = größter Ausgleichsbedarf."""
    luecke = bedarf - versorgung.reindex(bedarf.index)
    return pd.DataFrame({
        "ausgleichsbedarf": luecke,
        "rang_ausgleichsbedarf": luecke.rank(ascending=False, method="min").astype("Int64"),
    })


def _sortiert(werte: Sequence[float], gewichte: Sequence[float] | None) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(werte, dtype=float)
    w = np.ones_like(x) if gewichte is None else np.asarray(gewichte, dtype=float)
    ok = np.isfinite(x) & np.isfinite(w) & (w > 0)
    x, w = x[ok], w[ok]
    if (x < 0).any():
        raise ValueError("Gini/Theil/Lorenz brauchen Werte ≥ 0 (z. B. Plätze je Kind).")
    reihe = np.argsort(x, kind="stable")
    return x[reihe], w[reihe]


def lorenzkurve(werte: Sequence[float], gewichte: Sequence[float] | None = None) -> pd.DataFrame:
    """Punkte der Lorenzkurve: kumulierter Anteil der Menschen (Gewichte) gegen kumulierten Anteil am Angebot
    (Wert · Gewicht), Gebiete nach Wert aufsteigend; beginnt bei (0, 0)."""
    x, w = _sortiert(werte, gewichte)
    menge = x * w
    p = np.r_[0.0, np.cumsum(w) / w.sum()] if len(w) else np.array([0.0])
    y = np.r_[0.0, np.cumsum(menge) / menge.sum()] if len(w) and menge.sum() > 0 else np.zeros_like(p)
    return pd.DataFrame({"anteil_bevoelkerung": p, "anteil_angebot": y})


def gini(werte: Sequence[float], gewichte: Sequence[float] | None = None) -> float:
    """Gini-Koeffizient (0 = gleich verteilt) eines Versorgungswerts über Gebiete, gewichtet mit der Bevölkerung:
    1 − Σ (Y_i + Y_{i−1}) · (P_i − P_{i−1}) über die Lorenzkurve."""
    lk = lorenzkurve(werte, gewichte)
    if len(lk) < 2:
        return float("nan")
    p, y = lk["anteil_bevoelkerung"].to_numpy(), lk["anteil_angebot"].to_numpy()
    return float(1 - np.sum((y[1:] + y[:-1]) * np.diff(p)))


def theil(werte: Sequence[float], gewichte: Sequence[float] | None = None) -> float:
    """Theil-Index T = Σ s_i · ln(x_i / μ), s_i = Anteil des Gebiets am Angebot, μ = gewichtetes Mittel
    (0 = gleich verteilt, Obergrenze ln(Anzahl) bei gleichen Gewichten). Gebiete mit Wert 0 tragen 0 bei."""
    x, w = _sortiert(werte, gewichte)
    if not len(x) or (x * w).sum() == 0:
        return float("nan")
    mu = (x * w).sum() / w.sum()
    s = x * w / (x * w).sum()
    pos = x > 0
    return float(np.sum(s[pos] * np.log(x[pos] / mu)))


def _terzil(werte: pd.Series) -> pd.Series:
    rang = werte.rank(method="first", pct=True)
    return np.ceil(rang * 3).clip(1, 3).astype("Int64")


def bivariate_klassen(bedarf: pd.Series, versorgung: pd.Series) -> pd.DataFrame:
    """Terzile von Bedarf und Versorgung je Gebiet → Klasse "B<1–3>V<1–3>", Farbe und Beschreibung."""
    b, v = _terzil(bedarf), _terzil(versorgung.reindex(bedarf.index))
    klasse = ("B" + b.astype(str) + "V" + v.astype(str)).where(b.notna() & v.notna())
    text = [f"Bedarf {STUFEN[int(i) - 1]}, Versorgung {STUFEN[int(j) - 1]}" if pd.notna(i) and pd.notna(j)
            else "keine Angabe" for i, j in zip(b, v, strict=True)]
    return pd.DataFrame({"bivariat": klasse, "bivariat_farbe": klasse.map(BIVARIAT_FARBEN).fillna("#ffffff"),
                         "bivariat_text": text}, index=bedarf.index)
