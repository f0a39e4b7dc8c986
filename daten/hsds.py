"""Einrichtungsverzeichnis als Open Referral HSDS 3.0: eine JSON-Liste von `service`-Objekten.

Ein Service je offener Einrichtung (nicht je Angebot): unsere Angebote sind Freitext ohne eigenen
Schlüssel, Ort und Träger hängen an der Einrichtung, und wer sucht, sucht die Einrichtung. Die Angebote
stehen in `description`, die Zielgruppen in `eligibility_description`, die Art als `attributes` →
`taxonomy_term` (Taxonomie = Einrichtungsarten der Kommune-Konfiguration).

Jeder Service trägt seine `organization` (der Träger) und `service_at_locations` → `location` mit
`latitude`/`longitude` (EPSG:4326) und Adresse. Alle ids sind UUIDv5 aus unseren Schlüsseln: derselbe
Datensatz hat in jedem Export dieselbe id. Offen = aktiv und nicht vor heute geschlossen; noch nicht
eröffnete Einrichtungen erscheinen mit `status` "inactive" und dem Eröffnungsdatum.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from daten import modelle as m
from daten.config import Kommune
from daten.dateien import schreibe_atomar
from daten.fehler import EingabeFehler

# Fester Namensraum der Ressourcenkarte für UUIDv5 (einmal zufällig erzeugt, nie ändern).
NAMENSRAUM = uuid.UUID("6f1c5a52-3c1e-4b7e-9a55-0f4d1f2b8e61")
LAND = "DE"
_ADRESSE = re.compile(r"^(?P<strasse>.+?),\s*(?P<plz>\d{5})\s+(?P<ort>.+)$")


def _id(kommune: Kommune, *teile: object) -> str:
    return str(uuid.uuid5(NAMENSRAUM, "/".join([kommune.name, *map(str, teile)])))


def _zeitpunkt(z: datetime | None) -> str | None:
    if z is None:
        return None
    # SQLite speichert ohne Zone (Ortszeit des Servers), PostgreSQL mit: beides als RFC 3339 mit Versatz
    return (z if z.tzinfo else z.astimezone()).isoformat(timespec="milliseconds")


def _adresse(kommune: Kommune, e: m.Einrichtung, location_id: str) -> list[dict[str, str]]:
    treffer = _ADRESSE.match((e.adresse or "").strip())
    if not treffer:
        return []
    return [{"id": _id(kommune, "adresse", e.schluessel), "location_id": location_id,
             "address_1": treffer["strasse"].strip(), "city": treffer["ort"].strip(),
             "state_province": kommune.bundesland, "postal_code": treffer["plz"], "country": LAND,
             "address_type": "physical"}]


def _organisation(kommune: Kommune, e: m.Einrichtung) -> dict[str, Any]:
    traegerart = kommune.traegerarten.get(e.traeger_art, e.traeger_art)
    if e.traeger:
        return {"id": _id(kommune, "traeger", e.traeger), "name": e.traeger,
                "description": f"Träger ({traegerart}) von Einrichtungen in der Ressourcenkarte {kommune.name}.",
                "legal_status": traegerart}
    return {"id": _id(kommune, "traeger-von", e.schluessel), "name": f"Träger von {e.name}",
            "description": f"Trägername nicht erfasst; Trägerart: {traegerart}.", "legal_status": traegerart}


def _service(kommune: Kommune, e: m.Einrichtung, heute: date, geaendert: datetime | None) -> dict[str, Any]:
    sid = _id(kommune, "einrichtung", e.schluessel)
    lid = _id(kommune, "ort", e.schluessel)
    art = next((a for a in kommune.einrichtungsarten if a.schluessel == e.art), None)
    bezeichnung = art.bezeichnung if art else e.art
    org = _organisation(kommune, e)
    beschreibung = [f"{bezeichnung} im Stadtteil {e.stadtteil.name} (Sozialraum {e.stadtteil.sozialraum.name})."]
    if e.angebote:
        beschreibung.append("Angebote: " + "; ".join(e.angebote) + ".")
    if e.kapazitaet is not None:
        beschreibung.append(f"Kapazität: {e.kapazitaet}.")
    offen = e.gueltig_von is None or e.gueltig_von <= heute
    if not offen:
        beschreibung.append(f"Öffnet am {e.gueltig_von:%d.%m.%Y}.")
    lon, lat = e.geometrie.x, e.geometrie.y
    location = {"id": lid, "location_type": "physical", "organization_id": org["id"], "name": e.name,
                "latitude": round(lat, 7), "longitude": round(lon, 7), "external_identifier": e.schluessel,
                "external_identifier_type": f"Ressourcenkarte {kommune.name}"}
    adressen = _adresse(kommune, e, lid)
    if adressen:
        location["addresses"] = adressen
    dienst: dict[str, Any] = {
        "id": sid, "organization_id": org["id"], "name": e.name, "description": " ".join(beschreibung),
        "status": "active" if offen else "inactive",
        "service_areas": [{"id": _id(kommune, "gebiet", e.schluessel), "service_id": sid,
                           "name": f"Sozialraum {e.stadtteil.sozialraum.name}",
                           "description": f"Stadtteil {e.stadtteil.name}"}],
        "service_at_locations": [{"id": _id(kommune, "dienst-am-ort", e.schluessel), "service_id": sid,
                                  "location_id": lid, "location": location}],
        "organization": org,
        "attributes": [{"id": _id(kommune, "merkmal", e.schluessel, e.art), "link_type": "einrichtungsart",
                        "link_entity": "service", "link_id": sid, "value": e.art,
                        "taxonomy_term_id": _id(kommune, "art", e.art),
                        "taxonomy_term": {"id": _id(kommune, "art", e.art), "code": e.art, "name": bezeichnung,
                                          "description": bezeichnung, "language": "deu",
                                          "taxonomy": f"Einrichtungsarten der Ressourcenkarte {kommune.name}"}}],
    }
    if e.zielgruppen:
        dienst["eligibility_description"] = "Zielgruppen: " + ", ".join(e.zielgruppen) + "."
    if geaendert is not None:
        dienst["last_modified"] = _zeitpunkt(geaendert)
    return dienst


def dienste(*, session: Session, kommune: Kommune, heute: date | None = None) -> list[dict[str, Any]]:
    """HSDS-`service`-Objekte aller offenen Einrichtungen (aktiv, nicht vor `heute` geschlossen)."""
    heute = heute or date.today()
    geaendert = dict(session.execute(
        select(m.Aenderung.datensatz_id, func.max(m.Aenderung.zeitpunkt))
        .where(m.Aenderung.tabelle == "einrichtung").group_by(m.Aenderung.datensatz_id)).all())
    q = (select(m.Einrichtung).options(joinedload(m.Einrichtung.stadtteil).joinedload(m.Stadtteil.sozialraum))
         .where(m.Einrichtung.aktiv.is_(True),
                or_(m.Einrichtung.gueltig_bis.is_(None), m.Einrichtung.gueltig_bis >= heute))
         .order_by(m.Einrichtung.schluessel))
    return [_service(kommune, e, heute, geaendert.get(e.id)) for e in session.scalars(q)
            if e.geometrie is not None and not e.geometrie.is_empty]


def exportiere_hsds(pfad: Path, *, session: Session, kommune: Kommune) -> str:
    """Schreibt `pfad` (…hsds.json) atomar; gibt eine deutsche Zusammenfassung zurück."""
    if not pfad.parent.exists():
        raise EingabeFehler(f"Ordner {pfad.parent} existiert nicht. Bitte zuerst anlegen oder anderen Pfad wählen.")
    liste = dienste(session=session, kommune=kommune)
    # über den einen atomaren Schreiber (daten.dateien): Dateirechte nach umask (z. B. 0644), nicht mkstemps 0600
    schreibe_atomar(pfad, json.dumps(liste, ensure_ascii=False, indent=1))
    return f"HSDS 3.0 {pfad} mit {len(liste)} Services (je offene Einrichtung einer) geschrieben."
