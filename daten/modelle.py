"""SQLAlchemy-2-Modelle. Geometrien in EPSG:4326 über den portablen Typ `Geo`.

Jede bearbeitbare Zeile hat eine Versionsspalte (optimistische Sperre): wer einen veralteten Stand
speichert, bekommt einen Konflikt statt still zu überschreiben.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
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
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from daten.geometrie import Geo


class Basis(DeclarativeBase):
    pass


class Versioniert:
    """Mixin: Versionszähler für optimistische Sperren."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:  # noqa: N805
        return {"version_id_col": cls.version}


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
    __table_args__ = (UniqueConstraint("kommune_id", "name"),)


class Stadtteil(Versioniert, Basis):
    __tablename__ = "stadtteil"
    id: Mapped[int] = mapped_column(primary_key=True)
    sozialraum_id: Mapped[int] = mapped_column(ForeignKey("sozialraum.id"))
    name: Mapped[str] = mapped_column(String(200), unique=True)
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
    zielgruppen: Mapped[list] = mapped_column(JSON, default=list)
    angebote: Mapped[list] = mapped_column(JSON, default=list)
    kapazitaet: Mapped[int | None] = mapped_column(Integer)
    gueltig_von: Mapped[date | None] = mapped_column(Date)
    gueltig_bis: Mapped[date | None] = mapped_column(Date)
    aktiv: Mapped[bool] = mapped_column(Boolean, default=True)
    stadtteil_id: Mapped[int] = mapped_column(ForeignKey("stadtteil.id"), index=True)
    geometrie: Mapped[object] = mapped_column(Geo("POINT"))
    quelle: Mapped[str | None] = mapped_column(Text)
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
    sozialraum: Mapped[Sozialraum | None] = relationship()
    mitglieder: Mapped[list[Einrichtung]] = relationship(secondary=netzwerk_mitglied, back_populates="netzwerke")


class Sitzung(Versioniert, Basis):
    __tablename__ = "sitzung"
    id: Mapped[int] = mapped_column(primary_key=True)
    schluessel: Mapped[str] = mapped_column(String(80), unique=True)
    sozialraum_id: Mapped[int] = mapped_column(ForeignKey("sozialraum.id"), index=True)
    datum: Mapped[date] = mapped_column(Date)
    ort_id: Mapped[int | None] = mapped_column(ForeignKey("einrichtung.id"))
    protokollfuehrung: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(40), default="geplant")
    teilnehmende: Mapped[list] = mapped_column(JSON, default=list)
    sozialraum: Mapped[Sozialraum] = relationship()
    ort: Mapped[Einrichtung | None] = relationship()
    punkte: Mapped[list[Protokollpunkt]] = relationship(back_populates="sitzung", cascade="all, delete-orphan")


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


class Benutzer(Versioniert, Basis):
    __tablename__ = "benutzer"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(80), unique=True)
    anzeigename: Mapped[str] = mapped_column(String(200))
    passwort_hash: Mapped[str] = mapped_column(String(300))
    rolle: Mapped[str] = mapped_column(String(40))
    sozialraum_id: Mapped[int | None] = mapped_column(ForeignKey("sozialraum.id"))
    aktiv: Mapped[bool] = mapped_column(Boolean, default=True)


class Aenderung(Basis):
    """Änderungsprotokoll (Audit): wer, wann, was vorher, was nachher."""

    __tablename__ = "aenderung"
    id: Mapped[int] = mapped_column(primary_key=True)
    zeitpunkt: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    benutzer: Mapped[str] = mapped_column(String(80))
    tabelle: Mapped[str] = mapped_column(String(80), index=True)
    datensatz_id: Mapped[int | None] = mapped_column(Integer)
    aktion: Mapped[str] = mapped_column(String(20))  # anlegen | aendern | loeschen
    vorher: Mapped[dict | None] = mapped_column(JSON)
    nachher: Mapped[dict | None] = mapped_column(JSON)
