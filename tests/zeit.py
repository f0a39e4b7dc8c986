"""Stichtage für Tests, die vom Datum abhängen: heute und feste Tage des laufenden Jahres.

Ein Test, der „heute“ benutzt (oder Demo-Daten, deren Jahre dem Tag folgen), soll an jedem Tag des Jahres gelten.
Darum läuft er, wo der Code einen Stichtag annimmt, zusätzlich an den Tagen, an denen sich erfahrungsgemäß etwas
dreht: Jahresanfang (noch nichts im neuen Jahr), Jahresmitte (Halbjahreswechsel), Anfang Dezember (die nächste
Sitzung liegt im nächsten Jahr) und Silvester. Jahre in Erwartungen werden aus dem Stichtag abgeleitet, nie
fest geschrieben.
"""

from __future__ import annotations

from datetime import date


def stichtage_im_jahr(jahr: int | None = None) -> list[date]:
    """1. Januar, 30. Juni, 3. Dezember und 31. Dezember des Jahres (Standard: laufendes Jahr)."""
    j = jahr or date.today().year
    return [date(j, 1, 1), date(j, 6, 30), date(j, 12, 3), date(j, 12, 31)]


def stichtage() -> list[date]:
    """Heute und die festen Stichtage des laufenden Jahres."""
    return [date.today(), *stichtage_im_jahr()]


STICHTAG_IDS = ["heute", "1.1.", "30.6.", "3.12.", "31.12."]
