"""Demo-Sitzungen der Sozialraumgremien mit Ergebnisprotokoll entlang der Fragen (R4–R7).

Je Sozialraum vier Termine im Jahr (zwei je Halbjahr), Orte im Wechsel ASD / Kita / KiJuKuZ,
Teilnehmende je Mitgliedseinrichtung der aktuellen Stufe. Termine nach dem Stichtag sind "geplant"
und haben noch kein Protokoll; einige zuletzt gehaltene sind "durchgeführt" (Protokoll ausstehend).
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import cycle
from typing import Any

import numpy as np

from daten.demo._stammdaten import texte
from daten.demo.netzwerke import aktiv

# (Jahr, erster Monat, letzter Monat) je Termin; zwei Termine je Halbjahr.
TERMINFENSTER = (
    (2025, 2, 3),
    (2025, 5, 6),
    (2025, 9, 10),
    (2025, 11, 11),
    (2026, 2, 3),
    (2026, 5, 6),
    (2026, 9, 10),
    (2026, 12, 12),
)
ORTSWECHSEL = ("asd", "kita", "kijukuz")  # R5
ANTEIL_OFFENES_PROTOKOLL = 0.3
ANWESENHEIT = 0.9  # je Mitgliedseinrichtung; Fehlende zeigen die Teilnahmeprüfung (R6)


class Personen:
    """Fiktive Namen, stabil je Einrichtung (eine Ansprechperson) und ohne Wiederholung."""

    def __init__(self, rng: np.random.Generator) -> None:
        t = texte()
        paare = [(v, n) for v in t["vornamen"] for n in t["nachnamen"]]
        self._frei = [f"{paare[i][0]} {paare[i][1]}" for i in rng.permutation(len(paare))]
        self._je: dict[str, str] = {}

    def neu(self) -> str:
        return self._frei.pop()

    def fuer(self, schluessel: str) -> str:
        if schluessel not in self._je:
            self._je[schluessel] = self.neu()
        return self._je[schluessel]


def _datum(jahr: int, von: int, bis: int, rng: np.random.Generator) -> date:
    erster = date(jahr, von, 1)
    letzter = date(jahr + (bis == 12), bis % 12 + 1, 1) - timedelta(days=1)
    tag = erster + timedelta(days=int(rng.integers(0, (letzter - erster).days + 1)))
    while tag.weekday() not in (1, 2, 3):  # Di–Do
        tag -= timedelta(days=1)
    return tag if tag >= erster else tag + timedelta(days=7)


def _mitglieder(sr: Any, arten: dict[str, Any], einrichtungen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Einrichtungen, die auf der aktuellen Stufe des Gremiums dabei sind (R2)."""
    stufe = int(getattr(sr, "stufe", 1) or 1)
    drin = []
    for e in einrichtungen:
        ab = arten[e["art"]].stufe.get(e["traeger_art"])
        if e["stadtteil"] in sr.stadtteile and aktiv(e) and ab is not None and ab <= stufe:
            drin.append(e)
    return drin


def _teilnehmende(
    mitglieder: list[dict[str, Any]],
    asd: dict[str, Any],
    teamleitung: str,
    personen: Personen,
    gaeste: list[dict[str, Any]],
    rng: np.random.Generator,
) -> list[dict[str, Any]]:
    bereiche = texte()["bereiche"]
    liste = [{"bereich": "ASD", "einrichtung": asd["schluessel"], "name": teamleitung}]
    for i in range(int(rng.integers(1, 3))):
        name = personen.fuer(f"asd{i}-{asd['schluessel']}")
        liste.append({"bereich": "ASD", "einrichtung": asd["schluessel"], "name": name})
    for e in mitglieder:
        if e["art"] != "asd" and rng.random() < ANWESENHEIT:
            liste.append(
                {
                    "bereich": bereiche.get(e["art"], e["art"]),
                    "einrichtung": e["schluessel"],
                    "name": personen.fuer(e["schluessel"]),
                }
            )
    if rng.random() < 0.25:
        liste.append({"bereich": "Jugendhilfeplanung", "einrichtung": None, "name": personen.fuer("jhp")})
    for g in gaeste:
        if rng.random() < 0.2:
            liste.append(
                {
                    "bereich": bereiche.get(g["art"], g["art"]),
                    "einrichtung": g["schluessel"],
                    "name": personen.fuer(g["schluessel"]),
                }
            )
    return liste


def _orte(mitglieder: list[dict[str, Any]], asd: dict[str, Any]):
    """Endloser Wechsel ASD → Kita → KiJuKuZ (soweit vorhanden), Kitas reihum (R5)."""
    je_art = {a: [e for e in mitglieder if e["art"] == a] for a in ORTSWECHSEL}
    je_art["asd"] = [asd]
    zaehler = dict.fromkeys(ORTSWECHSEL, 0)
    for art in cycle(ORTSWECHSEL):
        if je_art[art]:
            yield je_art[art][zaehler[art] % len(je_art[art])]
            zaehler[art] += 1


