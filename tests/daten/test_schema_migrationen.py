"""Die Migrationen ergeben genau das Schema der Modelle (beide Backends): eine Spalte, Bedingung oder Tabelle,
die nur im Modell steht, fiele sonst erst auf dem Server einer Kommune auf."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from daten import modelle as m
from daten.db import erstelle_engine, migriere


def _bekannt(diff: object) -> bool:
    """SQLite meldet `ON DELETE` eines per ADD COLUMN angelegten Fremdschlüssels (0004) nicht zurück."""
    text = str(diff)
    return text.startswith(("('remove_fk'", "('add_fk'")) and "koordination_id" in text


# Tabellen der Datenbankregeln (daten.schutz: Rechtetabelle) und von PostGIS selbst stehen in keinem Modell
NICHT_IM_MODELL = {"rk_recht", "spatial_ref_sys"}


def _fremd(diff: object) -> bool:
    return isinstance(diff, tuple) and diff[0] == "remove_table" and diff[1].name in NICHT_IM_MODELL


def _geometrie_index(diff: object) -> bool:
    # GeoAlchemy2/PostGIS legt räumliche Indizes selbst an (idx_<tabelle>_geometrie); das Modell nennt sie nicht
    return isinstance(diff, tuple) and diff[0] in ("remove_index", "add_index") and "geometrie" in str(diff[1])


def test_migrationen_ergeben_das_schema_der_modelle(leere_db):
    engine = erstelle_engine(leere_db)
    migriere(engine)
    with engine.connect() as conn:
        unterschiede = compare_metadata(MigrationContext.configure(conn), m.Basis.metadata)
    engine.dispose()
    rest = [d for d in unterschiede if not (_bekannt(d) or _geometrie_index(d) or _fremd(d))]
    assert rest == []
