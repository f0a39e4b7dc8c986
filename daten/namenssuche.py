"""Ein Sozialraum aus einer Eingabe der Kommandozeile (oder einer Einstellung): eine Regel für jeden Befehl.

Groß-/Kleinschreibung egal, Umlaute als „ä“, „ae“ oder „a“, ß als „ss“, Leerraum und Satzzeichen egal; ein
eindeutiger Anfang des Namens oder eines seiner Teile genügt („finthen“ → „Finthen (mit Layenhof)“,
„weisenau“ → „Laubenheim, Weisenau“). Mehrdeutig oder unbekannt: deutsche Meldung mit den Kandidaten.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from daten.fehler import EingabeFehler

_UMSCHRIFT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _ohne_zeichen(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def vergleichsformen(text: str) -> set[str]:
    """Die Formen, in denen zwei Schreibweisen gleich sind: „Münchfeld“ → {„muenchfeld“, „munchfeld“}."""
    klein = unicodedata.normalize("NFC", str(text)).casefold()
    umschrift = klein.translate(_UMSCHRIFT)
    ohne = "".join(z for z in unicodedata.normalize("NFKD", klein.replace("ß", "ss")) if not unicodedata.combining(z))
    return {_ohne_zeichen(umschrift), _ohne_zeichen(ohne)}


def _teile(name: str) -> list[str]:
    return [t for t in re.split(r"[,/()]|\bmit\b", name) if t.strip()]


def finde_sozialraum(eingabe: str, namen: Iterable[str]) -> str:
    """Der Sozialraum aus `namen`, den `eingabe` meint: gleich, sonst eindeutiger Anfang des Namens, sonst eines
    Namensteils. Sonst EingabeFehler mit den Kandidaten (mehrdeutig) oder allen Namen (unbekannt)."""
    namen = list(namen)
    suche = {f for f in vergleichsformen(eingabe) if f}
    if suche:
        formen = {n: vergleichsformen(n) for n in namen}
        for passt in (lambda f: f in suche,
                      lambda f: any(f.startswith(s) for s in suche)):
            treffer = [n for n in namen if any(passt(f) for f in formen[n])]
            if treffer:
                break
        else:
            treffer = [n for n in namen if any(f.startswith(s) for t in _teile(n) for f in vergleichsformen(t)
                                               for s in suche)]
        if len(treffer) == 1:
            return treffer[0]
        if treffer:
            raise EingabeFehler(f"Sozialraum '{eingabe}' ist nicht eindeutig: passt zu {'; '.join(treffer)}. "
                                "Bitte genauer angeben.")
    raise EingabeFehler(f"Sozialraum '{eingabe}' gibt es nicht. Vorhanden: {'; '.join(namen)}.")
