"""Abschnitte der Berichte als Bausteine (`berichte.dokument`): je Abschnitt eine Funktion auf Frames und dem
Vergleich; welche Abschnitte ein Bericht in welcher Reihenfolge hat, sagt `berichte.bericht`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysen import protokolle as pk
from analysen.gremium import BUDGET_SPALTEN, KEIN_BUDGET, budget_erlaeuterung, budget_uebersicht
from analysen.vergleich import Vergleich, kennzahlen_katalog, ungleichheit
from berichte.dokument import Absatz, Baustein, Bild, Liste, Tabelle, Ueberschrift
from daten.config import Kommune
from daten.geometrie import metrisches_crs
from daten.werte import MASSNAHME_STATUS

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


def protokollauswertung(punkte: pd.DataFrame, kommune: Kommune, ausschluss: list[str] | None = None, *,
                        massnahmen_df: pd.DataFrame | None = None,
                        bewertungen: pd.DataFrame | None = None) -> list[Baustein]:
    """Je Frage: Zahl der Punkte und Sitzungen, Handlungsebenen, und die schriftliche Einschätzung – der gespeicherte
    Text der Jugendhilfeplanung, sonst der Entwurf aus den Protokollpunkten (`analysen.protokolle.einschaetzungen`).

    `punkte` eines Sozialraums und Jahres, gelesen mit den Rechten der Person (`daten.protokolle`): wer Protokolle
    nicht lesen darf, bekommt keine Punkte und damit keinen Entwurf aus Protokolltexten. Fallbesprechungen werden nur
    gezählt. `massnahmen_df`: Maßnahmen (protokollpunkt_id …), `bewertungen`: gespeicherte Einschätzungen dieses
    Sozialraums und Jahres. `ausschluss` wird nicht mehr gebraucht (früher: Wortzählung)."""
    if punkte.empty and (bewertungen is None or bewertungen.empty):
        return [Absatz("Im Berichtsjahr liegen keine Protokolle vor.")]
    zeilen = []
    for nr, text in enumerate(kommune.fragen, start=1):
        f = punkte[punkte["frage"] == nr] if len(punkte) else punkte
        zeilen.append([f"{nr}. {text}", zahl(len(f)), zahl(f["sitzung_id"].nunique() if len(f) else 0)])
    bausteine: list[Baustein] = []
    if len(punkte):
        eb = pk.handlungsebenen(punkte.assign(_g=1), kommune.handlungsebenen, gruppe=("_g",))
        ebenen = "; ".join(f"{r.bezeichnung.split(' (')[0]}: {r.anzahl} ({zahl(r.anteil, 0)} %)"
                           for r in eb.itertuples())
        faelle = int(punkte["fallbesprechung"].fillna(False).astype(bool).sum())
        bausteine += [
            Absatz(f"{punkte['sitzung_id'].nunique()} Sitzungen mit Protokoll, {len(punkte)} Protokollpunkte "
                   f"(davon {faelle} Fallbesprechungen, anonymisiert oder mit Schweigepflichtentbindung; deren "
                   "Inhalte stehen nicht in diesem Bericht)."),
            Tabelle(["Frage", "Punkte", "Sitzungen"], zeilen, breiten_cm=[12.6, 2.2, 2.2]),
            Absatz(f"Handlungsebenen: {ebenen}."),
        ]
    e = pk.einschaetzungen(punkte, massnahmen_df, bewertungen, fragen=kommune.fragen,
                           ebenen=kommune.handlungsebenen, arten=kommune.massnahmenarten, status=MASSNAHME_STATUS)
    bausteine.append(Ueberschrift("Einschätzung je Frage", 3))
    for z in e.itertuples():
        stand = "" if z.quelle == "gespeichert" else " (Entwurf aus den Protokollen, noch nicht bearbeitet)"
        bausteine.append(Absatz(f"{z.frage}. {z.frage_text}{stand}"))
        bausteine.append(Absatz(str(z.text)))
    return bausteine


def massnahmen_und_budget(massnahmen_df: pd.DataFrame, budgets: pd.DataFrame, kommune: Kommune, *,
                          jahr: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Maßnahmen nach Art und Budgetübersicht aller Sozialräume eines Jahres – mit denselben Funktionen wie die Seite
    „Budget“ (`analysen.protokolle.massnahmen_uebersicht`, `analysen.gremium.budget_uebersicht`): Fortbildung zählt
    im fallunspezifischen Budget, abgelehnte Maßnahmen zählen nicht zu den geplanten Kosten."""
    m = massnahmen_df[massnahmen_df["jahr"] == jahr]
    namen = [sr.name for sr in kommune.sozialraeume]
    return (pk.massnahmen_uebersicht(m, kommune.massnahmenarten),
            budget_uebersicht(budgets[budgets["jahr"] == jahr], m, kommune.budgetkategorien, sozialraeume=namen,
                              jahre=[jahr]))


def massnahmen(uebersicht: pd.DataFrame, budget: pd.DataFrame, kommune: Kommune, *,
               sozialraum: str) -> list[Baustein]:
    """Maßnahmen nach Art (Anzahl, entschieden, abgelehnt, umgesetzt, Kosten) und die Budgetübersicht wie auf der
    Seite „Budget“ (aus `massnahmen_und_budget`; Spaltennamen aus derselben Quelle)."""
    u = uebersicht[uebersicht["sozialraum"] == sozialraum]
    bausteine: list[Baustein] = []
    if u.empty:
        bausteine.append(Absatz("Im Berichtsjahr wurden keine Maßnahmen beschlossen."))
    else:
        spalten = pk.MASSNAHMEN_SPALTEN
        zeilen = [[r.bezeichnung, zahl(r.anzahl), zahl(r.entschieden), zahl(r.abgelehnt), zahl(r.umgesetzt),
                   zahl(r.kosten_geplant, 2, einheit="€"), zahl(r.kosten_ist, 2, einheit="€")] for r in u.itertuples()]
        bausteine.append(Tabelle(list(spalten.values()), zeilen, breiten_cm=[4.0, 1.5, 2.4, 1.8, 2.0, 2.9, 2.4]))
    b = budget[budget["sozialraum"] == sozialraum]
    if len(b):
        spalten = BUDGET_SPALTEN
        zeilen = [[r.bezeichnung, zahl(r.budget, 2, einheit="€") if r.eingetragen else KEIN_BUDGET,
                   *(zahl(getattr(r, k), 2, einheit="€") for k in ("geplant", "genehmigt", "ausgegeben", "gebunden")),
                   zahl(r.rest, 2, einheit="€") if r.eingetragen else "–", r.warnung or ""] for r in b.itertuples()]
        bausteine += [Tabelle(list(spalten.values()), zeilen, breiten_cm=[3.6, 2.0, 1.9, 2.1, 1.9, 1.9, 1.9, 1.7]),
                      Absatz(budget_erlaeuterung(kommune.budgetkategorien), klein=True)]
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
