"""Versand per E-Mail über SMTP (Einstellungen `RESSOURCENKARTE_SMTP_*`): Einladung (R4) und Ergebnisprotokoll
als PDF an den Verteiler (R8).

Adressen kommen aus der Konfiguration (`verteiler.adressen`: Eintrag des Verteilers → Adressen) oder werden
eingegeben. Das Protokoll wird zuerst als versendet vermerkt (`markiere_versendet`: wer, wann – die Datenschicht
prüft dabei Rechte und Status), dann gesendet; scheitert der Versand, bleibt nichts vermerkt (eine Transaktion).
Texte aus der Datenbank stehen als Klartext in der Nachricht, nie in einer Vorlage.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from typing import Any

from sqlalchemy.orm import Session

from daten import modelle as m
from daten.fehler import EingabeFehler, KonfigurationsFehler
from daten.gremium.protokoll import verteiler
from daten.gremium.sitzungen import markiere_versendet
from daten.politik import Akteur


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


def _titel(sz: m.Sitzung) -> str:
    gremium = sz.sozialraum.name + (f" – {sz.teilgremium.name}" if sz.teilgremium else "")
    return f"Ergebnisprotokoll Sozialraumgremium {gremium}, Sitzung am {sz.datum:%d.%m.%Y}"


def sende_protokoll(session: Session, akteur: Akteur, kommune: Any, einstellungen: Any, sitzung_id: int,
                    empfaenger: list[str]) -> m.Sitzung:
    """Sendet das Ergebnisprotokoll als PDF an `empfaenger` und vermerkt den Versand (R8: wer, wann).

    Versenden darf, wer den Status auf „versendet“ setzen darf (Protokollführung oder Teamleitung ASD, geprüft
    in der Datenschicht vor dem Senden). Gibt die Sitzung zurück.
    """
    from daten.dokument import als_pdf  # reportlab erst, wenn gesendet wird
    from daten.gremium.protokoll_dokument import protokoll_dokument

    pruefe_smtp(einstellungen, "das Protokoll")
    adressen = pruefe_adressen(empfaenger)
    sz = markiere_versendet(session, akteur, sitzung_id)  # Flush: Rechte und Status vor dem Senden
    pdf = als_pdf(protokoll_dokument(session, kommune, sitzung_id, akteur=akteur))
    nachricht = EmailMessage()
    nachricht["Subject"] = _titel(sz)
    nachricht["From"] = einstellungen.smtp_absender
    nachricht["To"] = ", ".join(adressen)
    liste = "\n".join(f"- {e}" for e in verteiler(kommune, sz))
    nachricht.set_content(
        f"Guten Tag,\n\nanbei das Ergebnisprotokoll der Sitzung des Sozialraumgremiums "
        f"{sz.teilgremium.name if sz.teilgremium else sz.sozialraum.name} am {sz.datum:%d.%m.%Y} (PDF).\n\n"
        f"Verteiler (Konzeption 3.2.3):\n{liste}\n\nDas Protokoll ist vertraulich; bitte nicht weiterleiten.\n\n"
        f"Mit freundlichen Grüßen\n{sz.protokollfuehrung or kommune.amt}\n")
    nachricht.add_attachment(pdf, maintype="application", subtype="pdf",
                             filename=f"protokoll-{sz.datum:%Y-%m-%d}.pdf")
    sende(nachricht, einstellungen, was="das Protokoll")
    return sz
