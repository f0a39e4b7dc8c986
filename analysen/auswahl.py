"""Filter auf Einrichtungs-Frames und Eingaben der Kartenauswahl (reine Funktionen, keine Datenbank)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from daten.fehler import EingabeFehler

# Altersband je Zielgruppe: (von, bis) in Jahren, bis = unter; None = offen. Keine Einträge = Gruppe ohne Alter.
Altersbaender = Mapping[str, tuple[int | None, int | None]]


def _ueberschneiden(a: tuple[int | None, int | None], b: tuple[int | None, int | None]) -> bool:
    von_a, bis_a = a[0] or 0, math.inf if a[1] is None else a[1]
    von_b, bis_b = b[0] or 0, math.inf if b[1] is None else b[1]
    return von_a < bis_b and von_b < bis_a


def passende_zielgruppen(gewaehlt: str, vorhanden: Iterable[str], baender: Altersbaender | None = None) -> set[str]:
    """Welche der `vorhanden`en Zielgruppen die Wahl `gewaehlt` trifft: sich selbst und, wenn beide ein
    Altersband haben, jede, deren Band sich mit dem gewählten überschneidet."""
    baender = baender or {}
    treffer = {gewaehlt}
    if gewaehlt in baender:
        treffer |= {z for z in vorhanden if z in baender and _ueberschneiden(baender[gewaehlt], baender[z])}
    return treffer


def _gruppen(zelle: object) -> list[str]:
    return [z for z in str(zelle or "").split(", ") if z]


def filtere_einrichtungen(
    einrichtungen: gpd.GeoDataFrame,
    *,
    sozialraum: str | None = None,
    stadtteil: str | None = None,
    arten: Iterable[str] | None = None,
    traeger_art: str | None = None,
    zielgruppe: str | None = None,
    altersbaender: Altersbaender | None = None,
    nur_gremium: bool = False,
    ids: Iterable[int] | None = None,
) -> gpd.GeoDataFrame:
    """Wendet die Kartenfilter an; `None` bzw. leere Auswahl heißt: nicht filtern.

    `zielgruppe` trifft über `altersbaender` auch überschneidende Altersgruppen („Kinder“ → „Kinder 0–6“).
    `ids`: nur diese Einrichtungen (z. B. die Mitglieder eines gewählten Netzwerks).
    """
    maske = einrichtungen.index == einrichtungen.index
    if sozialraum:
        maske &= einrichtungen["sozialraum"] == sozialraum
    if stadtteil:
        maske &= einrichtungen["stadtteil"] == stadtteil
    arten = list(arten or [])
    if arten:
        maske &= einrichtungen["art"].isin(arten)
    if traeger_art:
        maske &= einrichtungen["traeger_art"] == traeger_art
    if zielgruppe:
        listen = einrichtungen["zielgruppen"].map(_gruppen)
        treffer = passende_zielgruppen(zielgruppe, {z for liste in listen for z in liste}, altersbaender)
        maske &= listen.map(lambda liste: bool(treffer.intersection(liste))).to_numpy(dtype=bool)
    if nur_gremium:
        maske &= einrichtungen["im_gremium"].fillna(False).astype(bool)
    if ids is not None:
        maske &= einrichtungen["id"].isin(list(ids))
    return einrichtungen[maske]


def zielgruppen(einrichtungen: gpd.GeoDataFrame, reihenfolge: Sequence[str] = ()) -> list[str]:
    """Auswahlliste der Zielgruppen: die konfigurierten in ihrer Reihenfolge (alle, auch wenn nur über ein
    überschneidendes Band vertreten), danach weitere vorkommende alphabetisch."""
    vorkommend = {z for s in einrichtungen["zielgruppen"] for z in _gruppen(s)}
    weitere = sorted(vorkommend - set(reihenfolge), key=str.casefold)
    return [*reihenfolge, *weitere]


# ------------------------------------------------------------------ Zahlen aus Eingaben (Klassengrenzen)

_ZAHL = re.compile(r"^[+-]?(\d+([.,]\d+)*)$")


def _ohne_leer(text: str) -> str:
    # Leerzeichen (auch schmale/geschützte) und Apostroph als Tausendertrenner zulassen
    return re.sub(r"[\s\u00a0\u202f\u2009'%€]", "", text)


def _schreibweise(token: str) -> str | None:
    """Welche Schreibweise ein Zahltext sicher verrät: "de", "en" oder None (passt zu beiden/ohne Trenner)."""
    punkte, kommas = token.count("."), token.count(",")
    if punkte and kommas:
        return "de" if token.rfind(",") > token.rfind(".") else "en"
    if kommas == 1 and not re.search(r",\d{3}$", token):
        return "de"  # 1,5 / 12,75
    if kommas > 1:
        return "en"  # 1,000,000
    if punkte == 1 and not re.search(r"\.\d{3}$", token):
        return "en"  # 1000.5
    if punkte > 1:
        return "de"  # 1.000.000
    return None


def _als_zahl(token: str, art: str) -> float:
    tausender, dezimal = (".", ",") if art == "de" else (",", ".")
    ganz, _, rest = token.partition(dezimal)
    if tausender in rest:
        raise ValueError(token)
    teile = ganz.lstrip("+-").split(tausender)
    if len(teile) > 1 and (not 1 <= len(teile[0]) <= 3 or any(len(t) != 3 for t in teile[1:])):
        raise ValueError(token)
    return float(ganz.replace(tausender, "") + ("." + rest if rest else ""))


def lies_zahlen(text: str, *, feld: str = "Klassengrenzen") -> list[float]:
    """Zahlen aus einer Eingabe wie „1.000; 2.500“, „1,5; 2,5“ oder „1000.5“ (getrennt mit ; ).

    Deutsche Schreibweise (Tausenderpunkt, Dezimalkomma) und englische (Tausenderkomma, Dezimalpunkt) werden
    erkannt; „1.000“ ist Tausend. Mehrdeutiges („1,000“: eins oder tausend?) und gemischte Schreibweisen
    ergeben einen EingabeFehler mit Beispiel, nie eine still falsch gelesene Zahl. Ergebnis aufsteigend.
    """
    roh = [t.strip() for t in str(text).split(";")]
    if len(roh) == 1 and re.search(r",\s", roh[0]):
        roh = [t.strip() for t in re.split(r",\s+", roh[0])]  # „10, 20, 30“: Komma mit Leerzeichen trennt
    for t in roh:  # Leerzeichen nur als Tausendertrenner (1 000), nicht als Listentrenner (10 20)
        if re.search(r"\d\s+\d", t) and not re.fullmatch(r"[+-]?\d{1,3}(\s\d{3})+([.,]\d+)?", t):
            raise EingabeFehler(f"{feld}: „{t}“ – mehrere Zahlen bitte mit ; trennen (z. B. 10; 20; 30).")
    tokens = [_ohne_leer(t) for t in roh if t.strip()]
    if not tokens:
        raise EingabeFehler(f"{feld}: bitte mindestens eine Zahl angeben, mehrere mit ; getrennt (z. B. 10; 20; 30).")
    for t in tokens:
        if not _ZAHL.match(t):
            raise EingabeFehler(f"{feld}: „{t}“ ist keine Zahl. Bitte Zahlen mit ; trennen, z. B. 1.000; 2.500 "
                                "oder 1,5; 2,5.")
    arten = {a for a in map(_schreibweise, tokens) if a}
    belegt = bool(arten)
    if len(arten) > 1:
        raise EingabeFehler(f"{feld}: „{'; '.join(tokens)}“ mischt deutsche (1.000,5) und englische (1,000.5) "
                            "Schreibweise. Bitte einheitlich schreiben, am einfachsten ohne Tausendertrenner: "
                            "1000,5; 2000.")
    art = arten.pop() if arten else "de"
    if not belegt and art == "de":  # keine Zahl verrät die Schreibweise
        zweifel = [t for t in tokens if re.fullmatch(r"[+-]?[1-9]\d{0,2},\d{3}", t)]
        if zweifel:
            t = zweifel[0]
            raise EingabeFehler(
                f"{feld}: „{t}“ ist mehrdeutig – {zahl_de(float(t.replace(',', '')))} (englische Schreibweise) "
                f"oder {t.rstrip('0').rstrip(',')} (deutsche)? Bitte ohne Tausendertrenner schreiben "
                "(z. B. 1000 oder 1,5) oder mit Tausenderpunkt (1.000).")
    werte = []
    for t in tokens:
        try:
            werte.append(_als_zahl(t, art))
        except ValueError:
            raise EingabeFehler(f"{feld}: „{t}“ ist als Zahl nicht eindeutig lesbar. Bitte z. B. 1000 oder "
                                "1.000 oder 1,5 schreiben.") from None
    return sorted(set(werte))


def zahl_de(x: float, stellen: int = 0) -> str:
    """Deutsche Schreibweise: Tausenderpunkt, Dezimalkomma."""
    text = f"{x:,.{stellen}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def _rund(x: float) -> float:
    """Auf zwei signifikante Stellen, damit Vorschläge lesbar sind (1.234 → 1.200, 7,46 → 7,5)."""
    if x == 0 or not math.isfinite(x):
        return 0.0
    stellen = 1 - int(math.floor(math.log10(abs(x))))
    return round(x, stellen)


def grenzen_vorschlag(werte: Iterable[float], *, klassen: int = 4) -> list[float]:
    """Vorschlag für eigene Klassengrenzen aus den Daten: innere Quantile, gerundet, ohne Doppelte."""
    arr = np.asarray([float(v) for v in werte if v is not None and math.isfinite(float(v))], dtype=float)
    if arr.size < 2:
        return []
    qs = np.quantile(arr, [i / klassen for i in range(1, klassen)])
    return sorted({_rund(float(q)) for q in qs})


def grenzen_text(grenzen: Sequence[float]) -> str:
    """Grenzen als Eingabetext in deutscher Schreibweise („1.200; 2.500; 7,5“)."""
    return "; ".join(zahl_de(g, 0 if float(g).is_integer() else min(2, len(repr(g).split(".")[1])))
                     for g in grenzen)


# ------------------------------------------------------------------ Netzwerke

def netzwerkliste(netzwerke: pd.DataFrame, einrichtungen: pd.DataFrame, *, sozialraum: str | None = None
                  ) -> pd.DataFrame:
    """Netzwerke mit Mitgliedern, die unter den gezeigten `einrichtungen` sind (Spalten: id, name, status,
    sozialraum, mitglieder = Namensliste, mitglied_ids). `sozialraum`: dessen und stadtweite Netzwerke."""
    namen = dict(zip(einrichtungen["id"], einrichtungen["name"], strict=True))
    zeilen = []
    for _, n in netzwerke.iterrows():
        if sozialraum and n["sozialraum"] not in (sozialraum, "", None):
            continue
        ids = [i for i in n["mitglied_ids"] if i in namen]
        if not ids:
            continue
        zeilen.append({"id": n["id"], "name": n["name"], "status": n["status"], "sozialraum": n["sozialraum"] or "",
                       "mitglieder": [namen[i] for i in ids], "mitglied_ids": ids})
    return pd.DataFrame(zeilen, columns=["id", "name", "status", "sozialraum", "mitglieder", "mitglied_ids"])
