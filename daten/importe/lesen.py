"""Dateien lesen: CSV (Trennzeichen und Kodierung erkannt), XLSX, JSON, GeoJSON, GeoPackage, Shapefile (auch gezippt).

Ergebnis ist immer `Rohdaten`: alle Werte als Text (leer = ""), je Zeile ihre Nummer wie im
Tabellenprogramm bzw. die Objektnummer, dazu bei Geodaten die Geometrien und das erklärte
Koordinatensystem. Unlesbare Dateien ergeben einen `EingabeFehler` mit Dateinamen; einzelne kaputte
Objekte stehen als Fehler im Bericht. GeoPackage und Shapefile liest GDAL (pyogrio); Zip-Archive werden in
einen temporären Ordner entpackt – nur die Dateinamen, nie Pfade aus dem Archiv.
"""

from __future__ import annotations

import csv
import io
import json
import math
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from daten.fehler import EingabeFehler
from daten.importe.bericht import Bericht

HOECHSTENS_BYTES = 300 * 1024 * 1024
# Grenzen für das, was beim Lesen *entsteht* (nicht nur die Dateigröße): geprüft während des Lesens, damit eine
# kleine Datei, die sich zu Gigabytes entpackt (XLSX/Zip-Bombe) oder Millionen Spalten hat, nach Sekunden
# abgelehnt wird und nie den Speicher füllt. Eine Einrichtungsliste einer Großstadt hat wenige Tausend Zeilen.
HOECHSTENS_ENTPACKT = 200 * 1024 * 1024  # Bytes, die ein Zip/XLSX entpackt ergibt (alle Einträge zusammen)
HOECHSTENS_EINTRAEGE = 2000  # Dateien in einem Zip/XLSX
HOECHSTENS_ZEILEN = 200_000
HOECHSTENS_TEXT = 100 * 1024 * 1024  # CSV/JSON/GeoJSON werden als Ganzes dekodiert: Text höchstens 100 MB
HOECHSTENS_SPALTEN = 1000
# Stützpunkte aller Geometrien einer Datei (die 15 Mainzer Ortsbezirke aus ALKIS haben einige Zehntausend)
HOECHSTENS_STUETZPUNKTE = 1_000_000
_STUECK = 1024 * 1024
TABELLEN = (".csv", ".txt", ".tsv", ".xlsx")
GEODATEN = (".geojson", ".json", ".gpkg", ".shp", ".zip")


@dataclass(frozen=True)
class Quelle:
    """Eine Eingabedatei: Name (für Meldungen und Endung) und Inhalt; `pfad` nur, wenn sie auf der Platte liegt."""

    name: str
    daten: bytes
    pfad: Path | None = None

    @classmethod
    def aus_pfad(cls, pfad: str | Path) -> Quelle:
        p = Path(pfad)
        try:
            if p.is_dir():
                raise EingabeFehler(f"{p} ist ein Ordner, keine Datei. Bitte die Datei selbst angeben.")
            groesse = p.stat().st_size
            if groesse > HOECHSTENS_BYTES:
                raise EingabeFehler(f"{p} ist mit {groesse // 2**20} MB zu groß (höchstens 300 MB).")
            return cls(p.name, p.read_bytes(), p)
        except FileNotFoundError:
            raise EingabeFehler(f"Datei {p} nicht gefunden. Bitte den Pfad prüfen.") from None
        except PermissionError:
            raise EingabeFehler(f"Datei {p} darf nicht gelesen werden (Zugriffsrechte).") from None
        except OSError as exc:
            raise EingabeFehler(f"Datei {p} kann nicht gelesen werden ({exc.strerror or exc}).") from None

    @property
    def endung(self) -> str:
        return Path(self.name).suffix.lower()


