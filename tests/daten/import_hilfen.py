"""Gemeinsames der Import-, HSDS- und Sicherungstests: beschreibbare Demo-Datenbanken je Backend, Zählhilfen.

Eine Demo-Datenbank je Backend wird einmal je Testlauf angelegt und für jeden Test kopiert
(SQLite: Backup-API; PostGIS: CREATE DATABASE … TEMPLATE) – so bleibt jeder Test unabhängig und schnell.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import geopandas as gpd
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from daten import modelle as m
from daten.db import erstelle_engine, sitzung
from daten.importe import Quelle, importiere
from daten.laden import initialisiere
from daten.rechte import SYSTEM, Akteur
from tests.conftest import PG_URL, _loesche_postgis, _postgis_datenbank, realdata

ADMIN = Akteur(login="admin-test", rolle="admin")
JHP = Akteur(login="jhp-test", rolle="jugendhilfeplanung")


def _kopiere_sqlite(quelle_url: str, ziel: Path) -> str:
    with sqlite3.connect(make_url(quelle_url).database) as q, sqlite3.connect(ziel) as z:
        q.backup(z)
    return f"sqlite:///{ziel}"


@pytest.fixture(scope="session")
def pg_vorlage(kommune):
    """PostGIS-Datenbank mit Demo-Daten als Vorlage (nur zum Kopieren)."""
    url = _postgis_datenbank()
    e = erstelle_engine(url)
    initialisiere(e, kommune, demo=True)
    e.dispose()
    yield url
    _loesche_postgis(url)


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
        engine = erstelle_engine(_kopiere_sqlite(demo_sqlite_url, tmp_path / "demo.db"))
        yield engine
        engine.dispose()
        return
    url = _pg_kopie(request.getfixturevalue("pg_vorlage"))
    engine = erstelle_engine(url)
    yield engine
    engine.dispose()
    _loesche_postgis(url)


@pytest.fixture
def demo_sqlite(tmp_path, demo_sqlite_url):
    """Beschreibbare Demo-SQLite (Engine), für Tests, die nur die Importlogik prüfen."""
    engine = erstelle_engine(_kopiere_sqlite(demo_sqlite_url, tmp_path / "demo.db"))
    yield engine
    engine.dispose()


def zaehle(engine, modell) -> int:
    with sitzung(engine, akteur=None) as s:
        return s.scalar(select(func.count()).select_from(modell))


def stand(engine) -> dict[str, int]:
    """Zeilenzahl je Tabelle und letzte Änderung: ändert sich nichts, ist nichts geschrieben."""
    with engine.connect() as c:
        return {t.name: c.execute(select(func.count()).select_from(t)).scalar_one()
                for t in m.Basis.metadata.sorted_tables}


def setze_rohe_grenzen(engine) -> None:
    """Stadtteil-Grenzen direkt aus der benannten Realdatei, ungereinigt (mit Lücken und Überlappungen)."""
    roh = gpd.read_file(realdata("mainz_ortsbezirke_lageinfo_named.geojson"))
    with sitzung(engine, akteur=SYSTEM) as s:
        teile = {st.name: st for st in s.scalars(select(m.Stadtteil))}
        for name, geo in zip(roh["ortsbezirk"], roh.geometry, strict=True):
            teile[name].geometrie = geo


def importiere_datei(engine, kommune, art: str, pfad, *, akteur=ADMIN, **kw):
    return importiere(engine, kommune, art, Quelle.aus_pfad(pfad), akteur=akteur, **kw)
