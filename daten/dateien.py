"""Dateien atomar schreiben: erst eine temporäre Datei im selben Ordner, dann `os.replace`.

Eine Stelle für alle Ausgaben (Exporte, Karten, Bilder, Schriftstücke, Sicherungen): bei Fehler oder
Strg-C bleibt die alte Datei unverändert und keine halbe Datei zurück.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from daten.fehler import EingabeFehler


def pruefe_ziel(pfad: Path) -> Path:
    """Ziel ist kein Ordner und sein Ordner existiert; sonst eine deutsche Meldung."""
    pfad = Path(pfad)
    if pfad.is_dir():
        raise EingabeFehler(f"{pfad} ist ein Ordner. Bitte einen Dateinamen angeben.")
    if not pfad.parent.is_dir():
        raise EingabeFehler(f"Ordner {pfad.parent} existiert nicht. Bitte zuerst anlegen oder anderen Pfad wählen.")
    return pfad


@contextmanager
def atomar(pfad: Path) -> Iterator[Path]:
    """Liefert einen temporären Pfad neben `pfad` (gleiche Endung); erst wenn der Block ohne Fehler endet,
    ersetzt die fertige Datei `pfad` (mit den Rechten der alten Datei). Bei Fehler oder Strg-C bleibt die
    alte Datei unverändert und keine halbe Datei zurück (auch keine SQLite-Nebendateien eines GeoPackage)."""
    pfad = pruefe_ziel(pfad)
    tmp = pfad.with_name(f".{pfad.stem}.{uuid.uuid4().hex[:8]}.tmp{pfad.suffix}")
    try:  # vorab: darf hier überhaupt geschrieben werden? (GDAL u. a. melden das sonst unverständlich)
        tmp.touch(exist_ok=False)
        tmp.unlink()
    except OSError:
        raise EingabeFehler(f"Keine Berechtigung für {pfad}: im Ordner {pfad.parent} kann nicht geschrieben "
                            "werden. Bitte Dateirechte prüfen oder einen anderen Pfad angeben.") from None
    try:
        yield tmp
        if pfad.exists():
            shutil.copymode(pfad, tmp)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, pfad)
    except PermissionError:
        raise EingabeFehler(f"Keine Berechtigung für {pfad}. Bitte Dateirechte prüfen oder einen anderen Pfad "
                            "angeben.") from None
    finally:
        for rest in (tmp, *(tmp.with_name(tmp.name + z) for z in ("-journal", "-wal", "-shm"))):
            rest.unlink(missing_ok=True)


def schreibe_atomar(pfad: Path, inhalt: bytes | str | Callable[[Path], None]) -> Path:
    """Schreibt Bytes, Text (UTF-8) oder über `inhalt(tmp)` atomar nach `pfad`."""
    with atomar(pfad) as tmp:
        if callable(inhalt):
            inhalt(tmp)
        elif isinstance(inhalt, str):
            tmp.write_text(inhalt, encoding="utf-8", errors="replace")
        else:
            tmp.write_bytes(inhalt)
    return Path(pfad)


def _umask() -> int:
    alt = os.umask(0)
    os.umask(alt)
    return alt
