"""Import von Einrichtungen: Felder und Art je Zeile, Lage und Stadtteil, stabile Schlüssel (Neuimport aktualisiert)."""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten.config import Kommune, schluesselwort
from daten.dienste.raum import stadtteil_flaechen
from daten.fehler import EingabeFehler
from daten.geometrie import metrisches_crs
from daten.importe.bericht import Bericht
from daten.importe.lage import koordinaten, stadtteile_je_zeile
from daten.importe.lesen import Quelle, lies
from daten.importe.namen import Namensliste, meinten_sie
from daten.importe.spalten import EINRICHTUNG_ZIELE, lies_spaltenangaben, ordne_spalten
from daten.importe.werte import datum, liste, pruefe_laenge
from daten.importe.zahlen import KeineZahl, lies_ganzzahl

Fortschritt = Callable[[float, str], None]
FELDER = ("name", "art", "traeger_art", "traeger", "adresse", "kapazitaet", "zielgruppen", "angebote",
          "gueltig_von", "gueltig_bis")
DUBLETTE_M = 50.0


@dataclass(frozen=True)
class EinrichtungOptionen:
    """`crs`: KBS der Koordinaten (sonst erklärt/erkannt); `spalten`: ZIEL=QUELLE-Angaben."""

    crs: str | None = None
    spalten: tuple[str, ...] = ()


@dataclass
class EinrichtungPlan:
    bericht: Bericht
    quelle: str
    zeilen: list[dict[str, Any]] = field(default_factory=list)  # je gültiger Zeile: Felder, Lage, Aktion

    def vorschau(self) -> pd.DataFrame:
        spalten = ["zeile", "aktion", "schluessel", "name", "art", "traeger_art", "traeger", "adresse", "stadtteil",
                   "lat", "lon"]
        return pd.DataFrame([{k: z.get(k) for k in spalten} for z in self.zeilen], columns=spalten)

    def zusammenfassung(self) -> str:
        n = pd.Series([z["aktion"] for z in self.zeilen]).value_counts()
        return (f"{n.get('neu', 0)} neu, {n.get('ändern', 0)} zu ändern, {n.get('unverändert', 0)} unverändert "
                f"({len(self.zeilen)} Zeilen mit Lage)")


def _wert(zeile: dict[str, str], spalten: dict[str, str], ziel: str) -> str:
    s = spalten.get(ziel)
    return str(zeile[s]).strip() if s else ""


def _schluessel(zeile: dict[str, str], spalten: dict[str, str], daten: dict[str, Any]) -> str:
    """Stabiler Schlüssel: Kennung der Quelle (OSM-Typ/-ID oder Spalte schluessel), sonst Prüfsumme aus Name, Art und
    Adresse. Derselbe Datensatz bekommt so beim nächsten Import denselben Schlüssel."""
    if str(zeile.get("osm_id", "")).strip() and str(zeile.get("osm_type", "")).strip():
        kennung = f"osm:{zeile['osm_type']}/{zeile['osm_id']}"
    elif _wert(zeile, spalten, "schluessel"):
        kennung = f"import:{_wert(zeile, spalten, 'schluessel')}"
    else:
        teile = "|".join(schluesselwort(str(daten.get(k) or "")) for k in ("name", "art", "adresse"))
        kennung = "import:" + hashlib.sha1(teile.encode()).hexdigest()[:20]
    return kennung if len(kennung) <= 80 else "import:" + hashlib.sha1(kennung.encode()).hexdigest()


class _Typen:
    """Art/Trägerart einer Zeile aus den Wörtern der Quelle (Kommune-Konfiguration `typzuordnung`)."""

    def __init__(self, kommune: Kommune, spalten_der_datei: list[str]) -> None:
        self.arten = kommune.art_fuer_wort()
        self.traeger = kommune.traegerart_fuer_wort()
        formen = {schluesselwort(s): s for s in spalten_der_datei}
        # „spalte=wert“-Wörter, deren Spalte es in dieser Datei gibt
        self.tag_arten = self._tags(self.arten, formen)
        self.tag_traeger = self._tags(self.traeger, formen)
        self.alle_arten = sorted({k for k in kommune.art_fuer_wort().values()})
        self.wortliste = Namensliste(list(self.arten))

    @staticmethod
    def _tags(abb: dict[str, str], formen: dict[str, str]) -> list[tuple[str, str, str]]:
        aus = []
        for wort, ziel in abb.items():
            spalte, gleich, wert = wort.partition("=")
            if gleich and spalte in formen:
                aus.append((formen[spalte], wert, ziel))
        return aus

    @staticmethod
    def finde(zeile: dict[str, str], tags: list[tuple[str, str, str]], abb: dict[str, str], wert: str) -> str | None:
        for spalte, w, ziel in tags:
            if schluesselwort(str(zeile[spalte])) == w:
                return ziel
        return abb.get(schluesselwort(wert)) if wert else None


