"""Rechteprüfung, Wertprüfung und Änderungsprotokoll als Session-Ereignisse.

Jede Sitzung (`Session`) trägt in `session.info["akteur"]` die handelnde Person. Vor dem Flush wird
für jedes neue, geänderte oder gelöschte Objekt geprüft, ob sie das darf – im alten *und* im neuen
Sozialraum, auch bei Änderungen an Sammlungen (Netzwerk-Mitglieder, Bezüge von Protokollpunkten) –
und ob Werte aus Konfiguration/festen Mengen stammen. Nach dem Flush wird je Objekt eine Zeile in
`aenderung` geschrieben (wer, wann, vorher, nachher). `aenderung` selbst schreibt nur diese Stelle.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

import shapely
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from daten import modelle as m
from daten.config import Kommune
from daten.fehler import RechteFehler
from daten.gueltigkeit import pruefe_objekt
from daten.rechte import Akteur, darf_schreiben

# Betriebszustand, keine Fachdaten: Rechte ja (nur Admin/System), aber keine Zeile je Fehlversuch.
_OHNE_PROTOKOLL = {"anmeldesperre"}
# Sammlungen (viele-zu-viele), deren Änderung als Änderung des Besitzers zählt: Tabelle → Attribut.
SAMMLUNGEN = {"netzwerk": "mitglieder", "protokollpunkt": "bezug"}
# Wege zum Sozialraum für die Rechteprüfung: Tabelle → (Fremdschlüssel, Beziehung, Elternmodell).
_WEG: dict[str, tuple[str, str, type]] = {
    "einrichtung": ("stadtteil_id", "stadtteil", m.Stadtteil),
    "indikatorwert": ("stadtteil_id", "stadtteil", m.Stadtteil),
    "protokollpunkt": ("sitzung_id", "sitzung", m.Sitzung),
    "hospitation": ("von_id", "von", m.Einrichtung),
    "protokolldelegation": ("sitzung_id", "sitzung", m.Sitzung),
    "fehlende_ressource": ("protokollpunkt_id", "protokollpunkt", m.Protokollpunkt),
}


def _wert(v: Any) -> Any:
    if isinstance(v, shapely.Geometry):
        return v.wkt
    if isinstance(v, date | datetime):
        return v.isoformat()
    if isinstance(v, list):
        return [_wert(x) for x in v]
    if isinstance(v, dict):
        return {k: _wert(x) for k, x in v.items()}
    return v


def _spalten(obj: Any) -> list[tuple[str, Any]]:
    """(Attributname, Spalte) aller Spaltenattribute eines Objekts."""
    return [(a.key, a.columns[0]) for a in inspect(obj).mapper.column_attrs]


def _zustand(obj: Any, zeile: Any = None) -> dict[str, Any]:
    """Spaltenwerte (aus `zeile` = gespeicherter Stand, sonst aus dem Objekt) und Sammlungen als id-Listen."""
    werte: dict[str, Any] = {}
    for key, spalte in _spalten(obj):
        v = zeile._mapping[spalte] if zeile is not None else getattr(obj, key)
        werte[key] = "***" if spalte.info.get("geheim") else _wert(v)
    return werte


def _sammlung_ids(obj: Any, *, vorher: bool) -> dict[str, list[int | None]]:
    attr = SAMMLUNGEN.get(getattr(obj, "__tablename__", ""))
    if attr is None:
        return {}
    if not vorher:
        return {attr: sorted((e.id for e in getattr(obj, attr)), key=lambda i: (i is None, i))}
    h = inspect(obj).attrs[attr].history
    alt = [*h.unchanged, *h.deleted] if h.has_changes() else list(getattr(obj, attr))
    return {attr: sorted((e.id for e in alt), key=lambda i: (i is None, i))}


def _sammlung_geaendert(obj: Any) -> bool:
    attr = SAMMLUNGEN.get(getattr(obj, "__tablename__", ""))
    return attr is not None and inspect(obj).attrs[attr].history.has_changes()


def _sr(session: Session, obj: Any, *, alt: bool) -> int | None:
    """Sozialraum eines Datensatzes: gespeicherter Stand (`alt`) oder der nach dem Flush (neu)."""
    if obj is None:
        return None
    if isinstance(obj, m.Sozialraum):
        return obj.id
    tabelle = getattr(obj, "__tablename__", "")
    if tabelle in _WEG:
        fk, rel, eltern = _WEG[tabelle]
    elif "sozialraum_id" in inspect(obj).mapper.column_attrs:
        fk, rel, eltern = "sozialraum_id", "sozialraum", None
    else:
        return None
    zustand = inspect(obj)
    if alt:
        h = zustand.attrs[fk].history
        # Wurde nur die Beziehung umgehängt, steht im Fremdschlüssel noch der gespeicherte Wert.
        wert = h.deleted[0] if h.deleted else getattr(obj, fk)
    else:
        wert = getattr(obj, fk)
        if rel in zustand.mapper.relationships:
            h = zustand.attrs[rel].history
            if h.added:
                ziel = h.added[0]
                return None if ziel is None else (_sr(session, ziel, alt=False) if eltern else ziel.id)
    if wert is None or eltern is None:
        return wert
    return _sr(session, session.get(eltern, wert), alt=False)


def _standard_kommune() -> Kommune:
    from daten.config import lade_kommune
    from daten.einstellungen import kommune_pfad

    return lade_kommune(kommune_pfad())


def kommune_der_sitzung(session: Session) -> Kommune:
    """Die Kommune-Konfiguration, gegen die geprüft wird: `sitzung(…, kommune=…)` oder die eingestellte."""
    k = session.info.get("kommune")
    if k is None:
        k = session.info["kommune"] = _standard_kommune()
    return k


def _pruefe_rechte(session: Session, akteur: Akteur, obj: Any, aktion: str) -> None:
    tabelle = obj.__tablename__
    bereiche = set()
    if aktion != "anlegen":
        bereiche.add(_sr(session, obj, alt=True))
    if aktion != "loeschen":
        bereiche.add(_sr(session, obj, alt=False))
    for sr_id in bereiche:
        if not darf_schreiben(akteur, tabelle, sr_id):
            wo = "ohne Sozialraum" if sr_id is None else "in diesem Sozialraum"
            richtung = " (alter oder neuer Sozialraum)" if len(bereiche) > 1 else ""
            raise RechteFehler(
                f"Keine Berechtigung: Rolle '{akteur.rolle}' darf '{tabelle}' {wo}{richtung} nicht ändern.")


def _netzwerke_ueber_einrichtungen(session: Session) -> set[Any]:
    """Netzwerke, deren Mitglieder über `Einrichtung.netzwerke` (Gegenseite) geändert wurden."""
    betroffen = set()
    for obj in session.dirty:
        if isinstance(obj, m.Einrichtung):
            h = inspect(obj).attrs.netzwerke.history
            betroffen.update(n for n in (*h.added, *h.deleted) if n is not None)
    return betroffen


def _gespeichert(session: Session, objekte: list[Any]) -> dict[int, Any]:
    """Gespeicherter Stand (Datenbankzeile) je Objekt: der echte Vorher-Wert, auch bei In-place-Änderungen."""
    je_tabelle: dict[Any, list[Any]] = defaultdict(list)
    for obj in objekte:
        je_tabelle[inspect(obj).mapper].append(obj)
    ergebnis: dict[int, Any] = {}
    for mapper, liste in je_tabelle.items():
        pk = mapper.primary_key[0]
        ids = [inspect(o).identity[0] for o in liste if inspect(o).identity]
        abfrage = select(mapper.local_table).where(pk.in_(ids))
        zeilen = {z._mapping[pk]: z for z in session.connection().execute(abfrage)}
        for o in liste:
            if inspect(o).identity:
                ergebnis[id(o)] = zeilen.get(inspect(o).identity[0])
    return ergebnis


@event.listens_for(Session, "before_flush", insert=True)  # vor allen Fachregeln: Rechte, Werte
def _vor_flush(session: Session, _ctx: Any, _inst: Any) -> None:
    akteur: Akteur | None = session.info.get("akteur")
    kandidaten: list[tuple[Any, str]] = []
    for aktion, objekte in (("anlegen", session.new), ("aendern", session.dirty), ("loeschen", session.deleted)):
        for obj in list(objekte):
            tabelle = getattr(obj, "__tablename__", None)
            if tabelle is None:
                continue
            if tabelle == "aenderung":
                raise RechteFehler("Das Änderungsprotokoll (aenderung) ist unveränderlich: Zeilen werden nur von "
                                   "der Datenschicht angefügt, nie geändert oder gelöscht.")
            if aktion == "aendern" and not session.is_modified(obj, include_collections=True):
                continue
            kandidaten.append((obj, aktion))
    schon = {id(o) for o, _ in kandidaten}
    kandidaten += [(n, "aendern") for n in _netzwerke_ueber_einrichtungen(session) if id(n) not in schon]
    # Merker „echter Flush“ für den Wächter in daten.db: bulk_save_objects/…_mappings setzen zwar
    # Session._flushing, laufen aber ohne before_flush – also ohne Rechteprüfung und Protokoll.
    session.info["_im_flush"] = True
    if not kandidaten:
        session.info["_audit_offen"] = []
        return
    if akteur is None:
        raise RechteFehler("Änderung ohne angemeldete Person abgelehnt. Bitte anmelden.")
    kommune = kommune_der_sitzung(session)
    for obj, aktion in kandidaten:
        _pruefe_rechte(session, akteur, obj, aktion)
        if aktion != "loeschen":
            felder = None if aktion == "anlegen" else {k for k, _ in _spalten(obj)
                                                        if inspect(obj).attrs[k].history.has_changes()}
            pruefe_objekt(obj, kommune, felder=felder)
    gespeichert = _gespeichert(session, [o for o, a in kandidaten if a == "aendern"])
    offen: list[tuple[Any, str, dict | None]] = []
    for obj, aktion in kandidaten:
        if aktion == "aendern" and _sammlung_geaendert(obj) and hasattr(obj, "version"):
            # Nur die Sammlung geändert: eine Spalte als geändert markieren, damit das ORM die Zeile mit
            # Versionsprüfung aktualisiert (neue Version, Konflikt bei veraltetem Stand).
            flag_modified(obj, next(k for k, c in _spalten(obj) if not c.primary_key and k != "version"))
        if obj.__tablename__ in _OHNE_PROTOKOLL:
            continue
        vorher = None
        if aktion == "aendern":
            zeile = gespeichert.get(id(obj))
            vorher = {**_zustand(obj, zeile), **_sammlung_ids(obj, vorher=True)}
        elif aktion == "loeschen":
            vorher = {**_zustand(obj), **_sammlung_ids(obj, vorher=True)}
        offen.append((obj, aktion, vorher))
    session.info["_audit_offen"] = offen


def schreibe_protokollzeile(session: Session, zeilen: list[dict[str, Any]]) -> None:
    """Fügt Zeilen an `aenderung` an (nur die Datenschicht ruft das auf; am Wächter vorbei, siehe daten.db)."""
    if not zeilen:
        return
    session.info["_intern"] = True
    try:
        session.connection().execute(insert(m.Aenderung), zeilen)
    finally:
        session.info["_intern"] = False


@event.listens_for(Session, "after_flush")
def _nach_flush(session: Session, _ctx: Any) -> None:
    offen = session.info.pop("_audit_offen", [])
    if not offen:
        return
    akteur: Akteur = session.info["akteur"]
    jetzt = datetime.now().astimezone()
    zeilen = []
    zaehler = session.info.get("_zaehler")
    for obj, aktion, vorher in offen:
        nachher = None if aktion == "loeschen" else {**_zustand(obj), **_sammlung_ids(obj, vorher=False)}
        zeilen.append({"benutzer": akteur.login, "tabelle": obj.__tablename__,
                       "datensatz_id": getattr(obj, "id", None), "aktion": aktion, "vorher": vorher,
                       "nachher": nachher, "zeitpunkt": jetzt})
        if zaehler is not None:
            zaehler.setdefault(obj.__tablename__, {}).setdefault(aktion, 0)
            zaehler[obj.__tablename__][aktion] += 1
    schreibe_protokollzeile(session, zeilen)


@event.listens_for(Session, "after_flush_postexec")
def _flush_ende(session: Session, _ctx: Any) -> None:
    session.info["_im_flush"] = False


@event.listens_for(Session, "after_soft_rollback")
def _flush_abbruch(session: Session, _tx: Any) -> None:
    session.info["_im_flush"] = False
