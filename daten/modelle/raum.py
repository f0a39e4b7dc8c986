"""Kommune, Sozialräume, Stadtteile (Geometrie EPSG:4326) und ihre Indikatorwerte je Jahr."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from daten.geometrie import Geo
from daten.modelle.basis import Basis, Versioniert


class Kommune(Basis):
    __tablename__ = "kommune"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    demo_geladen: Mapped[bool] = mapped_column(Boolean, default=False)


class Sozialraum(Versioniert, Basis):
    __tablename__ = "sozialraum"
    id: Mapped[int] = mapped_column(primary_key=True)
    kommune_id: Mapped[int] = mapped_column(ForeignKey("kommune.id"))
    name: Mapped[str] = mapped_column(String(200))
    reihenfolge: Mapped[int] = mapped_column(Integer, default=0)
    stufe: Mapped[int] = mapped_column(Integer, default=1)
    teamleitung: Mapped[str | None] = mapped_column(String(200))
    stadtteile: Mapped[list[Stadtteil]] = relationship(back_populates="sozialraum")
    __table_args__ = (UniqueConstraint("kommune_id", "name"),
                      CheckConstraint("stufe BETWEEN 1 AND 3", name="ck_sozialraum_stufe"))


class Stadtteil(Versioniert, Basis):
    __tablename__ = "stadtteil"
    id: Mapped[int] = mapped_column(primary_key=True)
    sozialraum_id: Mapped[int] = mapped_column(ForeignKey("sozialraum.id"))
    name: Mapped[str] = mapped_column(String(200), unique=True)
    nummer: Mapped[str | None] = mapped_column(String(20))  # amtliche Nummer (Ortsbezirk), aus der Konfiguration
    geometrie: Mapped[object | None] = mapped_column(Geo("GEOMETRY"))
    quelle: Mapped[str | None] = mapped_column(Text)
    sozialraum: Mapped[Sozialraum] = relationship(back_populates="stadtteile")


class Indikatorwert(Versioniert, Basis):
    __tablename__ = "indikatorwert"
    id: Mapped[int] = mapped_column(primary_key=True)
    stadtteil_id: Mapped[int] = mapped_column(ForeignKey("stadtteil.id"), index=True)
    jahr: Mapped[int] = mapped_column(Integer)
    merkmal: Mapped[str] = mapped_column(String(80))
    wert: Mapped[float] = mapped_column(Float)
    quelle: Mapped[str | None] = mapped_column(Text)
    stadtteil: Mapped[Stadtteil] = relationship()
    __table_args__ = (UniqueConstraint("stadtteil_id", "jahr", "merkmal"),)


