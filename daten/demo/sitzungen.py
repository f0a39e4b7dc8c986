"""Demo-Sitzungen der Sozialraumgremien mit Ergebnisprotokoll entlang der Fragen (R2–R7).

Je Sozialraum zwei Termine im Halbjahr an Arbeitstagen (Di–Do, nie an Feiertagen, Heiligabend oder Silvester), Orte
im Wechsel ASD → Kita → KiJuKuZ, Protokoll im Wechsel ASD → KiJuKuZ → Schulsozialarbeit → städtische Kita (4.1;
delegiert von der Teamleitung), eingeladen wird nach der am Sitzungstag geltenden Stufe (R2). Nach dem Stichtag:
geplant bzw. eingeladen (in den nächsten sechs Wochen). Die zuletzt gehaltene Sitzung jedes Gremiums ist
durchgeführt und ihr Protokoll an das Demo-Konto des Mitglieds (`mitgliedNN`) delegiert (wäre das ASD dran,
übernimmt das nächste Feld, mit Grund); die davor ist teils noch nicht versendet. Gäste „bei Bedarf“ (3.1: Frühe
Hilfen, Suchthilfe) stehen in der Teilnahme als `gast`, nicht als Mitglieder. Fallbesprechungen sind selten
(Einzelfälle gehören in die Teams), höchstens eine je Sitzung und immer anonymisiert oder mit
Schweigepflichtsentbindung. Der Zufall jedes Termins (Datum, Teilnahme, Protokoll) hängt nicht vom Stichtag ab: ein
späterer Stichtag zeigt dieselben Sitzungen, nur mehr davon gehalten.
Terminfenster und Stufen sind für das Basisjahr der Demo geschrieben und werden um `versatz` Jahre verschoben.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import cycle
from typing import Any

import numpy as np

from daten.demo._stammdaten import texte
from daten.demo.protokolle import protokoll
from daten.gremium.kalender import naechster_arbeitstag

# (Jahr, erster Monat, letzter Monat) je Termin im Basisjahr 2026: zwei Termine je Halbjahr im Vor- und im laufenden
# Jahr, dazu der erste des nächsten Jahres.
TERMINFENSTER = ((2025, 2, 3), (2025, 5, 6), (2025, 9, 10), (2025, 11, 11), (2026, 2, 3), (2026, 5, 6),
                 (2026, 9, 10), (2026, 12, 12), (2027, 2, 3))
ANWESENHEIT = 0.92  # je Kita/KiJuKuZ; die Lücken findet die Teilnahmeprüfung (R6)
ANTEIL_FALLBESPRECHUNG = 0.12  # Anteil der Protokolle mit einer Fallbesprechung
EINLADUNG_VORLAUF = timedelta(days=42)
BEGINN, ENDE = "14:00", "16:30"
STUFE_START = date(2025, 1, 1)  # alle festen Daten: im Basisjahr, verschoben mit `jahre_spaeter`
STUFE2_AB = date(2026, 1, 1)  # Gremien mit Ziel-Stufe ≥ 2 nehmen Stufe 2 auf (nach der Reflexion)
STUFE3_AB = date(2026, 7, 1)  # Gremien mit Ziel-Stufe 3 nehmen danach auch Kitas freier Träger und Schulen auf
TEILGREMIUM_AB = date(2026, 7, 1)
WOCHENTAGE = (1, 2, 3)  # Di–Do


def jahre_spaeter(tag: date, versatz: int) -> date:
    """Ein festes Datum der Demo `versatz` Jahre später (der 29. Februar wird zum 28.)."""
    try:
        return tag.replace(year=tag.year + versatz)
    except ValueError:
        return tag.replace(year=tag.year + versatz, day=28)


def cfg(obj: Any, schluessel: str, standard: Any = None) -> Any:
    """Konfigurationswert aus pydantic-Objekt oder reinem dict (der Generator braucht nur die Rohdaten)."""
    return obj.get(schluessel, standard) if isinstance(obj, dict) else getattr(obj, schluessel, standard)


class Personen:
    """Fiktive Namen, stabil je Einrichtung (eine Ansprechperson) und ohne Wiederholung."""

    def __init__(self, rng: np.random.Generator) -> None:
        t = texte()
        paare = [(v, n) for v in t["vornamen"] for n in t["nachnamen"]]
        self._frei = [f"{paare[i][0]} {paare[i][1]}" for i in rng.permutation(len(paare))]
        self._je: dict[str, str] = {}

    def fuer(self, schluessel: str) -> str:
        if schluessel not in self._je:
            self._je[schluessel] = self._frei.pop()
        return self._je[schluessel]


def gueltig_am(e: dict[str, Any], tag: date) -> bool:
    von, bis = e["gueltig_von"], e["gueltig_bis"]
    return (von is None or von <= tag) and (bis is None or bis >= tag)


def termin(jahr: int, von: int, bis: int, rng: np.random.Generator, bundesland: str) -> date:
    """Zufälliger Arbeitstag (Di–Do, kein Feiertag) im Fenster; läuft er über das Fenster hinaus, davor."""
    erster = date(jahr, von, 1)
    letzter = date(jahr + (bis == 12), bis % 12 + 1, 1) - timedelta(days=1)
    tag = naechster_arbeitstag(erster + timedelta(days=int(rng.integers(0, (letzter - erster).days - 6))),
                               bundesland, wochentage=WOCHENTAGE)
    return tag if tag <= letzter else naechster_arbeitstag(erster, bundesland, wochentage=WOCHENTAGE)


def stufenbeschluesse(kommune: Any, ziel: dict[str, int], *, versatz: int = 0) -> list[dict[str, Any]]:
    """Stufe 1 für alle ab Beginn; Gremien mit Ziel-Stufe 2 oder 3 (Demo, `stadtteile.yaml`) nehmen sie
    schrittweise auf (R2): Stufe 2 ab dem laufenden Jahr, Stufe 3 ab seiner Mitte (im Basisjahr: 2026)."""
    start, ab2, ab3 = (jahre_spaeter(t, versatz) for t in (STUFE_START, STUFE2_AB, STUFE3_AB))
    beschluesse = [{"sozialraum": sr.name, "stufe": 1, "gueltig_ab": start,
                    "beschluss": "Amtsinterne Erprobungsphase: Stufe 1 (städtische Mitarbeitende).", "sitzung": None}
                   for sr in kommune.sozialraeume]
    for sr in kommune.sozialraeume:
        if ziel.get(sr.name, 1) >= 2:
            beschluesse.append({"sozialraum": sr.name, "stufe": 2, "gueltig_ab": ab2, "sitzung": None,
                                "beschluss": f"Im Konsens beschlossen: Ab {ab2.year} werden Träger der HzE, "
                                             "Gemeinwesenarbeit, freie Träger der Jugendarbeit und Schulsozialarbeit "
                                             "sowie Mehrgenerationenhäuser eingeladen (Stufe 2)."})
        if ziel.get(sr.name, 1) >= 3:
            beschluesse.append({"sozialraum": sr.name, "stufe": 3, "gueltig_ab": ab3, "sitzung": None,
                                "beschluss": f"Im Konsens beschlossen: Ab Juli {ab3.year} werden auch Kitas freier "
                                             "Träger und die Schulen eingeladen (Stufe 3)."})
    return beschluesse


def stufe_am(beschluesse: list[dict[str, Any]], sozialraum: str, tag: date) -> int:
    gueltig = [b for b in beschluesse if b["sozialraum"] == sozialraum and b["gueltig_ab"] <= tag]
    return max(gueltig, key=lambda b: b["gueltig_ab"])["stufe"] if gueltig else 1


def _mitglieder(kommune: Any, stadtteile: list[str], einrichtungen: list[dict[str, Any]], stufe: int,
                tag: date) -> list[dict[str, Any]]:
    """Einrichtungen, die am Tag auf der geltenden Stufe zum Gremium gehören (R2)."""
    arten = {a.schluessel: a for a in kommune.einrichtungsarten}
    drin = []
    for e in einrichtungen:
        ab = cfg(arten[e["art"]], "stufe", {}).get(e["traeger_art"])
        if e["stadtteil"] in stadtteile and gueltig_am(e, tag) and ab is not None and ab <= stufe:
            drin.append(e)
    return drin


def _protokollreihe(kommune: Any, mitglieder: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Arbeitsfelder im Protokollwechsel (4.1), die im Gremium vertreten sind, mit ihren Einrichtungen."""
    reihe = []
    for w in cfg(kommune.gremium, "protokollwechsel"):
        traeger = cfg(w, "traeger_art")
        passend = [e for e in mitglieder if e["art"] in cfg(w, "arten") and (traeger is None
                                                                            or e["traeger_art"] == traeger)]
        if passend:
            reihe.append((cfg(w, "bereich"), passend))
    return reihe


