"""Aufbewahrung personenbezogener Daten (DSGVO Art. 5 Abs. 1 e, Art. 17): was nach der Frist der Kommune
gelöscht oder anonymisiert wird – und das Löschen selbst, in einer Systemtransaktion mit Zusammenfassung im
Änderungsprotokoll (wer: System/Aufbewahrung, wann, was je Datenart).

| Datenart | nach Ablauf |
|---|---|
| Protokollpunkte (Sitzung älter als die Frist) | gelöscht (mit Bezügen, fehlenden Ressourcen; Maßnahmen bleiben) |
| Fallbesprechungen | Text anonymisiert, Datenschutzbefunde und Begründung gelöscht |
| Teilnahme | Namen in Einladung, Teilnahme, Protokollführung, Delegationen und Reflexionen entfernt |
| Änderungsprotokoll | Zeilen gelöscht |
| Konten | gesperrte Konten ohne Anmeldung: Name anonymisiert, keine Anmeldung mehr möglich |
| Anmeldungen | Fehlversuche/Sperren gelöscht, Zeitpunkte der letzten Anmeldungen geleert |

Stichtag ist jeweils das Datum der Sitzung (bzw. der Zeile); eine Zeile genau am Stichtag bleibt noch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from daten import modelle as m
from daten.config import Kommune
from daten.db import sitzung, systemsitzung
from daten.dienste.frische import monate_zurueck

ANONYM_FALL = "[Fallbesprechung – nach Ablauf der Aufbewahrungsfrist anonymisiert]"
ANONYM_KONTO = "Ehemaliges Konto"
ANONYM_NAME = "anonymisiert"
KEIN_PASSWORT = "!aufbewahrung"  # kein gültiger Hash: keine Anmeldung mehr


@dataclass(frozen=True)
class Posten:
    art: str
    bezeichnung: str
    frist_monate: int
    stichtag: date
    anzahl: int
    aktion: str


def _zeitpunkt(tag: date) -> datetime:
    return datetime.combine(tag, time.min, tzinfo=UTC)


def _ohne_namen(eintraege: list[Any]) -> list[Any]:
    aus = []
    for e in eintraege or []:
        if isinstance(e, dict):
            aus.append({k: v for k, v in e.items() if k != "name"})
        else:
            aus.append(e)
    return aus


def _hat_namen(eintraege: list[Any]) -> bool:
    return any(isinstance(e, dict) and e.get("name") for e in eintraege or [])


# Je Datenart: (Schlüssel in der Konfiguration, Bezeichnung, Aktion, zählen, anwenden)
def _protokollpunkte(s: Session, grenze: date, anwenden: bool) -> int:
    alt = select(m.Sitzung.id).where(m.Sitzung.datum < grenze)
    ids = list(s.scalars(select(m.Protokollpunkt.id).where(m.Protokollpunkt.sitzung_id.in_(alt))))
    if anwenden and ids:
        s.execute(update(m.Massnahme.__table__).where(m.Massnahme.protokollpunkt_id.in_(ids))
                  .values(protokollpunkt_id=None))
        s.execute(delete(m.Protokollpunkt.__table__).where(m.Protokollpunkt.id.in_(ids)))
    return len(ids)


def _fallbesprechungen(s: Session, grenze: date, anwenden: bool) -> int:
    alt = select(m.Sitzung.id).where(m.Sitzung.datum < grenze)
    bedingung = and_(m.Protokollpunkt.sitzung_id.in_(alt), m.Protokollpunkt.fallbesprechung.is_(True),
                     m.Protokollpunkt.text != ANONYM_FALL)
    anzahl = s.scalar(select(func.count()).select_from(m.Protokollpunkt).where(bedingung)) or 0
    if anwenden and anzahl:
        s.execute(update(m.Protokollpunkt.__table__).where(bedingung).values(
            text=ANONYM_FALL, datenschutz_befunde=[], datenschutz_grund=None))
    return anzahl


def _teilnahme(s: Session, grenze: date, anwenden: bool) -> int:
    anzahl = 0
    for sz in s.execute(select(m.Sitzung.id, m.Sitzung.eingeladene, m.Sitzung.teilnehmende,
                               m.Sitzung.protokollfuehrung).where(m.Sitzung.datum < grenze)).all():
        if not (_hat_namen(sz.eingeladene) or _hat_namen(sz.teilnehmende) or sz.protokollfuehrung):
            continue
        anzahl += 1
        if anwenden:
            s.execute(update(m.Sitzung.__table__).where(m.Sitzung.id == sz.id).values(
                eingeladene=_ohne_namen(sz.eingeladene), teilnehmende=_ohne_namen(sz.teilnehmende),
                protokollfuehrung=None))
    alt = select(m.Sitzung.id).where(m.Sitzung.datum < grenze)
    bedingung = and_(m.Protokolldelegation.sitzung_id.in_(alt), m.Protokolldelegation.an_name != ANONYM_NAME)
    anzahl += s.scalar(select(func.count()).select_from(m.Protokolldelegation).where(bedingung)) or 0
    if anwenden:
        s.execute(update(m.Protokolldelegation.__table__).where(bedingung).values(an_name=ANONYM_NAME, grund=None))
    for r in s.execute(select(m.Reflexion.id, m.Reflexion.teilnehmende, m.Reflexion.delegierte)
                       .where(m.Reflexion.jahr < grenze.year)).all():
        if not (r.teilnehmende or _hat_namen(r.delegierte)):
            continue
        anzahl += 1
        if anwenden:
            s.execute(update(m.Reflexion.__table__).where(m.Reflexion.id == r.id).values(
                teilnehmende=None, delegierte=_ohne_namen(r.delegierte)))
    return anzahl


def _aenderungsprotokoll(s: Session, grenze: date, anwenden: bool) -> int:
    bedingung = m.Aenderung.zeitpunkt < _zeitpunkt(grenze)
    anzahl = s.scalar(select(func.count()).select_from(m.Aenderung).where(bedingung)) or 0
    if anwenden and anzahl:
        s.execute(delete(m.Aenderung.__table__).where(bedingung))
    return anzahl


def _konten(s: Session, grenze: date, anwenden: bool) -> int:
    bedingung = and_(m.Benutzer.aktiv.is_(False), m.Benutzer.anzeigename != ANONYM_KONTO,
                     or_(m.Benutzer.letzte_anmeldung.is_(None), m.Benutzer.letzte_anmeldung < _zeitpunkt(grenze)))
    anzahl = s.scalar(select(func.count()).select_from(m.Benutzer).where(bedingung)) or 0
    if anwenden and anzahl:
        s.execute(update(m.Benutzer.__table__).where(bedingung).values(
            anzeigename=ANONYM_KONTO, passwort_hash=KEIN_PASSWORT, letzte_anmeldung=None, vorige_anmeldung=None))
    return anzahl


def _anmeldungen(s: Session, grenze: date, anwenden: bool) -> int:
    alt = _zeitpunkt(grenze)
    sperren = m.Anmeldesperre.letzter_fehlversuch < alt
    besuche = or_(m.Benutzer.letzte_anmeldung < alt, m.Benutzer.vorige_anmeldung < alt)
    anzahl = (s.scalar(select(func.count()).select_from(m.Anmeldesperre).where(sperren)) or 0) + \
        (s.scalar(select(func.count()).select_from(m.Benutzer).where(besuche)) or 0)
    if anwenden and anzahl:
        s.execute(delete(m.Anmeldesperre.__table__).where(sperren))
        s.execute(update(m.Benutzer.__table__).where(m.Benutzer.letzte_anmeldung < alt).values(letzte_anmeldung=None))
        s.execute(update(m.Benutzer.__table__).where(m.Benutzer.vorige_anmeldung < alt).values(vorige_anmeldung=None))
    return anzahl


DATENARTEN: tuple[tuple[str, str, str, Callable[[Session, date, bool], int]], ...] = (
    ("fallbesprechungen", "Fallbesprechungen in Protokollen", "Text anonymisieren", _fallbesprechungen),
    ("teilnahme", "Namen in Einladung, Teilnahme, Protokollführung, Delegation, Reflexion", "Namen entfernen",
     _teilnahme),
    ("protokollpunkte", "Protokollpunkte", "löschen", _protokollpunkte),
    ("konten", "gesperrte Konten", "anonymisieren", _konten),
    ("anmeldungen", "Anmeldesperren und Anmeldezeitpunkte", "löschen", _anmeldungen),
    ("aenderungsprotokoll", "Zeilen des Änderungsprotokolls", "löschen", _aenderungsprotokoll),
)


def _posten(s: Session, kommune: Kommune, heute: date, anwenden: bool) -> list[Posten]:
    aus = []
    for schluessel, bezeichnung, aktion, fn in DATENARTEN:
        monate = getattr(kommune.aufbewahrung, schluessel)
        grenze = monate_zurueck(heute, monate)
        aus.append(Posten(schluessel, bezeichnung, monate, grenze, fn(s, grenze, anwenden), aktion))
    return aus


def faellig(engine: Engine, kommune: Kommune, *, heute: date | None = None) -> list[Posten]:
    """Was heute fällig ist (nur lesen)."""
    with sitzung(engine, akteur=None, kommune=kommune) as s:
        return _posten(s, kommune, heute or date.today(), anwenden=False)


def wende_an(engine: Engine, kommune: Kommune, *, heute: date | None = None) -> list[Posten]:
    """Löscht bzw. anonymisiert alles Fällige in einer Transaktion (alles oder nichts). Das Änderungsprotokoll
    bekommt eine Zusammenfassung: Grund, Stichtage und Anzahl je Datenart."""
    heute = heute or date.today()
    vorab = faellig(engine, kommune, heute=heute)
    grund = "Aufbewahrung: " + "; ".join(f"{p.bezeichnung} vor {p.stichtag.isoformat()}: {p.anzahl} {p.aktion}"
                                         for p in vorab if p.anzahl)
    with systemsitzung(engine, grund=grund, kommune=kommune, aenderung_kuerzen=True) as s:
        return _posten(s, kommune, heute, anwenden=True)
