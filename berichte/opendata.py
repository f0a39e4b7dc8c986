"""Offene Daten veröffentlichen: Kennzahlen in die öffentlichen Sichten schreiben und pygeoapi konfigurieren.

- `aktualisiere(engine, kommune)`: liest die Indikatorwerte, rechnet die freigegebenen Kennzahlen
  (`analysen.offen`) und schreibt sie mit den Bezeichnungen der Konfiguration (`daten.oeffentlich.veroeffentliche`).
- `pygeoapi_konfiguration(…)`: die Konfiguration eines pygeoapi-Dienstes (OGC API – Features) über die Sichten:
  PostgreSQL als Rolle `rk_lesen`; SQLite über GeoJSON-Dateien neben der Konfiguration (pygeoapis
  SQLite/GeoPackage-Anbieter bräuchte die Systembibliothek mod_spatialite, der GeoJSON-Anbieter nichts).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from analysen import offen
from daten import oeffentlich, politik
from daten.config import Kommune
from daten.db import sitzung
from daten.fehler import DatenbankFehler

# Sammlung (id in der API) → Sicht, Titel, Beschreibung, Schlüsselspalte
SAMMLUNGEN: dict[str, tuple[str, str, str, str]] = {
    "einrichtungen": ("einrichtungen", "Einrichtungen",
                      "Offene Einrichtungen für Kinder, Jugendliche und Familien (heute gültig): Schlüssel, Name, Art, "
                      "Trägerart, Adresse, Stadtteil, Sozialraum, Zielgruppen, Angebote und Datum der letzten "
                      "Bestätigung. Ohne interne Angaben.", "schluessel"),
    "stadtteile": ("stadtteile", "Stadtteile mit Kennzahlen",
                   "Stadtteile (Ortsbezirke) mit amtlicher Nummer, Sozialraum und den veröffentlichten Kennzahlen je "
                   "Jahr (eine Zeile je Stadtteil und Jahr).", "kennung"),
    "sozialraeume": ("sozialraeume", "Sozialräume mit Kennzahlen",
                     "Sozialräume (Vereinigung ihrer Stadtteile) mit den veröffentlichten Kennzahlen je Jahr, "
                     "zusammengefasst aus den Stadtteilen (Anzahlen summiert, Anteile gewichtet).", "kennung"),
    "netzwerke": ("netzwerke", "Netzwerke",
                  "Netzwerke der Sozialraumgremien mit Status, Sozialraum und den Schlüsseln der "
                  "Mitgliedseinrichtungen (nie Personen); Geometrie: die Standorte der Mitglieder.", "schluessel"),
}


def aktualisiere(engine: Engine, kommune: Kommune) -> int:
    """Schreibt Bezeichnungen und freigegebene Kennzahlen und legt die öffentlichen Sichten neu an."""
    from daten import repository

    with sitzung(engine, akteur=None) as s:
        indikatoren = repository.indikatoren(session=s)
    return oeffentlich.veroeffentliche(engine, bezeichnungen=offen.bezeichnungen(kommune),
                                       werte=offen.kennzahlen(indikatoren, kommune))


def _zeitraum(engine: Engine) -> tuple[int | None, int | None]:
    with engine.connect() as conn:
        von, bis = conn.execute(text("SELECT min(jahr), max(jahr) FROM offene_kennzahl")).one()
    return von, bis


def _bbox(gdfs: list[Any]) -> list[float]:
    minx, miny, maxx, maxy = 180.0, 90.0, -180.0, -90.0
    for g in gdfs:
        if len(g) and g.geometry.notna().any():
            x0, y0, x1, y1 = g.total_bounds
            minx, miny, maxx, maxy = min(minx, x0), min(miny, y0), max(maxx, x1), max(maxy, y1)
    if minx > maxx:
        return [-180.0, -90.0, 180.0, 90.0]
    return [round(float(v), 5) for v in (minx, miny, maxx, maxy)]


def pygeoapi_konfiguration(engine: Engine, kommune: Kommune, *, ziel: Path, basis_url: str,
                           passwort_variable: str | None = None, portal: str = "*") -> dict[str, Any]:
    """Konfiguration für pygeoapi (als dict, zum Schreiben als YAML). Auf SQLite schreibt sie die Sammlungen als
    GeoJSON-Dateien in den Ordner `<ziel>.daten/` neben `ziel`. `passwort_variable`: Name einer
    Umgebungsvariablen mit dem Passwort von `rk_lesen` (pygeoapi setzt `${NAME}` beim Start ein); ohne sie
    verbindet sich pygeoapi ohne Passwort (trust, peer oder ~/.pgpass)."""
    od = kommune.offene_daten
    url = engine.url
    gdfs = {name: oeffentlich.lies(engine, name) for name in SAMMLUNGEN}
    bbox = _bbox(list(gdfs.values()))
    von, bis = _zeitraum(engine)
    kontakt = od.kontakt
    schlagworte = list(od.schlagworte) or ["Offene Daten"]
    lizenz = {"name": od.lizenz_name or od.lizenz, "url": od.lizenz_url}
    namensnennung = od.namensnennung or f"{kommune.name}, {kommune.amt}"
    ordner = ziel.with_name(ziel.stem + ".daten")
    ressourcen: dict[str, Any] = {}
    for sid, (name, titel, beschreibung, schluessel) in SAMMLUNGEN.items():
        sicht = oeffentlich.SICHTEN[name]
        if url.get_backend_name() == "postgresql":
            anbieter: dict[str, Any] = {
                "type": "feature", "name": "PostgreSQL",
                "data": {"host": url.host or "127.0.0.1", "port": url.port or 5432, "dbname": url.database,
                         "user": politik.LESEROLLE, "search_path": ["public"]},
                "id_field": schluessel, "table": sicht, "geom_field": oeffentlich.GEOMETRIE,
            }
            if passwort_variable:  # pygeoapi setzt die Umgebungsvariable beim Start ein; nicht gesetzt = leer
                anbieter["data"]["password"] = "${" + passwort_variable + ":-}"
        else:
            ordner.mkdir(parents=True, exist_ok=True)
            datei = ordner / f"{sid}.geojson"
            _schreibe_geojson(gdfs[name], datei)
            anbieter = {"type": "feature", "name": "GeoJSON", "data": str(datei.resolve()), "id_field": schluessel}
        if name in ("stadtteile", "sozialraeume") and von is not None:
            anbieter["time_field"] = "stand"
        extents: dict[str, Any] = {"spatial": {"bbox": bbox, "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}
        if name in ("stadtteile", "sozialraeume") and von is not None:
            # als Zeitpunkte (nicht Text): pygeoapi vergleicht damit die Anfrage datetime=…
            extents["temporal"] = {"begin": datetime(von, 12, 31, tzinfo=UTC), "end": datetime(bis, 12, 31, tzinfo=UTC)}
        kennzahlen = [k.bezeichnung + (f" ({k.einheit})" if k.einheit else "") for k in _kennzahlen(engine)]
        text_ = beschreibung
        if name in ("stadtteile", "sozialraeume") and kennzahlen:
            text_ += " Kennzahlen: " + "; ".join(kennzahlen) + "."
        ressourcen[sid] = {
            "type": "collection", "title": titel, "description": text_,
            "keywords": [*schlagworte, titel],
            "links": [{"type": "text/html", "rel": "license", "title": lizenz["name"], "href": lizenz["url"],
                       "hreflang": "de"}],
            "extents": extents, "providers": [anbieter],
        }
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 5000},
            "url": basis_url.rstrip("/"),
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "gzip": False,
            "languages": ["de-DE"],
            "cors": True,
            "pretty_print": False,
            "limits": {"default_items": 100, "max_items": 5000, "on_exceed": "throttle"},
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                    "attribution": "&copy; OpenStreetMap-Mitwirkende"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": od.titel, "description": od.beschreibung or od.titel,
                "keywords": schlagworte, "keywords_type": "theme",
                "terms_of_service": f"{lizenz['name']}: {lizenz['url']} – Namensnennung: {namensnennung}",
                "url": kontakt.url or basis_url,
            },
            "license": lizenz,
            "provider": {"name": namensnennung, "url": kontakt.url or basis_url},
            "contact": {
                "name": kontakt.name or kommune.amt, "position": kommune.amt, "address": "", "city": "",
                "stateorprovince": kommune.bundesland, "postalcode": "", "country": "Deutschland",
                "phone": kontakt.telefon, "fax": "", "email": kontakt.email, "url": kontakt.url,
                "hours": "", "instructions": f"Aktualisierung: {od.aktualisierung}", "role": "pointOfContact",
            },
        },
        "resources": ressourcen,
    }


def _kennzahlen(engine: Engine) -> list[oeffentlich.Kennzahl]:
    with engine.connect() as conn:
        return oeffentlich.kennzahlen(conn)


def _schreibe_geojson(gdf: Any, datei: Path) -> None:
    """GeoJSON (RFC 7946, WGS 84) einer Sammlung; Datumswerte als ISO-Text."""
    df = gdf.copy()
    for c in df.columns:
        if c != df.geometry.name and df[c].map(lambda v: isinstance(v, date)).any():
            df[c] = df[c].map(lambda v: v.isoformat() if isinstance(v, date) else v)
    datei.write_text(df.to_crs(4326).to_json(na="null", drop_id=True, ensure_ascii=False), encoding="utf-8")


def pruefe_schema(engine: Engine) -> None:
    """Klare Meldung, wenn die Datenbank die öffentlichen Sichten noch nicht hat."""
    from sqlalchemy import inspect

    with engine.connect() as conn:
        if not set(oeffentlich.SICHTEN.values()) <= set(inspect(conn).get_view_names()):
            raise DatenbankFehler(f"Die Datenbank {make_url(engine.url).render_as_string(hide_password=True)} hat "
                                  "die öffentlichen Sichten (oeffentlich_*) noch nicht. Bitte zuerst "
                                  "`ressourcenkarte init` ausführen.")
