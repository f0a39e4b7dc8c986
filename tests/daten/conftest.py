"""Fixtures der Daten-Tests: die erzeugten Demo-Daten (ohne Datenbank), einmal je Modul.

Module mit eigener Fixture gleichen Namens (etwa eine geladene Demo-Datenbank) überdecken diese.
"""

from __future__ import annotations

import pytest

from daten.demo import erzeuge_demo
from daten.demo.geometrie import nach_metrisch


@pytest.fixture(scope="module")
def demo(kommune):
    return erzeuge_demo(kommune)


@pytest.fixture(scope="module")
def polygone_m(demo):
    """Stadtteil-Polygone in EPSG:25832."""
    return {st["name"]: nach_metrisch(st["geometry"]) for st in demo.stadtteile}


@pytest.fixture(scope="module")
def einrichtung(demo):
    return {e["schluessel"]: e for e in demo.einrichtungen}
