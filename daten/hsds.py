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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Eintrag:
    """Was ein Service braucht, unabhängig von der Quelle (Modell oder öffentliche Sicht); Lage in EPSG:4326.

    `kapazitaet` nur aus dem Modell: die öffentlichen Sichten geben sie nicht frei (daten/offene_dateien.py)."""

    schluessel: str
    name: str
    art: str
    traeger: str | None
    traeger_art: str
    adresse: str | None
    stadtteil: str
    sozialraum: str
    laenge: float
    breite: float
    angebote: tuple[str, ...] = ()
    zielgruppen: tuple[str, ...] = ()
    kapazitaet: int | None = None
    gueltig_von: date | None = None
    geaendert: datetime | None = None


def _adresse(kommune: Kommune, x: Eintrag, location_id: str) -> list[dict[str, str]]:
    treffer = _ADRESSE.match((x.adresse or "").strip())
    if not treffer:
        return []
    return [{"id": _id(kommune, "adresse", x.schluessel), "location_id": location_id,
             "address_1": treffer["strasse"].strip(), "city": treffer["ort"].strip(),
             "state_province": kommune.bundesland, "postal_code": treffer["plz"], "country": LAND,
             "address_type": "physical"}]


def _organisation(kommune: Kommune, x: Eintrag) -> dict[str, Any]:
    traegerart = kommune.traegerarten.get(x.traeger_art, x.traeger_art)
    if x.traeger:
        return {"id": _id(kommune, "traeger", x.traeger), "name": x.traeger,
                "description": f"Träger ({traegerart}) von Einrichtungen in der Ressourcenkarte {kommune.name}.",
                "legal_status": traegerart}
    return {"id": _id(kommune, "traeger-von", x.schluessel), "name": f"Träger von {x.name}",
            "description": f"Trägername nicht angegeben; Trägerart: {traegerart}.", "legal_status": traegerart}


def service(kommune: Kommune, x: Eintrag, heute: date) -> dict[str, Any]:
    """Ein HSDS-`service`-Objekt (mit Organisation, Ort und Art) für eine Einrichtung."""
    sid = _id(kommune, "einrichtung", x.schluessel)
    lid = _id(kommune, "ort", x.schluessel)
    art = next((a for a in kommune.einrichtungsarten if a.schluessel == x.art), None)
    bezeichnung = art.bezeichnung if art else x.art
    org = _organisation(kommune, x)
    beschreibung = [f"{bezeichnung} im Stadtteil {x.stadtteil} (Sozialraum {x.sozialraum})."]
    if x.angebote:
        beschreibung.append("Angebote: " + "; ".join(x.angebote) + ".")
    if x.kapazitaet is not None:
        beschreibung.append(f"Kapazität: {x.kapazitaet}.")
    offen = x.gueltig_von is None or x.gueltig_von <= heute
    if not offen:
        beschreibung.append(f"Öffnet am {x.gueltig_von:%d.%m.%Y}.")
    location = {"id": lid, "location_type": "physical", "organization_id": org["id"], "name": x.name,
                "latitude": round(x.breite, 7), "longitude": round(x.laenge, 7), "external_identifier": x.schluessel,
                "external_identifier_type": f"Ressourcenkarte {kommune.name}"}
    adressen = _adresse(kommune, x, lid)
    if adressen:
        location["addresses"] = adressen
    dienst: dict[str, Any] = {
        "id": sid, "organization_id": org["id"], "name": x.name, "description": " ".join(beschreibung),
        "status": "active" if offen else "inactive",
        "service_areas": [{"id": _id(kommune, "gebiet", x.schluessel), "service_id": sid,
                           "name": f"Sozialraum {x.sozialraum}", "description": f"Stadtteil {x.stadtteil}"}],
        "service_at_locations": [{"id": _id(kommune, "dienst-am-ort", x.schluessel), "service_id": sid,
                                  "location_id": lid, "location": location}],
        "organization": org,
        "attributes": [{"id": _id(kommune, "merkmal", x.schluessel, x.art), "link_type": "einrichtungsart",
                        "link_entity": "service", "link_id": sid, "value": x.art,
                        "taxonomy_term_id": _id(kommune, "art", x.art),
                        "taxonomy_term": {"id": _id(kommune, "art", x.art), "code": x.art, "name": bezeichnung,
                                          "description": bezeichnung, "language": "deu",
                                          "taxonomy": f"Einrichtungsarten der Ressourcenkarte {kommune.name}"}}],
    }
    if x.zielgruppen:
        dienst["eligibility_description"] = "Zielgruppen: " + ", ".join(x.zielgruppen) + "."
    if x.geaendert is not None:
        dienst["last_modified"] = _zeitpunkt(x.geaendert)
    return dienst


def _eintrag(e: m.Einrichtung, geaendert: datetime | None) -> Eintrag:
    return Eintrag(schluessel=e.schluessel, name=e.name, art=e.art, traeger=e.traeger, traeger_art=e.traeger_art,
                   adresse=e.adresse, stadtteil=e.stadtteil.name, sozialraum=e.stadtteil.sozialraum.name,
                   laenge=e.geometrie.x, breite=e.geometrie.y, angebote=tuple(e.angebote or ()),
                   zielgruppen=tuple(e.zielgruppen or ()), kapazitaet=e.kapazitaet, gueltig_von=e.gueltig_von,
                   geaendert=geaendert)


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
    return [service(kommune, _eintrag(e, geaendert.get(e.id)), heute) for e in session.scalars(q)
            if e.geometrie is not None and not e.geometrie.is_empty]


def exportiere_hsds(pfad: Path, *, session: Session, kommune: Kommune) -> str:
    """Schreibt `pfad` (…hsds.json) atomar; gibt eine deutsche Zusammenfassung zurück."""
    if not pfad.parent.exists():
        raise EingabeFehler(f"Ordner {pfad.parent} existiert nicht. Bitte zuerst anlegen oder anderen Pfad wählen.")
    liste = dienste(session=session, kommune=kommune)
    # über den einen atomaren Schreiber (daten.dateien): Dateirechte nach umask (z. B. 0644), nicht mkstemps 0600
    schreibe_atomar(pfad, json.dumps(liste, ensure_ascii=False, indent=1))
    return f"HSDS 3.0 {pfad} mit {len(liste)} Services (je offene Einrichtung einer) geschrieben."
