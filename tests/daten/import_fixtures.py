"""Fixtures der Import-, HSDS- und Sicherungstests (als pytest-Plugin eingebunden): beschreibbare Demo-Datenbanken.

Eine Demo-Datenbank je Backend wird einmal je Testlauf angelegt und für jeden Test kopiert
(SQLite: Backup-API; PostGIS: CREATE DATABASE … TEMPLATE) – so bleibt jeder Test unabhängig und schnell.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from daten.db import erstelle_engine
from daten.laden import initialisiere
from tests.conftest import PG_URL, loesche_postgis, postgis_datenbank
from tests.daten.import_hilfen import kopiere_sqlite


@pytest.fixture(scope="session")
def pg_vorlage(kommune):
    """PostGIS-Datenbank mit Demo-Daten als Vorlage (nur zum Kopieren)."""
    url = postgis_datenbank()
    e = erstelle_engine(url)
    initialisiere(e, kommune, demo=True)
    e.dispose()
    yield url
    loesche_postgis(url)


def _pg_kopie(vorlage: str) -> str:
    name = f"rk_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(vorlage).database}"'))
    admin.dispose()
    return make_url(vorlage).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgis", marks=pytest.mark.postgis)])
def demo_db(request, tmp_path, demo_sqlite_url):
    """Beschreibbare Demo-Datenbank (Engine) je Backend, frisch für jeden Test."""
    if request.param == "sqlite":
        engine = erstelle_engine(kopiere_sqlite(demo_sqlite_url, tmp_path / "demo.db"))
        yield engine
        engine.dispose()
        return
    url = _pg_kopie(request.getfixturevalue("pg_vorlage"))
    engine = erstelle_engine(url)
    yield engine
    engine.dispose()
    loesche_postgis(url)


@pytest.fixture
def demo_sqlite(tmp_path, demo_sqlite_url):
    """Beschreibbare Demo-SQLite (Engine), für Tests, die nur die Importlogik prüfen."""
    engine = erstelle_engine(kopiere_sqlite(demo_sqlite_url, tmp_path / "demo.db"))
    yield engine
    engine.dispose()
