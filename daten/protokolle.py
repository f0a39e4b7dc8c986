"""Lesen von Sitzungen und Ergebnisprotokollen – nur mit Leserecht (daten.politik.darf_protokoll_lesen).

Seiten und Exporte lesen Protokolle ausschließlich über diese Funktionen; so kann keine Seite die
Prüfung vergessen. Wer nicht lesen darf (Lenkungsgruppe, Öffentlichkeit), bekommt Zusammenfassungen
(`protokoll_uebersicht`: Anzahlen je Sozialraum, Jahr, Frage und Handlungsebene, ohne Texte).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from sqlalchemy import ColumnElement, Select, false, func, select, true
from sqlalchemy.orm import Session, selectinload

from daten import modelle as m
from daten.fehler import EingabeFehler, RechteFehler
from daten.politik import Akteur, darf_protokoll_lesen, protokoll_lesebereich

KEIN_LESERECHT = ("Dieses Protokoll dürfen nur Personen auf dem Verteiler des Gremiums lesen (Teamleitung und "
                  "Mitglieder des Sozialraums, Abteilungs-, Sachgebiets- und Kita-Teamleitungen mit Verteiler-Konto, "
                  "Jugendhilfeplanung, Administration). Bitte anmelden oder die Teamleitung ASD fragen.")


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


def pruefe_leserecht(akteur: Akteur | None, sitzung: m.Sitzung) -> None:
    """RechteFehler, wenn `akteur` das Protokoll dieser Sitzung nicht lesen darf (Verteiler, R8)."""
    if not darf_protokoll_lesen(akteur, sitzung.sozialraum_id):
        raise RechteFehler(KEIN_LESERECHT)


def sitzung_lesen(*, session: Session, akteur: Akteur | None, sitzung_id: int) -> m.Sitzung:
    """Eine Sitzung mit Protokoll; RechteFehler, wenn `akteur` sie nicht lesen darf."""
    sz = session.get(m.Sitzung, sitzung_id)
    if sz is None:
        raise EingabeFehler(f"Sitzung {sitzung_id} gibt es nicht (mehr). Bitte die Liste neu laden.")
    pruefe_leserecht(akteur, sz)
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


def punkte_anzahl(*, session: Session, frage: int) -> pd.DataFrame:
    """Für alle: Zahl der Punkte zu `frage` je Sozialraum und Jahr, ohne Fallbesprechungen (Spalten sozialraum,
    jahr, anzahl). Keine Texte – so steht z. B. die Zahl der fehlenden Ressourcen (Frage 6) auf der Karte."""
    jahr = func.extract("year", m.Sitzung.datum)
    q = (select(m.Sozialraum.name, jahr, func.count()).select_from(m.Protokollpunkt)
         .join(m.Sitzung, m.Protokollpunkt.sitzung_id == m.Sitzung.id)
         .join(m.Sozialraum, m.Sitzung.sozialraum_id == m.Sozialraum.id)
         .where(m.Protokollpunkt.frage == frage, m.Protokollpunkt.fallbesprechung.is_not(True))
         .group_by(m.Sozialraum.name, jahr))
    df = pd.DataFrame(session.execute(q).all(), columns=["sozialraum", "jahr", "anzahl"])
    df["jahr"] = df["jahr"].astype(int)
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


PUNKT_SPALTEN = ["id", "frage", "handlungsebene", "text", "fallbesprechung", "anonymisiert",
                 "schweigepflichtentbindung", "einrichtung_ids", "einrichtungen", "netzwerk_ids", "netzwerke",
                 "stadtteil_ids", "stadtteile", "fehlende_ressourcen", "datenschutz_grund", "version"]
FEHLEND_SPALTEN = ["id", "bezeichnung", "protokollpunkt_id", "sitzung_id", "datum", "sozialraum_id", "sozialraum"]


def punkte(session: Session, sitzung_id: int, *, akteur: Akteur | None) -> pd.DataFrame:
    """Die Protokollpunkte einer Sitzung (Spalten PUNKT_SPALTEN) – nur für Lesende auf dem Verteiler."""
    sitzung_lesen(session=session, akteur=akteur, sitzung_id=sitzung_id)
    q = (select(m.Protokollpunkt).where(m.Protokollpunkt.sitzung_id == sitzung_id)
         .options(selectinload(m.Protokollpunkt.bezug), selectinload(m.Protokollpunkt.netzwerke),
                  selectinload(m.Protokollpunkt.stadtteile), selectinload(m.Protokollpunkt.fehlende_ressourcen))
         .order_by(m.Protokollpunkt.frage, m.Protokollpunkt.id))
    zeilen = []
    for p in session.scalars(q):
        zeilen.append({
            "id": p.id, "frage": p.frage, "handlungsebene": p.handlungsebene, "text": p.text,
            "fallbesprechung": p.fallbesprechung, "anonymisiert": p.anonymisiert,
            "schweigepflichtentbindung": p.schweigepflichtentbindung,
            "einrichtung_ids": [e.id for e in p.bezug], "einrichtungen": ", ".join(e.name for e in p.bezug),
            "netzwerk_ids": [n.id for n in p.netzwerke], "netzwerke": ", ".join(n.name for n in p.netzwerke),
            "stadtteil_ids": [s.id for s in p.stadtteile], "stadtteile": ", ".join(s.name for s in p.stadtteile),
            "fehlende_ressourcen": ", ".join(f.bezeichnung for f in p.fehlende_ressourcen),
            "datenschutz_grund": p.datenschutz_grund or "", "version": p.version,
        })
    return pd.DataFrame(zeilen, columns=PUNKT_SPALTEN)


def fehlende_ressourcen(*, session: Session, sozialraum_id: int | None = None) -> gpd.GeoDataFrame:
    """Fehlende Ressourcen (Frage 6) als Punkte in EPSG:4326 – eigene Kartenebene.

    Spalten FEHLEND_SPALTEN + geometry; nur die Kurzbezeichnung, nie der Protokolltext (den lesen nur
    Berechtigte), daher für alle Kartennutzenden geeignet.
    """
    q = (select(m.FehlendeRessource, m.Protokollpunkt.sitzung_id, m.Sitzung.datum, m.Sitzung.sozialraum_id,
                m.Sozialraum.name)
         .join(m.Protokollpunkt, m.FehlendeRessource.protokollpunkt_id == m.Protokollpunkt.id)
         .join(m.Sitzung, m.Protokollpunkt.sitzung_id == m.Sitzung.id)
         .join(m.Sozialraum, m.Sitzung.sozialraum_id == m.Sozialraum.id)
         .order_by(m.Sitzung.datum, m.FehlendeRessource.id))
    if sozialraum_id is not None:
        q = q.where(m.Sitzung.sozialraum_id == sozialraum_id)
    zeilen = [{"id": f.id, "bezeichnung": f.bezeichnung, "protokollpunkt_id": f.protokollpunkt_id,
               "sitzung_id": sid, "datum": datum, "sozialraum_id": srid, "sozialraum": name, "geometry": f.geometrie}
              for f, sid, datum, srid, name in session.execute(q)]
    df = pd.DataFrame(zeilen, columns=[*FEHLEND_SPALTEN, "geometry"])
    return gpd.GeoDataFrame(df, geometry="geometry", crs="EPSG:4326")
