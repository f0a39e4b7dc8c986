"""Gremiumsarbeit: Sitzungen mit Ergebnisprotokoll, Maßnahmen, Budgets, Hospitationen, Reflexion."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.ext.mutable import MutableList
from sqlalchemy.orm import Mapped, mapped_column, relationship

from daten.modelle.basis import Basis, Versioniert
from daten.modelle.einrichtungen import protokollpunkt_bezug
from daten.werte import MASSNAHME_STATUS, SITZUNG_STATUS, sql_liste

if TYPE_CHECKING:
    from daten.modelle.einrichtungen import Einrichtung
    from daten.modelle.raum import Sozialraum


class Sitzung(Versioniert, Basis):
    __tablename__ = "sitzung"
    id: Mapped[int] = mapped_column(primary_key=True)
    schluessel: Mapped[str] = mapped_column(String(80), unique=True)
    sozialraum_id: Mapped[int] = mapped_column(ForeignKey("sozialraum.id"), index=True)
    datum: Mapped[date] = mapped_column(Date)
    ort_id: Mapped[int | None] = mapped_column(ForeignKey("einrichtung.id"))
    protokollfuehrung: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(40), default="geplant")
    # MutableList verfolgt append/remove; Änderungen *in* einem Eintrag (dict) bitte als neuer Eintrag.
    teilnehmende: Mapped[list] = mapped_column(MutableList.as_mutable(JSON), default=list)
    sozialraum: Mapped[Sozialraum] = relationship()
    ort: Mapped[Einrichtung | None] = relationship()
    punkte: Mapped[list[Protokollpunkt]] = relationship(back_populates="sitzung", cascade="all, delete-orphan")
    __table_args__ = (CheckConstraint(f"status IN ({sql_liste(SITZUNG_STATUS)})", name="ck_sitzung_status"),)


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
    sitzung: Mapped[Sitzung] = relationship(back_populates="punkte")
    bezug: Mapped[list[Einrichtung]] = relationship(secondary=protokollpunkt_bezug)
    # Obergrenze = Zahl der Fragen der Kommune: prüft die Datenschicht (daten.gueltigkeit).
    __table_args__ = (CheckConstraint("frage >= 1", name="ck_protokollpunkt_frage"),)


class Massnahme(Versioniert, Basis):
    __tablename__ = "massnahme"
    id: Mapped[int] = mapped_column(primary_key=True)
    schluessel: Mapped[str] = mapped_column(String(80), unique=True)
    sozialraum_id: Mapped[int] = mapped_column(ForeignKey("sozialraum.id"), index=True)
    sitzung_id: Mapped[int | None] = mapped_column(ForeignKey("sitzung.id"))
    titel: Mapped[str] = mapped_column(String(300))
    art: Mapped[str] = mapped_column(String(40))
    beschlussvorlage: Mapped[str | None] = mapped_column(String(40))
    kosten_geplant: Mapped[float] = mapped_column(Float, default=0.0)
    kosten_ist: Mapped[float | None] = mapped_column(Float)
    durchfuehrung: Mapped[str | None] = mapped_column(String(300))
    genehmigt: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(40), default="beantragt")
    jahr: Mapped[int] = mapped_column(Integer)
    sozialraum: Mapped[Sozialraum] = relationship()
    __table_args__ = (CheckConstraint(f"status IN ({sql_liste(MASSNAHME_STATUS)})", name="ck_massnahme_status"),)


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
    bereich: Mapped[str | None] = mapped_column(String(200))
    von: Mapped[Einrichtung] = relationship(foreign_keys=[von_id])
    nach: Mapped[Einrichtung] = relationship(foreign_keys=[nach_id])


class Reflexion(Versioniert, Basis):
    __tablename__ = "reflexion"
    id: Mapped[int] = mapped_column(primary_key=True)
    jahr: Mapped[int] = mapped_column(Integer)
    datum: Mapped[date | None] = mapped_column(Date)
    teilnehmende: Mapped[str | None] = mapped_column(Text)
    ergebnisse: Mapped[str | None] = mapped_column(Text)


