"""Auswertung der Ergebnisprotokolle je Sozialraum und Jahr (R9, 3.2.4): Punkte je Frage, wiederkehrende Themen,
Handlungsebenen, Maßnahmen und Kosten, „fehlende Ressourcen“ (Frage 6) und der Entwurf der schriftlichen
Einschätzung je Frage (`entwurf_bewertung`, `einschaetzungen`: Texte gruppiert, nur für Personen mit Leserecht).

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
from daten.werte import MASSNAHME_ABGELEHNT, MASSNAHME_ENTSCHIEDEN, MASSNAHME_UMGESETZT

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


# Spalten der Maßnahmenübersicht je Art, wie Seite „Budget“ und Jahresbericht sie zeigen (eine Quelle für beide)
MASSNAHMEN_SPALTEN: dict[str, str] = {
    "bezeichnung": "Art", "anzahl": "Anzahl", "entschieden": "genehmigt/beschlossen", "abgelehnt": "abgelehnt",
    "umgesetzt": "umgesetzt", "kosten_geplant": "Kosten geplant (ohne abgelehnte)", "kosten_ist": "Kosten Ist",
}


def massnahmen_uebersicht(massnahmen: pd.DataFrame, arten: Mapping[str, str], *,
                          gruppe: Sequence[str] = ("sozialraum",)) -> pd.DataFrame:
    """Je Gruppe und Maßnahmenart: Anzahl; davon entschieden (genehmigt, vom Gremium beschlossen oder umgesetzt),
    abgelehnt und umgesetzt (Status „umgesetzt“); Kosten geplant ohne abgelehnte (sie binden kein Budget) und Ist
    (€, nur wo erfasst). Dieselbe Rechnung für Seite „Budget“ und Jahresbericht."""
    status = massnahmen["status"]
    m = massnahmen.assign(umgesetzt=status == MASSNAHME_UMGESETZT, entschieden=status.isin(MASSNAHME_ENTSCHIEDEN),
                          abgelehnt=status == MASSNAHME_ABGELEHNT,
                          kosten_geplant=_geplant_ohne_abgelehnte(massnahmen),
                          kosten_ist=pd.to_numeric(massnahmen["kosten_ist"], errors="coerce"))
    tab = m.groupby([*gruppe, "art"]).agg(anzahl=("status", "size"), entschieden=("entschieden", "sum"),
                                          abgelehnt=("abgelehnt", "sum"), umgesetzt=("umgesetzt", "sum"),
                                          kosten_geplant=("kosten_geplant", "sum"),
                                          kosten_ist=("kosten_ist", lambda s: s.sum(min_count=1)))
    tab = tab.reset_index()
    for k in ("entschieden", "abgelehnt", "umgesetzt"):
        tab[k] = tab[k].astype(int)
    tab["bezeichnung"] = tab["art"].map(arten).fillna(tab["art"])
    return tab


def _geplant_ohne_abgelehnte(massnahmen: pd.DataFrame) -> pd.Series:
    return massnahmen["kosten_geplant"].astype(float).where(massnahmen["status"] != MASSNAHME_ABGELEHNT, 0.0)


def fehlende_ressourcen(punkte: pd.DataFrame, *, frage: int = FRAGE_FEHLENDE_RESSOURCEN) -> pd.DataFrame:
    """Die genannten fehlenden Ressourcen (Frage 6) ohne Fallbesprechungen: sozialraum, jahr, datum, text, bezug.

    Enthält Protokolltext: nur Personen mit Leserecht zeigen (daten.politik; gelesen über daten.protokolle)."""
    p = _ohne_fall(punkte)
    spalten = [c for c in ("sozialraum", "jahr", "datum", "text", "bezug") if c in p]
    return p.loc[p["frage"] == frage, spalten].reset_index(drop=True)


# ------------------------------------------------------------------------------------------ Einschätzung je Frage
KEINE_PUNKTE = "Zu dieser Frage wurde im Berichtsjahr nichts protokolliert."


def _euro(x: object) -> str:
    return f"{float(x):,.0f} €".replace(",", ".")


def _einzeilig(text: object) -> str:
    """Protokolltext als eine Zeile reinen Texts (Leerraum zusammengefasst); nie als Vorlage oder Auszeichnung."""
    return " ".join(str(text or "").split())


def entwurf_bewertung(punkte: pd.DataFrame, massnahmen: pd.DataFrame | None, *, frage: int,
                      ebenen: Mapping[str, str], arten: Mapping[str, str],
                      status: Mapping[str, str] | None = None) -> str:
    """Entwurf der schriftlichen Einschätzung zu `frage` (3.2.4) aus den Protokollpunkten eines Sozialraums und
    Jahres: Zahl der Punkte und Sitzungen, die Texte nach Handlungsebene gruppiert (mit Datum der Sitzung) und die
    Maßnahmen, die aus Punkten dieser Frage hervorgingen. Fallbesprechungen werden nur gezählt, nie zitiert.

    Deterministisch (Reihenfolge: Ebenen wie konfiguriert, darin Datum und Punkt-id), ohne Sprachmodell. Die Texte
    bleiben reine Daten: sie werden aneinandergereiht, nie als Vorlage oder Markdown gelesen. Enthält
    Protokolltext: nur für Personen mit Leserecht bilden (Punkte gelesen über `daten.protokolle`).
    `punkte`: id, sitzung_id, datum, frage, handlungsebene, text, fallbesprechung. `massnahmen`: protokollpunkt_id,
    titel, art, status, kosten_geplant, kosten_ist.
    """
    f = punkte[punkte["frage"] == frage] if len(punkte) else punkte
    if f.empty:
        return KEINE_PUNKTE
    fall = f["fallbesprechung"].fillna(False).astype(bool) if "fallbesprechung" in f else pd.Series(False, f.index)
    tage = sorted({pd.Timestamp(d).date() for d in f["datum"]})
    zeilen = [f"{len(f)} Protokollpunkte aus {f['sitzung_id'].nunique()} Sitzungen ("
              + ", ".join(f"{t:%d.%m.%Y}" for t in tage) + ")."]
    if fall.any():
        zeilen.append(f"Davon {int(fall.sum())} Fallbesprechungen (anonymisiert oder mit Schweigepflichtentbindung; "
                      "ihr Inhalt steht nicht im Bericht).")
    offen = f[~fall].sort_values(["datum", "id"], kind="stable")
    reihenfolge = [*ebenen, *sorted(set(offen["handlungsebene"]) - set(ebenen))]
    for ebene in reihenfolge:
        teil = offen[offen["handlungsebene"] == ebene]
        if teil.empty:
            continue
        zeilen.append(f"{ebenen.get(ebene, ebene)} ({len(teil)}):")
        zeilen += [f"– {pd.Timestamp(d):%d.%m.%Y}: {_einzeilig(t)}" for d, t in zip(teil["datum"], teil["text"],
                                                                                     strict=True)]
    zeilen.append(_massnahmen_zu(f, massnahmen, arten, status or {}))
    return "\n".join(zeilen)


def _massnahmen_zu(punkte: pd.DataFrame, massnahmen: pd.DataFrame | None, arten: Mapping[str, str],
                   status: Mapping[str, str]) -> str:
    if massnahmen is None or massnahmen.empty or "protokollpunkt_id" not in massnahmen:
        return "Maßnahmen dazu: keine."
    ids = set(int(i) for i in punkte["id"])
    m = massnahmen[massnahmen["protokollpunkt_id"].isin(ids)]
    if m.empty:
        return "Maßnahmen dazu: keine."
    teile = []
    for z in m.itertuples():
        was = f"{arten.get(z.art, z.art)}, {status.get(z.status, z.status)}, geplant {_euro(z.kosten_geplant)}"
        if pd.notna(z.kosten_ist):
            was += f", Ist {_euro(z.kosten_ist)}"
        teile.append(f"{_einzeilig(z.titel)} ({was})")
    return "Maßnahmen dazu: " + "; ".join(teile) + "."


def einschaetzungen(punkte: pd.DataFrame, massnahmen: pd.DataFrame | None, gespeichert: pd.DataFrame | None, *,
                    fragen: Sequence[str], ebenen: Mapping[str, str], arten: Mapping[str, str],
                    status: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Je Frage (1…n) die Einschätzung eines Sozialraums und Jahres: der gespeicherte Text der Jugendhilfeplanung,
    sonst der Entwurf (`entwurf_bewertung`). Spalten frage, frage_text, anzahl, text, quelle („gespeichert“ oder
    „Entwurf“), stand (Status der gespeicherten), version (None ohne gespeicherte). `gespeichert`: frage, text,
    status, version (bereits auf Sozialraum und Jahr gefiltert)."""
    g = {} if gespeichert is None or gespeichert.empty else {
        int(z.frage): z for z in gespeichert.itertuples() if str(z.text or "").strip()}
    zeilen = []
    for nr, frage_text in enumerate(fragen, start=1):
        anzahl = int((punkte["frage"] == nr).sum()) if len(punkte) else 0
        if nr in g:
            z = g[nr]
            zeilen.append({"frage": nr, "frage_text": frage_text, "anzahl": anzahl, "text": str(z.text),
                           "quelle": "gespeichert", "stand": z.status, "version": int(z.version)})
        else:
            zeilen.append({"frage": nr, "frage_text": frage_text, "anzahl": anzahl,
                           "text": entwurf_bewertung(punkte, massnahmen, frage=nr, ebenen=ebenen, arten=arten,
                                                     status=status),
                           "quelle": "Entwurf", "stand": None, "version": None})
    return pd.DataFrame(zeilen, columns=["frage", "frage_text", "anzahl", "text", "quelle", "stand", "version"])
