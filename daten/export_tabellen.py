"""Tabellen für CSV und Excel: lesbare Spaltenköpfe, Namen statt Nummern, Rechte beim Lesen der Protokolle.

Jede Tabelle ist ein DataFrame mit deutschen Spaltenköpfen; Geldspalten stehen in `GELD`, damit das
Excel-Blatt sie mit €-Format schreibt. Protokollinhalte (Sitzungen mit Teilnehmenden, Protokollpunkte)
enthalten nur Zeilen der Sozialräume, deren Protokolle `akteur` lesen darf (`darf_protokoll_lesen`).
"""

from __future__ import annotations

from datetime import date, time

import geopandas as gpd
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten import repository as repo
from daten.config import Kommune
from daten.politik import Akteur, darf_protokoll_lesen
from daten.xlsx import Blatt

GELD = {"Kosten geplant (€)", "Kosten ist (€)", "Betrag (€)"}
KOORDINATEN = {"Länge": "0.000000", "Breite": "0.000000"}  # Grad WGS 84, sechs Stellen ≈ 0,1 m
JA_NEIN = {True: "ja", False: "nein"}

# Spaltenköpfe bekannter Felder; unbekannte Felder (neue Modelle) bekommen einen aus dem Namen gebildeten.
KOEPFE = {
    "name": "Name", "art": "Art", "art_bezeichnung": "Art", "traeger_art": "Trägerart", "traeger": "Träger",
    "adresse": "Adresse", "zielgruppen": "Zielgruppen", "angebote": "Angebote", "kapazitaet": "Plätze",
    "gueltig_von": "Gültig von", "gueltig_bis": "Gültig bis", "stadtteil": "Stadtteil", "sozialraum": "Sozialraum",
    "netzwerke": "Netzwerke", "gremium_ab_stufe": "Im Gremium ab Stufe", "im_gremium": "Im Gremium",
    "status": "Status", "stufe": "Stufe", "teamleitung": "Teamleitung ASD", "stadtteile": "Stadtteile",
    "beschreibung": "Beschreibung", "anzahl_mitglieder": "Anzahl Mitglieder", "mitglieder": "Mitglieder",
    "jahr": "Jahr", "merkmal": "Merkmal", "wert": "Wert", "quelle": "Quelle", "datum": "Datum",
    "protokollfuehrung": "Protokollführung", "teilnehmende": "Teilnehmende", "frage": "Frage",
    "handlungsebene": "Handlungsebene", "text": "Text", "fallbesprechung": "Fallbesprechung",
    "anonymisiert": "Anonymisiert", "schweigepflichtentbindung": "Schweigepflichtentbindung", "titel": "Titel",
    "beschlussvorlage": "Beschlussvorlage", "kosten_geplant": "Kosten geplant (€)", "kosten_ist": "Kosten ist (€)",
    "durchfuehrung": "Durchführung", "genehmigt": "Genehmigt", "kategorie": "Kategorie", "betrag_eur": "Betrag (€)",
    "bereich": "Bereich", "ergebnisse": "Ergebnisse", "lon": "Länge", "lat": "Breite", "schluessel": "Schlüssel",
    "nummer": "Amtliche Nummer", "beginn": "Beginn", "dauer_minuten": "Dauer (Minuten)", "ort": "Ort",
    "ueberschreitung_grund": "Grund der Überschreitung", "protokoll_bereich_grund": "Grund für abweichende "
    "Protokollführung", "sequenz": "Fassung der Einladung", "umgesetzt_am": "Umgesetzt am",
    "versendet_am": "Versendet am", "genehmigt_von": "Genehmigt von", "genehmigt_am": "Genehmigt am",
    "bestaetigt_am": "Bestätigt am", "frische": "Aktualität", "aktiv": "Aktiv", "absagegrund": "Absagegrund",
    "geaendert_von": "Geändert von", "geaendert_am": "Geändert am", "erstellt_am": "Erstellt am",
    "zeitpunkt": "Zeitpunkt", "notiz": "Notiz", "thema": "Thema", "ziel": "Ziel", "dauer_tage": "Dauer (Tage)",
    "beschlossen_von": "Beschlossen von", "sprung_grund": "Grund für den Stufensprung", "ab": "Ab",
    "ende": "Ende", "gueltig_ab": "Gültig ab", "zeitraum_von": "Zeitraum von", "zeitraum_bis": "Zeitraum bis",
    "anzahl_personen": "Anzahl Personen", "protokoll_bereich": "Protokoll (Arbeitsfeld)",
    "protokoll_login": "Protokollführung (Konto)", "datenschutz_grund": "Datenschutz: Grund",
    "datenschutz_befunde": "Datenschutz: Hinweise", "eingeladene": "Eingeladene", "zweck": "Zweck",
    "protokollpunkt_id": "Protokollpunkt (Nummer)", "versendet_von": "Versendet von",
}
# Spalten mit dem Login einer Person: in Tabellen steht ihr Name (Anzeigename des Kontos)
LOGIN_SPALTEN = {"versendet_von", "genehmigt_von", "geaendert_von", "beschlossen_von", "dokumentiert_von",
                 "erstattet_von", "protokoll_login", "von_login", "an_login"}
