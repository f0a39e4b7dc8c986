"""Befehle `backup` und `restore`: die ganze Datenbank als backendneutrales Zip sichern und wiederherstellen."""

from __future__ import annotations

import argparse
from pathlib import Path

from befehle.basis import Balken, kontext


def registriere(unter: argparse._SubParsersAction) -> None:
    b = unter.add_parser("backup", help="alles (mit Änderungsprotokoll und Konten) in eine Zip-Datei sichern")
    b.add_argument("pfad", type=Path, help="Zieldatei (.zip wird ergänzt)")
    b.set_defaults(ausfuehren=_backup)
    r = unter.add_parser("restore", help="Sicherung in eine leere Datenbank wiederherstellen")
    r.add_argument("pfad", type=Path, help="Sicherungsdatei (.zip)")
    r.add_argument("--ersetzen", action="store_true",
                   help="eine nicht leere Datenbank vollständig durch die Sicherung ersetzen")
    r.set_defaults(ausfuehren=_restore)


def _backup(args: argparse.Namespace) -> str:
    from daten.sicherung import sichere

    k = kontext(args)
    balken = Balken()
    try:
        return sichere(k.engine, args.pfad, fortschritt=balken)
    finally:
        balken.ende()


def _restore(args: argparse.Namespace) -> str:
    from daten.sicherung import stelle_wieder_her

    k = kontext(args)
    balken = Balken()
    try:
        return stelle_wieder_her(k.engine, args.pfad, ersetzen=args.ersetzen, fortschritt=balken)
    finally:
        balken.ende()
