"""Spalten der Quelldatei den Zielfeldern zuordnen: ausdrücklich (`--spalte ZIEL=QUELLE`) oder über gängige Namen."""

from __future__ import annotations

from daten.fehler import EingabeFehler
from daten.importe.bericht import Bericht
from daten.importe.namen import Namensliste, meinten_sie, vergleichsform

# Zielfeld → gängige Spaltennamen (verglichen ohne Groß/klein, Bindestriche, Unterstriche; bei
# verschachteltem JSON zählt auch der letzte Teil, z. B. location.lat → lat).
EINRICHTUNG_ZIELE: dict[str, list[str]] = {
    "schluessel": ["schluessel", "schlüssel", "id", "kennung", "@id", "schul nr", "schulnummer", "einrichtungsnummer"],
    "name": ["name", "bezeichnung", "einrichtung", "name der einrichtung", "einrichtungsname"],
    "art": ["art", "einrichtungsart", "typ", "school type", "schulart", "kategorie", "category"],
    "traeger_art": ["traeger art", "traegerart", "trägerart", "rechtsstatus", "abs rechtsstatus"],
    "traeger": ["traeger", "träger", "traegername", "trägername", "betreiber", "operator"],
    "adresse": ["adresse", "address", "anschrift"],
    "strasse": ["strasse", "straße", "addr street", "street"],
    "hausnummer": ["hausnummer", "hnr", "addr housenumber", "housenumber"],
    "plz": ["plz", "postleitzahl", "addr postcode", "postcode", "postal code"],
    "ort": ["ort", "stadt", "addr city", "city"],
    "kapazitaet": ["kapazitaet", "kapazität", "plaetze", "plätze", "capacity"],
    "zielgruppen": ["zielgruppen", "zielgruppe"],
    "angebote": ["angebote", "angebot", "leistungen"],
    "gueltig_von": ["gueltig von", "gültig von", "eroeffnet", "eröffnet", "seit"],
    "gueltig_bis": ["gueltig bis", "gültig bis", "geschlossen", "bis"],
    "lat": ["lat", "latitude", "breite", "breitengrad", "geo lat", "y wgs84"],
    "lon": ["lon", "lng", "long", "longitude", "laenge", "länge", "laengengrad", "längengrad", "geo lon", "x wgs84"],
    "x": ["x", "rechtswert", "easting", "ostwert", "x koordinate", "koordinate x"],
    "y": ["y", "hochwert", "northing", "nordwert", "y koordinate", "koordinate y"],
    "wkt": ["wkt", "geometrie", "geometry", "geom", "the geom", "ewkt"],
}


def lies_spaltenangaben(angaben: list[str] | None, ziele: dict[str, list[str]]) -> dict[str, str | None]:
    """`["name=Bezeichnung", "plz=", …]` → {"name": "Bezeichnung", "plz": None}; leere Quelle = das Feld nicht
    aus der Datei lesen (auch nicht automatisch erkennen); unbekanntes Ziel → EingabeFehler."""
    ergebnis: dict[str, str | None] = {}
    for a in angaben or []:
        ziel, gleich, quelle = a.partition("=")
        ziel, quelle = ziel.strip(), quelle.strip()
        if gleich and ziel in ziele and not quelle:  # „ZIEL=“: dieses Feld nicht aus der Datei lesen
            ergebnis[ziel] = None
            continue
        if not gleich or not ziel or not quelle:
            raise EingabeFehler(f"--spalte '{a}': bitte als ZIEL=QUELLE angeben, z. B. --spalte name=Bezeichnung.")
        if ziel not in ziele:
            t = Namensliste(list(ziele)).finde(ziel)
            raise EingabeFehler(f"--spalte '{a}': Zielfeld '{ziel}' gibt es nicht. "
                                + meinten_sie(t, alle=list(ziele), zeigen=30))
        ergebnis[ziel] = quelle
    return ergebnis


def ordne_spalten(spalten: list[str], angaben: dict[str, str | None], ziele: dict[str, list[str]],
                  bericht: Bericht) -> dict[str, str]:
    """Zielfeld → Spalte der Datei. Ausdrückliche Angaben zuerst; jede Spalte dient höchstens einem Ziel."""
    ergebnis: dict[str, str] = {}
    for ziel, quelle in angaben.items():
        if quelle is None:  # ausdrücklich keine Spalte
            continue
        if quelle not in spalten:
            t = Namensliste(spalten).finde(quelle)
            raise EingabeFehler(f"--spalte {ziel}={quelle}: Spalte '{quelle}' gibt es in {bericht.datei} nicht. "
                                + meinten_sie(t, alle=spalten, zeigen=30))
        ergebnis[ziel] = quelle
    vergeben = set(ergebnis.values())
    formen = {}
    for s in spalten:
        formen.setdefault(vergleichsform(s), s)
        formen.setdefault(vergleichsform(s.rsplit(".", 1)[-1]), s)
    for ziel, synonyme in ziele.items():
        if ziel in ergebnis or ziel in angaben:
            continue
        for syn in synonyme:
            s = formen.get(vergleichsform(syn))
            if s is not None and s not in vergeben:
                ergebnis[ziel] = s
                vergeben.add(s)
                break
    erkannt = [f"{z}←{s}" for z, s in ergebnis.items() if z not in angaben]
    if erkannt:
        bericht.hinweis(0, "Spalten", "Erkannt: " + ", ".join(erkannt) + ".",
                        "Andere Zuordnung: auf der Seite „Import“ unter „Spalten zuordnen“, auf der "
                        "Kommandozeile mit --spalte ZIEL=QUELLE.")
    return ergebnis