# Verweise auf andere Tabellen: Spalte → (Kopf, Nachschlagetabelle)
VERWEISE = {"sozialraum_id": ("Sozialraum", "sozialraum"), "stadtteil_id": ("Stadtteil", "stadtteil"),
            "ort_id": ("Ort", "einrichtung"), "von_id": ("Von (Einrichtung)", "einrichtung"),
            "nach_id": ("Nach (Einrichtung)", "einrichtung"), "einrichtung_id": ("Einrichtung", "einrichtung"),
            "sitzung_id": ("Sitzung", "sitzung"), "teilgremium_id": ("Teilgremium", "teilgremium"),
            "massnahme_id": ("Maßnahme", "massnahme"), "vorsitzung_id": ("Vorsitzung", "sitzung")}
WEGLASSEN = {"id", "version", "geometry", "geometrie", "passwort_hash", "schluessel"}


def kopf(spalte: str) -> str:
    """Lesbarer Spaltenkopf; unbekannte Felder: Unterstriche zu Leerzeichen, erster Buchstabe groß."""
    return KOEPFE.get(spalte, spalte.replace("_", " ").strip().capitalize())


def _teilnehmende(liste: object) -> str:
    """[{"bereich": "Kita", "name": "A. B."}, …] → „A. B. (Kita); …“ statt JSON."""
    if not isinstance(liste, list):
        return "" if liste is None else str(liste)
    teile = []
    for t in liste:
        if isinstance(t, dict):
            name, bereich = str(t.get("name") or "").strip(), str(t.get("bereich") or "").strip()
            teile.append(f"{name} ({bereich})" if name and bereich else name or bereich)
        else:
            teile.append(str(t))
    return "; ".join(x for x in teile if x)


def _lesbar(wert: object) -> object:
    if isinstance(wert, bool):
        return JA_NEIN[wert]
    if isinstance(wert, list):
        return "; ".join(_lesbar(x) if not isinstance(x, dict) else _teilnehmende([x]) for x in wert)
    if isinstance(wert, dict):
        return "; ".join(f"{k}: {v}" for k, v in wert.items())
    return wert


class _Namen:
    """Nachschlagen von Namen für Verweise (Sozialraum, Stadtteil, Einrichtung, Sitzung)."""

    def __init__(self, session: Session) -> None:
        self.sozialraum = dict(session.execute(select(m.Sozialraum.id, m.Sozialraum.name)).all())
        self.stadtteil = dict(session.execute(select(m.Stadtteil.id, m.Stadtteil.name)).all())
        self.einrichtung = dict(session.execute(select(m.Einrichtung.id, m.Einrichtung.name)).all())
        self.sitzung = {i: f"{d:%d.%m.%Y} {self.sozialraum.get(sr, '')}".strip()
                        for i, d, sr in session.execute(select(m.Sitzung.id, m.Sitzung.datum, m.Sitzung.sozialraum_id))}
        self.teilgremium = dict(session.execute(select(m.Teilgremium.id, m.Teilgremium.name)).all())
        self.massnahme = dict(session.execute(select(m.Massnahme.id, m.Massnahme.titel)).all())
        self.person = dict(session.execute(select(m.Benutzer.login, m.Benutzer.anzeigename)).all())


def _uhrzeit(wert: object) -> object:
    """„HH:MM“ (so speichert die Sitzung ihren Beginn) → Uhrzeit, damit Excel sie als Zeit führt."""
    if isinstance(wert, str):
        try:
            return time.fromisoformat(wert.strip())
        except ValueError:
            return wert
    return wert


def _menschlich(df: pd.DataFrame, namen: _Namen, codes: dict[str, dict[str, str]] | None = None) -> pd.DataFrame:
    """Namen statt Nummern, Bezeichnungen statt Schlüsseln der Konfiguration (`codes`), lesbare Werte
    (ja/nein, Listen als Text), deutsche Spaltenköpfe."""
    aus = {}
    for spalte in df.columns:
        if spalte in WEGLASSEN:
            continue
        if codes and spalte in codes:
            aus[kopf(spalte)] = df[spalte].map(lambda v, c=codes[spalte]: c.get(v, v))
        elif spalte in VERWEISE:
            titel, tabelle = VERWEISE[spalte]
            aus[titel] = df[spalte].map(getattr(namen, tabelle)).astype(object).where(df[spalte].notna(), None)
        elif spalte == "teilnehmende":
            aus[kopf(spalte)] = df[spalte].map(_teilnehmende)
        elif spalte in LOGIN_SPALTEN:
            aus[kopf(spalte)] = df[spalte].map(lambda v: namen.person.get(v, v) if isinstance(v, str) else v)
        elif spalte in ("beginn", "ende"):
            aus[kopf(spalte)] = df[spalte].map(_uhrzeit)
        else:
            aus[kopf(spalte)] = df[spalte].map(_lesbar) if df[spalte].dtype == object else df[spalte]
    return pd.DataFrame(aus)


