"""Abschnitte der Berichte als Bausteine (`berichte.dokument`): je Abschnitt eine Funktion auf Frames und dem
Vergleich; welche Abschnitte ein Bericht in welcher Reihenfolge hat, sagt `berichte.bericht`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysen import protokolle as pk
from analysen.vergleich import Vergleich, kennzahlen_katalog, ungleichheit
from berichte.dokument import Absatz, Baustein, Bild, Liste, Tabelle
from daten.config import Kommune
from daten.geometrie import metrisches_crs

NICHT_VERFUEGBAR = "noch nicht verfügbar"


def zahl(x: Any, stellen: int = 0, *, einheit: str = "") -> str:
    """Deutsche Zahl (Tausenderpunkt, Dezimalkomma); fehlend = „–“."""
    try:
        f = float(x)
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(f):
        return "–"
    text = f"{f:,.{stellen}f}".replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return f"{text} {einheit}".rstrip()


def _zeile(v: Vergleich, ebene: str, gebiet: str) -> pd.Series | None:
    t = v.ebene(ebene)
    return t.loc[gebiet] if gebiet in t.index else None


def ueberblick(v: Vergleich, kommune: Kommune) -> list[Baustein]:
    """Stadtweite Übersicht aller Sozialräume: Bedarf, Dynamik, Versorgung, Ausgleichsbedarf."""
    t = v.ebene("Sozialraum")
    zeilen = [[g, zahl(z.get("einwohner")), zahl(z.get("bedarfsindex"), 2), f"{z.get('bedarfsklasse')} "
               f"(Status {z.get('statusklasse')})", str(z.get("dynamikklasse", "–")),
               zahl(z.get("versorgungsindex"), 2), zahl(z.get("ausgleichsbedarf"), 2),
               zahl(z.get("rang_ausgleichsbedarf"))] for g, z in t.iterrows()]
    bausteine: list[Baustein] = [
        Absatz(f"Bedarf und Angebot der {len(t)} Sozialräume im Jahr {v.jahr}. Bedarfsindex: standardisierte "
               "Summe der z-Werte der Statusindikatoren (Methode des Monitorings Soziale Stadtentwicklung Berlin, "
               "siehe Anhang); Versorgungsindex: standardisiertes Mittel der z-Werte der Angebotskennzahlen; "
               "Ausgleichsbedarf = Bedarfsindex − Versorgungsindex (Rang 1 = größter Ausgleichsbedarf)."),
        Tabelle(["Sozialraum", "Einw.", "Bedarf (Index)", "Bedarf (Status)", "Dynamik",
                 "Versorgung (Index)", "Lücke", "Rang"], zeilen, breiten_cm=[3.3, 1.6, 1.9, 3.0, 1.8, 2.3, 1.6, 1.3]),
        Absatz(f"Bedarfsindex, Versorgungsindex und Lücke (Ausgleichsbedarf) in Standardabweichungen; Dynamik seit "
               f"{v.vergleichsjahr or '–'}.", klein=True),
    ]
    u = ungleichheit(v.tabelle, kommune)
    namen = kennzahlen_katalog(kommune)
    if len(u):
        bausteine += [
            Absatz("Ungleichheit des Angebots zwischen den Sozialräumen (gewichtet mit der jeweiligen Zielgruppe; "
                   "0 = gleich verteilt):"),
            Tabelle(["Kennzahl", "Gini", "Theil", "Gebiete"],
                    [[namen[r.kennzahl].achse if r.kennzahl in namen else r.kennzahl, zahl(r.gini, 3),
                      zahl(r.theil, 3), zahl(r.gebiete)] for r in u.itertuples()], breiten_cm=[10, 2.3, 2.3, 2]),
        ]
    return bausteine


def lage(v: Vergleich, vorjahr: Vergleich | None, kommune: Kommune, sozialraum: str) -> list[Baustein]:
    """Lage und Entwicklung: Indikatoren (Vorjahr, Jahr, Veränderung), Bedarfsklasse und Dynamik, Stadtteile."""
    z = _zeile(v, "Sozialraum", sozialraum)
    if z is None:
        return [Absatz(f"Für {v.jahr} liegen keine Indikatoren vor.")]
    alt = _zeile(vorjahr, "Sozialraum", sozialraum) if vorjahr is not None else None
    zeilen = []
    for mk in kommune.merkmale:
        if mk.schluessel not in z:
            continue
        stellen = 1 if mk.ist_anteil else 0
        jetzt, vor = z.get(mk.schluessel), alt.get(mk.schluessel) if alt is not None else None
        diff = (float(jetzt) - float(vor)) if vor is not None and pd.notna(vor) and pd.notna(jetzt) else None
        zeilen.append([mk.bezeichnung, mk.einheit, zahl(vor, stellen), zahl(jetzt, stellen),
                       zahl(diff, stellen) if diff is not None else "–"])
    vorjahr_text = str(vorjahr.jahr) if vorjahr is not None else "Vorjahr"
    text = (f"Bedarfsindex {v.jahr}: {zahl(z.get('bedarfsindex'), 2)} – Bedarf {z.get('bedarfsklasse')} "
            f"(sozialer Status {z.get('statusklasse')}).")
    if alt is not None:
        text += f" {vorjahr.jahr}: Bedarf {alt.get('bedarfsklasse')} (Index {zahl(alt.get('bedarfsindex'), 2)})."
    if pd.notna(z.get("dynamikklasse", None)):
        text += f" Dynamik {v.vergleichsjahr}–{v.jahr}: {z.get('dynamikklasse')}."
    if z.get("kleine_zahl"):
        text += f" Hinweis kleine Zahl: {z.get('kleine_zahl')}."
    bausteine: list[Baustein] = [Absatz(text), Tabelle(["Merkmal", "Einheit", vorjahr_text, str(v.jahr),
                                                         "Differenz"], zeilen, breiten_cm=[6.4, 2.2, 2.3, 2.3, 2.8])]
    st = v.ebene("Stadtteil")
    st = st[st["sozialraum"] == sozialraum]
    if len(st) > 1:  # R1: Aufteilung nach Stadtteilen
        bausteine.append(Tabelle(["Stadtteil", "Einwohner", "Bedarfsindex (z, unter allen Stadtteilen)",
                                  "Bedarf"], [[g, zahl(r.get("einwohner")), zahl(r.get("bedarfsindex"), 2),
                                               str(r.get("bedarfsklasse"))] for g, r in st.iterrows()]))
    return bausteine


def angebot(v: Vergleich, kommune: Kommune, sozialraum: str) -> list[Baustein]:
    """Angebot und Versorgung: je Art Anzahl, je 1.000 der Zielgruppe, Versorgungsgrad; Kita-Plätze, Budget."""
    z = _zeile(v, "Sozialraum", sozialraum)
    if z is None:
        return [Absatz("Keine Angebotsdaten.")]
    merk = {mk.schluessel: mk.bezeichnung for mk in kommune.merkmale}
    zeilen = []
    for va in kommune.versorgung.arten:
        ziel = " + ".join(merk.get(g, g) for g in va.zielgruppe)
        zeilen.append([kommune.art(va.art).bezeichnung, zahl(z.get(f"anzahl_{va.art}")),
                       f"{zahl(z.get(f'je_1000_{va.art}'), 2)} je 1.000 "
                       f"({ziel}: {zahl(z.get(f'zielgruppe_{va.art}'))})",
                       f"{zahl(z.get(f'versorgt_{va.art}'), 0)} % bis {zahl(va.abstand_m)} m"])
    text = (f"Kita-Plätze je Kind ({zahl(z.get('kita_plaetze'))} Plätze / {zahl(z.get('kinder_kita'))} Kinder): "
            f"{zahl(z.get('kita_plaetze_je_kind'), 2)}. Budget je Kind und Jugendlichem unter 18: "
            f"{zahl(z.get('budget_je_kind_eur'), 2, einheit='€')} ({zahl(z.get('budget_eur'), einheit='€')}). "
            f"Netzwerke: {zahl(z.get('netzwerke_bestehend', 0))} bestehend, "
            f"{zahl(z.get('netzwerke_geplant', 0))} sollen entwickelt werden.")
    return [Tabelle(["Einrichtungsart", "Anzahl", "je 1.000 der Zielgruppe", "Versorgungsgrad (Einwohner im Umkreis)"],
                    zeilen, breiten_cm=[4.2, 1.7, 6.6, 4.5]), Absatz(text),
            Absatz("Versorgungsgrad: Anteil der Einwohner, deren nächste Einrichtung der Art höchstens die genannte "
                   f"Entfernung (Luftlinie, EPSG:{metrisches_crs(kommune)}) entfernt ist.", klein=True)]


def protokollauswertung(punkte: pd.DataFrame, kommune: Kommune, ausschluss: list[str]) -> list[Baustein]:
    """Zusammenfassung je Frage aus den Protokollen: Anzahl Punkte, Themen; Handlungsebenen. Keine Protokolltexte."""
    if punkte.empty:
        return [Absatz("Im Berichtsjahr liegen keine Protokolle vor.")]
    je = pk.punkte_je_frage(punkte.assign(_g=1), kommune.fragen, gruppe=("_g",), ausschluss=ausschluss)
    zeilen = [[f"{r.frage}. {r.frage_text}", zahl(r.anzahl), r.themen or "–"] for r in je.itertuples()]
    eb = pk.handlungsebenen(punkte.assign(_g=1), kommune.handlungsebenen, gruppe=("_g",))
    ebenen = "; ".join(f"{r.bezeichnung.split(' (')[0]}: {r.anzahl} ({zahl(r.anteil, 0)} %)"
                       for r in eb.itertuples())
    th = pk.themen(punkte, gruppe=(), n=8, ausschluss=ausschluss)
    faelle = int(punkte["fallbesprechung"].fillna(False).astype(bool).sum())
    bausteine: list[Baustein] = [
        Absatz(f"{punkte['sitzung_id'].nunique()} Sitzungen mit Protokoll, {len(punkte)} Protokollpunkte "
               f"(davon {faelle} Fallbesprechungen, anonymisiert oder mit Schweigepflichtentbindung; deren Inhalte "
               "stehen nicht in diesem Bericht)."),
        Tabelle(["Frage", "Punkte", "Häufigste Begriffe"], zeilen, breiten_cm=[9.8, 1.8, 5.4]),
        Absatz(f"Handlungsebenen: {ebenen}."),
    ]
    if len(th):
        bausteine.append(Absatz("Wiederkehrende Themen (in mindestens zwei Sitzungen): " + ", ".join(
            f"{r.thema} ({r.sitzungen} Sitzungen)" for r in th.itertuples()) + "."))
    return bausteine


def massnahmen_und_budget(massnahmen_df: pd.DataFrame, budgets: pd.DataFrame, kommune: Kommune, *,
                          jahr: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Übersicht der Maßnahmen und Budgetauslastung aller Sozialräume eines Jahres (einmal rechnen, je Sozialraum
    filtern)."""
    m = massnahmen_df[massnahmen_df["jahr"] == jahr]
    deckel = {k.schluessel: k.deckel_eur for k in kommune.budgetkategorien}
    return pk.massnahmen_uebersicht(m, kommune.massnahmenarten), pk.budget_auslastung(budgets, m, jahr=jahr,
                                                                                      deckel=deckel)