def _naechstes_feld(kommune: Any, reihe: list[tuple[str, list[dict[str, Any]]]],
                    letztes: str | None) -> tuple[str, list[dict[str, Any]]]:
    """4.1: das Arbeitsfeld nach `letztes` in der konfigurierten Reihenfolge, das in dieser Runde vertreten ist."""
    ordnung = [cfg(w, "bereich") for w in cfg(kommune.gremium, "protokollwechsel")]
    start = ordnung.index(letztes) + 1 if letztes in ordnung else 0
    vorhanden = dict(reihe)
    for k in range(len(ordnung)):
        feld = ordnung[(start + k) % len(ordnung)]
        if feld in vorhanden:
            return feld, vorhanden[feld]
    return reihe[0]


def _orte(kommune: Any, mitglieder: list[dict[str, Any]], asd: dict[str, Any]):
    """Endloser Wechsel der Orte nach `gremium.ortswechsel` (R5), Kitas reihum."""
    wechsel = list(cfg(kommune.gremium, "ortswechsel"))
    je_art = {a: [e for e in mitglieder if e["art"] == a] for a in wechsel}
    je_art["asd"] = [asd]
    zaehler = dict.fromkeys(wechsel, 0)
    for art in cycle(wechsel):
        if je_art.get(art):
            yield je_art[art][zaehler[art] % len(je_art[art])]
            zaehler[art] += 1