def _ganzzahl(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce").round().astype("Int64")


def einrichtungen_tabelle(ein: gpd.GeoDataFrame, kommune: Kommune) -> pd.DataFrame:
    """Einrichtungen mit Koordinaten (Länge/Breite, EPSG:4326) und Status; Köpfe deutsch."""
    df = pd.DataFrame(ein.drop(columns="geometry"))
    df["art"] = df.pop("art_bezeichnung") if "art_bezeichnung" in df else df["art"]
    df["traeger_art"] = df["traeger_art"].map(kommune.traegerarten).fillna(df["traeger_art"])
    df["kapazitaet"] = _ganzzahl(df["kapazitaet"])
    df["gremium_ab_stufe"] = _ganzzahl(df["gremium_ab_stufe"])
    df["im_gremium"] = df["im_gremium"].map(JA_NEIN)
    df["lon"] = ein.geometry.x.round(6)
    df["lat"] = ein.geometry.y.round(6)
    df = df.drop(columns=[c for c in ("id", "version", "schluessel") if c in df])
    return df.rename(columns=kopf)


def tabellen(session: Session, kommune: Kommune, ein: gpd.GeoDataFrame, *, akteur: Akteur | None
             ) -> dict[str, pd.DataFrame | Blatt]:
    """Alle Blätter (Name → Tabelle) für Excel; die CSV-Datei ist das Blatt „Einrichtungen“."""
    namen = _Namen(session)
    sr = repo.sozialraeume(session=session)
    sr["stufe"] = _ganzzahl(sr["stufe"])
    st = repo.stadtteile(session=session)
    netz = repo.netzwerke(session=session).drop(columns="geometry")
    netz["sozialraum"] = netz["sozialraum"].replace("", "stadtweit")
    ind = repo.indikatoren(session=session)
    merkmale = {mk.schluessel: f"{mk.bezeichnung} ({mk.einheit})" for mk in kommune.merkmale}
    ind["merkmal"] = ind["merkmal"].map(merkmale).fillna(ind["merkmal"])
    blaetter: dict[str, pd.DataFrame | Blatt] = {
        "Einrichtungen": Blatt(einrichtungen_tabelle(ein, kommune), KOORDINATEN),
        "Sozialräume": _menschlich(pd.DataFrame(sr.drop(columns="geometry")), namen),
        "Stadtteile": _menschlich(pd.DataFrame(st.drop(columns=["geometry", "sozialraum_id"])), namen),
        "Netzwerke": _menschlich(netz, namen),
        "Indikatoren": _menschlich(ind, namen),
    }
    lesbar = {i for i in namen.sozialraum if darf_protokoll_lesen(akteur, i)}
    codes = {m.Protokollpunkt: {"handlungsebene": dict(kommune.handlungsebenen)},
             m.Massnahme: {"art": dict(kommune.massnahmenarten)},
             m.Budget: {"kategorie": {b.schluessel: b.bezeichnung for b in kommune.budgetkategorien}}}
    for titel, modell, geschuetzt in (("Sitzungen", m.Sitzung, True), ("Protokollpunkte", m.Protokollpunkt, True),
                                      ("Maßnahmen", m.Massnahme, False), ("Budgets", m.Budget, False),
                                      ("Hospitationen", m.Hospitation, False)):
        df = repo.tabelle(modell, session=session)
        if geschuetzt:
            df = _nur_lesbare(session, modell, df, lesbar)
            if df is None:
                continue
        blaetter[titel] = _menschlich(df, namen, codes.get(modell))
    return blaetter


def _nur_lesbare(session: Session, modell: type, df: pd.DataFrame, lesbar: set[int]) -> pd.DataFrame | None:
    """Zeilen der Sozialräume, deren Protokolle gelesen werden dürfen; None, wenn keiner."""
    if not lesbar:
        return None
    if "sozialraum_id" in df:
        return df[df["sozialraum_id"].isin(lesbar)]
    if "sitzung_id" in df:
        erlaubt = set(session.scalars(select(m.Sitzung.id).where(m.Sitzung.sozialraum_id.in_(lesbar))))
        return df[df["sitzung_id"].isin(erlaubt)]
    return None  # ohne erkennbaren Sozialraum: lieber nicht ausgeben


def status_am(ein: pd.DataFrame, heute: date) -> pd.Series:
    """offen / geschlossen / noch nicht eröffnet nach gültig_von/-bis am Tag `heute`."""
    def eins(von: object, bis: object) -> str:
        if isinstance(bis, date) and bis < heute:
            return "geschlossen"
        if isinstance(von, date) and von > heute:
            return "noch nicht eröffnet"
        return "offen"
    return pd.Series([eins(v, b) for v, b in zip(ein["gueltig_von"], ein["gueltig_bis"], strict=True)],
                     index=ein.index, dtype=object)


def quellen(session: Session) -> dict[str, list[str]]:
    """Genannte Quellen der Indikatorwerte und der Stadtteilgrenzen (für Erläuterungen und Metadaten)."""
    return {"Indikatoren": sorted({q for q in session.scalars(select(m.Indikatorwert.quelle).distinct()) if q}),
            "Stadtteilgrenzen": sorted({q for q in session.scalars(select(m.Stadtteil.quelle).distinct()) if q})}
