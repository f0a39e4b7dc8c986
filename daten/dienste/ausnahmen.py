"""Meldungen des Dienstes, auf die eine Seite mit einer Rückfrage antwortet (statt nur einer Fehlerzeile)."""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from daten.fehler import EingabeFehler, RessourcenkarteFehler


@dataclass(frozen=True)
class Dublette:
    """Ein bestehender Eintrag, der dem neuen wahrscheinlich entspricht."""

    id: int
    name: str
    art: str
    adresse: str | None
    abstand_m: float  # im metrischen KBS der Kommune gemessen


class DublettenWarnung(RessourcenkarteFehler):
    """Wahrscheinlich gibt es den Eintrag schon; erneut mit `trotz_dublette=True` aufrufen, um ihn doch anzulegen."""

    def __init__(self, meldung: str, dubletten: list[Dublette]) -> None:
        super().__init__(meldung)
        self.dubletten = dubletten


@dataclass(frozen=True)
class Deutung:
    """Eine mögliche Lesart eingegebener Koordinaten: Punkt in EPSG:4326 und was angenommen wurde."""

    punkt: shapely.Point
    beschreibung: str
    crs: str


class MehrdeutigeKoordinaten(EingabeFehler):
    """Die Zahlen passen zu mehreren Bezugssystemen; die Person muss eines wählen."""

    def __init__(self, meldung: str, deutungen: list[Deutung]) -> None:
        super().__init__(meldung)
        self.deutungen = deutungen
