"""Engine, Sitzungen und Schema (Alembic) für SQLite und PostgreSQL/PostGIS.

Schreibwege: Personen schreiben über `sitzung(engine, akteur=…)` und den ORM-Weg (Rechte nach daten/politik.py,
Wertprüfung, Änderungsprotokoll und Versionszähler in daten/audit.py). Sammel- und Text-Anweisungen, die schreiben,
verweigert die Datenbank selbst (daten/schutz.py: SQLite-Autorisierer, PostgreSQL-Zeilenrichtlinien und
READ-ONLY-Transaktionen) – außer in `systemsitzung` (Import, Wiederherstellung, Demo-Laden).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    NoSuchModuleError,
    OperationalError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

import daten.gremium.regeln  # noqa: F401  (registriert die Regeln der Gremiumsarbeit, R2–R13)
from daten import audit, schutz
from daten.config import Kommune
from daten.fehler import DatenbankFehler, KonfliktFehler, SperrFehler
from daten.politik import SYSTEM, Akteur

_log = logging.getLogger(__name__)
MIGRATIONEN = Path(__file__).parent / "migrationen"
SQLITE_WARTEN_S = 10.0  # so lange wartet SQLite auf eine Schreibsperre; URL-Angabe ?timeout=S hat Vorrang
GESPERRT = ("Die Datenbank ist gerade gesperrt (ein anderer Schreibvorgang läuft); "
            "bitte gleich noch einmal versuchen.")


# --- Anzeige von URLs -------------------------------------------------------------------------------
_GEHEIM_SCHLUESSEL = re.compile(r"pass|pwd|secret|token|key|auth", re.I)


def maskiere_url(url: str | URL) -> str:
    """Datenbank-URL zum Anzeigen: Passwort im Benutzerteil und geheime Abfrage-Parameter als ***."""
    try:
        u = make_url(url) if isinstance(url, str) else url
    except (ArgumentError, ValueError, TypeError):
        roh = re.sub(r"(://[^:/@?#]*:)[^@/?#]*@", r"\1***@", str(url))
        return re.sub(r"((?:pass\w*|pwd|secret\w*|token|\w*key|auth\w*)=)[^&#]*", r"\1***", roh, flags=re.I)
    abfrage = {k: ("***" if _GEHEIM_SCHLUESSEL.search(k) else v) for k, v in u.query.items()}
    return u.set(query=abfrage).render_as_string(hide_password=True).replace("%2A%2A%2A", "***")


# --- Engine und Verbindung --------------------------------------------------------------------------
def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def _sqlite_pfad(u: URL) -> Path | None:
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:" or u.database.startswith("file:"):
        return None
    return Path(u.database).expanduser()


def erstelle_engine(url: str) -> Engine:
    """Engine für `url` (legt nichts an). Fehler als deutsche DatenbankFehler."""
    try:
        u = make_url(url)
    except ArgumentError:
        raise DatenbankFehler(
            f"Datenbank-URL '{maskiere_url(url)}' ist ungültig (Beispiel: sqlite:///pfad.db).") from None
    if u.get_backend_name() == "sqlite":
        warten = {} if "timeout" in u.query else {"timeout": SQLITE_WARTEN_S}
        engine = create_engine(u, connect_args=warten)
        event.listen(engine, "connect", _sqlite_pragmas)
        schutz.richte_engine_ein(engine)
        return engine
    if u.get_backend_name() != "postgresql":
        raise DatenbankFehler(f"Datenbank '{u.get_backend_name()}' wird nicht unterstützt: SQLite oder PostgreSQL.")
    try:
        return create_engine(u, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    except (NoSuchModuleError, ImportError):
        raise DatenbankFehler("PostgreSQL-Treiber fehlt: URL als postgresql+psycopg://… angeben.") from None


def db_fehler(exc: BaseException, url: URL | str) -> DatenbankFehler | None:
    """Bekannte Datenbankfehler (gesperrt, beschädigt, keine Rechte) als deutsche Meldung, sonst None."""
    text_ = str(getattr(exc, "orig", exc)).lower()
    u = make_url(url) if isinstance(url, str) else url
    ziel = _sqlite_pfad(u) or maskiere_url(u)
    if "database is locked" in text_ or "database table is locked" in text_ or "deadlock detected" in text_:
        return SperrFehler(GESPERRT)
    if "file is not a database" in text_ or "malformed" in text_ or "disk image" in text_:
        return DatenbankFehler(f"Die SQLite-Datei {ziel} ist beschädigt oder keine Datenbank. Bitte die letzte "
                               "Sicherung zurückspielen oder einen anderen Pfad angeben.")
    if "readonly database" in text_ or "unable to open database file" in text_ or "permission denied" in text_:
        return DatenbankFehler(f"Keine Berechtigung für die Datenbank {ziel} (Lesen/Schreiben). Bitte Dateirechte "
                               "prüfen oder einen anderen Pfad angeben.")
    return None


def pruefe_verbindung(engine: Engine, *, anlegen: bool = False) -> None:
    """Baut eine Verbindung auf und prüft das Schema.

    `anlegen=True` (nur `init`): fehlende SQLite-Datei/Ordner anlegen, bei PostgreSQL PostGIS einrichten,
    Schema nicht voraussetzen. Sonst muss die Datenbank schon mit `ressourcenkarte init` eingerichtet sein –
    ein vertippter Pfad legt keine leere Datei an.
    """
    ziel = maskiere_url(engine.url)
    pfad = _sqlite_pfad(engine.url)
    if pfad is not None:
        _pruefe_sqlite_datei(pfad, anlegen=anlegen)
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT 1"))
            if engine.dialect.name == "sqlite" and pfad is not None:
                conn.execute(text("SELECT count(*) FROM sqlite_master"))  # erkennt Nicht-Datenbank-Dateien
            if engine.dialect.name == "postgresql" and anlegen:
                vorhanden = conn.execute(text("SELECT 1 FROM pg_extension WHERE extname='postgis'")).first()
                if not vorhanden:
                    conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    except DBAPIError as exc:
        bekannt = db_fehler(exc, engine.url)
        if bekannt:
            raise bekannt from None
        grund = str(exc.orig).strip().splitlines()[0] if exc.orig else "keine Antwort"
        grund = grund.replace(engine.url.password or "\0", "***")
        if isinstance(exc, OperationalError):
            raise DatenbankFehler(f"Datenbank {ziel} nicht erreichbar ({grund}). URL und Server prüfen.") from None
        raise DatenbankFehler(
            f"Datenbank {ziel}: PostGIS fehlt und kann nicht angelegt werden ({grund}). "
            "Bitte als Administrator 'CREATE EXTENSION postgis' ausführen."
        ) from None
    if not anlegen:
        _pruefe_schema(engine, ziel)


def _pruefe_sqlite_datei(pfad: Path, *, anlegen: bool) -> None:
    if pfad.is_dir():
        raise DatenbankFehler(f"{pfad} ist ein Ordner, keine SQLite-Datei. Bitte einen Dateinamen angeben.")
    if not pfad.exists():
        if not anlegen:
            raise DatenbankFehler(f"Die Datenbank-Datei {pfad} gibt es nicht. Pfad prüfen oder zuerst "
                                  "'ressourcenkarte init' ausführen.")
        try:
            pfad.resolve().parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            raise DatenbankFehler(f"Ordner {pfad.parent} für die SQLite-Datei kann nicht angelegt werden "
                                  "(Berechtigung?). Bitte anderen Pfad angeben.") from None
        if not os.access(pfad.resolve().parent, os.W_OK):
            raise DatenbankFehler(f"Keine Schreibberechtigung im Ordner {pfad.parent}. Bitte anderen Pfad angeben.")
    elif not os.access(pfad, os.R_OK) or (anlegen and not os.access(pfad, os.W_OK)):
        raise DatenbankFehler(f"Keine Berechtigung für die Datenbank-Datei {pfad} (Lesen/Schreiben). "
                              "Bitte Dateirechte prüfen.")


@lru_cache(maxsize=1)
def _kopf_revisionen() -> frozenset[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONEN))
    return frozenset(ScriptDirectory.from_config(cfg).get_heads())


def _pruefe_schema(engine: Engine, ziel: str) -> None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            raise DatenbankFehler(f"Die Datenbank {ziel} ist noch nicht eingerichtet. Bitte zuerst "
                                  "'ressourcenkarte init' ausführen (oder den Pfad prüfen).")
        stand = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    if stand != set(_kopf_revisionen()):
        raise DatenbankFehler(f"Das Schema der Datenbank {ziel} passt nicht zu dieser Programmversion "
                              f"(Stand {', '.join(sorted(stand)) or 'leer'}). Bitte 'ressourcenkarte init' ausführen; "
                              "die Daten bleiben erhalten.")


def pruefe_sqlite_integritaet(engine: Engine) -> None:
    """`PRAGMA quick_check` für SQLite-Dateien: beschädigte Dateien werden gemeldet, nicht weiterbenutzt."""
    if _sqlite_pfad(engine.url) is None or not _sqlite_pfad(engine.url).exists():
        return
    try:
        with engine.connect() as conn:
            befund = [z[0] for z in conn.execute(text("PRAGMA quick_check"))]
    except DBAPIError as exc:
        raise db_fehler(exc, engine.url) or DatenbankFehler(f"SQLite-Prüfung fehlgeschlagen: {exc.orig}") from None
    if befund != ["ok"]:
        raise DatenbankFehler(f"Die SQLite-Datei {_sqlite_pfad(engine.url)} ist beschädigt ({befund[0][:120]}). "
                              "Bitte die letzte Sicherung zurückspielen.")


def migriere(engine: Engine, ziel: str = "head", *, zurueck: bool = False) -> None:
    """Bringt das Schema mit Alembic auf den neuesten Stand (beide Backends); mit `zurueck=True` auf die
    Revision `ziel` zurück (Betrieb: eine Version zurückrollen)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONEN))
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                # SQLite ändert Tabellen durch Neuanlegen (batch); mit aktiven Fremdschlüsseln würde das
                # DROP TABLE eines Elternteils per ON DELETE CASCADE Kindzeilen löschen. Außerhalb der
                # Transaktion abschalten, danach prüfen und wieder einschalten.
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                conn.commit()
            with conn.begin():
                cfg.attributes["connection"] = conn
                if zurueck:
                    command.downgrade(cfg, ziel)
                else:
                    command.upgrade(cfg, ziel)
                    schutz.wende_datenbankregeln_an(conn)  # Richtlinien = erklärte Politik (daten.politik)
                if engine.dialect.name == "sqlite":
                    kaputt = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if kaputt:
                        raise DatenbankFehler(f"Schema-Aktualisierung abgebrochen: Fremdschlüssel in Tabelle "
                                              f"'{kaputt[0]}' verletzt. Nichts wurde geändert.")
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
    except DBAPIError as exc:
        raise db_fehler(exc, engine.url) or DatenbankFehler(
            f"Schema-Aktualisierung fehlgeschlagen: {str(exc.orig).splitlines()[0]}") from None


