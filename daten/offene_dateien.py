"""Offene Daten für Bürgerinnen, Bürger und Gremien: was die öffentliche Karte zeigt und was sie zum
Herunterladen anbietet – GeoPackage, GeoJSON, CSV, HSDS 3.0 und ein DCAT-AP.de-Metadatensatz.

Alles hier liest **nur** die öffentlichen Sichten über `daten.oeffentlich` (nie Basistabellen, nie einen Akteur);
was die Sichten nicht freigeben, kann hier nicht erscheinen. Geometrien in EPSG:4326 (WGS 84, Länge/Breite).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from sqlalchemy.engine import Engine

from daten import dcat
from daten.config import Kommune, Merkmal
from daten.dateien import schreibe_atomar
from daten.fehler import EingabeFehler
from daten.xlsx import csv_bytes


@dataclass(frozen=True)
class OffeneDaten:
    """Die vier öffentlichen Sichten (EPSG:4326) und die Beschreibung ihrer Kennzahl-Spalten.

    `stadtteile`/`sozialraeume` haben eine Zeile je Gebiet und Jahr (Kennzahlen als Spalten)."""

    einrichtungen: gpd.GeoDataFrame
    stadtteile: gpd.GeoDataFrame
    sozialraeume: gpd.GeoDataFrame
    netzwerke: gpd.GeoDataFrame
    kennzahlen: tuple[Any, ...]  # daten.oeffentlich.Kennzahl: schluessel, bezeichnung, einheit, art

    def flaechen(self, ebene: str) -> gpd.GeoDataFrame:
        """Eine Zeile je Stadtteil bzw. Sozialraum (ohne Jahr und Kennzahlen) für die Karte."""
        gdf = self.stadtteile if ebene == "stadtteile" else self.sozialraeume
        behalten = [c for c in ("nummer", "name", "sozialraum", "stadtteile") if c in gdf]
        return gdf.drop_duplicates("name")[[*behalten, gdf.geometry.name]].reset_index(drop=True)

    def zahlen(self) -> list[Any]:
        """Die Kennzahlen mit Zahlenwerten (Choroplethe), in der veröffentlichten Reihenfolge."""
        return [k for k in self.kennzahlen if k.art == "zahl" and k.schluessel in self.stadtteile]

    def indikatoren(self) -> pd.DataFrame:
        """Zahl-Kennzahlen je Stadtteil lang: stadtteil, sozialraum, jahr, merkmal, wert (wie `Kartendaten`)."""
        spalten = [k.schluessel for k in self.zahlen()]
        st = self.stadtteile[self.stadtteile["jahr"].notna()]
        if not spalten or st.empty:
            return pd.DataFrame(columns=["stadtteil", "sozialraum", "jahr", "merkmal", "wert"])
        lang = pd.DataFrame(st[["name", "sozialraum", "jahr", *spalten]]).melt(
            id_vars=["name", "sozialraum", "jahr"], var_name="merkmal", value_name="wert")
        lang = lang.rename(columns={"name": "stadtteil"}).dropna(subset=["wert"])
        return lang.astype({"jahr": int, "wert": float}).reset_index(drop=True)

    def jahre(self, schluessel: str) -> list[int]:
        """Jahre mit Werten dieser Kennzahl, das jüngste zuerst."""
        ind = self.indikatoren()
        return sorted({int(j) for j in ind.loc[ind["merkmal"] == schluessel, "jahr"]}, reverse=True)


def lade_offene_daten(engine: Engine) -> OffeneDaten:
    """Liest die vier öffentlichen Sichten (daten.oeffentlich.lies) und ihre Kennzahl-Beschreibungen."""
    from daten import oeffentlich as oe

    frames = {name: oe.lies(engine, name) for name in ("einrichtungen", "stadtteile", "sozialraeume", "netzwerke")}
    with engine.connect() as conn:
        kennzahlen = tuple(k for k in oe.kennzahlen(conn) if k.schluessel in frames["stadtteile"])
    return OffeneDaten(**frames, kennzahlen=kennzahlen)


def mit_kennzahlen(kommune: Kommune, daten: OffeneDaten) -> Kommune:
    """Die Kommune, deren `merkmale` auch die veröffentlichten Kennzahlen nennen, die die Konfiguration nicht als
    Merkmal führt (z. B. den Bedarfsindex): so tragen Legende und Tooltips überall die deutsche Bezeichnung."""
    bekannt = {mk.schluessel for mk in kommune.merkmale}
    dazu = [Merkmal(schluessel=k.schluessel, bezeichnung=k.bezeichnung, einheit=k.einheit or "")
            for k in daten.zahlen() if k.schluessel not in bekannt]
    return kommune.model_copy(update={"merkmale": [*kommune.merkmale, *dazu]}) if dazu else kommune


def bezeichnung(kommune: Kommune, schluessel: str) -> tuple[str, str]:
    """(Bezeichnung, Einheit) einer Kennzahl aus der Konfiguration (bzw. `mit_kennzahlen`)."""
    mk = next((m for m in kommune.merkmale if m.schluessel == schluessel), None)
    return (mk.bezeichnung, mk.einheit) if mk else (schluessel, "")


def einrichtungen_tabelle(daten: OffeneDaten, kommune: Kommune) -> pd.DataFrame:
    """Textfassung der Einrichtungen auf der Karte: Name, Art, Adresse, Stadtteil, Sozialraum (deutsche Köpfe).

    Die Art heißt wie in der Legende der Karte (Kommune-Konfiguration), sonst wie in der Sicht."""
    e = daten.einrichtungen
    arten = {a.schluessel: a.bezeichnung for a in kommune.einrichtungsarten}
    art = e["art"].map(arten).fillna(e["art_bezeichnung"]).fillna(e["art"])
    tab = pd.DataFrame({"Name": e["name"], "Art": art, "Adresse": e["adresse"],
                        "Stadtteil": e["stadtteil"], "Sozialraum": e["sozialraum"]})
    return tab.sort_values(["Art", "Name"], kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------------------------------ Dateien


@dataclass(frozen=True)
class Datei:
    """Eine Datei der offenen Daten: Dateiname, Titel, Beschreibung, Format (EU „file-type“) und Medientyp."""

    name: str
    titel: str
    beschreibung: str
    format: str
    medientyp: str


DATEIEN: tuple[Datei, ...] = (
    Datei("offene-daten.gpkg", "GeoPackage (alle Ebenen)", "Einrichtungen, Stadtteile und Sozialräume mit "
          "Kennzahlen je Jahr, Netzwerke; WGS 84 (EPSG:4326); für QGIS und andere GIS.", "GPKG",
          "application/geopackage+sqlite3"),
    Datei("einrichtungen.geojson", "Einrichtungen (GeoJSON)", "Offene Einrichtungen als Punkte (RFC 7946, WGS 84).",
          "GEOJSON", "application/geo+json"),
    Datei("stadtteile.geojson", "Stadtteile mit Kennzahlen (GeoJSON)", "Eine Fläche je Stadtteil und Jahr mit den "
          "veröffentlichten Kennzahlen (RFC 7946, WGS 84).", "GEOJSON", "application/geo+json"),
    Datei("sozialraeume.geojson", "Sozialräume mit Kennzahlen (GeoJSON)", "Eine Fläche je Sozialraum und Jahr mit "
          "den veröffentlichten Kennzahlen (RFC 7946, WGS 84).", "GEOJSON", "application/geo+json"),
    Datei("einrichtungen.csv", "Einrichtungen (CSV)", "Offene Einrichtungen mit Länge/Breite (WGS 84); Trennzeichen "
          "';', Dezimalkomma, UTF-8 mit BOM.", "CSV", "text/csv"),
    Datei("stadtteile.csv", "Kennzahlen je Stadtteil und Jahr (CSV)", "Eine Zeile je Stadtteil und Jahr; "
          "Trennzeichen ';', Dezimalkomma, UTF-8 mit BOM.", "CSV", "text/csv"),
    Datei("sozialraeume.csv", "Kennzahlen je Sozialraum und Jahr (CSV)", "Eine Zeile je Sozialraum und Jahr; "
          "Trennzeichen ';', Dezimalkomma, UTF-8 mit BOM.", "CSV", "text/csv"),
    Datei("netzwerke.csv", "Netzwerke (CSV)", "Netzwerke mit den Schlüsseln ihrer offenen Mitgliedseinrichtungen.",
          "CSV", "text/csv"),
    Datei("einrichtungen.hsds.json", "Einrichtungsverzeichnis (Open Referral HSDS 3.0)", "Ein Service je offener "
          "Einrichtung mit Ort, Adresse und Art (JSON-Liste von HSDS-3.0-Services).", "JSON", "application/json"),
)
METADATEN = Datei("metadaten.dcat.json", "Metadaten (DCAT-AP.de)", "Beschreibung des Datensatzes für das "
                  "Datenportal (JSON-LD).", "JSON", "application/ld+json")


def _fuer_datei(gdf: pd.DataFrame) -> pd.DataFrame:
    """Spalten, die jedes Format schreiben kann: Datum als ISO-Text, fehlender Text als NULL."""
    aus = gdf.copy()
    geo = aus.geometry.name if isinstance(aus, gpd.GeoDataFrame) else None
    for spalte in aus.columns:
        if spalte == geo:
            continue
        werte = aus[spalte].dropna()
        if len(werte) and werte.map(lambda v: isinstance(v, date)).all():
            aus[spalte] = aus[spalte].map(lambda v: v.isoformat() if isinstance(v, date) else None).astype(object)
    return aus


def _mit_koordinaten(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Tabelle ohne Geometrie; Punkte bekommen `laenge`/`breite` (WGS 84)."""
    tab = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    if len(gdf) and (gdf.geom_type == "Point").all():
        tab["laenge"], tab["breite"] = gdf.geometry.x.round(7), gdf.geometry.y.round(7)
    return _fuer_datei(tab)


