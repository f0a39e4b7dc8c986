"""Demo-Einrichtungen: Punkte in ihrem Stadtteil, fiktive Namen und Adressen, Träger, Angebote.

Anzahl der Kitas nach Einwohnern (eine je KITA_JE_EINWOHNER), eine ASD-Dienststelle je Sozialraum
(im einwohnerstärksten Stadtteil), alle übrigen Arten nach `ausstattung` in `stadtteile.yaml`.
Schulsozialarbeit sitzt immer an einer Schule, die es in den Daten im selben Stadtteil gibt
(Grundschule, Realschule plus, IGS oder Förderschule; nicht am Gymnasium), höchstens eine je Schule.
Jede Einrichtung trägt `quelle` = "Demo-Daten, fiktiv". Alle Daten (Gründung, neue Kitas, Schließungen)
sind für das Basisjahr der Demo geschrieben und werden um `versatz` Jahre verschoben.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import numpy as np
from shapely.geometry import Point, Polygon

from daten.demo._stammdaten import stadtteil_daten, texte
from daten.demo.geometrie import Punktstreuer, kern, nach_wgs84
from daten.geometrie import metrisches_crs

KITA_JE_EINWOHNER = 2_200  # etwas dünner als real (~1 je 1.500), damit die Karte lesbar bleibt
NAMENSZUSATZ = ""  # z. B. " (Demo)", falls Namen selbst die Fiktion zeigen sollen; `quelle` tut es immer
NEUE_KITAS = ((2025, 8, 1), (2025, 9, 1), (2026, 1, 1), (2026, 8, 1), (2026, 9, 1))  # im Basisjahr 2026
SCHLIESSUNGEN = ((2024, 7, 31), (2025, 6, 30), (2025, 12, 31), (2026, 3, 31))
GEGRUENDET = (1965, 2021)  # Gründungsjahre (von, bis ausschließlich) im Basisjahr
SCHLIESSBAR_VOR = 2024  # geschlossen werden nur Einrichtungen, die vor diesem Jahr (Basisjahr) bestanden
SCHULARTEN = ("grundschule", "weiterfuehrende_schule", "foerderschule")
# Schulen mit Schulsozialarbeit (Rheinland-Pfalz: Grundschulen, Realschulen plus, IGS, Förderschulen)
MIT_SCHULSOZIALARBEIT = ("Grundschule", "Realschule plus", "Integrierte Gesamtschule", "Förderschule")


def _waehle(rng: np.random.Generator, liste: list[Any]) -> Any:
    return liste[int(rng.integers(len(liste)))]


class _Namen:
    """Verteilt Straßen je Stadtteil und Fantasienamen stadtweit ohne Wiederholung (solange möglich)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._strassen: dict[str, list[str]] = {}
        self._fantasie = list(rng.permutation(texte()["kita_namen"]))
        self._genutzt: set[str] = set()

    def strasse(self, stadtteil: str) -> str:
        if not self._strassen.get(stadtteil):
            self._strassen[stadtteil] = list(self._rng.permutation(texte()["strassen"]))
        return str(self._strassen[stadtteil].pop())

    def fantasie(self) -> str:
        if not self._fantasie:
            self._fantasie = list(self._rng.permutation(texte()["kita_namen"]))
        return str(self._fantasie.pop())

    def eindeutig(self, name: str, stadtteil: str, strasse: str = "") -> str:
        """Name ohne Wiederholung; der Stadtteil kommt nur dazu, wenn er nicht schon im Namen steht."""
        kandidaten = [name]
        if stadtteil not in name:
            kandidaten.append(f"{name} ({stadtteil})")
        if strasse:
            kandidaten.append(f"{name}, {strasse}")
        for k in kandidaten:
            if k not in self._genutzt:
                self._genutzt.add(k)
                return k
        n = 2
        while f"{name} {n}" in self._genutzt:
            n += 1
        self._genutzt.add(f"{name} {n}")
        return f"{name} {n}"


