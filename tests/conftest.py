"""Gemeinsame Fixtures: Backends (SQLite immer, PostGIS echt), Kommune, Demo-Datenbank.

PostGIS: RESSOURCENKARTE_TEST_PG_URL (Standard postgresql+psycopg://postgres@127.0.0.1:5432/test).
Je Testlauf wird eine eigene Datenbank angelegt und am Ende gelöscht. Ist der Server nicht
erreichbar, werden PostGIS-Tests übersprungen – außer mit CI=true: dann schlagen sie fehl.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from daten.berichtsdaten import lade_berichtsdaten
from daten.config import lade_kommune
from daten.db import erstelle_engine
from daten.laden import initialisiere
from daten.politik import SYSTEM

# Fixtures der Dienst-Tests (kleine Rechteck-Stadt auf beiden Backends), überall nutzbar
pytest_plugins = ["tests.daten.dienste_hilfen"]

WURZEL = Path(__file__).resolve().parents[1]
# ../shared/realdata neben dem Projekt; in einem Git-Worktree anderswo per Umgebungsvariable
REALDATA = Path(os.environ.get("RESSOURCENKARTE_TEST_REALDATA", WURZEL.parent / "shared" / "realdata"))
PG_URL = os.environ.get("RESSOURCENKARTE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"


def realdata(name: str) -> Path:
    """Pfad einer Datei aus ../shared/realdata; fehlt sie: skip (mit CI=true: Fehler)."""
    pfad = REALDATA / name
    if not pfad.exists():
        if IN_CI:
            pytest.fail(f"{pfad} fehlt, mit CI=true müssen Realdaten-Tests laufen")
        pytest.skip(f"{pfad} nicht vorhanden")
    return pfad


@pytest.fixture(scope="session")
def kommune():
    return lade_kommune()


def postgis_datenbank() -> str:
    """Legt eine frische Datenbank mit PostGIS an und gibt ihre URL zurück."""
    basis = make_url(PG_URL)
    name = f"rk_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(basis, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        if IN_CI:
            pytest.fail(f"PostGIS unter {PG_URL} nicht erreichbar (CI=true): {exc}")
        pytest.skip(f"PostGIS unter {PG_URL} nicht erreichbar")
    finally:
        admin.dispose()
    url = basis.set(database=name)
    e = create_engine(url)
    with e.begin() as c:
        c.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    e.dispose()
    return url.render_as_string(hide_password=False)


def loesche_postgis(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgis", marks=pytest.mark.postgis)])
def leere_db(request, tmp_path):
    """Eine leere Datenbank-URL je Backend (frisch für jeden Test)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rk.db'}"
        return
    url = postgis_datenbank()
    yield url
    loesche_postgis(url)


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgis", marks=pytest.mark.postgis)])
def demo_engine(request, tmp_path_factory, kommune):
    """Engine mit geladenen Demo-Daten, je Backend einmal pro Testlauf (nur lesend benutzen)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'rk.db'}"
    else:
        url = postgis_datenbank()
    engine = erstelle_engine(url)
    initialisiere(engine, kommune, demo=True)
    yield engine
    engine.dispose()
    if request.param == "postgis":
        loesche_postgis(url)


@pytest.fixture(scope="session")
def demo_sqlite_url(tmp_path_factory, kommune):
    """SQLite-Datei mit Demo-Daten (für CLI-, Seiten- und Browser-Tests)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo_sqlite') / 'rk.db'}"
    engine = erstelle_engine(url)
    initialisiere(engine, kommune, demo=True)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def berichtsdaten(demo_sqlite_url, kommune):
    """Frames der Demo-Datenbank, wie Seite und Kommandozeile sie lesen (Analysen und Berichte)."""
    engine = erstelle_engine(demo_sqlite_url)
    daten = lade_berichtsdaten(engine, kommune, akteur=SYSTEM)
    engine.dispose()
    return daten
