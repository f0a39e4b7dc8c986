"""Dienstschicht: die Regeln der Pflege an einer Stelle. Seiten, Kommandozeile und Importe rufen sie auf.

Jede Funktion heißt `verb_nomen(session, akteur, …)`, prüft die fachlichen Regeln mit deutscher Meldung
und schreibt über das ORM; Rechte und Änderungsprotokoll prüft/schreibt die Datenschicht beim Flush.
`ausfuehren` führt eine solche Funktion in einer eigenen Transaktion aus und wiederholt sie, wenn die
Datenbank kurz belegt ist (SQLite mit mehreren Prozessen, Deadlock auf PostgreSQL).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from daten.db import GESPERRT, sitzung
from daten.fehler import EingabeFehler, SperrFehler
from daten.politik import Akteur

T = TypeVar("T")
VERSUCHE = 6
WIDERSPRUCH = ("Nichts wurde gespeichert: der Eintrag widerspricht einer Regel der Datenbank (z. B. gibt es ihn schon, "
               "oder ein Verweis zeigt auf etwas, das es nicht mehr gibt). Bitte die Seite neu laden und die Angaben "
               "prüfen.")
_LOG = logging.getLogger(__name__)

_VORUEBERGEHEND = ("database is locked", "database table is locked", "deadlock detected",
                   "could not serialize access", "busy")


def voruebergehend(exc: BaseException) -> bool:
    """True bei Sperren, die sich von selbst lösen: SQLite „database is locked“, PostgreSQL-Deadlock."""
    text = str(getattr(exc, "orig", exc)).lower()
    return isinstance(exc, DBAPIError) and any(t in text for t in _VORUEBERGEHEND)


def ausfuehren(engine: Engine, akteur: Akteur | None, funktion: Callable[..., T], /, *,
               versuche: int = VERSUCHE, **kwargs: Any) -> T:
    """`funktion(session, akteur, **kwargs)` in einer Transaktion (Konvention `verb(session, akteur, *, …)`); bei
    vorübergehender Sperre neu versucht. Der eine Einstieg für jedes Schreiben von Seiten und Kommandozeile.

    Die Wiederholung ist sicher: eine abgebrochene Transaktion hat nichts geschrieben, und der Versionsvergleich
    läuft beim neuen Versuch wieder. Bleibt die Sperre, kommt ein DatenbankFehler mit deutschem Text – nie
    „database is locked“.
    """
    for versuch in range(versuche):
        try:
            with sitzung(engine, akteur=akteur) as s:
                return funktion(s, akteur, **kwargs)
        except IntegrityError as exc:
            _LOG.info("Regel der Datenbank verletzt: %s", str(exc.orig).splitlines()[0] if exc.orig else exc)
            raise EingabeFehler(WIDERSPRUCH) from None
        except (DBAPIError, SperrFehler) as exc:
            if not (isinstance(exc, SperrFehler) or voruebergehend(exc)):
                raise
            _LOG.info("Datenbank belegt (%s), Versuch %d von %d", type(exc).__name__, versuch + 1, versuche)
            if versuch == versuche - 1:
                raise SperrFehler(GESPERRT) from None
            time.sleep(min(2.0, 0.05 * 2**versuch) * (0.5 + random.random()))
    raise AssertionError("unerreichbar")  # pragma: no cover
