"""Die Datenbank setzt durch, was sie kann – ohne SQL mit regulären Ausdrücken zu lesen.

Schreibwege (siehe docs/Architektur.md):

- **Personen** schreiben nur über den ORM-Flush ihrer Sitzung (`daten.db.sitzung(engine, akteur=…)`); davor
  prüfen `daten.audit` (Rechte nach `daten.politik`, gegen die gespeicherte Zeile) und `daten.gremium.regeln`.
- **Das System** (Import, Wiederherstellung, Demo) darf in `daten.db.systemsitzung` auch Sammel-Anweisungen.

Durchgesetzt wird auf drei Ebenen:

1. **SQLite-Autorisierer** (`sqlite3.Connection.set_authorizer`): SQLite selbst meldet jede Tabelle und jede
   Aktion einer Anweisung, bevor sie läuft – auch in CTEs, Triggern, Unterabfragen, egal wie geschrieben.
   Außerhalb des Flushs einer Person wird jedes Schreiben verweigert (INSERT/UPDATE/DELETE, DDL, ATTACH,
   schreibende PRAGMAs); `aenderung` darf niemand ändern, löschen nur die Wiederherstellung „ersetzen“.
   Beim Wechsel der Betriebsart wird der Autorisierer neu gesetzt; SQLite verwirft dabei alle vorbereiteten
   Anweisungen, so dass keine zwischengespeicherte Anweisung an der neuen Prüfung vorbeiläuft.
2. **PostgreSQL**: je Transaktion `SET LOCAL`-Einstellungen der handelnden Person (`rk.login`, `rk.rolle`,
   `rk.sozialraum`); Zeilenrichtlinien (row-level security) aus `daten.politik.TABELLEN` verweigern Zeilen
   fremder Sozialräume auch einer Text-Anweisung (für eine Anwendungsrolle, die nicht Eigentümerin ist);
   Sitzungen, die nichts schreiben dürfen, laufen als `READ ONLY`-Transaktion; `aenderung` hält ein
   Trigger nur-anfügend (auch gegen TRUNCATE).
3. **Vor der Datenbank** (beide Backends): Anweisungen einer Person werden nach ihrer **Herkunft** zugelassen,
   nicht nach ihrem Text: Abfragen aus SQLAlchemy-Konstrukten ohne Textteile, im Flush die vom ORM erzeugten
   Schreibanweisungen. Text-SQL (`text(…)`, `exec_driver_sql`, `literal_column`) einer Person führt auf
   PostgreSQL nichts aus; auf SQLite entscheidet der Autorisierer (lesen ja, schreiben nein).
"""

from __future__ import annotations

import re
import sqlite3
import weakref
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql import visitors
from sqlalchemy.sql.dml import Delete, Insert, Update
from sqlalchemy.sql.elements import (
    ColumnClause,
    ReleaseSavepointClause,
    RollbackToSavepointClause,
    SavepointClause,
    TextClause,
)
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import CompoundSelect, Select, TextualSelect

from daten import politik
from daten.fehler import RechteFehler

AUDIT = "aenderung"
_SYSTEM_MARKE = object()  # nur daten.db.systemsitzung setzt sie; ein Admin-Konto kann sie nicht erlangen
_INTERN = object()  # Anweisungen dieses Moduls (Einstellungen der Transaktion)

TEXT_VERBOTEN = ("Text-Anweisungen (SQL als Text) sind über die Sitzung nur dem System erlaubt (Import, "
                 "Wiederherstellung, Demo). Bitte über die Dienste der Datenschicht schreiben und über ihre Abfragen "
                 "lesen.")
EINE_ANWEISUNG = "Es wird immer nur eine SQL-Anweisung auf einmal ausgeführt; nichts wurde geändert."
SCHREIBEN_VERBOTEN = ("Sammel- oder Text-Anweisungen, die schreiben, sind über die Sitzung nur dem System erlaubt "
                      "(Import, Wiederherstellung, Demo). Bitte Datensätze einzeln über die Datenschicht ändern – so "
                      "laufen Rechteprüfung, Änderungsprotokoll und Versionszähler.")
AUDIT_UNVERAENDERLICH = ("Das Änderungsprotokoll (aenderung) ist unveränderlich: Ändern und Löschen von Zeilen wird "
                         "abgelehnt, auch für die Administration.")