def _anzahlen(kommune: Any, einwohner: dict[str, float]) -> dict[str, dict[str, int]]:
    """Anzahl je Stadtteil und Art, in der Reihenfolge der Konfiguration."""
    arten = [a.schluessel for a in kommune.einrichtungsarten]
    anzahl: dict[str, dict[str, int]] = {}
    for sr in kommune.sozialraeume:
        asd_ort = max(sr.stadtteile, key=lambda s: einwohner.get(s, 0))
        for st in sr.stadtteile:
            ausstattung = stadtteil_daten(st).get("ausstattung", {})
            zeile = {a: int(ausstattung.get(a, 0)) for a in arten}
            if "kita" in zeile:
                zeile["kita"] = max(1, round(einwohner.get(st, 0) / KITA_JE_EINWOHNER))
            if "asd" in zeile:
                zeile["asd"] = 1 if st == asd_ort else 0
            anzahl[st] = zeile
    # Jede Art der Konfiguration kommt mindestens einmal vor (auch Arten, die die Demo nicht kennt).
    groesster = max(einwohner, key=lambda s: einwohner[s])
    for art in arten:
        if not any(z[art] for z in anzahl.values()):
            anzahl[groesster][art] = 1
    return anzahl


def _traeger(art: str, traeger_art: str, name: str, rng: np.random.Generator) -> str:
    t = texte()
    if traeger_art == "staedtisch":
        return t["traeger_staedtisch"].get(art, t["traeger_staedtisch"]["_standard"])
    auswahl = t["traeger_frei"].get(art, t["traeger_frei"]["_standard"])
    wahl = _waehle(rng, auswahl)
    return name if wahl == "_eigener_name" else wahl


def _name(
    art: Any, traeger_art: str, stadtteil: str, sozialraum: str, namen: _Namen, strasse: str, rng: np.random.Generator
) -> str:
    muster = texte()["namensmuster"]
    schluessel = f"kita_{traeger_art}" if art.schluessel == "kita" else art.schluessel
    vorlage = muster.get(schluessel, muster["_standard"])
    if isinstance(vorlage, list):
        vorlage = _waehle(rng, vorlage)
    text = vorlage.format(
        strasse=strasse,
        name=namen.fantasie(),
        stadtteil=stadtteil,
        sozialraum=sozialraum,
        nr=int(rng.integers(60, 99)),
        bezeichnung=art.bezeichnung,
    )
    return namen.eindeutig(text + NAMENSZUSATZ, stadtteil, strasse)


def _angebote(art: str, rng: np.random.Generator) -> list[str]:
    liste = texte()["angebote"].get(art, texte()["angebote"]["_standard"])
    k = min(len(liste), int(rng.integers(2, 5)))
    return [str(x) for x in rng.choice(liste, size=k, replace=False)]


def _gueltig_von(rng: np.random.Generator, versatz: int) -> date | None:
    if rng.random() < 0.3:
        return None
    return date(int(rng.integers(*GEGRUENDET)) + versatz, int(rng.integers(1, 13)), 1)


def _eine(
    art: Any,
    st: str,
    sr: str,
    polygon: Polygon,
    nr: int,
    streuer: Punktstreuer,
    namen: _Namen,
    rng: np.random.Generator,
    mitte: Point | None = None,
    name: str | None = None,
    *,
    crs_metrisch: int,
    versatz: int = 0,
) -> dict[str, Any]:
    t = texte()
    anteil = t["anteil_staedtisch"].get(art.schluessel, t["anteil_staedtisch"]["_standard"])
    traeger_art = "staedtisch" if rng.random() < anteil else "frei"
    daten = stadtteil_daten(st)
    strasse = namen.strasse(st)
    name = namen.eindeutig(name, st, strasse) if name else _name(art, traeger_art, st, sr, namen, strasse, rng)
    if mitte is None:
        streuung = float(daten["profil"].get("streuung_m", 600))
        punkt = streuer.ziehe(polygon, kern(st, crs_metrisch=crs_metrisch), streuung)
    else:
        punkt = streuer.ziehe(polygon, mitte, 25.0)
    hausnummer = "" if art.schluessel == "spielplatz" else f" {int(rng.integers(1, 120))}"
    return {
        "schluessel": f"demo-{art.schluessel.replace('_', '-')}-{nr:03d}",
        "name": name,
        "art": art.schluessel,
        "traeger_art": traeger_art,
        "traeger": _traeger(art.schluessel, traeger_art, name, rng),
        "adresse": f"{strasse}{hausnummer}, {daten.get('plz', '55xxx')} Mainz",
        "zielgruppen": list(art.zielgruppen),
        "angebote": _angebote(art.schluessel, rng),
        "kapazitaet": int(rng.integers(5, 25)) * 5 if art.schluessel == "kita" else None,
        "gueltig_von": _gueltig_von(rng, versatz),
        "gueltig_bis": None,
        "stadtteil": st,
        "geometry": punkt,  # noch metrisch; am Ende umgerechnet
        "quelle": t["quelle"],
    }


