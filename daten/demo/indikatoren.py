"""Demo-Indikatoren je Stadtteil, Jahr und Merkmal.

Belegte Zahlen aus `stadtteile.yaml` (`belegt`, mit Quelle) gehen vor. Fehlt für ein Jahr eine Zahl,
wird aus dem nächstgelegenen belegten Jahr fortgeschrieben; fehlt jede Zahl, gilt das Demo-Profil.
Alles, was nicht belegt ist, trägt die Quelle "Demo-Schätzung, fiktiv".

Die Jahre folgen dem Stichtag der Demo (`jahre(versatz)`: JAHRE im Basisjahr, je Jahr später eins weiter);
belegte Zahlen behalten ihr echtes Jahr und werden in spätere Jahre fortgeschrieben.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from daten.demo._stammdaten import lade, stadtteil_daten

JAHRE = (2022, 2023, 2024, 2025)  # im Basisjahr der Demo (daten.demo.BASISJAHR): bis zum Vorjahr
SCHAETZUNG = "Demo-Schätzung, fiktiv"

# Merkmal-Schlüssel der Konfiguration → Profilfeld in stadtteile.yaml.
ALTERSGRUPPEN = {
    "einwohner_u6": "u6",
    "einwohner_6_14": "a6_14",
    "einwohner_15_17": "a15_17",
    "einwohner_18_26": "a18_26",
}
QUOTEN = {
    "sgb2_quote_u15": ("sgb2", -0.3),  # (Profilfeld, Trend in Prozentpunkten je Jahr)
    "alleinerziehende_quote": ("allein", 0.1),
    "auslaenderanteil": ("ausl", 0.5),
    "arbeitslosenquote": ("alo", -0.1),
}
# Für den Bedarfsindex (MSS) abgeleitete Demo-Schätzungen, fiktiv: aus den Profilwerten zusammengesetzt,
# nicht belegt. Anteil SGB-II/XII-Leistungsbeziehender ≈ 0,35 · SGB-II-Quote u15 + 0,5 · Arbeitslosenanteil.
ABGELEITET = {
    "transferbezug_quote": ((("sgb2", 0.35), ("alo", 0.5)), -0.15),  # (Profilanteile, Trend in Prozentpunkten/Jahr)
}
SAAT_ABGELEITET = 7  # eigener Zufallsstrom: die übrigen Demo-Werte bleiben unverändert
BEZUGSJAHR = 2023  # Profilwerte gelten für dieses Jahr (fest: spätere Jahre werden fortgeschrieben)
EINWOHNER_ERSATZ = 10_000  # nur für Stadtteile ohne jede belegte Zahl (andere Kommunen)


def jahre(versatz: int = 0) -> tuple[int, ...]:
    """Die Indikatorjahre der Demo, `versatz` Jahre nach dem Basisjahr."""
    return tuple(j + versatz for j in JAHRE)


def _belegt(stadtteil: str, merkmal: str) -> dict[int, dict[str, Any]]:
    return {
        int(b["jahr"]): b
        for b in lade("stadtteile.yaml").get("belegt", [])
        if b["stadtteil"] == stadtteil and b["merkmal"] == merkmal
    }


def _anker(belege: dict[int, dict[str, Any]], jahr: int) -> dict[str, Any] | None:
    """Der Beleg mit dem kleinsten Jahresabstand; bei Gleichstand der jüngere."""
    if not belege:
        return None
    return belege[min(belege, key=lambda j: (abs(j - jahr), -j))]


def _kurzquelle(beleg: dict[str, Any]) -> str:
    return f"{SCHAETZUNG}, fortgeschrieben vom belegten Wert für {beleg['jahr']} ({beleg['quelle']})"


def einwohner_reihe(stadtteil: str, rng: np.random.Generator,
                    jahre_: tuple[int, ...] = JAHRE) -> dict[int, tuple[float, str]]:
    """Einwohner je Jahr mit Quelle: belegt, fortgeschrieben oder (ohne Beleg) Ersatzwert."""
    profil = stadtteil_daten(stadtteil)["profil"]
    wachstum = float(profil.get("wachstum", 0.5)) / 100
    belege = _belegt(stadtteil, "einwohner")
    reihe: dict[int, tuple[float, str]] = {}
    for jahr in jahre_:
        if jahr in belege:
            reihe[jahr] = (float(belege[jahr]["wert"]), str(belege[jahr]["quelle"]))
            continue
        anker = _anker(belege, jahr)
        basis, basisjahr = (float(anker["wert"]), int(anker["jahr"])) if anker else (EINWOHNER_ERSATZ, BEZUGSJAHR)
        wert = basis * (1 + wachstum) ** (jahr - basisjahr) * (1 + rng.normal(0, 0.002))
        reihe[jahr] = (float(round(wert)), _kurzquelle(anker) if anker else SCHAETZUNG)
    return reihe


def _quote(stadtteil: str, merkmal: str, jahr: int, rng: np.random.Generator) -> tuple[float, str]:
    feld, trend = QUOTEN[merkmal]
    belege = _belegt(stadtteil, merkmal)
    if jahr in belege:
        return float(belege[jahr]["wert"]), str(belege[jahr]["quelle"])
    anker = _anker(belege, jahr)
    if anker:
        basis, basisjahr, quelle = float(anker["wert"]), int(anker["jahr"]), _kurzquelle(anker)
    else:
        basis, basisjahr, quelle = float(stadtteil_daten(stadtteil)["profil"][feld]), BEZUGSJAHR, SCHAETZUNG
    wert = basis + trend * (jahr - basisjahr) + rng.normal(0, 0.3)
    return round(max(wert, 0.5), 1), quelle


def erzeuge_indikatoren(kommune: Any, rng: np.random.Generator, *, versatz: int = 0) -> list[dict[str, Any]]:
    """Jeder Stadtteil × jedes Merkmal der Konfiguration × jedes Jahr in `jahre(versatz)`."""
    jahre_ = jahre(versatz)
    zeilen: list[dict[str, Any]] = []
    merkmale = [m.schluessel for m in kommune.merkmale]
    for sozialraum in kommune.sozialraeume:
        for stadtteil in sozialraum.stadtteile:
            profil = stadtteil_daten(stadtteil)["profil"]
            einwohner = einwohner_reihe(stadtteil, rng, jahre_)
            for merkmal in merkmale:
                if merkmal in ABGELEITET:
                    continue
                for jahr in jahre_:
                    if merkmal == "einwohner":
                        wert, quelle = einwohner[jahr]
                    elif merkmal in ALTERSGRUPPEN:
                        anteil = float(profil[ALTERSGRUPPEN[merkmal]]) / 100
                        wert = float(round(einwohner[jahr][0] * anteil * (1 + rng.normal(0, 0.015))))
                        quelle = SCHAETZUNG
                    elif merkmal in QUOTEN:
                        wert, quelle = _quote(stadtteil, merkmal, jahr, rng)
                    else:
                        # Merkmal einer anderen Konfiguration: ein neutraler Platzhalterwert.
                        wert, quelle = round(float(rng.uniform(1, 20)), 1), SCHAETZUNG
                    zeilen.append(
                        {"stadtteil": stadtteil, "jahr": jahr, "merkmal": merkmal, "wert": wert, "quelle": quelle}
                    )
    zeilen += _abgeleitete(kommune, [m for m in merkmale if m in ABGELEITET], jahre_)
    return zeilen


def _abgeleitete(kommune: Any, merkmale: list[str], jahre_: tuple[int, ...]) -> list[dict[str, Any]]:
    """Abgeleitete Demo-Schätzungen (ABGELEITET) aus eigenem Zufallsstrom; Belege gingen vor."""
    rng = np.random.default_rng([BEZUGSJAHR, SAAT_ABGELEITET])
    zeilen = []
    for stadtteil in (st for sr in kommune.sozialraeume for st in sr.stadtteile):
        profil = stadtteil_daten(stadtteil)["profil"]
        for merkmal in merkmale:
            anteile, trend = ABGELEITET[merkmal]
            basis = sum(float(profil[feld]) * faktor for feld, faktor in anteile)
            belege = _belegt(stadtteil, merkmal)
            for jahr in jahre_:
                if jahr in belege:
                    wert, quelle = float(belege[jahr]["wert"]), str(belege[jahr]["quelle"])
                else:
                    wert = round(max(basis + trend * (jahr - BEZUGSJAHR) + rng.normal(0, 0.2), 0.5), 1)
                    quelle = SCHAETZUNG
                zeilen.append(
                    {"stadtteil": stadtteil, "jahr": jahr, "merkmal": merkmal, "wert": wert, "quelle": quelle})
    return zeilen


def einwohner_im_jahr(indikatoren: list[dict[str, Any]], jahr: int) -> dict[str, float]:
    """Einwohner je Stadtteil in einem Jahr, aus den erzeugten Indikatoren."""
    return {z["stadtteil"]: z["wert"] for z in indikatoren if z["merkmal"] == "einwohner" and z["jahr"] == jahr}


def merkmal_im_jahr(indikatoren: list[dict[str, Any]], merkmal: str, jahr: int) -> dict[str, float]:
    return {z["stadtteil"]: z["wert"] for z in indikatoren if z["merkmal"] == merkmal and z["jahr"] == jahr}
