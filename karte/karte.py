"""Die Ressourcenkarte: aus GeoDataFrames (EPSG:4326) und der Kommune-Konfiguration eine folium-Karte bauen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from daten.fehler import EingabeFehler
from karte.assets import OfflineKarte
from karte.basemap import hintergrund
from karte.choropleth import KEINE_DATEN, KLASSIFIKATIONEN, Choropleth, indikatorwerte, klassifiziere, zahl
from karte.ebenen import (
    Einrichtungen,
    EinrichtungsArt,
    Flaechen,
    JsEbene,
    einzugs_ebene,
    flaechen_ebene,
    netz_ebene,
    nur_punkte,
)
from karte.geometrie import vereinfache_flaechen, vereinige_nach
from karte.laufzeit import Ausschnitt, Datenpaket, Laufzeit, Steuerung
from karte.legende import Abschnitt, Eintrag, legende_html

VIELE_PUNKTE = 20_000  # ab hier kleinere Punkte, damit die Karte lesbar bleibt


def _arten(kommune: Any) -> dict[str, Any]:
    return {a.schluessel: a for a in kommune.einrichtungsarten}


def _merkmal(kommune: Any, schluessel: str) -> tuple[str, str]:
    for mk in getattr(kommune, "merkmale", []):
        if mk.schluessel == schluessel:
            return mk.bezeichnung, mk.einheit
    return schluessel, ""


def _neue_karte(kommune: Any, *, praesentation: bool, hoehe: int | str) -> folium.Map:
    # Viertel-Zoomstufen: der Ausschnitt füllt den (schmalen) Kartenrahmen statt eine ganze Stufe zu klein.
    return OfflineKarte(location=list(kommune.kartenmitte), zoom_start=int(kommune.kartenzoom), tiles=None,
                        prefer_canvas=True, zoom_control=False, height=hoehe, zoom_snap=0.25, zoom_delta=0.5,
                        font_size="1.15rem" if praesentation else "1rem")


def _sozialraum_flaechen(sozialraeume: gpd.GeoDataFrame, st_einfach: gpd.GeoDataFrame, crs: int) -> gpd.GeoDataFrame:
    """Sozialräume aus den vereinfachten Stadtteilen, damit ihre Grenzen exakt aufeinanderliegen (EPSG:4326)."""
    sr = sozialraeume[sozialraeume.geometry.notna() & ~sozialraeume.geometry.is_empty]
    if "sozialraum" in st_einfach and not st_einfach.empty and set(sr["name"]) <= set(st_einfach["sozialraum"]):
        teile = vereinige_nach(st_einfach, "sozialraum")
        out = sr.copy()
        out.geometry = gpd.GeoSeries([teile[n] for n in sr["name"]], index=sr.index, crs="EPSG:4326")
        return out
    return vereinfache_flaechen(sr, crs_metrisch=crs)


def _sozialraum_ebene(sr: gpd.GeoDataFrame, *, auswahl: str | None, praesentation: bool, crs: int) -> JsEbene:
    props = []
    for _, z in sr.iterrows():
        tt = f"Sozialraum {z['name']}"
        if "stufe" in sr and pd.notna(z.get("stufe")):
            tt += f" – Gremium Stufe {int(z['stufe'])}"
        if z.get("stadtteile"):
            tt += f" (Stadtteile: {z['stadtteile']})"
        props.append({"n": str(z["name"]), "tt": tt, "w": 5 if z["name"] == auswahl else None})
    stil = {"color": "#2c3e50", "weight": 3 if praesentation else 2.5, "opacity": 0.9, "fill": True,
            "fillOpacity": 0.0}
    return flaechen_ebene(sr, titel="Sozialräume", eigenschaften=props, stil=stil, pane="rkGrenzen", label=True,
                          crs_metrisch=crs)


def _stadtteil_ebene(st: gpd.GeoDataFrame, *, crs: int) -> JsEbene:
    props = {"n": st["name"].astype(str).tolist()}
    stil = {"color": "#6c7a89", "weight": 1, "opacity": 0.8, "dashArray": "3 3", "fill": True, "fillOpacity": 0.0}
    return flaechen_ebene(st, titel="Stadtteile", eigenschaften=props, stil=stil, pane="rkGrenzen", crs_metrisch=crs,
                          tooltip_vor="Stadtteil ")


def _choropleth(st: gpd.GeoDataFrame, indikatoren: pd.DataFrame | None, wahl: Choropleth, kommune: Any,
                crs: int) -> tuple[JsEbene, Abschnitt]:
    bez, einheit = _merkmal(kommune, wahl.merkmal)
    titel = f"{bez} {wahl.jahr}"
    if wahl.bezug:
        gruppe, _ = _merkmal(kommune, wahl.bezug)
        einheit = f"je 1.000 {gruppe}"
    leer = pd.DataFrame(columns=["stadtteil", "jahr", "merkmal", "wert"])
    werte = indikatorwerte(indikatoren if indikatoren is not None else leer, merkmal=wahl.merkmal,
                           jahr=wahl.jahr, bezug=wahl.bezug)
    je_teil = st["name"].map(werte).astype(float).tolist()
    kurz = einheit if len(einheit) <= 3 else ""  # kurze Einheit (%) an jede Klasse, lange einmal darüber
    kl = klassifiziere(je_teil, klassifikation=wahl.klassifikation, klassen=wahl.klassen, grenzen=wahl.grenzen,
                       einheit=kurz)
    stellen = 1 if any(not float(v).is_integer() for v in je_teil if v == v) else 0
    props = []
    for name, wert, klasse in zip(st["name"], je_teil, kl.zuordnung, strict=True):
        text = f"{zahl(wert, stellen)} {einheit}".strip() if klasse is not None else "keine Daten"
        props.append({"n": str(name), "c": kl.farben[klasse] if klasse is not None else KEINE_DATEN,
                      "tt": f"{name}: {text}"})
    stil = {"color": "#555555", "weight": 0.6, "opacity": 0.7, "fillOpacity": 0.7}
    ebene = flaechen_ebene(st, titel=f"Indikator: {titel}" + (f", {einheit}" if wahl.bezug else ""),
                           eigenschaften=props, stil=stil, pane="rkChoro", crs_metrisch=crs)
    eintraege = [Eintrag("kasten", f, t) for f, t in zip(kl.farben, kl.beschriftungen, strict=True)]
    if any(k is None for k in kl.zuordnung):
        eintraege.append(Eintrag("kasten", KEINE_DATEN, "keine Daten"))
    if not kl.obergrenzen:
        eintraege = [Eintrag("kasten", KEINE_DATEN, f"Keine Werte für {wahl.jahr} vorhanden.")]
    hinweis = " · ".join(t for t in (f"Einheit: {einheit}" if einheit else "",
                                      f"Klassen: {KLASSIFIKATIONEN[wahl.klassifikation]}") if t)
    return ebene, Abschnitt(titel, tuple(eintraege), hinweis=hinweis)


def _einrichtungs_ebenen(ein: gpd.GeoDataFrame, kommune: Any, *, praesentation: bool
                         ) -> tuple[list[JsEbene], Abschnitt]:
    arten = _arten(kommune)
    radius = 3 if len(ein) > VIELE_PUNKTE else (4 if len(ein) > 2_000 else (8 if praesentation else 6))
    vorhanden = [str(a) for a in pd.unique(ein["art"].astype(str))] if "art" in ein else []
    reihenfolge = [a for a in arten if a in vorhanden] + [a for a in vorhanden if a not in arten]
    tabelle = Einrichtungen(ein, arten_reihenfolge=reihenfolge, traegerarten=getattr(kommune, "traegerarten", None))
    ebenen, eintraege = [], []
    for schluessel in reihenfolge:
        art = arten.get(schluessel)
        bez, farbe = (art.bezeichnung, art.farbe) if art else (schluessel, "#7f8c8d")
        daten = EinrichtungsArt(tabelle, schluessel, bezeichnung=bez, farbe=farbe)
        ebenen.append(JsEbene(titel=f"Einrichtungen: {bez} ({len(daten)})", fabrik="einrichtungen", daten=daten,
                              optionen={"radius": radius}))
        eintraege.append(Eintrag("punkt", farbe, f"{bez} ({len(daten)})"))
    if "im_gremium" in ein and ein["im_gremium"].fillna(False).astype(bool).any():
        eintraege.append(Eintrag("gremium", "#222222", "dunkler Rand: im Sozialraumgremium"))
    return ebenen, Abschnitt("Einrichtungen", tuple(eintraege))


def _einzugs_ebenen(ein: gpd.GeoDataFrame, kommune: Any, arten_wahl: Iterable[str], *, crs: int = 25832
                    ) -> tuple[list[JsEbene], Abschnitt]:
    arten = _arten(kommune)
    ebenen, eintraege = [], []
    for schluessel in dict.fromkeys(arten_wahl):
        if schluessel not in arten:
            raise EingabeFehler(f"Einzugsbereich: Einrichtungsart '{schluessel}' ist unbekannt. "
                                f"Vorhanden: {', '.join(arten)}.")
        art = arten[schluessel]
        teil = ein[ein["art"].astype(str) == schluessel] if "art" in ein else ein.iloc[0:0]
        if teil.empty:
            continue
        text = f"{art.bezeichnung}: {zahl(float(art.radius_m), 0)} m"
        ebenen.append(einzugs_ebene(teil, titel=f"Einzugsbereich {text}", radius_m=float(art.radius_m),
                                    farbe=art.farbe, crs_metrisch=crs))
        eintraege.append(Eintrag("kreis", art.farbe, text))
    return ebenen, Abschnitt("Einzugsbereiche (Luftlinie)", tuple(eintraege))


def _netz_abschnitt(kanten: gpd.GeoDataFrame) -> Abschnitt:
    status = set(kanten["status"].astype(str)) if "status" in kanten else set()
    eintraege = []
    if status - {"soll entwickelt werden"}:
        eintraege.append(Eintrag("linie", "#444444", "Netzwerk besteht"))
    if "soll entwickelt werden" in status:
        eintraege.append(Eintrag("gestrichelt", "#444444", "Netzwerk soll entwickelt werden"))
    return Abschnitt("Netzwerke", tuple(eintraege))


def _punkte_und_linien(m: folium.Map, ein: gpd.GeoDataFrame, netzwerk_kanten: gpd.GeoDataFrame, kommune: Any,
                       einzugsbereiche: Iterable[str], *, praesentation: bool, crs: int) -> list[Abschnitt]:
    """Einzugsbereiche, Netzwerke und Einrichtungen hinzufügen; gibt ihre Legendenabschnitte zurück."""
    einzug, einzug_abschnitt = _einzugs_ebenen(ein, kommune, einzugsbereiche, crs=crs)
    geo = netzwerk_kanten.geometry
    kanten = netzwerk_kanten[geo.notna() & ~geo.is_empty]
    for ebene in einzug:
        m.add_child(ebene)
    if not kanten.empty:
        m.add_child(netz_ebene(kanten, breite=4 if praesentation else 3))
    punkte, punkt_abschnitt = _einrichtungs_ebenen(ein, kommune, praesentation=praesentation)
    for ebene in punkte:
        m.add_child(ebene)
    return [punkt_abschnitt, _netz_abschnitt(kanten), einzug_abschnitt]


def _minimap(sr: gpd.GeoDataFrame, crs: int) -> Flaechen | None:
    """Stark vereinfachte Sozialraum-Umrisse (60 m) für die Übersichtskarte, EPSG:4326."""
    if sr.empty:
        return None
    grob = vereinfache_flaechen(sr, toleranz_m=60, crs_metrisch=crs)
    return Flaechen(grob.geometry.values, {})


def _grenzen(sozialraeume: gpd.GeoDataFrame, ein: gpd.GeoDataFrame, auswahl: str | None) -> list[list[float]] | None:
    """Kartenausschnitt [[süd, west], [nord, ost]] (EPSG:4326): gewählter Sozialraum, sonst alle Flächen."""
    if auswahl is not None:
        wahl = sozialraeume[sozialraeume["name"] == auswahl]
        if wahl.empty or wahl.geometry.isna().all():
            namen = ", ".join(map(str, sozialraeume["name"]))
            raise EingabeFehler(f"Sozialraum '{auswahl}' gibt es nicht (oder ohne Fläche). Vorhanden: {namen}.")
        quelle = wahl
    else:
        quelle = sozialraeume if sozialraeume.geometry.notna().any() else ein
    if quelle.empty or quelle.geometry.isna().all():
        return None
    w, s, o, n = quelle.geometry.dropna().total_bounds
    return [[float(s), float(w)], [float(n), float(o)]]


def baue_karte(
    *,
    sozialraeume: gpd.GeoDataFrame,
    stadtteile: gpd.GeoDataFrame,
    einrichtungen: gpd.GeoDataFrame,
    netzwerk_kanten: gpd.GeoDataFrame,
    kommune: Any,
    indikatoren: pd.DataFrame | None = None,
    choropleth: Choropleth | Mapping[str, Any] | None = None,
    einzugsbereiche: Iterable[str] = (),
    basemap: str = "osm",
    auswahl_sozialraum: str | None = None,
    praesentation: bool = False,
    hoehe: int | str = "100%",
) -> folium.Map:
    """Baut die offline lauffähige Ressourcenkarte. Alle GeoDataFrames in EPSG:4326.

    Ebenen (schaltbar): Indikator-Choroplethe, Stadtteile, Sozialräume mit Beschriftung, Einzugsbereiche
    (Radius in Metern aus der Konfiguration), Netzwerke, Einrichtungen je Art. Dazu Legende, Vollbild,
    Maßstab, Übersichtskarte und Suche. `auswahl_sozialraum` zoomt auf diesen Sozialraum.
    """
    crs = int(getattr(kommune, "crs_metrisch", 25832))
    kacheln = hintergrund(basemap)
    wahl = Choropleth.aus(choropleth) if choropleth is not None else None
    m = _neue_karte(kommune, praesentation=praesentation, hoehe=hoehe)
    if kacheln is not None:
        m.add_child(kacheln)
    m.add_child(Laufzeit(praesentation=praesentation, ohne_kacheln=kacheln is None))
    m.add_child(Datenpaket())
    st = vereinfache_flaechen(stadtteile, crs_metrisch=crs)
    sr = _sozialraum_flaechen(sozialraeume, st, crs)
    ein = nur_punkte(einrichtungen)
    abschnitte: list[Abschnitt] = []
    if wahl is not None:
        ebene, abschnitt = _choropleth(st, indikatoren, wahl, kommune, crs)
        m.add_child(ebene)
        abschnitte.append(abschnitt)
    m.add_child(_stadtteil_ebene(st, crs=crs))
    m.add_child(_sozialraum_ebene(sr, auswahl=auswahl_sozialraum, praesentation=praesentation, crs=crs))
    abschnitte += _punkte_und_linien(m, ein, netzwerk_kanten, kommune, einzugsbereiche, praesentation=praesentation,
                                     crs=crs)
    titel = "Ressourcenkarte" + (f": Sozialraum {auswahl_sozialraum}" if auswahl_sozialraum else "")
    m.add_child(Steuerung(legende_html=legende_html(abschnitte), minimap=_minimap(sr, crs), suche=not ein.empty,
                          praesentation=praesentation, titel=titel))
    folium.LayerControl(position="topright", collapsed=True).add_to(m)
    grenzen = _grenzen(sozialraeume, ein, auswahl_sozialraum)
    if grenzen is not None:
        ausschnitt = Ausschnitt(grenzen, padding=(12, 12))
        ausschnitt.options["animate"] = False  # sofort im Endzustand: Bild-Export und Tests messen ohne Animation
        m.add_child(ausschnitt)
    return m
