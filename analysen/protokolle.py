"""Auswertung der Ergebnisprotokolle je Sozialraum und Jahr (R9, 3.2.4): Punkte je Frage, wiederkehrende Themen,
Handlungsebenen, Maßnahmen und Kosten, „fehlende Ressourcen“ (Frage 6).

Protokolle sind vertraulich: Berichte nutzen nur Zählungen und Themen (Wortstämme), nie Texte aus
Fallbesprechungen. Themen: Wörter klein geschrieben, deutsche Stoppwörter und Gebietsnamen entfernt,
mit dem Snowball-Stemmer (Deutsch, Paket `snowballstemmer`, läuft lokal) auf Stämme gebracht; ein Thema
„kehrt wieder“, wenn sein Stamm in mindestens `min_sitzungen` Sitzungen vorkommt.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import pandas as pd

from analysen._stoppwoerter import STOPPWOERTER
from daten.werte import MASSNAHME_ABGELEHNT, MASSNAHME_UMGESETZT

_WORT = re.compile(r"[A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüß\-]{2,}")
FRAGE_FEHLENDE_RESSOURCEN = 6


@lru_cache(maxsize=1)
def _stemmer():  # noqa: ANN202
    import snowballstemmer

    return snowballstemmer.stemmer("german")


@lru_cache(maxsize=50_000)
def _stamm(wort: str) -> str:
    return _stemmer().stemWord(wort)


def woerter(text: str, *, ausschluss: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(Stamm, Wortform) je inhaltlichem Wort eines Texts; Stoppwörter und `ausschluss` (klein) fallen weg."""
    aus = {a.lower() for a in ausschluss}
    formen = [w.strip("-") for w in _WORT.findall(text or "")]
    formen = [w for w in formen if len(w) >= 3 and w.lower() not in STOPPWOERTER and w.lower() not in aus]
    staemme = [_stamm(w.lower()) for w in formen]
    return list(zip(staemme, formen, strict=True))


def _ohne_fall(punkte: pd.DataFrame) -> pd.DataFrame:
    if "fallbesprechung" not in punkte:
        return punkte
    return punkte[~punkte["fallbesprechung"].fillna(False).astype(bool)]


