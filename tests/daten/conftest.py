"""Fixtures der Daten-Tests: die erzeugten Demo-Daten (ohne Datenbank), einmal je Modul.

Module mit eigener Fixture gleichen Namens (etwa eine geladene Demo-Datenbank) überdecken diese.
"""

from __future__ import annotations

import pytest

from daten.demo import erzeuge_demo
from daten.geometrie import nach_metrisch


@pytest.fixture(scope="module")
def demo(kommune):
    return erzeuge_demo(kommune)


@pytest.fixture(scope="module")
def polygone_m(demo, kommune):
    """Stadtteil-Polygone im metrischen KBS der Kommune (Mainz: EPSG:25832)."""
    return {st["name"]: nach_metrisch(st["geometry"], crs_metrisch=kommune.crs_metrisch) for st in demo.stadtteile}


@pytest.fixture(scope="module")
def einrichtung(demo):
    return {e["schluessel"]: e for e in demo.einrichtungen}
