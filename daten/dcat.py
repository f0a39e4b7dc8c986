"""Metadatensatz der offenen Daten nach DCAT-AP.de (JSON-LD) für das Datenportal der Stadt.

Ein `dcat:Dataset` mit Titel, Beschreibung, Lizenz (URI aus dem Vokabular von dcat-ap.de), Herausgeber (das
Amt), Kontaktstelle, zeitlicher Abdeckung (Jahre der Indikatoren), räumlicher Abdeckung (Gemeindeschlüssel,
sonst nur die Ausdehnung als WKT in EPSG:4326), Aktualisierungsfrequenz (EU-Vokabular „frequency“),
Schlüsselwörtern und je Datei einer `dcat:Distribution` mit Format (EU „file-type“), Medientyp und Adresse.

Was die Konfiguration nicht hergibt, steht als `ANNAHME: …` in der Liste `hinweise` (kein DCAT-Feld; das
Portal ignoriert es, wer den Satz prüft, sieht es).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

KONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "locn": "http://www.w3.org/ns/locn#",
}
LIZENZEN = {  # Kurzname → URI im Lizenzvokabular von DCAT-AP.de
    "dl-de/by-2-0": "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
    "dl-de/zero-2-0": "http://dcat-ap.de/def/licenses/dl-zero-de/2.0",
    "cc-by/4.0": "http://dcat-ap.de/def/licenses/cc-by/4.0",
    "cc-zero": "http://dcat-ap.de/def/licenses/cc-zero",
}
LIZENZ_STANDARD = "dl-de/by-2-0"
FREQUENZ = "http://publications.europa.eu/resource/authority/frequency/"
FREQUENZEN = ("DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "ANNUAL", "IRREG", "CONT", "UNKNOWN")
DATEITYP = "http://publications.europa.eu/resource/authority/file-type/"
MEDIENTYP = "https://www.iana.org/assignments/media-types/"
THEMA_SOZIALES = "http://publications.europa.eu/resource/authority/data-theme/SOCI"
GEMEINDE = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/"
GEMEINDE_EBENE = "http://dcat-ap.de/def/politicalGeocodingLevel/municipality"


@dataclass(frozen=True)
class Verteilung:
    """Eine Datei oder Schnittstelle des Datensatzes: `format` = Kürzel im EU-Vokabular „file-type“
    (GPKG, GEOJSON, CSV, JSON), `medientyp` = IANA-Medientyp, `adresse` = URL oder Dateiname."""

    titel: str
    beschreibung: str
    format: str
    medientyp: str
    adresse: str
    herunterladen: bool = True


def lizenz_uri(lizenz: str | None) -> str:
    """URI der Lizenz: ein Kurzname aus LIZENZEN, eine URI (unverändert) oder leer → Datenlizenz Deutschland –
    Namensnennung 2.0."""
    text = (lizenz or "").strip()
    if not text:
        return LIZENZEN[LIZENZ_STANDARD]
    return text if text.startswith(("http://", "https://")) else LIZENZEN.get(text.lower(), text)


def datensatz(*, titel: str, beschreibung: str, herausgeber: str, kontakt_name: str, kontakt_email: str | None,
              lizenz: str | None, jahre: Sequence[int], bbox: tuple[float, float, float, float] | None,
              gemeindeschluessel: str | None, frequenz: str, schluesselwoerter: Sequence[str],
              verteilungen: Sequence[Verteilung], landingpage: str | None, stand: date,
              hinweise: Sequence[str] = ()) -> dict[str, Any]:
    """Der DCAT-AP.de-Datensatz als JSON-LD-Objekt; `bbox` = (west, süd, ost, nord) in EPSG:4326."""
    uri = lizenz_uri(lizenz)
    satz: dict[str, Any] = {
        "@context": KONTEXT, "@type": "dcat:Dataset",
        "dct:title": titel, "dct:description": beschreibung, "dct:language": {
            "@id": "http://publications.europa.eu/resource/authority/language/DEU"},
        "dct:license": {"@id": uri},
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": herausgeber},
        "dcat:contactPoint": {"@type": "vcard:Organization", "vcard:fn": kontakt_name,
                              **({"vcard:hasEmail": {"@id": f"mailto:{kontakt_email}"}} if kontakt_email else {})},
        "dct:accrualPeriodicity": {"@id": FREQUENZ + frequenz},
        "dcat:keyword": list(schluesselwoerter),
        "dcat:theme": [{"@id": THEMA_SOZIALES}],
        "dct:modified": {"@value": stand.isoformat(), "@type": "xsd:date"},
        "dcat:distribution": [_verteilung(v, uri) for v in verteilungen],
    }
    if jahre:
        satz["dct:temporal"] = {"@type": "dct:PeriodOfTime",
                                "dcat:startDate": {"@value": f"{min(jahre)}-01-01", "@type": "xsd:date"},
                                "dcat:endDate": {"@value": f"{max(jahre)}-12-31", "@type": "xsd:date"}}
    raum: list[dict[str, Any]] = []
    if gemeindeschluessel:
        raum.append({"@id": GEMEINDE + gemeindeschluessel})
        satz["dcatde:politicalGeocodingURI"] = {"@id": GEMEINDE + gemeindeschluessel}
        satz["dcatde:politicalGeocodingLevelURI"] = {"@id": GEMEINDE_EBENE}
    if bbox is not None:
        w, s, o, n = (round(float(x), 6) for x in bbox)
        raum.append({"@type": "dct:Location", "dcat:bbox": {
            "@value": f"POLYGON(({w} {s}, {o} {s}, {o} {n}, {w} {n}, {w} {s}))",
            "@type": "http://www.opengis.net/ont/geosparql#wktLiteral"}})
    if raum:
        satz["dct:spatial"] = raum
    if landingpage:  # die Seite „Offene Daten“ ist auch die Kennung des Datensatzes
        satz = {"@id": f"{landingpage}#datensatz", **satz, "dct:identifier": f"{landingpage}#datensatz",
                "dcat:landingPage": {"@id": landingpage}}
    if hinweise:
        satz["hinweise"] = list(hinweise)
    return satz


def _verteilung(v: Verteilung, lizenz: str) -> dict[str, Any]:
    aus: dict[str, Any] = {"@type": "dcat:Distribution", "dct:title": v.titel, "dct:description": v.beschreibung,
                           "dct:format": {"@id": DATEITYP + v.format},
                           "dcat:mediaType": {"@id": MEDIENTYP + v.medientyp},
                           "dcat:accessURL": {"@id": v.adresse}, "dct:license": {"@id": lizenz}}
    if v.herunterladen:
        aus["dcat:downloadURL"] = {"@id": v.adresse}
    return aus