# Funktionen, die Abfragen einer Person auf PostgreSQL enthalten dürfen (lesend; keine, die SQL ausführt,
# Einstellungen setzt, Sequenzen verstellt oder Dateien liest).
LESEFUNKTIONEN = frozenset({
    "count", "sum", "min", "max", "avg", "coalesce", "nullif", "greatest", "least", "lower", "upper", "length",
    "char_length", "abs", "round", "floor", "ceil", "now", "current_date", "current_timestamp", "extract",
    "date_part", "date_trunc", "cast", "trim", "substr", "substring", "concat", "replace", "array_agg",
    "string_agg", "json_agg", "row_number", "rank", "dense_rank", "bool_or", "bool_and", "every",
})


# ------------------------------------------------------------------------------------------ Betriebsart
def ist_systemsitzung(session: Session | None) -> bool:
    return session is not None and session.info.get("_system") is _SYSTEM_MARKE and politik.ist_system(
        session.info.get("akteur"))


def markiere_system(session: Session) -> None:
    """Nur für daten.db.systemsitzung."""
    session.info["_system"] = _SYSTEM_MARKE


def _sitzung_der_verbindung(conn: Connection) -> Session | None:
    ref = conn.get_execution_options().get("rk_sitzung")
    return ref() if ref is not None else None


def _im_flush(s: Session) -> bool:
    return bool(getattr(s, "_flushing", False) and s.info.get("_im_flush"))


def betriebsart(s: Session | None) -> str:
    """`offen` (keine Sitzung: Migrationen, Prüfungen), `system`, `flush` (ORM-Flush einer Person), `lesen`."""
    if s is None:
        return "offen"
    if ist_systemsitzung(s):
        return "system"
    if (_im_flush(s) or s.info.get("_intern") is _INTERN) and s.info.get("akteur") is not None:
        return "flush"
    return "lesen"


def intern_ausfuehren(session: Session, anweisung: Any, parameter: Any = None) -> list[Any]:
    """Eine Schreibanweisung der Datenschicht selbst (Zeilen des Änderungsprotokolls außerhalb eines Flushs,
    z. B. eine Anmeldesperre): läuft wie ein Flush, nur für diese eine Anweisung. Gibt die Zeilen von
    RETURNING zurück (sonst eine leere Liste)."""
    session.info["_intern"] = _INTERN
    try:
        _umschalten(session)
        ergebnis = session.connection().execute(anweisung, parameter, execution_options={"rk_intern": _INTERN})
        return ergebnis.all() if ergebnis.returns_rows else []
    finally:
        session.info.pop("_intern", None)
        _umschalten(session)


# ------------------------------------------------------------------------------------------ SQLite
_SCHREIBEN = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}
_DDL = {getattr(sqlite3, n) for n in dir(sqlite3) if re.match(r"SQLITE_(CREATE|DROP)_", n)} | {
    sqlite3.SQLITE_ALTER_TABLE, sqlite3.SQLITE_REINDEX, sqlite3.SQLITE_ANALYZE, sqlite3.SQLITE_ATTACH,
    sqlite3.SQLITE_DETACH, getattr(sqlite3, "SQLITE_CREATE_VTABLE", -1), getattr(sqlite3, "SQLITE_DROP_VTABLE", -1)}
_INTERNE_TABELLEN = re.compile(r"^(sqlite_|_alembic_tmp_)")


class _SqliteZustand:
    """Betriebsart einer SQLite-Verbindung und die Frage des Autorisierers."""

    def __init__(self) -> None:
        self.art = ""
        self.aenderung_leeren = False
        self.schema_aufbau = False
        self.abgelehnt = ""  # Tabelle der letzten Ablehnung (für die Meldung)

    def entscheide(self, aktion: int, arg1: str | None, arg2: str | None, db: str | None, trigger: str | None
                   ) -> int:
        ergebnis = self._entscheide(aktion, arg1, arg2)
        if ergebnis != sqlite3.SQLITE_OK:
            self.abgelehnt = (arg1 or "").lower()
        return ergebnis

    def _entscheide(self, aktion: int, arg1: str | None, arg2: str | None) -> int:
        art = self.art
        tabelle = (arg1 or "").lower()
        if aktion in _SCHREIBEN and tabelle == AUDIT:
            if aktion == sqlite3.SQLITE_INSERT and art in ("flush", "system", "offen"):
                return sqlite3.SQLITE_OK
            if aktion == sqlite3.SQLITE_DELETE and (art == "offen" or (art == "system" and (
                    self.aenderung_leeren or self.schema_aufbau))):
                # DROP TABLE (Migration, Neuaufbau) meldet auch DELETE; Zeilen löschen verhindert dann der Trigger
                return sqlite3.SQLITE_OK
            return sqlite3.SQLITE_DENY
        if art == "offen" or (art == "system" and self.schema_aufbau):
            return sqlite3.SQLITE_OK
        if aktion in _DDL:
            return sqlite3.SQLITE_DENY
        if aktion == sqlite3.SQLITE_PRAGMA:
            return sqlite3.SQLITE_DENY if arg2 is not None and art != "system" else sqlite3.SQLITE_OK
        if aktion in _SCHREIBEN:
            if art in ("system", "flush"):
                return sqlite3.SQLITE_OK
            return sqlite3.SQLITE_OK if _INTERNE_TABELLEN.match(tabelle) and art == "system" else sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK


