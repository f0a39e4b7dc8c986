"""Rollen, Rechte und Passwörter. Die Prüfung läuft in der Datenschicht (vor jedem Flush).

Rollen: admin, jugendhilfeplanung, teamleitung (eigener Sozialraum), mitglied (eigener Sozialraum),
lenkungsgruppe (nur lesen).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import Argon2Error

ROLLEN: dict[str, str] = {
    "admin": "Administration (städtische IT)",
    "jugendhilfeplanung": "Jugendhilfeplanung",
    "teamleitung": "Teamleitung ASD",
    "mitglied": "Gremiumsmitglied",
    "lenkungsgruppe": "Lenkungsgruppe (nur lesen)",
}

# Welche Rolle welche Tabelle schreiben darf; "eigener" = nur im eigenen Sozialraum.
_SCHREIBRECHTE: dict[str, dict[str, str]] = {
    "einrichtung": {"teamleitung": "eigener"},
    "netzwerk": {"teamleitung": "eigener"},
    "sitzung": {"teamleitung": "eigener", "mitglied": "eigener"},
    "protokollpunkt": {"teamleitung": "eigener", "mitglied": "eigener"},
    # Maßnahmen beantragen auch Mitglieder; genehmigen darf nur die Teamleitung (daten.gremium.regeln, R10)
    "massnahme": {"teamleitung": "eigener", "mitglied": "eigener"},
    "budget": {"jugendhilfeplanung": "alle"},  # R10: die Teamleitung überwacht das Budget, sie setzt es nicht
    "hospitation": {"teamleitung": "eigener", "mitglied": "eigener"},
    "indikatorwert": {"jugendhilfeplanung": "alle"},
    "reflexion": {"jugendhilfeplanung": "alle"},
    "stufenbeschluss": {"teamleitung": "eigener", "jugendhilfeplanung": "alle"},
    "teilgremium": {"teamleitung": "eigener"},
    "protokolldelegation": {"teamleitung": "eigener"},
    "fehlende_ressource": {"teamleitung": "eigener", "mitglied": "eigener"},
    "empfehlung": {"jugendhilfeplanung": "alle"},
    "stadtteil": {},
    "sozialraum": {},
    "benutzer": {},
    "kommune": {},
}


# Wer Gremiumsprotokolle (auch Fallbesprechungen) lesen darf: der Verteiler mit Konto (3.2.3, R3).
_LESERECHTE_PROTOKOLL: dict[str, str] = {
    "admin": "alle",
    "jugendhilfeplanung": "alle",
    "teamleitung": "eigener",
    "mitglied": "eigener",
}


@dataclass(frozen=True)
class Akteur:
    """Wer gerade handelt: Login, Rolle, ggf. eigener Sozialraum (id)."""

    login: str
    rolle: str
    sozialraum_id: int | None = None
    anzeigename: str = field(default="", compare=False)


# Das System (Import, Wiederherstellung, Demo-Laden, Anmeldung) hat Admin-Rechte beim Schreiben über
# den ORM-Weg; Sammel-Anweisungen darf es nur in `daten.db.systemsitzung`. Kein Konto heißt "system".
SYSTEM = Akteur(login="system", rolle="admin", anzeigename="System")


def darf_schreiben(akteur: Akteur, tabelle: str, sozialraum_id: int | None) -> bool:
    """True, wenn `akteur` einen Datensatz von `tabelle` im Sozialraum `sozialraum_id` ändern darf."""
    if akteur.rolle == "admin":
        return True
    umfang = _SCHREIBRECHTE.get(tabelle, {}).get(akteur.rolle)
    if umfang == "alle":
        return True
    if umfang == "eigener":
        return sozialraum_id is not None and sozialraum_id == akteur.sozialraum_id
    return False


def protokoll_lesebereich(akteur: Akteur | None) -> str:
    """`"alle"`, `"eigener"` oder `"keiner"`: welche Gremiumsprotokolle `akteur` lesen darf."""
    if akteur is None:
        return "keiner"
    return _LESERECHTE_PROTOKOLL.get(akteur.rolle, "keiner")


def darf_protokoll_lesen(akteur: Akteur | None, sozialraum_id: int | None) -> bool:
    """True, wenn `akteur` Protokolle (und Fallbesprechungen) des Gremiums `sozialraum_id` lesen darf.

    Lesen dürfen die Personen auf dem Verteiler des Gremiums mit Konto: Teamleitung und Mitglieder
    dieses Sozialraums, Jugendhilfeplanung, Administration. Lenkungsgruppe und Öffentlichkeit sehen
    nur Zusammenfassungen und die Karte.
    """
    bereich = protokoll_lesebereich(akteur)
    if bereich == "alle":
        return True
    if bereich == "eigener":
        return sozialraum_id is not None and akteur is not None and sozialraum_id == akteur.sozialraum_id
    return False


# --- Passwörter -------------------------------------------------------------------------------
# argon2id mit den Standardwerten von argon2-cffi (RFC 9106, „low memory“: 64 MiB, t=3, p=4).
# Ältere scrypt-Hashes (`scrypt$n$r$p$salz$hash`) werden weiter geprüft und bei der Anmeldung ersetzt.
_ARGON2 = PasswordHasher()
_SCRYPT_GRENZEN = {"n": (2**10, 2**20), "r": (1, 32), "p": (1, 16)}  # mehr wäre ein DoS über die DB


def hash_passwort(passwort: str) -> str:
    """argon2id-Hash mit Salz (Format `$argon2id$v=19$m=…,t=…,p=…$salz$hash`)."""
    return _ARGON2.hash(passwort)


def _pruefe_scrypt(passwort: str, gespeichert: str) -> bool:
    art, n, r, p, salz, h = gespeichert.split("$")
    werte = {"n": int(n), "r": int(r), "p": int(p)}
    if art != "scrypt" or any(not lo <= werte[k] <= hi for k, (lo, hi) in _SCRYPT_GRENZEN.items()):
        return False
    neu = hashlib.scrypt(passwort.encode(), salt=bytes.fromhex(salz), n=werte["n"], r=werte["r"], p=werte["p"],
                         maxmem=2**28)
    return hmac.compare_digest(neu.hex(), h)


def pruefe_passwort(passwort: str, gespeichert: str | None) -> bool:
    """True nur bei passendem Passwort. Unbekannte oder kaputte Hashes sind eine Ablehnung, nie eine Ausnahme."""
    if not isinstance(gespeichert, str) or not isinstance(passwort, str):
        return False
    try:
        if gespeichert.startswith("$argon2id$"):
            return _ARGON2.verify(gespeichert, passwort)
        if gespeichert.startswith("scrypt$"):
            return _pruefe_scrypt(passwort, gespeichert)
    except (Argon2Error, ValueError, TypeError, MemoryError, OverflowError):
        return False
    return False


def braucht_neuen_hash(gespeichert: str) -> bool:
    """True, wenn der Hash nicht argon2id mit den aktuellen Parametern ist (dann nach Anmeldung ersetzen)."""
    if not gespeichert.startswith("$argon2id$"):
        return True
    try:
        return _ARGON2.check_needs_rehash(gespeichert)
    except (Argon2Error, ValueError):
        return True


def ist_hash(text: str) -> bool:
    """True, wenn `text` wie ein von uns erzeugter Passwort-Hash aussieht (argon2id oder scrypt)."""
    if text.startswith("$argon2id$"):
        try:
            extract_parameters(text)
            return True
        except (Argon2Error, ValueError):
            return False
    return text.startswith("scrypt$") and text.count("$") == 5
