"""Karte-Seite der Streamlit-App: kalter Lauf und Median warmer Neuläufe mit `streamlit.testing.v1.AppTest`."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path
from typing import Any

WURZEL = Path(__file__).resolve().parents[1]


def miss_karte_seite(db_url: str, wiederholungen: int = 7) -> dict[str, Any]:
    """Läuft im eigenen Prozess (Umgebung und Streamlit-Caches gehören nur dieser Messung)."""
    os.environ.update(RESSOURCENKARTE_DB_URL=db_url, RESSOURCENKARTE_BASEMAP="keine", RESSOURCENKARTE_DEMO="true")
    os.chdir(WURZEL)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(WURZEL / "streamlit_app.py"), default_timeout=120)
    t0 = time.perf_counter()
    at.run()
    kalt = time.perf_counter() - t0
    _pruefe(at)
    warm = []
    for _ in range(wiederholungen):
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
        _pruefe(at)
    return {"kalt_s": kalt, "warm_s": statistics.median(warm), "warm_alle_s": warm}


def _pruefe(at: Any) -> None:
    if at.exception:
        raise RuntimeError(f"Karte-Seite mit Fehler: {at.exception[0].message}")
    titel = [t.value for t in at.title]
    if "Ressourcenkarte" not in titel:
        raise RuntimeError(f"Karte-Seite nicht gerendert (Titel: {titel})")

