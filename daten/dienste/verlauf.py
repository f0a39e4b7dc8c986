"""Verlauf je Eintrag aus dem Änderungsprotokoll und Vergleich bei Konflikten (nur lesen).

Das Protokoll (`aenderung`) hält je Schreibvorgang den ganzen Stand vorher und nachher (Geometrie als
WKT in EPSG:4326, Datumswerte als ISO-Text). Einen alten Stand zurückschreiben: `daten.dienste.wiederherstellen`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten.config import Kommune
from daten.politik import SYSTEM

FELDNAMEN: dict[str, str] = {
    "name": "Name", "art": "Art", "traeger_art": "Trägerart", "traeger": "Träger", "adresse": "Adresse",
    "zielgruppen": "Zielgruppen", "angebote": "Angebote", "kapazitaet": "Kapazität", "gueltig_von": "gültig von",
    "gueltig_bis": "gültig bis", "aktiv": "aktiv", "stadtteil_id": "Stadtteil", "geometrie": "Lage",
    "quelle": "Quelle", "bestaetigt_am": "zuletzt bestätigt", "schliessgrund": "Grund der Schließung",
    "status": "Status", "sozialraum_id": "Sozialraum", "beschreibung": "Beschreibung",
    "koordination_id": "Koordination", "login": "Login", "anzeigename": "Name", "rolle": "Rolle",
    "passwort_hash": "Passwort", "mitglieder": "Mitglieder",
}
_VERBORGEN = {"id", "version", "bestaetigt_von", "schluessel"}
AKTIONEN = {"anlegen": "angelegt", "aendern": "geändert", "loeschen": "gelöscht"}


@dataclass(frozen=True)
class Feldaenderung:
    feld: str
    bezeichnung: str
    vorher: str
    nachher: str


@dataclass(frozen=True)
class Verlaufseintrag:
    """Eine Protokollzeile, lesbar: wer, wann, was (Feld: vorher → nachher), und der Stand danach."""

    aenderung_id: int
    zeitpunkt: datetime
    benutzer: str
    aktion: str
    version: int | None
    felder: list[Feldaenderung] = field(default_factory=list)
    zustand: dict[str, Any] | None = None
    person: str = ""  # Anzeigename des Kontos (sonst der Login): so steht ein Name im Verlauf, kein Kürzel

    def __post_init__(self) -> None:
        if not self.person:
            object.__setattr__(self, "person", self.benutzer)


class _Namen:
    """Schlägt Namen zu ids nach (Stadtteil, Sozialraum, Einrichtung), einmal je Tabelle; mit der
    Kommune-Konfiguration auch die Bezeichnung von Art und Trägerart."""

    def __init__(self, session: Session, kommune: Kommune | None = None) -> None:
        self._s = session
        self._cache: dict[str, dict[int, str]] = {}
        self._texte: dict[str, dict[str, str]] = {}
        if kommune is not None:
            self._texte = {"art": {a.schluessel: a.bezeichnung for a in kommune.einrichtungsarten},
                           "traeger_art": dict(kommune.traegerarten)}

    def __call__(self, feld: str, wert: Any) -> str:
        if feld in self._texte:
            return self._texte[feld].get(wert, str(wert))
        modell = {"stadtteil_id": m.Stadtteil, "sozialraum_id": m.Sozialraum,
                  "koordination_id": m.Einrichtung}.get(feld)
        if modell is None or wert is None:
            return str(wert)
        if feld not in self._cache:
            self._cache[feld] = dict(self._s.execute(select(modell.id, modell.name)).all())
        return self._cache[feld].get(int(wert), f"Nr. {wert} (gelöscht)")


def zeige_wert(feld: str, wert: Any, namen: _Namen | None = None) -> str:
    """Ein gespeicherter Wert als kurzer deutscher Text (Liste mit „; “, Datum TT.MM.JJJJ, Lage in Grad)."""
    if wert is None or wert == "" or wert == []:
        return "—"
    if feld == "passwort_hash":
        return "(verborgen)"
    if feld == "geometrie" and isinstance(wert, str):
        try:
            p = shapely.from_wkt(wert)
            return f"Breite {p.y:.5f}, Länge {p.x:.5f}"
        except shapely.errors.ShapelyError:
            return wert
    if namen is not None and (feld.endswith("_id") or feld in ("art", "traeger_art")):
        return namen(feld, wert)
    if isinstance(wert, bool):
        return "ja" if wert else "nein"
    if isinstance(wert, list | tuple):
        return "; ".join(str(w) for w in wert)
    if isinstance(wert, date):
        return f"{wert:%d.%m.%Y}"
    if isinstance(wert, str) and len(wert) == 10 and wert[4] == "-" and wert[7] == "-":
        try:
            return f"{date.fromisoformat(wert):%d.%m.%Y}"
        except ValueError:
            return wert
    return str(wert)


def _felder(vorher: dict | None, nachher: dict | None, namen: _Namen) -> list[Feldaenderung]:
    alt, neu = vorher or {}, nachher or {}
    ergebnis = []
    for k in [*neu.keys(), *(k for k in alt if k not in neu)]:
        if k in _VERBORGEN or alt.get(k) == neu.get(k):
            continue
        if vorher is None and neu.get(k) in (None, "", []):
            continue  # beim Anlegen nur gesetzte Felder zeigen
        ergebnis.append(Feldaenderung(k, FELDNAMEN.get(k, k), zeige_wert(k, alt.get(k), namen),
                                      zeige_wert(k, neu.get(k), namen)))
    if not ergebnis and vorher is not None and nachher is not None:
        # Zeile ohne Feldänderung: die Mitgliedschaften (Zwischentabelle) oder nur die Bestätigung am selben Tag
        ergebnis.append(Feldaenderung("", "Mitglieder/Bestätigung", "", "gespeichert ohne Feldänderung"))
    return ergebnis


def _zeilen(session: Session, tabelle: str, datensatz_id: int) -> list[m.Aenderung]:
    return list(session.scalars(select(m.Aenderung).where(m.Aenderung.tabelle == tabelle,
                                                         m.Aenderung.datensatz_id == datensatz_id)
                                .order_by(m.Aenderung.id)))


def verlauf(session: Session, tabelle: str, datensatz_id: int, *,
            kommune: Kommune | None = None) -> list[Verlaufseintrag]:
    """Alle Änderungen eines Eintrags, neueste zuerst (mit `kommune`: Art/Trägerart als Bezeichnung)."""
    namen = _Namen(session, kommune)
    zeilen = _zeilen(session, tabelle, datensatz_id)
    personen = anzeigenamen(session, {z.benutzer for z in zeilen})
    eintraege = []
    for z in zeilen:
        stand = z.nachher if z.aktion != "loeschen" else z.vorher
        eintraege.append(Verlaufseintrag(
            z.id, z.zeitpunkt, z.benutzer, AKTIONEN.get(z.aktion, z.aktion),
            (stand or {}).get("version"), _felder(z.vorher, z.nachher, namen), z.nachher,
            person=personen.get(z.benutzer, z.benutzer)))
    return eintraege[::-1]


def anzeigenamen(session: Session, logins: set[str]) -> dict[str, str]:
    """Login → Anzeigename der Konten (das System heißt „System“; gelöschte Konten bleiben beim Login)."""
    namen = {SYSTEM.login: SYSTEM.anzeigename} if SYSTEM.login in logins else {}
    if logins:
        namen |= {lg: n for lg, n in session.execute(select(m.Benutzer.login, m.Benutzer.anzeigename)
                                                     .where(m.Benutzer.login.in_(sorted(logins)))) if n}
    return namen


def letzte_aenderung(session: Session, tabelle: str, datensatz_id: int) -> m.Aenderung | None:
    return session.scalar(select(m.Aenderung).where(m.Aenderung.tabelle == tabelle,
                                                    m.Aenderung.datensatz_id == datensatz_id)
                          .order_by(m.Aenderung.id.desc()).limit(1))


def aenderungen_seit(session: Session, tabelle: str, datensatz_id: int, version: int, *,
                     kommune: Kommune | None = None) -> list[Verlaufseintrag]:
    """Was andere gespeichert haben, nachdem die Person Stand `version` geladen hat (älteste zuerst)."""
    return [e for e in verlauf(session, tabelle, datensatz_id, kommune=kommune)[::-1] if (e.version or 0) > version
            or e.aktion == AKTIONEN["loeschen"]]


def vergleiche(geladen: dict[str, Any], gespeichert: dict[str, Any] | None,
               eingabe: dict[str, Any]) -> list[dict[str, str]]:
    """Nebeneinander für den Konfliktfall: je Feld, das sich irgendwo unterscheidet, die drei Stände.

    `geladen` = was die Person zu bearbeiten begann, `gespeichert` = frischer Stand der Datenbank
    (None = inzwischen gelöscht), `eingabe` = was sie speichern wollte. Werte wie `formularwerte`.
    """
    zeilen = []
    for k in eingabe:
        alt, jetzt, ihre = geladen.get(k), (gespeichert or {}).get(k), eingabe.get(k)
        if alt == jetzt and alt == ihre:
            continue
        anderer = gespeichert is not None and jetzt != alt
        zeilen.append({
            "Feld": FELDNAMEN.get(k, k), "Ihr Ausgangsstand": zeige_wert(k, alt),
            "Jetzt gespeichert (andere Person)": "(gelöscht)" if gespeichert is None else zeige_wert(k, jetzt),
            "Ihre Eingabe": zeige_wert(k, ihre),
            "Hinweis": ("beide geändert" if anderer and ihre != alt and ihre != jetzt
                        else "von der anderen Person geändert" if anderer else "nur von Ihnen geändert"),
        })
    return zeilen