def themen(punkte: pd.DataFrame, *, gruppe: Sequence[str] = ("sozialraum",), n: int = 8, min_sitzungen: int = 2,
           ausschluss: Iterable[str] = ()) -> pd.DataFrame:
    """Wiederkehrende Themen je Gruppe: Spalten der Gruppe, `thema` (häufigste Wortform), `stamm`, `nennungen`
    (Protokollpunkte mit dem Stamm), `sitzungen` (verschiedene Sitzungen). Fallbesprechungen zählen nicht."""
    ausschluss = list(ausschluss)
    zeilen = []
    p = _ohne_fall(punkte)
    for schluessel, teil in (p.groupby(list(gruppe), sort=False) if gruppe else [((), p)]):
        schluessel = schluessel if isinstance(schluessel, tuple) else (schluessel,)
        punkte_je, sitz_je, formen = Counter(), {}, {}
        for text, sitzung in zip(teil["text"], teil["sitzung_id"], strict=True):
            gesehen = set()
            for stamm, form in woerter(text, ausschluss=ausschluss):
                formen.setdefault(stamm, Counter())[form] += 1
                if stamm not in gesehen:
                    gesehen.add(stamm)
                    punkte_je[stamm] += 1
                    sitz_je.setdefault(stamm, set()).add(sitzung)
        kandidaten = [(s, punkte_je[s], len(sitz_je[s])) for s in punkte_je if len(sitz_je[s]) >= min_sitzungen]
        kandidaten.sort(key=lambda t: (-t[2], -t[1], t[0]))
        for stamm, nennungen, sitzungen in kandidaten[:n]:
            form = sorted(formen[stamm].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            zeilen.append({**dict(zip(gruppe, schluessel, strict=True)), "thema": form, "stamm": stamm,
                           "nennungen": nennungen, "sitzungen": sitzungen})
    return pd.DataFrame(zeilen, columns=[*gruppe, "thema", "stamm", "nennungen", "sitzungen"])


def punkte_je_frage(punkte: pd.DataFrame, fragen: Sequence[str], *, gruppe: Sequence[str] = ("sozialraum",),
                    themen_je_frage: int = 3, ausschluss: Iterable[str] = ()) -> pd.DataFrame:
    """Je Gruppe und Frage (1…n): `anzahl` Protokollpunkte, `sitzungen`, `fallbesprechungen`, `themen` (die
    häufigsten Stämme der Frage über alle Sitzungen, ohne Fallbesprechungen, als Text)."""
    gruppen = punkte.groupby(list(gruppe), sort=False) if len(punkte) else []
    zeilen = []
    for schluessel, teil in gruppen:
        schluessel = schluessel if isinstance(schluessel, tuple) else (schluessel,)
        th = themen(teil, gruppe=("frage",), n=themen_je_frage, min_sitzungen=1, ausschluss=ausschluss)
        for nr, text in enumerate(fragen, start=1):
            f = teil[teil["frage"] == nr]
            zeilen.append({**dict(zip(gruppe, schluessel, strict=True)), "frage": nr, "frage_text": text,
                           "anzahl": len(f), "sitzungen": f["sitzung_id"].nunique(),
                           "fallbesprechungen": int(f["fallbesprechung"].fillna(False).astype(bool).sum()),
                           "themen": ", ".join(th.loc[th["frage"] == nr, "thema"])})
    return pd.DataFrame(zeilen, columns=[*gruppe, "frage", "frage_text", "anzahl", "sitzungen", "fallbesprechungen",
                                         "themen"])


def handlungsebenen(punkte: pd.DataFrame, ebenen: Mapping[str, str], *,
                    gruppe: Sequence[str] = ("sozialraum",)) -> pd.DataFrame:
    """Anzahl und Anteil (%) der Protokollpunkte je Handlungsebene (alle konfigurierten Ebenen, auch 0)."""
    tab = punkte.groupby([*gruppe, "handlungsebene"]).size().unstack(fill_value=0) if len(punkte) else \
        pd.DataFrame(columns=list(ebenen))
    tab = tab.reindex(columns=list(ebenen), fill_value=0)
    lang = tab.stack().rename("anzahl").reset_index()
    lang["anteil"] = 100 * lang["anzahl"] / lang.groupby(list(gruppe))["anzahl"].transform("sum").replace(0, pd.NA)
    lang["bezeichnung"] = lang["handlungsebene"].map(ebenen)
    return lang


def massnahmen_uebersicht(massnahmen: pd.DataFrame, arten: Mapping[str, str], *,
                          gruppe: Sequence[str] = ("sozialraum",)) -> pd.DataFrame:
    """Je Gruppe und Maßnahmenart: Anzahl, davon genehmigt und umgesetzt, Kosten geplant (ohne abgelehnte: sie
    binden kein Budget) und Ist (€)."""
    m = massnahmen.assign(umgesetzt=massnahmen["status"] == MASSNAHME_UMGESETZT,
                          genehmigt=massnahmen["genehmigt"].fillna(False).astype(bool),
                          kosten_geplant=_geplant_ohne_abgelehnte(massnahmen))
    tab = m.groupby([*gruppe, "art"]).agg(anzahl=("titel", "size"), genehmigt=("genehmigt", "sum"),
                                          umgesetzt=("umgesetzt", "sum"),
                                          kosten_geplant=("kosten_geplant", "sum"),
                                          kosten_ist=("kosten_ist", lambda s: s.sum(min_count=1)))
    tab = tab.reset_index()
    tab["bezeichnung"] = tab["art"].map(arten).fillna(tab["art"])
    return tab


def _geplant_ohne_abgelehnte(massnahmen: pd.DataFrame) -> pd.Series:
    return massnahmen["kosten_geplant"].where(massnahmen["status"] != MASSNAHME_ABGELEHNT, 0.0)


def budget_auslastung(budgets: pd.DataFrame, massnahmen: pd.DataFrame, *, jahr: int,
                      deckel: Mapping[str, float | None] | None = None) -> pd.DataFrame:
    """Je Sozialraum und Kategorie im Jahr: Budget, geplante (ohne abgelehnte) und Ist-Kosten (Maßnahmen gleicher
    Art), Anteil geplant am Budget (%), Deckel (R12) und ob er überschritten ist."""
    b = budgets[budgets["jahr"] == jahr].groupby(["sozialraum", "kategorie"])["betrag_eur"].sum()
    im_jahr = massnahmen[massnahmen["jahr"] == jahr]
    m = im_jahr.assign(kosten_geplant=_geplant_ohne_abgelehnte(im_jahr)).groupby(["sozialraum", "art"]).agg(
        geplant=("kosten_geplant", "sum"), ist=("kosten_ist", lambda s: s.sum(min_count=1)))
    m.index = m.index.set_names(["sozialraum", "kategorie"])
    tab = pd.concat([b.rename("budget_eur"), m], axis=1).reset_index()
    tab["anteil_geplant"] = 100 * tab["geplant"] / tab["budget_eur"].where(tab["budget_eur"] > 0)
    deckel = dict(deckel or {})
    tab["deckel_eur"] = tab["kategorie"].map(deckel)
    tab["deckel_ueberschritten"] = tab["deckel_eur"].notna() & (tab["geplant"].fillna(0) > tab["deckel_eur"])
    return tab


def fehlende_ressourcen(punkte: pd.DataFrame, *, frage: int = FRAGE_FEHLENDE_RESSOURCEN) -> pd.DataFrame:
    """Die genannten fehlenden Ressourcen (Frage 6) ohne Fallbesprechungen: sozialraum, jahr, datum, text, bezug.

    Enthält Protokolltext: nur Personen mit Leserecht zeigen (daten.politik; gelesen über daten.protokolle)."""
    p = _ohne_fall(punkte)
    spalten = [c for c in ("sozialraum", "jahr", "datum", "text", "bezug") if c in p]
    return p.loc[p["frage"] == frage, spalten].reset_index(drop=True)