def _person(e: dict[str, Any], kommune: Any, personen: Personen) -> dict[str, Any]:
    felder = cfg(kommune.gremium, "arbeitsfelder", {})
    return {"bereich": felder.get(e["art"], e["art"]), "einrichtung": e["schluessel"],
            "name": personen.fuer(e["schluessel"])}


def _teilnehmende(kommune: Any, eingeladene: list[dict[str, Any]], asd: dict[str, Any], personen: Personen,
                  gaeste: list[dict[str, Any]], pflicht: str | None, rng: np.random.Generator) -> list[dict[str, Any]]:
    liste = [t for t in eingeladene if t["einrichtung"] == asd["schluessel"]]
    for i in range(int(rng.integers(1, 3))):
        name = personen.fuer(f"asd{i}-{asd['schluessel']}")
        liste.append({"bereich": "ASD", "einrichtung": asd["schluessel"], "name": name})
    for t in eingeladene:
        if t["einrichtung"] != asd["schluessel"] and (t["einrichtung"] == pflicht or rng.random() < ANWESENHEIT):
            liste.append(t)
    if rng.random() < 0.25:
        liste.append({"bereich": "Jugendhilfeplanung", "einrichtung": None, "name": personen.fuer("jhp")})
    for g in gaeste:  # bei Bedarf einbezogen (3.1): Frühe Hilfen, Suchthilfe – Gäste, keine Mitglieder
        if rng.random() < 0.2:
            person = _person(g, kommune, personen)
            liste.append({"gast": True, "name": person["name"], "organisation": g["name"],
                          "bereich": f"Gast ({g['name']})", "einrichtung": g["schluessel"]})
    return liste


