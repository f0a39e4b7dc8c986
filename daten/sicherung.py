"""Sicherung und Wiederherstellung: alles (auch Änderungsprotokoll und Konten) in einem backendneutralen Zip.

Format (Formatversion 1), eine Zip-Datei mit
- `manifest.json`: format, formatversion, erstellt (ISO 8601), programmversion, schema_revision (Alembic,
  Liste), quelle (Backend), tabellen (in Einfügereihenfolge je name, zeilen, spalten mit Typ, sha256 der Datei);
- `tabellen/<name>.jsonl`: je Zeile ein JSON-Objekt Spalte → Wert, nach Primärschlüssel sortiert.
  Geometrien als WKB (hex, 2D, EPSG:4326), Datum `JJJJ-MM-TT`, Zeitpunkte ISO 8601 (PostgreSQL mit
  Zeitzone; SQLite speichert keine Zone, dann ohne), JSON-Spalten als JSON, Passwörter nur als Hash;
- `LIESMICH.txt`: diese Beschreibung in Kurzform.

Wiederherstellen: alles in einer Transaktion (auch auf SQLite mit transaktionalem DDL) – Schema auf die
Revision der Sicherung bringen, Zeilen über SQLAlchemy Core einfügen (in `systemsitzung`), auf PostgreSQL
die Sequenzen auf max(id) setzen, dann auf den neuesten Stand migrieren. Eine nicht leere Datenbank wird
nur mit `ersetzen=True` überschrieben (Tabellen werden geleert bzw. neu angelegt, nie zeilenweise gelöscht).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import shapely
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine

from daten import oeffentlich
from daten.db import erstelle_engine, pruefe_verbindung, systemsitzung
from daten.fehler import DatenbankFehler, EingabeFehler
from daten.geometrie import Geo
from daten.modelle import Basis

FORMAT = "ressourcenkarte-sicherung"
FORMATVERSION = 1
STAPEL = 1000
# rk_recht: aus daten.politik abgeleitet (PostgreSQL-Zeilenrichtlinien), `init` und Migration legen sie neu an
_NICHT_GESICHERT = {"alembic_version", "spatial_ref_sys", "rk_recht"}
Fortschritt = Callable[[float, str], None]

LIESMICH = """Sicherung der Sozialraum-Ressourcenkarte (Format {format}, Version {version})

manifest.json        Formatversion, Schema-Revision (Alembic), Tabellen mit Zeilenzahl, Spalten und SHA-256
tabellen/NAME.jsonl  je Zeile ein JSON-Objekt; Geometrien WKB hex (EPSG:4326), Datum/Zeit ISO 8601

