"""Demo-Maßnahmen, Budgets, Hospitationen und Reflexionen (R7, R10–R14).

Budgets nach Bedarf (`gremium.budgetverteilung`: Sockel für alle, Rest nach Kindern in SGB-II-
Bedarfsgemeinschaften, Indikatoren des Vorjahres), nur für Kategorien mit eigenem Budget; Fortbildung/
Supervision kommt aus dem fallunspezifischen Budget (höchstens 1.500 €, R12). Jede Maßnahme geht aus einem
Protokollpunkt hervor; Fortbildungen aus einem Beschluss des Gremiums, der dafür ins Protokoll kommt.
Genehmigt hat die Teamleitung ASD (Login `tlNN`); Fortbildung/Supervision beschließt das Gremium selbst (5.3,
Status „beschlossen“, ohne Genehmigung). Umgesetzte Maßnahmen tragen Ist-Kosten und Datum. Hospitationen und die
Reflexion liegen an Arbeitstagen.
Die Jahre sind die des Basisjahres der Demo, um `versatz` Jahre verschoben: Maßnahmen, Hospitationen und
Reflexionen im Vor- und im laufenden Jahr, Budgets dazu auch für das nächste Jahr.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np

from daten.demo._stammdaten import texte
from daten.demo.indikatoren import merkmal_im_jahr
from daten.demo.sitzungen import cfg, gueltig_am
from daten.dienste.budget import verteile_nach_bedarf
from daten.gremium.kalender import naechster_arbeitstag

JAHRE = (2025, 2026)  # im Basisjahr 2026: Vorjahr und laufendes Jahr
BUDGET_JAHRE = (*JAHRE, 2027)  # Budgets auch für das nächste Jahr: dafür werden schon Maßnahmen beantragt
KOSTEN_EUR = {"falluebergreifend": (600, 3_500), "fallunspezifisch": (300, 2_500), "_standard": (300, 700)}
KNAPP_AM_DECKEL = (0.86, 0.97)  # Anteil des Deckels im Sozialraum, der die Warnung zeigt
ANTEIL_ABGELEHNT = 0.08
ABGELEHNT_IM_VORJAHR = 2  # dieser Sozialraum (Nummer in der Konfiguration) lehnt im Vorjahr sicher eine Maßnahme ab
UMGESETZT_NACH = 45  # Tage nach der Entscheidung (bzw. dem Beschluss), bis eine Maßnahme umgesetzt ist
BERICHT_JEDER_ZWEITE = 2  # 4.2: jeder zweite Sozialraum hat über das Vorjahr schon an die Lenkungsgruppe berichtet
GREMIUMSARTEN = ("asd", "kita", "kijukuz", "schulsozialarbeit", "quartiermanagement", "gemeinwesenarbeit")


def jahre(versatz: int = 0) -> tuple[int, ...]:
    """Jahre mit Maßnahmen, Hospitationen und Reflexionen, `versatz` Jahre nach dem Basisjahr."""
    return tuple(j + versatz for j in JAHRE)


def budget_jahre(versatz: int = 0) -> tuple[int, ...]:
    """Jahre mit Budget (dazu das nächste Jahr), `versatz` Jahre nach dem Basisjahr."""
    return tuple(j + versatz for j in BUDGET_JAHRE)


def bedarf_je_sozialraum(kommune: Any, indikatoren: list[dict[str, Any]], jahr: int) -> dict[str, float]:
    """Bedarf = Σ Anteil (%) / 100 × Bezugsgruppe je Stadtteil, z. B. Kinder in SGB-II-Bedarfsgemeinschaften."""
    v = cfg(kommune.gremium, "budgetverteilung")
    jahre = sorted({z["jahr"] for z in indikatoren if z["jahr"] <= jahr}) or sorted({z["jahr"] for z in indikatoren})
    j = jahre[-1]
    anteil = merkmal_im_jahr(indikatoren, cfg(v, "bedarf_merkmal"), j)
    basis = [merkmal_im_jahr(indikatoren, mk, j) for mk in cfg(v, "bedarf_basis")]
    return {sr.name: sum(anteil.get(st, 0.0) / 100 * sum(b.get(st, 0.0) for b in basis) for st in sr.stadtteile)
            for sr in kommune.sozialraeume}


def erzeuge_budgets(kommune: Any, indikatoren: list[dict[str, Any]], *, versatz: int = 0) -> list[dict[str, Any]]:
    """Budget je Sozialraum, Jahr (`budget_jahre`) und Kategorie mit eigenem Budget, verteilt nach dem Bedarf des
    Vorjahres (bzw. dem jüngsten veröffentlichten Jahr davor)."""
    v = cfg(kommune.gremium, "budgetverteilung")
    budgets = []
    for jahr in budget_jahre(versatz):
        bedarf = bedarf_je_sozialraum(kommune, indikatoren, jahr - 1)
        for kategorie, summe in cfg(v, "summe_eur").items():
            verteilt = verteile_nach_bedarf(bedarf, float(summe), sockel_anteil=float(cfg(v, "sockel_anteil", 0.4)),
                                            runden_auf_eur=float(cfg(v, "runden_auf_eur", 500)))
            budgets += [{"sozialraum": sr, "jahr": jahr, "kategorie": kategorie, "betrag_eur": betrag}
                        for sr, betrag in verteilt.items()]
    return budgets


def _gedeckelt(kommune: Any) -> dict[str, tuple[float, str]]:
    """Unterkategorien mit Deckel: Schlüssel → (Deckel, Oberkategorie)."""
    return {cfg(k, "schluessel"): (float(cfg(k, "deckel_eur")), cfg(k, "anteil_von"))
            for k in kommune.budgetkategorien if cfg(k, "anteil_von") and cfg(k, "deckel_eur") is not None}


def _status(sitzung: dict[str, Any], stichtag: date, rng: np.random.Generator) -> str:
    """Je älter der Beschluss, desto weiter die Maßnahme; jüngste Anträge sind noch offen. Beide Zufallszahlen
    werden immer gezogen: mit einem späteren Stichtag geht dieselbe Maßnahme nur weiter (nie zurück)."""
    ablehnen, zuegig = rng.random(), rng.random()
    alter = (stichtag - sitzung["datum"]).days
    if alter > 60 and ablehnen < ANTEIL_ABGELEHNT:
        return "abgelehnt"
    if alter > 330:
        return "umgesetzt"
    if alter > 150:
        return "genehmigt" if zuegig < 0.5 else "umgesetzt"
    return "genehmigt" if alter > 30 and zuegig < 0.5 else "beantragt"


def _kosten(art: str, rest: float, rng: np.random.Generator) -> float:
    unten, oben = KOSTEN_EUR.get(art, KOSTEN_EUR["_standard"])
    return min(float(round(rng.uniform(unten, oben) / 10) * 10), rest)


def _arten_fuer(kommune: Any, knapp: bool, rng: np.random.Generator) -> list[str]:
    """Je Sozialraum und Jahr: jede Art einmal, dazu ein bis zwei Maßnahmen ohne Deckel."""
    gedeckelt = _gedeckelt(kommune)
    arten = list(kommune.massnahmenarten)
    offen = [a for a in arten if a not in gedeckelt] or arten
    liste = arten + [offen[int(i)] for i in rng.integers(0, len(offen), size=int(rng.integers(1, 3)))]
    if knapp:  # die Demo-Warnung: eine zweite gedeckelte Maßnahme, zusammen knapp unter dem Deckel
        liste += [a for a in arten if a in gedeckelt]
    return liste


def _punkt_fuer(sitzung: dict[str, Any], art: str, titel: str, kosten: float, kommune: Any) -> int:
    """Index des Protokollpunkts, aus dem die Maßnahme hervorgeht; Fortbildung: neuer Beschlusspunkt (R12)."""
    if art in _gedeckelt(kommune):
        vorlage = texte()["beschluss_fortbildung"]
        betrag = f"{kosten:,.0f} €".replace(",", ".")
        sitzung["punkte"].append({
            "frage": vorlage["frage"], "handlungsebene": vorlage["ebene"],
            "text": vorlage["text"].format(titel=titel, betrag=betrag), "fallbesprechung": False,
            "anonymisiert": False, "schweigepflichtentbindung": False, "bezug": [], "netzwerke": [],
            "stadtteile": [], "fehlende_ressourcen": []})
        return len(sitzung["punkte"]) - 1
    passend = [i for i, p in enumerate(sitzung["punkte"]) if p["handlungsebene"] == art and not p["fallbesprechung"]]
    return passend[0] if passend else next(i for i, p in enumerate(sitzung["punkte"]) if not p["fallbesprechung"])


def erzeuge_massnahmen(kommune: Any, sitzungen: list[dict[str, Any]], einrichtungen: list[dict[str, Any]],
                       budgets: list[dict[str, Any]], stichtag: date, rng: np.random.Generator, *,
                       versatz: int = 0) -> list[dict[str, Any]]:
    """Maßnahmen je Sozialraum und Jahr; die Summe je Budgetgruppe bleibt im Budget, Fortbildung unter dem Deckel.

    Jeder Sozialraum zieht je Jahr aus einem eigenen Zufallsstrom: was im laufenden Jahr bis zum Stichtag
    beschlossen ist, verschiebt die Maßnahmen der anderen Sozialräume und des Vorjahres nicht."""
    t = texte()["massnahmen"]
    land = cfg(kommune.gremium, "bundesland", "RP")
    gedeckelt = _gedeckelt(kommune)
    budget = {(b["sozialraum"], b["jahr"], b["kategorie"]): b["betrag_eur"] for b in budgets}
    vorlagen = list(kommune.beschlussvorlagen)
    knapp_sr = kommune.sozialraeume[int(rng.integers(len(kommune.sozialraeume)))].name
    saaten = rng.integers(0, 2**63, size=(len(kommune.sozialraeume), len(JAHRE)))
    ergebnis: list[dict[str, Any]] = []
    for nr, sr in enumerate(kommune.sozialraeume, start=1):
        durchfuehrende = [e["name"] for e in einrichtungen if e["stadtteil"] in sr.stadtteile
                          and e["art"] in GREMIUMSARTEN and e["gueltig_bis"] is None]
        for k, jahr in enumerate(jahre(versatz)):
            zufall = np.random.default_rng(int(saaten[nr - 1, k]))  # eigener Strom je Sozialraum und Jahr
            quellen = sorted((s for s in sitzungen if s["sozialraum"] == sr.name and s["datum"].year == jahr
                              and s["punkte"]), key=lambda s: s["datum"], reverse=True)
            if not quellen:
                continue
            gebunden: dict[str, float] = {}  # je Budgetgruppe (Oberkategorie) bzw. Deckel
            for i, art in enumerate(_arten_fuer(kommune, sr.name == knapp_sr, zufall)):
                sitzung = quellen[i % len(quellen)]
                gruppe = gedeckelt[art][1] if art in gedeckelt else art
                rest = budget.get((sr.name, jahr, gruppe), 0.0) - gebunden.get(gruppe, 0.0)
                if art in gedeckelt:
                    rest = min(rest, gedeckelt[art][0] - gebunden.get(art, 0.0))
                if rest < 100:
                    continue
                if sr.name == knapp_sr and art in gedeckelt:
                    ziel = round(gedeckelt[art][0] * float(zufall.uniform(*KNAPP_AM_DECKEL)) / 10) * 10
                    kosten = min(ziel - gebunden[art] if art in gebunden else float(round(ziel / 20) * 10), rest)
                else:
                    kosten = _kosten(art, rest, zufall)
                status = _status(sitzung, stichtag, zufall)
                if art in gedeckelt:  # 5.3: das Gremium beschließt selbst; keine Genehmigung, keine Ablehnung
                    status = "umgesetzt" if status == "umgesetzt" else "beschlossen"
                elif k == 0 and i == 0 and nr == ABGELEHNT_IM_VORJAHR:  # im Vorjahr sicher eine Ablehnung (Bericht)
                    status = "abgelehnt"
                if status != "abgelehnt":
                    gebunden[gruppe] = gebunden.get(gruppe, 0.0) + kosten
                    if art in gedeckelt:
                        gebunden[art] = gebunden.get(art, 0.0) + kosten
                titel_liste = t.get(art) or [kommune.massnahmenarten[art]]
                titel = str(titel_liste[int(zufall.integers(len(titel_liste)))])
                punkt = _punkt_fuer(sitzung, art, titel, kosten, kommune)
                entschieden = status != "beantragt" and art not in gedeckelt  # von der Teamleitung
                nach_tagen, ist_anteil = int(zufall.integers(7, 22)), float(zufall.uniform(0.8, 1.0))  # immer ziehen
                genehmigt_am = min(naechster_arbeitstag(sitzung["datum"] + timedelta(days=nach_tagen), land),
                                   stichtag) if entschieden else None
                entschieden_am = genehmigt_am or sitzung["datum"]
                umgesetzt_am = (min(naechster_arbeitstag(entschieden_am + timedelta(days=UMGESETZT_NACH), land),
                                    stichtag) if status == "umgesetzt" else None)
                ergebnis.append({
                    "schluessel": f"demo-massnahme-{len(ergebnis) + 1:03d}", "sozialraum": sr.name,
                    "sitzung": sitzung["schluessel"], "punkt": punkt, "titel": titel, "art": art,
                    "beschlussvorlage": vorlagen[int(zufall.integers(len(vorlagen)))],
                    "kosten_geplant": kosten,
                    "kosten_ist": float(round(kosten * ist_anteil / 10) * 10) if status == "umgesetzt" else None,
                    "durchfuehrung": _durchfuehrung(art, durchfuehrende, t, gedeckelt, zufall),
                    "genehmigt": entschieden and status in ("genehmigt", "umgesetzt"), "status": status,
                    "genehmigt_von": f"tl{nr:02d}" if entschieden else None, "genehmigt_am": genehmigt_am,
                    "umgesetzt_am": umgesetzt_am, "jahr": jahr,
                })
    return ergebnis


def _durchfuehrung(art: str, durchfuehrende: list[str], t: dict[str, Any], gedeckelt: dict,
                   rng: np.random.Generator) -> str:
    if art in gedeckelt or not durchfuehrende or rng.random() < 0.3:
        liste = t["durchfuehrung"]
        return str(liste[int(rng.integers(len(liste)))])
    return durchfuehrende[int(rng.integers(len(durchfuehrende)))]


def erzeuge_hospitationen(kommune: Any, einrichtungen: list[dict[str, Any]], stichtag: date,
                          rng: np.random.Generator, *, versatz: int = 0) -> list[dict[str, Any]]:
    """Ein bis drei gegenseitige Hospitationen je Sozialraum und Jahr (R13), meist in ein anderes Arbeitsfeld;
    selten Kita → Kita (erlaubt, aber markiert). Nur an Arbeitstagen bis zum Stichtag; gezogen wird jede, damit ein
    anderer Stichtag die übrigen nicht verschiebt."""
    t = texte()
    bereiche, zweck = t["hospitation_bereiche"], t["hospitation_zweck"]
    land = cfg(kommune.gremium, "bundesland", "RP")
    ergebnis = []
    for sr in kommune.sozialraeume:
        pool = [e for e in einrichtungen if e["stadtteil"] in sr.stadtteile and e["art"] in bereiche
                and e["gueltig_bis"] is None]
        for jahr in jahre(versatz):
            for _ in range(int(rng.integers(1, 4))):
                start = date(jahr, 1, 15) + timedelta(days=int(rng.integers(0, 320)))
                tag = naechster_arbeitstag(start, land)
                von = pool[int(rng.integers(len(pool)))]
                kita_kita = von["art"] == "kita" and rng.random() < 0.15
                ziele = [e for e in pool if gueltig_am(e, tag) and e is not von
                         and ((e["art"] == "kita") if kita_kita else (e["art"] != von["art"]))]
                if not ziele or not gueltig_am(von, tag):
                    continue
                nach = ziele[int(rng.integers(len(ziele)))]
                personen = int(rng.integers(1, 4))
                if tag > stichtag:
                    continue
                ergebnis.append({
                    "von": von["schluessel"], "nach": nach["schluessel"], "datum": tag,
                    "bereich": bereiche[nach["art"]], "anzahl_personen": personen,
                    "zweck": zweck["kita_kita"] if kita_kita else zweck[nach["art"]],
                })
    return ergebnis


def erzeuge_reflexionen(kommune: Any, sitzungen: list[dict[str, Any]], hospitationen: list[dict[str, Any]],
                        massnahmen: list[dict[str, Any]], stichtag: date, *, versatz: int = 0) -> list[dict[str, Any]]:
    """Je abgeschlossenem Jahr: gemeinsame Reflexion der Delegierten mit der Lenkungsgruppe im Januar danach
    (nach allen Sitzungen des Jahres) und vier Wochen später die Sitzung der Lenkungsgruppe (5.2, R11).
    Die Ergebnisse nennen die tatsächlichen Zahlen des Jahres."""
    land = cfg(kommune.gremium, "bundesland", "RP")
    lenkung = "; ".join(cfg(kommune.gremium, "lenkungsgruppe"))
    deckel = sum(float(cfg(k, "deckel_eur")) for k in kommune.budgetkategorien if cfg(k, "anteil_von"))
    ergebnis = []
    for jahr in jahre(versatz):
        gemeinsam = naechster_arbeitstag(date(jahr + 1, 1, 20), land, wochentage=(1, 2, 3))
        if gemeinsam > stichtag:
            continue
        eigene = [s for s in sitzungen if s["datum"].year == jahr and s["teilnehmende"]]
        jedes_halbjahr = sum(all(any(s["sozialraum"] == sr.name and (s["datum"].month > 6) == zweites for s in eigene)
                                 for zweites in (False, True)) for sr in kommune.sozialraeume)
        hosp = [h for h in hospitationen if h["datum"].year == jahr]
        fb = sum(x["kosten_geplant"] for x in massnahmen if x["jahr"] == jahr and x["status"] != "abgelehnt"
                 and x["art"] in _gedeckelt(kommune))
        n = len(kommune.sozialraeume)
        delegierte = [{"sozialraum": sr.name, "name": next(s["eingeladene"][0]["name"] for s in eigene
                                                           if s["sozialraum"] == sr.name)}
                      for sr in kommune.sozialraeume if any(s["sozialraum"] == sr.name for s in eigene)]
        ergebnisse = (f"Im Jahr {jahr} haben die Gremien {len(eigene)} Sitzungen gehalten; {jedes_halbjahr} von {n} "
                      f"Gremien haben in jedem Halbjahr getagt. Eingetragen sind {len(hosp)} Hospitationen. Für "
                      f"Fortbildung und Supervision wurden {fb:,.0f} € von höchstens {deckel * n:,.0f} € eingeplant."
                      ).replace(",", ".")
        ergebnis.append({"jahr": jahr, "datum": gemeinsam, "art": "gemeinsam", "vorsitzung": None,
                         "zeitraum_von": date(jahr, 1, 1), "zeitraum_bis": date(jahr, 12, 31),
                         "teilnehmende": f"Delegierte der {n} Sozialraumgremien; Lenkungsgruppe ({lenkung})",
                         "delegierte": delegierte, "ergebnisse": ergebnisse,
                         "vorschlaege": "Hospitationen verbindlicher planen; Protokolle spätestens zwei Wochen nach "
                                        "der Sitzung versenden.", "dokumentiert_von": "jhp"})
        lenkung_am = naechster_arbeitstag(gemeinsam + timedelta(days=28), land)
        if lenkung_am > stichtag:  # die Sitzung der Lenkungsgruppe steht noch bevor
            continue
        ergebnis.append({"jahr": jahr, "datum": lenkung_am,
                         "art": "lenkungsgruppe", "vorsitzung": len(ergebnis) - 1,
                         "zeitraum_von": date(jahr, 1, 1), "zeitraum_bis": date(jahr, 12, 31),
                         "teilnehmende": f"Lenkungsgruppe ({lenkung})", "delegierte": [],
                         "ergebnisse": "Die Lenkungsgruppe hat die Ergebnisse der gemeinsamen Reflexion beraten und "
                                       "übernimmt beide Vorschläge in die Fortschreibung der Konzeption.",
                         "vorschlaege": "Bericht an die Leitung des Amtes und das Sozialdezernat bis Ende März.",
                         "dokumentiert_von": "jhp"})
    return ergebnis


def erzeuge_lenkungsberichte(kommune: Any, stichtag: date, *, versatz: int = 0) -> list[dict[str, Any]]:
    """4.2: Berichte der Teamleitungen an die Lenkungsgruppe über das Vorjahr – in jedem zweiten Sozialraum, im
    Februar danach, nur bis zum Stichtag (die übrigen fehlen noch: so zeigt die Seite beides)."""
    land = cfg(kommune.gremium, "bundesland", "RP")
    jahr = jahre(versatz)[0]
    ergebnis = []
    for nr, sr in enumerate(kommune.sozialraeume, start=1):
        if nr % BERICHT_JEDER_ZWEITE != 1:
            continue
        datum = naechster_arbeitstag(date(jahr + 1, 2, 3) + timedelta(days=nr), land)
        if datum > stichtag:
            continue
        ergebnis.append({"sozialraum": sr.name, "jahr": jahr, "datum": datum, "erstattet_von": f"tl{nr:02d}",
                         "inhalt": f"Bericht zur Arbeit des Gremiums {sr.name} im Jahr {jahr}: Sitzungen, Maßnahmen "
                                   "und Budget, Stand der Einbindung (Stufe)."})
    return ergebnis