def _ueber_datei(endung: str, schreiben: Callable[[Path], None]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="rk-offen-") as ordner:
        pfad = Path(ordner) / f"datei{endung}"
        schreiben(pfad)
        return pfad.read_bytes()


def geojson_bytes(gdf: gpd.GeoDataFrame) -> bytes:
    """GeoJSON nach RFC 7946 (WGS 84 Länge/Breite, kein `crs`-Element)."""
    aus = _fuer_datei(gdf.to_crs(4326))
    return _ueber_datei(".geojson", lambda p: aus.to_file(p, driver="GeoJSON", engine="pyogrio", layer_options={
        "RFC7946": "YES", "WRITE_NAME": "NO"}))


def gpkg_bytes(daten: OffeneDaten, kommune: Kommune) -> bytes:
    """GeoPackage mit den vier Sichten als Ebenen (EPSG:4326), Metadaten und Nutzungsbedingungen der offenen Daten."""
    from daten.gpkg import GpkgEbene, Metadaten, schreibe_gpkg

    texte = {"einrichtungen": ("Einrichtungen", "Offene Einrichtungen (eine Zeile je Einrichtung)."),
             "stadtteile": ("Stadtteile", "Stadtteile mit Kennzahlen (eine Zeile je Stadtteil und Jahr)."),
             "sozialraeume": ("Sozialräume", "Sozialräume mit Kennzahlen (eine Zeile je Sozialraum und Jahr)."),
             "netzwerke": ("Netzwerke", "Netzwerke (Mehrfachpunkt ihrer offenen Mitgliedseinrichtungen).")}
    ebenen = []
    for name, (titel, text) in texte.items():
        gdf = _fuer_datei(getattr(daten, name))
        if name == "netzwerke":
            gdf = gdf[gdf.geometry.notna()]  # ohne offene Mitglieder keine Lage
        ebenen.append(GpkgEbene(name, gdf, titel, text))
    meta = Metadaten(f"{kommune.name}, {kommune.amt}", lizenz_text(kommune))
    return _ueber_datei(".gpkg", lambda p: schreibe_gpkg(p, ebenen, crs=4326, metadaten=meta))


