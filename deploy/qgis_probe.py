"""Lädt die OGC API – Features der Offenen Daten in QGIS (ohne Bildschirm), wie es die GIS-Stelle täte.

Aufruf (Debian: `apt-get install python3-qgis qgis-providers`; mit dem System-Python, nicht der .venv):
    /usr/bin/python3 deploy/qgis_probe.py https://SERVER/api [--bbox 8.25,49.99,8.28,50.01]

Gibt je Sammlung aus, ob QGIS sie als Ebene annimmt, mit KBS, Anzahl der Objekte und Feldern; Exit 1, wenn eine
Sammlung ungültig ist oder keine Objekte hat. Kein Test der Suite (QGIS ist groß); Ergebnis in docs/Messwerte.md.
"""

from __future__ import annotations

import argparse
import os
import sys


def main() -> int:
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("url", help="Basisadresse der OGC API, z. B. http://127.0.0.1:5000 oder https://SERVER/api")
    a.add_argument("--bbox", default="8.25,49.99,8.28,50.01", help="Ausschnitt (Länge/Breite) für die Filterprobe")
    a.add_argument("--sammlungen", default="einrichtungen,stadtteile,sozialraeume,netzwerke")
    args = a.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from qgis.core import Qgis, QgsApplication, QgsFeatureRequest, QgsRectangle, QgsVectorLayer
    except ImportError:
        print("Fehler: PyQGIS fehlt (apt-get install python3-qgis qgis-providers; /usr/bin/python3 verwenden).",
              file=sys.stderr)
        return 1
    app = QgsApplication([], False)
    app.initQgis()
    gut = True
    print(f"QGIS {Qgis.QGIS_VERSION}, OGC API – Features unter {args.url}")
    for name in args.sammlungen.split(","):
        ebene = QgsVectorLayer(f"url='{args.url}' typename='{name}' pageSize='100'", name, "OAPIF")
        if not ebene.isValid():
            print(f"  {name:14} ungültig: {ebene.error().summary()}")
            gut = False
            continue
        n = sum(1 for _ in ebene.getFeatures())
        gut &= n > 0
        print(f"  {name:14} gültig, {ebene.crs().authid()}, {n} Objekte, {len(ebene.fields())} Felder")
    x0, y0, x1, y1 = (float(v) for v in args.bbox.split(","))
    ebene = QgsVectorLayer(f"url='{args.url}' typename='einrichtungen'", "bbox", "OAPIF")
    teil = sum(1 for _ in ebene.getFeatures(QgsFeatureRequest().setFilterRect(QgsRectangle(x0, y0, x1, y1))))
    print(f"  Ausschnitt {args.bbox}: {teil} Einrichtungen")
    app.exitQgis()
    return 0 if gut else 1


if __name__ == "__main__":
    sys.exit(main())
