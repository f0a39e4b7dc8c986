"""Ein typisiertes Einstellungsobjekt, gelesen aus Umgebung (Präfix RESSOURCENKARTE_) und `.env`.

Jede Einstellung ist in EINSTELLUNGEN_HILFE dokumentiert; ein Test prüft, dass das README sie nennt.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from daten.config import KOMMUNE_STANDARD
from daten.fehler import KonfigurationsFehler

DEMO_PASSWORT = "demo"


def datenordner() -> Path:
    """Per-Nutzer-Datenordner (XDG), nicht im Paket: dort liegt die SQLite-Standarddatei."""
    basis = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(basis) / "ressourcenkarte"


EINSTELLUNGEN_HILFE: dict[str, str] = {
    "RESSOURCENKARTE_DB_URL": "Datenbank-URL (SQLAlchemy). Standard: SQLite-Datei im Datenordner; "
    "PostGIS: postgresql+psycopg://user@host:5432/db",
    "RESSOURCENKARTE_KOMMUNE": "Pfad zur Kommune-Konfiguration (YAML). Standard: Mainz.",
    "RESSOURCENKARTE_BASEMAP": "Hintergrundkarte: keine (Standard, ohne Anfragen ins Netz), osm, basemapde, "
    "wms:URL|Layer (WMS, z. B. basemap.de oder städtisch) oder xyz:URL mit {z}/{x}/{y} (Kachelserver)",
    "RESSOURCENKARTE_DEMO": "Demo-Modus (true/false): Anmeldung mit Demo-Konten, Passwort 'demo'.",
    "RESSOURCENKARTE_ADMIN_PASSWORT": "Passwort des Kontos 'admin'; `init` setzt es (und ändert es, wenn es sich "
    "geändert hat). Pflicht außerhalb des Demo-Modus.",
    "RESSOURCENKARTE_INAKTIV_MINUTEN": "Abmeldung im Dashboard nach so vielen Minuten ohne Aktion (1–1440, "
    "Standard 30).",
    # --- Gremium: Versand von Einladungen per E-Mail (ohne SMTP_HOST nur Download)
    "RESSOURCENKARTE_SMTP_HOST": "SMTP-Server für Einladungen (leer = kein Versand, nur Download der .ics).",
    "RESSOURCENKARTE_SMTP_PORT": "Port des SMTP-Servers (Standard 587).",
    "RESSOURCENKARTE_SMTP_ABSENDER": "Absenderadresse der Einladungen (Standard: ressourcenkarte@localhost).",
    "RESSOURCENKARTE_SMTP_BENUTZER": "Anmeldename am SMTP-Server (leer = ohne Anmeldung).",
    "RESSOURCENKARTE_SMTP_PASSWORT": "Passwort am SMTP-Server.",
    "RESSOURCENKARTE_SMTP_STARTTLS": "STARTTLS vor der Anmeldung (true/false, Standard true).",
    "RESSOURCENKARTE_FRISCHE_MONATE": "Nach wie vielen Monaten ohne Bestätigung ein Eintrag der Teamleitung zur "
    "Prüfung vorgelegt wird (Standard 12).",
    "RESSOURCENKARTE_ANMELDUNG": "Anmeldung: lokal (Konten mit Passwort), sso (Single Sign-on über OpenID Connect, "
    "st.login) oder beide.",
    "RESSOURCENKARTE_OIDC_ANBIETER": "Name des Anbieters in secrets.toml ([auth.NAME]); leer = Abschnitt [auth].",
    "RESSOURCENKARTE_OIDC_CLAIM": "Anspruch (claim) im ID-Token, der die Gruppen trägt (Standard groups).",
    "RESSOURCENKARTE_VERTRAUTE_PROXYS": "Adressen/Netze der eigenen Reverse-Proxys (mit , getrennt, z. B. "
    "'127.0.0.1, 10.0.0.0/24'): nur von ihnen wird X-Forwarded-For für die Client-Adresse der Anmeldesperre gelesen; "
    "leer = nie.",
    "RESSOURCENKARTE_LOG_LEVEL": "Stufe des Protokolls (logging): DEBUG, INFO, WARNING oder ERROR (Standard WARNING).",
    "RESSOURCENKARTE_LOG_FORMAT": "Format des Protokolls auf stderr: text (Standard) oder json (eine JSON-Zeile je "
    "Eintrag für Sammeldienste).",
    "RESSOURCENKARTE_PRODUKTION": "Produktionsbetrieb (true/false, Standard false): der Start verweigert dann "
    "Demo-Modus, SQLite und eine leere RESSOURCENKARTE_VERTRAUTE_PROXYS (deploy/ setzt true).",
    "RESSOURCENKARTE_OIDC_GRUPPEN": "Zuordnung Gruppe → Rolle[:Sozialraum], mit ; getrennt, z. B. "
    "'AfJF-Admin=admin; ASD-TL-Neustadt=teamleitung:Neustadt'.",
    "RESSOURCENKARTE_OEFFENTLICHE_URL": "Öffentliche Adresse der Anwendung (z. B. https://ressourcenkarte.mainz.de; "
    "leer = keine): die Seite „Offene Daten“ verlinkt darunter die Schnittstelle (/api/collections, pygeoapi), die "
    "Metadaten (DCAT-AP.de) nennen die Adressen der Dateien (/offene-daten/…).",
}


class Einstellungen(BaseSettings):
    """Laufzeit-Einstellungen; außerhalb des Demo-Modus werden unsichere Standardwerte abgelehnt."""

    model_config = SettingsConfigDict(env_prefix="RESSOURCENKARTE_", env_file=".env", extra="ignore")

    db_url: str = Field(default="")
    kommune: Path = Field(default=KOMMUNE_STANDARD)
    basemap: str = Field(default="keine")  # im Intranet: keine Kachel-Anfragen, bis ein Server eingetragen ist
    demo: bool = Field(default=True)
    admin_passwort: SecretStr | None = Field(default=None)
    inaktiv_minuten: int = Field(default=30, ge=1, le=1440)
    # --- Gremium: SMTP für Einladungen
    smtp_host: str = Field(default="")
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_absender: str = Field(default="ressourcenkarte@localhost")
    smtp_benutzer: str = Field(default="")
    smtp_passwort: SecretStr | None = Field(default=None)
    smtp_starttls: bool = Field(default=True)
    frische_monate: int = Field(default=12, ge=1, le=120)
    anmeldung: str = Field(default="lokal")
    oidc_anbieter: str = Field(default="")
    oidc_claim: str = Field(default="groups", min_length=1)
    oidc_gruppen: str = Field(default="")
    vertraute_proxys: str = Field(default="")
    log_level: str = Field(default="WARNING")
    log_format: str = Field(default="text")
    produktion: bool = Field(default=False)
    oeffentliche_url: str = Field(default="", pattern=r"^(https?://\S+)?$")

    @model_validator(mode="after")
    def _pruefen(self) -> Einstellungen:
        if not self.db_url:
            self.db_url = f"sqlite:///{datenordner() / 'ressourcenkarte.db'}"
        if not self.demo:
            pw = self.admin_passwort.get_secret_value() if self.admin_passwort else ""
            if len(pw) < 12 or pw == DEMO_PASSWORT:
                raise KonfigurationsFehler(
                    "Außerhalb des Demo-Modus braucht RESSOURCENKARTE_ADMIN_PASSWORT ein eigenes Passwort "
                    "mit mindestens 12 Zeichen (das Demo-Passwort ist nicht erlaubt)."
                )
        basemap = self.basemap
        if basemap not in ("osm", "basemapde", "keine") and not basemap.startswith(("wms:", "xyz:")):
            raise KonfigurationsFehler(
                f"RESSOURCENKARTE_BASEMAP='{basemap}' ist unbekannt. Erlaubt: keine, osm, basemapde, "
                "wms:URL|Layer, xyz:URL."
            )
        self._pruefe_anmeldung()
        self.proxy_netze()  # ungültige Angaben beim Start melden, nicht bei der ersten Anmeldung
        self._pruefe_protokoll()
        if self.produktion:
            self._pruefe_produktion()
        return self

    def _pruefe_produktion(self) -> None:
        """Im Produktionsbetrieb (deploy/) fehlt nichts, was die IT setzen muss; sonst startet keine Instanz."""
        fehlt = []
        if self.demo:
            fehlt.append("RESSOURCENKARTE_DEMO=false")
        if not self.db_url.startswith("postgresql"):
            fehlt.append("RESSOURCENKARTE_DB_URL auf PostgreSQL/PostGIS (postgresql+psycopg://rk_app@…), nicht SQLite")
        if not self.proxy_netze():
            fehlt.append("RESSOURCENKARTE_VERTRAUTE_PROXYS (Adresse des Reverse-Proxys, z. B. 127.0.0.1)")
        if fehlt:
            raise KonfigurationsFehler("RESSOURCENKARTE_PRODUKTION=true verlangt: " + "; ".join(fehlt)
                                       + ". Bitte /etc/ressourcenkarte/ressourcenkarte.env ergänzen.")

    def proxy_netze(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        netze = []
        for teil in (t.strip() for t in self.vertraute_proxys.split(",")):
            if not teil:
                continue
            try:
                netze.append(ipaddress.ip_network(teil, strict=False))
            except ValueError:
                raise KonfigurationsFehler(f"RESSOURCENKARTE_VERTRAUTE_PROXYS: „{teil}“ ist keine IP-Adresse und kein "
                                           "Netz (Beispiel: 127.0.0.1, 10.0.0.0/24).") from None
        return netze

    def _pruefe_protokoll(self) -> None:
        from daten.protokollierung import FORMATE, STUFEN

        if self.log_level.upper() not in STUFEN:
            raise KonfigurationsFehler(f"RESSOURCENKARTE_LOG_LEVEL='{self.log_level}' ist unbekannt. Erlaubt: "
                                       f"{', '.join(STUFEN)}.")
        if self.log_format.lower() not in FORMATE:
            raise KonfigurationsFehler(f"RESSOURCENKARTE_LOG_FORMAT='{self.log_format}' ist unbekannt. Erlaubt: "
                                       f"{', '.join(FORMATE)}.")

    def _pruefe_anmeldung(self) -> None:
        if self.anmeldung not in ("lokal", "sso", "beide"):
            raise KonfigurationsFehler(
                f"RESSOURCENKARTE_ANMELDUNG='{self.anmeldung}' ist unbekannt. Erlaubt: lokal, sso, beide.")
        if self.anmeldung != "lokal":
            from daten.dienste.anmeldung import lies_gruppen

            if not lies_gruppen(self.oidc_gruppen):
                raise KonfigurationsFehler("Mit Single Sign-on braucht RESSOURCENKARTE_OIDC_GRUPPEN mindestens eine "
                                           "Zuordnung Gruppe=rolle[:Sozialraum].")
        if "_" in self.oidc_anbieter:
            raise KonfigurationsFehler("RESSOURCENKARTE_OIDC_ANBIETER: Streamlit erlaubt im Anbieternamen kein '_'.")


def lade_einstellungen(**ueberschreiben: object) -> Einstellungen:
    """Liest die Einstellungen; `ueberschreiben` (z. B. aus der CLI oder st.secrets) hat Vorrang."""
    werte = {k: v for k, v in ueberschreiben.items() if v is not None}
    try:
        return Einstellungen(**werte)
    except KonfigurationsFehler:
        raise
    except ValidationError as exc:
        # Nur Feldnamen und Regel nennen, nie den Wert: er kann ein Passwort sein.
        teile = [f"RESSOURCENKARTE_{str(f['loc'][0]).upper() if f['loc'] else '?'}: {f['msg']}"
                 for f in exc.errors()[:3]]
        raise KonfigurationsFehler(
            f"Einstellungen ungültig – {'; '.join(teile)}. Bitte Umgebung/.env korrigieren.") from None


class _NurKommune(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RESSOURCENKARTE_", env_file=".env", extra="ignore")
    kommune: Path = Field(default=KOMMUNE_STANDARD)


def kommune_pfad() -> Path:
    """Pfad der eingestellten Kommune-Konfiguration (ohne die übrigen Einstellungen zu prüfen)."""
    try:
        return _NurKommune().kommune
    except ValidationError:
        return KOMMUNE_STANDARD
