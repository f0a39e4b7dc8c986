"""Demo-Daten der Sozialraum-Ressourcenkarte: deterministisch erzeugt, durchgehend fiktiv.

Öffentlicher Einstieg: `erzeuge_demo(kommune, seed=2026)` → `DemoDaten` (Listen einfacher dicts,
Geometrien als Shapely-Objekte in EPSG:4326). Der Datenbank-Lader liest nur diesen Vertrag.
Stadtteile, Stützpunkte und belegte Kennzahlen stehen in `stadtteile.yaml`, Texte in `texte.yaml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from daten.demo._stammdaten import lade
from daten.demo.einrichtungen import erzeuge_einrichtungen
from daten.demo.geometrie import nach_wgs84, stadtteil_polygone
from daten.demo.indikatoren import einwohner_im_jahr, erzeuge_indikatoren, merkmal_im_jahr
from daten.demo.massnahmen import erzeuge_budgets, erzeuge_hospitationen, erzeuge_massnahmen, erzeuge_reflexionen
from daten.demo.netzwerke import erzeuge_netzwerke
from daten.demo.sitzungen import erzeuge_sitzungen, stufenbeschluesse, teilgremium
from daten.geometrie import metrisches_crs

QUELLE = "Demo-Daten, fiktiv"
GEOMETRIE_QUELLE = "Demo-Geometrie, schematisch (Voronoi um selbst gesetzte Stützpunkte), keine amtliche Abgrenzung"
# Fester Stichtag statt "heute": dieselbe Saat ergibt an jedem Tag dieselben Daten.
STICHTAG = date(2026, 11, 20)
BEZUGSJAHR_EINWOHNER = 2024

__all__ = ["DemoDaten", "QUELLE", "STICHTAG", "erzeuge_demo"]


@dataclass(frozen=True)
class DemoDaten:
    """Alle Demo-Datensätze; Schlüssel der dicts siehe README des Pakets bzw. `erzeuge_demo`."""

    sozialraeume: list[dict[str, Any]]  # name, stufe (aktuelle Stufe des Gremiums), teamleitung (fiktiv)
    stadtteile: list[dict[str, Any]]
    einrichtungen: list[dict[str, Any]]
    netzwerke: list[dict[str, Any]]
    indikatoren: list[dict[str, Any]]
    sitzungen: list[dict[str, Any]]
    massnahmen: list[dict[str, Any]]
    budgets: list[dict[str, Any]]
    hospitationen: list[dict[str, Any]]
    reflexionen: list[dict[str, Any]]
    stufenbeschluesse: list[dict[str, Any]]
    teilgremien: list[dict[str, Any]]


def _je_sozialraum(kommune: Any, werte: dict[str, float], gewichte: dict[str, float] | None = None) -> dict[str, float]:
    """Summe (ohne Gewichte) oder gewichteter Mittelwert je Sozialraum."""
    ergebnis = {}
    for sr in kommune.sozialraeume:
        if gewichte is None:
            ergebnis[sr.name] = sum(werte.get(s, 0.0) for s in sr.stadtteile)
        else:
            summe = sum(gewichte.get(s, 0.0) for s in sr.stadtteile) or 1.0
            ergebnis[sr.name] = sum(werte.get(s, 0.0) * gewichte.get(s, 0.0) for s in sr.stadtteile) / summe
    return ergebnis


def _demo_stufen(kommune: Any) -> dict[str, int]:
    gremien = lade("stadtteile.yaml").get("gremien") or {}
    return {sr.name: int((gremien.get(sr.name) or {}).get("stufe", getattr(sr, "stufe", 1) or 1))
            for sr in kommune.sozialraeume}


def _teamleitungen(sitzungen: list[dict[str, Any]]) -> dict[str, str]:
    """Wer als Teamleitung ASD die Geschäfte eines Gremiums führt: die Person des ASD, die im Wechsel (4.1)
    das Protokoll schreibt, wenn der ASD an der Reihe ist (Protokollführung „Name (ASD)“)."""
    namen: dict[str, str] = {}
    for s in sitzungen:
        fuehrung = str(s.get("protokollfuehrung") or "")
        if s.get("protokoll_bereich") == "ASD" and fuehrung.endswith(" (ASD)"):
            namen.setdefault(s["sozialraum"], fuehrung.removesuffix(" (ASD)"))
    return namen


def erzeuge_demo(kommune: Any, *, seed: int = 2026, stichtag: date = STICHTAG) -> DemoDaten:
    """Erzeugt alle Demo-Daten für die Kommune-Konfiguration; gleiche Saat → gleiche Daten.

    Jeder Teil zieht aus einem eigenen Zufallsstrom (`default_rng([seed, n])`), damit eine Änderung
    an einem Teil die anderen nicht verschiebt. Geometrien in EPSG:4326 (lon, lat).
    """

    def rng(n: int) -> np.random.Generator:
        return np.random.default_rng([seed, n])

    namen = [s for sr in kommune.sozialraeume for s in sr.stadtteile]
    crs = metrisches_crs(kommune)
    polygone = stadtteil_polygone(namen, crs_metrisch=crs)  # metrisch
    stadtteile = [
        {"name": st, "sozialraum": sr.name, "geometry": nach_wgs84(polygone[st], crs_metrisch=crs),
         "quelle": GEOMETRIE_QUELLE}
        for sr in kommune.sozialraeume
        for st in sr.stadtteile
    ]
    indikatoren = erzeuge_indikatoren(kommune, rng(1))
    einwohner = einwohner_im_jahr(indikatoren, BEZUGSJAHR_EINWOHNER)
    einrichtungen = erzeuge_einrichtungen(kommune, polygone, einwohner, rng(2))
    bedarf = _je_sozialraum(kommune, merkmal_im_jahr(indikatoren, "sgb2_quote_u15", BEZUGSJAHR_EINWOHNER), einwohner)
    netzwerke = erzeuge_netzwerke(kommune, einrichtungen, bedarf, rng(3))
    stufen = _demo_stufen(kommune)
    sitzungen = erzeuge_sitzungen(kommune, einrichtungen, netzwerke, stichtag, rng(4), stufen=stufen)
    teamleitung = _teamleitungen(sitzungen)
    budgets = erzeuge_budgets(kommune, indikatoren)
    massnahmen = erzeuge_massnahmen(kommune, sitzungen, einrichtungen, budgets, stichtag, rng(5))
    hospitationen = erzeuge_hospitationen(kommune, einrichtungen, stichtag, rng(6))
    return DemoDaten(
        sozialraeume=[{"name": sr.name, "stufe": stufen[sr.name], "teamleitung": teamleitung.get(sr.name)}
                      for sr in kommune.sozialraeume],
        stadtteile=stadtteile,
        einrichtungen=einrichtungen,
        netzwerke=netzwerke,
        indikatoren=indikatoren,
        sitzungen=sitzungen,
        massnahmen=massnahmen,
        budgets=budgets,
        hospitationen=hospitationen,
        reflexionen=erzeuge_reflexionen(kommune, sitzungen, hospitationen, massnahmen, stichtag),
        stufenbeschluesse=stufenbeschluesse(kommune, stufen),
        teilgremien=[t for t in [teilgremium(kommune, einrichtungen)] if t],
    )
