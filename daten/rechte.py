"""Rollen, Rechte und Passwörter. Die Prüfung läuft in der Datenschicht (vor jedem Flush).

Rollen: admin, jugendhilfeplanung, teamleitung (eigener Sozialraum), mitglied (eigener Sozialraum),
lenkungsgruppe (nur lesen).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

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
    "massnahme": {"teamleitung": "eigener"},
    "budget": {"teamleitung": "eigener"},
    "hospitation": {"teamleitung": "eigener", "mitglied": "eigener"},
    "indikatorwert": {"jugendhilfeplanung": "alle"},
    "reflexion": {"jugendhilfeplanung": "alle"},
    "empfehlung": {"jugendhilfeplanung": "alle"},
    "stadtteil": {},
    "sozialraum": {},
    "benutzer": {},
    "kommune": {},
}


@dataclass(frozen=True)
class Akteur:
    """Wer gerade handelt: Login, Rolle, ggf. eigener Sozialraum (id)."""

    login: str
    rolle: str
    sozialraum_id: int | None = None


SYSTEM = Akteur(login="system", rolle="admin")


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


def darf_protokoll_lesen(akteur: Akteur | None, sozialraum_id: int | None) -> bool:
    """True, wenn `akteur` Protokolle (und Fallbesprechungen) des Gremiums `sozialraum_id` lesen darf.

    Lesen dürfen die Personen auf dem Verteiler des Gremiums mit Konto: Teamleitung und Mitglieder
    dieses Sozialraums, Jugendhilfeplanung, Administration. Lenkungsgruppe und Öffentlichkeit sehen
    nur Zusammenfassungen und die Karte.
    """
    if akteur is None:
        return False
    if akteur.rolle in ("admin", "jugendhilfeplanung"):
        return True
    if akteur.rolle in ("teamleitung", "mitglied"):
        return sozialraum_id is not None and sozialraum_id == akteur.sozialraum_id
    return False


_N, _R, _P = 2**14, 8, 1


def hash_passwort(passwort: str) -> str:
    """scrypt-Hash mit Salz; Format `scrypt$n$r$p$salz$hash` (hex)."""
    salz = secrets.token_bytes(16)
    h = hashlib.scrypt(passwort.encode(), salt=salz, n=_N, r=_R, p=_P)
    return f"scrypt${_N}${_R}${_P}${salz.hex()}${h.hex()}"


def pruefe_passwort(passwort: str, gespeichert: str) -> bool:
    """Vergleicht in konstanter Zeit; unbekannte Formate sind nie gültig."""
    try:
        art, n, r, p, salz, h = gespeichert.split("$")
    except ValueError:
        return False
    if art != "scrypt":
        return False
    neu = hashlib.scrypt(passwort.encode(), salt=bytes.fromhex(salz), n=int(n), r=int(r), p=int(p))
    return hmac.compare_digest(neu.hex(), h)
