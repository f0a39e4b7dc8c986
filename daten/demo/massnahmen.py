"""Demo-Maßnahmen, Budgets, Hospitationen und Reflexionen (R7, R10–R13).

Budget je Sozialraum, Jahr und Kategorie; Kategorien mit Deckel (Fortbildung/Supervision, R12)
bekommen genau den Deckel. Die geplanten Kosten je Kategorie bleiben unter dem Budget; in einem
Sozialraum liegt die Fortbildung knapp unter dem Deckel, damit die Warnung sichtbar wird.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np

from daten.demo._stammdaten import texte
from daten.demo.netzwerke import aktiv

JAHRE = (2025, 2026)
GRUNDBETRAG_EUR = {"falluebergreifend": 5_000.0, "fallunspezifisch": 3_000.0}  # + je 1.000 Einwohner
JE_TAUSEND_EINWOHNER_EUR = {"falluebergreifend": 150.0, "fallunspezifisch": 100.0}
KOSTEN_EUR = {"falluebergreifend": (600, 3_500), "fallunspezifisch": (300, 2_500), "_standard": (300, 700)}
KNAPP_AM_DECKEL = (0.86, 0.97)  # Anteil des Deckels im Sozialraum, der die Warnung zeigt
GREMIUMSARTEN = ("asd", "kita", "kijukuz", "schulsozialarbeit", "quartiermanagement", "gemeinwesenarbeit")


def erzeuge_budgets(kommune: Any, einwohner_sr: dict[str, float]) -> list[dict[str, Any]]:
    budgets = []
    for sr in kommune.sozialraeume:
        tausend = einwohner_sr.get(sr.name, 0) / 1000
        for jahr in JAHRE:
            for kat in kommune.budgetkategorien:
                if kat.deckel_eur is not None:
                    betrag = float(kat.deckel_eur)
                else:
                    basis = GRUNDBETRAG_EUR.get(kat.schluessel, 2_000.0)
                    betrag = round((basis + JE_TAUSEND_EINWOHNER_EUR.get(kat.schluessel, 50.0) * tausend) / 500) * 500
                budgets.append(
                    {"sozialraum": sr.name, "jahr": jahr, "kategorie": kat.schluessel, "betrag_eur": float(betrag)}
                )
    return budgets


def _status(sitzung: dict[str, Any], stichtag: date, rng: np.random.Generator) -> str:
    """Je älter die beschließende Sitzung, desto weiter die Maßnahme; jüngste Beschlüsse sind noch offen."""
    alter = (stichtag - sitzung["datum"]).days
    if alter > 330:
        return "abgeschlossen"
    if alter > 150:
        return "laufend" if rng.random() < 0.5 else "abgeschlossen"
    return "genehmigt" if rng.random() < 0.5 else "beantragt"


def _kosten(art: str, rest: float, rng: np.random.Generator) -> float:
    unten, oben = KOSTEN_EUR.get(art, KOSTEN_EUR["_standard"])
    return min(float(round(rng.uniform(unten, oben) / 10) * 10), rest)


def _arten_fuer(kommune: Any, knapp: bool, rng: np.random.Generator) -> list[str]:
    """Je Sozialraum und Jahr: jede Art einmal, dazu ein bis zwei Maßnahmen ohne Deckel."""
    gedeckelt = {k.schluessel for k in kommune.budgetkategorien if k.deckel_eur is not None}
    arten = list(kommune.massnahmenarten)
    offen = [a for a in arten if a not in gedeckelt] or arten
    liste = arten + [offen[int(i)] for i in rng.integers(0, len(offen), size=int(rng.integers(1, 3)))]
    if knapp:  # die Demo-Warnung: eine zweite gedeckelte Maßnahme, zusammen knapp unter dem Deckel
        liste += [a for a in arten if a in gedeckelt]
    return liste


def erzeuge_massnahmen(
    kommune: Any,
    sitzungen: list[dict[str, Any]],
    einrichtungen: list[dict[str, Any]],
    budgets: list[dict[str, Any]],
    stichtag: date,
    rng: np.random.Generator,
) -> list[dict[str, Any]]:
    t = texte()["massnahmen"]
    deckel = {k.schluessel: k.deckel_eur for k in kommune.budgetkategorien}
    budget = {(b["sozialraum"], b["jahr"], b["kategorie"]): b["betrag_eur"] for b in budgets}
    vorlagen = list(kommune.beschlussvorlagen)
    knapp_sr = kommune.sozialraeume[int(rng.integers(len(kommune.sozialraeume)))].name
    ergebnis: list[dict[str, Any]] = []
    for sr in kommune.sozialraeume:
        durchfuehrende = [
            e["name"]
            for e in einrichtungen
            if e["stadtteil"] in sr.stadtteile and e["art"] in GREMIUMSARTEN and aktiv(e)
        ]
        for jahr in JAHRE:
            # Jüngste Sitzung zuerst: die meisten Beschlüsse des laufenden Jahres sind noch offen.
            quellen = sorted(
                (s for s in sitzungen if s["sozialraum"] == sr.name and s["datum"].year == jahr and s["punkte"]),
                key=lambda s: s["datum"],
                reverse=True,
            )
            verbraucht: dict[str, float] = {}
            knapp = sr.name == knapp_sr
            if not quellen:
                continue
            for i, art in enumerate(_arten_fuer(kommune, knapp, rng)):
                sitzung = quellen[i % len(quellen)]
                obergrenze = budget.get((sr.name, jahr, art), float("inf"))
                rest = obergrenze - verbraucht.get(art, 0.0)
                if rest < 100:
                    continue
                if knapp and deckel.get(art) is not None:
                    ziel = round(obergrenze * float(rng.uniform(*KNAPP_AM_DECKEL)) / 10) * 10
                    kosten = ziel - verbraucht[art] if art in verbraucht else float(round(ziel / 20) * 10)
                else:
                    kosten = _kosten(art, rest, rng)
                verbraucht[art] = verbraucht.get(art, 0.0) + kosten
                status = _status(sitzung, stichtag, rng)
                ist = {"abgeschlossen": rng.uniform(0.8, 1.0), "laufend": rng.uniform(0.3, 0.7)}.get(status)
                titel_liste = t.get(art) or [kommune.massnahmenarten[art]]
                ergebnis.append(
                    {
                        "schluessel": f"demo-massnahme-{len(ergebnis) + 1:03d}",
                        "sozialraum": sr.name,
                        "sitzung": sitzung["schluessel"],
                        "titel": str(titel_liste[int(rng.integers(len(titel_liste)))]),
                        "art": art,
                        "beschlussvorlage": vorlagen[0] if art == "falluebergreifend" else vorlagen[-1],
                        "kosten_geplant": kosten,
                        "kosten_ist": float(round(kosten * ist / 10) * 10) if ist is not None else None,
                        "durchfuehrung": _durchfuehrung(art, durchfuehrende, t, rng),
                        "genehmigt": status != "beantragt",
                        "status": status,
                        "jahr": jahr,
                    }
                )
    return ergebnis


def _durchfuehrung(art: str, durchfuehrende: list[str], t: dict[str, Any], rng: np.random.Generator) -> str:
    if art == "fortbildung_supervision" or not durchfuehrende or rng.random() < 0.3:
        liste = t["durchfuehrung"]
        return str(liste[int(rng.integers(len(liste)))])
    return durchfuehrende[int(rng.integers(len(durchfuehrende)))]


def _werktag(jahr: int, bis: date, rng: np.random.Generator) -> date:
    start = date(jahr, 1, 15)
    ende = min(date(jahr, 12, 10), bis)
    tag = start + timedelta(days=int(rng.integers(0, max((ende - start).days, 1))))
    return tag - timedelta(days=max(tag.weekday() - 4, 0))


def erzeuge_hospitationen(
    kommune: Any, einrichtungen: list[dict[str, Any]], stichtag: date, rng: np.random.Generator
) -> list[dict[str, Any]]:
    """Zwei bis drei gegenseitige Hospitationen je Sozialraum und Jahr (R13)."""
    bereiche = texte()["hospitation_bereiche"]
    ergebnis = []
    for sr in kommune.sozialraeume:
        pool = [e for e in einrichtungen if e["stadtteil"] in sr.stadtteile and e["art"] in bereiche and aktiv(e)]
        if len(pool) < 2:
            continue
        for jahr in JAHRE:
            for _ in range(int(rng.integers(1, 3))):
                von, nach = rng.choice(len(pool), size=2, replace=False)
                ziel = pool[int(nach)]
                ergebnis.append(
                    {
                        "von": pool[int(von)]["schluessel"],
                        "nach": ziel["schluessel"],
                        "datum": _werktag(jahr, stichtag, rng),
                        "bereich": bereiche[ziel["art"]],
                    }
                )
    return ergebnis


def erzeuge_reflexionen(kommune: Any, stichtag: date) -> list[dict[str, Any]]:
    """Die jährliche Reflexion der Gremien-Delegierten mit der Lenkungsgruppe (R11), bis zum Stichtag."""
    teilnehmende = (
        f"Delegierte der {len(kommune.sozialraeume)} Sozialraumgremien; Lenkungsgruppe (Abteilungsleitungen "
        "51.01, 51.02, 51.03, Sachgebietsleitung ASD, Abteilungsleitung 50.03, Fachcontrolling 51, "
        "Jugendhilfeplanung)"
    )
    return [
        {"jahr": int(r["jahr"]), "datum": r["datum"], "teilnehmende": teilnehmende, "ergebnisse": r["ergebnisse"]}
        for r in texte()["reflexionen"]
        if r["datum"] <= stichtag
    ]
