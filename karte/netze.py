"""Netzwerke auf der Karte: in der Stadtansicht ein Knoten je Netzwerk, vergrößert die Verbindungslinien.

Ein Netzwerk mit 29 Mitgliedern als Stern aus 28 Linien ist in der Stadtansicht ein Knäuel. Deshalb
zeigt der Browser (karte/js/netze.js) unterhalb der Detail-Zoomstufe je Netzwerk einen Knoten in der
Mitte seiner Mitglieder (Größe nach Mitgliederzahl); erst vergrößert erscheinen die Linien. Ein Klick
auf Knoten oder Linie (oder `baue_karte(auswahl_netzwerk=…)`) hebt das Netzwerk hervor: Hülle um die
Mitglieder, Ringe um jedes Mitglied, seine Linien in jeder Zoomstufe.

Eingang: Kanten-GeoDataFrame wie `daten.repository.netzwerk_kanten` (EPSG:4326; Spalten netzwerk_id,
netzwerk, status, sozialraum, von, nach). Mitte und Hülle werden metrisch (`crs_metrisch`, KBS der Kommune) gerechnet.
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


def _spalte(df: pd.DataFrame, name: str) -> np.ndarray:
    werte = df[name] if name in df else pd.Series([""] * len(df), index=df.index)
    return np.array(["" if w is None or (not isinstance(w, str) and pd.isna(w)) else str(w) for w in werte],
                    dtype=object)


def _enden(geometrien: Any) -> tuple[np.ndarray, np.ndarray]:
    """Erster und letzter Punkt jeder Linie als (N, 2)-Arrays (vektorisiert)."""
    xy, idx = shapely.get_coordinates(geometrien, return_index=True)
    n = len(geometrien)
    erste = np.searchsorted(idx, np.arange(n), side="left")
    letzte = np.searchsorted(idx, np.arange(n), side="right") - 1
    return xy[erste], xy[letzte]


class Netze:
    """Kanten (Linien) und je Netzwerk Mitte, Hülle und Mitglieder für den Browser."""

    def __init__(self, kanten: gpd.GeoDataFrame, *, crs_metrisch: int) -> None:
        schluessel = _schluessel(kanten).to_numpy()
        codes, reihenfolge = pd.factorize(schluessel, sort=False)
        self.kennungen = [str(k) for k in reihenfolge]
        _, erste = np.unique(codes, return_index=True)  # erste Kante je Netzwerk (Codes in Reihenfolge)
        status = np.array([_status(w) for w in _spalte(kanten, "status")[erste]] + [None], dtype=object)[:-1]
        namen, von, nach = _spalte(kanten, "netzwerk"), _spalte(kanten, "von"), _spalte(kanten, "nach")
        self.kanten = Flaechen(kanten.geometry.values, {
            "i": codes.tolist(),
            "tt": [f"{n} ({st})\n{a} – {b}" for n, st, a, b in zip(namen, status[codes], von, nach, strict=True)],
        })
        sr = _spalte(kanten, "sozialraum")[erste]
        self.netze = {"n": namen[erste].tolist(), "s": status.tolist(),
                      "c": [NETZ_FARBEN[i % len(NETZ_FARBEN)] for i in range(len(reihenfolge))],
                      "sr": [w or None for w in sr],
                      **self._mitglieder(kanten, codes, len(reihenfolge), von, nach, crs_metrisch)}

    @staticmethod
    def _mitglieder(kanten: gpd.GeoDataFrame, codes: np.ndarray, anzahl: int, von: np.ndarray, nach: np.ndarray,
                    crs: int) -> dict[str, Any]:
        """Je Netzwerk: Mitgliedernamen und -lagen ([lat, lon]), Mitte und Hülle (metrisch gerechnet)."""
        a_grad, b_grad = _enden(kanten.geometry.values)
        a_m, b_m = _enden(kanten.geometry.to_crs(crs).values)
        namen = np.concatenate([von, nach])
        netz = np.concatenate([codes, codes])
        grad, metrisch = np.concatenate([a_grad, b_grad]), np.concatenate([a_m, b_m])
        mitglieder, lagen, mitte, huellen = [], [], [], []
        for i in range(anzahl):
            zeilen = np.flatnonzero(netz == i)
            _, zuerst = np.unique(namen[zeilen], return_index=True)
            zeilen = zeilen[np.sort(zuerst)]  # jedes Mitglied einmal, in der Reihenfolge der Kanten
            mitglieder.append(namen[zeilen].tolist())
            lagen.append(np.round(grad[zeilen][:, ::-1], 5).tolist())
            xy = metrisch[zeilen]
            mitte.append(shapely.points(xy.mean(axis=0)))
            huellen.append(shapely.convex_hull(shapely.multipoints(xy)).buffer(HUELLE_PUFFER_M, quad_segs=8))
        zurueck = gpd.GeoSeries([*mitte, *huellen], crs=crs).to_crs(4326).values
        hubs = [[round(p.y, 5), round(p.x, 5)] for p in zurueck[:anzahl]]
        return {"hub": hubs, "m": mitglieder, "mxy": lagen, "huelle": Flaechen(zurueck[anzahl:],
                                                                                 {"i": list(range(anzahl))})}

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
               auswahl: str | int | None = None, crs_metrisch: int) -> JsEbene:
    """Netzwerke: durchgezogen = besteht, gestrichelt = soll entwickelt werden; `auswahl` hervorgehoben."""
    daten = Netze(kanten, crs_metrisch=crs_metrisch)
    return JsEbene(titel=titel, fabrik="netze", daten=daten,
                   optionen={"breite": breite, "strich": GESTRICHELT, "auswahl": daten.nummer(auswahl), "rang": 8})