def _felder(nr: int, zeile: dict[str, str], spalten: dict[str, str], typen: _Typen, kommune: Kommune,
            bericht: Bericht) -> dict[str, Any]:
    w = {z: _wert(zeile, spalten, z) for z in EINRICHTUNG_ZIELE}
    d: dict[str, Any] = {}
    art_wort = w["art"]
    d["art"] = typen.finde(zeile, typen.tag_arten, typen.arten, art_wort)
    if d["art"] is None:
        t = typen.wortliste.finde(art_wort) if art_wort else None
        bericht.fehler(nr, spalten.get("art", "art"),
                       f"Art '{art_wort}' ist nicht zugeordnet." if art_wort else "Keine Einrichtungsart erkennbar.",
                       "In der Kommune-Konfiguration unter typzuordnung.arten eintragen, mit --spalte art=SPALTE "
                       "die richtige Spalte wählen oder die Zeile überspringen."
                       + (" " + meinten_sie(t, alle=typen.alle_arten) if t and t.vorschlaege else ""))
    d["traeger_art"] = typen.finde(zeile, typen.tag_traeger, typen.traeger, w["traeger_art"])
    if d["traeger_art"] is None and w["traeger_art"]:
        bericht.fehler(nr, spalten.get("traeger_art", "traeger_art"), f"Trägerart '{w['traeger_art']}' ist unbekannt.",
                       f"Erlaubt: {', '.join(kommune.traegerarten)}; oder unter typzuordnung.traegerarten eintragen.")
    adresse = w["adresse"] or ", ".join(t for t in (" ".join(x for x in (w["strasse"], w["hausnummer"]) if x),
                                                    " ".join(x for x in (w["plz"], w["ort"]) if x)) if t)
    d["adresse"] = adresse or None
    d["traeger"] = w["traeger"] or None
    d["name"] = w["name"]
    for feld, laenge in (("name", 300), ("traeger", 300), ("adresse", 300)):
        pruefe_laenge(d, feld, laenge, nr, bericht)
    if "kapazitaet" in spalten:
        d["kapazitaet"] = None
        if w["kapazitaet"]:
            try:
                d["kapazitaet"], _ = lies_ganzzahl(w["kapazitaet"])
                if d["kapazitaet"] < 0:
                    raise KeineZahl("negativ")
            except KeineZahl as exc:
                bericht.fehler(nr, spalten["kapazitaet"], f"Kapazität: {exc}.", "Ganze Zahl ≥ 0 eintragen.")
    for feld in ("zielgruppen", "angebote"):
        if feld in spalten:
            d[feld] = liste(w[feld])
    for feld in ("gueltig_von", "gueltig_bis"):
        if feld in spalten:
            d[feld] = datum(w[feld], nr, spalten[feld], bericht) if w[feld] else None
    if isinstance(d.get("gueltig_von"), date) and isinstance(d.get("gueltig_bis"), date) \
            and d["gueltig_bis"] < d["gueltig_von"]:
        bericht.fehler(nr, spalten["gueltig_bis"], "gültig bis liegt vor gültig von.", "Daten prüfen.")
    return d


