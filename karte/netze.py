"""Netzwerke auf der Karte: in der Stadtansicht ein Knoten je Netzwerk, vergrößert die Verbindungslinien.

Ein Netzwerk mit 29 Mitgliedern als Stern aus 28 Linien ist in der Stadtansicht ein Knäuel. Deshalb
zeigt der Browser (karte/js/netze.js) unterhalb der Detail-Zoomstufe je Netzwerk einen Knoten in der
Mitte seiner Mitglieder (Größe nach Mitgliederzahl); erst vergrößert erscheinen die Linien. Ein Klick
auf Knoten oder Linie (oder `baue_karte(auswahl_netzwerk=…)`) hebt das Netzwerk hervor: Hülle um die
Mitglieder, Ringe um jedes Mitglied, seine Linien in jeder Zoomstufe.

Eingang: Kanten-GeoDataFrame wie `daten.repository.netzwerk_kanten` (EPSG:4326; Spalten netzwerk_id,
netzwerk, status, sozialraum, von, nach). Mitte und Hülle werden metrisch (EPSG:25832) gerechnet.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from karte.ebenen import Flaechen, JsEbene
from karte.paket import Paket

# Dunkel genug, dass Knoten und Linien auf mittelhellen Flächen 3:1 erreichen; auf dunklen hilft der weiße Saum
# (tests/karte/test_symbole.py rechnet das für jeden Hintergrund nach).
NETZ_FARBEN = ["#0b3c5d", "#7b241c", "#0d4a2b", "#5b2379", "#6e3b00", "#004d40", "#880e4f", "#263238"]
GESTRICHELT = "8 6"
STATUS_GEPLANT = "soll entwickelt werden"
HUELLE_PUFFER_M = 150.0


def _status(wert: Any) -> str:
    return STATUS_GEPLANT if str(wert) == STATUS_GEPLANT else "besteht"


def _schluessel(kanten: gpd.GeoDataFrame) -> pd.Series:
    """Netzwerk-Kennung je Kante: netzwerk_id, sonst der Name."""
    if "netzwerk_id" in kanten and kanten["netzwerk_id"].notna().all():
        return kanten["netzwerk_id"].astype("int64").astype(str)
    return kanten.get("netzwerk", pd.Series([""] * len(kanten), index=kanten.index)).astype(str)


def netzwerk_tabelle(kanten: gpd.GeoDataFrame) -> pd.DataFrame:
    """Ein Netzwerk je Zeile: netzwerk_id, Netzwerk, Status, Sozialraum, Mitglieder (Anzahl), Mitgliedernamen.

    Für die Liste neben der Karte; Mitglieder sind die Endpunkte der übergebenen Kanten (gefilterte
    Kanten → nur die gezeigten Mitglieder). Sortiert nach Sozialraum und Name.
    """
    spalten = ["netzwerk_id", "Netzwerk", "Status", "Sozialraum", "Mitglieder", "Mitgliedernamen"]
    if kanten.empty:
        return pd.DataFrame(columns=spalten)
    zeilen = []
    for _, teil in kanten.groupby(_schluessel(kanten), sort=False):
        erste = teil.iloc[0]
        namen = sorted({str(n) for n in pd.concat([teil["von"], teil["nach"]]).dropna()}, key=str.casefold)
        zeilen.append({"netzwerk_id": erste.get("netzwerk_id"), "Netzwerk": str(erste.get("netzwerk", "")),
                       "Status": _status(erste.get("status")), "Sozialraum": erste.get("sozialraum"),
                       "Mitglieder": len(namen), "Mitgliedernamen": ", ".join(namen)})
    tab = pd.DataFrame(zeilen, columns=spalten)
    return tab.sort_values(["Sozialraum", "Netzwerk"], key=lambda s: s.astype(str).str.casefold(),
                           ignore_index=True)


class Netze:
    """Kanten (Linien) und je Netzwerk Mitte, Hülle und Mitglieder für den Browser."""

    def __init__(self, kanten: gpd.GeoDataFrame, *, crs_metrisch: int = 25832) -> None:
        schluessel = _schluessel(kanten)
        reihenfolge = list(dict.fromkeys(schluessel))
        nummer = {s: i for i, s in enumerate(reihenfolge)}
        self.kennungen = reihenfolge
        farben = [NETZ_FARBEN[i % len(NETZ_FARBEN)] for i in range(len(reihenfolge))]
        status = {s: _status(kanten.loc[schluessel == s, "status"].iloc[0]) if "status" in kanten else "besteht"
                  for s in reihenfolge}
        netz_nr = [nummer[s] for s in schluessel]
        self.kanten = Flaechen(kanten.geometry.values, {
            "i": netz_nr,
            "tt": [f"{z.get('netzwerk', '')} ({status[s]})\n{z.get('von', '')} – {z.get('nach', '')}"
                   for s, (_, z) in zip(schluessel, kanten.iterrows(), strict=True)],
        })
        self.netze = self._netze(kanten, schluessel, reihenfolge, farben, status, crs_metrisch)

    def _netze(self, kanten: gpd.GeoDataFrame, schluessel: pd.Series, reihenfolge: list[str], farben: list[str],
               status: dict[str, str], crs: int) -> dict[str, Any]:
        metrisch = kanten.geometry.to_crs(crs)
        namen, sr, mitte, huellen, mitglieder, lagen = [], [], [], [], [], []
        for s in reihenfolge:
            maske = (schluessel == s).to_numpy()
            teil, geo = kanten[maske], metrisch[maske]
            punkte: dict[str, Any] = {}
            grad: dict[str, list[float]] = {}
            for (_, z), linie, linie_grad in zip(teil.iterrows(), geo.values, teil.geometry.values, strict=True):
                if linie is None or linie.is_empty:
                    continue
                koord, koord_grad = shapely.get_coordinates(linie), shapely.get_coordinates(linie_grad)
                for name, k, kg in ((z.get("von", ""), koord[0], koord_grad[0]),
                                    (z.get("nach", ""), koord[-1], koord_grad[-1])):
                    punkte.setdefault(str(name), k)
                    grad.setdefault(str(name), [round(float(kg[1]), 5), round(float(kg[0]), 5)])
            lagen.append(list(grad.values()))
            xy = np.array(list(punkte.values())) if punkte else np.zeros((0, 2))
            mp = shapely.multipoints(xy) if len(xy) else None
            huellen.append(None if mp is None else shapely.convex_hull(mp).buffer(HUELLE_PUFFER_M, quad_segs=8))
            mitte.append(None if mp is None else shapely.points(xy.mean(axis=0)))
            mitglieder.append(list(punkte))
            erste = teil.iloc[0]
            namen.append(str(erste.get("netzwerk", "")))
            sr.append(None if pd.isna(erste.get("sozialraum")) else str(erste.get("sozialraum")))
        zurueck = gpd.GeoSeries([*mitte, *huellen], crs=crs).to_crs(4326).values
        n = len(reihenfolge)
        hubs = [None if p is None else [round(p.y, 5), round(p.x, 5)] for p in zurueck[:n]]
        return {"n": namen, "s": [status[s] for s in reihenfolge], "c": farben, "sr": sr, "hub": hubs,
                "m": mitglieder, "mxy": lagen, "huelle": Flaechen(zurueck[n:], {"i": list(range(n))})}

    def __len__(self) -> int:
        return len(self.kennungen)

    def nummer(self, auswahl: str | int | None) -> int | None:
        """Index des Netzwerks mit dieser Kennung (netzwerk_id) oder diesem Namen; None, wenn keins passt."""
        if auswahl is None:
            return None
        for i, (k, name) in enumerate(zip(self.kennungen, self.netze["n"], strict=True)):
            if str(auswahl) in (k, name):
                return i
        return None

    def kodiere(self, paket: Paket, geteilt: dict[int, Any]) -> dict[str, Any]:
        netze = {k: v for k, v in self.netze.items() if k != "huelle"}
        return {"kanten": self.kanten.kodiere(paket, geteilt), "huelle": self.netze["huelle"].kodiere(paket, geteilt),
                **netze}


def netz_ebene(kanten: gpd.GeoDataFrame, *, titel: str = "Netzwerke", breite: float = 3.0,
               auswahl: str | int | None = None, crs_metrisch: int = 25832) -> JsEbene:
    """Netzwerke: durchgezogen = besteht, gestrichelt = soll entwickelt werden; `auswahl` hervorgehoben."""
    daten = Netze(kanten, crs_metrisch=crs_metrisch)
    return JsEbene(titel=titel, fabrik="netze", daten=daten,
                   optionen={"breite": breite, "strich": GESTRICHELT, "auswahl": daten.nummer(auswahl), "rang": 8})
