"""Kartenebenen als folium-Layer, die ihre Daten kompakt als JSON tragen und im Browser mit Canvas zeichnen.

Alle Geometrien in EPSG:4326. Texte werden im Browser mit `RK.esc` maskiert (siehe karte/laufzeit.py);
das JSON selbst ist für `<script>` maskiert (`js_json`). Ebenennamen maskiert `html.escape`, weil die
Leaflet-Ebenensteuerung sie als HTML einsetzt.
"""

from __future__ import annotations

from html import escape
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.map import Layer
from folium.template import Template

from karte.geometrie import beschriftungspunkte, feature_collection
from karte.laufzeit import js_json
from karte.legende import sichere_farbe
from karte.paket import Paket
from karte.roh import RohRendern

FABRIKEN = ("flaechen", "einrichtungen", "netze", "einzug")
NETZ_FARBEN = ["#1b4f72", "#7d3c98", "#117a65", "#b9770e", "#943126", "#2e4053", "#b03a2e", "#1e8449"]
GESTRICHELT = "8 6"
STATUS_GEPLANT = "soll entwickelt werden"
TRAEGERARTEN = {"staedtisch": "städtisch", "frei": "frei"}
FELDER = [  # Schlüssel, Beschriftung im Popup, Trennzeichen für Listen (oder None)
    ("t", "Träger", None), ("ad", "Adresse", None), ("st", "Stadtteil", None), ("sr", "Sozialraum", None),
    ("an", "Angebote", "; "), ("z", "Zielgruppen", ", "), ("k", "Plätze", None), ("nw", "Netzwerke", ", "),
    ("gr", "Im Sozialraumgremium", None), ("gv", "Gültig", None),
]  # `gr` rechnet der Browser aus `g` (0/1)


class JsEbene(RohRendern, Layer):
    """Eine Ebene der Ebenensteuerung; `fabrik` ist eine der RK-Funktionen, `daten` ihr Teil des Datenpakets.

    `daten` ist ein Objekt mit `kodiere(paket, geteilt)` (siehe `Flaechen`, `Einrichtungen`); das
    `Datenpaket` der Karte (karte/laufzeit.py) vergibt beim Rendern `schluessel` und packt alle Daten in
    einen komprimierten Block. Die Ebene selbst entsteht im Browser sofort und füllt sich, sobald das
    Paket entpackt ist.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = RK.{{ this.fabrik }}({{ this._parent.get_name() }}, {{ this.schluessel_js() }},
            {{ this.optionen_js() }});
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
        """
    )

    def __init__(self, *, titel: str, fabrik: str, daten: Any, optionen: dict[str, Any],
                 anzeigen: bool = True) -> None:
        if fabrik not in FABRIKEN:
            raise ValueError(f"unbekannte Ebenenart {fabrik!r}")
        super().__init__(name=escape(titel), overlay=True, control=True, show=anzeigen)
        self._name = "RkEbene"
        self.titel = titel
        self.fabrik = fabrik
        self.daten = daten
        self.optionen = optionen
        self.schluessel: str | None = None

    # render() aus RohRendern: ohne folium's zusätzliches Kind-Element „…_add“ (streamlit-folium benennt
    # Elemente bei jedem Aufruf um; ein zwischengespeichertes Kind mit altem Namen bräche das Skript) und
    # ohne zweiten Jinja-Durchlauf über die Daten.

    def schluessel_js(self) -> str:
        if self.schluessel is None:
            raise RuntimeError("JsEbene ohne Datenpaket: zuerst karte.laufzeit.Datenpaket zur Karte hinzufügen")
        return js_json(self.schluessel)

    def optionen_js(self) -> str:
        return js_json(self.optionen)


