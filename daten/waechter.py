"""Wächter für Sammel- und Text-Anweisungen auf jeder Verbindung einer Sitzung der Datenschicht.

Schreibende Anweisungen außerhalb eines echten ORM-Flushs (`session.execute(update(…))`, `text("UPDATE …")`,
Anweisungen über `session.connection()`, `bulk_insert_mappings` …) werden abgelehnt, außer in einer
Systemsitzung (`daten.db.systemsitzung`); `aenderung` darf niemand ändern oder löschen. Im Zweifel gilt
eine Anweisung als schreibend. Die Systemsitzung zählt ihre Sammel-Anweisungen für die Zusammenfassung.
"""

from __future__ import annotations

import re
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, Session

from daten import audit
from daten.fehler import RechteFehler
from daten.gueltigkeit import pruefe_zeile
from daten.rechte import SYSTEM

_SYSTEM_MARKE = object()  # nur systemsitzung setzt sie; ein Admin-Konto kann sie nicht erlangen


def ist_systemsitzung(session: Session) -> bool:
    return session.info.get("_system") is _SYSTEM_MARKE and session.info.get("akteur") is SYSTEM


_KOMMENTARE = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)
_LITERALE = re.compile(r"'(?:[^']|'')*'")
_SCHREIBWORTE = re.compile(r"\b(insert|update|delete|merge|truncate|drop|alter|create|grant|revoke|copy|into|"
                           r"attach|detach|vacuum|reindex|lock|call|do)\b", re.I)
_SPERRKLAUSEL = re.compile(r"\bfor\s+(no\s+key\s+)?(update|share)(\s+of\s+[\w\",. ]+)?(\s+(nowait|skip\s+locked))?",
                           re.I)
_LESE_PRAGMAS = {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list",
                 "quick_check", "integrity_check", "foreign_key_check", "database_list", "compile_options"}
_AENDERUNG = re.compile(r"\baenderung\b", re.I)
_TAB = r"(?:\"?\w+\"?\.)?\"?aenderung\"?"
_ANFUEGEN = re.compile(rf"^\s*insert\s+into\s+{_TAB}[\s(]", re.I)
_LEEREN = re.compile(rf"^\s*(delete\s+from|truncate(\s+table)?)\s+{_TAB}\s*;?\s*$", re.I)
_ZIEL = re.compile(r"^\s*(?:insert\s+(?:or\s+\w+\s+)?into|update|delete\s+from|truncate(?:\s+table)?|replace\s+into)"
                   r"\s+(?:only\s+)?(?:\"?\w+\"?\.)?\"?(\w+)\"?", re.I)


def _ist_lesend(sql: str) -> bool:
    """True, wenn `sql` nur liest (eine Anweisung). Im Zweifel False: lieber ablehnen als durchlassen."""
    rumpf = _LITERALE.sub("''", _KOMMENTARE.sub(" ", sql)).strip().rstrip(";").strip()
    if ";" in rumpf:
        return False
    erstes = re.match(r"[\s(]*([a-zA-Z_]+)", rumpf)
    wort = erstes.group(1).lower() if erstes else ""
    if wort in ("savepoint", "release", "rollback"):
        return True
    if wort == "pragma":
        name = re.match(r"pragma\s+(?:\w+\.)?(\w+)\s*(\(.*\))?$", rumpf, re.I | re.S)
        return bool(name) and "=" not in rumpf and (name.group(1).lower() in _LESE_PRAGMAS or not name.group(2))
    if wort in ("select", "with", "explain", "show", "values"):
        return not _SCHREIBWORTE.search(_SPERRKLAUSEL.sub(" ", rumpf))
    return False


def _sitzung_der_verbindung(conn: Any) -> Session | None:
    ref = conn.get_execution_options().get("rk_sitzung")
    return ref() if ref is not None else None


@event.listens_for(Session, "after_begin")
def _verbindung_markieren(session: Session, _transaktion: Any, verbindung: Any) -> None:
    verbindung.execution_options(rk_sitzung=weakref.ref(session))


