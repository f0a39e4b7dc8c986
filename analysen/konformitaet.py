"""Sitzungskonformität je Sozialraum und Jahr für Vergleich und Jahresbericht (R5 Rhythmus und Ortswechsel,
R6 Teilnahme, R13 Hospitationen): eine Zeile je Gremium und Jahr aus den Frames von `daten.berichtsdaten`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import pandas as pd

from analysen.gremium import (
    GEHALTEN,
    _halbjahr_grenzen,
    anwesenheit,
    hospitationen_je_jahr,
    ortswechsel,
)

KONFORMITAET_SPALTEN = ["sozialraum", "jahr", "sitzungen", "halbjahre_ohne_sitzung", "ortsrotation_ok",
                        "anwesenheitsquote", "hospitationen"]


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
    return pd.DataFrame(zeilen, columns=KONFORMITAET_SPALTEN).astype({"ortsrotation_ok": object})


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
