"""Gremiumsarbeit: Sitzungen mit Ergebnisprotokoll, Maßnahmen, Budgets, Hospitationen, Reflexion.

Dazu die Geschichte der Stufen (R2), Teilgremien je Stadtteil (Fußnote 3), die Delegation des
Protokolls (R4) und „fehlende Ressourcen“ als Punkte (Frage 6, EPSG:4326). Die Regeln (wer darf
was, Datenschutz, Budgetdeckel) prüft `daten.gremium.regeln` vor jedem Flush.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.mutable import MutableList
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from daten import werte
from daten.geometrie import Geo
from daten.modelle.basis import Basis, Versioniert
from daten.modelle.einrichtungen import protokollpunkt_bezug
from daten.werte import sql_liste

if TYPE_CHECKING:
    from daten.modelle.einrichtungen import Einrichtung, Netzwerk
    from daten.modelle.raum import Sozialraum, Stadtteil

# Statuswerte in ihrer Schrittfolge (eine Quelle: daten.werte; die Datenschicht lässt nur Schritte
# entlang der Pfeile zu).
SITZUNG_STATUS: tuple[str, ...] = tuple(werte.SITZUNG_STATUS)
MASSNAHME_STATUS: tuple[str, ...] = tuple(werte.MASSNAHME_STATUS)
REFLEXION_ARTEN = ("gemeinsam", "lenkungsgruppe")


def _laden(obj: object, modell: type, ident: int | None) -> object | None:
    """Bezugsobjekt über die Sitzung des Objekts laden, wenn nur die Fremdschlüssel-id gesetzt ist."""
    s = object_session(obj)
    return s.get(modell, ident) if s is not None and ident is not None else None


protokollpunkt_netzwerk = Table(
    "protokollpunkt_netzwerk",
    Basis.metadata,
    Column("protokollpunkt_id", ForeignKey("protokollpunkt.id", ondelete="CASCADE"), primary_key=True),
    Column("netzwerk_id", ForeignKey("netzwerk.id", ondelete="CASCADE"), primary_key=True),
)

protokollpunkt_stadtteil = Table(
    "protokollpunkt_stadtteil",
    Basis.metadata,
    Column("protokollpunkt_id", ForeignKey("protokollpunkt.id", ondelete="CASCADE"), primary_key=True),
    Column("stadtteil_id", ForeignKey("stadtteil.id", ondelete="CASCADE"), primary_key=True),
)

teilgremium_stadtteil = Table(
    "teilgremium_stadtteil",
    Basis.metadata,
    Column("teilgremium_id", ForeignKey("teilgremium.id", ondelete="CASCADE"), primary_key=True),
    Column("stadtteil_id", ForeignKey("stadtteil.id", ondelete="CASCADE"), primary_key=True),
)


class Stufenbeschluss(Versioniert, Basis):
    """Ab `gueltig_ab` gilt für das Gremium `stufe` (R2); die jüngste gültige Zeile zählt."""

    __tablename__ = "stufenbeschluss"
    id: Mapped[int] = mapped_column(primary_key=True)
    sozialraum_id: Mapped[int] = mapped_column(ForeignKey("sozialraum.id"), index=True)
    stufe: Mapped[int] = mapped_column(Integer)
    gueltig_ab: Mapped[date] = mapped_column(Date)
    beschluss: Mapped[str] = mapped_column(Text)
    sitzung_id: Mapped[int | None] = mapped_column(ForeignKey("sitzung.id"))
    beschlossen_von: Mapped[str | None] = mapped_column(String(80))  # Login, das den Beschluss eingetragen hat
    sprung_grund: Mapped[str | None] = mapped_column(Text)  # 3.1: mehr als eine Stufe auf einmal nur mit Grund
    __table_args__ = (UniqueConstraint("sozialraum_id", "gueltig_ab"),)


class Teilgremium(Versioniert, Basis):
    """Aufteilung eines Gremiums nach Stadtteilen (Fußnote 3 der Konzeption)."""

    __tablename__ = "teilgremium"
    id: Mapped[int] = mapped_column(primary_key=True)
    sozialraum_id: Mapped[int] = mapped_column(ForeignKey("sozialraum.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    gueltig_ab: Mapped[date] = mapped_column(Date)
    gueltig_bis: Mapped[date | None] = mapped_column(Date)
    beschluss: Mapped[str | None] = mapped_column(Text)
    stadtteile: Mapped[list[Stadtteil]] = relationship(secondary=teilgremium_stadtteil)


class Sitzung(Versioniert, Basis):
    __tablename__ = "sitzung"
    id: Mapped[int] = mapped_column(primary_key=True)
    schluessel: Mapped[str] = mapped_column(String(80), unique=True)
    sozialraum_id: Mapped[int] = mapped_column(ForeignKey("sozialraum.id"), index=True)
    teilgremium_id: Mapped[int | None] = mapped_column(ForeignKey("teilgremium.id"))
    datum: Mapped[date] = mapped_column(Date)
    beginn: Mapped[str | None] = mapped_column(String(5))  # "HH:MM" Ortszeit (gremium.zeitzone)
    ende: Mapped[str | None] = mapped_column(String(5))
    ort_id: Mapped[int | None] = mapped_column(ForeignKey("einrichtung.id"))
    protokollfuehrung: Mapped[str | None] = mapped_column(String(200))
    protokoll_bereich: Mapped[str | None] = mapped_column(String(80))  # Arbeitsfeld im Wechsel (4.1)
    protokoll_login: Mapped[str | None] = mapped_column(String(80))  # Konto, das schreiben darf
    # 4.1: wer vom vorgeschlagenen Wechsel der Arbeitsfelder abweicht, nennt einen Grund (steht im Verlauf)
    protokoll_bereich_grund: Mapped[str | None] = mapped_column(Text)
    sequenz: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # iCalendar SEQUENCE
    absage_grund: Mapped[str | None] = mapped_column(Text)  # steht in der Absage (METHOD:CANCEL)
    status: Mapped[str] = mapped_column(String(40), default="geplant")
    # Einträge {bereich, einrichtung, name}. MutableList verfolgt append/remove; Änderungen *in* einem
    # Eintrag (dict) bitte als neuer Eintrag.
    eingeladene: Mapped[list] = mapped_column(MutableList.as_mutable(JSON), default=list)
    teilnehmende: Mapped[list] = mapped_column(MutableList.as_mutable(JSON), default=list)
    versendet_von: Mapped[str | None] = mapped_column(String(80))
    versendet_am: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sozialraum: Mapped[Sozialraum] = relationship()
    teilgremium: Mapped[Teilgremium | None] = relationship()
    ort: Mapped[Einrichtung | None] = relationship()
    punkte: Mapped[list[Protokollpunkt]] = relationship(back_populates="sitzung", cascade="all, delete-orphan")
    __table_args__ = (CheckConstraint(f"status IN ({sql_liste(SITZUNG_STATUS)})", name="ck_sitzung_status"),)
    delegationen: Mapped[list[Protokolldelegation]] = relationship(
        back_populates="sitzung", cascade="all, delete-orphan", order_by="Protokolldelegation.id")


class Protokolldelegation(Versioniert, Basis):
    """Wer das Protokoll an wen übergeben hat (R4: Erstellung und Versand können delegiert werden)."""

    __tablename__ = "protokolldelegation"
    id: Mapped[int] = mapped_column(primary_key=True)
    sitzung_id: Mapped[int] = mapped_column(ForeignKey("sitzung.id", ondelete="CASCADE"), index=True)
    von_login: Mapped[str] = mapped_column(String(80))
    an_name: Mapped[str] = mapped_column(String(200))
    an_bereich: Mapped[str | None] = mapped_column(String(80))
    an_login: Mapped[str | None] = mapped_column(String(80))
    zeitpunkt: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    grund: Mapped[str | None] = mapped_column(Text)
    sitzung: Mapped[Sitzung] = relationship(back_populates="delegationen")

    @property
    def sozialraum_id(self) -> int | None:
        sz = self.sitzung or _laden(self, Sitzung, self.sitzung_id)
        return sz.sozialraum_id if sz is not None else None


class Protokollpunkt(Versioniert, Basis):
    __tablename__ = "protokollpunkt"
    id: Mapped[int] = mapped_column(primary_key=True)
    sitzung_id: Mapped[int] = mapped_column(ForeignKey("sitzung.id", ondelete="CASCADE"), index=True)
    frage: Mapped[int] = mapped_column(Integer)
    handlungsebene: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    fallbesprechung: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymisiert: Mapped[bool] = mapped_column(Boolean, default=False)
    schweigepflichtentbindung: Mapped[bool] = mapped_column(Boolean, default=False)
    # R3: Befunde der Datenschutzprüfung, die die schreibende Person mit Begründung bestätigt hat
    datenschutz_befunde: Mapped[list] = mapped_column(JSON, default=list)
    datenschutz_grund: Mapped[str | None] = mapped_column(Text)
    sitzung: Mapped[Sitzung] = relationship(back_populates="punkte")
    bezug: Mapped[list[Einrichtung]] = relationship(secondary=protokollpunkt_bezug)
    # Obergrenze = Zahl der Fragen der Kommune: prüft die Datenschicht (daten.gueltigkeit).
    __table_args__ = (CheckConstraint("frage >= 1", name="ck_protokollpunkt_frage"),)
    netzwerke: Mapped[list[Netzwerk]] = relationship(secondary=protokollpunkt_netzwerk)
    stadtteile: Mapped[list[Stadtteil]] = relationship(secondary=protokollpunkt_stadtteil)
    fehlende_ressourcen: Mapped[list[FehlendeRessource]] = relationship(
        back_populates="protokollpunkt", cascade="all, delete-orphan")


class FehlendeRessource(Versioniert, Basis):
    """Frage 6: eine fehlende Ressource als Punkt auf der Karte (EPSG:4326)."""

    __tablename__ = "fehlende_ressource"
    id: Mapped[int] = mapped_column(primary_key=True)
    protokollpunkt_id: Mapped[int] = mapped_column(ForeignKey("protokollpunkt.id", ondelete="CASCADE"), index=True)
    bezeichnung: Mapped[str] = mapped_column(String(300))
    geometrie: Mapped[object] = mapped_column(Geo("POINT"))
    protokollpunkt: Mapped[Protokollpunkt] = relationship(back_populates="fehlende_ressourcen")

    @property
    def sozialraum_id(self) -> int | None:
        p = self.protokollpunkt or _laden(self, Protokollpunkt, self.protokollpunkt_id)
        sz = (p.sitzung or _laden(p, Sitzung, p.sitzung_id)) if p is not None else None
        return sz.sozialraum_id if sz is not None else None


class Massnahme(Versioniert, Basis):
    __tablename__ = "massnahme"
    id: Mapped[int] = mapped_column(primary_key=True)
    schluessel: Mapped[str] = mapped_column(String(80), unique=True)
    sozialraum_id: Mapped[int] = mapped_column(ForeignKey("sozialraum.id"), index=True)
    sitzung_id: Mapped[int | None] = mapped_column(ForeignKey("sitzung.id"))
    protokollpunkt_id: Mapped[int | None] = mapped_column(ForeignKey("protokollpunkt.id", ondelete="SET NULL"))
    titel: Mapped[str] = mapped_column(String(300))
    art: Mapped[str] = mapped_column(String(40))
    beschlussvorlage: Mapped[str | None] = mapped_column(String(40))
    kosten_geplant: Mapped[float] = mapped_column(Float, default=0.0)
    kosten_ist: Mapped[float | None] = mapped_column(Float)
    umgesetzt_am: Mapped[date | None] = mapped_column(Date)
    durchfuehrung: Mapped[str | None] = mapped_column(String(300))
    genehmigt: Mapped[bool] = mapped_column(Boolean, default=False)
    genehmigt_von: Mapped[str | None] = mapped_column(String(80))  # R10: Login der Teamleitung ASD
    genehmigt_am: Mapped[date | None] = mapped_column(Date)
    ueberschreitung_grund: Mapped[str | None] = mapped_column(Text)  # bestätigte Budgetüberschreitung
    status: Mapped[str] = mapped_column(String(40), default="beantragt")
    jahr: Mapped[int] = mapped_column(Integer)
    sozialraum: Mapped[Sozialraum] = relationship()
    __table_args__ = (CheckConstraint(f"status IN ({sql_liste(MASSNAHME_STATUS)})", name="ck_massnahme_status"),)
    protokollpunkt: Mapped[Protokollpunkt | None] = relationship()


class Budget(Versioniert, Basis):
    __tablename__ = "budget"
    id: Mapped[int] = mapped_column(primary_key=True)
    sozialraum_id: Mapped[int] = mapped_column(ForeignKey("sozialraum.id"))
    jahr: Mapped[int] = mapped_column(Integer)
    kategorie: Mapped[str] = mapped_column(String(80))
    betrag_eur: Mapped[float] = mapped_column(Float)
    sozialraum: Mapped[Sozialraum] = relationship()
    __table_args__ = (UniqueConstraint("sozialraum_id", "jahr", "kategorie"),)


class Hospitation(Versioniert, Basis):
    __tablename__ = "hospitation"
    id: Mapped[int] = mapped_column(primary_key=True)
    von_id: Mapped[int] = mapped_column(ForeignKey("einrichtung.id"))
    nach_id: Mapped[int] = mapped_column(ForeignKey("einrichtung.id"))
    datum: Mapped[date] = mapped_column(Date)
    bereich: Mapped[str | None] = mapped_column(String(200))  # Arbeitsfeld, das kennengelernt wird
    anzahl_personen: Mapped[int] = mapped_column(Integer, default=1)
    zweck: Mapped[str | None] = mapped_column(Text)
    von: Mapped[Einrichtung] = relationship(foreign_keys=[von_id])
    nach: Mapped[Einrichtung] = relationship(foreign_keys=[nach_id])


class Reflexion(Versioniert, Basis):
    """R11/5.2: gemeinsame Sitzung der Delegierten mit der Lenkungsgruppe oder deren eigene Folgesitzung."""

    __tablename__ = "reflexion"
    id: Mapped[int] = mapped_column(primary_key=True)
    jahr: Mapped[int] = mapped_column(Integer)
    datum: Mapped[date | None] = mapped_column(Date)
    art: Mapped[str] = mapped_column(String(40), default="gemeinsam")
    vorsitzung_id: Mapped[int | None] = mapped_column(ForeignKey("reflexion.id"))
    zeitraum_von: Mapped[date | None] = mapped_column(Date)
    zeitraum_bis: Mapped[date | None] = mapped_column(Date)
    teilnehmende: Mapped[str | None] = mapped_column(Text)
    delegierte: Mapped[list] = mapped_column(JSON, default=list)  # [{sozialraum, name}]
    ergebnisse: Mapped[str | None] = mapped_column(Text)
    vorschlaege: Mapped[str | None] = mapped_column(Text)  # Vorschläge zur Fortschreibung
    dokumentiert_von: Mapped[str | None] = mapped_column(String(80))
    __table_args__ = (UniqueConstraint("jahr", "art", name="uq_reflexion_jahr_art"),)  # 5.2: einmal im Jahr


class Lenkungsbericht(Versioniert, Basis):
    """4.2: der jährliche Bericht der Teamleitung ASD an die Lenkungsgruppe (einer je Sozialraum und Jahr)."""

    __tablename__ = "lenkungsbericht"
    id: Mapped[int] = mapped_column(primary_key=True)
    sozialraum_id: Mapped[int] = mapped_column(ForeignKey("sozialraum.id"), index=True)
    jahr: Mapped[int] = mapped_column(Integer)
    datum: Mapped[date] = mapped_column(Date)
    erstattet_von: Mapped[str] = mapped_column(String(80))
    inhalt: Mapped[str | None] = mapped_column(Text)
    sozialraum: Mapped[Sozialraum] = relationship()
    __table_args__ = (UniqueConstraint("sozialraum_id", "jahr"),)