def massnahmen(uebersicht: pd.DataFrame, auslastung: pd.DataFrame, kommune: Kommune, *,
               sozialraum: str) -> list[Baustein]:
    """Maßnahmen nach Art (Anzahl, Status, Kosten) und Budget je Kategorie mit Auslastung (aus
    `massnahmen_und_budget`)."""
    u = uebersicht[uebersicht["sozialraum"] == sozialraum]
    bausteine: list[Baustein] = []
    if u.empty:
        bausteine.append(Absatz("Im Berichtsjahr wurden keine Maßnahmen beschlossen."))
    else:
        zeilen = [[r.bezeichnung, zahl(r.anzahl), zahl(r.genehmigt), zahl(r.umgesetzt),
                   zahl(r.kosten_geplant, einheit="€"), zahl(r.kosten_ist, einheit="€")] for r in u.itertuples()]
        bausteine.append(Tabelle(["Art", "Anzahl", "genehmigt", "umgesetzt", "Kosten geplant", "Kosten Ist"],
                                 zeilen, breiten_cm=[5.0, 1.6, 2.1, 2.7, 2.6, 2.6]))
    namen = {k.schluessel: k.bezeichnung for k in kommune.budgetkategorien}
    b = auslastung[auslastung["sozialraum"] == sozialraum]
    if len(b):
        bausteine.append(Tabelle(["Budgetkategorie", "Budget", "geplant", "Anteil", "Deckel (R12)"],
                                 [[namen.get(r.kategorie, r.kategorie), zahl(r.budget_eur, einheit="€"),
                                   zahl(r.geplant, einheit="€"), zahl(r.anteil_geplant, 0, einheit="%"),
                                   ("überschritten" if r.deckel_ueberschritten else zahl(r.deckel_eur, einheit="€"))
                                   if pd.notna(r.deckel_eur) else "–"] for r in b.itertuples()]))
    return bausteine


