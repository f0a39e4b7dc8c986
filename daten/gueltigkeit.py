"""Werte, die aus der Konfiguration oder einer festen Menge kommen müssen, werden vor dem Schreiben geprüft.

`pruefe_objekt` läuft für jedes neue oder geänderte Objekt im `before_flush` der Datenschicht
(daten/audit.py); `pruefe_zeile` prüft ein Wörterbuch (für Sammel-Einfügungen der Systemsitzung und
für Importe, die Zeilen vorab melden wollen). Feste Mengen hält zusätzlich eine CHECK-Bedingung der
Datenbank; konfigurationsabhängige (Einrichtungsart …) kann nur die Datenschicht prüfen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session

from daten import politik, schutz
from daten.config import Kommune, lade_kommune
from daten.einstellungen import kommune_pfad
from daten.fehler import EingabeFehler


def _text(werte: Iterable[Any]) -> str:
    liste = list(werte)
    ganz = bool(liste) and all(isinstance(w, int) for w in liste)
    if ganz and len(liste) > 3 and liste == list(range(liste[0], liste[-1] + 1)):
        return f"{liste[0]} bis {liste[-1]}"
    return ", ".join("(leer)" if w is None else str(w) for w in liste)


# Steuerzeichen außer Tabulator und Zeilenumbruch: PostgreSQL lehnt NUL ab (englischer DataError), SQLite
# speichert es still; beides soll nicht sein – abgelehnt wird auf jeder Datenbank gleich und deutsch.
_STEUERZEICHEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _steuerzeichen(wert: Any) -> str | None:
    """Das erste verbotene Steuerzeichen in `wert` (auch in Listen/Wörterbüchern eines JSON-Felds) oder None."""
    if isinstance(wert, str):
        treffer = _STEUERZEICHEN.search(wert)
        return treffer.group() if treffer else None
    if isinstance(wert, dict):
        wert = [*wert.keys(), *wert.values()]
    if isinstance(wert, list | tuple):
        for w in wert:
            if (z := _steuerzeichen(w)) is not None:
                return z
    return None


def pruefe_steuerzeichen(tabelle: str, werte: dict[str, Any], *, bezeichnung: str = "") -> None:
    for feld, wert in werte.items():
        if (z := _steuerzeichen(wert)) is not None:
            name = politik.TABELLEN[tabelle].bezeichnung if tabelle in politik.TABELLEN else tabelle
            raise EingabeFehler(
                f"{name}{f' {bezeichnung!r}' if bezeichnung else ''}, Feld '{feld}': enthält das Steuerzeichen "
                f"U+{ord(z):04X}, das nicht gespeichert werden kann (oft aus einer kopierten Datei). Bitte den Text "
                "neu eingeben oder die Datei bereinigen. Nichts wurde gespeichert.")


def pruefe_zeile(tabelle: str, werte: dict[str, Any], kommune: Kommune, *, bezeichnung: str = "") -> None:
    """Prüft die in `werte` enthaltenen Felder von `tabelle`; unbekannter Wert → EingabeFehler (deutsch)."""
    pruefe_steuerzeichen(tabelle, werte, bezeichnung=bezeichnung)
    for feld, erlaubt_fn in politik.WERTE.get(tabelle, {}).items():
        if feld not in werte:
            continue
        erlaubt = list(erlaubt_fn(kommune))
        wert = werte[feld]
        if wert not in erlaubt or isinstance(wert, bool):
            name = politik.TABELLEN[tabelle].bezeichnung if tabelle in politik.TABELLEN else tabelle
            wer = f"{name}{f' {bezeichnung!r}' if bezeichnung else ''}"
            raise EingabeFehler(
                f"{wer}, Feld '{feld}': Wert {wert!r} ist nicht erlaubt. Erlaubt sind: {_text(erlaubt)} "
                f"(Kommune-Konfiguration '{kommune.name}' bzw. feste Werte der Anwendung). Nichts wurde gespeichert.")
    if tabelle == "benutzer" and str(werte.get("login", "")).strip().lower() == "system":
        raise EingabeFehler("Benutzerkonto: Der Login 'system' ist für die Anwendung reserviert. Bitte anderen wählen.")


def pruefe_objekt(obj: Any, kommune: Kommune, *, felder: set[str] | None = None) -> None:
    """Prüft ein ORM-Objekt; `felder` = nur diese (geänderten) Felder, None = alle geregelten."""
    tabelle = getattr(obj, "__tablename__", "")
    spalten = inspect(type(obj)).columns
    name = getattr(obj, "name", None) or getattr(obj, "titel", None) or getattr(obj, "schluessel", None) or ""
    texte = {c.key for c in spalten if c.key in (felder if felder is not None else spalten.keys())}
    pruefe_steuerzeichen(tabelle, {f: getattr(obj, f) for f in texte if not spalten[f].info.get("geheim")},
                         bezeichnung=_ohne_steuerzeichen(str(name)[:80]))
    regeln = set(politik.WERTE.get(tabelle, {})) | ({"login"} if tabelle == "benutzer" else set())
    zu_pruefen = regeln if felder is None else regeln & felder
    if not zu_pruefen:
        return
    # None bei einer Spalte mit Standardwert: den setzt die Datenbankschicht beim Einfügen (z. B. "geplant").
    werte = {f: getattr(obj, f) for f in zu_pruefen
             if not (getattr(obj, f) is None and f in spalten and spalten[f].default is not None)}
    pruefe_zeile(tabelle, werte, kommune, bezeichnung=_ohne_steuerzeichen(str(name)[:80]))


def _ohne_steuerzeichen(text: str) -> str:
    return _STEUERZEICHEN.sub("�", text)


def _standard_kommune() -> Kommune:
    return lade_kommune(kommune_pfad())


def kommune_der_sitzung(session: Session) -> Kommune:
    """Die Kommune-Konfiguration, gegen die geprüft wird: `sitzung(…, kommune=…)` oder die eingestellte."""
    k = session.info.get("kommune")
    if k is None:
        k = session.info["kommune"] = _standard_kommune()
    return k


@event.listens_for(Session, "do_orm_execute")
def _sammel_werte(state: ORMExecuteState) -> None:
    """Systemsitzung: auch Sammel-Einfügungen und -Änderungen gegen die Konfiguration prüfen (Personen dürfen
    keine Sammel-Anweisungen, siehe daten.schutz)."""
    if not (state.is_insert or state.is_update) or not schutz.ist_systemsitzung(state.session):
        return
    tabelle = getattr(getattr(state.statement, "table", None), "name", None)
    if tabelle is None:
        return
    zeilen = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
    kommune = kommune_der_sitzung(state.session)
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
