"""„Diese Version wiederherstellen“: einen Stand aus dem Änderungsprotokoll über den normalen Dienstweg zurückschreiben.

Mit Rechteprüfung, Versionsvergleich und einer neuen Protokollzeile – wie jede Änderung. Der Stand im Protokoll
hat die Geometrie als WKT (EPSG:4326) und Datumswerte als ISO-Text.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import shapely
from sqlalchemy.orm import Session

from daten import modelle as m
from daten.config import Kommune
from daten.dienste import einrichtungen as de
from daten.dienste import netzwerke as dn
from daten.fehler import EingabeFehler
from daten.politik import Akteur


def _wert_aus_protokoll(modell: type[m.Basis], feld: str, wert: Any) -> Any:
    spalte = modell.__table__.c[feld]
    if wert is None:
        return None
    try:
        py = spalte.type.python_type
    except NotImplementedError:
        return wert
    if py is date and isinstance(wert, str):
        return date.fromisoformat(wert[:10])
    return wert


def stelle_version_wieder_her(session: Session, akteur: Akteur, *, kommune: Kommune, tabelle: str,
                              datensatz_id: int, aenderung_id: int, version: int) -> m.Basis:
    """Setzt den Eintrag auf den Stand nach Protokollzeile `aenderung_id` zurück (selbst protokolliert).

    `version` = aktueller Stand, den die Person vor sich hat (Konfliktprüfung wie beim Ändern).
    """
    z = session.get(m.Aenderung, aenderung_id)
    if z is None or z.tabelle != tabelle or z.datensatz_id != datensatz_id or not z.nachher:
        raise EingabeFehler("Diese Version gehört nicht zu diesem Eintrag oder beschreibt eine Löschung; "
                            "bitte eine Zeile aus seinem Verlauf wählen.")
    stand = z.nachher
    if tabelle == "einrichtung":
        felder = {k: _wert_aus_protokoll(m.Einrichtung, k, stand.get(k)) for k in de.FELDER}
        punkt = shapely.from_wkt(stand["geometrie"]) if stand.get("geometrie") else None
        return de.aendere_einrichtung(session, akteur, einrichtung_id=datensatz_id, version=version, kommune=kommune,
                                      trotz_dublette=True, punkt=punkt, **felder)
    if tabelle == "netzwerk":
        felder = {k: stand.get(k) for k in ("name", "status", "beschreibung", "koordination_id")}
        return dn.aendere_netzwerk(session, akteur, netzwerk_id=datensatz_id, version=version, **felder)
    raise EingabeFehler(f"Für „{tabelle}“ gibt es kein Wiederherstellen.")
