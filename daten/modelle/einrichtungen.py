"""Einrichtungen (Punkte, EPSG:4326) und Netzwerke zwischen ihnen."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, CheckConstraint, Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.ext.mutable import MutableList
from sqlalchemy.orm import Mapped, mapped_column, relationship

from daten.geometrie import Geo
from daten.modelle.basis import Basis, Versioniert
from daten.werte import NETZWERK_STATUS, sql_liste

if TYPE_CHECKING:
    from daten.modelle.raum import Sozialraum, Stadtteil


netzwerk_mitglied = Table(
    "netzwerk_mitglied",
    Basis.metadata,
    Column("netzwerk_id", ForeignKey("netzwerk.id", ondelete="CASCADE"), primary_key=True),
    Column("einrichtung_id", ForeignKey("einrichtung.id", ondelete="CASCADE"), primary_key=True),
)

protokollpunkt_bezug = Table(
    "protokollpunkt_bezug",
    Basis.metadata,
    Column("protokollpunkt_id", ForeignKey("protokollpunkt.id", ondelete="CASCADE"), primary_key=True),
    Column("einrichtung_id", ForeignKey("einrichtung.id", ondelete="CASCADE"), primary_key=True),
)


class Einrichtung(Versioniert, Basis):
    __tablename__ = "einrichtung"
    id: Mapped[int] = mapped_column(primary_key=True)
    schluessel: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    art: Mapped[str] = mapped_column(String(80), index=True)
    traeger_art: Mapped[str] = mapped_column(String(40))
    traeger: Mapped[str | None] = mapped_column(String(300))
    adresse: Mapped[str | None] = mapped_column(String(300))
    # MutableList: auch `zielgruppen.append(…)` wird gespeichert (und protokolliert), nicht still verworfen.
    zielgruppen: Mapped[list] = mapped_column(MutableList.as_mutable(JSON), default=list)
    angebote: Mapped[list] = mapped_column(MutableList.as_mutable(JSON), default=list)
    kapazitaet: Mapped[int | None] = mapped_column(Integer)
    gueltig_von: Mapped[date | None] = mapped_column(Date)
    gueltig_bis: Mapped[date | None] = mapped_column(Date)
    aktiv: Mapped[bool] = mapped_column(Boolean, default=True)
    stadtteil_id: Mapped[int] = mapped_column(ForeignKey("stadtteil.id"), index=True)
    geometrie: Mapped[object] = mapped_column(Geo("POINT"))
    quelle: Mapped[str | None] = mapped_column(Text)
    # Pflege: wann zuletzt geprüft (Frische), warum geschlossen (Schließen = gueltig_bis setzen)
    bestaetigt_am: Mapped[date | None] = mapped_column(Date, default=date.today)
    bestaetigt_von: Mapped[str | None] = mapped_column(String(80))
    schliessgrund: Mapped[str | None] = mapped_column(Text)
    stadtteil: Mapped[Stadtteil] = relationship()
    netzwerke: Mapped[list[Netzwerk]] = relationship(secondary=netzwerk_mitglied, back_populates="mitglieder")


class Netzwerk(Versioniert, Basis):
    __tablename__ = "netzwerk"
    id: Mapped[int] = mapped_column(primary_key=True)
    schluessel: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(40))  # "besteht" | "soll entwickelt werden"
    sozialraum_id: Mapped[int | None] = mapped_column(ForeignKey("sozialraum.id"))
    beschreibung: Mapped[str | None] = mapped_column(Text)
    koordination_id: Mapped[int | None] = mapped_column(ForeignKey("einrichtung.id", ondelete="SET NULL"))
    bestaetigt_am: Mapped[date | None] = mapped_column(Date, default=date.today)
    bestaetigt_von: Mapped[str | None] = mapped_column(String(80))
    sozialraum: Mapped[Sozialraum | None] = relationship()
    koordination: Mapped[Einrichtung | None] = relationship(foreign_keys=[koordination_id])
    mitglieder: Mapped[list[Einrichtung]] = relationship(secondary=netzwerk_mitglied, back_populates="netzwerke")
    __table_args__ = (CheckConstraint(f"status IN ({sql_liste(NETZWERK_STATUS)})", name="ck_netzwerk_status"),)


