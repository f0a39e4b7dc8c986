"""Versand per E-Mail über SMTP (Einstellungen `RESSOURCENKARTE_SMTP_*`): Adressen prüfen, Nachricht senden.

Benutzt von der Einladung (R4, `daten.gremium.einladung`) und vom Ergebnisprotokoll (R8, `berichte.protokoll`).
Adressen kommen aus der Konfiguration (`verteiler.adressen`: Eintrag des Verteilers → Adressen) oder werden
eingegeben. Texte aus der Datenbank stehen als Klartext in der Nachricht, nie in einer Vorlage.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from typing import Any

from daten.fehler import EingabeFehler, KonfigurationsFehler

# 3.2.3/R8: Teilnehmende sorgen dafür, dass alle in ihrem Team oder ihrer Einrichtung das Protokoll lesen können –
# die E-Mail bittet darum (nie „nicht weiterleiten“) und sagt, dass keine Falldaten darin stehen (R3).
PROTOKOLL_HINWEIS = (
    "Bitte stellen Sie das Protokoll Ihrem Team bzw. allen Kolleginnen und Kollegen Ihrer Einrichtung zur "
    "Verfügung (Konzeption 3.2.3). Wer ein Konto hat, liest es auch in der Ressourcenkarte (Seite „Protokoll“).\n\n"
    "Datenschutz: Das Protokoll enthält keine personenbezogenen Falldaten; Einzelfälle stehen darin nur "
    "anonymisiert oder mit Schweigepflichtsentbindung (Konzeption 2).")


def pruefe_adressen(empfaenger: list[str]) -> list[str]:
    """Die Adressen ohne Leerzeilen und Dubletten (Reihenfolge bleibt); ungültige → deutsche Meldung."""
    adressen = list(dict.fromkeys(a.strip() for a in empfaenger if a and a.strip()))
    falsch = [a for a in adressen if "@" not in a or any(z.isspace() for z in a)]
    if not adressen or falsch:
        zusatz = f" (ungültig: {', '.join(falsch)})" if falsch else ""
        raise EingabeFehler(f"Empfänger: bitte gültige E-Mail-Adressen angeben, eine je Zeile{zusatz}.")
    return adressen


def pruefe_smtp(einstellungen: Any, was: str) -> None:
    """KonfigurationsFehler, wenn kein SMTP-Server eingestellt ist (`was`: „die Einladung“, „das Protokoll“)."""
    if not einstellungen.smtp_host:
        raise KonfigurationsFehler(f"Kein SMTP-Server eingestellt (RESSOURCENKARTE_SMTP_HOST). Bitte {was} "
                                   "herunterladen und selbst versenden.")


def sende(nachricht: EmailMessage, einstellungen: Any, *, was: str) -> None:
    """Sendet `nachricht` über den eingestellten SMTP-Server (STARTTLS und Anmeldung nach Einstellung)."""
    pruefe_smtp(einstellungen, was)
    try:
        with smtplib.SMTP(einstellungen.smtp_host, einstellungen.smtp_port, timeout=20) as smtp:
            if einstellungen.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if einstellungen.smtp_benutzer:
                pw = einstellungen.smtp_passwort.get_secret_value() if einstellungen.smtp_passwort else ""
                smtp.login(einstellungen.smtp_benutzer, pw)
            smtp.send_message(nachricht)
    except (OSError, smtplib.SMTPException) as exc:
        ziel = f"{einstellungen.smtp_host}:{einstellungen.smtp_port}"
        raise KonfigurationsFehler(f"Versand über {ziel} fehlgeschlagen ({type(exc).__name__}). Einstellungen prüfen "
                                   f"oder {was} herunterladen.") from None


def protokoll_adressen(kommune: Any) -> list[str]:
    """Die konfigurierten Adressen der Einträge des Protokollverteilers (3.2.3), ohne Dubletten."""
    adressen = kommune.verteiler.adressen
    return list(dict.fromkeys(a for eintrag in kommune.verteiler.protokoll for a in adressen.get(eintrag, [])))