def gremiumsarbeit(konformitaet: pd.DataFrame, *, jahr: int, sozialraum: str | None) -> list[Baustein]:
    """Sitzungskonformität (R5, R6, R13, `analysen.gremium.sitzungskonformitaet`); leer → „noch nicht verfügbar“."""
    k = konformitaet
    if len(k):
        k = k[k["jahr"] == jahr]
        if sozialraum:
            k = k[k["sozialraum"] == sozialraum]
    if k.empty:
        return [Absatz(f"Auswertung der Sitzungen (Turnus, Ortswechsel, Teilnahme, Hospitationen): "
                       f"{NICHT_VERFUEGBAR}.")]
    kopf = ["Sozialraum", "Sitzungen", "Halbjahre ohne Sitzung", "Ortswechsel", "Anwesenheit", "Hospitationen"]
    return [Tabelle(kopf,
                    [[r.sozialraum, zahl(r.sitzungen), zahl(r.halbjahre_ohne_sitzung),
                      _ja_nein(r.ortsrotation_ok), zahl(100 * float(r.anwesenheitsquote), 0,
                                                                          einheit="%"), zahl(r.hospitationen)]
                     for r in k.itertuples()], breiten_cm=[5.2, 2.2, 2.6, 2.4, 2.4, 2.6]),
            Absatz("Sitzungen: durchgeführte Sitzungen. Halbjahre ohne Sitzung: nur beendete Halbjahre (R5). "
                   "Ortswechsel ASD → Kita → KiJuKuZ (R5; „–“ ohne Sitzung). Anwesenheit: Anteil der erwarteten "
                   "Teilnahmen – je Sitzung jedes KiJuKuZ und jede Kita der geltenden Stufe (R6).", klein=True)]