def _setze_art(conn: Connection, art: str, s: Session | None) -> None:
    """Betriebsart der SQLite-Verbindung hinter `conn` setzen (Zustand am Eintrag des Verbindungspools)."""
    z = conn.connection.info.get("rk_schutz")
    if z is None:
        return
    _setze_art_roh(conn.connection.dbapi_connection, z, art, s)


def _setze_art_roh(roh: Any, z: _SqliteZustand, art: str, s: Session | None) -> None:
    leeren = bool(s is not None and art == "system" and (s.info.get("aenderung_ersetzen")
                                                         or s.info.get("aenderung_kuerzen")))
    aufbau = bool(s is not None and art == "system" and s.info.get("schema_aufbau"))
    if (z.art, z.aenderung_leeren, z.schema_aufbau) == (art, leeren, aufbau):
        return
    z.art, z.aenderung_leeren, z.schema_aufbau = art, leeren, aufbau
    # Neu setzen verwirft alle vorbereiteten Anweisungen (sqlite3ExpirePreparedStatements): jede Anweisung
    # wird unter der neuen Betriebsart neu vorbereitet und damit neu geprüft.
    roh.set_authorizer(z.entscheide)


def _sqlite_verbindung(roh: Any, eintrag: Any) -> None:
    z = _SqliteZustand()
    eintrag.info["rk_schutz"] = z
    # Für den Trigger „aenderung nur anfügen“: löschen nur die Wiederherstellung „ersetzen“. Ohne diese
    # Funktion (fremdes Werkzeug) scheitert jedes DELETE auf aenderung – die Regel hält auch dann.
    roh.create_function("rk_aenderung_leeren", 0, lambda: 1 if z.aenderung_leeren and z.art == "system" else 0,
                        deterministic=False)
    _setze_art_roh(roh, z, "offen", None)