@dataclass
class Rohdaten:
    """Gelesene Zeilen: `werte` (DataFrame aus Text, Index = Zeilennummer), ggf. Geometrien und deren KBS."""

    werte: pd.DataFrame
    geometrien: list[shapely.Geometry | None] | None = None
    crs: CRS | None = None
    beschreibung: str = ""
    zusatz: dict[str, Any] = field(default_factory=dict)

    @property
    def nummern(self) -> list[int]:
        return [int(i) for i in self.werte.index]


def lies(quelle: Quelle, bericht: Bericht, *, nur_geodaten: bool = False) -> Rohdaten:
    """Liest `quelle` nach Endung. `nur_geodaten`: Tabellen ohne Geometrie sind nicht erlaubt."""
    if not quelle.daten:
        raise EingabeFehler(f"{quelle.name} ist leer. Bitte eine Datei mit Inhalt wählen.")
    endung = quelle.endung
    erlaubt = GEODATEN if nur_geodaten else (*TABELLEN, *GEODATEN)
    if endung not in erlaubt:
        raise EingabeFehler(
            f"{quelle.name}: Dateiendung '{endung or '(keine)'}' wird nicht unterstützt. Möglich: {', '.join(erlaubt)}."
            + (" Alte Excel-Dateien (.xls) bitte als .xlsx speichern." if endung == ".xls" else ""))
    if endung in (".csv", ".txt", ".tsv", ".json", ".geojson") and len(quelle.daten) > HOECHSTENS_TEXT:
        raise EingabeFehler(f"{quelle.name} ist mit {len(quelle.daten) // 2**20} MB als Text zu groß (höchstens "
                            f"{HOECHSTENS_TEXT // 2**20} MB). Bitte die Datei aufteilen oder als GeoPackage liefern.")
    try:
        if endung in (".csv", ".txt", ".tsv"):
            return _csv(quelle, bericht)
        if endung == ".xlsx":
            return _xlsx(quelle)
        if endung in (".geojson", ".json"):
            roh = _json(quelle, bericht, nur_geodaten=nur_geodaten)
        else:
            roh = lies_ogr(quelle, bericht)
        pruefe_stuetzpunkte(roh.geometrien or [], quelle.name)
        return roh
    except EingabeFehler:
        raise
    except (RecursionError, MemoryError):
        raise EingabeFehler(f"{quelle.name} ist zu tief verschachtelt oder zu groß zum Lesen.") from None
    except Exception as exc:  # noqa: BLE001 - Bibliotheken melden kaputte Dateien sehr verschieden
        # Die Meldungen der Bibliotheken (GDAL, openpyxl, zipfile) sind englisch und helfen hier nicht weiter.
        raise EingabeFehler(
            f"{quelle.name} kann nicht als {endung.lstrip('.').upper()} gelesen werden ({type(exc).__name__}). "
            "Ist die Datei beschädigt oder hat sie die falsche Endung?") from None


# --- Text und CSV -----------------------------------------------------------------------------------

