"""Betrieb: Datenbankrollen mit geringsten Rechten (PostgreSQL) und die Gesundheitsprüfung für die Überwachung.

- `rk_app`: die Anwendung. Lesen und schreiben (den Zeilenrichtlinien unterworfen, denn sie ist nicht
  Eigentümerin der Tabellen), keine Schemaänderung, das Änderungsprotokoll nur anfügen (kein UPDATE, DELETE,
  TRUNCATE). Migrationen laufen weiter als Eigentümerin (`ressourcenkarte init`).
- `rk_lesen`: nur die öffentlichen Sichten `oeffentlich_*` lesen (`daten.oeffentlich`, Spalten in
  `politik.OEFFENTLICH`), ihre Bezeichnungen (`politik.OEFFENTLICHE_TABELLEN`) und `spatial_ref_sys`; keine
  andere Basistabelle, also keine Konten, Protokolle, Anmeldungen.

`gesundheit` prüft Datenbank (erreichbar, Migrationen aktuell), Konfiguration und Plattenplatz und bleibt auch
dann unter 15 Sekunden, wenn die Datenbank nicht antwortet.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError

from daten import politik
from daten.fehler import DatenbankFehler, EingabeFehler, RessourcenkarteFehler

APP, LESEN = "rk_app", politik.LESEROLLE
AUDIT = "aenderung"
NUR_LESEN_FUER_APP = ("rk_recht", "alembic_version", "spatial_ref_sys")  # Regeln und Schema: nur die Eigentümerin
MINDEST_FREI_MB = 500
FRIST_S = 12.0


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise EingabeFehler(f"Ungültiger Name {name!r} für eine Datenbankrolle oder Tabelle.")
    return f'"{name}"'


def rollen_sql(tabellen: set[str], *, datenbank: str, sichten: set[str] = frozenset()) -> list[str]:
    """Anweisungen, die beide Rollen anlegen oder angleichen (idempotent). `sichten`: vorhandene Sichten."""
    anw = []
    for rolle in (APP, LESEN):
        anw.append(f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{rolle}') THEN "
                   f"CREATE ROLE {rolle} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS; END IF; END $$")
        anw.append(f"ALTER ROLE {rolle} NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS")
        anw.append(f"GRANT CONNECT ON DATABASE {_ident(datenbank)} TO {rolle}")
        anw.append(f"REVOKE CREATE ON SCHEMA public FROM {rolle}")
        anw.append(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {rolle}")
        anw.append(f"GRANT USAGE ON SCHEMA public TO {rolle}")
    anw.append("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    for t in sorted(tabellen):
        if t in NUR_LESEN_FUER_APP:
            anw.append(f"GRANT SELECT ON {_ident(t)} TO {APP}")
        elif t == AUDIT:
            anw.append(f"GRANT SELECT, INSERT ON {_ident(t)} TO {APP}")
        else:
            anw.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {_ident(t)} TO {APP}")
    anw.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP}")
    for sicht in sorted(politik.OEFFENTLICH):  # nur die öffentlichen Sichten, keine Basistabelle
        if sicht in sichten:
            # rk_app liest sie auch: die öffentliche Karte der Anwendung zeigt nur, was die Sichten hergeben
            anw.append(f"GRANT SELECT ON {_ident(sicht)} TO {LESEN}, {APP}")
    for t in ("spatial_ref_sys", *politik.OEFFENTLICHE_TABELLEN):
        if t in tabellen:
            anw.append(f"GRANT SELECT ON {_ident(t)} TO {LESEN}")
    for rolle in (APP, LESEN):
        anw.append(f"ALTER ROLE {rolle} SET statement_timeout = '60s'")
    anw.append(f"ALTER ROLE {LESEN} SET default_transaction_read_only = on")
    return anw


def richte_rollen_ein(engine: Engine, *, passwoerter: dict[str, str] | None = None) -> str:
    """Legt `rk_app` und `rk_lesen` an bzw. gleicht ihre Rechte an (als Eigentümerin der Tabellen ausführen)."""
    if engine.dialect.name != "postgresql":
        raise EingabeFehler("Datenbankrollen gibt es nur auf PostgreSQL; SQLite (eine Datei) hat keine Rollen. "
                            "Bitte --db postgresql+psycopg://… angeben.")
    with engine.begin() as conn:
        tabellen = set(inspect(conn).get_table_names())
        if "einrichtung" not in tabellen:
            raise DatenbankFehler("Die Datenbank hat noch kein Schema. Bitte zuerst `ressourcenkarte init` ausführen.")
        sichten = set(inspect(conn).get_view_names())
        if not set(politik.OEFFENTLICH) <= sichten:
            raise DatenbankFehler("Die öffentlichen Sichten (oeffentlich_*) fehlen. Bitte zuerst "
                                  "`ressourcenkarte init` ausführen.")
        datenbank = conn.execute(text("SELECT current_database()")).scalar_one()
        for sql in rollen_sql(tabellen, datenbank=datenbank, sichten=sichten):
            conn.exec_driver_sql(sql)
        for rolle, pw in (passwoerter or {}).items():
            if rolle in (APP, LESEN) and pw:
                conn.execute(text(f"ALTER ROLE {rolle} PASSWORD :pw"), {"pw": pw})
    return (f"Rollen {APP} (lesen/schreiben unter Zeilenrichtlinien, Änderungsprotokoll nur anfügen, keine "
            f"Schemaänderung) und {LESEN} (nur die öffentlichen Sichten: {', '.join(sorted(politik.OEFFENTLICH))}) "
            f"in Datenbank {datenbank} eingerichtet.")


# ------------------------------------------------------------------------------------------ Gesundheit
@dataclass(frozen=True)
class Befund:
    name: str
    ok: bool
    text: str


def _mit_frist(fn: Callable[[], str], frist: float) -> str:
    """`fn` in einem Hilfsfaden; antwortet er nicht in `frist` Sekunden, gilt die Prüfung als gescheitert."""
    ergebnis: dict[str, object] = {}

    def lauf() -> None:
        try:
            ergebnis["ok"] = fn()
        except BaseException as exc:  # noqa: BLE001 - wird unten als Befund gemeldet
            ergebnis["fehler"] = exc

    faden = threading.Thread(target=lauf, daemon=True)
    faden.start()
    faden.join(frist)
    if faden.is_alive():
        raise DatenbankFehler(f"keine Antwort innerhalb von {frist:.0f} s")
    if "fehler" in ergebnis:
        raise ergebnis["fehler"]  # type: ignore[misc]
    return str(ergebnis["ok"])


def _datenbank(engine: Engine) -> str:
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from daten.db import MIGRATIONEN

    u = engine.url
    if u.get_backend_name() == "sqlite" and u.database and not Path(u.database).exists():
        raise DatenbankFehler(f"SQLite-Datei {u.database} fehlt. Bitte `ressourcenkarte init` ausführen oder den Pfad "
                              "prüfen.")
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        aktuell = set(MigrationContext.configure(conn).get_current_heads())
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONEN))
    ziel = set(ScriptDirectory.from_config(cfg).get_heads())
    if aktuell != ziel:
        raise DatenbankFehler(f"Schema auf Stand {', '.join(sorted(aktuell)) or '(leer)'}, erwartet "
                              f"{', '.join(sorted(ziel))}. Bitte `ressourcenkarte init` ausführen.")
    return f"erreichbar, Schema aktuell ({', '.join(sorted(ziel))})"


def _platz(url: str, datenordner: Path) -> str:
    u = make_url(url)
    ort = Path(u.database).parent if u.get_backend_name() == "sqlite" and u.database else datenordner
    while not ort.exists() and ort != ort.parent:
        ort = ort.parent
    frei = shutil.disk_usage(ort).free // 2**20
    if frei < MINDEST_FREI_MB:
        raise EingabeFehler(f"nur {frei} MB frei in {ort} (mindestens {MINDEST_FREI_MB} MB für Sicherungen und "
                            "Exporte)")
    return f"{frei:,} MB frei in {ort}".replace(",", ".")


def gesundheit(*, db_url: str, kommune_pfad: Path, datenordner: Path) -> list[Befund]:
    """Alle Prüfungen; jede meldet ok oder den Grund. Gesamtdauer ≤ FRIST_S + Konfiguration/Platte (schnell)."""
    from daten.config import lade_kommune
    from daten.db import erstelle_engine, maskiere_url

    befunde = []

    def pruefe(name: str, fn: Callable[[], str], frist: float = FRIST_S) -> None:
        try:
            befunde.append(Befund(name, True, _mit_frist(fn, frist)))
        except RessourcenkarteFehler as exc:
            befunde.append(Befund(name, False, " ".join(str(exc).split())))
        except DBAPIError as exc:
            grund = str(getattr(exc, "orig", exc)).strip().splitlines()
            befunde.append(Befund(name, False, f"nicht erreichbar oder abgelehnt ({grund[0][:160] if grund else ''})"))
        except Exception as exc:  # noqa: BLE001 - alles andere: Grund in einer Zeile
            grund = str(exc).strip().splitlines()
            befunde.append(Befund(name, False, f"unerwarteter Fehler {type(exc).__name__} "
                                               f"({grund[0][:160] if grund else ''})"))

    pruefe("Konfiguration", lambda: f"{lade_kommune(kommune_pfad).name} geladen ({kommune_pfad.name})", 5)

    def db() -> str:
        engine = erstelle_engine(db_url)
        try:
            return f"{maskiere_url(db_url)}: {_datenbank(engine)}"
        finally:
            engine.dispose()

    pruefe("Datenbank", db)
    pruefe("Plattenplatz", lambda: _platz(db_url, datenordner), 5)
    return befunde