def richte_engine_ein(engine: Engine) -> None:
    """Wird von daten.db.erstelle_engine für jede Engine aufgerufen."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_verbindung)


# ------------------------------------------------------------------------------------------ Sitzungen
@event.listens_for(Session, "after_begin")
def _transaktion_beginnt(session: Session, _transaktion: Any, verbindung: Connection) -> None:
    verbindung.execution_options(rk_sitzung=weakref.ref(session))
    session.info["_rk_verbindungen"] = [verbindung]
    if verbindung.dialect.name == "sqlite":
        _setze_art(verbindung, betriebsart(session), session)
        return
    if verbindung.dialect.name != "postgresql":
        return
    akteur: politik.Akteur | None = session.info.get("akteur")
    intern = {"rk_intern": _INTERN}
    if not ist_systemsitzung(session) and politik.nur_lesen(akteur):
        verbindung.exec_driver_sql("SET TRANSACTION READ ONLY", execution_options=intern)
    rolle = "system" if ist_systemsitzung(session) else (akteur.rolle if akteur else "")
    verbindung.exec_driver_sql(
        "SELECT set_config('rk.login', %(l)s, true), set_config('rk.rolle', %(r)s, true), "
        "set_config('rk.sozialraum', %(s)s, true), set_config('rk.aenderung_leeren', %(a)s, true), "
        "set_config('rk.aenderung_kuerzen', %(k)s, true)",
        {"l": akteur.login if akteur else "", "r": rolle,
         "s": str(akteur.sozialraum_id) if akteur and akteur.sozialraum_id is not None else "",
         "a": "ja" if ist_systemsitzung(session) and session.info.get("aenderung_ersetzen") else "",
         "k": "ja" if ist_systemsitzung(session) and session.info.get("aenderung_kuerzen") else ""},
        execution_options=intern)


def _umschalten(session: Session) -> None:
    """SQLite: Betriebsart der Verbindung sofort anpassen (auch für Zugriffe am Ereignis vorbei)."""
    for verbindung in _verbindungen(session):
        if verbindung.dialect.name == "sqlite" and not verbindung.closed:
            _setze_art(verbindung, betriebsart(session), session)


def _verbindungen(session: Session) -> list[Connection]:
    """Die Verbindungen der laufenden Transaktion (vermerkt beim Beginn, `_transaktion_beginnt`)."""
    if session.get_transaction() is None:
        return []
    return list(session.info.get("_rk_verbindungen", ()))


@event.listens_for(Session, "after_flush_postexec")
def _flush_ende(session: Session, _ctx: Any) -> None:
    session.info["_im_flush"] = False
    _umschalten(session)


@event.listens_for(Session, "after_soft_rollback")
def _flush_abbruch(session: Session, _tx: Any) -> None:
    session.info["_im_flush"] = False
    _umschalten(session)


def flush_beginnt(session: Session) -> None:
    """Aus daten.audit (vor dem Flush, nach den Prüfungen): ab jetzt schreibt der ORM-Weg."""
    session.info["_im_flush"] = True
    _umschalten(session)


# ------------------------------------------------------------------------------------------ Anweisungen
def _herkunft_erlaubt(stmt: Any, *, flush: bool, postgres: bool) -> str | None:
    """None, wenn eine Anweisung einer Person nach ihrer Herkunft laufen darf; sonst der Grund (deutsch)."""
    if isinstance(stmt, Insert | Update | Delete):
        if not flush:
            return SCHREIBEN_VERBOTEN
    elif not isinstance(stmt, Select | CompoundSelect):
        return TEXT_VERBOTEN
    for el in visitors.iterate(stmt):
        roh = isinstance(el, ColumnClause) and el.is_literal and el.name != "*"  # literal_column("…")
        if roh or isinstance(el, TextClause | TextualSelect):
            return TEXT_VERBOTEN
        if el is not stmt and isinstance(el, Insert | Update | Delete):
            return SCHREIBEN_VERBOTEN
        if postgres and not flush and isinstance(el, FunctionElement) and \
                getattr(el, "name", "").lower() not in LESEFUNKTIONEN:
            return f"Die Funktion {getattr(el, 'name', '?')}() ist in Abfragen einer Person nicht erlaubt."
    return None


@event.listens_for(Engine, "before_cursor_execute")
def _vor_anweisung(conn, _cursor, statement, _params, context, _many) -> None:  # noqa: ANN001
    s = _sitzung_der_verbindung(conn)
    art = betriebsart(s)
    if conn.dialect.name == "sqlite":
        _setze_art(conn, art, s)
    if art in ("offen", "system") or (context is not None and context.execution_options.get("rk_intern") is _INTERN):
        return
    compiled = getattr(context, "compiled", None)
    stmt = getattr(compiled, "statement", None)
    if isinstance(stmt, SavepointClause | RollbackToSavepointClause | ReleaseSavepointClause):
        return  # begin_nested: SQLAlchemy selbst
    grund = TEXT_VERBOTEN if stmt is None else _herkunft_erlaubt(
        stmt, flush=art == "flush", postgres=conn.dialect.name == "postgresql")
    if grund is None:
        return
    if conn.dialect.name == "sqlite" and grund == TEXT_VERBOTEN:
        return  # SQLite: der Autorisierer entscheidet genau (lesen ja, schreiben nein)
    raise RechteFehler(grund)


@event.listens_for(Engine, "handle_error")
def _ablehnung_der_datenbank(ctx: Any) -> None:
    """Ablehnungen der Datenbank (Autorisierer, Trigger, Zeilenrichtlinie, READ ONLY) als deutscher RechteFehler."""
    fehler = verweigert(ctx.original_exception, ctx.connection)
    if fehler is not None:
        raise fehler from None


@event.listens_for(Session, "do_orm_execute")
def _orm_sammel(state: ORMExecuteState) -> None:
    """Klare Meldung schon vor der Ausführung: Sammel-Anweisungen des ORM sind nur dem System erlaubt."""
    if (state.is_insert or state.is_update or state.is_delete) and not ist_systemsitzung(state.session):
        raise RechteFehler(SCHREIBEN_VERBOTEN)


def verweigert(exc: BaseException, conn: Connection | None = None) -> RechteFehler | None:
    """Ablehnung durch die Datenbank (SQLite-Autorisierer, Trigger, Zeilenrichtlinie, READ ONLY) als RechteFehler."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "unveränderlich" in text or "rk_aenderung_leeren" in text:
        return RechteFehler(AUDIT_UNVERAENDERLICH)
    if "not authorized" in text:
        z = conn.connection.info.get("rk_schutz") if conn is not None and conn.dialect.name == "sqlite" else None
        return RechteFehler(AUDIT_UNVERAENDERLICH if z is not None and z.abgelehnt == AUDIT else SCHREIBEN_VERBOTEN)
    if "row-level security" in text or "read-only transaction" in text:
        return RechteFehler(SCHREIBEN_VERBOTEN)
    if "one statement at a time" in text:
        return RechteFehler(EINE_ANWEISUNG)
    return None


