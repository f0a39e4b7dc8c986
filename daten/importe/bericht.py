"""Zeilenbericht eines Imports: je Befund Zeile, Feld, Problem und was zu tun ist (Tabelle und CSV).

Zeilennummern: bei Tabellen (CSV, XLSX) die Zeile wie im Tabellenprogramm (Kopfzeile = 1), bei
Geodaten (GeoJSON, GeoPackage, Shapefile) die laufende Nummer des Objekts (ab 1). Zeile 0 = die
ganze Datei.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

FEHLER = "Fehler"
WARNUNG = "Warnung"
HINWEIS = "Hinweis"
SPALTEN = ["Zeile", "Stufe", "Feld", "Problem", "Was tun"]


@dataclass(frozen=True)
class Befund:
    """Ein Eintrag des Berichts. `stufe`: Fehler (verhindert das Schreiben), Warnung oder Hinweis."""

    zeile: int
    stufe: str
    feld: str
    problem: str
    handlung: str = ""


@dataclass
class Bericht:
    """Alle Befunde eines Imports, in der Reihenfolge des Auftretens."""

    datei: str
    befunde: list[Befund] = field(default_factory=list)
    _fehlerzeilen: set[int] = field(default_factory=set, repr=False)

    def fehler(self, zeile: int, feld: str, problem: str, handlung: str = "") -> None:
        self.befunde.append(Befund(zeile, FEHLER, feld, problem, handlung))
        self._fehlerzeilen.add(zeile)

    def warnung(self, zeile: int, feld: str, problem: str, handlung: str = "") -> None:
        self.befunde.append(Befund(zeile, WARNUNG, feld, problem, handlung))

    def hinweis(self, zeile: int, feld: str, problem: str, handlung: str = "") -> None:
        self.befunde.append(Befund(zeile, HINWEIS, feld, problem, handlung))

    @property
    def fehlerzeilen(self) -> frozenset[int]:
        """Zeilen mit mindestens einem Fehler (0 = Fehler der ganzen Datei)."""
        return frozenset(self._fehlerzeilen)

    @property
    def hat_fehler(self) -> bool:
        return bool(self._fehlerzeilen)

    @property
    def dateifehler(self) -> bool:
        """Fehler, die keine einzelne Zeile betreffen: dann hilft auch Überspringen nicht."""
        return 0 in self._fehlerzeilen

    def anzahl(self) -> Counter:
        return Counter(b.stufe for b in self.befunde)

    def als_tabelle(self) -> pd.DataFrame:
        """Der Bericht als DataFrame mit den Spalten Zeile, Stufe, Feld, Problem, Was tun."""
        return pd.DataFrame([(b.zeile, b.stufe, b.feld, b.problem, b.handlung) for b in self.befunde],
                            columns=SPALTEN)

    def als_csv(self) -> bytes:
        """CSV für Tabellenprogramme: Trennzeichen ';', UTF-8 mit BOM (Excel erkennt die Umlaute)."""
        puffer = io.StringIO()
        w = csv.writer(puffer, delimiter=";", lineterminator="\r\n")
        w.writerow(SPALTEN)
        for b in self.befunde:
            w.writerow([b.zeile, b.stufe, b.feld, b.problem, b.handlung])
        return puffer.getvalue().encode("utf-8-sig")

    def als_text(self, *, hoechstens: int = 200) -> str:
        """Lesbare Tabelle für die Kommandozeile (höchstens `hoechstens` Befunde; Texte ungekürzt)."""
        if not self.befunde:
            return "Keine Befunde."
        zeilen = [[str(b.zeile or "Datei"), b.stufe, _kuerzen(b.feld, 24), b.problem + (f" → {b.handlung}" if b.handlung
                                                                                       else "")]
                  for b in self.befunde[:hoechstens]]
        kopf = ["Zeile", "Stufe", "Feld", "Problem → Was tun"]
        breiten = [max(len(z[i]) for z in [kopf, *zeilen]) for i in range(3)]
        aus = ["  ".join(z[i].ljust(breiten[i]) for i in range(3)) + "  " + z[3] for z in [kopf, *zeilen]]
        if len(self.befunde) > hoechstens:
            aus.append(f"… und {len(self.befunde) - hoechstens} weitere Befunde (vollständig mit --bericht DATEI.csv).")
        return "\n".join(aus)

    def zusammenfassung(self) -> str:
        n = self.anzahl()
        return f"{n[FEHLER]} Fehler, {n[WARNUNG]} Warnungen, {n[HINWEIS]} Hinweise"


def _kuerzen(text: str, breite: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= breite else text[: breite - 1] + "…"
