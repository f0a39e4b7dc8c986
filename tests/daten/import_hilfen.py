"""Hilfen der Import-, HSDS- und Sicherungstests (Fixtures: tests/daten/import_fixtures.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from daten import modelle as m
from daten.db import sitzung
from daten.importe import Quelle, importiere
from daten.politik import SYSTEM, Akteur
from tests.conftest import realdata

ADMIN = Akteur(login="admin-test", rolle="admin")
JHP = Akteur(login="jhp-test", rolle="jugendhilfeplanung")


def kopiere_sqlite(quelle_url: str, ziel: Path) -> str:
    with sqlite3.connect(make_url(quelle_url).database) as q, sqlite3.connect(ziel) as z:
        q.backup(z)
    return f"sqlite:///{ziel}"


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