def _zeitraeume(einrichtungen: list[dict[str, Any]], rng: np.random.Generator, versatz: int) -> None:
    """Ein paar neue Kitas (Ausbau) und geschlossene Einrichtungen: die Karte ändert sich über die Jahre."""
    kitas = [e for e in einrichtungen if e["art"] == "kita"]
    for e, (j, m, t) in zip(
        rng.choice(kitas, size=min(len(kitas), len(NEUE_KITAS)), replace=False), NEUE_KITAS, strict=False
    ):
        e["gueltig_von"] = date(j + versatz, m, t)
    schliessbar = [
        e
        for e in einrichtungen
        if e["art"] in ("kita", "verein", "hze", "beratungsstelle")
        and (e["gueltig_von"] is None or e["gueltig_von"].year < SCHLIESSBAR_VOR + versatz)
    ]
    for e, (j, m, t) in zip(
        rng.choice(schliessbar, size=min(len(schliessbar), len(SCHLIESSUNGEN)), replace=False),
        SCHLIESSUNGEN,
        strict=False,
    ):
        e["gueltig_bis"] = date(j + versatz, m, t)


def _schulen_fuer_schulsozialarbeit(schulen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Geeignete Schulen des Stadtteils, Grund- und weiterführende Schulen im Wechsel."""
    passend = [s for s in schulen if s["name"].startswith(MIT_SCHULSOZIALARBEIT)]
    grund = [s for s in passend if s["art"] == "grundschule"]
    weitere = [s for s in passend if s["art"] != "grundschule"]
    reihe: list[dict[str, Any]] = []
    for i in range(max(len(grund), len(weitere))):
        reihe += [x[i] for x in (weitere, grund) if i < len(x)]
    return reihe


def _an_der(schule: str) -> str:
    """„Schulsozialarbeit an der Integrierten Gesamtschule …“ (Dativ)."""
    return "Schulsozialarbeit an der " + schule.replace("Integrierte Gesamtschule", "Integrierten Gesamtschule", 1)


def _reihenfolge(kommune: Any) -> list[Any]:
    """Arten der Konfiguration, Schulen vor der Schulsozialarbeit (die an ihnen sitzt)."""
    arten = list(kommune.einrichtungsarten)
    return sorted(arten, key=lambda a: 0 if a.schluessel in SCHULARTEN else 1)


def erzeuge_einrichtungen(
    kommune: Any, polygone: dict[str, Polygon], einwohner: dict[str, float], rng: np.random.Generator, *,
    versatz: int = 0,
) -> list[dict[str, Any]]:
    """Alle Demo-Einrichtungen; `polygone` im metrischen KBS der Kommune, Ergebnis-Geometrien in EPSG:4326; Daten
    `versatz` Jahre nach dem Basisjahr."""
    crs = metrisches_crs(kommune)
    anzahl = _anzahlen(kommune, einwohner)
    streuer, namen = Punktstreuer(rng), _Namen(rng)
    zaehler: dict[str, int] = defaultdict(int)
    ergebnis: list[dict[str, Any]] = []
    for sr in kommune.sozialraeume:
        for st in sr.stadtteile:
            schulen: list[dict[str, Any]] = []
            for art in _reihenfolge(kommune):
                n = anzahl[st][art.schluessel]
                if art.schluessel == "schulsozialarbeit":
                    orte = _schulen_fuer_schulsozialarbeit(schulen)[:n]
                    for schule in orte:
                        zaehler[art.schluessel] += 1
                        e = _eine(art, st, sr.name, polygone[st], zaehler[art.schluessel], streuer, namen, rng,
                                  mitte=schule["geometry"], name=_an_der(schule["name"]), crs_metrisch=crs,
                                  versatz=versatz)
                        e["adresse"] = schule["adresse"]
                        ergebnis.append(e)
                    continue
                for _ in range(n):
                    zaehler[art.schluessel] += 1
                    e = _eine(art, st, sr.name, polygone[st], zaehler[art.schluessel], streuer, namen, rng,
                              crs_metrisch=crs, versatz=versatz)
                    if art.schluessel in SCHULARTEN:
                        schulen.append(e)
                    ergebnis.append(e)
    _zeitraeume(ergebnis, rng, versatz)
    for e in ergebnis:
        e["geometry"] = nach_wgs84(e["geometry"], crs_metrisch=crs)
    return ergebnis