@event.listens_for(Engine, "before_cursor_execute")
def _waechter(conn, _cursor, statement, _params, _ctx, _many) -> None:  # noqa: ANN001
    s = _sitzung_der_verbindung(conn)
    if s is None or _ist_lesend(statement):
        return
    # Jede schreibende Anweisung, die `aenderung` nennt (auch mit Schema, in einem WITH …), außer dem
    # reinen Anfügen: abgelehnt – auch für das System, bis auf das Leeren bei „ersetzen“.
    rumpf = _LITERALE.sub("''", _KOMMENTARE.sub(" ", statement))
    if _AENDERUNG.search(rumpf) and not _ANFUEGEN.match(rumpf):
        leeren = _LEEREN.match(rumpf)
        # Schemaaufbau der Wiederherstellung (Migrationen in derselben Transaktion) legt die Tabelle an
        aufbau = ist_systemsitzung(s) and s.info.get("schema_aufbau")
        if not (aufbau or (leeren and ist_systemsitzung(s) and s.info.get("aenderung_ersetzen"))):
            raise RechteFehler("Das Änderungsprotokoll (aenderung) ist unveränderlich: Ändern und Löschen von "
                               "Zeilen wird abgelehnt, auch für die Administration.")
    if (getattr(s, "_flushing", False) and s.info.get("_im_flush")) or s.info.get("_intern"):
        return  # ORM-Weg (Rechte und Protokoll liefen vor dem Flush) oder Protokollzeile der Datenschicht
    if not ist_systemsitzung(s):
        raise RechteFehler(
            "Sammel- oder Text-Anweisungen, die schreiben, sind über die Sitzung nur dem System erlaubt "
            "(Import, Wiederherstellung, Demo). Bitte Datensätze einzeln über die Datenschicht ändern – "
            "so laufen Rechteprüfung, Änderungsprotokoll und Versionszähler.")


@event.listens_for(Engine, "after_cursor_execute")
def _zaehlen(conn, cursor, statement, _params, _ctx, _many) -> None:  # noqa: ANN001
    s = _sitzung_der_verbindung(conn)
    if s is None or s.info.get("_im_flush") or s.info.get("_intern") or not ist_systemsitzung(s):
        return
    ziel = _ZIEL.match(_KOMMENTARE.sub(" ", statement))
    if ziel:
        je = s.info["_zaehler"].setdefault(ziel.group(1).lower(), {})
        je["sammel"] = je.get("sammel", 0) + max(cursor.rowcount or 0, 0)


@event.listens_for(Session, "do_orm_execute")
def _orm_sammel(state: ORMExecuteState) -> None:
    """Klare Meldung schon vor der Ausführung; Systemsitzung: eingefügte Werte gegen die Konfiguration prüfen."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    s = state.session
    if not ist_systemsitzung(s):
        raise RechteFehler(
            "Sammel-Anweisungen (insert/update/delete) über die Sitzung sind nur dem System erlaubt (Import, "
            "Wiederherstellung, Demo). Bitte Datensätze einzeln über die Datenschicht ändern.")
    if state.is_delete:
        return
    tabelle = getattr(getattr(state.statement, "table", None), "name", None)
    if tabelle is None:
        return
    zeilen = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
    kommune = audit.kommune_der_sitzung(s)
    for i, zeile in enumerate(zeilen, start=1):
        namen = {getattr(k, "key", k): v for k, v in zeile.items()}
        pruefe_zeile(tabelle, namen, kommune, bezeichnung=f"Zeile {i}" if len(zeilen) > 1 else "")
    for k, v in _werte_aus_values(state.statement):
        pruefe_zeile(tabelle, {k: v}, kommune)


def _werte_aus_values(stmt: Any) -> list[tuple[str, Any]]:
    """(Spalte, Wert) aus `.values(…)` einer insert/update-Anweisung (nur feste Werte, keine Ausdrücke)."""
    zeilen = [getattr(stmt, "_values", None) or {}]
    for mehr in getattr(stmt, "_multi_values", None) or ():
        zeilen.extend(z for z in mehr if isinstance(z, dict))
    paare = []
    for zeile in zeilen:
        for k, v in zeile.items():
            name = getattr(k, "key", k)
            wert = getattr(v, "value", v)
            if isinstance(name, str) and isinstance(wert, str | int | float) and not isinstance(wert, bool):
                paare.append((name, wert))
    return paare
