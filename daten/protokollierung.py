"""Protokollierung (logging) einmal eingerichtet: Stufe und Format aus den Einstellungen, für Kommandozeile und
Dashboard.

`RESSOURCENKARTE_LOG_LEVEL` (DEBUG, INFO, WARNING, ERROR; Standard WARNING) und `RESSOURCENKARTE_LOG_FORMAT`
(`text` für Menschen, `json` für Sammeldienste wie Loki/ELK: eine JSON-Zeile je Eintrag mit time, level, logger,
message). Ausgabe auf stderr. Was ins Protokoll geht, nennt Konten und Anlässe, nie Passwörter oder
Protokolltexte; als zweite Sicherung schwärzt ein Filter die Werte geheimer Einstellungen (Admin-, SMTP-Passwort).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Any

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

STUFEN = ("DEBUG", "INFO", "WARNING", "ERROR")
FORMATE = ("text", "json")
TEXTFORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
GESCHWAERZT = "***"
_MARKE = "_ressourcenkarte"  # kennzeichnet unseren Handler: erneutes Einrichten ersetzt ihn statt zu verdoppeln


class _Protokolleinstellungen(BaseSettings):
    """Nur was die Protokollierung braucht: sie soll auch laufen, wenn andere Einstellungen ungültig sind."""

    model_config = SettingsConfigDict(env_prefix="RESSOURCENKARTE_", env_file=".env", extra="ignore")
    log_level: str = Field(default="WARNING")
    log_format: str = Field(default="text")
    admin_passwort: SecretStr | None = None
    smtp_passwort: SecretStr | None = None


# Felder, die Einträge über `extra=` mitgeben (daten.audit: wer, was, welcher Datensatz)
FELDER = ("login", "aktion", "objekt")


class JsonFormat(logging.Formatter):
    """Eine JSON-Zeile je Eintrag: time (UTC, ISO 8601), level, logger, message, wo vorhanden login, aktion, objekt
    (und exception)."""

    def format(self, record: logging.LogRecord) -> str:  # noqa: D102
        eintrag: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        eintrag.update({f: getattr(record, f) for f in FELDER if hasattr(record, f)})
        if record.exc_info:
            eintrag["exception"] = self.formatException(record.exc_info)
        return json.dumps(eintrag, ensure_ascii=False)


class Schwaerzen(logging.Filter):
    """Ersetzt die Werte geheimer Einstellungen in jeder Meldung durch ***."""

    def __init__(self, geheim: list[str]) -> None:
        super().__init__()
        self.geheim = [g for g in geheim if len(g) >= 4]  # kürzere Werte kämen in gewöhnlichen Wörtern vor

    def filter(self, record: logging.LogRecord) -> bool:  # noqa: D102
        if self.geheim:
            text = record.getMessage()
            if any(g in text for g in self.geheim):
                for g in self.geheim:
                    text = text.replace(g, GESCHWAERZT)
                record.msg, record.args = text, None
        return True


class _StderrJetzt(logging.StreamHandler):
    """Schreibt auf das *jeweils aktuelle* sys.stderr (wie Pythons Notbehelf), nicht auf das beim Einrichten –
    sonst landen Einträge nach einer Umleitung (Tests, Streamlit) in einem geschlossenen Strom."""

    @property
    def stream(self) -> IO[str]:  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, _wert: object) -> None:
        pass


def _lies() -> _Protokolleinstellungen:
    try:
        return _Protokolleinstellungen()
    except ValidationError:
        return _Protokolleinstellungen.model_construct()


def richte_ein(*, stufe: str | None = None, format: str | None = None, strom: IO[str] | None = None) -> logging.Handler:
    """Richtet das Protokoll ein (wiederholbar: ersetzt den eigenen Handler). Unbekannte Stufe/Format →
    Standard (WARNING/text) und eine Warnung im Protokoll, nie ein Abbruch. Gibt den Handler zurück."""
    e = _lies()
    stufe = (stufe or e.log_level or "WARNING").upper()
    format = (format or e.log_format or "text").lower()
    warnungen = []
    if stufe not in STUFEN:
        warnungen.append(f"RESSOURCENKARTE_LOG_LEVEL={stufe!r} ist unbekannt (erlaubt: {', '.join(STUFEN)}); "
                         "es gilt WARNING.")
        stufe = "WARNING"
    if format not in FORMATE:
        warnungen.append(f"RESSOURCENKARTE_LOG_FORMAT={format!r} ist unbekannt (erlaubt: text, json); es gilt text.")
        format = "text"
    wurzel = logging.getLogger()
    for h in [h for h in wurzel.handlers if getattr(h, _MARKE, False)]:
        wurzel.removeHandler(h)
    handler = logging.StreamHandler(strom) if strom is not None else _StderrJetzt()
    setattr(handler, _MARKE, True)
    handler.setFormatter(JsonFormat() if format == "json" else logging.Formatter(TEXTFORMAT))
    geheim = [s.get_secret_value() for s in (e.admin_passwort, e.smtp_passwort) if s is not None]
    handler.addFilter(Schwaerzen(geheim))
    wurzel.addHandler(handler)
    wurzel.setLevel(stufe)
    for w in warnungen:
        logging.getLogger("ressourcenkarte.protokollierung").warning(w)
    return handler
