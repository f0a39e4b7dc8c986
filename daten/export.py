"""Export: GeoPackage (alle Ebenen, für QGIS), GeoJSON (Einrichtungen, RFC 7946), XLSX/CSV (Tabellen).

Dateien, die andere Werkzeuge ohne Nacharbeit lesen:
- GeoPackage 1.2 (GDAL ab 2.2 und QGIS 3 ohne Warnung), ganze Zahlen als INTEGER, Datumsfelder als DATE
  mit NULL; geschlossene und inaktive Einrichtungen stehen mit Spalte `status` darin.
- GeoJSON nach RFC 7946: WGS 84 Länge/Breite, kein `crs`-Element.
- CSV für deutsches Excel: Trennzeichen `;`, Dezimalkomma, UTF-8 mit BOM, ja/nein.
- XLSX: deutsche Spaltenköpfe, Namen statt Nummern, fixierte Kopfzeile, Autofilter, €-Format.
Jede Zelle, die mit = + - @ Tab oder Wagenrücklauf beginnt, wird entschärft (OWASP „CSV Injection“).
Jede Datei entsteht als temporäre Datei daneben und ersetzt das Ziel erst, wenn sie vollständig ist.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten import repository as repo
from daten.config import Kommune
from daten.dateien import atomar
from daten.erlaeuterungen import erlaeuterungen
from daten.export_tabellen import einrichtungen_tabelle, kopf, quellen, status_am, tabellen
from daten.fehler import EingabeFehler
from daten.gpkg import GPKG_VERSION, GpkgEbene, Metadaten, QgisStil, schreibe_gpkg
from daten.politik import Akteur
from daten.xlsx import csv_text, schreibe_xlsx, textartig

FORMATE = (".gpkg", ".geojson", ".xlsx", ".csv")


def einrichtungen_fuer_export(session: Session, kommune: Kommune, *, heute: date | None = None
                              ) -> gpd.GeoDataFrame:
    """Alle Einrichtungen mit `status`: offen, geschlossen, noch nicht eröffnet, inaktiv (EPSG:4326)."""
    heute = heute or date.today()
    ein = repo.einrichtungen(session=session, kommune=kommune)
    ein["status"] = status_am(ein, heute)
    arten = {a.schluessel: a.bezeichnung for a in kommune.einrichtungsarten}
    zeilen = []
    for e in session.scalars(select(m.Einrichtung).where(m.Einrichtung.aktiv.is_(False)).order_by(m.Einrichtung.id)):
        zeilen.append({
            "id": e.id, "schluessel": e.schluessel, "name": e.name, "art": e.art,
            "art_bezeichnung": arten.get(e.art, e.art), "traeger_art": e.traeger_art, "traeger": e.traeger or "",
            "adresse": e.adresse or "", "zielgruppen": ", ".join(e.zielgruppen or []),
            "angebote": "; ".join(e.angebote or []),
            "kapazitaet": float(e.kapazitaet) if e.kapazitaet is not None else float("nan"),
            "gueltig_von": e.gueltig_von, "gueltig_bis": e.gueltig_bis, "stadtteil": e.stadtteil.name,
            "sozialraum": e.stadtteil.sozialraum.name, "netzwerke": "", "gremium_ab_stufe": None,
            "im_gremium": False, "version": e.version, "status": "inaktiv", "geometry": e.geometrie,
        })
    if zeilen:
        ein = pd.concat([ein, gpd.GeoDataFrame(zeilen, geometry="geometry", crs=ein.crs)], ignore_index=True)
    return ein


def _fuer_gis(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Ehrliche Spaltentypen: ganze Zahlen Int64 (INTEGER), Datum bleibt Datum (DATE, fehlend NULL),
    Wahrheitswerte bool; übrige Objekte als Text (fehlend oder leer: NULL, nicht '')."""
    aus = gdf.drop(columns=[c for c in ("version",) if c in gdf]).copy()
    for spalte in ("id", "kapazitaet", "stufe", "gremium_ab_stufe", "anzahl_mitglieder", "netzwerk_id",
                   "sozialraum_id"):
        if spalte in aus:
            aus[spalte] = pd.to_numeric(aus[spalte], errors="coerce").round().astype("Int64")
    for spalte in aus.columns:
        if spalte == aus.geometry.name or not textartig(aus[spalte]):
            continue
        werte = aus[spalte].dropna()
        if len(werte) and werte.map(lambda v: isinstance(v, date)).all():
            continue  # datetime.date → DATE über Arrow
        if len(werte) and werte.map(lambda v: isinstance(v, bool)).all():
            aus[spalte] = aus[spalte].astype("boolean")
            continue
        # leerer Text heißt „nicht angegeben“: in GIS-Formaten NULL, nicht ''
        aus[spalte] = aus[spalte].map(lambda v: None if v is None or v is pd.NA or v == "" else str(v)).astype(object)
    return aus


