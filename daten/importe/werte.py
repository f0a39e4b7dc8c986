"""Einzelwerte aus Quelldateien: Datum, Listen, Textlängen (passend zu den Spalten der Datenbank)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from daten.importe.bericht import Bericht

_DEUTSCH = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def datum(text: str, nr: int, feld: str, bericht: Bericht) -> date | None:
    """ISO (2025-08-01) oder deutsch (1.8.2025); sonst Fehler im Bericht und None."""
    t = text.strip()[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", text.strip()) else text.strip()
    try:
        d = _DEUTSCH.match(t)
        return date(int(d.group(3)), int(d.group(2)), int(d.group(1))) if d else date.fromisoformat(t)
    except ValueError:
        bericht.fehler(nr, feld, f"'{text[:40]}' ist kein Datum.", "Als TT.MM.JJJJ oder JJJJ-MM-TT eintragen.")
        return None


def liste(text: str) -> list[str]:
    """„Kinder; Familien“ oder „Kinder, Familien“ → ["Kinder", "Familien"] (Semikolon hat Vorrang)."""
    trenner = ";" if ";" in text else ","
    return [t.strip() for t in text.split(trenner) if t.strip()]


def pruefe_laenge(d: dict[str, Any], feld: str, hoechstens: int, nr: int, bericht: Bericht) -> None:
    """Zu lange Texte passen nicht in die Datenbankspalte: Fehler statt Abschneiden."""
    wert = d.get(feld)
    if isinstance(wert, str) and len(wert) > hoechstens:
        bericht.fehler(nr, feld, f"Text mit {len(wert)} Zeichen ist zu lang (höchstens {hoechstens}).",
                       "Wert kürzen.")
