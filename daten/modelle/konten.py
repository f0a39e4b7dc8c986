"""Benutzerkonten, Anmeldesperren und Änderungsprotokoll (Audit)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, false, func
from sqlalchemy.orm import Mapped, mapped_column

from daten.modelle.basis import Basis, Versioniert
from daten.politik import ROLLEN
from daten.werte import AENDERUNG_AKTIONEN, sql_liste


class Benutzer(Versioniert, Basis):
    __tablename__ = "benutzer"
    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(80), unique=True)
    anzeigename: Mapped[str] = mapped_column(String(200))
    # info["geheim"]: verlässt die Datenschicht nie (Änderungsprotokoll maskiert, Tabellenexport lässt weg).
    passwort_hash: Mapped[str] = mapped_column(String(300), info={"geheim": True})
    rolle: Mapped[str] = mapped_column(String(40))
    sozialraum_id: Mapped[int | None] = mapped_column(ForeignKey("sozialraum.id"))
    aktiv: Mapped[bool] = mapped_column(Boolean, default=True)
    # Demo-Konto (Passwort 'demo'): meldet sich nur im Demo-Modus an; `init` ohne Demo sperrt es.
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # „Meine Aufgaben“: neu seit dem letzten Besuch (die Anmeldung schiebt beides weiter)
    letzte_anmeldung: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    vorige_anmeldung: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (CheckConstraint(f"rolle IN ({sql_liste(ROLLEN)})", name="ck_benutzer_rolle"),)


class Anmeldesperre(Basis):
    """Fehlversuche und Sperre je Schlüssel `konto:<login>` oder `client:<adresse>` (auch für unbekannte Logins)."""

    __tablename__ = "anmeldesperre"
    schluessel: Mapped[str] = mapped_column(String(200), primary_key=True)
    fehlversuche: Mapped[int] = mapped_column(Integer, default=0)
    letzter_fehlversuch: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    gesperrt_bis: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Aenderung(Basis):
    """Änderungsprotokoll (Audit): wer, wann, was vorher, was nachher. Nur anfügen, nie ändern."""

    __tablename__ = "aenderung"
    id: Mapped[int] = mapped_column(primary_key=True)
    zeitpunkt: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    benutzer: Mapped[str] = mapped_column(String(80))
    tabelle: Mapped[str] = mapped_column(String(80), index=True)
    datensatz_id: Mapped[int | None] = mapped_column(Integer)
    aktion: Mapped[str] = mapped_column(String(20))  # anlegen | aendern | loeschen | sammel | sperre
    vorher: Mapped[dict | None] = mapped_column(JSON)
    nachher: Mapped[dict | None] = mapped_column(JSON)
    __table_args__ = (CheckConstraint(f"aktion IN ({sql_liste(AENDERUNG_AKTIONEN)})", name="ck_aenderung_aktion"),)
