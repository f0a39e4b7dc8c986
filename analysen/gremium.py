"""Reine Auswertungen der Gremiumsarbeit auf DataFrames (keine Datenbank): Sitzungsrhythmus (R5), Ortswechsel (R5),
Protokollwechsel (4.1), Teilnahme (R6), Hospitationen (R13), Stufen (R2), Budget (R10/R12) und Kalenderhinweise.
Dazu die Sitzungskonformität je Sozialraum und Jahr (Vergleich, Jahresbericht): R5, R6 und R13 in einer Zeile.

Die Frames kommen aus `daten.dienste.*` (Gremiumsarbeit) (Spaltennamen dort und in den Docstrings hier).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import pandas as pd

from daten.gremium.kalender import feiertag, ist_arbeitstag, kalender_hinweise
from daten.werte import MASSNAHME_ABGELEHNT, MASSNAHME_ENTSCHIEDEN, MASSNAHME_UMGESETZT

__all__ = [
    "BUDGET_SPALTEN", "GEHALTEN", "KEIN_BUDGET", "anwesenheit", "budget_erlaeuterung", "budget_uebersicht",
    "budget_warnung", "feiertag", "fehlende_je_jahr",
    "halbjahr", "hospitation_markiert", "hospitationen_je_jahr", "im_gremium_am", "ist_arbeitstag", "kadenz",
    "kalender_hinweise", "ortsvorschlag", "ortswechsel", "protokoll_vorschlag", "stufe_am",
    "KONFORMITAET_SPALTEN", "sitzungskonformitaet", "sitzungskonformitaet_aus",
]

GEHALTEN = ("durchgefuehrt", "protokolliert", "versendet")
KEIN_BUDGET = "noch kein Budget eingetragen"  # Warnung der Budgetübersicht, wenn es für das Jahr keine Zeile gibt
GEPLANT = ("geplant", "eingeladen")


def halbjahr(tag: date) -> tuple[int, int]:
    """(Jahr, 1|2) des Halbjahrs von `tag`."""
    return tag.year, 1 if tag.month <= 6 else 2


def _halbjahr_grenzen(jahr: int, nr: int) -> tuple[date, date]:
    return (date(jahr, 1, 1), date(jahr, 6, 30)) if nr == 1 else (date(jahr, 7, 1), date(jahr, 12, 31))


def kadenz(sitzungen: pd.DataFrame, sozialraeume: Sequence[str], stichtag: date, *,
           mindestens_je_halbjahr: int = 1) -> pd.DataFrame:
    """R5: mindestens eine Sitzung je Halbjahr und Gremium.

    Eingabe `sitzungen`: sozialraum, datum (date), status. Ergebnis je Sozialraum (Reihenfolge wie
    `sozialraeume`): letzte_sitzung (gehalten, ≤ Stichtag), naechste_sitzung (geplant/eingeladen, ≥ Stichtag),
    im_halbjahr (gehalten oder geplant im laufenden Halbjahr), halbjahr_ende, ueberfaellig (bool),
    verpasste_halbjahre (z. B. "2025/2", frühere Halbjahre ohne gehaltene Sitzung), hinweis (Text).
    """
    j, nr = halbjahr(stichtag)
    beginn, ende = _halbjahr_grenzen(j, nr)
    zeilen = []
    for sr in sozialraeume:
        eigene = sitzungen[sitzungen["sozialraum"] == sr]
        gehalten = eigene[eigene["status"].isin(GEHALTEN) & (eigene["datum"] <= stichtag)]
        geplant = eigene[eigene["status"].isin(GEPLANT) & (eigene["datum"] >= stichtag)]
        im_hj = eigene[(eigene["datum"] >= beginn) & (eigene["datum"] <= ende)
                       & (eigene["status"].isin(GEHALTEN) | eigene["status"].isin(GEPLANT))]
        letzte = gehalten["datum"].max() if len(gehalten) else None
        naechste = geplant["datum"].min() if len(geplant) else None
        verpasst = _verpasst(gehalten, eigene, (j, nr))
        ueberfaellig = len(im_hj) < mindestens_je_halbjahr
        if ueberfaellig:
            hinweis = f"überfällig: im laufenden Halbjahr (bis {ende:%d.%m.%Y}) keine Sitzung gehalten oder geplant"
        elif naechste is None:
            hinweis = "kein nächster Termin geplant"
        else:
            hinweis = "in Ordnung"
        if verpasst:
            hinweis += f"; ohne Sitzung: {', '.join(verpasst)}"
        zeilen.append({"sozialraum": sr, "letzte_sitzung": letzte, "naechste_sitzung": naechste,
                       "im_halbjahr": len(im_hj), "halbjahr_ende": ende, "ueberfaellig": ueberfaellig,
                       "verpasste_halbjahre": ", ".join(verpasst), "hinweis": hinweis})
    return pd.DataFrame(zeilen, columns=["sozialraum", "letzte_sitzung", "naechste_sitzung", "im_halbjahr",
                                         "halbjahr_ende", "ueberfaellig", "verpasste_halbjahre", "hinweis"])


def _verpasst(gehalten: pd.DataFrame, eigene: pd.DataFrame, laufend: tuple[int, int]) -> list[str]:
    if eigene.empty:
        return []
    erstes = halbjahr(min(eigene["datum"]))
    belegt = {halbjahr(t) for t in gehalten["datum"]}
    fehlt, hj = [], erstes
    while hj < laufend:
        if hj not in belegt:
            fehlt.append(f"{hj[0]}/{hj[1]}")
        hj = (hj[0], 2) if hj[1] == 1 else (hj[0] + 1, 1)
    return fehlt


def ortsvorschlag(sitzungen: pd.DataFrame, einrichtungen: pd.DataFrame,
                  reihenfolge: Sequence[str] = ("asd", "kita", "kijukuz")) -> dict[str, Any] | None:
    """R5: nächster Sitzungsort im Wechsel ASD → Kita → KiJuKuZ (fehlende Arten werden übersprungen).

    `sitzungen` eines Gremiums: datum, ort_id, ort_art; `einrichtungen` des Gremiums: id, name, art.
    Innerhalb der Art die am längsten nicht genutzte Einrichtung. Ergebnis: {art, einrichtung_id, name, grund}
    oder None, wenn es keine Einrichtung der Arten gibt.
    """
    kandidaten = {a: einrichtungen[einrichtungen["art"] == a] for a in reihenfolge}
    vorhanden = [a for a in reihenfolge if len(kandidaten[a])]
    if not vorhanden:
        return None
    bisher = sitzungen.sort_values("datum")
    letzte_art = bisher["ort_art"].iloc[-1] if len(bisher) else None
    art = _naechste_art(letzte_art, vorhanden)
    zuletzt = bisher.groupby("ort_id")["datum"].max().to_dict() if len(bisher) else {}
    wahl = min(kandidaten[art].itertuples(), key=lambda e: (zuletzt.get(e.id, date.min), e.name))
    grund = f"im Wechsel nach {letzte_art or '–'}; " + (
        f"zuletzt dort am {zuletzt[wahl.id]:%d.%m.%Y}" if wahl.id in zuletzt else "dort noch nicht getagt")
    return {"art": art, "einrichtung_id": int(wahl.id), "name": wahl.name, "grund": grund}


def _naechste_art(letzte_art: str | None, vorhanden: Sequence[str]) -> str:
    """Die Ortsart nach `letzte_art` im Wechsel; nach einem Ort außerhalb des Wechsels beginnt er von vorn."""
    if letzte_art in vorhanden:
        return vorhanden[(list(vorhanden).index(letzte_art) + 1) % len(vorhanden)]
    return vorhanden[0]


def ortswechsel(sitzungen: pd.DataFrame, einrichtungen: pd.DataFrame,
                reihenfolge: Sequence[str] = ("asd", "kita", "kijukuz"), *, stufen: pd.DataFrame | None = None,
                standard: dict[str, int] | None = None, jahre: Iterable[int] | None = None) -> pd.DataFrame:
    """R5 je gehaltener Sitzung eines Gremiums: folgt der Ort dem Wechsel ASD → Kita → KiJuKuZ?

    `sitzungen`: sozialraum, datum, status, ort_art ("" oder None = ohne Ort). `einrichtungen` des Sozialraums:
    art, sozialraum, gremium_ab_stufe, optional gueltig_von/gueltig_bis. Im Wechsel sind die Arten der
    Einrichtungen, die am Sitzungstag zum Gremium gehören (geltende Stufe, wie `im_gremium_am`); fehlende Arten
    überspringt er wie `ortsvorschlag`. Erwartet wird die Art nach der vorigen gehaltenen Sitzung; die erste
    muss nur an einem Ort des Wechsels sein. Ohne Ort gilt der Wechsel als nicht eingehalten; gibt es am Tag
    keine Art des Wechsels, ist nichts einzuhalten. Mit `jahre` nur Sitzungen dieser Jahre (die vorige darf
    früher liegen). Ergebnis: datum, ort_art, erwartet, im_wechsel.
    """
    nur = set(jahre) if jahre is not None else None
    je_sr = _je_sozialraum(einrichtungen[einrichtungen["sozialraum"].isin(set(sitzungen["sozialraum"]))])
    beschluesse = _beschluesse(stufen)
    gehalten = sitzungen[sitzungen["status"].isin(GEHALTEN)].sort_values("datum", kind="stable")
    zeilen, vorige = [], None
    for sr, datum, art in zip(gehalten["sozialraum"], gehalten["datum"], gehalten["ort_art"], strict=True):
        if nur is not None and datum.year not in nur:
            vorige = art or None
            continue
        stufe = _stufe(beschluesse.get(sr, []), datum, (standard or {}).get(sr, 1))
        arten = {e.art for e in je_sr.get(sr, []) if _mitglied_am(e, datum, stufe)}
        vorhanden = [a for a in reihenfolge if a in arten]
        art = art or None
        if not vorhanden:
            erwartet, ok = None, True
        elif vorige is None:
            erwartet, ok = None, art in vorhanden
        else:
            erwartet = _naechste_art(vorige, vorhanden)
            ok = art == erwartet
        zeilen.append({"datum": datum, "ort_art": art, "erwartet": erwartet, "im_wechsel": bool(ok)})
        vorige = art
    return pd.DataFrame(zeilen, columns=["datum", "ort_art", "erwartet", "im_wechsel"])


def _je_sozialraum(einrichtungen: pd.DataFrame) -> dict[str, list[Any]]:
    """Die Einrichtungen als Datensätze je Sozialraum (einmal gruppiert statt je Sitzung gefiltert)."""
    return {sr: list(df.itertuples()) for sr, df in einrichtungen.groupby("sozialraum", sort=False)}


def _beschluesse(stufen: pd.DataFrame | None) -> dict[str, list[tuple[date, int]]]:
    """Stufenbeschlüsse je Sozialraum als (gueltig_ab, stufe), nach Datum (einmal statt je Sitzung gefiltert)."""
    if stufen is None or stufen.empty:
        return {}
    ergebnis: dict[str, list[tuple[date, int]]] = {}
    for sr, ab, stufe in sorted(zip(stufen["sozialraum"], stufen["gueltig_ab"], stufen["stufe"], strict=True),
                                key=lambda z: z[1]):
        ergebnis.setdefault(sr, []).append((ab, int(stufe)))
    return ergebnis


def _stufe(beschluesse: list[tuple[date, int]], tag: date, standard: int) -> int:
    """Wie `stufe_am` auf den vorbereiteten Beschlüssen eines Sozialraums."""
    gueltig = [stufe for ab, stufe in beschluesse if ab <= tag]
    return gueltig[-1] if gueltig else int(standard)


def _mitglied_am(e: Any, tag: date, stufe: int) -> bool:
    """Gilt Einrichtung `e` am `tag` (gueltig_von/-bis, fehlend = unbegrenzt) und gehört sie auf `stufe` zum
    Gremium (gremium_ab_stufe ≤ stufe, wie `im_gremium_am`)?"""
    von, bis = getattr(e, "gueltig_von", None), getattr(e, "gueltig_bis", None)
    if (pd.notna(von) and von and von > tag) or (pd.notna(bis) and bis and bis < tag):
        return False
    ab = pd.to_numeric(e.gremium_ab_stufe, errors="coerce")
    return bool(pd.notna(ab) and ab <= stufe)


def protokoll_vorschlag(sitzungen: pd.DataFrame, reihenfolge: Sequence[str],
                        vorhanden: Iterable[str] | None = None) -> str | None:
    """4.1: das Arbeitsfeld, das als Nächstes das Protokoll führt (nach dem der letzten Sitzung).

    `sitzungen` eines Gremiums: datum, protokoll_bereich; `reihenfolge` z. B. ASD, KiJuKuZ, Schulsozialarbeit,
    Kita; `vorhanden` = im Gremium vertretene Felder (andere werden übersprungen).
    """
    felder = [b for b in reihenfolge if vorhanden is None or b in set(vorhanden)]
    if not felder:
        return None
    bisher = sitzungen[sitzungen["protokoll_bereich"].isin(felder)].sort_values("datum")
    if bisher.empty:
        return felder[0]
    return felder[(felder.index(bisher["protokoll_bereich"].iloc[-1]) + 1) % len(felder)]


def stufe_am(stufen: pd.DataFrame, sozialraum: str, tag: date, standard: int = 1) -> int:
    """R2: die am `tag` geltende Stufe (`stufen`: sozialraum, stufe, gueltig_ab); ohne Beschluss `standard`."""
    s = stufen[(stufen["sozialraum"] == sozialraum) & (stufen["gueltig_ab"] <= tag)]
    return int(s.sort_values("gueltig_ab")["stufe"].iloc[-1]) if len(s) else int(standard)


def im_gremium_am(einrichtungen: pd.DataFrame, stufen: pd.DataFrame, tag: date,
                  standard: dict[str, int] | None = None) -> pd.DataFrame:
    """Kopie von `einrichtungen` (sozialraum, gremium_ab_stufe), deren Spalte `im_gremium` der am `tag` geltenden
    Stufe folgt (für den Kartenfilter „im Gremium“ und die Einladungsliste)."""
    ergebnis = einrichtungen.copy()
    stufe = {sr: stufe_am(stufen, sr, tag, (standard or {}).get(sr, 1)) for sr in ergebnis["sozialraum"].unique()}
    ab = pd.to_numeric(ergebnis["gremium_ab_stufe"], errors="coerce")
    ergebnis["im_gremium"] = ab.notna() & (ab <= ergebnis["sozialraum"].map(stufe))
    return ergebnis


def anwesenheit(sitzungen: pd.DataFrame, einrichtungen: pd.DataFrame, *, arten: Sequence[str] = ("kijukuz", "kita"),
                stufen: pd.DataFrame | None = None, standard: dict[str, int] | None = None) -> pd.DataFrame:
    """R6: je gehaltener Sitzung und je erwarteter Einrichtung (KiJuKuZ, Kita), ob jemand da war.

    `sitzungen`: id, sozialraum, datum, status, teilnehmende (Liste von {einrichtung: Schlüssel, …}; Einträge mit
    `gast: True` zählen nicht – Gäste sind keine Mitglieder, 3.1), optional stadtteile (Liste; Teilgremium).
    `einrichtungen`: schluessel, name, art, sozialraum, stadtteil, gueltig_von, gueltig_bis, gremium_ab_stufe.
    Erwartet wird, wer am Sitzungstag gilt und auf der geltenden Stufe dazugehört.
    Ergebnis: sitzung_id, sozialraum, datum, jahr, schluessel, einrichtung, art, anwesend.
    """
    spalten = ["sitzung_id", "sozialraum", "datum", "jahr", "schluessel", "einrichtung", "art", "anwesend"]
    je_sr = _je_sozialraum(einrichtungen[einrichtungen["art"].isin(arten)])
    beschluesse = _beschluesse(stufen)
    zeilen = []
    for s in sitzungen[sitzungen["status"].isin(GEHALTEN)].itertuples():
        stufe = _stufe(beschluesse.get(s.sozialraum, []), s.datum, (standard or {}).get(s.sozialraum, 1))
        da = {t.get("einrichtung") for t in (s.teilnehmende or []) if not t.get("gast")}  # Gäste sind keine Mitglieder
        teile = set(getattr(s, "stadtteile", None) or [])
        for e in je_sr.get(s.sozialraum, []):
            if not _mitglied_am(e, s.datum, stufe) or (teile and e.stadtteil not in teile):
                continue
            zeilen.append({"sitzung_id": s.id, "sozialraum": s.sozialraum, "datum": s.datum, "jahr": s.datum.year,
                           "schluessel": e.schluessel, "einrichtung": e.name, "art": e.art,
                           "anwesend": e.schluessel in da})
    return pd.DataFrame(zeilen, columns=spalten)


def fehlende_je_jahr(anwesenheit_df: pd.DataFrame) -> pd.DataFrame:
    """R6 je Jahr: Einrichtungen mit Fehlzeiten – sozialraum, jahr, einrichtung, art, sitzungen, anwesend, fehlend."""
    spalten = ["sozialraum", "jahr", "einrichtung", "art", "sitzungen", "anwesend", "fehlend"]
    if anwesenheit_df.empty:
        return pd.DataFrame(columns=spalten)
    g = (anwesenheit_df.groupby(["sozialraum", "jahr", "einrichtung", "art"], sort=False)["anwesend"]
         .agg(sitzungen="size", anwesend="sum").reset_index())
    g["fehlend"] = g["sitzungen"] - g["anwesend"]
    return g[g["fehlend"] > 0].sort_values(["sozialraum", "jahr", "fehlend"], ascending=[True, True, False])[
        spalten].reset_index(drop=True)


def hospitation_markiert(von_art: str, nach_art: str, markieren: Iterable[str] = ("kita",)) -> bool:
    """5.4: gleiche (markierte) Art auf beiden Seiten, z. B. Kita → Kita – erlaubt, aber markiert."""
    return von_art == nach_art and von_art in set(markieren)


def hospitationen_je_jahr(hospitationen: pd.DataFrame, *, markieren: Iterable[str] = ("kita",),
                          sozialraeume: Sequence[str] | None = None) -> pd.DataFrame:
    """R13: Zahl der Hospitationen je Sozialraum und Jahr.

    Eingabe: sozialraum, jahr, von_art, nach_art, anzahl_personen. Ergebnis: sozialraum, jahr, anzahl,
    personen, gleiche_art (markierte, z. B. Kita → Kita). Mit `sozialraeume` auch Zeilen mit 0.
    """
    spalten = ["sozialraum", "jahr", "anzahl", "personen", "gleiche_art"]
    h = hospitationen.copy()
    h["gleiche_art"] = [hospitation_markiert(v, n, markieren) for v, n in zip(h["von_art"], h["nach_art"],
                                                                              strict=True)]
    g = (h.groupby(["sozialraum", "jahr"]).agg(anzahl=("von_art", "size"), personen=("anzahl_personen", "sum"),
                                               gleiche_art=("gleiche_art", "sum")).reset_index())
    if sozialraeume is not None:
        jahre = sorted(h["jahr"].unique()) if len(h) else []
        voll = pd.DataFrame([(sr, j) for sr in sozialraeume for j in jahre], columns=["sozialraum", "jahr"])
        g = voll.merge(g, how="left", on=["sozialraum", "jahr"]).fillna({"anzahl": 0, "personen": 0,
                                                                         "gleiche_art": 0})
    for k in ("anzahl", "personen", "gleiche_art"):
        g[k] = g[k].astype(int)
    return g[spalten]


def _bindung(df: pd.DataFrame) -> pd.Series:
    ist = pd.to_numeric(df["kosten_ist"], errors="coerce").fillna(0.0)
    return pd.concat([df["kosten_geplant"].astype(float), ist], axis=1).max(axis=1).where(
        df["status"] != MASSNAHME_ABGELEHNT, 0.0)


# Spalten der Budgetübersicht, wie Seite „Budget“ und Jahresbericht sie zeigen (eine Quelle für beide)
BUDGET_SPALTEN: dict[str, str] = {
    "bezeichnung": "Art", "budget": "Budget", "geplant": "geplant", "genehmigt": "genehmigt/beschlossen",
    "ausgegeben": "ausgegeben", "gebunden": "gebunden", "rest": "Rest", "warnung": "Warnung",
}


def budget_erlaeuterung(kategorien: Sequence[Any]) -> str:
    """Erläuterung der Spalten der Budgetübersicht (Seite „Budget“ und Jahresbericht), mit den Unterkategorien und
    ihrem Deckel aus der Konfiguration."""
    namen = {k.schluessel: k.bezeichnung.split(" (")[0] for k in kategorien}
    unter = "; ".join(f"{namen[k.schluessel]} zählt im Budget „{namen.get(k.anteil_von, k.anteil_von)}“ mit"
                      + (f" (höchstens {k.deckel_eur:,.0f} € im Jahr, R12)".replace(",", ".")
                         if k.deckel_eur is not None else "") for k in kategorien if k.anteil_von)
    return ("geplant = geplante Kosten ohne abgelehnte Maßnahmen; genehmigt/beschlossen = von der Teamleitung "
            "genehmigt, vom Gremium beschlossen (5.3) oder schon umgesetzt; ausgegeben = Ist-Kosten umgesetzter "
            "Maßnahmen; gebunden = geplante bzw. höhere Ist-Kosten aller nicht abgelehnten Maßnahmen der Kategorie "
            "samt ihrer Unterkategorien; Rest = Budget − gebunden." + (f" {unter}." if unter else ""))


def budget_warnung(gebunden: float, rahmen: float, anteil: float) -> bool:
    """True, wenn `gebunden` mindestens den Anteil `anteil` (0–1) des Rahmens erreicht (auf den Cent genau: genau
    80 % von 1.500 € = 1.200,00 € warnt, 1.199,99 € nicht)."""
    return rahmen > 0 and round(float(gebunden), 2) >= round(float(anteil) * float(rahmen), 2)


def budget_uebersicht(budgets: pd.DataFrame, massnahmen: pd.DataFrame, kategorien: Sequence[Any], *,
                     sozialraeume: Sequence[str] | None = None, jahre: Sequence[int] | None = None) -> pd.DataFrame:
    """R10/R12: je Sozialraum, Jahr und Kategorie Budget, geplant, genehmigt, ausgegeben, Rest und Warnung – die eine
    Rechnung für die Seite „Budget“ und den Jahresbericht (Spaltennamen zur Anzeige: BUDGET_SPALTEN).

    geplant = geplante Kosten ohne abgelehnte; genehmigt = genehmigt, vom Gremium beschlossen (5.3) oder umgesetzt;
    ausgegeben = Ist-Kosten der umgesetzten; gebunden = geplante bzw. höhere Ist-Kosten aller nicht abgelehnten der
    Kategorie samt ihrer Unterkategorien (Fortbildung zählt im fallunspezifischen Budget).

    `budgets`: sozialraum, jahr, kategorie, betrag_eur. `massnahmen`: sozialraum, jahr, art, status,
    kosten_geplant, kosten_ist. `kategorien`: Objekte/dicts mit schluessel, bezeichnung, deckel_eur,
    warnung_ab_anteil, anteil_von. Eine Unterkategorie (anteil_von) zählt gegen ihre Oberkategorie; ihr
    Rahmen ist der Deckel, höchstens der Rest der Oberkategorie. Warnung ab `warnung_ab_anteil` des Deckels.

    Ohne Budgetzeile (bei einer Unterkategorie: ohne Zeile der Oberkategorie) ist das Budget nicht 0 €, sondern
    noch nicht eingetragen: `eingetragen` False, `budget`, `rest` und `anteil` leer (NaN), `warnung` KEIN_BUDGET.
    Mit `sozialraeume` und `jahre` steht jede Kombination in der Übersicht, auch ohne Budget und Maßnahmen.
    """
    def feld(k: Any, name: str, standard: Any = None) -> Any:
        return k.get(name, standard) if isinstance(k, dict) else getattr(k, name, standard)

    m = massnahmen.copy()
    m["bindung"] = _bindung(m) if len(m) else pd.Series(dtype=float)
    paare = (set(zip(budgets["sozialraum"], budgets["jahr"], strict=True))
             | set(zip(m["sozialraum"], m["jahr"], strict=True)))
    if sozialraeume is not None and jahre is not None:
        paare |= {(sr, int(j)) for sr in sozialraeume for j in jahre}
    zeilen = []
    for sr, jahr in sorted(paare, key=lambda p: (str(p[0]), p[1])):
        eigene = m[(m["sozialraum"] == sr) & (m["jahr"] == jahr)]
        b = budgets[(budgets["sozialraum"] == sr) & (budgets["jahr"] == jahr)]
        betrag = dict(zip(b["kategorie"], b["betrag_eur"].astype(float), strict=True))
        rest_ober: dict[str, float] = {}
        for k in sorted(kategorien, key=lambda k: feld(k, "anteil_von") is not None):
            s = feld(k, "schluessel")
            unter = [feld(u, "schluessel") for u in kategorien if feld(u, "anteil_von") == s]
            art = eigene[eigene["art"] == s]
            gebunden_gruppe = float(eigene[eigene["art"].isin([s, *unter])]["bindung"].sum())
            deckel, ober = feld(k, "deckel_eur"), feld(k, "anteil_von")
            eingetragen = (ober or s) in betrag
            if ober:
                rahmen = float(deckel) if deckel is not None else rest_ober.get(ober, 0.0)
                rest = min(rahmen - float(art["bindung"].sum()), rest_ober.get(ober, rahmen))
                gebunden = float(art["bindung"].sum())
            else:
                rahmen = betrag.get(s, 0.0)
                gebunden = gebunden_gruppe
                rest = rahmen - gebunden
                rest_ober[s] = rest
            anteil = gebunden / rahmen if rahmen else (1.0 if gebunden else 0.0)
            warnung = ""
            if not eingetragen:
                rahmen = rest = anteil = float("nan")
                warnung = KEIN_BUDGET
            elif gebunden > rahmen + 0.005:
                warnung = "überschritten"
            elif deckel is not None and budget_warnung(gebunden, rahmen, float(feld(k, "warnung_ab_anteil", 0.8))):
                warnung = f"{anteil:.0%} des Deckels gebunden".replace("%", " %")
            zeilen.append({
                "sozialraum": sr, "jahr": int(jahr), "kategorie": s, "bezeichnung": feld(k, "bezeichnung", s),
                "eingetragen": eingetragen, "budget": rahmen,
                "geplant": float(art.loc[art["status"] != MASSNAHME_ABGELEHNT, "kosten_geplant"].sum()),
                "genehmigt": float(art.loc[art["status"].isin(MASSNAHME_ENTSCHIEDEN), "kosten_geplant"].sum()),
                "ausgegeben": float(pd.to_numeric(art.loc[art["status"] == MASSNAHME_UMGESETZT, "kosten_ist"],
                                                  errors="coerce").fillna(0).sum()),
                "gebunden": gebunden, "rest": rest, "anteil": anteil, "warnung": warnung,
            })
    return pd.DataFrame(zeilen, columns=["sozialraum", "jahr", "kategorie", "bezeichnung", "eingetragen", "budget",
                                         "geplant", "genehmigt", "ausgegeben", "gebunden", "rest", "anteil",
                                         "warnung"])


# Spalten der Sitzungskonformität je Sozialraum und Jahr (R5, R6, R13) mit ihrer Bedeutung.
KONFORMITAET_SPALTEN: dict[str, str] = {
    "sozialraum": "Name des Sozialraums (str)",
    "jahr": "Berichtsjahr (int)",
    "sitzungen": "Anzahl durchgeführter Sitzungen im Jahr (int)",
    "halbjahre_ohne_sitzung": "beendete Halbjahre ohne Sitzung, 0–2 (int; R5: mindestens eine je Halbjahr)",
    "ortsrotation_ok": "Sitzungsort wechselte ASD / Kita / KiJuKuZ (bool, R5; leer ohne Sitzung)",
    "anwesenheitsquote": "Anteil der erwarteten Teilnahmen (je Sitzung jedes KiJuKuZ und jede Kita der geltenden "
                         "Stufe), die stattfanden, 0–1 (float, R6)",
    "hospitationen": "Anzahl Hospitationen im Jahr (int, R13)",
}


def sitzungskonformitaet(sitzungen: pd.DataFrame, einrichtungen: pd.DataFrame, hospitationen: pd.DataFrame,
                         sozialraeume: Sequence[str], *, jahre: Iterable[int] | None = None,
                         stichtag: date | None = None, stufen: pd.DataFrame | None = None,
                         standard: dict[str, int] | None = None, ortsarten: Sequence[str] = ("asd", "kita", "kijukuz"),
                         teilnahme_arten: Sequence[str] = ("kijukuz", "kita"), markieren: Iterable[str] = ("kita",),
                         mindestens_je_halbjahr: int = 1) -> pd.DataFrame:
    """R5, R6, R13 je Sozialraum und Jahr: Sitzungen, Halbjahre ohne Sitzung, Ortswechsel, Anwesenheit, Hospitationen.

    `sitzungen`: id, sozialraum, datum, status, ort_art, teilnehmende, optional stadtteile (Teilgremium);
    `einrichtungen`: wie bei `anwesenheit` (dazu art für den Ortswechsel); `hospitationen`: sozialraum, jahr,
    von_art, nach_art, anzahl_personen. `jahre`: Standard = Jahre mit Sitzungen oder Hospitationen.

    - sitzungen: gehaltene Sitzungen im Jahr (auch die von Teilgremien);
    - halbjahre_ohne_sitzung: beendete Halbjahre (Ende vor `stichtag`; ohne Stichtag alle) mit weniger als
      `mindestens_je_halbjahr` gehaltenen Sitzungen (R5, wie `kadenz`) – ab dem Halbjahr des ersten Eintrags des
      Gremiums (Sitzung gleich welchen Status oder Stufenbeschluss); ohne jeden Eintrag zählen alle;
    - ortsrotation_ok: jede gehaltene Sitzung des Jahres folgt dem Wechsel (`ortswechsel`, die erste gegen die
      letzte des Vorjahres); None ohne gehaltene Sitzung;
    - anwesenheitsquote: Anteil der erwarteten Teilnahmen (je Sitzung und KiJuKuZ/Kita der geltenden Stufe,
      `anwesenheit`), die stattfanden, 0–1; NaN ohne erwartete Teilnahme;
    - hospitationen: Zahl der Hospitationen (`hospitationen_je_jahr`).
    """
    sz = sitzungen.assign(jahr=[d.year for d in sitzungen["datum"]])
    # nur die nötigen Spalten, ohne Geometrie: Gruppieren und Filtern werden so viel billiger
    spalten = ["schluessel", "name", "art", "sozialraum", "stadtteil", "gueltig_von", "gueltig_bis", "gremium_ab_stufe"]
    einrichtungen = pd.DataFrame(einrichtungen[[c for c in spalten if c in einrichtungen]])
    if jahre is None:
        jahre = set(sz["jahr"]) | set(hospitationen["jahr"])
    jahre = sorted(int(j) for j in jahre)
    anw = anwesenheit(sitzungen[sz["jahr"].isin(jahre)], einrichtungen, arten=teilnahme_arten, stufen=stufen,
                      standard=standard)
    quote = anw.groupby(["sozialraum", "jahr"])["anwesend"].mean().to_dict() if len(anw) else {}
    hosp = (hospitationen_je_jahr(hospitationen, markieren=markieren).set_index(["sozialraum", "jahr"])["anzahl"]
            .to_dict() if len(hospitationen) else {})
    zeilen = []
    for sr in sozialraeume:
        eigene = sz[sz["sozialraum"] == sr]
        eintraege = [*eigene["datum"], *(stufen.loc[stufen["sozialraum"] == sr, "gueltig_ab"] if stufen is not None
                                         else [])]
        start = min(eintraege) if eintraege else None  # vorher gab es das Gremium (in den Daten) noch nicht
        wechsel = ortswechsel(eigene, einrichtungen, ortsarten, stufen=stufen, standard=standard, jahre=jahre)
        wechsel_jahr = [d.year for d in wechsel["datum"]]
        for j in jahre:
            gehalten = eigene[(eigene["jahr"] == j) & eigene["status"].isin(GEHALTEN)]
            ohne = 0
            for nr in (1, 2):
                beginn, ende = _halbjahr_grenzen(j, nr)
                if (stichtag is not None and ende >= stichtag) or (start is not None and ende < start):
                    continue  # Halbjahr läuft noch, liegt in der Zukunft oder vor dem Gremium
                im_hj = ((gehalten["datum"] >= beginn) & (gehalten["datum"] <= ende)).sum()
                ohne += int(im_hj < mindestens_je_halbjahr)
            im_jahr = wechsel.loc[[wj == j for wj in wechsel_jahr], "im_wechsel"]
            zeilen.append({"sozialraum": sr, "jahr": j, "sitzungen": len(gehalten), "halbjahre_ohne_sitzung": ohne,
                           "ortsrotation_ok": bool(im_jahr.all()) if len(im_jahr) else None,
                           "anwesenheitsquote": float(quote.get((sr, j), float("nan"))),
                           "hospitationen": int(hosp.get((sr, j), 0))})
    return pd.DataFrame(zeilen, columns=list(KONFORMITAET_SPALTEN)).astype({"ortsrotation_ok": object})


def sitzungskonformitaet_aus(daten: Any, kommune: Any, *, jahre: Iterable[int] | None = None,
                             stichtag: date | None = None) -> pd.DataFrame:
    """`sitzungskonformitaet` aus den Frames von `daten.berichtsdaten.Berichtsdaten` (sitzungen, einrichtungen,
    hospitationen, stufen, sozialraeume) mit den Einstellungen `gremium:` der Kommune; Stichtag Standard heute."""
    sr = daten.sozialraeume
    g = kommune.gremium
    return sitzungskonformitaet(
        daten.sitzungen, daten.einrichtungen, daten.hospitationen, [s.name for s in kommune.sozialraeume],
        jahre=jahre, stichtag=stichtag or date.today(), stufen=daten.stufen,
        standard={n: int(s) for n, s in zip(sr["name"], sr["stufe"], strict=True)}, ortsarten=g.ortswechsel,
        teilnahme_arten=g.teilnahme_arten, markieren=g.hospitation_markieren)