def hsds_dienste(daten: OffeneDaten, kommune: Kommune, *, heute: date | None = None) -> list[dict[str, Any]]:
    """HSDS-3.0-Services aus der öffentlichen Sicht der Einrichtungen (dieselbe Abbildung wie `daten.hsds`).

    Der Trägername steht nicht in der Sicht: die Organisation heißt „Träger von …“ mit der Trägerart."""
    from daten.hsds import Eintrag, service

    heute = heute or date.today()

    def liste(wert: object) -> tuple[str, ...]:
        return tuple(t.strip() for t in str(wert).split(";") if t.strip()) if isinstance(wert, str) else ()

    e = daten.einrichtungen[daten.einrichtungen.geometry.notna() & ~daten.einrichtungen.geometry.is_empty]
    aus = []
    for z, p in zip(e.itertuples(index=False), e.geometry, strict=True):
        kap = getattr(z, "kapazitaet", None)
        aus.append(service(kommune, Eintrag(
            schluessel=z.schluessel, name=z.name, art=z.art, traeger=None, traeger_art=z.traeger_art,
            adresse=z.adresse, stadtteil=z.stadtteil, sozialraum=z.sozialraum, laenge=p.x, breite=p.y,
            angebote=liste(z.angebote), zielgruppen=liste(z.zielgruppen),
            kapazitaet=None if kap is None or pd.isna(kap) else int(kap)), heute))
    return aus


