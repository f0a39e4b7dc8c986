"""Jahresbericht: Empfehlungen der Jugendhilfeplanung je Sozialraum (oder stadtweit) und Jahr (R9, 3.2.4).

Entwürfe werden gespeichert und wie alles andere im Änderungsprotokoll festgehalten; schreiben dürfen nur
Jugendhilfeplanung und Administration (daten/politik.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from daten.modelle.basis import Basis, Versioniert

if TYPE_CHECKING:
    from daten.modelle.raum import Sozialraum


class Empfehlung(Versioniert, Basis):
    __tablename__ = "empfehlung"
    id: Mapped[int] = mapped_column(primary_key=True)
    sozialraum_id: Mapped[int | None] = mapped_column(ForeignKey("sozialraum.id"), index=True)  # None = stadtweit
    jahr: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(40), default="entwurf")  # entwurf | abgestimmt
    geaendert_von: Mapped[str | None] = mapped_column(String(80))
    geaendert_am: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sozialraum: Mapped[Sozialraum | None] = relationship()
    __table_args__ = (UniqueConstraint("sozialraum_id", "jahr"),)


class Bewertung(Versioniert, Basis):
    """3.2.4: die schriftliche Einschätzung je Frage (Entwurf aus den Protokollpunkten, von der
    Jugendhilfeplanung bearbeitet) für den Jahresbericht; je Sozialraum (oder stadtweit), Jahr und Frage."""

    __tablename__ = "bewertung"
    id: Mapped[int] = mapped_column(primary_key=True)
    sozialraum_id: Mapped[int | None] = mapped_column(ForeignKey("sozialraum.id"), index=True)  # None = stadtweit
    jahr: Mapped[int] = mapped_column(Integer)
    frage: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(40), default="entwurf")  # entwurf | abgestimmt
    geaendert_von: Mapped[str | None] = mapped_column(String(80))
    geaendert_am: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sozialraum: Mapped[Sozialraum | None] = relationship()
    __table_args__ = (UniqueConstraint("sozialraum_id", "jahr", "frage"),)
