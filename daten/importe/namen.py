"""Namen aus Dateien den Namen der Konfiguration zuordnen: Groß/klein egal, mit Vorschlägen für Beinahe-Treffer."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from daten.config import schluesselwort

_TRENNER = re.compile(r"[\s\-/_.,;:()]+")


def vergleichsform(text: str) -> str:
    """„Hartenberg/Münchfeld“, „hartenberg-münchfeld“ und „HARTENBERG MÜNCHFELD“ sind gleich."""
    return " ".join(_TRENNER.sub(" ", schluesselwort(text)).split())


@dataclass(frozen=True)
class Treffer:
    """Ergebnis einer Zuordnung: `name` (aus der Konfiguration) oder None mit `vorschlaege`."""

    name: str | None
    vorschlaege: tuple[str, ...] = ()
    hinweis: str | None = None


class Namensliste:
    """Ordnet Texte den `namen` zu (z. B. Stadtteile, Merkmale); `weitere` = zusätzliche Schreibweisen → Name."""

    def __init__(self, namen: list[str], *, weitere: dict[str, str] | None = None) -> None:
        self.namen = list(namen)
        self._form: dict[str, str] = {}
        for alias, ziel in (weitere or {}).items():
            self._form[vergleichsform(alias)] = ziel
        for n in self.namen:
            self._form[vergleichsform(n)] = n
        self._gemerkt: dict[str, Treffer] = {}

    def finde(self, text: str) -> Treffer:
        """Treffer für `text` (gleiche Texte werden nur einmal verglichen: große Dateien wiederholen sich)."""
        if text not in self._gemerkt:
            self._gemerkt[text] = self._finde(text)
        return self._gemerkt[text]

    def _finde(self, text: str) -> Treffer:
        f = vergleichsform(text)
        if not f:
            return Treffer(None)
        if f in self._form:
            return Treffer(self._form[f])
        # „Mainz-Altstadt“, „Stadtteil Altstadt“: ein vorangestelltes Wort weglassen, mit Hinweis
        teile = f.split(" ")
        for i in range(1, min(3, len(teile))):
            rest = " ".join(teile[i:])
            if rest in self._form:
                return Treffer(self._form[rest], hinweis=f"'{text}' als '{self._form[rest]}' gelesen")
        nahe = difflib.get_close_matches(f, list(self._form), n=3, cutoff=0.6)
        vorschlaege = tuple(dict.fromkeys(self._form[n] for n in nahe))
        return Treffer(None, vorschlaege)


def meinten_sie(treffer: Treffer, *, alle: list[str], zeigen: int = 20) -> str:
    """Deutscher Nachsatz: Vorschläge oder die erlaubten Werte."""
    if treffer.vorschlaege:
        return "Meinten Sie " + " oder ".join(f"'{v}'" for v in treffer.vorschlaege) + "?"
    liste = ", ".join(alle[:zeigen]) + (" …" if len(alle) > zeigen else "")
    return f"Erlaubt: {liste}."