# ------------------------------------------------------------------------------------------ Zählen
# Nur für die Zusammenfassung der Systemsitzung (welche Tabelle wie viele Zeilen) – keine Prüfung.
_ZIEL = re.compile(r"^\s*(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from|replace\s+into)"
                   r"\s+(?:only\s+)?(?:\"?\w+\"?\.)?\"?(\w+)\"?", re.I)


@event.listens_for(Engine, "after_cursor_execute")
def _zaehlen(conn, cursor, statement, _params, context, _many) -> None:  # noqa: ANN001
    s = _sitzung_der_verbindung(conn)
    if s is None or _im_flush(s) or not ist_systemsitzung(s):
        return
    stmt = getattr(getattr(context, "compiled", None), "statement", None)
    if isinstance(stmt, Insert | Update | Delete):
        tabelle = stmt.table.name
    else:
        ziel = _ZIEL.match(statement)
        if ziel is None:
            return
        tabelle = ziel.group(1).lower()
    if tabelle == AUDIT:
        return
    je = s.info["_zaehler"].setdefault(tabelle, {})
    je["sammel"] = je.get("sammel", 0) + max(cursor.rowcount or 0, 0)


# ------------------------------------------------------------------------------------------ Datenbankregeln
SQLITE_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS aenderung_kein_aendern BEFORE UPDATE ON aenderung BEGIN "
    "SELECT RAISE(ABORT, 'Das Änderungsprotokoll (aenderung) ist unveränderlich: UPDATE abgelehnt.'); END",
    "CREATE TRIGGER IF NOT EXISTS aenderung_kein_loeschen BEFORE DELETE ON aenderung "
    "WHEN rk_aenderung_leeren() IS NOT 1 BEGIN "
    "SELECT RAISE(ABORT, 'Das Änderungsprotokoll (aenderung) ist unveränderlich: DELETE abgelehnt.'); END",
)

_PG_FUNKTIONEN = (
    """CREATE TABLE IF NOT EXISTS rk_recht (
        tabelle text NOT NULL, aktion text NOT NULL, rolle text NOT NULL, umfang text NOT NULL,
        PRIMARY KEY (tabelle, aktion, rolle))""",
    """CREATE OR REPLACE FUNCTION rk_darf(p_tabelle text, p_aktion text, p_sozialraum integer) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $rk$
      SELECT coalesce(current_setting('rk.rolle', true), '') IN ('system', 'admin') OR EXISTS (
        SELECT 1 FROM rk_recht r
        WHERE r.tabelle = p_tabelle AND r.aktion = p_aktion AND r.rolle = current_setting('rk.rolle', true)
          AND (r.umfang = 'alle' OR (r.umfang = 'eigener' AND p_sozialraum IS NOT NULL
               AND p_sozialraum::text = current_setting('rk.sozialraum', true))))
    $rk$""",
    """CREATE OR REPLACE FUNCTION aenderung_nicht_leeren() RETURNS trigger LANGUAGE plpgsql AS $rk$
    BEGIN
        IF coalesce(current_setting('rk.aenderung_leeren', true), '') = 'ja'
           AND current_setting('rk.rolle', true) = 'system' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'Das Änderungsprotokoll (aenderung) ist unveränderlich: % abgelehnt.', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $rk$""",
    # Zeilen-Trigger (angelegt in Migration 0002): UPDATE nie; DELETE nur die Aufbewahrung des Systems
    # (daten.aufbewahrung, Systemsitzung mit aenderung_kuerzen) – alte Zeilen nach Ablauf der Frist.
    """CREATE OR REPLACE FUNCTION aenderung_nur_anfuegen() RETURNS trigger LANGUAGE plpgsql AS $rk$
    BEGIN
        IF TG_OP = 'DELETE' AND coalesce(current_setting('rk.aenderung_kuerzen', true), '') = 'ja'
           AND current_setting('rk.rolle', true) = 'system' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'Das Änderungsprotokoll (aenderung) ist unveränderlich: % abgelehnt.', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $rk$""",
    "DROP TRIGGER IF EXISTS aenderung_nicht_leeren ON aenderung",
    "CREATE TRIGGER aenderung_nicht_leeren BEFORE TRUNCATE ON aenderung "
    "FOR EACH STATEMENT EXECUTE FUNCTION aenderung_nicht_leeren()",
)