# --- Sitzungen --------------------------------------------------------------------------------------
@contextmanager
def sitzung(engine: Engine, *, akteur: Akteur | None, kommune: Kommune | None = None) -> Iterator[Session]:
    """Eine Transaktion: alles oder nichts. `akteur` (Pflichtangabe) wird für Rechte und Änderungsprotokoll
    genutzt; `None` heißt nur lesen – jeder Schreibversuch wird dann abgelehnt. `kommune`: Konfiguration,
    gegen die Werte geprüft werden (Standard: die eingestellte, RESSOURCENKARTE_KOMMUNE)."""
    fabrik = sessionmaker(engine, expire_on_commit=False)
    with fabrik() as s:
        s.info["akteur"] = akteur
        if kommune is not None:
            s.info["kommune"] = kommune
        try:
            yield s
            s.commit()
        except StaleDataError:
            s.rollback()
            raise KonfliktFehler(
                "Der Datensatz wurde inzwischen von jemand anderem geändert. Nichts wurde gespeichert; "
                "bitte neu laden und die Änderung erneut eintragen."
            ) from None
        except DBAPIError as exc:
            s.rollback()
            bekannt = db_fehler(exc, engine.url)
            if bekannt:
                raise bekannt from None
            raise
        except BaseException:
            s.rollback()
            raise


