"""Änderungsprotokoll und Rechteprüfung als Session-Ereignisse.

Jede Sitzung (`Session`) trägt in `session.info["akteur"]` die handelnde Person. Vor dem Flush
wird für jedes neue, geänderte oder gelöschte Objekt geprüft, ob sie das darf; nach dem Flush
wird je Objekt eine Zeile in `aenderung` geschrieben (wer, wann, vorher, nachher).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import shapely
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from daten import modelle as m
from daten.fehler import RechteFehler
from daten.rechte import Akteur, darf_schreiben

_NICHT_PROTOKOLLIERT = {"aenderung", "kommune"}


def _wert(v: Any) -> Any:
    if isinstance(v, shapely.Geometry):
        return v.wkt
    if isinstance(v, date | datetime):
        return v.isoformat()
    return v


def _zustand(obj: Any, *, vorher: bool) -> dict[str, Any]:
    zustand = inspect(obj)
    werte: dict[str, Any] = {}
    for attr in zustand.mapper.column_attrs:
        hist = zustand.attrs[attr.key].history
        if vorher and hist.has_changes():
            v = hist.deleted[0] if hist.deleted else None
        else:
            v = getattr(obj, attr.key)
        if attr.key == "passwort_hash":
            v = "***"
        werte[attr.key] = _wert(v)
    return werte


def _sozialraum_id(session: Session, obj: Any) -> int | None:
    """Sozialraum, zu dem ein Datensatz für die Rechteprüfung gehört."""
    if isinstance(obj, m.Einrichtung):
        st = obj.stadtteil or (session.get(m.Stadtteil, obj.stadtteil_id) if obj.stadtteil_id else None)
        return st.sozialraum_id if st else None
    if isinstance(obj, m.Protokollpunkt):
        sz = obj.sitzung or (session.get(m.Sitzung, obj.sitzung_id) if obj.sitzung_id else None)
        return sz.sozialraum_id if sz else None
    if isinstance(obj, m.Hospitation):
        von = obj.von or (session.get(m.Einrichtung, obj.von_id) if obj.von_id else None)
        return _sozialraum_id(session, von) if von else None
    if isinstance(obj, m.Sozialraum):
        return obj.id
    return getattr(obj, "sozialraum_id", None)


@event.listens_for(Session, "before_flush")
def _vor_flush(session: Session, _ctx: Any, _inst: Any) -> None:
    akteur: Akteur | None = session.info.get("akteur")
    offen: list[tuple[Any, str, dict | None]] = []
    for aktion, objekte in (("anlegen", session.new), ("aendern", session.dirty), ("loeschen", session.deleted)):
        for obj in list(objekte):
            tabelle = getattr(obj, "__tablename__", None)
            if tabelle is None or tabelle in _NICHT_PROTOKOLLIERT:
                continue
            if aktion == "aendern" and not session.is_modified(obj, include_collections=False):
                continue
            if akteur is None:
                raise RechteFehler("Änderung ohne angemeldete Person abgelehnt. Bitte anmelden.")
            if not darf_schreiben(akteur, tabelle, _sozialraum_id(session, obj)):
                raise RechteFehler(
                    f"Keine Berechtigung: Rolle '{akteur.rolle}' darf '{tabelle}' in diesem Sozialraum nicht ändern."
                )
            offen.append((obj, aktion, None if aktion == "anlegen" else _zustand(obj, vorher=True)))
    session.info["_audit_offen"] = offen


@event.listens_for(Session, "after_flush")
def _nach_flush(session: Session, _ctx: Any) -> None:
    offen = session.info.pop("_audit_offen", [])
    if not offen:
        return
    akteur: Akteur = session.info["akteur"]
    zeilen = [
        {
            "benutzer": akteur.login,
            "tabelle": obj.__tablename__,
            "datensatz_id": getattr(obj, "id", None),
            "aktion": aktion,
            "vorher": vorher,
            "nachher": None if aktion == "loeschen" else _zustand(obj, vorher=False),
            "zeitpunkt": datetime.now().astimezone(),
        }
        for obj, aktion, vorher in offen
    ]
    session.connection().execute(insert(m.Aenderung), zeilen)