# Titel und Beschreibung der Ebenen (gpkg_contents.identifier/description und Metadaten)
EBENEN_TEXTE = {
    "sozialraeume": ("Sozialräume", "Sozialräume der Sozialraumgremien; Fläche = Vereinigung ihrer Stadtteile."),
    "stadtteile": ("Stadtteile", "Stadtteile (Ortsbezirke) mit amtlicher Nummer (Feld nummer) und Sozialraum."),
    "einrichtungen": ("Einrichtungen", "Einrichtungen der Ressourcenkarte mit Art, Träger, Angeboten und Status "
                      "(offen, geschlossen, noch nicht eröffnet, inaktiv); im_gremium = heute Mitglied im "
                      "Sozialraumgremium (geschlossene nie)."),
    "netzwerke": ("Netzwerke", "Netzwerke mit ihren Mitgliedern (Mehrfachpunkt der Mitgliedseinrichtungen)."),
    "netzwerk_verbindungen": ("Netzwerkverbindungen", "Verbindungen zwischen den Mitgliedern eines Netzwerks."),
}


def gis_ebenen(session: Session, kommune: Kommune) -> list[GpkgEbene]:
    """Die Ebenen aus der Datenbank (EPSG:4326) mit deutschen Feldaliasen (dieselben Köpfe wie in Excel)."""
    ein = einrichtungen_fuer_export(session, kommune)
    frames = {
        "sozialraeume": repo.sozialraeume(session=session),
        "stadtteile": repo.stadtteile(session=session),
        "einrichtungen": ein,
        "netzwerke": repo.netzwerke(session=session),
        "netzwerk_verbindungen": repo.netzwerk_kanten(session=session,
                                                       einrichtungen_gdf=ein[ein["status"] != "inaktiv"]),
    }
    q = quellen(session)
    aus = []
    for name, gdf in frames.items():
        gdf = _fuer_gis(gdf)
        titel, text = EBENEN_TEXTE[name]
        aliase = {c: ("Art (Schlüssel)" if c == "art" else kopf(c)) for c in gdf.columns if c != gdf.geometry.name}
        aliase |= {"art_bezeichnung": "Art", "id": "Kennung", "netzwerk_id": "Netzwerk (Kennung)",
                   "netzwerk": "Netzwerk", "von": "Von", "nach": "Nach", "sozialraum_id": "Sozialraum (Kennung)"}
        herkunft = q["Stadtteilgrenzen"] if name in ("stadtteile", "sozialraeume") else []
        aus.append(GpkgEbene(name, gdf, titel, text, aliase=aliase, quellen=herkunft))
    return aus


def gpkg_crs(crs: int | str | None, kommune: Kommune) -> int:
    """EPSG-Code für den GeoPackage-Export: angegeben (`25832`, `EPSG:25832`) oder das metrische KBS der Kommune."""
    if crs is None or str(crs).strip() == "":
        return int(kommune.crs_metrisch)
    text = str(crs).strip().upper().removeprefix("EPSG:")
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        return int(CRS.from_epsg(int(text)).to_epsg() or int(text))
    except (ValueError, CRSError):
        raise EingabeFehler(f"--crs '{crs}' ist kein bekanntes Koordinatenbezugssystem. Bitte einen EPSG-Code "
                            f"angeben, z. B. {kommune.crs_metrisch} (metrisch) oder 4326 (WGS 84).") from None


def _gpkg(pfad: Path, ebenen: Sequence[GpkgEbene], *, crs: int, metadaten: Metadaten) -> None:
    schreibe_gpkg(pfad, ebenen, crs=crs, metadaten=metadaten)


def _geojson(pfad: Path, ein: gpd.GeoDataFrame) -> None:
    # RFC 7946: WGS 84 (Länge, Breite), kein "crs"-Element; GDAL schreibt das mit RFC7946=YES
    _fuer_gis(ein.to_crs(4326)).to_file(pfad, driver="GeoJSON", engine="pyogrio", use_arrow=True,
                                        layer_options={"RFC7946": "YES", "WRITE_NAME": "NO"})


def _bytes_schreiben(pfad: Path, inhalt: Callable[[io.BufferedWriter], None]) -> None:
    with atomar(pfad) as tmp, tmp.open("wb") as f:
        inhalt(f)


