"""Migration 0004_pflege auf beiden Backends: Spalten kommen dazu, bestehende Daten bleiben (auch die
Netzwerk-Mitgliedschaften), das Bestätigungsdatum wird aus dem Änderungsprotokoll nachgetragen; zurück geht auch."""

from datetime import date

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

from daten.db import MIGRATIONEN, erstelle_engine, migriere

VORHER = "0004_pflege-1"  # der Stand direkt vor dieser Migration (auch nach Umhängen der Kette)


def _alembic(engine, befehl: str, ziel: str) -> None:  # noqa: ANN001
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONEN))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, befehl)(cfg, ziel)


def _spalten(engine, tabelle: str) -> set[str]:  # noqa: ANN001
    return {c["name"] for c in inspect(engine).get_columns(tabelle)}


def test_hoch_und_runter_mit_daten(leere_db):
    engine = erstelle_engine(leere_db)
    _alembic(engine, "upgrade", VORHER)
    with engine.begin() as c:
        c.execute(text("INSERT INTO kommune (id, name, demo_geladen) VALUES (1, 'K', false)"))
        c.execute(text("INSERT INTO sozialraum (id, kommune_id, name, reihenfolge, stufe, version) "
                       "VALUES (1, 1, 'S', 0, 1, 1)"))
        c.execute(text("INSERT INTO stadtteil (id, sozialraum_id, name, version) VALUES (1, 1, 'T', 1)"))
        for i in (1, 2):
            c.execute(text("INSERT INTO einrichtung (id, schluessel, name, art, traeger_art, zielgruppen, angebote, "
                           "aktiv, stadtteil_id, geometrie, version) VALUES (:i, :s, 'E', 'kita', 'frei', '[]', '[]', "
                           "true, 1, :g, 1)"),
                      {"i": i, "s": f"e{i}", "g": _punkt(engine)})
        c.execute(text("INSERT INTO netzwerk (id, schluessel, name, status, sozialraum_id, version) "
                       "VALUES (1, 'n1', 'N', 'besteht', 1, 1)"))
        c.execute(text("INSERT INTO netzwerk_mitglied (netzwerk_id, einrichtung_id) VALUES (1, 1), (1, 2)"))
        c.execute(text("INSERT INTO aenderung (zeitpunkt, benutzer, tabelle, datensatz_id, aktion) "
                       "VALUES ('2024-05-06 10:00:00', 'x', 'einrichtung', 1, 'aendern')"))
    migriere(engine)
    assert {"bestaetigt_am", "bestaetigt_von", "schliessgrund"} <= _spalten(engine, "einrichtung")
    assert {"koordination_id", "bestaetigt_am", "bestaetigt_von"} <= _spalten(engine, "netzwerk")
    with engine.connect() as c:
        bestaetigt = dict(c.execute(text("SELECT id, bestaetigt_am FROM einrichtung")).all())
        mitglieder = c.execute(text("SELECT count(*) FROM netzwerk_mitglied")).scalar()
    assert str(bestaetigt[1])[:10] == "2024-05-06"  # letzte Änderung laut Protokoll
    assert str(bestaetigt[2])[:10] == date.today().isoformat()  # ohne Protokoll: heute
    assert mitglieder == 2
    migriere(engine, VORHER, zurueck=True)
    assert "koordination_id" not in _spalten(engine, "netzwerk")
    assert "bestaetigt_am" not in _spalten(engine, "einrichtung")
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM netzwerk_mitglied")).scalar() == 2
        assert c.execute(text("SELECT count(*) FROM einrichtung")).scalar() == 2
    engine.dispose()


def _punkt(engine):  # noqa: ANN001, ANN202
    import shapely

    p = shapely.Point(8.25, 50.0)
    if engine.dialect.name == "postgresql":
        return f"SRID=4326;{p.wkt}"
    return shapely.to_wkb(p)