# ------------------------------------------------------------------------------------------ Metadaten


# Aktualisierung in der Konfiguration (deutsch oder Kürzel) → EU-Vokabular „frequency“
FREQUENZ_DEUTSCH = {"täglich": "DAILY", "wöchentlich": "WEEKLY", "monatlich": "MONTHLY",
                    "vierteljährlich": "QUARTERLY", "jährlich": "ANNUAL", "unregelmäßig": "IRREG",
                    "laufend": "CONT", "unbekannt": "UNKNOWN"}


def frequenz(text: str) -> str:
    """Kürzel im EU-Vokabular „frequency“ zu `offene_daten.aktualisierung` (jährlich → ANNUAL)."""
    wert = (text or "").strip()
    kuerzel = FREQUENZ_DEUTSCH.get(wert.lower(), wert.upper())
    if kuerzel not in dcat.FREQUENZEN:
        raise EingabeFehler(f"offene_daten.aktualisierung '{text}' ist unbekannt. Erlaubt: "
                            f"{', '.join(FREQUENZ_DEUTSCH)} (oder ein Kürzel: {', '.join(dcat.FREQUENZEN)}).")
    return kuerzel


def lizenz_text(kommune: Kommune) -> str:
    """Nutzungsbedingungen der offenen Daten (nicht `datenlizenz`: die gilt für die internen Exporte)."""
    od = kommune.offene_daten
    quelle = od.namensnennung or f"{kommune.name}, {kommune.amt}"
    return f"{od.lizenz_name or od.lizenz} ({dcat.lizenz_uri(od.lizenz)}); Namensnennung: {quelle}."


def basisadresse(basis: str | None) -> str:
    """Die öffentliche Basisadresse ohne „/“ am Ende („“ = keine); alles außer http(s) wird abgelehnt."""
    basis = (basis or "").strip().rstrip("/")
    if basis and not basis.startswith(("http://", "https://")):
        raise EingabeFehler(f"Öffentliche Adresse '{basis}': bitte eine Adresse mit http:// oder https:// angeben "
                            "(z. B. https://ressourcenkarte.mainz.de) oder keine.")
    return basis


def api_adresse(basis: str | None) -> str | None:
    """Adresse der Sammlungen der OGC-API (pygeoapi) unter der öffentlichen Basisadresse, sonst None."""
    basis = (basis or "").strip().rstrip("/")
    return f"{basis}/api/collections" if basis.startswith(("http://", "https://")) else None