def _punkt(
    frage: int, vorlage: dict[str, Any], sr: Any, kontext: dict[str, Any], rng: np.random.Generator, ebenen: list[str]
) -> dict[str, Any]:
    arten = vorlage.get("arten")
    pool = [e for e in kontext["einrichtungen"] if not arten or e["art"] in arten] or kontext["einrichtungen"]
    einrichtung = pool[int(rng.integers(len(pool)))]
    alle = kontext["netze"].get(vorlage.get("netz"), [])
    netze = [n for n in alle if n["name"] not in kontext["genannt"]] or alle
    netz = netze[int(rng.integers(len(netze)))]["name"] if netze else ""
    kontext["genannt"].add(netz)
    ziel = texte()["zielgruppen_fokus"]
    text = vorlage["text"].format(
        stadtteil=sr.stadtteile[int(rng.integers(len(sr.stadtteile)))],
        sozialraum=sr.name,
        einrichtung=einrichtung["name"],
        netzwerk=netz,
        zielgruppe=ziel[int(rng.integers(len(ziel)))],
    )
    fall = vorlage.get("fall")
    return {
        "frage": frage,
        "handlungsebene": vorlage["ebene"] if vorlage["ebene"] in ebenen else ebenen[0],
        "text": text,
        "fallbesprechung": bool(fall),
        "anonymisiert": fall == "anonymisiert",
        "schweigepflichtentbindung": fall == "schweigepflichtentbindung",
        "bezug": [einrichtung["schluessel"]] if "{einrichtung}" in vorlage["text"] else [],
    }


def _protokoll(kommune: Any, sr: Any, kontext: dict[str, Any], rng: np.random.Generator) -> list[dict[str, Any]]:
    """Mindestens ein Punkt je Frage; höchstens eine Fallbesprechung je Sitzung."""
    vorlagen = texte()["punkte"]
    ebenen = list(kommune.handlungsebenen)
    punkte: list[dict[str, Any]] = []
    fall_schon = False
    kontext["genannt"] = set()  # jedes Netzwerk nur einmal je Protokoll nennen
    for frage in range(1, len(kommune.fragen) + 1):
        moeglich = [
            v
            for v in vorlagen.get(frage, [])
            if not (v.get("fall") and fall_schon) and (not v.get("netz") or kontext["netze"].get(v["netz"]))
        ]
        if not moeglich:
            moeglich = [{"ebene": ebenen[-1], "text": "Keine besonderen Punkte; das Thema bleibt auf der Liste."}]
        anzahl = min(len(moeglich), int(rng.integers(1, 4 if frage in (2, 3) else 3)))
        for i in rng.choice(len(moeglich), size=anzahl, replace=False):
            punkt = _punkt(frage, moeglich[int(i)], sr, kontext, rng, ebenen)
            fall_schon = fall_schon or punkt["fallbesprechung"]
            punkte.append(punkt)
    return punkte


def erzeuge_sitzungen(
    kommune: Any,
    einrichtungen: list[dict[str, Any]],
    netzwerke: list[dict[str, Any]],
    stichtag: date,
    rng: np.random.Generator,
) -> list[dict[str, Any]]:
    """Alle Sitzungen aller Sozialräume, nach Sozialraum und Datum geordnet."""
    arten = {a.schluessel: a for a in kommune.einrichtungsarten}
    personen = Personen(rng)
    gaeste = [e for e in einrichtungen if e["art"] in ("fruehe_hilfen", "suchthilfe") and aktiv(e)]
    ergebnis: list[dict[str, Any]] = []
    for sr in kommune.sozialraeume:
        eigene = [e for e in einrichtungen if e["stadtteil"] in sr.stadtteile and aktiv(e)]
        asd = next(e for e in eigene if e["art"] == "asd")
        mitglieder = _mitglieder(sr, arten, einrichtungen)
        teamleitung = personen.fuer(f"teamleitung-{asd['schluessel']}")
        kontext = {
            "einrichtungen": eigene,
            "netze": {
                "besteht": [n for n in netzwerke if n["status"] == "besteht" and n["sozialraum"] in (sr.name, None)],
                "soll": [n for n in netzwerke if n["status"] != "besteht" and n["sozialraum"] == sr.name],
            },
        }
        orte = _orte(mitglieder, asd)
        termine = [_datum(j, von, bis, rng) for j, von, bis in TERMINFENSTER]
        letzter_vergangener = max(d for d in termine if d <= stichtag)
        for nr, datum in enumerate(termine, start=1):
            ort = next(orte)
            teilnehmende = _teilnehmende(mitglieder, asd, teamleitung, personen, gaeste, rng)
            if nr % 3 == 1:
                fuehrung = f"{teamleitung} (Teamleitung ASD)"
            else:  # delegiert (R4): meist an die gastgebende Einrichtung
                t = next((t for t in teilnehmende if t["einrichtung"] == ort["schluessel"]), teilnehmende[-1])
                fuehrung = f"{t['name']} ({t['bereich']})"
            if datum > stichtag:
                status, punkte = "geplant", []
            elif datum == letzter_vergangener and rng.random() < ANTEIL_OFFENES_PROTOKOLL:
                status, punkte = "durchgeführt", []
            else:
                status, punkte = "protokolliert", _protokoll(kommune, sr, kontext, rng)
            ergebnis.append(
                {
                    "schluessel": f"demo-sitzung-{len(ergebnis) + 1:03d}",
                    "sozialraum": sr.name,
                    "datum": datum,
                    "ort": ort["schluessel"],
                    "protokollfuehrung": fuehrung,
                    "status": status,
                    "teilnehmende": teilnehmende if status != "geplant" else [],
                    "punkte": punkte,
                }
            )
    return ergebnis
