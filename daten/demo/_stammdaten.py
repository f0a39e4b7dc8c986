"""Liest die Demo-Datendateien (`stadtteile.yaml`, `texte.yaml`) neben diesem Modul."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from daten.fehler import KonfigurationsFehler

ORDNER = Path(__file__).parent


@lru_cache(maxsize=4)
def lade(name: str) -> dict[str, Any]:
    """Eine Demo-Datendatei als Zuordnung (nur lesen, nicht verändern: das Ergebnis ist gecacht)."""
    pfad = ORDNER / name
    try:
        return yaml.safe_load(pfad.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KonfigurationsFehler(f"Demo-Datei {pfad} ist nicht lesbar: {exc}") from None


def stadtteil_daten(name: str) -> dict[str, Any]:
    """Die Demo-Stammdaten eines Stadtteils; fehlt er, eine deutsche Meldung mit Abhilfe."""
    eintrag = lade("stadtteile.yaml")["stadtteile"].get(name)
    if eintrag is None:
        raise KonfigurationsFehler(
            f"Für den Stadtteil »{name}« gibt es keine Demo-Stammdaten (Stützpunkte, PLZ, Profil). "
            f"Bitte in {ORDNER / 'stadtteile.yaml'} ergänzen oder ohne Demo-Daten starten."
        )
    return eintrag


def texte() -> dict[str, Any]:
    return lade("texte.yaml")