def exportiere(pfad: Path, *, session: Session, kommune: Kommune, akteur: Akteur | None = None,
               crs: int | str | None = None, zusatz_ebenen: Sequence[GpkgEbene] = (),
               stile: Mapping[str, QgisStil] | None = None) -> str:
    """Schreibt den Export nach Dateiendung (atomar); gibt eine deutsche Zusammenfassung zurück.

    `akteur` bestimmt, welche Protokollinhalte (Sitzungen, Protokollpunkte) in XLSX landen
    (`daten.politik.darf_protokoll_lesen`); None = öffentlich (keine Protokolle). Die Kommandozeile
    übergibt `SYSTEM` (alles). Nur GeoPackage: `crs` (EPSG, Standard: metrisches KBS der Kommune),
    `zusatz_ebenen` (z. B. Kennzahlen je Stadtteil) und `stile` (Ebene → QGIS-Stil).
    """
    if pfad.name.lower().endswith(".hsds.json"):  # Open Referral HSDS 3.0 (daten/hsds.py)
        from daten.hsds import exportiere_hsds

        return exportiere_hsds(pfad, session=session, kommune=kommune)
    endung = pfad.suffix.lower()
    if endung not in FORMATE:
        raise EingabeFehler(
            f"Dateiendung '{pfad.suffix or '(keine)'}' von {pfad} wird nicht unterstützt. "
            f"Möglich: {', '.join(FORMATE)}.")
    if crs is not None and endung != ".gpkg":
        raise EingabeFehler(f"--crs gilt nur für GeoPackage (.gpkg). {endung} hat festes WGS 84 (EPSG:4326; GeoJSON "
                            "nach RFC 7946, CSV/Excel mit Länge/Breite).")
    if not pfad.parent.exists():
        raise EingabeFehler(f"Ordner {pfad.parent} existiert nicht. Bitte zuerst anlegen oder anderen Pfad wählen.")
    if pfad.is_dir():
        raise EingabeFehler(f"{pfad} ist ein Ordner. Bitte einen Dateinamen mit Endung {endung} angeben.")
    if endung == ".gpkg":
        epsg = gpkg_crs(crs, kommune)
        ebenen = [*gis_ebenen(session, kommune), *zusatz_ebenen]
        if stile:
            ebenen = [replace(e, stil=stile.get(e.name, e.stil)) for e in ebenen]
        with atomar(pfad) as tmp:
            _gpkg(tmp, ebenen, crs=epsg, metadaten=Metadaten(f"{kommune.name}, {kommune.amt}", kommune.datenlizenz))
        teile = ", ".join(f"{e.name}: {len(e.gdf)}" for e in ebenen)
        ein = next(e.gdf for e in ebenen if e.name == "einrichtungen")
        zu = int((ein["status"] != "offen").sum())
        return (f"GeoPackage {GPKG_VERSION} {pfad} in EPSG:{epsg} geschrieben ({teile}; davon {zu} Einrichtungen "
                f"nicht offen, Spalte status; {sum(1 for e in ebenen if e.stil)} Ebenen mit QGIS-Stil).")
    ein = einrichtungen_fuer_export(session, kommune)
    if endung == ".geojson":
        with atomar(pfad) as tmp:
            _geojson(tmp, ein)
        return f"GeoJSON (RFC 7946, WGS 84) {pfad} mit {len(ein)} Einrichtungen geschrieben (Spalte status)."
    if endung == ".xlsx":
        blaetter = tabellen(session, kommune, ein, akteur=akteur)
        erkl = erlaeuterungen(kommune, quellen=quellen(session))
        _bytes_schreiben(pfad, lambda f: schreibe_xlsx(f, blaetter, erlaeuterungen=erkl, titel=_titel(kommune)))
        ohne = "" if "Protokollpunkte" in blaetter else " Protokolle nicht enthalten (keine Leserechte)."
        return f"Excel-Datei {pfad} mit {len(blaetter)} Blättern geschrieben.{ohne}"
    text = csv_text(einrichtungen_tabelle(ein, kommune))
    _bytes_schreiben(pfad, lambda f: f.write(text.encode("utf-8-sig")))
    return (f"CSV {pfad} mit {len(ein)} Einrichtungen geschrieben (für Excel: Trennzeichen ';', Dezimalkomma, "
            "UTF-8 mit BOM; Länge/Breite in WGS 84).")


def excel_bytes(*, session: Session, kommune: Kommune, akteur: Akteur | None) -> bytes:
    """Dieselbe Excel-Datei wie `exportiere(….xlsx)` als Bytes (Download im Dashboard, mit den Rechten
    der angemeldeten Person)."""
    ein = einrichtungen_fuer_export(session, kommune)
    puffer = io.BytesIO()
    schreibe_xlsx(puffer, tabellen(session, kommune, ein, akteur=akteur),
                  erlaeuterungen=erlaeuterungen(kommune, quellen=quellen(session)), titel=_titel(kommune))
    return puffer.getvalue()


def _titel(kommune: Kommune) -> str:
    return f"{kommune.name}, {kommune.amt}: Sozialraum-Ressourcenkarte"