def metadaten(daten: OffeneDaten, kommune: Kommune, *, basis: str | None = None,
              heute: date | None = None) -> dict[str, Any]:
    """Der DCAT-AP.de-Datensatz zu den Dateien in DATEIEN (und der API, wenn eine Basisadresse bekannt ist)."""
    od = kommune.offene_daten
    heute = heute or date.today()
    basis = basisadresse(basis)
    hinweise = []
    if not basis:
        hinweise.append("ANNAHME: keine öffentliche Basisadresse eingestellt (RESSOURCENKARTE_OEFFENTLICHE_URL); die "
                        "Dateien stehen mit ihrem Namen als Adresse da und liegen beim Veröffentlichen im selben "
                        "Ordner wie diese Datei.")
    verteilungen = [dcat.Verteilung(d.titel, d.beschreibung, d.format, d.medientyp,
                                    f"{basis}/offene-daten/{d.name}" if basis else d.name) for d in DATEIEN]
    api = api_adresse(basis)
    if api:
        verteilungen.append(dcat.Verteilung("Schnittstelle (OGC API – Features)", "Die öffentlichen Sichten als "
                                            "OGC API – Features (pygeoapi).", "JSON", "application/geo+json", api,
                                            herunterladen=False))
    schluessel = od.gemeindeschluessel
    if not schluessel:
        hinweise.append("ANNAHME: kein Gemeindeschlüssel in der Konfiguration (offene_daten); räumliche Abdeckung "
                        "nur als Ausdehnung (WGS 84). Für DCAT-AP.de politicalGeocodingURI ergänzen.")
    if not od.kontakt.email:
        hinweise.append("ANNAHME: keine E-Mail-Adresse der Kontaktstelle (offene_daten.kontakt.email).")
    flaechen = daten.flaechen("stadtteile")
    bbox = tuple(flaechen.total_bounds) if flaechen.geometry.notna().any() else None
    jahre = sorted({int(j) for j in daten.stadtteile["jahr"].dropna()})
    kennzahlen = ", ".join(k.bezeichnung for k in daten.kennzahlen) or "keine"
    beschreibung = (od.beschreibung or f"Einrichtungen, Stadtteile und Sozialräume der Ressourcenkarte "
                                       f"{kommune.name}.") + f" Kennzahlen: {kennzahlen}."
    return dcat.datensatz(
        titel=od.titel, beschreibung=beschreibung, herausgeber=f"{kommune.name}, {kommune.amt}",
        kontakt_name=od.kontakt.name or kommune.amt, kontakt_email=od.kontakt.email or None, lizenz=od.lizenz,
        jahre=jahre, bbox=bbox, gemeindeschluessel=schluessel, frequenz=frequenz(od.aktualisierung),
        schluesselwoerter=od.schlagworte or ["Jugendhilfe", "Sozialraum", kommune.name],
        verteilungen=verteilungen, landingpage=f"{basis}/oeffentlich" if basis else None, stand=heute,
        hinweise=hinweise)


# ------------------------------------------------------------------------------------------ alles zusammen


def datei_bytes(name: str, daten: OffeneDaten, kommune: Kommune, *, basis: str | None = None) -> bytes:
    """Der Inhalt einer Datei aus DATEIEN (oder METADATEN) als Bytes."""
    tabellen = {"einrichtungen", "stadtteile", "sozialraeume", "netzwerke"}
    stamm, _, endung = name.partition(".")
    if name == "offene-daten.gpkg":
        return gpkg_bytes(daten, kommune)
    if stamm in tabellen and endung == "geojson":
        return geojson_bytes(getattr(daten, stamm))
    if stamm in tabellen and endung == "csv":
        return csv_bytes(_mit_koordinaten(getattr(daten, stamm)))
    if name == "einrichtungen.hsds.json":
        return json.dumps(hsds_dienste(daten, kommune), ensure_ascii=False, indent=1).encode("utf-8")
    if name == METADATEN.name:
        return json.dumps(metadaten(daten, kommune, basis=basis), ensure_ascii=False, indent=1).encode("utf-8")
    raise EingabeFehler(f"Unbekannte Datei der offenen Daten: {name}. Vorhanden: "
                        f"{', '.join(d.name for d in (*DATEIEN, METADATEN))}.")


def schreibe_ordner(ordner: Path, daten: OffeneDaten, kommune: Kommune, *, basis: str | None = None) -> str:
    """Schreibt alle Dateien (DATEIEN und METADATEN) atomar nach `ordner`; gibt eine deutsche Zusammenfassung."""
    if not ordner.is_dir():
        raise EingabeFehler(f"Ordner {ordner} existiert nicht. Bitte zuerst anlegen oder einen anderen Ordner wählen.")
    basis = basisadresse(basis)  # vor der ersten Datei prüfen: kein halb geschriebener Ordner
    for d in (*DATEIEN, METADATEN):
        schreibe_atomar(ordner / d.name, datei_bytes(d.name, daten, kommune, basis=basis))
    return (f"{len(DATEIEN) + 1} Dateien der offenen Daten nach {ordner} geschrieben: {len(daten.einrichtungen)} "
            f"Einrichtungen, {daten.stadtteile['name'].nunique()} Stadtteile, {len(daten.kennzahlen)} Kennzahlen.")
