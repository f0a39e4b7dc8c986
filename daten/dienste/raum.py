"""Punkte verorten: Koordinaten lesen und ihr Bezugssystem erkennen, Stadtteil/Sozialraum aus der Geometrie.

Gespeichert wird in EPSG:4326 (Länge, Breite); Abstände werden in EPSG:25832 gemessen. Eingaben dürfen
WGS84 (Breite/Länge in Grad) oder EPSG:25832 (Ost-/Nordwert in Metern) sein; erkannt wird das an den
Wertebereichen und am Stadtgebiet – passt mehr als eine Lesart, wird gefragt, nie still geraten.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import shapely
from pyproj import Transformer
from sqlalchemy import select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten.dienste.ausnahmen import Deutung, MehrdeutigeKoordinaten
from daten.fehler import EingabeFehler

METRISCH = "EPSG:25832"
NAEHE_M = 10_000  # Lesarten, die weiter als das vom Stadtgebiet entfernt liegen, gelten als unplausibel
# Wertebereiche von EPSG:25832 (UTM 32N, Deutschland): Ostwert mit 6 Stellen, Nordwert mit 7 Stellen
_OST = (200_000.0, 1_000_000.0)
_NORD = (5_000_000.0, 6_200_000.0)
CRS_WAHL = {"auto": "automatisch erkennen", "EPSG:4326": "WGS84 – Breite, Länge (Grad)",
            "EPSG:25832": "ETRS89/UTM 32N (EPSG:25832) – Ostwert, Nordwert (Meter)"}


@lru_cache(maxsize=4)
def _transformer(von: str, nach: str) -> Transformer:
    return Transformer.from_crs(von, nach, always_xy=True)


def nach_metrisch(geom: shapely.Geometry) -> shapely.Geometry:
    """EPSG:4326 → EPSG:25832."""
    return shapely.transform(geom, lambda xy: _xy(_transformer("EPSG:4326", METRISCH), xy))


def nach_wgs84(geom: shapely.Geometry) -> shapely.Geometry:
    """EPSG:25832 → EPSG:4326."""
    return shapely.transform(geom, lambda xy: _xy(_transformer(METRISCH, "EPSG:4326"), xy))


def _xy(t: Transformer, xy):  # noqa: ANN001, ANN202
    import numpy as np

    x, y = t.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def abstand_m(a: shapely.Point, b: shapely.Point) -> float:
    """Abstand zweier Punkte (EPSG:4326) in Metern, gemessen in EPSG:25832."""
    return float(nach_metrisch(a).distance(nach_metrisch(b)))


@dataclass(frozen=True)
class Verortung:
    stadtteil_id: int
    stadtteil: str
    sozialraum_id: int
    sozialraum: str


def _stadtteile(session: Session) -> list[tuple[m.Stadtteil, str]]:
    zeilen = list(session.execute(select(m.Stadtteil, m.Sozialraum.name).join(m.Sozialraum)
                                  .where(m.Stadtteil.geometrie.is_not(None)).order_by(m.Stadtteil.id)))
    if not zeilen:
        raise EingabeFehler("Es sind noch keine Stadtteilgrenzen geladen; ohne sie lässt sich kein Punkt zuordnen. "
                            "Bitte zuerst die Stadtteile importieren (Administration).")
    return [(st, sr) for st, sr in zeilen]


def stadtgebiet(session: Session) -> shapely.Geometry:
    """Vereinigung aller Stadtteile (EPSG:4326)."""
    return shapely.union_all([st.geometrie for st, _ in _stadtteile(session)])


def verorte(session: Session, punkt: shapely.Point) -> Verortung:
    """Stadtteil und Sozialraum des Punktes (EPSG:4326); außerhalb des Stadtgebiets: EingabeFehler.

    Auf der Grenze zweier Stadtteile entscheidet der mit der kleineren id (stabil, nicht zufällig).
    """
    if not isinstance(punkt, shapely.Point) or punkt.is_empty or not all(map(math.isfinite, (punkt.x, punkt.y))):
        raise EingabeFehler("Position fehlt oder ist ungültig. Bitte auf die Karte klicken oder Koordinaten eingeben.")
    for st, sr_name in _stadtteile(session):
        if st.geometrie.covers(punkt):
            return Verortung(st.id, st.name, st.sozialraum_id, sr_name)
    raise EingabeFehler(
        f"Der Punkt (Breite {punkt.y:.5f}, Länge {punkt.x:.5f}) liegt außerhalb des Stadtgebiets "
        "(keinem Stadtteil zugeordnet). Bitte die Position prüfen – vielleicht Breite und Länge vertauscht?")


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


def _lesarten(a: float, b: float, crs: str) -> list[Deutung]:
    lesarten: list[Deutung] = []
    # ausdrücklich gewählt: nur die genannte Reihenfolge; automatisch: auch die vertauschte
    if crs in ("auto", "EPSG:4326"):
        if -90 <= a <= 90 and -180 <= b <= 180:
            lesarten.append(Deutung(shapely.Point(b, a), f"WGS84 (EPSG:4326): Breite {a}, Länge {b}", "EPSG:4326"))
        if crs == "auto" and -90 <= b <= 90 and -180 <= a <= 180 and a != b:
            lesarten.append(Deutung(shapely.Point(a, b), f"WGS84 (EPSG:4326) in der Reihenfolge Länge {a}, "
                                    f"Breite {b}", "EPSG:4326"))
    if crs in ("auto", "EPSG:25832"):
        folgen = [(a, b, "Ostwert, Nordwert")] + ([(b, a, "Nordwert, Ostwert")] if crs == "auto" else [])
        for ost, nord, folge in folgen:
            if _OST[0] <= ost <= _OST[1] and _NORD[0] <= nord <= _NORD[1]:
                p = nach_wgs84(shapely.Point(ost, nord))
                lesarten.append(Deutung(p, f"EPSG:25832 ({folge}): Ostwert {ost:.0f} m, Nordwert {nord:.0f} m",
                                        "EPSG:25832"))
    return lesarten


def deute_koordinaten(session: Session, text: str, *, crs: str = "auto") -> Deutung:
    """Liest zwei Zahlen und bestimmt ihr Bezugssystem; Ergebnis in EPSG:4326 mit Beschreibung der Annahme.

    `crs`: "auto" (aus Wertebereich und Stadtgebiet), "EPSG:4326" (Breite, Länge) oder "EPSG:25832".
    Keine plausible Lesart → EingabeFehler; mehrere → MehrdeutigeKoordinaten (die Person wählt).
    """
    if crs not in CRS_WAHL:
        raise EingabeFehler(f"Bezugssystem „{crs}“ unbekannt. Erlaubt: {', '.join(CRS_WAHL)}.")
    a, b = lies_zahlenpaar(text)
    lesarten = _lesarten(a, b, crs)
    if not lesarten:
        raise EingabeFehler(
            f"Die Zahlen {a} und {b} passen zu keinem Bezugssystem: Grad (WGS84) liegen zwischen -90 und 90 bzw. "
            "-180 und 180, EPSG:25832 hat einen 6-stelligen Ostwert und einen 7-stelligen Nordwert (Meter).")
    gebiet = nach_metrisch(stadtgebiet(session))
    nah = [d for d in lesarten if gebiet.distance(nach_metrisch(d.punkt)) <= NAEHE_M]
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


def stadtteil_fuer_punkte(punkte: gpd.GeoDataFrame, stadtteile: gpd.GeoDataFrame) -> list[str | None]:
    """Ordnet Punkte (EPSG:4326) dem enthaltenden Stadtteil zu; außerhalb: nächster bis 100 m, sonst None."""
    p = punkte[["geometry"]].to_crs(25832)
    st = stadtteile[["name", "geometry"]].to_crs(25832)
    j = gpd.sjoin(p, st, how="left", predicate="within")
    j = j[~j.index.duplicated()]
    ergebnis = j["name"].astype(object)
    fehlt = ergebnis.isna()
    if fehlt.any():
        naechst = gpd.sjoin_nearest(p[fehlt], st, how="left", max_distance=100)
        naechst = naechst[~naechst.index.duplicated()]
        ergebnis.loc[fehlt] = naechst["name"]
    return [None if isinstance(v, float) else v for v in ergebnis.tolist()]