class Flaechen:
    """Geometrien (EPSG:4326) mit spaltenweisen Eigenschaften (Texte, Zahlen oder None je Geometrie)."""

    def __init__(self, geometrien: Any, eigenschaften: dict[str, list[Any]],
                 beschriftung: list[list[float] | None] | None = None) -> None:
        geo = np.asarray(geometrien, dtype=object)
        gueltig = ~(pd.isna(geo) | shapely.is_empty(np.where(pd.isna(geo), None, geo)))
        self.geometrien = geo[gueltig]
        self.eigenschaften = {k: [w for w, g in zip(v, gueltig, strict=True) if g] for k, v in eigenschaften.items()}
        self.beschriftung = (None if beschriftung is None
                             else [p for p, g in zip(beschriftung, gueltig, strict=True) if g])

    def __len__(self) -> int:
        return len(self.geometrien)

    def kodiere(self, paket: Paket, geteilt: dict[int, Any]) -> dict[str, Any]:
        g = geteilt.get(id(self.geometrien))  # gleiche Geometrien (Stadtteile, Choroplethe) nur einmal
        if g is None:
            g = geteilt[id(self.geometrien)] = paket.geometrien(self.geometrien) if len(self) else None
        p = {k: paket.texte(v, leer=None) if all(isinstance(w, str) or w is None for w in v) else v
             for k, v in self.eigenschaften.items()}
        return {"g": g, "p": p, "lp": self.beschriftung}

    def geojson(self) -> dict[str, Any]:
        """Als GeoJSON-FeatureCollection (Koordinaten gerundet), für Tests und Fehlersuche."""
        props = [{k: v[i] for k, v in self.eigenschaften.items()} for i in range(len(self))]
        if self.beschriftung is not None:
            for p, lp in zip(props, self.beschriftung, strict=True):
                p["lp"] = lp
        return feature_collection(list(self.geometrien), props)


def _datum(werte: pd.Series) -> tuple[np.ndarray, list[str | None]]:
    """Datumsspalte → (Codes, Text je Code als TT.MM.JJJJ oder None)."""
    codes, eindeutig = pd.factorize(werte, use_na_sentinel=True)
    texte: list[str | None] = [v.strftime("%d.%m.%Y") if hasattr(v, "strftime") else str(v) for v in eindeutig]
    return codes, texte


def _gueltig_text(v: str | None, b: str | None) -> str:
    if v and b:
        return f"{v} bis {b}"
    return f"seit {v}" if v else (f"bis {b}" if b else "")