def _status(datum: date, stichtag: date, zuletzt: list[date], rng: np.random.Generator) -> str:
    # Beide Zufallszahlen immer ziehen: was danach erzeugt wird, hängt nicht davon ab, ob der Termin schon war.
    _offen, frueher = rng.random(), rng.random()
    if datum > stichtag:
        return "eingeladen" if datum - stichtag <= EINLADUNG_VORLAUF else "geplant"
    if datum == zuletzt[-1]:  # das Protokoll der zuletzt gehaltenen Sitzung schreibt ein Mitglied noch (delegiert)
        return "durchgefuehrt"
    return "protokolliert" if len(zuletzt) > 1 and datum == zuletzt[-2] and frueher < 0.3 else "versendet"


def erzeuge_sitzungen(
    kommune: Any,
    einrichtungen: list[dict[str, Any]],
    netzwerke: list[dict[str, Any]],
    stichtag: date,
    rng: np.random.Generator,
    stufen: dict[str, int] | None = None,
    versatz: int = 0,
) -> list[dict[str, Any]]:
    """Alle Sitzungen aller Sozialräume, nach Sozialraum und Datum geordnet (Stufen/Teilgremien im Feld);
    Terminfenster `versatz` Jahre nach dem Basisjahr."""
    land = cfg(kommune.gremium, "bundesland", "RP")
    beschluesse = stufenbeschluesse(kommune, stufen or {}, versatz=versatz)
    teil_sr = teilgremium(kommune, einrichtungen, versatz=versatz)
    personen = Personen(rng)
    gaeste = [e for e in einrichtungen if e["art"] in ("fruehe_hilfen", "suchthilfe") and e["gueltig_bis"] is None]
    ergebnis: list[dict[str, Any]] = []
    for nr, sr in enumerate(kommune.sozialraeume, start=1):
        eigene = [e for e in einrichtungen if e["stadtteil"] in sr.stadtteile]
        asd = next(e for e in eigene if e["art"] == "asd")
        teamleitung = {"bereich": "ASD", "einrichtung": asd["schluessel"],
                       "name": personen.fuer(f"teamleitung-{asd['schluessel']}")}
        termine = [termin(j + versatz, von, bis, rng, land) for j, von, bis in TERMINFENSTER]
        gehalten = [d for d in termine if d <= stichtag]
        orte = _orte(kommune, _mitglieder(kommune, sr.stadtteile, eigene, 1, termine[0]), asd)
        naechste_offen = True
        letztes: str | None = None
        for i, datum in enumerate(termine):
            teil = teil_sr if teil_sr and teil_sr["sozialraum"] == sr.name and datum >= teil_sr["gueltig_ab"] \
                and i % 2 == 0 else None
            stadtteile = teil["stadtteile"] if teil else sr.stadtteile
            stufe = stufe_am(beschluesse, sr.name, datum)
            mitglieder = _mitglieder(kommune, stadtteile, eigene, stufe, datum)
            reihe = _protokollreihe(kommune, [asd, *mitglieder])
            bereich, kandidaten = _naechstes_feld(kommune, reihe, letztes)
            grund = None
            mitglied_schreibt = bool(gehalten) and datum == gehalten[-1]  # delegiert an das Demo-Konto des Mitglieds
            if mitglied_schreibt and bereich == "ASD" and len(reihe) > 1:
                bereich, kandidaten = _naechstes_feld(kommune, reihe, bereich)
                grund = (f"Die Teamleitung ASD moderiert und vertritt zugleich; das Protokoll übernimmt {bereich} "
                         "(Abweichung vom Wechsel, 4.1).")
            letztes = bereich
            ort = next(orte)
            if ort["stadtteil"] not in stadtteile:
                ort = asd
            eingeladene = [teamleitung] + [_person(e, kommune, personen) for e in mitglieder if e is not asd
                                           and e["art"] != "asd"]
            if bereich == "ASD":
                schreiber = teamleitung
            else:
                wahl = next((e for e in kandidaten if e is ort), kandidaten[(i // len(reihe)) % len(kandidaten)])
                schreiber = _person(wahl, kommune, personen)
            # Teilnahme und Protokoll werden für jeden Termin gezogen und erst dann nach dem Stichtag weggelassen:
            # so liegt der Zufall jeder Sitzung fest, gleich an welchem Tag die Demo erzeugt wird.
            status = _status(datum, stichtag, gehalten, rng)
            teilnehmende = _teilnehmende(kommune, eingeladene, asd, personen, gaeste, schreiber["einrichtung"], rng)
            punkte = protokoll(kommune, sr, stadtteile, eigene, netzwerke, teilnehmende, rng,
                               fall_erlaubt=rng.random() < ANTEIL_FALLBESPRECHUNG)
            if datum > stichtag:
                teilnehmende = []
            if status not in ("protokolliert", "versendet"):
                punkte = []
            login = f"mitglied{nr:02d}" if mitglied_schreibt and bereich != "ASD" else None
            if datum > stichtag and naechste_offen:  # die nächste Sitzung: Konto der Protokollführung
                login = f"tl{nr:02d}" if bereich == "ASD" else f"mitglied{nr:02d}"
                naechste_offen = False
            ergebnis.append({
                "schluessel": f"demo-sitzung-{len(ergebnis) + 1:03d}", "sozialraum": sr.name,
                "teilgremium": teil["name"] if teil else None, "datum": datum, "beginn": BEGINN, "ende": ENDE,
                "ort": ort["schluessel"], "protokollfuehrung": f"{schreiber['name']} ({bereich})",
                "protokoll_bereich": bereich, "protokoll_bereich_grund": grund, "protokoll_login": login,
                "status": status,
                "eingeladene": eingeladene, "teilnehmende": teilnehmende, "punkte": punkte,
                "versendet_von": f"tl{nr:02d}" if status == "versendet" else None,
                "versendet_am": datetime.combine(naechster_arbeitstag(datum + timedelta(days=10), land), time(10, 0))
                if status == "versendet" else None,
                "delegation": None if bereich == "ASD" else {
                    "von": f"tl{nr:02d}", "an_name": schreiber["name"], "an_bereich": bereich, "an_login": login,
                    "zeitpunkt": datetime.combine(datum - timedelta(days=21), time(9, 0)),
                    "grund": grund or "Protokoll im Wechsel (4.1)"},
            })
    return ergebnis


def teilgremium(kommune: Any, einrichtungen: list[dict[str, Any]], *, versatz: int = 0) -> dict[str, Any] | None:
    """Ein Teilgremium (Fußnote 3): im Sozialraum mit den meisten Stadtteilen der mit den meisten Einrichtungen."""
    mehrere = [sr for sr in kommune.sozialraeume if len(sr.stadtteile) >= 3]
    if not mehrere:
        return None
    sr = mehrere[0]
    zahl = {st: sum(e["stadtteil"] == st for e in einrichtungen) for st in sr.stadtteile}
    st = max(sr.stadtteile, key=lambda s: zahl[s])
    ab = jahre_spaeter(TEILGREMIUM_AB, versatz)
    return {"sozialraum": sr.name, "name": f"Teilgremium {st}", "stadtteile": [st], "gueltig_ab": ab,
            "beschluss": f"Im Konsens beschlossen: {st} tagt ab Juli {ab.year} jede zweite Sitzung als eigenes "
                         "Teilgremium (Fußnote 3 der Konzeption)."}
