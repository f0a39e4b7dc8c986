"""Koordinatensystem (KBS) bestimmen: erklärt, angegeben oder – mit Erklärung – aus den Werten erkannt.

Prüfmaß ist die Nähe zur Stadt: wie viele Punkte liegen unter einer Deutung im Umkreis von
`UMKREIS_KM` um die Kartenmitte der Kommune-Konfiguration. So fallen vertauschte Breite/Länge
(dann liegen die Punkte z. B. in Äthiopien), Meterwerte in Grad-Spalten und falsche Angaben auf.
Vertauschte Breite/Länge wird nie stillschweigend korrigiert, sondern mit Erklärung abgelehnt.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from daten.fehler import EingabeFehler
from daten.importe.bericht import Bericht

UMKREIS_KM = 30.0
# Metrische KBS, die in deutschen Verwaltungsdaten vorkommen (Deutung nur bei eindeutigem Treffer); dazu immer
# das metrische KBS der Kommune (`deute(…, crs_kommune=…)`).
METRISCH = {
    25832: "ETRS89 / UTM Zone 32N",
    25833: "ETRS89 / UTM Zone 33N",
    4647: "ETRS89 / UTM Zone 32N mit Zonenvorsatz (32…)",
    31467: "DHDN / Gauß-Krüger Zone 3",
    31466: "DHDN / Gauß-Krüger Zone 2",
    3857: "Web-Mercator (WGS 84 / Pseudo-Mercator)",
}
WGS84 = CRS.from_epsg(4326)


def lies_crs(angabe: str | int | None) -> CRS | None:
    """'25832', 'EPSG:25832' oder 'epsg:4326' → CRS; unbekannt → EingabeFehler."""
    if angabe is None or str(angabe).strip() == "":
        return None
    text = str(angabe).strip()
    try:
        return CRS.from_epsg(int(text)) if text.isdigit() else CRS.from_user_input(text)
    except (CRSError, ValueError):
        raise EingabeFehler(f"Koordinatensystem '{text}' ist unbekannt. Bitte als EPSG-Code angeben, "
                            "z. B. --crs 25832 (UTM 32N) oder --crs 4326 (Grad, WGS84).") from None


def name_crs(crs: CRS) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg} ({crs.name})" if epsg else crs.name


def _nach_wgs84(crs: CRS, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if crs.equals(WGS84):
        return x, y
    t = Transformer.from_crs(crs, WGS84, always_xy=True)
    with np.errstate(all="ignore"):
        lon, lat = t.transform(x, y, errcheck=False)
    return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)


def abstand_km(lon: np.ndarray, lat: np.ndarray, mitte: tuple[float, float]) -> np.ndarray:
    """Großkreisabstand in km von (lat, lon)-`mitte`; ungültige Werte → inf."""
    lat0, lon0 = np.radians(mitte[0]), np.radians(mitte[1])
    with np.errstate(all="ignore"):
        la, lo = np.radians(lat), np.radians(lon)
        a = np.sin((la - lat0) / 2) ** 2 + np.cos(lat0) * np.cos(la) * np.sin((lo - lon0) / 2) ** 2
        d = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
    ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
    return np.where(ok, d, np.inf)


def nah(crs: CRS, x: np.ndarray, y: np.ndarray, mitte: tuple[float, float]) -> int:
    """Anzahl Punkte, die mit dieser Deutung im Umkreis der Stadt liegen."""
    lon, lat = _nach_wgs84(crs, x, y)
    return int((abstand_km(lon, lat, mitte) <= UMKREIS_KM).sum())


@dataclass(frozen=True)
class Deutung:
    crs: CRS
    erklaerung: str | None = None  # gesetzt, wenn erkannt statt erklärt/angegeben


def deute(x: np.ndarray, y: np.ndarray, *, mitte: tuple[float, float], stadt: str, erklaert: CRS | None,
          gegeben: CRS | None, bericht: Bericht, crs_kommune: int, felder: str = "Koordinaten") -> Deutung:
    """Wählt das KBS der Werte (x = Länge/Rechtswert, y = Breite/Hochwert).

    Vorrang: `gegeben` (--crs) vor `erklaert` (Datei/Spaltennamen); passen beide nicht zur Stadt,
    wird ein passendes metrisches KBS mit Warnung genommen – bei gleich vielen Treffern das der Kommune
    (`crs_kommune`, EPSG-Code). Vertauschte Achsen → Fehler.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    gueltig = np.isfinite(x) & np.isfinite(y)
    x, y = x[gueltig], y[gueltig]
    basis = gegeben or erklaert
    if not len(x):
        return Deutung(basis or WGS84)
    if basis is not None:
        n_basis = nah(basis, x, y, mitte)
        n_tausch = nah(basis, y, x, mitte) if basis.is_geographic else 0
        if n_tausch > n_basis:
            raise EingabeFehler(
                f"Breite und Länge scheinen vertauscht: so gelesen liegen {n_basis} von {len(x)} Punkten bei {stadt}, "
                f"vertauscht wären es {n_tausch}. Bitte die Spalten richtig zuordnen (z. B. --spalte lat=… "
                "--spalte lon=…) oder die Datei korrigieren; geraten wird hier nicht.")
        if n_basis > 0:
            return Deutung(basis)
    metrisch = list(dict.fromkeys([crs_kommune, *METRISCH]))
    kandidaten = [4326, *metrisch] if basis is None else metrisch
    treffer = {e: nah(CRS.from_epsg(e), x, y, mitte) for e in kandidaten if basis is None or basis.to_epsg() != e}
    beste = sorted(((n, e == crs_kommune, e) for e, n in treffer.items() if n > 0), reverse=True)
    if not beste:
        raise EingabeFehler(
            f"Keine der {len(x)} {felder} liegt bei {stadt} (Umkreis {UMKREIS_KM:.0f} km)"
            + (f" mit {name_crs(basis)}" if basis else "")
            + ". Bitte das Koordinatensystem mit --crs EPSG angeben oder die Spalten prüfen.")
    n, _, epsg = beste[0]
    crs = CRS.from_epsg(epsg)
    if gegeben is not None:
        raise EingabeFehler(
            f"Mit --crs {name_crs(gegeben)} liegt kein Punkt bei {stadt}; die Werte passen zu {name_crs(crs)} "
            f"({n} von {len(x)} Punkten). Bitte --crs {epsg} angeben.")
    text = (f"{felder} sind keine Grad-Werte" if basis is not None and basis.is_geographic
            else f"{felder} ohne Angabe des Koordinatensystems")
    werte = (f" (Meter: Rechtswert ≈ {np.median(x):,.0f}, Hochwert ≈ {np.median(y):,.0f})".replace(",", ".")
             if crs.is_projected else "")
    erklaerung = f"{text}: als {name_crs(crs)} gelesen, weil damit {n} von {len(x)} Punkten bei {stadt} liegen{werte}."
    bericht.warnung(0, felder, erklaerung, f"Falls falsch: --crs EPSG angeben (z. B. --crs {epsg}).")
    return Deutung(crs, erklaerung)


def nach_wgs84(crs: CRS, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Transformiert nach EPSG:4326 (lon, lat); nicht transformierbare Werte → NaN."""
    lon, lat = _nach_wgs84(crs, np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    kaputt = ~(np.isfinite(lon) & np.isfinite(lat))
    lon, lat = lon.copy(), lat.copy()
    lon[kaputt] = np.nan
    lat[kaputt] = np.nan
    return lon, lat
