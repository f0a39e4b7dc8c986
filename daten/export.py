"""Export: GeoPackage (alle Ebenen, öffnet in QGIS), GeoJSON (Einrichtungen), XLSX/CSV (Tabellen)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
from sqlalchemy.orm import Session

from daten import modelle as m
from daten import repository as repo
from daten.config import Kommune
from daten.fehler import EingabeFehler

FORMATE = (".gpkg", ".geojson", ".xlsx", ".csv")


def _ebenen(session: Session, kommune: Kommune) -> dict[str, gpd.GeoDataFrame]:
    ein = repo.einrichtungen(session=session, kommune=kommune)
    return {
        "sozialraeume": repo.sozialraeume(session=session),
        "stadtteile": repo.stadtteile(session=session),
        "einrichtungen": ein,
        "netzwerke": repo.netzwerke(session=session),
        "netzwerk_verbindungen": repo.netzwerk_kanten(session=session, einrichtungen_gdf=ein),
    }


def _fuer_datei(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Spalten, die GDAL nicht schreiben kann (gemischte Objekte), als Text."""
    aus = gdf.copy()
    for spalte in aus.columns:
        if spalte != aus.geometry.name and aus[spalte].dtype == object:
            aus[spalte] = aus[spalte].map(lambda v: "" if v is None else str(v))
    return aus


def _tabellen(session: Session, kommune: Kommune) -> dict[str, pd.DataFrame]:
    ebenen = _ebenen(session, kommune)
    tabellen = {name: pd.DataFrame(gdf.drop(columns="geometry")) for name, gdf in ebenen.items()}
    ein = ebenen["einrichtungen"]
    tabellen["einrichtungen"]["lon"] = ein.geometry.x.round(6)
    tabellen["einrichtungen"]["lat"] = ein.geometry.y.round(6)
    tabellen["indikatoren"] = repo.indikatoren(session=session)
    for modell in (m.Sitzung, m.Protokollpunkt, m.Massnahme, m.Budget, m.Hospitation):
        df = repo.tabelle(modell, session=session)
        for spalte in df.columns:  # JSON-Listen (z. B. Teilnehmende) als lesbarer Text
            if df[spalte].map(lambda v: isinstance(v, list | dict)).any():
                df[spalte] = df[spalte].map(lambda v: json.dumps(v, ensure_ascii=False, default=str))
        tabellen[modell.__tablename__] = df
    return tabellen


def exportiere(pfad: Path, *, session: Session, kommune: Kommune) -> str:
    """Schreibt den Export nach Dateiendung; gibt eine deutsche Zusammenfassung zurück."""
    if pfad.name.lower().endswith(".hsds.json"):  # Open Referral HSDS 3.0 (daten/hsds.py)
        from daten.hsds import exportiere_hsds
        return exportiere_hsds(pfad, session=session, kommune=kommune)
    endung = pfad.suffix.lower()
    if endung not in FORMATE:
        raise EingabeFehler(
            f"Dateiendung '{pfad.suffix or '(keine)'}' von {pfad} wird nicht unterstützt. "
            f"Möglich: {', '.join(FORMATE)}.")
    if not pfad.parent.exists():
        raise EingabeFehler(f"Ordner {pfad.parent} existiert nicht. Bitte zuerst anlegen oder anderen Pfad wählen.")
    if endung == ".gpkg":
        ebenen = _ebenen(session, kommune)
        if pfad.exists():
            pfad.unlink()
        for name, gdf in ebenen.items():
            _fuer_datei(gdf).to_file(pfad, layer=name, driver="GPKG", engine="pyogrio")
        teile = ", ".join(f"{n}: {len(g)}" for n, g in ebenen.items())
        return f"GeoPackage {pfad} geschrieben ({teile})."
    if endung == ".geojson":
        ein = _fuer_datei(repo.einrichtungen(session=session, kommune=kommune))
        ein.to_file(pfad, driver="GeoJSON", engine="pyogrio")
        return f"GeoJSON {pfad} mit {len(ein)} Einrichtungen geschrieben."
    tabellen = _tabellen(session, kommune)
    if endung == ".xlsx":
        with pd.ExcelWriter(pfad, engine="openpyxl") as xl:
            for name, df in tabellen.items():
                df.to_excel(xl, sheet_name=name[:31], index=False)
        return f"Excel-Datei {pfad} mit {len(tabellen)} Blättern geschrieben."
    tabellen["einrichtungen"].to_csv(pfad, index=False, sep=";", encoding="utf-8-sig")
    return f"CSV {pfad} mit {len(tabellen['einrichtungen'])} Einrichtungen geschrieben (Trennzeichen ';', UTF-8)."