def _ja_nein(wert: Any) -> str:
    """ja/nein; fehlend (z. B. Ortswechsel ohne gehaltene Sitzung) = „–“."""
    return "–" if wert is None or (isinstance(wert, float) and math.isnan(wert)) else ("ja" if bool(wert) else "nein")


def empfehlungen(emp: pd.DataFrame, *, jahr: int, sozialraum: str) -> list[Baustein]:
    """Empfehlungen der Jugendhilfeplanung (Text je Zeile ein Punkt); Entwürfe sind gekennzeichnet."""
    e = emp[(emp["jahr"] == jahr) & (emp["sozialraum"] == sozialraum)] if len(emp) else emp
    if e.empty or not str(e.iloc[0]["text"]).strip():
        return [Absatz("Noch keine Empfehlung erfasst.")]
    z = e.iloc[0]
    punkte = [p.strip(" -•\t") for p in str(z["text"]).splitlines() if p.strip(" -•\t")]
    stand = "Entwurf" if z["status"] == "entwurf" else "abgestimmt"
    return [Liste(punkte), Absatz(f"Stand: {stand}, zuletzt bearbeitet von {z['geaendert_von'] or '–'}.", klein=True)]


def bild(bilder: Mapping[str | None, Any] | None, schluessel: str | None) -> list[Baustein]:
    b = (bilder or {}).get(schluessel)
    if b is None:
        return []
    return [Bild(b.png, b.beschreibung, breite_cm=14)]


def methode(v: Vergleich, kommune: Kommune) -> list[Baustein]:
    """Anhang: Methode des Bedarfsindex mit Quelle und allen Rechenschritten der Sozialräume."""
    konfig = kommune.bedarfsindex
    merk = {mk.schluessel: mk.bezeichnung for mk in kommune.merkmale}
    s = konfig.status_schwellen
    bausteine: list[Baustein] = [
        Absatz("Je Ebene (Stadtteile, Sozialräume) werden die Statusindikatoren z-standardisiert "
               "(z = (Wert − Mittelwert) / Standardabweichung), mit ihren Gewichten summiert und die Summe erneut "
               f"standardisiert. Klassen des sozialen Status: hoch unter {zahl(s[0], 1)}, mittel bis {zahl(s[1], 1)}, "
               f"niedrig bis {zahl(s[2], 1)}, sehr niedrig darüber; als Bedarf gelesen: gering, mittel, erhöht, hoch. "
               "Anteile eines Sozialraums sind mit ihrer eigenen Bezugsgruppe gewichtet."),
        Liste([f"{merk.get(i.merkmal, i.merkmal)} ({i.merkmal}), Gewicht {zahl(i.gewicht, 1)}"
               for i in konfig.indikatoren]),
        Absatz(f"Quelle der Methode: {konfig.quelle}", klein=True),
    ]
    erg = v.bedarf.get("Sozialraum")
    if erg is not None:
        schritte = erg.schritte()
        bausteine.append(Tabelle(
            ["Sozialraum", "Merkmal", "Wert", "Mittelwert", "Std.-Abw.", "z", "Gewicht · z", "Klasse"],
            [[r.gebiet, merk.get(r.merkmal, r.merkmal), zahl(r.wert, 2), zahl(r.mittelwert, 2),
              zahl(r.standardabweichung, 2), zahl(r.z, 2), zahl(r.gewicht_mal_z, 2),
              str(getattr(r, "klasse", "") or "") if isinstance(getattr(r, "klasse", ""), str) else ""]
             for r in schritte.itertuples()],
            breiten_cm=[3.4, 3.4, 1.4, 1.6, 1.6, 1.4, 1.6, 2.0]))
    return bausteine
