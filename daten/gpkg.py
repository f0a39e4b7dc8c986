"""GeoPackage für das GIS der Stadt: Ebenen in einem gewählten Bezugssystem, dazu was QGIS und GDAL lesen –
deutsche Feldaliase (`gpkg_data_columns`, Erweiterung `gpkg_schema`), Beschreibung je Ebene
(`gpkg_contents.description`), Metadaten mit Quelle, Stand und Nutzungsbedingungen (`gpkg_metadata`, je Ebene
über `gpkg_metadata_reference`) und QGIS-Stile in der Tabelle `layer_styles` (Aufbau wie QGIS sie anlegt; der
Stil mit `useAsDefault` gilt beim Öffnen der Ebene).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import geopandas as gpd

GPKG_VERSION = "1.2"  # GDAL 3.6 (QGIS 3.28 LTR) warnt bei 1.4 und kennt deren R-Baum-Trigger nicht
QGIS_METADATEN = "http://mrcc.com/qgis.dtd"  # Kennung, unter der QGIS Ebenen-Metadaten im GeoPackage sucht
_SCHEMA = "http://www.geopackage.org/spec121/#extension_schema"
_METADATEN = "http://www.geopackage.org/spec120/#extension_metadata"  # wie GDAL


@dataclass(frozen=True)
class QgisStil:
    """Ein QGIS-Stil (QML, optional SLD) für eine Ebene."""

    name: str
    qml: str
    sld: str = ""
    beschreibung: str = ""


@dataclass(frozen=True)
class GpkgEbene:
    """Eine Ebene: Name (Tabellenname), Titel und Beschreibung, Feldaliase (Feld → deutscher Name),
    Erklärungen je Feld, Quellen und ggf. QGIS-Stil. `gdf` in beliebigem Bezugssystem (wird umprojiziert)."""

    name: str
    gdf: gpd.GeoDataFrame
    titel: str
    beschreibung: str
    aliase: Mapping[str, str] = field(default_factory=dict)
    erklaerungen: Mapping[str, str] = field(default_factory=dict)
    quellen: Sequence[str] = ()
    stil: QgisStil | None = None


@dataclass(frozen=True)
class Metadaten:
    """Angaben für alle Ebenen: Herausgeber, Nutzungsbedingungen, Stand."""

    herausgeber: str
    lizenz: str
    stand: datetime = field(default_factory=lambda: datetime.now(UTC))


def schreibe_gpkg(pfad: Path, ebenen: Sequence[GpkgEbene], *, crs: int, metadaten: Metadaten) -> None:
    """Schreibt alle Ebenen in EPSG:`crs` nach `pfad` (neue Datei) und ergänzt Aliase, Metadaten und Stile."""
    for e in ebenen:
        # Metadaten auch für GDAL (legt dabei gpkg_metadata nach eigener Definition an); QGIS liest die unten
        gdal = {"HERAUSGEBER": metadaten.herausgeber, "LIZENZ": metadaten.lizenz,
                "STAND": f"{metadaten.stand.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"}
        e.gdf.to_crs(epsg=crs).to_file(
            pfad, layer=e.name, driver="GPKG", engine="pyogrio", use_arrow=True, VERSION=GPKG_VERSION,
            layer_options={"DESCRIPTION": e.beschreibung, "IDENTIFIER": e.titel}, layer_metadata=gdal)
    with closing(sqlite3.connect(pfad)) as db, db:
        _aliase(db, ebenen)
        _metadaten(db, ebenen, metadaten, crs)
        _stile(db, ebenen, metadaten)


def _erweiterung(db: sqlite3.Connection, tabelle: str, name: str, definition: str) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, "
               "extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, "
               "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))")
    # UNIQUE hält bei column_name NULL nicht (NULL ≠ NULL): erst nachsehen, ob GDAL die Zeile schon schrieb
    if db.execute("SELECT 1 FROM gpkg_extensions WHERE table_name = ? AND column_name IS NULL AND "
                  "extension_name = ?", (tabelle, name)).fetchone() is None:
        db.execute("INSERT INTO gpkg_extensions VALUES (?, NULL, ?, ?, 'read-write')", (tabelle, name, definition))


def _aliase(db: sqlite3.Connection, ebenen: Sequence[GpkgEbene]) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, "
               "name TEXT, title TEXT, description TEXT, mime_type TEXT, constraint_name TEXT, "
               "CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), CONSTRAINT gdc_tn UNIQUE (table_name, name))")
    db.execute("CREATE TABLE IF NOT EXISTS gpkg_data_column_constraints (constraint_name TEXT NOT NULL, "
               "constraint_type TEXT NOT NULL, value TEXT, min NUMERIC, min_is_inclusive BOOLEAN, max NUMERIC, "
               "max_is_inclusive BOOLEAN, description TEXT, "
               "CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value))")
    _erweiterung(db, "gpkg_data_columns", "gpkg_schema", _SCHEMA)
    _erweiterung(db, "gpkg_data_column_constraints", "gpkg_schema", _SCHEMA)
    for e in ebenen:
        felder = {r[1] for r in db.execute(f'PRAGMA table_info("{e.name}")')}
        vergeben: set[str] = set()
        for feld, alias in e.aliase.items():
            if feld not in felder or alias in vergeben:
                continue
            vergeben.add(alias)
            db.execute("INSERT OR REPLACE INTO gpkg_data_columns (table_name, column_name, name, title, description) "
                       "VALUES (?, ?, ?, ?, ?)", (e.name, feld, alias, alias, e.erklaerungen.get(feld)))


def _qgis_metadaten(e: GpkgEbene, m: Metadaten, crs: int) -> str:
    quellen = "".join(f"<history>Quelle: {escape(q)}</history>" for q in e.quellen)
    return (f"<!DOCTYPE qgis PUBLIC '{QGIS_METADATEN}' 'SYSTEM'>\n<qgis version=\"3.28\">"
            f"<identifier>{escape(e.name)}</identifier><parentidentifier></parentidentifier><language>ger</language>"
            f"<type>dataset</type><title>{escape(e.titel)}</title><abstract>{escape(e.beschreibung)}</abstract>"
            f"<contact><name></name><organization>{escape(m.herausgeber)}</organization><position></position>"
            "<voice></voice><fax></fax><email></email><role>publisher</role></contact><links/>"
            f"{quellen}<history>Stand: {m.stand:%Y-%m-%d %H:%M} UTC</history><fees></fees>"
            f"<rights>{escape(m.lizenz)}</rights><license>{escape(m.lizenz)}</license><encoding></encoding>"
            f"<crs><spatialrefsys><authid>EPSG:{crs}</authid></spatialrefsys></crs>"
            f"<extent/><dates><date type=\"Published\" value=\"{m.stand:%Y-%m-%dT%H:%M:%S}\"/></dates></qgis>")


def _metadaten(db: sqlite3.Connection, ebenen: Sequence[GpkgEbene], m: Metadaten, crs: int) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS gpkg_metadata (id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL, "
               "md_scope TEXT NOT NULL DEFAULT 'dataset', md_standard_uri TEXT NOT NULL, "
               "mime_type TEXT NOT NULL DEFAULT 'text/xml', metadata TEXT NOT NULL DEFAULT '')")
    db.execute("CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (reference_scope TEXT NOT NULL, table_name TEXT, "
               "column_name TEXT, row_id_value INTEGER, "
               "timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), "
               "md_file_id INTEGER NOT NULL, md_parent_id INTEGER, "
               "CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id), "
               "CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id))")
    _erweiterung(db, "gpkg_metadata", "gpkg_metadata", _METADATEN)
    _erweiterung(db, "gpkg_metadata_reference", "gpkg_metadata", _METADATEN)
    zeit = m.stand.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    for e in ebenen:
        cur = db.execute("INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) "
                         "VALUES ('dataset', ?, 'text/xml', ?)", (QGIS_METADATEN, _qgis_metadaten(e, m, crs)))
        db.execute("INSERT INTO gpkg_metadata_reference (reference_scope, table_name, timestamp, md_file_id) "
                   "VALUES ('table', ?, ?, ?)", (e.name, zeit, cur.lastrowid))
        db.execute("UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (zeit, e.name))


def _stile(db: sqlite3.Connection, ebenen: Sequence[GpkgEbene], m: Metadaten) -> None:
    if not any(e.stil for e in ebenen):
        return
    # Aufbau wie QGIS ihn beim „Stil in Datenbank speichern“ anlegt
    db.execute('CREATE TABLE IF NOT EXISTS layer_styles ("id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
               '"f_table_catalog" TEXT(256), "f_table_schema" TEXT(256), "f_table_name" TEXT(256), '
               '"f_geometry_column" TEXT(256), "styleName" TEXT(30), "styleQML" TEXT, "styleSLD" TEXT, '
               '"useAsDefault" BOOLEAN, "description" TEXT, "owner" TEXT(30), "ui" TEXT(30), '
               '"update_time" DATETIME DEFAULT (strftime(\'%Y-%m-%dT%H:%M:%fZ\',\'now\')))')
    zeit = m.stand.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    db.execute("INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
               "VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS-Stile der Ebenen', ?)", (zeit,))
    spalten = dict(db.execute("SELECT table_name, column_name FROM gpkg_geometry_columns").fetchall())
    for e in ebenen:
        if e.stil is None:
            continue
        db.execute('INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, '
                   '"styleName", "styleQML", "styleSLD", "useAsDefault", description, owner, ui, update_time) '
                   "VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, ?, NULL, ?)",
                   (e.name, spalten.get(e.name, "geom"), e.stil.name, e.stil.qml, e.stil.sld,
                    e.stil.beschreibung or e.titel, m.herausgeber[:30], zeit))
