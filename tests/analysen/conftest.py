import pytest

from daten.berichtsdaten import lade_berichtsdaten
from daten.db import erstelle_engine
from daten.politik import SYSTEM


@pytest.fixture(scope="session")
def berichtsdaten(demo_sqlite_url, kommune):
    """Frames der Demo-Datenbank, wie Seite und Kommandozeile sie lesen."""
    engine = erstelle_engine(demo_sqlite_url)
    daten = lade_berichtsdaten(engine, kommune, akteur=SYSTEM)
    engine.dispose()
    return daten
