"""Engine, Sitzungen und Schema (Alembic) für SQLite und PostgreSQL/PostGIS."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

import daten.audit  # noqa: F401  (registriert Rechteprüfung und Änderungsprotokoll)
import daten.gremium.regeln  # noqa: F401  (registriert die Regeln der Gremiumsarbeit, R2–R13)
from daten.fehler import DatenbankFehler, KonfliktFehler
from daten.rechte import SYSTEM, Akteur

_MIGRATIONEN = Path(__file__).parent / "migrationen"


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def erstelle_engine(url: str) -> Engine:
    """Engine für `url`; legt bei SQLite den Ordner an. Fehler als deutsche DatenbankFehler."""
    try:
        u = make_url(url)
    except ArgumentError:
        raise DatenbankFehler(f"Datenbank-URL '{url}' ist ungültig (Beispiel: sqlite:///pfad.db).") from None
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            ordner = Path(u.database).expanduser().resolve().parent
            try:
                ordner.mkdir(parents=True, exist_ok=True)
            except OSError:
                raise DatenbankFehler(f"Ordner {ordner} für die SQLite-Datei kann nicht angelegt werden.") from None
        engine = create_engine(u)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if u.get_backend_name() != "postgresql":
        raise DatenbankFehler(f"Datenbank '{u.get_backend_name()}' wird nicht unterstützt: SQLite oder PostgreSQL.")
    try:
        return create_engine(u, pool_pre_ping=True, connect_args={"connect_timeout": 5})
    except (NoSuchModuleError, ImportError):
        raise DatenbankFehler("PostgreSQL-Treiber fehlt: URL als postgresql+psycopg://… angeben.") from None


def pruefe_verbindung(engine: Engine) -> None:
    """Baut eine Verbindung auf; bei PostgreSQL wird PostGIS vorausgesetzt (oder angelegt)."""
    ziel = engine.url.render_as_string(hide_password=True)
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT 1"))
            if engine.dialect.name == "postgresql":
                vorhanden = conn.execute(text("SELECT 1 FROM pg_extension WHERE extname='postgis'")).first()
                if not vorhanden:
                    conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    except OperationalError as exc:
        grund = str(exc.orig).strip().splitlines()[0] if exc.orig else "keine Antwort"
        raise DatenbankFehler(f"Datenbank {ziel} nicht erreichbar ({grund}). URL und Server prüfen.") from None
    except SQLAlchemyError as exc:
        grund = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise DatenbankFehler(
            f"Datenbank {ziel}: PostGIS fehlt und kann nicht angelegt werden ({grund}). "
            "Bitte als Administrator 'CREATE EXTENSION postgis' ausführen."
        ) from None


def migriere(engine: Engine) -> None:
    """Bringt das Schema mit Alembic auf den neuesten Stand (beide Backends)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONEN))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


@contextmanager
def sitzung(engine: Engine, *, akteur: Akteur | None) -> Iterator[Session]:
    """Eine Transaktion: alles oder nichts. `akteur` (Pflichtangabe) wird für Rechte und Änderungsprotokoll
    genutzt; `None` heißt nur lesen – jeder Schreibversuch wird dann abgelehnt."""
    fabrik = sessionmaker(engine, expire_on_commit=False)
    with fabrik() as s:
        s.info["akteur"] = akteur
        try:
            yield s
            s.commit()
        except StaleDataError:
            s.rollback()
            raise KonfliktFehler(
                "Der Datensatz wurde inzwischen von jemand anderem geändert. Nichts wurde gespeichert; "
                "bitte neu laden und die Änderung erneut eintragen."
            ) from None
        except BaseException:
            s.rollback()
            raise


@contextmanager
def systemsitzung(engine: Engine, *, grund: str) -> Iterator[Session]:
    """Transaktion des Systems für Massenschreibvorgänge (Import, Wiederherstellung, Demo-Laden).

    Nur hier sind Sammel-Anweisungen (`insert/update/delete`, Text-SQL) über die Session erlaubt;
    `grund` steht in der Zusammenfassungszeile des Änderungsprotokolls, die beim Commit geschrieben
    wird. Personen schreiben immer über `sitzung(engine, akteur=…)` und den ORM-Weg.
    """
    with sitzung(engine, akteur=SYSTEM) as s:
        s.info["massenschreiben"] = True
        s.info["grund"] = grund
        yield s
