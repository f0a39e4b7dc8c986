"""Demo-Daten der Sozialraum-Ressourcenkarte: deterministisch erzeugt, durchgehend fiktiv.

Öffentlicher Einstieg: `erzeuge_demo(kommune, seed=2026, stichtag=None)` → `DemoDaten` (Listen einfacher
dicts, Geometrien als Shapely-Objekte in EPSG:4326). Der Datenbank-Lader liest nur diesen Vertrag.
Stadtteile, Stützpunkte und belegte Kennzahlen stehen in `stadtteile.yaml`, Texte in `texte.yaml`.

Die Jahre folgen dem Stichtag (Standard: heute): alle festen Daten der Module sind für das BASISJAHR
geschrieben und werden um `versatz(stichtag)` Jahre verschoben. Im Basisjahr bleibt alles, wie es dasteht;
ein Jahr später liegt jedes Datum ein Jahr später. Welche Jahre es gibt, sagt `demo_jahre(stichtag)`:
Sitzungen, Maßnahmen und Hospitationen im Vorjahr und im laufenden Jahr, Budgets dazu auch für das nächste
Jahr, geplante Sitzungen bis ins nächste Jahr, Indikatoren bis zum Vorjahr (veröffentlichte Zahlen hinken nach).
Gleiche Saat und gleicher Stichtag ergeben dieselben Daten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from daten.demo._stammdaten import lade
from daten.demo.einrichtungen import erzeuge_einrichtungen
from daten.demo.geometrie import nach_wgs84, stadtteil_polygone
from daten.demo.indikatoren import einwohner_im_jahr, erzeuge_indikatoren, merkmal_im_jahr
from daten.demo.massnahmen import (
    erzeuge_budgets,
    erzeuge_hospitationen,
    erzeuge_lenkungsberichte,
    erzeuge_massnahmen,
    erzeuge_reflexionen,
)
from daten.demo.netzwerke import erzeuge_netzwerke
from daten.demo.sitzungen import erzeuge_sitzungen, stufenbeschluesse, teilgremium
from daten.geometrie import metrisches_crs

QUELLE = "Demo-Daten, fiktiv"
GEOMETRIE_QUELLE = "Demo-Geometrie, schematisch (Voronoi um selbst gesetzte Stützpunkte), keine amtliche Abgrenzung"
# Für dieses Jahr sind die festen Daten der Module geschrieben (Terminfenster, Stufen, neue Kitas …);
# ein Stichtag in einem anderen Jahr verschiebt sie alle um dieselbe Zahl von Jahren.
BASISJAHR = 2026
BEZUGSJAHR_EINWOHNER = 2024  # im Basisjahr; verschoben wie alle Jahre

__all__ = ["BASISJAHR", "DemoDaten", "DemoJahre", "QUELLE", "demo_jahre", "erzeuge_demo", "versatz"]


def versatz(stichtag: date) -> int:
    """Um so viele Jahre liegen die Demo-Daten zum Stichtag später als im Basisjahr (0 im Basisjahr)."""
    return stichtag.year - BASISJAHR


@dataclass(frozen=True)
class DemoJahre:
    """Welche Jahre die Demo zu einem Stichtag enthält (Jahr des Stichtags = laufendes Jahr)."""

    stichtag: date
    indikatoren: tuple[int, ...]  # vier Jahre bis zum Vorjahr: veröffentlichte Zahlen hinken nach
    massnahmen: tuple[int, ...]  # Vorjahr und laufendes Jahr: Sitzungen mit Protokoll, Maßnahmen, Hospitationen
    budgets: tuple[int, ...]  # dazu das nächste Jahr
    sitzungen: tuple[int, ...]  # Vorjahr bis nächstes Jahr (im nächsten Jahr nur geplante)

    @property
    def laufend(self) -> int:
        return self.stichtag.year

    @property
    def vorjahr(self) -> int:
        """Das letzte abgeschlossene Jahr: alle Sitzungen gehalten, Maßnahmen entschieden (Jahresbericht)."""
        return self.stichtag.year - 1

    @property
    def naechstes(self) -> int:
        return self.stichtag.year + 1


def demo_jahre(stichtag: date | None = None) -> DemoJahre:
    """Die Jahre der Demo zum Stichtag (Standard: heute), aus den Jahren der Module verschoben."""
    from daten.demo import indikatoren, massnahmen, sitzungen

    tag = stichtag or date.today()
    v = versatz(tag)
    return DemoJahre(
        stichtag=tag, indikatoren=indikatoren.jahre(v), massnahmen=massnahmen.jahre(v),
        budgets=massnahmen.budget_jahre(v), sitzungen=tuple(sorted({j + v for j, _, _ in sitzungen.TERMINFENSTER})))


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
    stichtag: date  # Stichtag der Erzeugung: davor gehalten, danach geplant
    lenkungsberichte: list[dict[str, Any]] = field(default_factory=list)  # 4.2: sozialraum, jahr, datum, …


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


def erzeuge_demo(kommune: Any, *, seed: int = 2026, stichtag: date | None = None) -> DemoDaten:
    """Erzeugt alle Demo-Daten für die Kommune-Konfiguration; gleiche Saat und gleicher Stichtag → gleiche Daten.

    `stichtag` (Standard: heute) trennt gehaltene von geplanten Sitzungen und legt die Jahre fest (`versatz`).
    Jeder Teil zieht aus einem eigenen Zufallsstrom (`default_rng([seed, n])`), damit eine Änderung
    an einem Teil die anderen nicht verschiebt. Geometrien in EPSG:4326 (lon, lat).
    """
    stichtag = stichtag or date.today()
    v = versatz(stichtag)

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
    indikatoren = erzeuge_indikatoren(kommune, rng(1), versatz=v)
    einwohner = einwohner_im_jahr(indikatoren, BEZUGSJAHR_EINWOHNER + v)
    einrichtungen = erzeuge_einrichtungen(kommune, polygone, einwohner, rng(2), versatz=v)
    bedarf = _je_sozialraum(kommune, merkmal_im_jahr(indikatoren, "sgb2_quote_u15", BEZUGSJAHR_EINWOHNER + v),
                            einwohner)
    netzwerke = erzeuge_netzwerke(kommune, einrichtungen, bedarf, rng(3), versatz=v)
    stufen = _demo_stufen(kommune)
    sitzungen = erzeuge_sitzungen(kommune, einrichtungen, netzwerke, stichtag, rng(4), stufen=stufen, versatz=v)
    teamleitung = _teamleitungen(sitzungen)
    budgets = erzeuge_budgets(kommune, indikatoren, versatz=v)
    massnahmen = erzeuge_massnahmen(kommune, sitzungen, einrichtungen, budgets, stichtag, rng(5), versatz=v)
    hospitationen = erzeuge_hospitationen(kommune, einrichtungen, stichtag, rng(6), versatz=v)
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
        reflexionen=erzeuge_reflexionen(kommune, sitzungen, hospitationen, massnahmen, stichtag, versatz=v),
        stufenbeschluesse=stufenbeschluesse(kommune, stufen, versatz=v),
        teilgremien=[t for t in [teilgremium(kommune, einrichtungen, versatz=v)] if t],
        stichtag=stichtag,
        lenkungsberichte=erzeuge_lenkungsberichte(kommune, stichtag, versatz=v),
    )