def dekodiere(daten: bytes, name: str) -> tuple[str, str]:
    """Text und erkannte Kodierung: UTF-8 (mit/ohne BOM), UTF-16 mit BOM, sonst Windows-1252/Latin-1."""
    if daten[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return daten.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise EingabeFehler(f"{name}: UTF-16-Text ist beschädigt. Bitte als UTF-8 speichern.") from None
    if b"\x00" in daten[:65536]:
        raise EingabeFehler(f"{name} ist keine Textdatei (enthält Binärdaten). Bitte als CSV (UTF-8) speichern.")
    try:
        return daten.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return daten.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return daten.decode("latin-1"), "ISO-8859-1 (Latin-1)"


def _trennzeichen(text: str) -> str:
    probe = "\n".join(text[:65536].splitlines()[:50])  # die ersten Zeilen genügen (auch bei riesigen Zeilen)
    try:
        return csv.Sniffer().sniff(probe, delimiters=";,\t|").delimiter
    except csv.Error:
        kopf = text.splitlines()[0] if text else ""
        return max(";,\t|", key=kopf.count)


def pruefe_spaltenzahl(anzahl: int, name: str) -> None:
    if anzahl > HOECHSTENS_SPALTEN:
        raise EingabeFehler(f"{name} hat {anzahl:,} Spalten (höchstens {HOECHSTENS_SPALTEN:,}). Bitte nur die "
                            "benötigten Spalten exportieren.".replace(",", "."))


def pruefe_stuetzpunkte(geometrien: list[shapely.Geometry | None], name: str) -> None:
    """Zu viele Stützpunkte → EingabeFehler (Prüfen und Bereinigen kosten sonst Minuten und Gigabytes)."""
    gueltig = [g for g in geometrien if g is not None]
    anzahl = int(shapely.get_num_coordinates(np.asarray(gueltig, dtype=object)).sum()) if gueltig else 0
    if anzahl > HOECHSTENS_STUETZPUNKTE:
        zahl = f"{anzahl:_} Stützpunkte (höchstens {HOECHSTENS_STUETZPUNKTE:_})".replace("_", ".")
        raise EingabeFehler(f"{name} hat {zahl}. Bitte die Grenzen vereinfachen (z. B. QGIS › Vektor › "
                            "Geometriewerkzeuge › Vereinfachen, Toleranz 1 m) oder nur die benötigten Flächen liefern.")


def pruefe_zeilenzahl(anzahl: int, name: str) -> None:
    if anzahl > HOECHSTENS_ZEILEN:
        raise EingabeFehler(f"{name} hat mehr als {HOECHSTENS_ZEILEN:,} Zeilen. Bitte die Datei aufteilen oder nur "
                            "die benötigten Zeilen exportieren.".replace(",", "."))


def spaltennamen(kopf: list[str], name: str = "Die Datei") -> list[str]:
    """Eindeutige Spaltennamen (Leerraum vereinheitlicht, Dubletten `.2`, `.3` …) in linearer Zeit."""
    pruefe_spaltenzahl(len(kopf), name)
    namen: list[str] = []
    vergeben: set[str] = set()
    naechste: dict[str, int] = {}
    for i, roh in enumerate(kopf, start=1):
        n = " ".join(str(roh).split()) or f"Spalte {i}"
        basis = n
        k = naechste.get(basis, 2)
        while n in vergeben:
            n, k = f"{basis}.{k}", k + 1
        naechste[basis] = k
        vergeben.add(n)
        namen.append(n)
    return namen


def _csv(quelle: Quelle, bericht: Bericht) -> Rohdaten:
    text, kodierung = dekodiere(quelle.daten, quelle.name)
    if not text.strip():
        raise EingabeFehler(f"{quelle.name} enthält keine Zeilen. Bitte eine Datei mit Kopfzeile und Daten wählen.")
    trenn = _trennzeichen(text)
    ende = text.find("\n")
    kopfzeile = text if ende < 0 else text[:ende]
    if '"' not in kopfzeile:  # ohne Anführungszeichen: Spalten zählen, bevor Millionen Felder entstehen
        pruefe_spaltenzahl(kopfzeile.count(trenn) + 1, quelle.name)
    csv.field_size_limit(10 * 1024 * 1024)
    leser = csv.reader(io.StringIO(text, newline=""), delimiter=trenn)
    try:
        kopf = next(leser)
    except csv.Error as exc:
        raise EingabeFehler(f"{quelle.name}, Zeile 1: Kopfzeile unlesbar ({exc}).") from None
    spalten = spaltennamen(kopf, quelle.name)
    zeilen, nummern = [], []
    nr = 1
    while True:
        nr += 1
        try:
            felder = next(leser)
        except StopIteration:
            break
        except csv.Error as exc:
            bericht.fehler(nr, "", f"Zeile unlesbar ({exc}).", "Anführungszeichen und Zeilenumbrüche prüfen.")
            continue
        if not any(f.strip() for f in felder):
            continue
        pruefe_zeilenzahl(len(zeilen) + 1, quelle.name)
        if len(felder) > len(spalten):
            bericht.fehler(nr, "", f"{len(felder)} Felder, die Kopfzeile hat nur {len(spalten)}.",
                           f"Trennzeichen '{_zeichen(trenn)}' im Wert? Wert in Anführungszeichen setzen.")
            continue
        felder = [f.strip() for f in felder] + [""] * (len(spalten) - len(felder))
        zeilen.append(felder)
        nummern.append(nr)
    werte = pd.DataFrame(zeilen, columns=spalten, index=nummern, dtype=object)
    if kodierung != "UTF-8":
        bericht.hinweis(0, "", f"Zeichenkodierung {kodierung} erkannt (nicht UTF-8).",
                        "Umlaute in der Vorschau prüfen.")
    return Rohdaten(werte, beschreibung=f"CSV ({kodierung}, Trennzeichen '{_zeichen(trenn)}')",
                    zusatz={"trennzeichen": trenn})


def _zeichen(trenn: str) -> str:
    return {"\t": "Tabulator"}.get(trenn, trenn)


# --- Excel ------------------------------------------------------------------------------------------

def _zelle(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "wahr" if v else "falsch"
    if isinstance(v, float):
        if not math.isfinite(v):
            return str(v)
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return " ".join(str(v).split()) if "\n" in str(v) else str(v).strip()


def pruefe_zip(daten: bytes, name: str) -> None:
    """Entpackt jeden Eintrag probeweise in Stücken und zählt die Bytes, die wirklich herauskommen (nicht die
    Größen, die das Archiv angibt): mehr als `HOECHSTENS_ENTPACKT` oder `HOECHSTENS_EINTRAEGE` → abgelehnt."""
    with zipfile.ZipFile(io.BytesIO(daten)) as zf:
        eintraege = zf.infolist()
        if len(eintraege) > HOECHSTENS_EINTRAEGE:
            raise EingabeFehler(f"{name} enthält {len(eintraege)} Dateien (höchstens {HOECHSTENS_EINTRAEGE}).")
        summe = 0
        for info in eintraege:
            if info.is_dir():
                continue
            blatt = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
            zeilen, rest = 0, b""
            with zf.open(info) as f:
                while stueck := f.read(_STUECK):
                    summe += len(stueck)
                    if blatt:  # Zeilen eines Blatts zählen, bevor openpyxl sie einzeln liest
                        zeilen += (rest + stueck).count(b"<row")
                        rest = stueck[-3:]
                        if zeilen > HOECHSTENS_ZEILEN + 1:
                            pruefe_zeilenzahl(zeilen - 1, name)
                    if summe > HOECHSTENS_ENTPACKT:
                        raise EingabeFehler(
                            f"{name} ergibt entpackt mehr als {HOECHSTENS_ENTPACKT // 2**20} MB (Eintrag "
                            f"'{Path(info.filename).name[:80]}'). Eine so große Datei wird nicht gelesen; bitte nur "
                            "die benötigten Zeilen und Spalten exportieren.")


def _xlsx(quelle: Quelle) -> Rohdaten:
    import openpyxl

    pruefe_zip(quelle.daten, quelle.name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warnt z. B. über Datenüberprüfungen
        mappe = openpyxl.load_workbook(io.BytesIO(quelle.daten), read_only=True, data_only=True)
    try:
        blatt = mappe.worksheets[0]
        zeilen_iter = blatt.iter_rows(values_only=True)
        kopf = next(zeilen_iter, None)
        if kopf is None:
            raise EingabeFehler(f"{quelle.name}: das erste Blatt ist leer. Kopfzeile in Zeile 1 erwartet.")
        pruefe_spaltenzahl(len(kopf), quelle.name)
        spalten = spaltennamen([_zelle(k) for k in kopf], quelle.name)
        zeilen, nummern = [], []
        for nr, zeile in enumerate(zeilen_iter, start=2):
            pruefe_zeilenzahl(nr - 1, quelle.name)  # auch leere Zeilen kosten Zeit
            felder = [_zelle(v) for v in zeile[: len(spalten)]]
            if not any(felder):
                continue
            zeilen.append(felder + [""] * (len(spalten) - len(felder)))
            nummern.append(nr)
        name = blatt.title
        mehr = len(mappe.worksheets) > 1
    finally:
        mappe.close()
    werte = pd.DataFrame(zeilen, columns=spalten, index=nummern, dtype=object)
    return Rohdaten(werte, beschreibung=f"Excel (Blatt '{name}'{', weitere Blätter ignoriert' if mehr else ''})")


# --- JSON und GeoJSON -------------------------------------------------------------------------------

def wert_als_text(v: Any) -> str:
    """Ein Wert aus JSON/GDAL als Text: leer für None, JSON für Listen/Objekte."""
    if v is None:
        return ""
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool):
        return "wahr" if v else "falsch"
    return str(v).strip()


def _flach(d: dict, praefix: str = "") -> dict[str, Any]:
    """Verschachtelte Objekte als `a.b` (z. B. `location.lat`)."""
    aus: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, dict) and v and len(praefix) < 200:
            aus.update(_flach(v, f"{praefix}{k}."))
        else:
            aus[f"{praefix}{k}"] = v
    return aus


def _crs_aus_geojson(obj: dict, name: str) -> CRS:
    angabe = obj.get("crs")
    if not angabe:
        return CRS.from_epsg(4326)  # RFC 7946: GeoJSON ist WGS84 (lon, lat)
    try:
        return CRS.from_user_input(angabe["properties"]["name"])
    except (KeyError, TypeError, CRSError):
        raise EingabeFehler(f"{name}: Angabe 'crs' der Datei ist unverständlich. Mit --crs EPSG angeben.") from None


def _json(quelle: Quelle, bericht: Bericht, *, nur_geodaten: bool) -> Rohdaten:
    text, _kodierung = dekodiere(quelle.daten, quelle.name)
    # Vor dem Parsen abschätzen (Millisekunden): jedes Koordinatenpaar ist eine Liste „[“, jede Zeile ein Objekt „{“.
    # Sonst kostet eine Datei mit Millionen Stützpunkten Python-Objekte für Gigabytes, bevor etwas gezählt ist.
    if text.count("[") > HOECHSTENS_STUETZPUNKTE + HOECHSTENS_ZEILEN:
        zahl = f"{HOECHSTENS_STUETZPUNKTE:_}".replace("_", ".")
        raise EingabeFehler(f"{quelle.name} enthält mehr als {zahl} Koordinaten bzw. Listen. Bitte die Grenzen "
                            "vereinfachen (z. B. QGIS › Vektor › Geometriewerkzeuge › Vereinfachen, Toleranz 1 m) "
                            "oder die Datei aufteilen.")
    if text.count("{") > 10 * HOECHSTENS_ZEILEN:
        pruefe_zeilenzahl(text.count("{") // 10, quelle.name)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EingabeFehler(
            f"{quelle.name} ist kein gültiges JSON (Fehler in Zeile {exc.lineno}, Spalte {exc.colno}). Bitte die Datei "
            "prüfen, z. B. mit einem JSON-Validator.") from None
    if isinstance(obj, dict) and obj.get("type") == "Feature":
        obj = {"type": "FeatureCollection", "features": [obj]}
    if isinstance(obj, dict) and obj.get("type") == "FeatureCollection":
        return _geojson(obj, quelle.name, bericht)
    if nur_geodaten:
        raise EingabeFehler(f"{quelle.name} ist kein GeoJSON (FeatureCollection erwartet).")
    if isinstance(obj, dict):
        listen = [v for v in obj.values() if isinstance(v, list)]
        if len(listen) == 1:
            obj = listen[0]
    if not isinstance(obj, list) or not obj:
        raise EingabeFehler(f"{quelle.name}: JSON-Liste von Objekten (oder GeoJSON) erwartet.")
    pruefe_zeilenzahl(len(obj), quelle.name)
    zeilen: list[dict[str, Any]] = []
    nummern = []
    schluessel: set[str] = set()
    for nr, eintrag in enumerate(obj, start=1):
        if not isinstance(eintrag, dict):
            bericht.fehler(nr, "", "Eintrag ist kein Objekt {…}.", "Eintrag korrigieren oder überspringen.")
            continue
        zeile = {k: wert_als_text(v) for k, v in _flach(eintrag).items()}
        schluessel.update(zeile)
        pruefe_spaltenzahl(len(schluessel), quelle.name)
        zeilen.append(zeile)
        nummern.append(nr)
    werte = pd.DataFrame(zeilen, index=nummern, dtype=object).fillna("")
    werte.columns = spaltennamen(list(werte.columns), quelle.name)
    return Rohdaten(werte, beschreibung="JSON-Liste")


class _KaputteKoordinaten(ValueError):
    pass


def _geometrie(roh: Any) -> shapely.Geometry:
    geo = shapely.geometry.shape(roh)
    koord = shapely.get_coordinates(geo)
    if len(koord) and not bool(np.isfinite(koord).all()):
        raise _KaputteKoordinaten
    return geo


def _geojson(obj: dict, name: str, bericht: Bericht) -> Rohdaten:
    crs = _crs_aus_geojson(obj, name)
    merkmale = obj.get("features")
    if not isinstance(merkmale, list):
        raise EingabeFehler(f"{name}: 'features' fehlt oder ist keine Liste.")
    pruefe_zeilenzahl(len(merkmale), name)
    zeilen, geometrien, nummern = [], [], []
    schluessel: set[str] = set()
    for nr, f in enumerate(merkmale, start=1):
        if not isinstance(f, dict):
            bericht.fehler(nr, "", "Objekt ist kein GeoJSON-Feature.", "Objekt korrigieren oder überspringen.")
            continue
        props = f.get("properties") or {}
        if not isinstance(props, dict):
            props = {"properties": props}
        geo = None
        if f.get("geometry") is not None:
            try:
                geo = _geometrie(f["geometry"])
                geo = None if geo.is_empty else geo
            except _KaputteKoordinaten:
                bericht.fehler(nr, "geometry", "Koordinaten ungültig (NaN oder unendlich).",
                               "Koordinaten des Objekts korrigieren.")
                continue
            except Exception:  # noqa: BLE001 - shapely meldet kaputte Geometrien uneinheitlich (und englisch)
                typ = f["geometry"].get("type") if isinstance(f["geometry"], dict) else None
                bericht.fehler(nr, "geometry", f"Geometrie unlesbar (Typ '{str(typ)[:30]}' oder Koordinaten ungültig).",
                               "Geometrie des Objekts als gültiges GeoJSON korrigieren.")
                continue
        zeile = {k: wert_als_text(v) for k, v in _flach(props).items()}
        schluessel.update(zeile)
        pruefe_spaltenzahl(len(schluessel), name)
        zeilen.append(zeile)
        geometrien.append(geo)
        nummern.append(nr)
    werte = pd.DataFrame(zeilen, index=nummern, dtype=object).fillna("")
    if len(werte.columns):
        werte.columns = spaltennamen(list(werte.columns), name)
    return Rohdaten(werte, geometrien, crs, beschreibung="GeoJSON")


# --- GeoPackage, Shapefile, Zip (GDAL) -------------------------------------------------------------

_SHP_TEILE = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def _entpacke(quelle: Quelle, ziel: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(quelle.daten)) as zf:
        eintraege = [i for i in zf.infolist() if not i.is_dir() and not Path(i.filename).name.startswith(".")]
        if len(eintraege) > HOECHSTENS_EINTRAEGE:
            raise EingabeFehler(f"{quelle.name} enthält {len(eintraege)} Dateien (höchstens {HOECHSTENS_EINTRAEGE}).")
        summe = 0
        for i in eintraege:
            # nur der Dateiname: Pfade im Archiv (auch ../) werden nie übernommen; gezählt wird, was wirklich
            # entpackt herauskommt, nicht die Größe, die das Archiv angibt
            with zf.open(i) as quelle_f, open(ziel / Path(i.filename).name, "wb") as ziel_f:
                while stueck := quelle_f.read(_STUECK):
                    summe += len(stueck)
                    if summe > HOECHSTENS_ENTPACKT:
                        raise EingabeFehler(f"{quelle.name} ergibt entpackt mehr als "
                                            f"{HOECHSTENS_ENTPACKT // 2**20} MB. Bitte nur die benötigten Daten "
                                            "exportieren.")
                    ziel_f.write(stueck)
    kandidaten = sorted(p for p in ziel.iterdir() if p.suffix.lower() in (".shp", ".gpkg", ".geojson"))
    if not kandidaten:
        raise EingabeFehler(f"{quelle.name}: keine .shp, .gpkg oder .geojson im Zip-Archiv gefunden.")
    if len(kandidaten) > 1:
        raise EingabeFehler(f"{quelle.name}: mehrere Geodateien im Archiv ({', '.join(p.name for p in kandidaten)}). "
                            "Bitte nur eine je Archiv.")
    return kandidaten[0]


def lies_ogr(quelle: Quelle, bericht: Bericht) -> Rohdaten:
    """Liest die erste Ebene einer GDAL-lesbaren Datei (Werte als Text, Objekte ab 1 nummeriert)."""
    import pyogrio

    with tempfile.TemporaryDirectory(prefix="rk_import_") as ordner:
        o = Path(ordner)
        if quelle.endung == ".zip":
            pfad = _entpacke(quelle, o)
        elif quelle.endung == ".shp":
            if quelle.pfad is None:
                raise EingabeFehler(f"{quelle.name}: Shapefiles bitte als .zip mit .shp, .shx, .dbf und .prj "
                                    "hochladen.")
            for teil in _SHP_TEILE:
                neben = quelle.pfad.with_suffix(teil)
                if not neben.exists():
                    neben = quelle.pfad.with_suffix(teil.upper())
                if neben.exists():
                    (o / f"daten{teil}").write_bytes(neben.read_bytes())
            if not (o / "daten.dbf").exists() or not (o / "daten.shx").exists():
                raise EingabeFehler(f"{quelle.name}: zum Shapefile fehlen .shx oder .dbf daneben. Bitte alle Teile "
                                    "in denselben Ordner legen oder als .zip angeben.")
            pfad = o / "daten.shp"
        else:
            pfad = o / f"daten{quelle.endung}"
            pfad.write_bytes(quelle.daten)
        ebenen = pyogrio.list_layers(pfad)
        info = pyogrio.read_info(pfad, layer=0)
        pruefe_zeilenzahl(int(info.get("features") or 0), quelle.name)
        pruefe_spaltenzahl(len(info.get("fields", ())), quelle.name)
        if len(ebenen) > 1:
            bericht.hinweis(0, "", f"Mehrere Ebenen ({', '.join(str(e[0]) for e in ebenen)}); gelesen wird "
                            f"'{ebenen[0][0]}'.", "Andere Ebene: als eigene Datei exportieren.")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gdf = pyogrio.read_dataframe(pfad, layer=0)
    nummern = list(range(1, len(gdf) + 1))
    werte = pd.DataFrame({c: [wert_als_text(None if _fehlt(v) else v) for v in gdf[c]] for c in gdf.columns
                          if c != gdf.geometry.name}, index=nummern, dtype=object)
    werte.columns = spaltennamen(list(werte.columns), quelle.name)
    geometrien = [None if g is None or g.is_empty else g for g in gdf.geometry]
    return Rohdaten(werte, geometrien, gdf.crs, beschreibung=quelle.endung.lstrip(".").upper())


def _fehlt(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False
