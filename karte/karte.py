"""Die Ressourcenkarte: aus GeoDataFrames (EPSG:4326) und der Kommune-Konfiguration eine folium-Karte bauen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from daten.fehler import EingabeFehler
from karte.assets import OfflineKarte
from karte.basemap import hintergrund
from karte.choropleth import Choropleth, zahl
from karte.ebenen import FEHLEND_FARBE, Datenpaket, JsEbene, einzugs_ebene, fehlende_ressourcen_ebene, nur_punkte
from karte.einrichtungen import Einrichtungen, EinrichtungsArt
from karte.flaechen import choropleth_ebene, sozialraum_ebene, sozialraum_zeile, stadtteil_ebene, stadtteil_zeilen
from karte.geometrie import vereinfache_flaechen, vereinige_nach
from karte.laufzeit import Ausschnitt, Laufzeit, Steuerung
from karte.legende import Abschnitt, Eintrag, legende_html
from karte.netze import NETZ_FARBEN, netz_ebene
from karte.symbole import symbol_fuer

VIELE_PUNKTE = 20_000  # ab hier kleinere Punkte, damit die Karte lesbar bleibt


def _arten(kommune: Any) -> dict[str, Any]:
    return {a.schluessel: a for a in kommune.einrichtungsarten}


def _neue_karte(kommune: Any, *, praesentation: bool, hoehe: int | str, titel: str) -> folium.Map:
    # Viertel-Zoomstufen: der Ausschnitt füllt den (schmalen) Kartenrahmen statt eine ganze Stufe zu klein.
    return OfflineKarte(location=list(kommune.kartenmitte), zoom_start=int(kommune.kartenzoom), tiles=None,
                        prefer_canvas=True, zoom_control=False, height=hoehe, zoom_snap=0.25, zoom_delta=0.5,
                        font_size="1.15rem" if praesentation else "1rem", titel=titel)


def _sozialraum_flaechen(sozialraeume: gpd.GeoDataFrame, st_einfach: gpd.GeoDataFrame, crs: int) -> gpd.GeoDataFrame:
    """Sozialräume aus den vereinfachten Stadtteilen, damit ihre Grenzen exakt aufeinanderliegen (EPSG:4326)."""
    sr = sozialraeume[sozialraeume.geometry.notna() & ~sozialraeume.geometry.is_empty]
    if "sozialraum" in st_einfach and not st_einfach.empty and set(sr["name"]) <= set(st_einfach["sozialraum"]):
        teile = vereinige_nach(st_einfach, "sozialraum")
        out = sr.copy()
        out.geometry = gpd.GeoSeries([teile[n] for n in sr["name"]], index=sr.index, crs="EPSG:4326")
        return out
    return vereinfache_flaechen(sr, crs_metrisch=crs)


def _einrichtungs_ebenen(ein: gpd.GeoDataFrame, kommune: Any, *, praesentation: bool
                         ) -> tuple[list[JsEbene], Abschnitt]:
    arten = _arten(kommune)
    radius = 3 if len(ein) > VIELE_PUNKTE else (4 if len(ein) > 2_000 else (8 if praesentation else 6))
    vorhanden = [str(a) for a in pd.unique(ein["art"].astype(str))] if "art" in ein else []
    reihenfolge = [a for a in arten if a in vorhanden] + [a for a in vorhanden if a not in arten]
    nummern = {a: i for i, a in enumerate([*arten, *(a for a in vorhanden if a not in arten)])}
    tabelle = Einrichtungen(ein, arten_reihenfolge=reihenfolge, traegerarten=getattr(kommune, "traegerarten", None))
    ebenen, eintraege = [], []
    for schluessel in reihenfolge:
        art = arten.get(schluessel)
        bez, farbe = (art.bezeichnung, art.farbe) if art else (schluessel, "#7f8c8d")
        form, loch = symbol_fuer(nummern[schluessel])
        daten = EinrichtungsArt(tabelle, schluessel, bezeichnung=bez, farbe=farbe, form=form, loch=loch)
        ebenen.append(JsEbene(titel=f"Einrichtungen: {bez} ({len(daten)})", fabrik="einrichtungen", daten=daten,
                              optionen={"radius": radius}))
        eintraege.append(Eintrag("punkt", daten.farbe, f"{bez} ({len(daten)})", form=form, loch=loch))
    if "im_gremium" in ein and ein["im_gremium"].fillna(False).astype(bool).any():
        eintraege.append(Eintrag("gremium", "#222222", "umkreist: im Sozialraumgremium"))
    return ebenen, Abschnitt("Einrichtungen", tuple(eintraege))


def _einzugs_ebenen(ein: gpd.GeoDataFrame, kommune: Any, arten_wahl: Iterable[str], *, crs: int
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
    if not kanten.empty:
        eintraege.append(Eintrag("knoten", NETZ_FARBEN[0], "Stadtansicht: ein Knoten je Netzwerk (Größe = Mitglieder); "
                                                      "Klick hebt die Mitglieder hervor"))
    if status - {"soll entwickelt werden"}:
        eintraege.append(Eintrag("linie", "#444444", "vergrößert: Netzwerk besteht"))
    if "soll entwickelt werden" in status:
        eintraege.append(Eintrag("gestrichelt", "#444444", "vergrößert: Netzwerk soll entwickelt werden"))
    return Abschnitt("Netzwerke", tuple(eintraege))


def _punkte_und_linien(m: folium.Map, ein: gpd.GeoDataFrame, netzwerk_kanten: gpd.GeoDataFrame, kommune: Any,
                       einzugsbereiche: Iterable[str], *, praesentation: bool, crs: int,
                       auswahl_netzwerk: str | int | None) -> list[Abschnitt]:
    """Einzugsbereiche, Netzwerke und Einrichtungen hinzufügen; gibt ihre Legendenabschnitte zurück."""
    einzug, einzug_abschnitt = _einzugs_ebenen(ein, kommune, einzugsbereiche, crs=crs)
    geo = netzwerk_kanten.geometry
    kanten = netzwerk_kanten[geo.notna() & ~geo.is_empty]
    for ebene in einzug:
        m.add_child(ebene)
    if not kanten.empty:
        netz = netz_ebene(kanten, breite=4 if praesentation else 3, auswahl=auswahl_netzwerk, crs_metrisch=crs)
        if auswahl_netzwerk is not None and netz.optionen["auswahl"] is None:
            raise EingabeFehler(f"Netzwerk '{auswahl_netzwerk}' ist auf dieser Karte nicht vorhanden.")
        m.add_child(netz)
    punkte, punkt_abschnitt = _einrichtungs_ebenen(ein, kommune, praesentation=praesentation)
    for ebene in punkte:
        m.add_child(ebene)
    return [punkt_abschnitt, _netz_abschnitt(kanten), einzug_abschnitt]


def _minimap(sr: gpd.GeoDataFrame) -> Any:
    """Stark vereinfachte Sozialraum-Umrisse für die Übersichtskarte (EPSG:4326, Toleranz 0,0008° ≈ 60–90 m).

    Die Übersicht ist 170 × 125 Pixel groß: gemeinsame Kanten müssen nicht exakt aufeinanderliegen, also
    genügt das schnelle `shapely.simplify` statt der Überdeckungs-Vereinfachung.
    """
    from karte.ebenen import Flaechen

    if sr.empty:
        return None
    return Flaechen(shapely.simplify(np.asarray(sr.geometry.values, dtype=object), 0.0008), {})


def _bounds(gdf: gpd.GeoDataFrame) -> list[list[float]] | None:
    """[[süd, west], [nord, ost]] (EPSG:4326) oder None ohne Geometrie."""
    if gdf.empty or gdf.geometry.isna().all():
        return None
    w, s, o, n = gdf.geometry.dropna().total_bounds
    return [[float(s), float(w)], [float(n), float(o)]]


def _grenzen(sozialraeume: gpd.GeoDataFrame, stadtteile: gpd.GeoDataFrame, ein: gpd.GeoDataFrame,
             auswahl: str | None, auswahl_stadtteil: str | None) -> list[list[float]] | None:
    """Kartenausschnitt: gewählter Stadtteil, sonst gewählter Sozialraum, sonst alle Flächen (EPSG:4326)."""
    if auswahl_stadtteil is not None:
        wahl = stadtteile[stadtteile["name"] == auswahl_stadtteil]
        if wahl.empty or wahl.geometry.isna().all():
            namen = ", ".join(map(str, stadtteile["name"]))
            raise EingabeFehler(f"Stadtteil '{auswahl_stadtteil}' gibt es nicht (oder ohne Fläche). "
                                f"Vorhanden: {namen}.")
        return _bounds(wahl)
    if auswahl is not None:
        wahl = sozialraeume[sozialraeume["name"] == auswahl]
        if wahl.empty or wahl.geometry.isna().all():
            namen = ", ".join(map(str, sozialraeume["name"]))
            raise EingabeFehler(f"Sozialraum '{auswahl}' gibt es nicht (oder ohne Fläche). Vorhanden: {namen}.")
        return _bounds(wahl)
    return _bounds(sozialraeume if sozialraeume.geometry.notna().any() else ein)


def dokumenttitel(titel: str | None, *, sozialraum: str | None = None, stadtteil: str | None = None,
                  jahr: int | None = None) -> str:
    """„Ressourcenkarte – Sozialraum X – Stand 2024“ (Dokumenttitel und Kartenname für Screenreader)."""
    teile = [titel or "Ressourcenkarte"]
    if sozialraum:
        teile.append(f"Sozialraum {sozialraum}")
    if stadtteil:
        teile.append(f"Stadtteil {stadtteil}")
    if jahr is not None:
        teile.append(f"Stand {int(jahr)}")
    return " – ".join(teile)


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
    basemap: str = "keine",
    auswahl_sozialraum: str | None = None,
    praesentation: bool = False,
    hoehe: int | str = "100%",
    auswahl_stadtteil: str | None = None,
    auswahl_netzwerk: str | int | None = None,
    titel: str | None = None,
    jahr: int | None = None,
    fehlende_ressourcen: gpd.GeoDataFrame | None = None,
    quelle: str | None = None,
) -> folium.Map:
    """Baut die offline lauffähige Ressourcenkarte. Alle GeoDataFrames in EPSG:4326.

    Ebenen (schaltbar): Indikator-Choroplethe, Stadtteile, Sozialräume mit Beschriftung, Einzugsbereiche
    (Radius in Metern aus der Konfiguration), Netzwerke, Einrichtungen je Art. Dazu Legende, Ebenenwahl,
    Vollbild, Maßstab, Übersichtskarte und Suche. `auswahl_sozialraum` / `auswahl_stadtteil` zoomen auf
    diese Fläche und heben sie hervor; `auswahl_netzwerk` (netzwerk_id oder Name) hebt die Mitglieder
    eines Netzwerks hervor. `titel`/`jahr` ergeben den Dokumenttitel (HTML-Export) und, wenn eins von
    beiden angegeben ist, eine sichtbare Überschrift auf der Karte. `fehlende_ressourcen` (Punkte mit
    bezeichnung, sozialraum, datum; siehe daten.protokolle) ergeben eine eigene Ebene. `quelle` steht in der
    Druckansicht (Bild-Export) in der Quellenangabe (Standard: „Daten: Ressourcenkarte <Kommune>“).
    """
    crs = int(kommune.crs_metrisch)
    kacheln = hintergrund(basemap)
    wahl = Choropleth.aus(choropleth) if choropleth is not None else None
    doktitel = dokumenttitel(titel, sozialraum=auswahl_sozialraum, stadtteil=auswahl_stadtteil, jahr=jahr)
    grenzen = _grenzen(sozialraeume, stadtteile, nur_punkte(einrichtungen), auswahl_sozialraum, auswahl_stadtteil)
    m = _neue_karte(kommune, praesentation=praesentation, hoehe=hoehe, titel=doktitel)
    m.add_child(Laufzeit(praesentation=praesentation, ohne_kacheln=kacheln is None))
    m.add_child(Datenpaket())
    if kacheln is not None:
        m.add_child(kacheln)
    st = vereinfache_flaechen(stadtteile, crs_metrisch=crs)
    sr = _sozialraum_flaechen(sozialraeume, st, crs)
    ein = nur_punkte(einrichtungen)
    sr_zeile = sozialraum_zeile(sozialraeume)
    abschnitte: list[Abschnitt] = []
    tooltips = stadtteil_zeilen(st, sr_zeile)
    if wahl is not None:
        ebene, abschnitt, tooltips = choropleth_ebene(st, indikatoren, wahl, kommune, crs, sr_zeile)
        m.add_child(ebene)
        abschnitte.append(abschnitt)
    m.add_child(stadtteil_ebene(st, tooltips=tooltips, auswahl=auswahl_stadtteil, crs=crs))
    m.add_child(sozialraum_ebene(sr, auswahl=auswahl_sozialraum, praesentation=praesentation, crs=crs))
    fehlt = fehlende_ressourcen is not None and not fehlende_ressourcen.empty
    if fehlt:  # unter den Einrichtungen: deren Symbole bleiben klickbar
        m.add_child(fehlende_ressourcen_ebene(fehlende_ressourcen, crs_metrisch=crs))
    abschnitte += _punkte_und_linien(m, ein, netzwerk_kanten, kommune, einzugsbereiche, praesentation=praesentation,
                                     crs=crs, auswahl_netzwerk=auswahl_netzwerk)
    if fehlt:
        abschnitte.append(Abschnitt("Protokolle", (Eintrag("kreis", FEHLEND_FARBE, "fehlende Ressource (Frage 6)"),)))
    m.add_child(Steuerung(legende_html=legende_html(abschnitte), minimap=_minimap(sr), suche=not ein.empty,
                          praesentation=praesentation, titel=doktitel,
                          ueberschrift=doktitel if (titel or jahr is not None) else None,
                          gesamt=_bounds(st), legende_offen=not praesentation,
                          quelle=quelle if quelle is not None else f"Daten: Ressourcenkarte {kommune.name}"))
    if grenzen is not None:
        ausschnitt = Ausschnitt(grenzen, padding=(12, 12))
        ausschnitt.options["animate"] = False  # sofort im Endzustand: Bild-Export und Tests messen ohne Animation
        m.add_child(ausschnitt)
    return m