def pruefe_einrichtungen(s: Session, kommune: Kommune, quelle: Quelle, optionen: EinrichtungOptionen,
                         fortschritt: Fortschritt | None = None) -> EinrichtungPlan:
    """Liest und prüft die Datei, ordnet Stadtteile zu und vergleicht mit der Datenbank (schreibt nichts)."""
    melde = fortschritt or (lambda _a, _t: None)
    bericht = Bericht(quelle.name)
    plan = EinrichtungPlan(bericht, f"Import: {quelle.name}")
    angaben = lies_spaltenangaben(list(optionen.spalten), EINRICHTUNG_ZIELE)
    roh = lies(quelle, bericht)
    if roh.werte.empty and not roh.geometrien:
        raise EingabeFehler(f"{quelle.name} enthält keine Datenzeilen.")
    melde(0.15, f"{len(roh.werte)} Zeilen gelesen ({roh.beschreibung})")
    spalten = ordne_spalten(list(roh.werte.columns), angaben, EINRICHTUNG_ZIELE, bericht)
    stadtteile = stadtteil_flaechen(s)
    lon, lat, feld = koordinaten(roh, spalten, kommune=kommune, crs_angabe=optionen.crs, bericht=bericht)
    fehlerhaft = [nr in bericht.fehlerzeilen for nr in roh.nummern]
    lon, lat = np.where(fehlerhaft, np.nan, lon), np.where(fehlerhaft, np.nan, lat)
    zuordnung = stadtteile_je_zeile(lon, lat, roh.nummern, stadtteile, kommune=kommune, feld=feld, bericht=bericht)
    melde(0.4, "Lage geprüft")
    typen = _Typen(kommune, list(roh.werte.columns))
    if "traeger_art" not in spalten and not typen.tag_traeger:
        bericht.hinweis(0, "traeger_art", "Die Datei nennt keine Trägerart; alle Zeilen bekommen "
                        f"'{kommune.typzuordnung.traegerart_standard}' (typzuordnung.traegerart_standard).",
                        "Falls falsch: Spalte mit --spalte traeger_art=SPALTE zuordnen.")
    geliefert = _gelieferte_felder(spalten, typen)
    erste_zeile: dict[str, int] = {}
    for i, (nr, zeile) in enumerate(zip(roh.nummern, roh.werte.to_dict("records"), strict=True)):
        d = _felder(nr, zeile, spalten, typen, kommune, bericht)
        d["traeger_art"] = d["traeger_art"] or kommune.typzuordnung.traegerart_standard
        if d["traeger_art"] is None:
            bericht.fehler(nr, "traeger_art", "Keine Trägerart.", f"Spalte zuordnen; erlaubt: "
                           f"{', '.join(kommune.traegerarten)}.")
        if not d["name"] and d["art"]:
            d["name"] = f"{kommune.art(d['art']).bezeichnung} {d['adresse'] or ''}".strip()
            bericht.hinweis(nr, spalten.get("name", "name"), f"Kein Name; verwendet wird '{d['name']}'.")
        elif not d["name"]:
            bericht.fehler(nr, spalten.get("name", "name"), "Kein Name.", "Namen ergänzen oder Zeile überspringen.")
        d["schluessel"] = _schluessel(zeile, spalten, d)
        if d["schluessel"] in erste_zeile:
            bericht.fehler(nr, spalten.get("schluessel", "schluessel"), f"Gleicher Schlüssel wie Zeile "
                           f"{erste_zeile[d['schluessel']]} ({d['schluessel']}).", "Doppelte Zeile entfernen.")
        erste_zeile.setdefault(d["schluessel"], nr)
        if zuordnung[i] is not None and nr not in bericht.fehlerzeilen:
            d.update(zeile=nr, stadtteil=zuordnung[i], lon=round(float(lon[i]), 7), lat=round(float(lat[i]), 7),
                     _vorhanden=geliefert)
            plan.zeilen.append(d)
        if i % 500 == 0:
            melde(0.4 + 0.4 * i / max(len(roh.werte), 1), f"Zeile {nr} geprüft")
    _vergleiche(s, plan, quelle.name, kommune)
    melde(0.95, "mit der Datenbank verglichen")
    return plan


def _gelieferte_felder(spalten: dict[str, str], typen: _Typen) -> set[str]:
    """Felder, die die Datei liefert: nur sie werden bei vorhandenen Einrichtungen überschrieben."""
    felder = {"name", "art"} | {f for f in ("traeger", "kapazitaet", "zielgruppen", "angebote", "gueltig_von",
                                             "gueltig_bis") if f in spalten}
    if {"adresse", "strasse", "plz", "ort"} & set(spalten):
        felder.add("adresse")
    if "traeger_art" in spalten or typen.tag_traeger:
        felder.add("traeger_art")
    return felder


