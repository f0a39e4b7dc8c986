"""Gleichzeitige Bearbeitung: keine verlorene Änderung, jede Ablehnung ein Konflikt, nie „database is locked“.

Kleine Fassung von `bench/stress_konflikte.py` (dort 20 Threads × 50 auf PostGIS, Zahlen im README).
"""

import sqlite3
import threading

import pytest
from sqlalchemy import event

from bench import stress_konflikte as stress
from daten import dienste
from daten.db import erstelle_engine
from daten.dienste import einrichtungen as de
from daten.fehler import DatenbankFehler


def _pruefe(url, eid, erg):  # noqa: ANN001
    p = stress.pruefe(url, eid, erg)
    assert erg.erfolge >= 1
    assert set(erg.ablehnungen) <= {"KonfliktFehler"}, erg.beispiele
    assert p.verloren == 0 and p.fehlende_kennungen == 0
    assert p.protokollzeilen == erg.erfolge  # je gespeicherter Änderung genau eine Protokollzeile
    assert stress.ok(erg, p)


def test_threads_auf_beiden_backends(leere_db):
    eid = stress.vorbereiten(leere_db)
    erg = stress.laufe_threads(leere_db, eid, threads=6, edits=8)
    assert erg.versuche == 48
    _pruefe(leere_db, eid, erg)


def test_zwei_prozesse_auf_einer_sqlite_datei(tmp_path):
    url = f"sqlite:///{tmp_path / 'zwei.db'}"
    eid = stress.vorbereiten(url)
    erg = stress.laufe_prozesse(url, eid, prozesse=2, edits=40)
    assert erg.versuche == 80
    _pruefe(url, eid, erg)


def _kurze_wartezeit(engine) -> None:  # noqa: ANN001
    @event.listens_for(engine, "connect")
    def _kurz(dbapi_conn, _rec):  # noqa: ANN001, ANN202
        dbapi_conn.execute("PRAGMA busy_timeout=20")


def test_belegte_sqlite_datei_wird_wiederholt_und_sonst_deutsch_gemeldet(tmp_path, kommune):
    url = f"sqlite:///{tmp_path / 'belegt.db'}"
    eid = stress.vorbereiten(url)
    engine = erstelle_engine(url)
    _kurze_wartezeit(engine)
    sperre = sqlite3.connect(tmp_path / "belegt.db", isolation_level=None, check_same_thread=False)
    sperre.execute("BEGIN IMMEDIATE")  # ein anderer Prozess schreibt gerade (lange)
    with pytest.raises(DatenbankFehler, match="gerade gesperrt"):
        dienste.ausfuehren(engine, stress_admin(), de.aendere_einrichtung, einrichtung_id=eid, version=1,
                           kommune=kommune,
                           kapazitaet=5)
    # kurz belegt: der nächste Versuch gelingt, niemand sieht eine Fehlermeldung
    threading.Timer(0.15, sperre.rollback).start()
    danach = dienste.ausfuehren(engine, stress_admin(), de.aendere_einrichtung, einrichtung_id=eid, version=1,
                                kommune=kommune, kapazitaet=6)
    assert danach.kapazitaet == 6 and danach.version == 2
    sperre.close()
    engine.dispose()


def stress_admin():  # noqa: ANN201
    from daten.politik import Akteur

    return Akteur("test", "admin")
