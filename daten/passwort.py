"""Passwörter (argon2id). Rollen und Rechte: daten.politik."""

from __future__ import annotations

import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import Argon2Error

# Rollen, Akteur und Rechte stehen in daten.politik (eine erklärte Politik); hier nur noch Passwörter.
from daten.politik import ROLLEN, SYSTEM, Akteur  # noqa: E402,F401  (Übergang: alte Importe)

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