def _q(wert: str) -> str:
    return "'" + wert.replace("'", "''") + "'"


def postgres_regeln(vorhanden: set[str] | None = None) -> list[str]:
    """Anweisungen für PostgreSQL: Rechtetabelle aus daten.politik, Zeilenrichtlinien je Tabelle, Trigger.

    Die Richtlinien gelten für jede Rolle, die nicht Eigentümerin der Tabellen ist (die Anwendungsrolle des
    Betriebs); lesen dürfen alle Zeilen (Lesefilter für Protokolle: daten.protokolle). `vorhanden`: nur diese
    Tabellen (eine ältere Migration kennt spätere Tabellen noch nicht)."""
    tabellen = [t for t in politik.TABELLEN.values() if vorhanden is None or t.name in vorhanden]
    anweisungen = list(_PG_FUNKTIONEN)
    anweisungen.append("DELETE FROM rk_recht")
    zeilen = [f"({_q(t.name)}, {_q(a)}, {_q(rolle)}, {_q(u)})" for t in tabellen
              for rolle, rechte in t.rechte.items() for a, u in rechte.items()]
    if zeilen:
        anweisungen.append("INSERT INTO rk_recht (tabelle, aktion, rolle, umfang) VALUES " + ", ".join(zeilen))
    for t in tabellen:
        n = t.name
        anweisungen.append(f"ALTER TABLE {n} ENABLE ROW LEVEL SECURITY")
        for p in ("rk_lesen", "rk_anlegen", "rk_aendern", "rk_loeschen"):
            anweisungen.append(f"DROP POLICY IF EXISTS {p} ON {n}")
        anweisungen.append(f"CREATE POLICY rk_lesen ON {n} FOR SELECT USING (true)")
        if n == AUDIT:
            anweisungen.append(
                f"CREATE POLICY rk_anlegen ON {n} FOR INSERT WITH CHECK (current_setting('rk.rolle', true) = 'system' "
                "OR benutzer = current_setting('rk.login', true))")
            continue
        sr = politik.sozialraum_sql(n, spalte_von=n) or "NULL"
        darf = {a: f"rk_darf({_q(n)}, {_q(a)}, {sr})" for a in politik.AKTIONEN}
        anweisungen += [
            f"CREATE POLICY rk_anlegen ON {n} FOR INSERT WITH CHECK ({darf['anlegen']})",
            f"CREATE POLICY rk_aendern ON {n} FOR UPDATE USING ({darf['aendern']}) WITH CHECK ({darf['aendern']})",
            f"CREATE POLICY rk_loeschen ON {n} FOR DELETE USING ({darf['loeschen']})",
        ]
    return anweisungen


def wende_datenbankregeln_an(conn: Connection) -> None:
    """Legt die Regeln der Datenbank an bzw. gleicht sie an daten.politik an (idempotent; Migration und init)."""
    if conn.dialect.name == "sqlite":
        for sql in SQLITE_TRIGGER:
            conn.exec_driver_sql(sql)
    elif conn.dialect.name == "postgresql":
        for sql in postgres_regeln(set(inspect(conn).get_table_names())):
            conn.exec_driver_sql(sql.replace("%", "%%"))  # der Treiber liest % als Platzhalter
