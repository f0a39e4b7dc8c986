"""Dateien atomar schreiben: erst eine temporäre Datei im selben Ordner, dann `os.replace`."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomar(pfad: Path) -> Iterator[Path]:
    """Liefert einen temporären Pfad neben `pfad` (gleiche Endung); erst wenn der Block ohne Fehler endet,
    ersetzt die fertige Datei `pfad`. Bei Fehler oder Strg-C bleibt die alte Datei unverändert und keine
    halbe Datei zurück (auch keine SQLite-Nebendateien eines GeoPackage)."""
    pfad = Path(pfad)
    tmp = pfad.with_name(f".{pfad.stem}.{uuid.uuid4().hex[:8]}.tmp{pfad.suffix}")
    try:
        yield tmp
        os.replace(tmp, pfad)
    finally:
        for rest in (tmp, *(tmp.with_name(tmp.name + z) for z in ("-journal", "-wal", "-shm"))):
            rest.unlink(missing_ok=True)
