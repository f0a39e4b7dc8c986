"""Punkte verorten: Koordinaten lesen und ihr Bezugssystem erkennen, Stadtteil/Sozialraum aus der Geometrie.

Gespeichert wird in EPSG:4326 (Länge, Breite); Abstände werden im metrischen KBS der Kommune gemessen
(`crs_metrisch`, Mainz EPSG:25832). Eingaben dürfen WGS84 (Breite/Länge in Grad) oder dieses KBS (Ost-/Nordwert in
Metern) sein; erkannt wird das an den Wertebereichen und am Stadtgebiet – passt mehr als eine Lesart, wird
gefragt, nie still geraten. Welcher Stadtteil: die eine Regel aus `daten.geometrie`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import shapely
from pyproj import CRS, Transformer
from sqlalchemy import select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten.config import Kommune
from daten.dienste.ausnahmen import Deutung, MehrdeutigeKoordinaten
from daten.fehler import EingabeFehler
from daten.geometrie import KEINE_GRENZEN, metrisches_crs, nach_metrisch, nach_wgs84, stadtteil_fuer_punkt

WGS84 = "EPSG:4326"
NAEHE_M = 10_000  # Lesarten, die weiter als das vom Stadtgebiet entfernt liegen, gelten als unplausibel


@lru_cache(maxsize=8)
def _bereich(crs: int) -> tuple[float, float, float, float]:
    """Wertebereich (Ost min, Ost max, Nord min, Nord max) des KBS über seinem Gültigkeitsbereich, in Metern."""
    gebiet = CRS.from_epsg(crs).area_of_use
    if gebiet is None:
        return (-float("inf"), float("inf"), -float("inf"), float("inf"))
    t = Transformer.from_crs(4326, crs, always_xy=True)
    x0, y0, x1, y1 = t.transform_bounds(gebiet.west, gebiet.south, gebiet.east, gebiet.north, densify_pts=21)
    return (x0, x1, y0, y1)


def crs_wahl(kommune: Kommune) -> dict[str, str]:
    """Bezugssysteme zur Auswahl: automatisch, WGS84 und das metrische KBS der Kommune."""
    crs = metrisches_crs(kommune)
    return {"auto": "automatisch erkennen", WGS84: "WGS84 – Breite, Länge (Grad)",
            f"EPSG:{crs}": f"{CRS.from_epsg(crs).name} (EPSG:{crs}) – Ostwert, Nordwert (Meter)"}


@dataclass(frozen=True)
class Verortung:
    stadtteil_id: int
    stadtteil: str
    sozialraum_id: int
    sozialraum: str
    abstand_m: float = 0.0  # > 0: außerhalb aller Stadtteile, innerhalb der Toleranz dem nächsten zugeordnet


def stadtteil_flaechen(session: Session) -> gpd.GeoDataFrame:
    """Stadtteile mit Grenze (EPSG:4326): id, name, sozialraum_id, sozialraum; ohne eine Grenze → EingabeFehler."""
    zeilen = list(session.execute(select(m.Stadtteil, m.Sozialraum.name).join(m.Sozialraum)
                                  .where(m.Stadtteil.geometrie.is_not(None)).order_by(m.Stadtteil.id)))
    if not zeilen:
        raise EingabeFehler(KEINE_GRENZEN)
    return gpd.GeoDataFrame({"id": [st.id for st, _ in zeilen], "name": [st.name for st, _ in zeilen],
                             "sozialraum_id": [st.sozialraum_id for st, _ in zeilen],
                             "sozialraum": [sr for _, sr in zeilen]},
                            geometry=[st.geometrie for st, _ in zeilen], crs=WGS84)


def stadtgebiet(session: Session) -> shapely.Geometry:
    """Vereinigung aller Stadtteile (EPSG:4326)."""
    return shapely.union_all(stadtteil_flaechen(session).geometry.to_numpy())


def verorte(session: Session, punkt: shapely.Point, *, kommune: Kommune) -> Verortung:
    """Stadtteil und Sozialraum des Punktes (EPSG:4326) nach der Regel aus `daten.geometrie`
    (im Stadtteil, sonst der nächste innerhalb der Toleranz der Kommune); sonst EingabeFehler."""
    flaechen = stadtteil_flaechen(session)
    lage = stadtteil_fuer_punkt(punkt, flaechen, kommune=kommune)
    st = flaechen[flaechen["name"] == lage.stadtteil].iloc[0]
    return Verortung(int(st["id"]), lage.stadtteil, int(st["sozialraum_id"]), st["sozialraum"], lage.abstand_m)


def lies_zahlenpaar(text: str) -> tuple[float, float]:
    """„49,9987; 8,2711“, „49.9987, 8.2711“ oder „447123 5540123“ → zwei Zahlen (Reihenfolge wie eingegeben)."""
    roh = (text or "").strip()
    teile = [t for t in re.split(r"\s*;\s*|,\s+|\s+", roh) if t]
    if len(teile) == 1 and roh.count(",") == 1 and "." in roh:
        teile = roh.split(",")  # „49.99,8.27“
    if len(teile) != 2:
        raise EingabeFehler(f"Koordinaten „{roh[:60]}“: bitte genau zwei Zahlen angeben, getrennt durch Semikolon "
                            "oder Leerzeichen (z. B. „49,9987; 8,2711“ oder „447123 5540123“).")
    try:
        a, b = (float(t.replace(",", ".")) for t in teile)
    except ValueError:
        raise EingabeFehler(f"Koordinaten „{roh[:60]}“: „{teile[0]}“ oder „{teile[1]}“ ist keine Zahl.") from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise EingabeFehler("Koordinaten müssen endliche Zahlen sein.")
    return a, b


def _lesarten(a: float, b: float, crs: str, metrisch: int) -> list[Deutung]:
    lesarten: list[Deutung] = []
    # ausdrücklich gewählt: nur die genannte Reihenfolge; automatisch: auch die vertauschte
    if crs in ("auto", WGS84):
        if -90 <= a <= 90 and -180 <= b <= 180:
            lesarten.append(Deutung(shapely.Point(b, a), f"WGS84 (EPSG:4326): Breite {a}, Länge {b}", WGS84))
        if crs == "auto" and -90 <= b <= 90 and -180 <= a <= 180 and a != b:
            lesarten.append(Deutung(shapely.Point(a, b), f"WGS84 (EPSG:4326) in der Reihenfolge Länge {a}, "
                                    f"Breite {b}", WGS84))
    if crs in ("auto", f"EPSG:{metrisch}"):
        ost0, ost1, nord0, nord1 = _bereich(metrisch)
        folgen = [(a, b, "Ostwert, Nordwert")] + ([(b, a, "Nordwert, Ostwert")] if crs == "auto" else [])
        for ost, nord, folge in folgen:
            if ost0 <= ost <= ost1 and nord0 <= nord <= nord1:
                p = nach_wgs84(shapely.Point(ost, nord), crs_metrisch=metrisch)
                lesarten.append(Deutung(p, f"EPSG:{metrisch} ({folge}): Ostwert {ost:.0f} m, Nordwert {nord:.0f} m",
                                        f"EPSG:{metrisch}"))
    return lesarten


def deute_koordinaten(session: Session, text: str, *, kommune: Kommune, crs: str = "auto") -> Deutung:
    """Liest zwei Zahlen und bestimmt ihr Bezugssystem; Ergebnis in EPSG:4326 mit Beschreibung der Annahme.

    `crs`: ein Schlüssel aus `crs_wahl(kommune)` – "auto" (aus Wertebereich und Stadtgebiet), "EPSG:4326"
    (Breite, Länge) oder das metrische KBS der Kommune. Keine plausible Lesart → EingabeFehler; mehrere →
    MehrdeutigeKoordinaten (die Person wählt).
    """
    wahl = crs_wahl(kommune)
    if crs not in wahl:
        raise EingabeFehler(f"Bezugssystem „{crs}“ unbekannt. Erlaubt: {', '.join(wahl)}.")
    metrisch = metrisches_crs(kommune)
    a, b = lies_zahlenpaar(text)
    lesarten = _lesarten(a, b, crs, metrisch)
    if not lesarten:
        ost0, ost1, nord0, nord1 = _bereich(metrisch)
        raise EingabeFehler(
            f"Die Zahlen {a} und {b} passen zu keinem Bezugssystem: Grad (WGS84) liegen zwischen -90 und 90 bzw. "
            f"-180 und 180, EPSG:{metrisch} hat Ostwerte von {ost0:,.0f} bis {ost1:,.0f} und Nordwerte von "
            f"{nord0:,.0f} bis {nord1:,.0f} (Meter).".replace(",", "."))
    gebiet = nach_metrisch(stadtgebiet(session), crs_metrisch=metrisch)
    nah = [d for d in lesarten if gebiet.distance(nach_metrisch(d.punkt, crs_metrisch=metrisch)) <= NAEHE_M]
    if len(nah) == 1:
        return nah[0]
    if not nah:
        weit = "; ".join(f"als {d.beschreibung} läge er bei Breite {d.punkt.y:.4f}, Länge {d.punkt.x:.4f}"
                         for d in lesarten)
        raise EingabeFehler(f"Der Punkt liegt in keiner Lesart in der Nähe der Stadt ({weit}). "
                            "Bitte die Koordinaten prüfen.")
    raise MehrdeutigeKoordinaten(
        "Die Koordinaten lassen sich mehrfach lesen: " + " oder ".join(d.beschreibung for d in nah)
        + ". Bitte das Bezugssystem auswählen.", nah)


def bekannte_adressen(session: Session) -> dict[str, shapely.Point]:
    """Adressen bestehender Einrichtungen mit ihrer Lage (EPSG:4326), alphabetisch – zum Auswählen."""
    zeilen = session.execute(select(m.Einrichtung.adresse, m.Einrichtung.geometrie)
                             .where(m.Einrichtung.adresse.is_not(None)).order_by(m.Einrichtung.adresse))
    return {a: p for a, p in zeilen if a and p is not None}
