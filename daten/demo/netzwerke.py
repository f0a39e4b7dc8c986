"""Demo-Netzwerke (Fragen 7 und 8): stadtweite und je Sozialraum, bestehend oder zu entwickeln."""

from __future__ import annotations

from typing import Any

import numpy as np

from daten.demo._stammdaten import texte

MAX_KITAS = 4  # je Netzwerk, sonst dominieren die Kitas die Mitgliederliste
ZEITRAUM_AB = 2025  # erstes Jahr des Demo-Zeitraums im Basisjahr (daten.demo.BASISJAHR)


def aktiv(e: dict[str, Any], versatz: int = 0) -> bool:
    """Besteht über den ganzen Demo-Zeitraum (weder neu noch geschlossen)."""
    return e["gueltig_bis"] is None and (e["gueltig_von"] is None or e["gueltig_von"].year < ZEITRAUM_AB + versatz)


def _mitglieder(kandidaten: list[dict[str, Any]], arten: list[str], rng: np.random.Generator,
                versatz: int) -> list[str]:
    passend = [e for e in kandidaten if e["art"] in arten and aktiv(e, versatz)]
    kitas = [e for e in passend if e["art"] == "kita"]
    andere = [e for e in passend if e["art"] != "kita"]
    if len(kitas) > MAX_KITAS:
        kitas = list(rng.choice(kitas, size=MAX_KITAS, replace=False))
    gewaehlt = {e["schluessel"] for e in kitas + andere}
    return [e["schluessel"] for e in kandidaten if e["schluessel"] in gewaehlt]


def erzeuge_netzwerke(
    kommune: Any, einrichtungen: list[dict[str, Any]], bedarf: dict[str, float], rng: np.random.Generator, *,
    versatz: int = 0,
) -> list[dict[str, Any]]:
    """Netzwerke nach den Vorlagen in `texte.yaml`; Sozialräume mit höherem `bedarf` zuerst."""
    sr_von = {st: sr.name for sr in kommune.sozialraeume for st in sr.stadtteile}
    # Bedarf mit etwas Zufall, damit nicht jede Vorlage dieselben Sozialräume trifft.
    reihe = sorted(kommune.sozialraeume, key=lambda sr: -bedarf.get(sr.name, 0) * rng.uniform(0.7, 1.3))
    ergebnis: list[dict[str, Any]] = []
    for vorlage in texte()["netzwerke"]:
        if vorlage["je"] == "stadtweit":
            ziele: list[Any] = [None]
        else:
            ziele = reihe[: int(vorlage.get("anzahl", 1))]
            reihe = reihe[1:] + reihe[:1]  # nächste Vorlage beginnt beim nächsten Sozialraum
        for sr in ziele:
            kandidaten = [e for e in einrichtungen if sr is None or sr_von[e["stadtteil"]] == sr.name]
            ergebnis.append(
                {
                    "schluessel": f"demo-netz-{len(ergebnis) + 1:03d}",
                    "name": vorlage["name"].format(sozialraum=sr.name if sr else ""),
                    "status": vorlage["status"],
                    "sozialraum": sr.name if sr else None,
                    "beschreibung": vorlage["beschreibung"],
                    "mitglieder": _mitglieder(kandidaten, vorlage["arten"], rng, versatz),
                }
            )
    return ergebnis