def _paare(a: np.ndarray, b: np.ndarray, na: int, nb: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes zweier Spalten (−1 = fehlt) → (Code je Zeile, Index des ersten Vorkommens je Paar)."""
    zusammen = (a.astype(np.int64) + 1) * (nb + 1) + (b.astype(np.int64) + 1)
    eindeutig, erste, codes = np.unique(zusammen, return_index=True, return_inverse=True)
    return codes.reshape(-1), erste


def _spalte(df: pd.DataFrame, spalte: str) -> pd.Series:
    return df[spalte] if spalte in df else pd.Series([None] * len(df), index=df.index, dtype=object)


class Einrichtungen:
    """Alle Einrichtungen einer Karte, nach Art sortiert, spaltenweise und wörterbuchkodiert (EPSG:4326).

    Jede Art-Ebene (`EinrichtungsArt`) ist ein zusammenhängender Bereich `[a, b)` dieser Tabelle.
    """

    def __init__(self, df: gpd.GeoDataFrame, *, arten_reihenfolge: list[str],
                 traegerarten: dict[str, str] | None = None) -> None:
        art = df["art"].astype(str).to_numpy(dtype=object) if "art" in df else np.array([""] * len(df), dtype=object)
        codes, eindeutig = pd.factorize(art)
        rang_je_code = np.array([arten_reihenfolge.index(a) if a in arten_reihenfolge else len(arten_reihenfolge)
                                 for a in eindeutig], dtype=np.int64)
        reihenfolge = np.argsort(rang_je_code[codes], kind="stable") if len(df) else np.arange(0)
        self.df = df.iloc[reihenfolge]
        self.art = art[reihenfolge]
        self.traegerarten = traegerarten or TRAEGERARTEN
        self.mit_gremium = "im_gremium" in df

    def bereich(self, schluessel: str) -> tuple[int, int]:
        treffer = np.flatnonzero(self.art == schluessel)
        return (int(treffer[0]), int(treffer[-1]) + 1) if treffer.size else (0, 0)

    def __len__(self) -> int:
        return len(self.df)

    def kodiere(self, paket: Paket, geteilt: dict[int, Any]) -> dict[str, Any]:
        df = self.df
        xy = np.column_stack([df.geometry.x.to_numpy(), df.geometry.y.to_numpy()]) if len(df) else np.zeros((0, 2))
        spalten: dict[str, Any] = {"xy": paket.koordinaten(xy)}
        for k, name in (("n", "name"), ("ad", "adresse"), ("st", "stadtteil"), ("sr", "sozialraum"),
                        ("an", "angebote"), ("z", "zielgruppen"), ("nw", "netzwerke")):
            spalten[k] = paket.texte(_spalte(df, name).to_numpy(dtype=object))
        # Träger mit Trägerart: nur jedes vorkommende Paar einmal formatieren
        tc, tu = pd.factorize(_spalte(df, "traeger"), use_na_sentinel=True)
        ac, au = pd.factorize(_spalte(df, "traeger_art"), use_na_sentinel=True)
        codes, erste = _paare(tc, ac, len(tu), len(au))
        woerter = []
        for i in erste:
            t = str(tu[tc[i]]) if tc[i] >= 0 else ""
            a = str(au[ac[i]]) if ac[i] >= 0 else ""
            a = self.traegerarten.get(a, a)
            woerter.append(f"{t} ({a})" if t and a else (t or a))
        spalten["t"] = paket.texte_kodiert(codes, woerter)
        vc, vt = _datum(_spalte(df, "gueltig_von"))
        bc, bt = _datum(_spalte(df, "gueltig_bis"))
        codes, erste = _paare(vc, bc, len(vt), len(bt))
        spalten["gv"] = paket.texte_kodiert(codes, [_gueltig_text(vt[vc[i]] if vc[i] >= 0 else None,
                                                                  bt[bc[i]] if bc[i] >= 0 else None) for i in erste])
        kc, ku = pd.factorize(pd.to_numeric(_spalte(df, "kapazitaet"), errors="coerce"), use_na_sentinel=True)
        woerter = [f"{float(v):,.0f}".replace(",", ".") for v in ku] + [None]
        spalten["k"] = paket.texte_kodiert(np.where(kc < 0, len(ku), kc), woerter)
        gremium = df["im_gremium"].fillna(False).astype(bool).to_numpy() if self.mit_gremium else np.zeros(len(df))
        spalten["g"] = paket.zahlen(gremium.astype(np.uint8))
        return {"spalten": spalten, "mitGremium": self.mit_gremium}


class EinrichtungsArt:
    """Eine Art-Ebene: Bereich der gemeinsamen `Einrichtungen`-Tabelle, Bezeichnung und Farbe."""

    def __init__(self, tabelle: Einrichtungen, schluessel: str, *, bezeichnung: str, farbe: str) -> None:
        self.tabelle = tabelle
        self.a, self.b = tabelle.bereich(schluessel)
        self.bez = bezeichnung
        self.farbe = sichere_farbe(farbe)

    def __len__(self) -> int:
        return self.b - self.a

    def kodiere(self, paket: Paket, geteilt: dict[int, Any]) -> dict[str, Any]:
        schluessel = f"t{id(self.tabelle)}"
        if id(self.tabelle) not in geteilt:
            geteilt[id(self.tabelle)] = schluessel
            geteilt.setdefault("tabellen", {})[schluessel] = self.tabelle.kodiere(paket, geteilt)
        return {"bez": self.bez, "farbe": self.farbe, "felder": [list(f) for f in FELDER], "tab": schluessel,
                "a": self.a, "b": self.b}


def flaechen_ebene(gdf: gpd.GeoDataFrame, *, titel: str, eigenschaften: list[dict[str, Any]] | dict[str, list[Any]],
                   stil: dict[str, Any], pane: str, label: bool = False, tooltip: bool = True, anzeigen: bool = True,
                   crs_metrisch: int = 25832, tooltip_vor: str | None = None) -> JsEbene:
    """Flächen (EPSG:4326) mit Stil; `label` = feste Beschriftung mit `n` an einem Innenpunkt.

    `eigenschaften`: je Fläche ein Dict oder spaltenweise (Name → Liste); `tooltip_vor`: Tooltip ist
    dieser Text vor dem Namen `n` (statt einer eigenen Spalte `tt`).
    """
    if isinstance(eigenschaften, list):
        schluessel = list(dict.fromkeys(k for p in eigenschaften for k in p))
        eigenschaften = {k: [p.get(k) for p in eigenschaften] for k in schluessel}
    punkte = beschriftungspunkte(gdf.geometry, crs_metrisch=crs_metrisch) if label else None
    daten = Flaechen(gdf.geometry.values, eigenschaften, punkte)
    optionen = {"pane": pane, "stil": stil, "label": label, "tooltip": tooltip}
    if tooltip_vor is not None:
        optionen["ttVor"] = tooltip_vor
    return JsEbene(titel=titel, fabrik="flaechen", daten=daten, anzeigen=anzeigen, optionen=optionen)


def nur_punkte(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Zeilen mit gültiger Punktgeometrie."""
    geo = gdf.geometry
    return gdf[geo.notna() & ~geo.is_empty & (geo.geom_type == "Point")]


def netz_ebene(kanten: gpd.GeoDataFrame, *, titel: str = "Netzwerke", breite: float = 3.0) -> JsEbene:
    """Verbindungen zwischen Mitgliedern: durchgezogen = besteht, gestrichelt = soll entwickelt werden."""
    ids = sorted({int(v) for v in kanten["netzwerk_id"].dropna()}) if "netzwerk_id" in kanten else []
    farbe = {nid: NETZ_FARBEN[i % len(NETZ_FARBEN)] for i, nid in enumerate(ids)}
    props = []
    for _, z in kanten.iterrows():
        geplant = str(z.get("status", "")) == STATUS_GEPLANT
        status = "soll entwickelt werden" if geplant else "besteht"
        nid = z.get("netzwerk_id")
        props.append({
            "c": farbe.get(int(nid), NETZ_FARBEN[0]) if nid is not None and not pd.isna(nid) else NETZ_FARBEN[0],
            "d": GESTRICHELT if geplant else None,
            "s": status,
            "tt": f"{z.get('netzwerk', '')} ({status}): {z.get('von', '')} – {z.get('nach', '')}",
        })
    spalten = {k: [p[k] for p in props] for k in ("c", "d", "s", "tt")}
    return JsEbene(titel=titel, fabrik="netze", daten=Flaechen(kanten.geometry.values, spalten),
                   optionen={"breite": breite})


def einzugs_ebene(punkte: gpd.GeoDataFrame, *, titel: str, radius_m: float, farbe: str,
                  crs_metrisch: int = 25832) -> JsEbene:
    """Einzugsbereiche: Puffer mit `radius_m` Metern, metrisch in `crs_metrisch` (EPSG:25832) gerechnet,
    je Art zu einer Fläche vereinigt und nach EPSG:4326 zurückprojiziert."""
    puffer = punkte.geometry.to_crs(crs_metrisch).buffer(radius_m, quad_segs=16)
    flaeche = gpd.GeoSeries([puffer.union_all()], crs=crs_metrisch)
    km2 = float(flaeche.area.iloc[0]) / 1e6
    tt = f"{titel} – abgedeckt: {km2:.1f} km²".replace(".", ",")
    stil = {"color": sichere_farbe(farbe), "weight": 1, "opacity": 0.6, "fillColor": sichere_farbe(farbe),
            "fillOpacity": 0.08}
    ebene = flaechen_ebene(flaeche.to_crs(4326), titel=titel, eigenschaften=[{"tt": tt}], stil=stil,
                           pane="rkEinzug", crs_metrisch=crs_metrisch)
    ebene.optionen["radius_m"] = float(radius_m)
    return ebene
