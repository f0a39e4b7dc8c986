"""argparse auf Deutsch: Hilfetexte, Abschnittstitel und Fehlermeldungen.

argparse holt seine Texte über `gettext`; für die Dauer eines CLI-Aufrufs ersetzen wir diese
Funktion durch ein kleines Wörterbuch. Unbekannte Texte bleiben, wie sie sind.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

_TEXTE = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Argumente",
    "options": "Optionen",
    "optional arguments": "Optionen",
    "show this help message and exit": "diese Hilfe zeigen und beenden",
    "show program's version number and exit": "Version zeigen und beenden",
    "invalid choice: %(value)r (choose from %(choices)s)": "unbekannte Auswahl %(value)r (möglich: %(choices)s)",
    "invalid %(type)s value: %(value)r": "ungültiger Wert %(value)r (erwartet: %(type)s)",
    "the following arguments are required: %s": "es fehlt: %s",
    "unrecognized arguments: %s": "unbekannte Angaben: %s",
    "expected one argument": "erwartet einen Wert",
    "expected at most one argument": "erwartet höchstens einen Wert",
    "expected at least one argument": "erwartet mindestens einen Wert",
    "argument %(argument_name)s: %(message)s": "Angabe %(argument_name)s: %(message)s",
    "not allowed with argument %s": "nicht zusammen mit %s erlaubt",
    "ambiguous option: %(option)s could match %(matches)s": "mehrdeutige Angabe %(option)s (passt zu %(matches)s)",
    "one of the arguments %s is required": "eine dieser Angaben ist nötig: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "unbekannter Befehl %(parser_name)r (möglich: %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
}


def _uebersetze(text: str) -> str:
    return _TEXTE.get(text, text)


def _ngettext(einzahl: str, mehrzahl: str, n: int) -> str:
    return _uebersetze(einzahl if n == 1 else mehrzahl)


@contextmanager
def deutsch() -> Iterator[None]:
    """Solange aktiv, spricht argparse Deutsch (nur in diesem Prozess, danach wie vorher)."""
    alt = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _uebersetze, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = alt  # type: ignore[attr-defined]
