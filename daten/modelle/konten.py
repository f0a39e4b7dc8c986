"""Benutzerkonten und Änderungsprotokoll (Audit)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from daten.modelle.basis import Basis, Versioniert


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
