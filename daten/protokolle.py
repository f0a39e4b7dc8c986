"""Lesen von Sitzungen und Ergebnisprotokollen – nur mit Leserecht (daten.passwort.darf_protokoll_lesen).

Seiten und Exporte lesen Protokolle ausschließlich über diese Funktionen; so kann keine Seite die
Prüfung vergessen. Wer nicht lesen darf (Lenkungsgruppe, Öffentlichkeit), bekommt Zusammenfassungen
(`protokoll_uebersicht`: Anzahlen je Sozialraum, Jahr, Frage und Handlungsebene, ohne Texte).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import ColumnElement, Select, false, func, select, true
from sqlalchemy.orm import Session, selectinload

from daten import modelle as m
from daten.fehler import RechteFehler
from daten.politik import Akteur, darf_protokoll_lesen, protokoll_lesebereich


def lesefilter(akteur: Akteur | None, sozialraum_spalte: ColumnElement) -> ColumnElement[bool]:
    """SQL-Bedingung „`akteur` darf Protokolle dieses Sozialraums lesen“ (dieselbe Regel wie darf_protokoll_lesen)."""
    bereich = protokoll_lesebereich(akteur)
    if bereich == "alle":
        return true()
    if bereich == "eigener" and akteur is not None and akteur.sozialraum_id is not None:
        return sozialraum_spalte == akteur.sozialraum_id
    return false()


def sitzungen_abfrage(akteur: Akteur | None) -> Select:
    """`select(Sitzung)` nur über lesbare Gremien (mit Protokollpunkten vorgeladen), nach Datum."""
    return (select(m.Sitzung).where(lesefilter(akteur, m.Sitzung.sozialraum_id))
            .options(selectinload(m.Sitzung.punkte)).order_by(m.Sitzung.datum, m.Sitzung.id))


def lesbare_sitzungen(*, session: Session, akteur: Akteur | None, sozialraum_id: int | None = None) -> list[m.Sitzung]:
    """Sitzungen (ORM-Objekte mit `punkte`), die `akteur` lesen darf; optional eines Sozialraums."""
    q = sitzungen_abfrage(akteur)
    if sozialraum_id is not None:
        q = q.where(m.Sitzung.sozialraum_id == sozialraum_id)
    return list(session.scalars(q))


def sitzung_lesen(*, session: Session, akteur: Akteur | None, sitzung_id: int) -> m.Sitzung:
    """Eine Sitzung mit Protokoll; RechteFehler, wenn `akteur` sie nicht lesen darf."""
    sz = session.get(m.Sitzung, sitzung_id)
    if sz is None or not darf_protokoll_lesen(akteur, sz.sozialraum_id):
        raise RechteFehler("Dieses Protokoll dürfen nur Personen auf dem Verteiler des Gremiums lesen "
                           "(Teamleitung und Mitglieder des Sozialraums, Jugendhilfeplanung, Administration).")
    return sz


def protokollpunkte(*, session: Session, akteur: Akteur | None, sozialraum_id: int | None = None) -> pd.DataFrame:
    """Protokollpunkte lesbarer Gremien als Tabelle (auch Fallbesprechungen – nur für den Verteiler)."""
    q = (select(m.Protokollpunkt, m.Sitzung, m.Sozialraum.name)
         .join(m.Sitzung, m.Protokollpunkt.sitzung_id == m.Sitzung.id)
         .join(m.Sozialraum, m.Sitzung.sozialraum_id == m.Sozialraum.id)
         .where(lesefilter(akteur, m.Sitzung.sozialraum_id))
         .order_by(m.Sitzung.datum, m.Protokollpunkt.frage, m.Protokollpunkt.id))
    if sozialraum_id is not None:
        q = q.where(m.Sitzung.sozialraum_id == sozialraum_id)
    spalten = ["id", "sitzung_id", "datum", "sozialraum", "frage", "handlungsebene", "text", "fallbesprechung",
               "anonymisiert", "schweigepflichtentbindung"]
    zeilen = [(p.id, sz.id, sz.datum, sr, p.frage, p.handlungsebene, p.text, p.fallbesprechung, p.anonymisiert,
               p.schweigepflichtentbindung) for p, sz, sr in session.execute(q)]
    df = pd.DataFrame(zeilen, columns=spalten)
    bezug: dict[int, list[str]] = {}
    ids = [int(i) for i in df["id"]]
    if ids:
        for pid, name in session.execute(
                select(m.protokollpunkt_bezug.c.protokollpunkt_id, m.Einrichtung.name)
                .join(m.Einrichtung, m.Einrichtung.id == m.protokollpunkt_bezug.c.einrichtung_id)
                .where(m.protokollpunkt_bezug.c.protokollpunkt_id.in_(ids))):
            bezug.setdefault(pid, []).append(name)
    df["bezug"] = df["id"].map(lambda i: ", ".join(bezug.get(i, [])))
    df["jahr"] = pd.to_datetime(df["datum"]).dt.year
    return df


def protokoll_uebersicht(*, session: Session) -> pd.DataFrame:
    """Für alle (auch Lenkungsgruppe/Öffentlichkeit): Anzahl Punkte je Sozialraum, Jahr, Frage, Handlungsebene.

    Enthält keine Texte, Namen oder Fallbesprechungs-Inhalte.
    """
    jahr = func.extract("year", m.Sitzung.datum)
    q = (select(m.Sozialraum.name, jahr, m.Protokollpunkt.frage, m.Protokollpunkt.handlungsebene, func.count())
         .join(m.Sitzung, m.Protokollpunkt.sitzung_id == m.Sitzung.id)
         .join(m.Sozialraum, m.Sitzung.sozialraum_id == m.Sozialraum.id)
         .group_by(m.Sozialraum.name, jahr, m.Protokollpunkt.frage, m.Protokollpunkt.handlungsebene)
         .order_by(m.Sozialraum.name, jahr, m.Protokollpunkt.frage))
    df = pd.DataFrame(session.execute(q).all(), columns=["sozialraum", "jahr", "frage", "handlungsebene", "anzahl"])
    df["jahr"] = df["jahr"].astype(int)
    return df
