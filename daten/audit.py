"""Rechteprüfung, Wertprüfung und Änderungsprotokoll als Session-Ereignisse.

Jede Sitzung (`Session`) trägt in `session.info["akteur"]` die handelnde Person. Vor dem Flush wird
für jedes neue, geänderte oder gelöschte Objekt geprüft, ob sie das darf – im alten *und* im neuen
Sozialraum, auch bei Änderungen an Sammlungen (Netzwerk-Mitglieder, Bezüge von Protokollpunkten) –
und ob Werte aus Konfiguration/festen Mengen stammen. Nach dem Flush wird je Objekt eine Zeile in
`aenderung` geschrieben (wer, wann, vorher, nachher). `aenderung` selbst schreibt nur diese Stelle.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime
from typing import Any

import shapely
from sqlalchemy import column, event, insert, inspect, select, table
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from daten import modelle as m
from daten import politik, schutz
from daten.fehler import RechteFehler
from daten.gueltigkeit import kommune_der_sitzung, pruefe_objekt
from daten.politik import Akteur

# Betriebszustand, keine Fachdaten: Rechte ja (nur Admin/System), aber keine Zeile je Fehlversuch.
_OHNE_PROTOKOLL = {"anmeldesperre"}
# Sammlungen (viele-zu-viele), deren Änderung als Änderung des Besitzers zählt: Tabelle → Attribut.
SAMMLUNGEN = {"netzwerk": "mitglieder", "protokollpunkt": "bezug"}
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

_log = logging.getLogger("ressourcenkarte.aenderung")


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
    """Sozialraum eines Datensatzes: der gespeicherten Zeile (`alt`, frisch aus der Datenbank – nie aus dem
    Zustand im Speicher) oder der, den er nach dem Flush hätte (neu: Fremdschlüssel, Eltern aus der Datenbank)."""
    if alt:
        ident = inspect(obj).identity
        return politik.sozialraum_gespeichert(session, obj.__tablename__, ident[0]) if ident else None
    return politik.sozialraum_neu(session, obj)


def _pruefe_rechte(session: Session, akteur: Akteur, obj: Any, aktion: str) -> None:
    tabelle = obj.__tablename__
    if politik.umfang(akteur, aktion, tabelle) == politik.ALLE:
        return  # in allen Sozialräumen erlaubt: der Sozialraum muss nicht gelesen werden
    bereiche = set()
    if aktion != "anlegen":
        bereiche.add(_sr(session, obj, alt=True))
    if aktion != "loeschen":
        bereiche.add(_sr(session, obj, alt=False))
    for sr_id in bereiche:
        if not politik.darf(akteur, aktion, politik.Ziel(tabelle, sr_id)):
            grund = politik.begruendung(akteur, aktion, tabelle, _sozialraum_name(session, sr_id))
            if len(bereiche) > 1:
                grund += " (alter oder neuer Sozialraum: beide müssen erlaubt sein)"
            raise RechteFehler(grund)


def _sozialraum_name(session: Session, sozialraum_id: int | None) -> str | None:
    if sozialraum_id is None:
        return None
    t = table("sozialraum", column("id"), column("name"))
    return session.connection().execute(select(t.c.name).where(t.c.id == sozialraum_id)).scalar()


def _pruefe_eingefroren(session: Session, akteur: Akteur, obj: Any, aktion: str) -> None:
    """Felder, die nach einem Status fest sind (daten.politik, z. B. versendetes Protokoll, genehmigte Maßnahme):
    verglichen mit dem Status der **gespeicherten** Zeile (bzw. der Elternzeile)."""
    tabelle = politik.TABELLEN.get(obj.__tablename__)
    if tabelle is None or politik.ist_system(akteur):
        return
    for regel in tabelle.eingefroren:
        if akteur.rolle in regel.ausser:
            continue
        if regel.ueber is None:
            zeile = politik.gespeichert(session, obj) if aktion != "anlegen" else None
            status = zeile[regel.statusfeld] if zeile is not None else None
        else:
            weg = tabelle.weg
            eltern_id = _gespeicherter_wert(session, obj, weg.spalte, aktion)
            status = _status_der_elternzeile(session, regel.ueber, eltern_id, regel.statusfeld, weg.eltern)
        if status not in regel.status:
            continue
        geaendert = ({k for k, _ in _spalten(obj) if inspect(obj).attrs[k].history.has_changes()}
                     if aktion == "aendern" else set())
        betroffen = set(regel.felder) & geaendert if regel.felder else {"*"}
        if aktion == "aendern" and regel.felder and not betroffen:
            continue
        if aktion == "aendern" and not regel.felder and not (geaendert - {"version"}) and not _sammlung_geaendert(obj):
            continue
        was = {"anlegen": "Neue Einträge sind", "loeschen": "Löschen ist", "aendern": "Ändern ist"}[aktion]
        felder = "" if not regel.felder else f" (Felder: {', '.join(sorted(betroffen))})"
        raise RechteFehler(f"{tabelle.bezeichnung or tabelle.name}: {was} nach dem Status „{status}“ nicht mehr "
                           f"möglich{felder} – {regel.regel}.")


def _gespeicherter_wert(session: Session, obj: Any, feld: str, aktion: str) -> Any:
    if aktion == "anlegen":
        return getattr(obj, feld)
    zeile = politik.gespeichert(session, obj)
    return zeile[feld] if zeile is not None else getattr(obj, feld)


def _status_der_elternzeile(session: Session, ueber: str, eltern_id: Any, statusfeld: str, naechste: str | None
                            ) -> Any:
    """Status der Tabelle `ueber`, erreicht von der Elternzeile `naechste` (id `eltern_id`) entlang der Wege."""
    tabelle = naechste
    wert = eltern_id
    while tabelle is not None and tabelle != ueber and wert is not None:
        weg = politik.TABELLEN[tabelle].weg
        t = table(tabelle, column("id"), column(weg.spalte))
        wert = session.connection().execute(select(t.c[weg.spalte]).where(t.c.id == wert)).scalar()
        tabelle = weg.eltern
    if tabelle != ueber or wert is None:
        return None
    t = table(ueber, column("id"), column(statusfeld))
    return session.connection().execute(select(t.c[statusfeld]).where(t.c.id == wert)).scalar()


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
    if not kandidaten:
        session.info["_audit_offen"] = []
        schutz.flush_beginnt(session)
        return
    if akteur is None:
        raise RechteFehler("Änderung ohne angemeldete Person abgelehnt. Bitte anmelden.")
    kommune = kommune_der_sitzung(session)
    for obj, aktion in kandidaten:
        _pruefe_rechte(session, akteur, obj, aktion)
        _pruefe_eingefroren(session, akteur, obj, aktion)
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
    # Ab hier schreibt der ORM-Weg: bulk_save_objects/…_mappings setzen zwar Session._flushing, laufen aber ohne
    # before_flush – also ohne diese Prüfung; für sie bleibt die Datenbank verschlossen (daten.schutz).
    schutz.flush_beginnt(session)


def schreibe_protokollzeile(session: Session, zeilen: list[dict[str, Any]]) -> None:
    """Fügt Zeilen an `aenderung` an (nur die Datenschicht: im Flush einer Person oder in der Systemsitzung)."""
    if zeilen:
        schutz.intern_ausfuehren(session, insert(m.Aenderung), zeilen)


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
    for z in zeilen:  # Betriebsprotokoll: wer, was, welcher Datensatz – nie Inhalte (Texte, Namen)
        objekt = f"{z['tabelle']}/{z['datensatz_id']}"
        _log.info("Änderung %s %s durch %s", z["aktion"], objekt, z["benutzer"],
                  extra={"login": z["benutzer"], "aktion": z["aktion"], "objekt": objekt})
