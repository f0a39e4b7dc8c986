"""Frische: wann ein Eintrag zuletzt bestätigt wurde, und welche die Teamleitung wieder prüfen sollte.

Ein Eintrag gilt als überfällig, wenn er länger als `monate` (Einstellung RESSOURCENKARTE_FRISCHE_MONATE,
Standard 12) nicht bestätigt oder bearbeitet wurde; „bald fällig“ heißt: im letzten Monat davor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten import politik
from daten.politik import Akteur

STUFEN = ("aktuell", "bald fällig", "überfällig")


def monate_zurueck(tag: date, monate: int) -> date:
    """Derselbe Kalendertag `monate` Monate früher (am Monatsende der letzte gültige Tag)."""
    j, mo = divmod(tag.year * 12 + tag.month - 1 - monate, 12)
    for t in range(tag.day, 0, -1):
        try:
            return date(j, mo + 1, t)
        except ValueError:
            continue
    raise ValueError(tag)  # pragma: no cover - Tag 1 gibt es immer


def frische_stufe(bestaetigt_am: date | None, *, heute: date, monate: int) -> str:
    """"aktuell", "bald fällig" oder "überfällig" (nie bestätigt = überfällig)."""
    if bestaetigt_am is None or bestaetigt_am < monate_zurueck(heute, monate):
        return "überfällig"
    if bestaetigt_am < monate_zurueck(heute, monate - 1):
        return "bald fällig"
    return "aktuell"


@dataclass(frozen=True)
class Faellig:
    """Ein Eintrag, der geprüft werden sollte."""

    tabelle: str  # "einrichtung" | "netzwerk"
    id: int
    name: str
    art: str
    ort: str
    sozialraum: str
    bestaetigt_am: date | None
    version: int


def faellige_eintraege(session: Session, akteur: Akteur | None, *, monate: int,
                       heute: date | None = None) -> list[Faellig]:
    """Offene Einrichtungen und Netzwerke, die länger als `monate` nicht bestätigt wurden – für die Teamleitung
    ihres Sozialraums; Administration und Jugendhilfeplanung sehen alle, andere Rollen nichts. Älteste zuerst."""
    heute = heute or date.today()
    umfang = politik.umfang(akteur, "frische_pruefen")
    if umfang is None:
        return []
    grenze = monate_zurueck(heute, monate)
    eigener = akteur.sozialraum_id if umfang == politik.EIGENER else None
    if umfang == politik.EIGENER and eigener is None:
        return []
    q = (select(m.Einrichtung, m.Stadtteil.name, m.Sozialraum.name)
         .join(m.Stadtteil, m.Einrichtung.stadtteil_id == m.Stadtteil.id).join(m.Sozialraum)
         .where(m.Einrichtung.aktiv.is_(True),
                or_(m.Einrichtung.gueltig_bis.is_(None), m.Einrichtung.gueltig_bis >= heute),
                or_(m.Einrichtung.bestaetigt_am.is_(None), m.Einrichtung.bestaetigt_am < grenze)))
    if eigener is not None:
        q = q.where(m.Stadtteil.sozialraum_id == eigener)
    ergebnis = [Faellig("einrichtung", e.id, e.name, e.art, st, sr, e.bestaetigt_am, e.version)
                for e, st, sr in session.execute(q)]
    qn = (select(m.Netzwerk, m.Sozialraum.name).outerjoin(m.Sozialraum)
          .where(or_(m.Netzwerk.bestaetigt_am.is_(None), m.Netzwerk.bestaetigt_am < grenze)))
    if eigener is not None:
        qn = qn.where(m.Netzwerk.sozialraum_id == eigener)
    ergebnis += [Faellig("netzwerk", n.id, n.name, "Netzwerk", sr or "stadtweit", sr or "stadtweit",
                         n.bestaetigt_am, n.version) for n, sr in session.execute(qn)]
    return sorted(ergebnis, key=lambda f: (f.bestaetigt_am or date.min, f.name))