@contextmanager
def systemsitzung(engine: Engine, *, grund: str, kommune: Kommune | None = None,
                  aenderung_ersetzen: bool = False, aenderung_kuerzen: bool = False,
                  zusammenfassung: bool = True) -> Iterator[Session]:
    """Transaktion des Systems für Massenschreibvorgänge (Import, Wiederherstellung, Demo-Laden).

    Nur hier sind Sammel-Anweisungen (`insert/update/delete`, Text-SQL) über die Session erlaubt;
    beim Commit wird eine Zusammenfassungszeile (aktion "sammel", nachher = Grund und Anzahl je Tabelle)
    ins Änderungsprotokoll geschrieben; ORM-Änderungen bekommen daneben ihre eigenen Zeilen.
    `aenderung` bleibt auch hier unveränderlich; nur mit `aenderung_ersetzen=True` (Wiederherstellung
    „ersetzen“) darf es als Ganzes geleert werden (DELETE/TRUNCATE ohne Bedingung), nie einzeln geändert.
    Personen schreiben immer über `sitzung(engine, akteur=…)`. `zusammenfassung=False` nur für die
    Wiederherstellung: sie stellt das Änderungsprotokoll der Sicherung unverändert her (eine eigene Zeile
    wäre ein Unterschied zur Sicherung); sie wird stattdessen im Serverprotokoll vermerkt.
    """
    with sitzung(engine, akteur=SYSTEM, kommune=kommune) as s:
        schutz.markiere_system(s)
        s.info["aenderung_ersetzen"] = aenderung_ersetzen
        s.info["aenderung_kuerzen"] = aenderung_kuerzen  # Aufbewahrung: alte Zeilen löschen (daten.aufbewahrung)
        s.info["_zaehler"] = {}
        yield s
        s.flush()
        if not zusammenfassung:
            _log.warning("Systemsitzung ohne Zusammenfassungszeile: %s (%s)", grund, s.info["_zaehler"])
            return
        audit.schreibe_protokollzeile(s, [{
            "benutzer": SYSTEM.login, "tabelle": "*", "datensatz_id": None, "aktion": "sammel", "vorher": None,
            "nachher": {"grund": grund, "tabellen": s.info["_zaehler"]}, "zeitpunkt": datetime.now().astimezone(),
        }])
