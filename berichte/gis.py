"""GeoPackage für das GIS der Stadt: zu den Ebenen der Datenbank (`daten.export.gis_ebenen`) die Kennzahlen eines
Jahres je Stadtteil und je Sozialraum (Indikatoren, Bedarfsindex mit z-Werten, Angebot, Versorgung – dieselben
Werte wie `analysen.vergleich.vergleiche`, dieselben Köpfe wie die Vergleichstabelle) und die QGIS-Stile
(`karte.qgis`, Farben und Formen des Dashboards).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from analysen.bedarf import BEDARFSKLASSEN
from analysen.beschriftung import NICHT_EXPORTIEREN, SPEICHER_STELLEN, vergleich_spalten
from analysen.vergleich import Vergleich
from daten.config import Kommune
from daten.export import EBENEN_TEXTE
from daten.export_tabellen import kopf
from daten.gpkg import GpkgEbene, QgisStil
from daten.werte import NETZWERK_GEPLANT, NETZWERK_STATUS
from karte import qgis

KENNZAHLEN_EBENEN = {"Stadtteil": "stadtteile_kennzahlen", "Sozialraum": "sozialraeume_kennzahlen"}


def kennzahlen_ebenen(v: Vergleich, *, stadtteile: gpd.GeoDataFrame, sozialraeume: gpd.GeoDataFrame,
                      kommune: Kommune, quellen: list[str] = ()) -> list[GpkgEbene]:
    """Je Ebene eine Flächenebene mit allen Spalten der Vergleichstabelle des Jahres `v.jahr` (EPSG:4326).

    Feldnamen = Spaltennamen der Vergleichstabelle (`gebiet` heißt `name`; Stadtteile zusätzlich `nummer`),
    Aliase = Köpfe der Vergleichstabelle. Werte auf höchstens vier Nachkommastellen gerundet."""
    aus = []
    for ebene, flaechen in (("Stadtteil", stadtteile), ("Sozialraum", sozialraeume)):
        t = v.ebene(ebene).drop(columns=[c for c in (*NICHT_EXPORTIEREN, "ebene") if c in v.tabelle])
        if ebene == "Sozialraum":
            t = t.drop(columns=["sozialraum"], errors="ignore")
        zahlen = t.select_dtypes("number").columns
        t[zahlen] = t[zahlen].round(SPEICHER_STELLEN)
        beschr = vergleich_spalten(list(t.columns), kommune)
        geo = flaechen.set_index("name")
        vorne = {"name": t.index.to_list()}
        if "nummer" in geo:
            vorne["nummer"] = [geo["nummer"].get(n) for n in t.index]
        gdf = gpd.GeoDataFrame(pd.concat([pd.DataFrame(vorne, index=t.index), t], axis=1).reset_index(drop=True),
                               geometry=[geo.geometry.get(n) for n in t.index], crs=flaechen.crs)
        aliase = {"name": "Gebiet", "nummer": "Amtliche Nummer"} | {s: b.kopf for s, b in beschr.items()}
        erkl = {s: b.bedeutung for s, b in beschr.items() if b.bedeutung}
        titel = f"{'Stadtteile' if ebene == 'Stadtteil' else 'Sozialräume'}: Kennzahlen {v.jahr}"
        text = (f"Indikatoren, Bedarfsindex (mit z-Werten und Klasse), Angebot und Versorgung {v.jahr} je {ebene}; "
                f"dieselben Werte wie die Vergleichstabelle (ressourcenkarte vergleich --jahr {v.jahr}). Einrichtungen "
                f"gezählt am 31.12.{v.jahr}.")
        aus.append(GpkgEbene(KENNZAHLEN_EBENEN[ebene], gdf, titel, text, aliase=aliase, erklaerungen=erkl,
                             quellen=list(quellen)))
    return aus


def qgis_stile(kommune: Kommune, ebenen: list[GpkgEbene]) -> dict[str, QgisStil]:
    """QGIS-Stil je Ebene (Name → Stil) mit den Feldaliasen der Ebene."""
    aliase = {e.name: dict(e.aliase) for e in ebenen}
    stile = {
        "einrichtungen": qgis.einrichtungen_qml(kommune, aliase=aliase.get("einrichtungen", {})),
        "sozialraeume": qgis.sozialraeume_qml(aliase=aliase.get("sozialraeume", {})),
        "stadtteile": qgis.stadtteile_qml(aliase=aliase.get("stadtteile", {})),
        "netzwerke": qgis.netzwerke_qml(aliase=aliase.get("netzwerke", {})),
        "netzwerk_verbindungen": qgis.verbindungen_qml(aliase=aliase.get("netzwerk_verbindungen", {}),
                                                       status=NETZWERK_STATUS, geplant=NETZWERK_GEPLANT),
    }
    for name in KENNZAHLEN_EBENEN.values():
        stile[name] = qgis.kennzahlen_qml(aliase=aliase.get(name, {}), klassen=list(BEDARFSKLASSEN))
    titel = {**{n: t for n, (t, _) in EBENEN_TEXTE.items()}, **{e.name: e.titel for e in ebenen}}
    return {n: QgisStil(f"Ressourcenkarte: {titel.get(n, kopf(n))}", qml,
                        beschreibung=f"Darstellung wie im Dashboard der Ressourcenkarte ({titel.get(n, n)})")
            for n, qml in stile.items()}
