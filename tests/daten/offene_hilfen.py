"""Hilfen der Tests zu den offenen Daten: eine Demo-Datenbank mit veröffentlichten Kennzahlen, in der interne
Angaben unverwechselbare Werte tragen – kein Download und keine öffentliche Seite darf sie zeigen."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Engine

from daten import modelle as m
from daten.db import sitzung
from daten.politik import SYSTEM

# Interne Angaben (Träger-Name, Plätze, wer bestätigt hat, Quelle, Teamleitung) mit Werten, die sonst nie vorkommen
GEHEIM = {"traeger": "Geheimträger Zwölf", "kapazitaet": 987654, "bestaetigt_von": "geheimlogin",
          "quelle": "Geheimquelle Siebzehn", "teamleitung": "Geheime Teamleitung Neun"}


def veroeffentliche_mit_geheimnissen(engine: Engine, kommune) -> None:  # noqa: ANN001
    """Setzt die internen Angaben einer offenen Einrichtung und eines Sozialraums und veröffentlicht die Kennzahlen
    (berichte.opendata.aktualisiere, wie `ressourcenkarte opendata`)."""
    from berichte.opendata import aktualisiere

    with sitzung(engine, akteur=SYSTEM) as s:
        e_ = m.Einrichtung
        offen = (e_.aktiv.is_(True), e_.gueltig_bis.is_(None), e_.gueltig_von.is_(None))
        e = s.scalars(select(m.Einrichtung).where(*offen).order_by(m.Einrichtung.id)).first()
        e.traeger, e.kapazitaet = GEHEIM["traeger"], GEHEIM["kapazitaet"]
        e.bestaetigt_von, e.quelle = GEHEIM["bestaetigt_von"], GEHEIM["quelle"]
        s.scalars(select(m.Sozialraum).order_by(m.Sozialraum.id)).first().teamleitung = GEHEIM["teamleitung"]
    aktualisiere(engine, kommune)


def geheimnisse_in(text: str) -> list[str]:
    """Die internen Werte, die in `text` vorkommen (leer = gut)."""
    return [str(w) for w in GEHEIM.values() if str(w) in text]


def offene_schluessel(engine: Engine) -> set[str]:
    """Schlüssel der heute offenen Einrichtungen, unabhängig von den Sichten bestimmt: aktiv, schon eröffnet und
    nicht geschlossen."""
    from datetime import date

    heute = date.today()
    with sitzung(engine, akteur=None) as s:
        return {e.schluessel for e in s.scalars(select(m.Einrichtung))
                if e.aktiv and (e.gueltig_von is None or e.gueltig_von <= heute)
                and (e.gueltig_bis is None or e.gueltig_bis >= heute)}
