"""Import der Stadtteil-Grenzen: lesen, KBS, Namen zuordnen, reparieren, bereinigen, Einrichtungen neu zuordnen.

Die Sozialraum-Geometrien folgen von selbst: sie werden beim Lesen als Vereinigung ihrer Stadtteile
gebildet (`daten.repository.sozialraeume`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten.config import Kommune
from daten.fehler import EingabeFehler
from daten.geometrie import ablehnung, metrisches_crs, ordne_stadtteile
from daten.importe.bereinigen import bereinige, gueltig_machen, m2, melde_reparatur
from daten.importe.bericht import Bericht
from daten.importe.frist import mit_frist
from daten.importe.koordinaten import deute, lies_crs, name_crs
from daten.importe.lesen import Quelle, lies
from daten.importe.namen import Namensliste, meinten_sie

# Namen nach Lage: Anteil gemeinsamer Fläche (Schnitt/Vereinigung), ab dem ein Vorschlag gilt; darunter unbenannt,
# unter SICHER mit Warnung. Gemessen: amtlich vereinfachte gegen schematische Demo-Grenzen 0,28–0,76.
UEBERDECKUNG_MIN = 0.25
UEBERDECKUNG_SICHER = 0.5
PRUEFEN = "Die Stadtteilgrenzen prüfen und reparieren"
GEOMETRIE_S = 15.0  # Prüfen, Reparieren und Bereinigen zusammen (jeder Schritt im Kindprozess, danach abgebrochen)
RAT_REPARATUR = ("Die Flächen sind zu verwickelt für eine automatische Reparatur: bitte in QGIS reparieren "
                 "(Vektor › Geometriewerkzeuge › Geometrien reparieren, dann Topologieprüfung) und erneut importieren.")

Fortschritt = Callable[[float, str], None]


@dataclass(frozen=True)
class StadtteilOptionen:
    """Optionen von `import stadtteile`.

    `name_feld`: Feld mit Namen (oder Kennungen, dann mit `zuordnung`); ohne Angabe wird das Feld
    gesucht, dessen Werte am besten zu den Stadtteilen passen. `zuordnung`: Wert → Stadtteil.
    `namen_nach_lage`: unbenannte Flächen nach größter Überdeckung mit den gespeicherten Grenzen benennen.
    `luecke_bis_m`: Lücken zwischen Nachbarn bis zu dieser Breite (Meter) werden geschlossen.
    """

    name_feld: str | None = None
    crs: str | None = None
    zuordnung: dict[str, str] = field(default_factory=dict)
    namen_nach_lage: bool = False
    luecke_bis_m: float = 50.0


@dataclass(frozen=True)
class Umzug:
    """Eine Einrichtung, deren Stadtteil sich durch die neuen Grenzen ändert."""

    einrichtung_id: int
    name: str
    alt: str
    neu: str


@dataclass
class StadtteilPlan:
    bericht: Bericht
    quelle: str
    geometrien: dict[str, BaseGeometry] = field(default_factory=dict)  # EPSG:4326, zu schreiben
    flaechen: pd.DataFrame = field(default_factory=pd.DataFrame)  # m² im metrischen KBS `crs_metrisch`
    verschiebungen: pd.DataFrame = field(default_factory=pd.DataFrame)
    umzuege: list[Umzug] = field(default_factory=list)
    crs_metrisch: int | None = None  # EPSG-Code, in dem Flächen und Lücken gerechnet sind
    nummern: dict[str, str] = field(default_factory=dict)  # amtliche Nummern aus der Konfiguration

    def zusammenfassung(self) -> str:
        return (f"{len(self.geometrien)} Stadtteile mit neuer Grenze, "
                f"{len(self.verschiebungen)} Flächenverschiebungen, "
                f"{len(self.umzuege)} Einrichtungen wechseln den Stadtteil")


def _gespeichert(s: Session, crs: int) -> dict[str, BaseGeometry]:
    """Gespeicherte Stadtteil-Geometrien im metrischen KBS `crs` (nur vorhandene)."""
    zeilen = [(st.name, st.geometrie) for st in s.scalars(select(m.Stadtteil)) if st.geometrie is not None]
    if not zeilen:
        return {}
    gs = gpd.GeoSeries([g for _, g in zeilen], crs=4326).to_crs(crs)
    return dict(zip([n for n, _ in zeilen], gs, strict=True))


def _namensfeld(werte: pd.DataFrame, liste: Namensliste, optionen: StadtteilOptionen, bericht: Bericht) -> str | None:
    if optionen.name_feld:
        if optionen.name_feld not in werte.columns:
            nahe = Namensliste(list(werte.columns)).finde(optionen.name_feld)
            raise_text = (f"Feld '{optionen.name_feld}' gibt es nicht. "
                          + meinten_sie(nahe, alle=list(werte.columns)))
            bericht.fehler(0, optionen.name_feld, raise_text, "--name-feld mit einem vorhandenen Feld angeben.")
            return None
        return optionen.name_feld
    bestes, treffer = None, 0
    for spalte in werte.columns:
        n = sum(1 for v in werte[spalte] if liste.finde(v).name)
        if n > treffer:
            bestes, treffer = spalte, n
    if bestes and treffer * 2 >= len(werte):
        bericht.hinweis(0, bestes, f"Namen aus Feld '{bestes}' gelesen ({treffer} von {len(werte)} erkannt).",
                        "Anderes Feld: --name-feld FELD.")
        return bestes
    return None


def _nach_lage(ohne: dict[int, BaseGeometry], gespeichert: dict[str, BaseGeometry], vergeben: set[str],
               bericht: Bericht) -> dict[int, str]:
    """Unbenannte Flächen → Stadtteil mit der größten Überdeckung (IoU) der gespeicherten Grenze, je Name einmal."""
    paare = []
    for nr, geo in ohne.items():
        for name, alt in gespeichert.items():
            if name in vergeben or not geo.intersects(alt):
                continue
            iou = geo.intersection(alt).area / geo.union(alt).area
            paare.append((iou, nr, name))
    ergebnis: dict[int, str] = {}
    for iou, nr, name in sorted(paare, reverse=True):
        if nr in ergebnis or name in vergeben or iou < UEBERDECKUNG_MIN:
            continue
        ergebnis[nr] = name
        vergeben.add(name)
        melde = bericht.hinweis if iou >= UEBERDECKUNG_SICHER else bericht.warnung
        melde(nr, "Name", f"nach Lage benannt: {name} (Überdeckung mit der bisherigen Grenze {iou:.0%}).",
              "Stimmt das? Sonst --name-feld FELD mit --zuordnung WERT=STADTTEIL.")
    return ergebnis


def _benenne(roh_werte: pd.DataFrame, geometrien: dict[int, BaseGeometry], kommune: Kommune,
             optionen: StadtteilOptionen, gespeichert: dict[str, BaseGeometry], bericht: Bericht) -> dict[int, str]:
    liste = Namensliste(kommune.stadtteile)
    for wert, ziel in optionen.zuordnung.items():
        if ziel not in kommune.stadtteile:
            t = liste.finde(ziel)
            bericht.fehler(0, "--zuordnung", f"'{wert}={ziel}': '{ziel}' ist kein Stadtteil der Konfiguration. "
                           + meinten_sie(t, alle=kommune.stadtteile), "Zuordnung korrigieren.")
    feld = _namensfeld(roh_werte, liste, optionen, bericht)
    namen: dict[int, str] = {}
    ohne: dict[int, BaseGeometry] = {}
    for nr, geo in geometrien.items():
        wert = str(roh_werte.at[nr, feld]).strip() if feld else ""
        if wert and wert in optionen.zuordnung and optionen.zuordnung[wert] in kommune.stadtteile:
            namen[nr] = optionen.zuordnung[wert]
            continue
        t = liste.finde(wert) if wert else None
        if t is not None and t.name:
            namen[nr] = t.name
            if t.hinweis:
                bericht.hinweis(nr, feld or "", t.hinweis)
        elif wert and not optionen.namen_nach_lage:
            bericht.fehler(nr, feld or "", f"'{wert}' ist kein Stadtteil der Konfiguration. "
                           + meinten_sie(t, alle=kommune.stadtteile),
                           f"Schreibweise korrigieren oder --zuordnung '{wert}=STADTTEIL' angeben.")
        else:
            ohne[nr] = geo
    if ohne and optionen.namen_nach_lage:
        if not gespeichert:
            bericht.fehler(0, "--namen-nach-lage", "Es sind noch keine Stadtteil-Grenzen gespeichert, mit denen "
                           "verglichen werden könnte.", "Namen über --name-feld/--zuordnung angeben.")
        else:
            namen.update(_nach_lage(ohne, gespeichert, set(namen.values()), bericht))
    felder = ", ".join(roh_werte.columns) or "(keine)"
    for nr in ohne:
        if nr not in namen:
            bericht.fehler(nr, feld or "Name", f"Fläche ohne Stadtteilnamen (Felder der Datei: {felder}).",
                           "--name-feld FELD (ggf. mit --zuordnung WERT=STADTTEIL) oder --namen-nach-lage.")
    return namen


def _vereinige(namen: dict[int, str], geometrien: dict[int, BaseGeometry], bericht: Bericht) -> dict[str, BaseGeometry]:
    je_name: dict[str, list[int]] = defaultdict(list)
    for nr, name in namen.items():
        je_name[name].append(nr)
    ergebnis = {}
    for name, nummern in je_name.items():
        if len(nummern) > 1:
            bericht.hinweis(nummern[1], "Name", f"{name} kommt {len(nummern)}-mal vor (Objekte "
                            f"{', '.join(map(str, nummern))}); die Flächen werden vereinigt.")
        ergebnis[name] = shapely.union_all([geometrien[nr] for nr in nummern])
    return ergebnis


def pruefe_stadtteile(s: Session, kommune: Kommune, quelle: Quelle, optionen: StadtteilOptionen,
                      fortschritt: Fortschritt | None = None) -> StadtteilPlan:
    """Liest und prüft die Datei; bereinigt die Grenzen und plant die Neuzuordnung (schreibt nichts)."""
    melde = fortschritt or (lambda _a, _t: None)
    bericht = Bericht(quelle.name)
    crs = metrisches_crs(kommune)
    plan = StadtteilPlan(bericht, f"Import: {quelle.name}", crs_metrisch=crs,
                         nummern=dict(kommune.stadtteil_nummern))
    roh = lies(quelle, bericht, nur_geodaten=True)
    melde(0.2, "Datei gelesen")
    geos = {nr: g for nr, g in zip(roh.nummern, roh.geometrien or [], strict=False) if g is not None}
    for nr in roh.nummern:
        if nr not in geos:
            bericht.fehler(nr, "geometry", "Objekt ohne Geometrie.", "Geometrie ergänzen oder Objekt entfernen.")
    if not geos:
        bericht.fehler(0, "geometry", "Die Datei enthält keine Flächen.", "Datei mit Stadtteil-Polygonen wählen.")
        return plan
    mitte = np.array([g.representative_point().coords[0] for g in geos.values()])
    deutung = deute(mitte[:, 0], mitte[:, 1], mitte=kommune.kartenmitte, stadt=kommune.name, erklaert=roh.crs,
                    gegeben=lies_crs(optionen.crs), bericht=bericht, felder="Flächen", crs_kommune=crs)
    bericht.hinweis(0, "KBS", f"Gelesen als {roh.beschreibung}, Koordinatensystem {name_crs(deutung.crs)}.")
    metrisch = gpd.GeoSeries(list(geos.values()), crs=deutung.crs).to_crs(crs)
    geos_m = dict(zip(geos, metrisch, strict=True))
    ende = time.monotonic() + GEOMETRIE_S
    geprueft = dict(zip(geos_m, mit_frist(gueltig_machen, list(geos_m.values()), was=PRUEFEN, rat=RAT_REPARATUR,
                                          frist_s=GEOMETRIE_S), strict=True))
    gespeichert = _gespeichert(s, crs)
    namen = _benenne(roh.werte, {nr: geprueft[nr].flaeche or g for nr, g in geos_m.items()}, kommune, optionen,
                     gespeichert, bericht)
    repariert = {}
    for nr, name in namen.items():
        fl = melde_reparatur(geprueft[nr], zeile=nr, name=name, bericht=bericht)
        if fl is not None:
            repariert[nr] = fl
    neu = _vereinige({nr: namen[nr] for nr in repariert}, repariert, bericht)
    melde(0.4, "Namen zugeordnet, Geometrien geprüft")
    fehlend = [n for n in kommune.stadtteile if n not in neu]
    for n in fehlend:
        bleibt = "behält die bisherige Grenze" if n in gespeichert else "hat danach keine Grenze"
        bericht.warnung(0, "Name", f"Stadtteil {n} fehlt in der Datei und {bleibt}.",
                        "Vollständige Datei liefern, falls das nicht gewollt ist.")
    if bericht.dateifehler or not neu:
        return plan
    _bereinigen(plan, neu, {n: gespeichert[n] for n in fehlend if n in gespeichert}, optionen,
                frist_s=max(1.0, ende - time.monotonic()))
    bisher = {st.name: st.geometrie for st in s.scalars(select(m.Stadtteil)) if st.geometrie is not None}
    gleich = [n for n, g in plan.geometrien.items() if n in bisher and g.equals_exact(bisher[n], 1e-9)]
    for n in gleich:
        del plan.geometrien[n]
    if gleich:
        bericht.hinweis(0, "Name", f"Unverändert (gleiche Grenze wie gespeichert): {', '.join(gleich)}.")
    melde(0.7, "Grenzen bereinigt")
    _umzuege(s, plan, kommune)
    melde(0.9, "Einrichtungen neu zugeordnet")
    return plan


def _bereinigen(plan: StadtteilPlan, neu: dict[str, BaseGeometry], behalten: dict[str, BaseGeometry],
                optionen: StadtteilOptionen, *, frist_s: float = GEOMETRIE_S) -> None:
    erg = mit_frist(bereinige, {**neu, **behalten}, optionen.luecke_bis_m, was="Die Grenzen bereinigen (Lücken und "
                    "Überlappungen)", rat=RAT_REPARATUR, frist_s=frist_s)
    bericht = plan.bericht
    summen: dict[tuple[str | None, str], float] = defaultdict(float)
    for v in erg.verschiebungen:
        summen[(v.von, v.nach)] += v.flaeche_m2
    zeilen = []
    for (von, nach), fl in sorted(summen.items(), key=lambda kv: -kv[1]):
        was = f"Überlappung {von}/{nach}" if von else "Lücke"
        zeilen.append({"von": von or "(Lücke)", "nach": nach, "flaeche_m2": round(fl, 1)})
        bericht.hinweis(0, "Fläche", f"{was}: {m2(fl)} an {nach}.")
    plan.verschiebungen = pd.DataFrame(zeilen, columns=["von", "nach", "flaeche_m2"])
    plan.flaechen = pd.DataFrame(
        [{"stadtteil": n, "flaeche_vorher_m2": round(a, 1), "flaeche_nachher_m2": round(b, 1),
          "aenderung_m2": round(b - a, 1)} for n, (a, b) in erg.flaechen.items()])
    for fl, x, y in erg.restluecken:
        lon, lat = gpd.GeoSeries([shapely.Point(x, y)], crs=plan.crs_metrisch).to_crs(4326).iloc[0].coords[0]
        bericht.warnung(0, "Fläche", f"Lücke von {m2(fl)} bei {lat:.5f}, {lon:.5f} (Breite, Länge) bleibt offen: "
                        f"breiter als {optionen.luecke_bis_m:.0f} m.", "Quelle prüfen oder --luecke-bis erhöhen.")
    namen = list(erg.geometrien)
    wgs = gpd.GeoSeries([erg.geometrien[n] for n in namen], crs=plan.crs_metrisch).to_crs(4326)
    # nur die Stadtteile der Datei und die, die sich durch die Bereinigung geändert haben
    for n, g in zip(namen, wgs, strict=True):
        if n in neu or not erg.geometrien[n].equals(behalten[n]):
            plan.geometrien[n] = g


def _umzuege(s: Session, plan: StadtteilPlan, kommune: Kommune) -> None:
    """Einrichtungen, deren Stadtteil sich mit den neuen Grenzen ändert (Regel aus `daten.geometrie`)."""
    ids = {st.name: st.id for st in s.scalars(select(m.Stadtteil))}
    alle = {st.name: st.geometrie for st in s.scalars(select(m.Stadtteil)) if st.geometrie is not None}
    alle.update(plan.geometrien)
    if not alle:
        return
    st_gdf = gpd.GeoDataFrame({"id": [ids[n] for n in alle], "name": list(alle)}, geometry=list(alle.values()),
                              crs=4326)
    q = select(m.Einrichtung.id, m.Einrichtung.name, m.Einrichtung.geometrie, m.Stadtteil.name).join(
        m.Stadtteil, m.Einrichtung.stadtteil_id == m.Stadtteil.id).order_by(m.Einrichtung.id)
    zeilen = [z for z in s.execute(q) if z[2] is not None]
    if not zeilen:
        return
    punkte = gpd.GeoSeries([z[2] for z in zeilen], crs=4326)
    zu = ordne_stadtteile(punkte, st_gdf, kommune=kommune)
    for (eid, name, punkt, alt), neu, d, naechster in zip(zeilen, zu["stadtteil"], zu["abstand_m"], zu["naechster"],
                                                          strict=True):
        if neu is None:
            plan.bericht.warnung(0, "Einrichtung", f"{name} (id {eid}) bleibt bei {alt}: "
                                 + ablehnung(punkt, abstand_m=d, naechster=naechster, kommune=kommune),
                                 "Lage der Einrichtung prüfen (Pflege-Seite: verschieben).")
        elif neu != alt:
            plan.umzuege.append(Umzug(eid, name, alt, neu))
    for u in plan.umzuege:
        plan.bericht.hinweis(0, "Einrichtung", f"{u.name}: {u.alt} → {u.neu}.")


def schreibe_stadtteile(s: Session, plan: StadtteilPlan, fortschritt: Fortschritt | None = None) -> None:
    """Schreibt Grenzen und Neuzuordnung in der Sitzung `s` (Rechte und Änderungsprotokoll über die Sitzung)."""
    melde = fortschritt or (lambda _a, _t: None)
    stadtteile = {st.name: st for st in s.scalars(select(m.Stadtteil))}
    for n, geo in plan.geometrien.items():
        stadtteile[n].geometrie = geo
        stadtteile[n].quelle = plan.quelle
        if n in plan.nummern:  # die amtliche Nummer kommt aus der Konfiguration, nicht aus der Datei
            stadtteile[n].nummer = plan.nummern[n]
    s.flush()
    melde(0.5, "Grenzen geschrieben")
    einrichtungen = {e.id: e for e in s.scalars(select(m.Einrichtung).where(
        m.Einrichtung.id.in_([u.einrichtung_id for u in plan.umzuege])))}
    for i, u in enumerate(plan.umzuege, start=1):
        einrichtungen[u.einrichtung_id].stadtteil_id = stadtteile[u.neu].id
        if i % 200 == 0:
            s.flush()
            melde(0.5 + 0.5 * i / len(plan.umzuege), f"{i} Einrichtungen neu zugeordnet")
    s.flush()
    melde(1.0, "fertig")


def lies_zuordnung(angaben: list[str], datei: Path | None) -> dict[str, str]:
    """`--zuordnung WERT=STADTTEIL` (mehrfach) und `--zuordnung-datei` (CSV: Kopfzeile, Spalten Wert und Stadtteil)."""
    zuordnung: dict[str, str] = {}
    if datei is not None:
        b = Bericht(datei.name)
        roh = lies(Quelle.aus_pfad(datei), b)
        if roh.werte.shape[1] < 2 or b.hat_fehler:
            raise EingabeFehler(f"{datei.name}: zwei Spalten erwartet (Kopfzeile, dann je Zeile Wert und Stadtteil).")
        for nr, z in roh.werte.iterrows():
            wert, ziel = str(z.iloc[0]).strip(), str(z.iloc[1]).strip()
            if not wert or not ziel:
                raise EingabeFehler(f"{datei.name}, Zeile {nr}: Wert oder Stadtteil fehlt.")
            zuordnung[wert] = ziel
    for a in angaben or []:
        wert, gleich, ziel = a.partition("=")
        if not gleich or not wert.strip() or not ziel.strip():
            raise EingabeFehler(f"--zuordnung '{a}': bitte als WERT=STADTTEIL angeben, "
                                "z. B. --zuordnung 4711=Altstadt.")
        zuordnung[wert.strip()] = ziel.strip()
    return zuordnung