Enthält Konten (Passwörter nur als Hash) und Protokolle mit personenbezogenen Daten: sicher aufbewahren.
Wiederherstellen: ressourcenkarte restore DATEI [--ersetzen]
"""


def _programmversion() -> str:
    try:
        return version("ressourcenkarte")
    except PackageNotFoundError:
        return "unbekannt"


def _typname(spalte: Column) -> str:
    t = spalte.type
    for klasse, name in ((Geo, "geometrie_wkb_hex"), (DateTime, "zeitpunkt"), (Date, "datum"), (Boolean, "bool"),
                         (Integer, "ganzzahl"), (Float, "zahl"), (JSON, "json"), (String, "text"), (Text, "text")):
        if isinstance(t, klasse):
            return name
    raise DatenbankFehler(f"Spalte {spalte.table.name}.{spalte.name}: Typ {t} kann nicht gesichert werden.")


def _nach_json(v: Any, typ: str) -> Any:
    if v is None:
        return None
    if typ == "geometrie_wkb_hex":
        return shapely.to_wkb(v, hex=True, output_dimension=2)
    if typ in ("zeitpunkt", "datum"):
        return v.isoformat()
    return v


def _aus_json(v: Any, typ: str, wo: str) -> Any:
    if v is None:
        return None
    try:
        if typ == "geometrie_wkb_hex":
            return shapely.from_wkb(bytes.fromhex(v))
        if typ == "zeitpunkt":
            return datetime.fromisoformat(v)
        if typ == "datum":
            return date.fromisoformat(v)
        if typ == "bool" and isinstance(v, bool):
            return v
        if typ == "ganzzahl" and isinstance(v, int) and not isinstance(v, bool):
            return v
        if typ == "zahl" and isinstance(v, int | float) and not isinstance(v, bool):
            return float(v)
        if typ == "text" and isinstance(v, str):
            return v
        if typ == "json":
            return v
    except (ValueError, TypeError, shapely.errors.ShapelyError):
        pass
    raise EingabeFehler(f"Sicherung beschädigt: {wo} hat keinen gültigen Wert vom Typ {typ}. Nichts wurde geändert.")


def _tabellen_der_db(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


def _revision(conn: Connection) -> list[str]:
    if "alembic_version" not in _tabellen_der_db(conn):
        return []
    return sorted(r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version")))


# --- Sichern ----------------------------------------------------------------------------------------

def _zeilen(conn: Connection, tabelle: Table, spalten: list[Column]) -> Iterator[dict[str, Any]]:
    typen = [(c.name, _typname(c)) for c in spalten]
    ordnung = list(tabelle.primary_key.columns) or spalten[:1]
    q = select(*spalten).order_by(*ordnung)
    for zeile in conn.execution_options(yield_per=STAPEL).execute(q):
        yield {name: _nach_json(v, typ) for (name, typ), v in zip(typen, zeile, strict=True)}


def sichere(engine: Engine, pfad: Path, *, fortschritt: Fortschritt | None = None) -> str:
    """Schreibt die ganze Datenbank nach `pfad` (.zip wird ergänzt); gibt eine deutsche Zusammenfassung zurück."""
    melde = fortschritt or (lambda _a, _t: None)
    pfad = pfad if pfad.suffix.lower() == ".zip" else pfad.with_name(pfad.name + ".zip")
    if not pfad.parent.exists():
        raise EingabeFehler(f"Ordner {pfad.parent} existiert nicht. Bitte zuerst anlegen.")
    pruefe_verbindung(engine)
    verbindung = engine.connect()
    if engine.dialect.name == "postgresql":  # ein fester Schnappschuss über alle Tabellen
        verbindung = verbindung.execution_options(isolation_level="REPEATABLE READ")
    with verbindung as conn, conn.begin():
        revision = _revision(conn)
        if not revision:
            raise DatenbankFehler("Die Datenbank hat noch kein Schema. Erst 'ressourcenkarte init' ausführen.")
        vorhanden = _tabellen_der_db(conn)
        unbekannt = sorted(vorhanden - _NICHT_GESICHERT - set(Basis.metadata.tables))
        if unbekannt:
            raise DatenbankFehler(f"Tabellen {', '.join(unbekannt)} kennt diese Programmversion nicht; die Sicherung "
                                  "wäre unvollständig. Bitte mit der passenden Programmversion sichern.")
        tabellen = [t for t in Basis.metadata.sorted_tables if t.name in vorhanden]
        manifest_tabellen = []
        fd, tmp = tempfile.mkstemp(prefix=".sicherung-", suffix=".zip", dir=pfad.parent)
        os.close(fd)
        try:
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                for i, t in enumerate(tabellen):
                    db_spalten = {c["name"] for c in inspect(conn).get_columns(t.name)}
                    spalten = [c for c in t.columns if c.name in db_spalten]
                    pruef, n = hashlib.sha256(), 0
                    with zf.open(f"tabellen/{t.name}.jsonl", "w") as f:
                        for z in _zeilen(conn, t, spalten):
                            zeile = (json.dumps(z, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
                            f.write(zeile)
                            pruef.update(zeile)
                            n += 1
                    manifest_tabellen.append({"name": t.name, "zeilen": n, "sha256": pruef.hexdigest(),
                                              "spalten": [{"name": c.name, "typ": _typname(c)} for c in spalten]})
                    melde((i + 1) / len(tabellen), f"{t.name}: {n} Zeilen")
                manifest = {"format": FORMAT, "formatversion": FORMATVERSION,
                            "erstellt": datetime.now().astimezone().isoformat(timespec="seconds"),
                            "programmversion": _programmversion(), "schema_revision": revision,
                            "quelle": {"backend": engine.dialect.name}, "tabellen": manifest_tabellen}
                zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
                zf.writestr("LIESMICH.txt", LIESMICH.format(format=FORMAT, version=FORMATVERSION))
            os.chmod(tmp, 0o600)  # Passwort-Hashes und Protokolle: nur für die sichernde Person lesbar
            os.replace(tmp, pfad)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    zeilen = sum(t["zeilen"] for t in manifest_tabellen)
    return (f"Sicherung {pfad} geschrieben: {len(manifest_tabellen)} Tabellen, {zeilen} Zeilen, Schema-Revision "
            f"{', '.join(revision)}. Sie enthält Passwort-Hashes und Protokolle – bitte geschützt aufbewahren.")


# --- Lesen und prüfen -------------------------------------------------------------------------------

def lies_manifest(zf: zipfile.ZipFile, name: str) -> dict[str, Any]:
    """Prüft Format, Version, Tabellen, Spalten und Prüfsummen, bevor irgendetwas geschrieben wird."""
    try:
        manifest = json.loads(zf.read("manifest.json").decode("utf-8"))
    except KeyError:
        raise EingabeFehler(f"{name} ist keine Sicherung der Ressourcenkarte (manifest.json fehlt).") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise EingabeFehler(f"{name}: manifest.json ist beschädigt.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise EingabeFehler(f"{name} ist keine Sicherung der Ressourcenkarte (Format unbekannt).")
    if manifest.get("formatversion") != FORMATVERSION:
        raise EingabeFehler(f"{name} hat Formatversion {manifest.get('formatversion')}; diese Programmversion liest "
                            f"nur Version {FORMATVERSION}. Bitte mit passender Programmversion wiederherstellen.")
    for t in manifest.get("tabellen", []):
        tab = Basis.metadata.tables.get(t.get("name"))
        if tab is None:
            raise EingabeFehler(f"{name}: Tabelle '{t.get('name')}' kennt diese Programmversion nicht.")
        for sp in t["spalten"]:
            if sp["name"] not in tab.c or _typname(tab.c[sp["name"]]) != sp["typ"]:
                raise EingabeFehler(f"{name}: Spalte {t['name']}.{sp['name']} ({sp['typ']}) passt nicht zum Schema.")
        try:
            daten = zf.read(f"tabellen/{t['name']}.jsonl")
        except KeyError:
            raise EingabeFehler(f"{name}: Datei tabellen/{t['name']}.jsonl fehlt.") from None
        if hashlib.sha256(daten).hexdigest() != t["sha256"] or daten.count(b"\n") != t["zeilen"]:
            raise EingabeFehler(f"{name}: tabellen/{t['name']}.jsonl ist beschädigt (Prüfsumme oder Zeilenzahl).")
    return manifest


def _lies_tabelle(zf: zipfile.ZipFile, t: dict[str, Any]) -> Iterator[dict[str, Any]]:
    typen = {sp["name"]: sp["typ"] for sp in t["spalten"]}
    with zf.open(f"tabellen/{t['name']}.jsonl") as roh:
        for nr, zeile in enumerate(io.TextIOWrapper(roh, encoding="utf-8"), start=1):
            try:
                obj = json.loads(zeile)
            except json.JSONDecodeError:
                raise EingabeFehler(f"Sicherung beschädigt: {t['name']}, Zeile {nr} ist kein JSON.") from None
            if not isinstance(obj, dict) or set(obj) != set(typen):
                raise EingabeFehler(f"Sicherung beschädigt: {t['name']}, Zeile {nr} hat andere Spalten als das "
                                    "Manifest.")
            yield {k: _aus_json(v, typen[k], f"{t['name']}, Zeile {nr}, Spalte {k}") for k, v in obj.items()}


# --- Wiederherstellen -------------------------------------------------------------------------------

def _transaktionale_engine(engine: Engine) -> Engine:
    """Eigene Engine für die Wiederherstellung. SQLite: BEGIN selbst senden, damit auch CREATE/DROP TABLE in der
    einen Transaktion liegen (pysqlite beginnt sonst erst vor der ersten Änderungszeile)."""
    e = erstelle_engine(engine.url.render_as_string(hide_password=False))
    if e.dialect.name == "sqlite":
        @event.listens_for(e, "connect")
        def _selbst(dbapi_conn: Any, _rec: Any) -> None:
            dbapi_conn.isolation_level = None

        @event.listens_for(e, "begin")
        def _beginne(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    return e


def _migrationen() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrationen"))
    return cfg


def _migriere(conn: Connection, ziel: str) -> None:
    from alembic import command

    cfg = _migrationen()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, ziel)


def _bekannte_revisionen() -> tuple[set[str], list[str]]:
    from alembic.script import ScriptDirectory

    sd = ScriptDirectory.from_config(_migrationen())
    return {r.revision for r in sd.walk_revisions()}, list(sd.get_heads())


def _belegt(conn: Connection, tabellen: set[str]) -> dict[str, int]:
    q = conn.dialect.identifier_preparer.quote
    zahlen = {t: conn.execute(text(f"SELECT COUNT(*) FROM {q(t)}")).scalar_one() for t in sorted(tabellen)}
    return {t: n for t, n in zahlen.items() if n}


def _leeren_oder_verwerfen(conn: Connection, vorhanden: set[str], revision: list[str]) -> bool:
    """Leert die Tabellen (gleiche Revision) oder verwirft das Schema; True = Schema steht schon."""
    q = conn.dialect.identifier_preparer.quote
    eigene = [t for t in Basis.metadata.sorted_tables if t.name in vorhanden]
    if _revision(conn) == revision and len(eigene) == len([t for t in vorhanden if t in Basis.metadata.tables]):
        if conn.dialect.name == "postgresql":
            # TRUNCATE statt DELETE: Zeilen-Trigger (z. B. „Änderungsprotokoll nur anhängen“) greifen hier nicht
            conn.execute(text("TRUNCATE " + ", ".join(q(t.name) for t in eigene) + " RESTART IDENTITY CASCADE"))
        else:
            for t in reversed(eigene):
                conn.execute(text(f"DELETE FROM {q(t.name)}"))
        return True
    oeffentlich.entferne_sichten(conn)  # hängen an den Tabellen; die Migrationen legen sie neu an
    reflektiert = MetaData()
    reflektiert.reflect(conn, only=[t for t in vorhanden if t in Basis.metadata.tables or t == "alembic_version"])
    reflektiert.drop_all(conn)
    return False


def _einfuegen(conn: Connection, zf: zipfile.ZipFile, t: dict[str, Any]) -> int:
    modell = Basis.metadata.tables[t["name"]]
    namen = [sp["name"] for sp in t["spalten"]]
    # nur die gesicherten Spalten, ohne Python-Standardwerte: die Sicherung ist vollständig, wie sie ist
    leicht = Table(t["name"], MetaData(), *[Column(c.name, c.type, primary_key=c.primary_key, autoincrement=False)
                                             for c in modell.columns if c.name in namen])
    stapel, n = [], 0
    for zeile in _lies_tabelle(zf, t):
        stapel.append(zeile)
        if len(stapel) >= STAPEL:
            conn.execute(leicht.insert(), stapel)
            n, stapel = n + len(stapel), []
    if stapel:
        conn.execute(leicht.insert(), stapel)
        n += len(stapel)
    return n


def _sequenzen(conn: Connection, tabellen: list[str]) -> None:
    """PostgreSQL: nach eingefügten ids zählt jede Sequenz bei max(id) + 1 weiter."""
    q = conn.dialect.identifier_preparer.quote
    for name in tabellen:
        if "id" not in Basis.metadata.tables[name].c:
            continue
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": q(name)}).scalar()
        if seq:
            conn.execute(text(f"SELECT setval(:s, COALESCE((SELECT MAX(id) FROM {q(name)}), 1), "
                              f"(SELECT MAX(id) FROM {q(name)}) IS NOT NULL)"), {"s": seq})


def stelle_wieder_her(engine: Engine, pfad: Path, *, ersetzen: bool = False,
                      fortschritt: Fortschritt | None = None) -> str:
    """Stellt die Sicherung `pfad` in `engine` wieder her (alles oder nichts); gibt eine Zusammenfassung zurück."""
    melde = fortschritt or (lambda _a, _t: None)
    try:
        zf = zipfile.ZipFile(pfad)
    except FileNotFoundError:
        raise EingabeFehler(f"Sicherung {pfad} nicht gefunden.") from None
    except (zipfile.BadZipFile, OSError):
        raise EingabeFehler(f"{pfad} ist keine Zip-Datei (Sicherung beschädigt oder falsche Datei).") from None
    with zf:
        manifest = lies_manifest(zf, pfad.name)
        revision = list(manifest["schema_revision"])
        bekannt, koepfe = _bekannte_revisionen()
        if not revision or not set(revision) <= bekannt:
            raise EingabeFehler(f"{pfad.name} stammt von Schema-Revision {', '.join(revision)}, die diese "
                                "Programmversion nicht kennt. Bitte mit einer neueren Programmversion "
                                "wiederherstellen.")
        melde(0.05, "Sicherung geprüft")
        pruefe_verbindung(engine, anlegen=True)  # Ziel darf leer sein (auch ohne Schema)
        e = _transaktionale_engine(engine)
        try:
            with systemsitzung(e, grund=f"Wiederherstellung aus {pfad.name}", aenderung_ersetzen=ersetzen,
                               zusammenfassung=False) as s:
                conn = s.connection()
                vorhanden = _tabellen_der_db(conn)
                belegt = _belegt(conn, vorhanden & set(Basis.metadata.tables))
                if belegt and not ersetzen:
                    beispiel = ", ".join(f"{t} ({n})" for t, n in list(belegt.items())[:4])
                    raise EingabeFehler(f"Die Zieldatenbank ist nicht leer ({beispiel} …). Nichts wurde geändert. "
                                        "Mit --ersetzen wird ihr gesamter Inhalt durch die Sicherung ersetzt.")
                s.info["schema_aufbau"] = True  # Migrationen dürfen `aenderung` anlegen/umbauen
                try:
                    if not (vorhanden and _leeren_oder_verwerfen(conn, vorhanden, revision)):
                        for r in revision:
                            _migriere(conn, r)
                finally:
                    s.info["schema_aufbau"] = False
                melde(0.15, "Schema bereit")
                tabellen = manifest["tabellen"]
                for i, t in enumerate(tabellen):
                    n = _einfuegen(conn, zf, t)
                    if n != t["zeilen"]:
                        raise EingabeFehler(f"Sicherung beschädigt: {t['name']} hat {n} statt {t['zeilen']} Zeilen.")
                    melde(0.15 + 0.8 * (i + 1) / len(tabellen), f"{t['name']}: {n} Zeilen")
                if conn.dialect.name == "postgresql":
                    _sequenzen(conn, [t["name"] for t in tabellen])
                s.info["schema_aufbau"] = True
                try:
                    if sorted(koepfe) != sorted(revision):
                        _migriere(conn, "heads")
                    else:  # Spalten der Kennzahlen stehen erst jetzt in offene_bezeichnung
                        oeffentlich.lege_sichten_an(conn)
                finally:
                    s.info["schema_aufbau"] = False
        finally:
            e.dispose()
    zeilen = sum(t["zeilen"] for t in manifest["tabellen"])
    melde(1.0, "fertig")
    return (f"Sicherung {pfad.name} wiederhergestellt: {len(manifest['tabellen'])} Tabellen, {zeilen} Zeilen "
            f"(erstellt {_deutsch(manifest.get('erstellt'))}, Schema-Revision {', '.join(revision)}).")


def _deutsch(zeitpunkt: object) -> str:
    """ISO-Zeitpunkt des Manifests als TT.MM.JJJJ HH:MM (Ausgabe für Menschen); Unlesbares bleibt, wie es ist."""
    try:
        return f"{datetime.fromisoformat(str(zeitpunkt)):%d.%m.%Y %H:%M}"
    except ValueError:
        return str(zeitpunkt or "?")
