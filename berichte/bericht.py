"""Jahresbericht (3.2.4, R9), Bereichsbericht der Teamleitung (4.2, R10) und Umsetzungsbericht (4.4, 5.2) als
`berichte.dokument.Dokument` – aus denselben Abschnitten (`berichte.abschnitte`), ohne Datenbank.
`bericht_aus_daten` ist der Ablauf für Seite und Kommandozeile: Vergleich (Jahr und Vorjahr), Kartenbilder
(`karte.berichtsbild`), Bericht.

Eingabe `daten`: ein Objekt mit den Frames `protokollpunkte`, `massnahmen`, `budgets`, `empfehlungen`,
`reflexionen` sowie `sitzungen`, `einrichtungen`, `hospitationen`, `stufen`, `sozialraeume` für die Arbeit der
Gremien (wie `daten.berichtsdaten.Berichtsdaten`), dazu der Vergleich des Jahres
(und des Vorjahres) und fertige Kartenbilder je Sozialraum (Schlüssel None = ganze Stadt).
Protokolle sind vertraulich: in den Bericht gehen Zählungen und je Frage die Einschätzung der Jugendhilfeplanung
(gespeichert, sonst ein Entwurf aus den Punkten, die die erstellende Person lesen darf; nie Fallbesprechungen).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd

from analysen.gremium import sitzungskonformitaet_aus
from analysen.kennzahlen import einrichtungen_am
from analysen.vergleich import Vergleich, vergleiche
from berichte import abschnitte as teil
from berichte.dokument import (
    Absatz,
    Baustein,
    Dokument,
    Inhaltsverzeichnis,
    Liste,
    Seitenumbruch,
    Tabelle,
    Ueberschrift,
    vorlagen_aus,
)
from daten.config import Kommune
from daten.fehler import EingabeFehler
from daten.geometrie import metrisches_crs
from daten.werte import MASSNAHME_ABGELEHNT, MASSNAHME_UMGESETZT
from karte.berichtsbild import beschreibung, karte_png

ARTEN = {
    "jahresbericht": "Jahresbericht der Jugendhilfeplanung zu den Sozialraumgremien (Konzeption 3.2.4)",
    "bereich": "Bericht der Teamleitung ASD an die Lenkungsgruppe (Konzeption 4.2)",
    "umsetzung": "Bericht der Jugendhilfeplanung zur Umsetzung der Konzeption (4.4, 5.2)",
}
Fortschritt = Callable[[float, str], None]


@dataclass(frozen=True)
class Berichtsbild:
    """Ein fertiges Kartenbild (PNG) mit Textalternative."""

    png: bytes
    beschreibung: str


def _verteiler(kommune: Kommune, art: str) -> list[str]:
    v = kommune.verteiler
    return {"jahresbericht": v.bericht, "bereich": v.bereich or v.bericht, "umsetzung": v.umsetzung or v.bericht}[art]


def _deckblatt(kommune: Kommune, art: str, jahr: int, sozialraum: str | None, stand: date) -> list[Baustein]:
    wofuer = f"Sozialraum {sozialraum}" if sozialraum else f"alle {len(kommune.sozialraeume)} Sozialräume und stadtweit"
    return [
        Absatz(f"{ARTEN[art]}. Berichtsjahr {jahr}; {wofuer}. Stand: {stand.strftime('%d.%m.%Y')}."),
        Ueberschrift("Verteiler", 2),
        Liste(list(_verteiler(kommune, art))),
        Absatz("Zahlen mit Quelle „Demo-Schätzung“ sind fiktiv. Kleine Zahlen (Nenner unter "
               f"{teil.zahl(kommune.versorgung.kleine_zahl)}) sind in den Tabellen vermerkt.", klein=True),
        Seitenumbruch(),
        Inhaltsverzeichnis(),
        Seitenumbruch(),
    ]


def _sozialraum(daten: Any, v: Vergleich, vorjahr: Vergleich | None, kommune: Kommune, sr: str, *, art: str,
                bilder: Mapping[str | None, Berichtsbild] | None, nummer: str,
                geld: tuple[pd.DataFrame, pd.DataFrame], konformitaet: pd.DataFrame) -> list[Baustein]:
    jahr = v.jahr
    punkte = daten.protokollpunkte
    punkte = punkte[(punkte["jahr"] == jahr) & (punkte["sozialraum"] == sr)]
    b: list[Baustein] = [Ueberschrift(f"{nummer} Sozialraum {sr}", 1)]
    b += [Ueberschrift("Lage und Entwicklung", 2), *teil.lage(v, vorjahr, kommune, sr)]
    b += [Ueberschrift("Angebot und Versorgung", 2), *teil.angebot(v, kommune, sr)]
    bew = getattr(daten, "bewertungen", None)
    if bew is not None and len(bew):
        bew = bew[(bew["jahr"] == jahr) & (bew["sozialraum"] == sr)]
    mass = daten.massnahmen[(daten.massnahmen["jahr"] == jahr) & (daten.massnahmen["sozialraum"] == sr)]
    b += [Ueberschrift("Auswertung der Protokolle entlang der Fragen", 2),
          *teil.protokollauswertung(punkte, kommune, massnahmen_df=mass, bewertungen=bew)]
    b += [Ueberschrift("Maßnahmen und Budget", 2),
          *teil.massnahmen(*geld, kommune, sozialraum=sr)]
    b += [Ueberschrift("Arbeit des Gremiums", 2),
          *teil.gremiumsarbeit(konformitaet, jahr=jahr, sozialraum=sr)]
    b += [Ueberschrift("Karte", 2), *teil.bild(bilder, sr)]
    titel = "Empfehlungen der Jugendhilfeplanung" + (" (zur Kenntnis)" if art == "bereich" else "")
    b += [Ueberschrift(titel, 2), *teil.empfehlungen(daten.empfehlungen, jahr=jahr, sozialraum=sr)]
    return b


def _umsetzung(daten: Any, v: Vergleich, kommune: Kommune, konformitaet: pd.DataFrame) -> list[Baustein]:
    jahr = v.jahr
    p = daten.protokollpunkte[daten.protokollpunkte["jahr"] == jahr]
    m = daten.massnahmen[daten.massnahmen["jahr"] == jahr]
    bud = daten.budgets[daten.budgets["jahr"] == jahr].groupby("sozialraum")["betrag_eur"].sum()
    zeilen = []
    for sr in kommune.sozialraeume:
        ms = m[m["sozialraum"] == sr.name]
        geplant = ms.loc[ms["status"] != MASSNAHME_ABGELEHNT, "kosten_geplant"].sum()  # abgelehnt bindet nichts
        zeilen.append([sr.name, teil.zahl(p.loc[p["sozialraum"] == sr.name, "sitzung_id"].nunique()),
                       teil.zahl((p["sozialraum"] == sr.name).sum()), teil.zahl(len(ms)),
                       teil.zahl((ms["status"] == MASSNAHME_UMGESETZT).sum()),
                       teil.zahl(100 * geplant / bud.get(sr.name) if bud.get(sr.name) else None, 0, einheit="%")])
    b: list[Baustein] = [
        Ueberschrift("1 Umsetzung in den Sozialraumgremien", 1),
        Tabelle(["Sozialraum", "Sitzungen mit Protokoll", "Protokollpunkte", "Maßnahmen", "umgesetzt",
                 "Budget verplant"], zeilen, breiten_cm=[4.5, 2.3, 2.3, 2.2, 2.3, 2.4]),
        Ueberschrift("Arbeit der Gremien (Turnus, Ortswechsel, Teilnahme, Hospitationen)", 2),
        *teil.gremiumsarbeit(konformitaet, jahr=jahr, sozialraum=None),
        Ueberschrift("2 Reflexion mit der Lenkungsgruppe (5.2)", 1),
    ]
    r = daten.reflexionen
    r = r[r["jahr"] == jahr] if len(r) else r
    if r.empty:
        b.append(Absatz("Für das Berichtsjahr ist keine Reflexion dokumentiert."))
    for z in r.itertuples():
        datum = pd.Timestamp(z.datum).strftime("%d.%m.%Y") if pd.notna(z.datum) else "ohne Datum"
        b += [Absatz(f"Sitzung vom {datum}. Teilnehmende: {z.teilnehmende or '–'}"), Absatz(z.ergebnisse or "–")]
    b += [Ueberschrift("3 Stadtweite Empfehlungen", 1), *teil.empfehlungen(daten.empfehlungen, jahr=jahr,
                                                                           sozialraum="")]
    return b


def baue_bericht(daten: Any, v: Vergleich, kommune: Kommune, *, art: str = "jahresbericht",
                 sozialraum: str | None = None, vorjahr: Vergleich | None = None,
                 bilder: Mapping[str | None, Berichtsbild] | None = None, fortschritt: Fortschritt | None = None,
                 stand: date | None = None) -> Dokument:
    """Baut den Bericht `art` (jahresbericht | bereich | umsetzung) für das Jahr des Vergleichs `v`.

    `sozialraum`: nur dieser Sozialraum (bei `bereich` Pflicht). `fortschritt(anteil 0–1, text)` wird nach
    jedem Abschnitt gerufen (Fortschrittsbalken der Seite).
    """
    if art not in ARTEN:
        raise EingabeFehler(f"Berichtsart '{art}' gibt es nicht; möglich: {', '.join(ARTEN)}.")
    namen = [sr.name for sr in kommune.sozialraeume]
    if sozialraum and sozialraum not in namen:
        raise EingabeFehler(f"Sozialraum '{sozialraum}' gibt es nicht. Vorhanden: {', '.join(namen)}.")
    if art == "bereich" and not sozialraum:
        raise EingabeFehler("Der Bereichsbericht gilt einem Sozialraum: bitte einen Sozialraum wählen.")
    melde = fortschritt or (lambda _a, _t: None)
    stand = stand or date.today()
    jahr = v.jahr
    titel = {"jahresbericht": f"Jahresbericht {jahr} – Sozialraumgremien",
             "bereich": f"Bericht an die Lenkungsgruppe {jahr} – Sozialraum {sozialraum}",
             "umsetzung": f"Bericht zur Umsetzung der Konzeption {jahr}"}[art]
    autor = "Teamleitung ASD" if art == "bereich" else "Jugendhilfeplanung"
    dok = Dokument(titel=titel, untertitel=f"{kommune.name}, {kommune.amt} – {autor}", autor=autor,
                   vorlagen=vorlagen_aus(kommune))
    dok.add(*_deckblatt(kommune, art, jahr, sozialraum, stand))
    konformitaet = sitzungskonformitaet_aus(daten, kommune, jahre=[jahr], stichtag=stand)
    melde(0.05, "Deckblatt")
    if art == "umsetzung":
        dok.add(*_umsetzung(daten, v, kommune, konformitaet))
        melde(1.0, "fertig")
        return dok
    auswahl = [sozialraum] if sozialraum else namen
    start = 1
    if not sozialraum:
        dok.add(Ueberschrift("1 Stadtweiter Überblick", 1), *teil.ueberblick(v, kommune), *teil.bild(bilder, None),
                Ueberschrift("Stadtweite Empfehlungen", 2),
                *teil.empfehlungen(daten.empfehlungen, jahr=jahr, sozialraum=""), Seitenumbruch())
        start = 2
    geld = teil.massnahmen_und_budget(daten.massnahmen, daten.budgets, kommune, jahr=jahr)
    for i, sr in enumerate(auswahl):
        dok.add(*_sozialraum(daten, v, vorjahr, kommune, sr, art=art, bilder=bilder, nummer=f"{start + i}",
                             geld=geld, konformitaet=konformitaet),
                Seitenumbruch())
        melde(0.1 + 0.8 * (i + 1) / len(auswahl), f"Sozialraum {sr}")
    dok.add(Ueberschrift("Anhang: Methode des Bedarfsindex", 1), *teil.methode(v, kommune))
    melde(1.0, "fertig")
    return dok


def berichtsbilder(stadtteile: gpd.GeoDataFrame, sozialraeume: gpd.GeoDataFrame, einrichtungen: gpd.GeoDataFrame,
                   klassen: Mapping[str, str], kommune: Kommune, *, jahr: int | None = None,
                   sozialraum: str | None = None) -> dict[str | None, Berichtsbild]:
    """Bilder für den Bericht: None = ganze Stadt, dazu je Sozialraum (oder nur `sozialraum`); Titel mit Gebiet
    und Jahr, Legende mit den Bezeichnungen der Einrichtungsarten."""
    artfarben = {a.schluessel: a.farbe for a in kommune.einrichtungsarten}
    artnamen = {a.schluessel: a.bezeichnung for a in kommune.einrichtungsarten}
    im_jahr = f", Bedarf und Einrichtungen {jahr}" if jahr else ""
    schluessel = [sozialraum] if sozialraum else [None, *[sr.name for sr in kommune.sozialraeume]]
    # einmal umrechnen statt je Bild (karte_png rechnet Frames, die schon metrisch sind, nicht noch einmal um)
    crs = metrisches_crs(kommune)
    st_m, sr_m = stadtteile.to_crs(crs), sozialraeume[sozialraeume.geometry.notna()].to_crs(crs)
    ein_m = einrichtungen.to_crs(crs) if einrichtungen is not None else None
    bilder = {}
    for s in schluessel:
        gebiet = f"Sozialraum {s}" if s else f"{kommune.name}, alle Sozialräume"
        png = karte_png(st_m, sr_m, klassen=klassen, einrichtungen=ein_m, artfarben=artfarben, artnamen=artnamen,
                        sozialraum=s, crs_metrisch=crs, titel=gebiet + im_jahr,
                        quelle=f"Grenzen, Einrichtungen und Kennzahlen: {kommune.amt}, {kommune.name} "
                               f"(Ressourcenkarte); Lagebezug EPSG:{crs}")
        bilder[s] = Berichtsbild(png, beschreibung(klassen, stadtteile, s))
    return bilder


def bericht_aus_daten(daten: Any, kommune: Kommune, *, jahr: int, art: str = "jahresbericht",
                      sozialraum: str | None = None, punkte: pd.DataFrame | None = None,
                      fortschritt: Fortschritt | None = None) -> Dokument:
    """Vergleich (Jahr und Vorjahr), Kartenbilder und Bericht aus `daten.berichtsdaten.Berichtsdaten`."""
    melde = fortschritt or (lambda _a, _t: None)
    argumente = {"punkte": punkte, "budgets": daten.budgets, "netzwerke": daten.netzwerke}
    v = vergleiche(daten.indikatoren, daten.einrichtungen, kommune, jahr=jahr, **argumente)
    vorjahr = None
    if (daten.indikatoren["jahr"] == jahr - 1).any():
        # Vorjahr nur für Indikatoren und Bedarfsklasse: ohne Versorgungsgrad (spart die Abstandsberechnung)
        vorjahr = vergleiche(daten.indikatoren, daten.einrichtungen, kommune, jahr=jahr - 1,
                             **(argumente | {"punkte": None}))
    melde(0.1, "Kennzahlen berechnet")
    st = v.ebene("Stadtteil")
    bilder = berichtsbilder(daten.stadtteile, daten.sozialraeume,
                            einrichtungen_am(daten.einrichtungen, date(jahr, 12, 31)),
                            st["bedarfsklasse"].to_dict(), kommune, jahr=jahr, sozialraum=sozialraum)
    melde(0.3, "Karten gezeichnet")
    return baue_bericht(daten, v, kommune, art=art, sozialraum=sozialraum, vorjahr=vorjahr, bilder=bilder,
                        fortschritt=lambda a, t: melde(0.3 + 0.7 * a, t))