def _vergleiche(s: Session, plan: EinrichtungPlan, dateiname: str, kommune: Kommune) -> None:
    """Aktion je Zeile (neu / ändern / unverändert), mögliche Dubletten, fehlende frühere Zeilen."""
    schluessel = [z["schluessel"] for z in plan.zeilen]
    q = select(m.Einrichtung).where(m.Einrichtung.schluessel.in_(schluessel))
    vorhanden = {e.schluessel: e for e in s.scalars(q)}
    for z in plan.zeilen:
        e = vorhanden.get(z["schluessel"])
        if e is None:
            z["aktion"] = "neu"
            continue
        z["id"] = e.id
        geaendert = [f for f in z["_vorhanden"] if getattr(e, f) != z.get(f)]
        if e.stadtteil is not None and e.stadtteil.name != z["stadtteil"]:
            geaendert.append("Stadtteil")
        if e.geometrie is None or not e.geometrie.equals_exact(shapely.Point(z["lon"], z["lat"]), 1e-7):
            geaendert.append("Lage")
        z["aktion"] = "ändern" if geaendert else "unverändert"
        if geaendert:
            plan.bericht.hinweis(z["zeile"], ", ".join(sorted(geaendert)), f"Aktualisiert {e.name} (id {e.id}).")
        if not e.aktiv:
            plan.bericht.warnung(z["zeile"], "aktiv", f"{e.name} ist geschlossen; der Import öffnet sie nicht wieder.",
                                 "Bei Bedarf auf der Pflege-Seite wieder öffnen.")
    _dubletten(s, plan, metrisches_crs(kommune))
    in_datei = set(schluessel)
    q = select(m.Einrichtung.schluessel, m.Einrichtung.name).where(
        m.Einrichtung.quelle == plan.quelle, m.Einrichtung.aktiv.is_(True))
    for k, name in s.execute(q):
        if k not in in_datei:
            plan.bericht.hinweis(0, "Einrichtung", f"{name} stammt aus einem früheren Import von {dateiname}, fehlt "
                                 "jetzt in der Datei und bleibt unverändert.", "Falls geschlossen: auf der "
                                 "Pflege-Seite schließen.")


def _dubletten(s: Session, plan: EinrichtungPlan, crs_metrisch: int) -> None:
    neue = [z for z in plan.zeilen if z["aktion"] == "neu" and z.get("art")]
    if not neue:
        return
    q = select(m.Einrichtung.id, m.Einrichtung.name, m.Einrichtung.art, m.Einrichtung.geometrie).where(
        m.Einrichtung.aktiv.is_(True), m.Einrichtung.art.in_({z["art"] for z in neue}))
    alt = [r for r in s.execute(q) if r[3] is not None]
    if not alt:
        return
    alt_m = gpd.GeoSeries([r[3] for r in alt], crs=4326).to_crs(crs_metrisch)
    neu_m = gpd.GeoSeries(gpd.points_from_xy([z["lon"] for z in neue], [z["lat"] for z in neue]), crs=4326)
    neu_m = neu_m.to_crs(crs_metrisch)
    baum = shapely.STRtree(alt_m.values)
    for z, p in zip(neue, neu_m, strict=True):
        for j in baum.query(p, predicate="dwithin", distance=DUBLETTE_M):
            eid, name, art, _ = alt[j]
            if art == z["art"] and difflib.SequenceMatcher(None, schluesselwort(name),
                                                           schluesselwort(z["name"])).ratio() >= 0.8:
                plan.bericht.warnung(z["zeile"], "name", f"Mögliche Dublette: {name} (id {eid}) liegt "
                                     f"{p.distance(alt_m.iloc[j]):.0f} m entfernt, gleiche Art.",
                                     "Prüfen; ggf. Zeile überspringen oder den Schlüssel angleichen.")
                break


def schreibe_einrichtungen(s: Session, plan: EinrichtungPlan, kommune: Kommune,
                           fortschritt: Fortschritt | None = None) -> dict[str, int]:
    """Legt an bzw. ändert über das ORM in `s` (Rechte und Änderungsprotokoll über die Sitzung)."""
    melde = fortschritt or (lambda _a, _t: None)
    stadtteile = {st.name: st.id for st in s.scalars(select(m.Stadtteil))}
    ids = [z["id"] for z in plan.zeilen if "id" in z]
    vorhanden = {e.id: e for e in s.scalars(select(m.Einrichtung).where(m.Einrichtung.id.in_(ids)))} if ids else {}
    zahl = {"neu": 0, "ändern": 0, "unverändert": 0}
    zu_tun = plan.zeilen
    for i, z in enumerate(zu_tun, start=1):
        zahl[z["aktion"]] += 1
        if z["aktion"] == "unverändert":
            continue
        werte = {f: z.get(f) for f in z["_vorhanden"]}
        werte.update(stadtteil_id=stadtteile[z["stadtteil"]], geometrie=shapely.Point(z["lon"], z["lat"]),
                     quelle=plan.quelle)
        if z["aktion"] == "neu":
            werte.setdefault("zielgruppen", list(kommune.art(z["art"]).zielgruppen))
            werte.setdefault("angebote", [])
            werte["traeger_art"] = z["traeger_art"]
            s.add(m.Einrichtung(schluessel=z["schluessel"], aktiv=True, **werte))
        else:
            e = vorhanden[z["id"]]
            for k, v in werte.items():
                if getattr(e, k) != v:
                    setattr(e, k, v)
        if i % 200 == 0:
            s.flush()
            melde(i / len(zu_tun), f"{i} von {len(zu_tun)} geschrieben")
    s.flush()
    melde(1.0, "fertig")
    return zahl
