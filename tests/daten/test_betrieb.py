"""Betrieb: `gesundheit` (Exit 0/1, deutsche Zeile, kein Traceback) und die Datenbankrollen `rk_app`/`rk_lesen`,
geprüft von der Datenbank selbst (SET ROLE), nicht von der Anwendung."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from befehle import main
from daten import politik
from daten.betrieb import APP, LESEN, richte_rollen_ein
from daten.db import erstelle_engine, migriere
from daten.fehler import EingabeFehler
from daten.laden import initialisiere
from tests.conftest import loesche_postgis, postgis_datenbank


def test_gesundheit_gesund_und_schema_veraltet(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'rk.db'}"
    assert main(["--db", url, "init"]) == 0
    capsys.readouterr()
    assert main(["--db", url, "gesundheit"]) == 0
    aus = capsys.readouterr().out
    assert "OK     Datenbank" in aus and "Schema aktuell" in aus and "OK     Konfiguration" in aus
    migriere(erstelle_engine(url), "0006_schutz", zurueck=True)  # eine Version zurück: nicht mehr aktuell
    assert main(["--db", url, "gesundheit"]) == 1
    fehler = capsys.readouterr().err
    assert fehler.count("\n") == 1 and "Schema auf Stand 0006_schutz" in fehler and "ressourcenkarte init" in fehler


def test_gesundheit_ohne_datenbank(tmp_path, capsys):
    ziel = tmp_path / "fehlt.db"
    assert main(["--db", f"sqlite:///{ziel}", "gesundheit"]) == 1
    assert "SQLite-Datei" in capsys.readouterr().err and not ziel.exists()  # legt keine leere Datei an
    assert main(["--db", "postgresql+psycopg://postgres@127.0.0.1:1/nirgends", "gesundheit"]) == 1
    fehler = capsys.readouterr().err
    assert "Datenbank: nicht erreichbar" in fehler and "Traceback" not in fehler


def test_rollen_nur_auf_postgresql(tmp_path):
    with pytest.raises(EingabeFehler, match="nur auf PostgreSQL"):
        richte_rollen_ein(erstelle_engine(f"sqlite:///{tmp_path / 'x.db'}"))


@pytest.fixture(scope="module")
def pg_mit_rollen(kommune):
    url = postgis_datenbank()
    engine = erstelle_engine(url)
    initialisiere(engine, kommune, demo=True)
    richte_rollen_ein(engine)
    richte_rollen_ein(engine)  # idempotent
    roh = create_engine(url)
    yield roh
    roh.dispose()
    engine.dispose()
    loesche_postgis(url)


def _als(engine, rolle: str, sql: str):  # noqa: ANN001, ANN202
    with engine.connect() as c:
        c.execute(text(f"SET ROLE {rolle}"))
        try:
            return c.execute(text(sql)).all()
        finally:
            c.rollback()


@pytest.mark.postgis
@pytest.mark.parametrize("sql", ["DELETE FROM aenderung", "UPDATE aenderung SET id = id", "TRUNCATE aenderung",
                                 "CREATE TABLE rk_probe (i int)", "ALTER TABLE einrichtung ADD COLUMN p int",
                                 "DROP TABLE einrichtung", "DELETE FROM rk_recht"])
def test_rk_app_darf_weder_protokoll_aendern_noch_schema(pg_mit_rollen, sql):
    with pytest.raises(DBAPIError):
        _als(pg_mit_rollen, APP, sql)


@pytest.mark.postgis
def test_rk_app_liest_und_fuegt_protokoll_an_unter_zeilenrichtlinien(pg_mit_rollen):
    assert _als(pg_mit_rollen, APP, "SELECT count(*) FROM einrichtung")[0][0] > 0
    # nicht Eigentümerin: die Zeilenrichtlinien gelten; ohne gesetzte Person (rk.login) darf sie nichts ändern
    assert _als(pg_mit_rollen, APP, "UPDATE einrichtung SET name = name RETURNING id") == []


@pytest.mark.postgis
def test_rk_lesen_nur_oeffentliche_sichten(pg_mit_rollen):
    assert _als(pg_mit_rollen, LESEN, "SELECT count(name) FROM oeffentlich_einrichtungen")[0][0] > 0
    verboten = ["SELECT count(*) FROM einrichtung", "SELECT count(*) FROM benutzer",
                "SELECT count(*) FROM protokollpunkt", "SELECT count(*) FROM massnahme", "SELECT count(*) FROM budget",
                "SELECT count(*) FROM sitzung", "SELECT count(*) FROM hospitation",
                "SELECT count(*) FROM anmeldesperre", "SELECT count(*) FROM aenderung",
                "SELECT count(*) FROM offene_kennzahl", "SELECT teamleitung FROM sozialraum",
                "SELECT kapazitaet FROM einrichtung", "SELECT bestaetigt_von FROM einrichtung",
                "UPDATE einrichtung SET name = name", "DELETE FROM netzwerk_mitglied",
                "DELETE FROM oeffentlich_netzwerke", "CREATE TABLE rk_probe (i int)"]
    for sql in verboten:
        with pytest.raises(DBAPIError):
            _als(pg_mit_rollen, LESEN, sql)
    for sicht, spalten in politik.OEFFENTLICH.items():  # jede erklärte öffentliche Spalte ist lesbar
        _als(pg_mit_rollen, LESEN, f"SELECT {', '.join(spalten)} FROM {sicht} LIMIT 1")
