"""Zahlen aus Tabellen lesen: deutsches und englisches Format, mit Hinweis bei Mehrdeutigkeit.

Regeln: Stehen Punkt und Komma im Wert, ist das hintere das Dezimalzeichen („1.234,5“, „1,234.5“).
Nur ein Komma: Dezimalkomma („12,5“). Mehrere Punkte in Dreiergruppen: Tausenderpunkte
(„1.234.567“). Ein Punkt vor genau drei Ziffern („12.345“) ist mehrdeutig: mit `deutsch=True`
(Dateien mit Trennzeichen ';', deutsches Excel) ein Tausenderpunkt – mit Hinweis –, sonst Dezimalpunkt.
Leerzeichen, geschützte Leerzeichen, ' und % werden ignoriert.
"""

from __future__ import annotations

import math
import re

_TAUSENDER = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_ZAHL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


class KeineZahl(ValueError):
    """Der Text ist keine Zahl; die Nachricht ist deutsch."""


def lies_zahl(text: str, *, deutsch: bool = True) -> tuple[float, str | None]:
    """(Wert, Hinweis oder None). `deutsch`: Punkte in Dreiergruppen sind Tausenderpunkte."""
    roh = str(text)
    t = roh.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "").rstrip("%")
    if not t:
        raise KeineZahl("leer")
    hinweis = None
    if "," in t and "." in t:
        if t.rfind(",") > t.rfind("."):
            t = t.replace(".", "").replace(",", ".")
        else:
            t = t.replace(",", "")
    elif "," in t:
        if t.count(",") > 1:
            raise KeineZahl(f"'{roh}' hat mehrere Kommas")
        t = t.replace(",", ".")
    elif _TAUSENDER.match(t) and (deutsch or t.count(".") > 1):
        if t.count(".") == 1:  # „2.414“: Tausenderpunkt oder Dezimalpunkt? Nur hier raten wir – mit Hinweis
            hinweis = f"'{roh}' als {t.replace('.', '')} gelesen (Punkt als Tausendertrennzeichen)"
        t = t.replace(".", "")
    if not _ZAHL.match(t):
        raise KeineZahl(f"'{roh}' ist keine Zahl")
    wert = float(t)
    if not math.isfinite(wert):
        raise KeineZahl(f"'{roh}' ist zu groß")
    return wert, hinweis


def lies_ganzzahl(text: str, *, deutsch: bool = True) -> tuple[int, str | None]:
    """Wie `lies_zahl`, aber nur ganze Zahlen (z. B. Jahr, Kapazität)."""
    wert, hinweis = lies_zahl(text, deutsch=deutsch)
    if not wert.is_integer():
        raise KeineZahl(f"'{text}' ist keine ganze Zahl")
    if abs(wert) > 2**31 - 1:
        raise KeineZahl(f"'{text}' ist zu groß")
    return int(wert), hinweis
