"""Kleine synthetische Kartendaten (EPSG:4326) und die Kommune-Konfiguration für die Kartentests."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely
import shapely.ops
from shapely.geometry import LineString, Point, box

WURZEL = Path(__file__).resolve().parents[2]
XSS = "<img src=x onerror=alert(1)>"
ARTEN = ["kita", "asd", "grundschule"]


def _namespace(obj: Any) -> Any:
    if isinstance(obj, dict):
        return SimpleNamespace(**{k: _namespace(v) if k != "stufe" else v for k, v in obj.items()})
    if isinstance(obj, list):
        return [_namespace(v) for v in obj]
    return obj


def lade_test_kommune() -> Any:
    """Kommune aus daten.config; fehlt das Modul noch, ein SimpleNamespace aus der YAML-Datei."""
    try:
        from daten.config import lade_kommune
    except ImportError:
        import yaml

        roh = yaml.safe_load((WURZEL / "daten" / "kommunen" / "mainz.yaml").read_text(encoding="utf-8"))
        return _namespace(roh)
    return lade_kommune()


def _zickzack(x0: float, y0: float, laenge: float, *, senkrecht: bool, n: int = 1000) -> list[tuple[float, float]]:
    """Eine Grenze mit vielen kleinen Zacken (±0,5 m alle 4 m), die die Vereinfachung entfernt (EPSG:25832)."""
    pkt = []
    for i in range(n + 1):
        d = laenge * i / n
        z = 0.5 if i % 2 else -0.5
        pkt.append((x0 + z, y0 + d) if senkrecht else (x0 + d, y0 + z))
    return pkt


def stadtteil_flaechen() -> gpd.GeoDataFrame:
    """Vier Stadtteile (2 × 2 km) mit gezackter gemeinsamer Grenze; in EPSG:25832 gebaut, geliefert in 4326."""
    x0, y0, s = 446_000.0, 5_537_000.0, 2_000.0
    mitte = LineString(_zickzack(x0 + s, y0, 2 * s, senkrecht=True))
    rahmen = box(x0, y0, x0 + 2 * s, y0 + 2 * s)
    links, rechts = shapely.ops.split(rahmen, mitte).geoms
    if links.centroid.x > rechts.centroid.x:
        links, rechts = rechts, links
    unten = box(x0 - 10, y0 - 10, x0 + 2 * s + 10, y0 + s)
    teile = [links.intersection(unten), links.difference(unten), rechts.intersection(unten), rechts.difference(unten)]
    gdf = gpd.GeoDataFrame({
        "id": [1, 2, 3, 4],
        "name": ["Westunten", "Westoben", "Ostunten", "Ostoben"],
        "sozialraum": ["West", "West", "Ost", "Ost"],
    }, geometry=teile, crs="EPSG:25832")
    return gdf.to_crs(epsg=4326)


def karten_daten(*, anzahl: int = 12, xss: bool = False) -> dict[str, Any]:
    """Alle Eingaben von `baue_karte` außer `kommune` (Vertrag der Repository-Schicht, EPSG:4326)."""
    st = stadtteil_flaechen()
    sr = st.dissolve("sozialraum", sort=False).reset_index()[["sozialraum", "geometry"]]
    sr = sr.rename(columns={"sozialraum": "name"})
    sr.insert(0, "id", range(1, len(sr) + 1))
    sr.insert(2, "stufe", [1, 3])
    metrisch = st.to_crs(epsg=25832)
    zeilen = []
    for i in range(anzahl):
        teil = metrisch.iloc[i % 4]
        p = teil.geometry.centroid
        punkt = Point(p.x + (i // 4) * 60 - 120, p.y + (i % 3) * 50 - 50)
        zeilen.append({
            "id": i + 1, "name": f"Einrichtung {i + 1}", "art": ARTEN[i % 3],
            "traeger_art": "staedtisch" if i % 2 else "frei", "traeger": f"Träger {i % 4}",
            "adresse": f"Hauptstraße {i + 1}", "zielgruppen": "Kinder, Familien", "angebote": "Beratung; Treffpunkt",
            "kapazitaet": float(20 + i) if ARTEN[i % 3] == "kita" else float("nan"),
            "gueltig_von": date(2020, 1, 1) if i % 5 == 0 else None, "gueltig_bis": None,
            "stadtteil": teil["name"], "sozialraum": teil["sozialraum"], "netzwerke": "Netz A" if i < 3 else "",
            "im_gremium": i % 2 == 1, "geometry": punkt,
        })
    if xss:
        zeilen[0].update(name=XSS, traeger=XSS, adresse=XSS, angebote=f"{XSS}; Spielgruppe", zielgruppen=XSS,
                         netzwerke=XSS)
    ein = gpd.GeoDataFrame(zeilen, geometry="geometry", crs="EPSG:25832").to_crs(epsg=4326)
    kanten = _kanten(ein)
    ind = pd.DataFrame([
        {"stadtteil": n, "jahr": 2024, "merkmal": m, "wert": w}
        for j, n in enumerate(st["name"])
        for m, w in (("einwohner", 10_000 + 2_000 * j), ("einwohner_u6", 500 + 100 * j),
                     ("sgb2_quote_u15", 5.0 + 7.5 * j))
    ])
    return {"sozialraeume": sr, "stadtteile": st, "einrichtungen": ein, "netzwerk_kanten": kanten, "indikatoren": ind}


def _kanten(ein: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    a, b, c = ein.iloc[0], ein.iloc[1], ein.iloc[2]
    zeilen = [
        {"netzwerk_id": 1, "netzwerk": "Netz A", "status": "besteht", "sozialraum": a["sozialraum"],
         "von": a["name"], "nach": b["name"], "geometry": LineString([a.geometry, b.geometry])},
        {"netzwerk_id": 2, "netzwerk": "Netz B", "status": "soll entwickelt werden", "sozialraum": a["sozialraum"],
         "von": a["name"], "nach": c["name"], "geometry": LineString([a.geometry, c.geometry])},
    ]
    return gpd.GeoDataFrame(zeilen, geometry="geometry", crs="EPSG:4326")


CHORO = {"merkmal": "sgb2_quote_u15", "jahr": 2024, "klassen": 3}


@pytest.fixture(scope="module")
def artefakte(tmp_path_factory) -> Path:
    """Ordner für Karten und Bilder der Browser-Tests (RK_ARTEFAKTE, sonst temporär)."""
    import os

    ziel = Path(os.environ["RK_ARTEFAKTE"]) if os.environ.get("RK_ARTEFAKTE") else tmp_path_factory.mktemp("karte")
    ziel.mkdir(parents=True, exist_ok=True)
    return ziel


@pytest.fixture(scope="module")
def xss_html(artefakte, kommune) -> Path:
    """Eigenständige Karte mit HTML-Nutzlast in Namen, Träger, Art, Sozialraum, Netzwerk und Titel."""
    from karte import baue_karte, speichere_html
    from tests.karte.browser import braucht_chromium

    braucht_chromium()
    daten = karten_daten(xss=True)
    daten["sozialraeume"].loc[1, "name"] = XSS  # auch eine feste Beschriftung und ein Tooltip
    daten["stadtteile"]["sozialraum"] = daten["stadtteile"]["sozialraum"].replace("Ost", XSS)
    daten["einrichtungen"].loc[daten["einrichtungen"].index[3], "art"] = XSS  # Art → Ebene, Legende
    daten["netzwerk_kanten"].loc[0, "netzwerk"] = XSS
    m = baue_karte(**daten, kommune=kommune, einzugsbereiche=("kita",), basemap="osm", choropleth=CHORO,
                   titel=XSS)
    return speichere_html(m, artefakte / "karte_xss.html")


@pytest.fixture(scope="session")
def kommune() -> Any:
    return lade_test_kommune()


@pytest.fixture
def daten() -> dict[str, Any]:
    return karten_daten()


@pytest.fixture
def xss_daten() -> dict[str, Any]:
    return karten_daten(xss=True)


def entpackt(m: Any) -> dict[str, Any]:
    """Rendert die Karte und entpackt ihr Datenpaket wie der Browser (RK.entpacke/RK.fc/RK.einrichtungen).

    Ergebnis je Ebenentitel: Flächen als GeoJSON-FeatureCollection, Einrichtungen als Spalten-Dict
    (`x`, `y`, `n`, `t`, …, `gr`) wie `d` im Browser, Netzwerke als Dict mit `kanten`/`huelle`
    (FeatureCollections) und den Spalten je Netzwerk (`n`, `s`, `c`, `sr`, `hub`, `m`, `mxy`); dazu `"minimap"`.
    """
    import re

    from karte import html_text
    from karte.ebenen import JsEbene

    html = html_text(m)
    treffer = re.findall(r'RK\.paket\(\w+, "(-?[A-Za-z0-9+/= ]*)"\)', html)
    assert len(treffer) == 1, "genau ein Datenpaket erwartet"
    return paket_inhalt(treffer[0], [c for c in m._children.values() if isinstance(c, JsEbene)])


def paket_inhalt(block: str, ebenen: list[Any]) -> dict[str, Any]:
    import shapely.geometry

    from karte.paket import entpacke, geometrien_aus, koordinaten_aus

    paket = entpacke(block)

    def fc(teil: dict[str, Any]) -> dict[str, Any]:
        geos = list(geometrien_aus(teil["g"])) if teil["g"] else []
        features = []
        for i, g in enumerate(geos):
            props = {k: (v[i].item() if hasattr(v[i], "item") else v[i]) for k, v in teil["p"].items()}
            if teil["lp"] is not None:
                props["lp"] = teil["lp"][i]
            features.append({"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(g)})
        return {"type": "FeatureCollection", "features": features}

    out: dict[str, Any] = {}
    for e in ebenen:
        teil = paket[e.schluessel]
        if e.fabrik == "flaechen":
            out[e.titel] = fc(teil)
        elif e.fabrik == "netze":
            out[e.titel] = {**teil, "kanten": fc(teil["kanten"]), "huelle": fc(teil["huelle"])}
        else:
            tab = paket["tabellen"][teil["tab"]]
            a, b = teil["a"], teil["b"]
            xy = koordinaten_aus(tab["spalten"]["xy"])
            d = {k: teil[k] for k in ("bez", "farbe", "innen", "aussen", "form", "loch", "felder")}
            d.update(x=xy[a:b, 0].tolist(), y=xy[a:b, 1].tolist())
            for k, v in tab["spalten"].items():
                if k != "xy":
                    d[k] = [w.item() if hasattr(w, "item") else w for w in v[a:b]]
            d["gr"] = [("ja" if g else "nein") if tab["mitGremium"] else "" for g in d["g"]]
            out[e.titel] = d
    if "minimap" in paket:
        out["minimap"] = fc(paket["minimap"])
    return out
