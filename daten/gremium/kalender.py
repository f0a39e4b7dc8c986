"""Kalender für Sitzungen und Hospitationen: Wochenende, gesetzliche Feiertage des Landes, Heiligabend/Silvester.

Feiertage kommen aus der gepflegten Bibliothek `holidays` (Unterteilung = Bundesland, z. B. „RP“ für
Rheinland-Pfalz, aus `gremium.bundesland` der Kommune-Konfiguration). Reine Funktionen ohne Datenbank.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

# Keine gesetzlichen Feiertage, aber im Amt üblicherweise frei bzw. ungeeignet für Sitzungen.
BESONDERE_TAGE = {(12, 24): "Heiligabend", (12, 31): "Silvester"}
WOCHENTAGE = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


@lru_cache(maxsize=64)
def _feiertage(bundesland: str, jahr: int) -> dict[date, str]:
    import holidays

    return dict(holidays.country_holidays("DE", subdiv=bundesland, years=jahr, language="de").items())


def feiertag(datum: date, bundesland: str) -> str | None:
    """Name des gesetzlichen Feiertags an `datum` im Bundesland (z. B. „Fronleichnam“), sonst None."""
    return _feiertage(bundesland, datum.year).get(datum)


def kalender_hinweise(datum: date, bundesland: str) -> list[str]:
    """Warum `datum` für eine Sitzung ungeeignet ist: Wochenende, Feiertag, Heiligabend/Silvester (leer = passt)."""
    hinweise = []
    if datum.weekday() >= 5:
        hinweise.append(f"Wochenende ({WOCHENTAGE[datum.weekday()]})")
    name = feiertag(datum, bundesland)
    if name:
        hinweise.append(f"Feiertag: {name}")
    besonders = BESONDERE_TAGE.get((datum.month, datum.day))
    if besonders:
        hinweise.append(besonders)
    return hinweise


def ist_arbeitstag(datum: date, bundesland: str) -> bool:
    """Montag bis Freitag, kein Feiertag, nicht Heiligabend oder Silvester."""
    return not kalender_hinweise(datum, bundesland)


def naechster_arbeitstag(datum: date, bundesland: str, *, wochentage: tuple[int, ...] = (0, 1, 2, 3, 4)) -> date:
    """Der erste Arbeitstag ab `datum` (einschließlich), dessen Wochentag in `wochentage` liegt (0 = Montag)."""
    tag = datum
    while tag.weekday() not in wochentage or not ist_arbeitstag(tag, bundesland):
        tag += timedelta(days=1)
    return tag
