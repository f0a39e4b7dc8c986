"""Anmeldung: Passwortprüfung, Sperren nach Fehlversuchen, Demo-Konten nur im Demo-Modus.

Die Anmeldemaske (streamlit_app.py) ruft nur `anmelden` auf; Passwort-Hashes verlassen dieses Modul nicht.
Sperren gelten je Konto (`konto:<login>`, auch für unbekannte Logins – so verrät die Sperre nicht, ob es
ein Konto gibt) und je Client (`client:<adresse>`). Ab `KONTO_GRENZE` bzw. `CLIENT_GRENZE` Fehlversuchen
innerhalb von `FENSTER` wächst die Wartezeit: 30 s, 60 s, 120 s … höchstens 15 Minuten.
"""

from __future__ import annotations

import logging
import math
import secrets
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.engine import Engine

from daten import modelle as m
from daten.anmeldezeit import merke_anmeldung
from daten.audit import schreibe_protokollzeile
from daten.db import sitzung
from daten.fehler import AnmeldeFehler
from daten.passwort import braucht_neuen_hash, hash_passwort, pruefe_passwort
from daten.politik import SYSTEM, Akteur

KONTO_GRENZE = 5
CLIENT_GRENZE = 20  # höher: hinter einem Proxy teilen sich viele Personen eine Adresse
FENSTER = timedelta(minutes=15)
WARTEN_START_S = 30
WARTEN_HOECHSTENS_S = 15 * 60
FALSCH = "Benutzername oder Passwort ist falsch."

log = logging.getLogger("ressourcenkarte.anmeldung")


@lru_cache(maxsize=1)
def _attrappe() -> str:
    """Hash eines Zufallspassworts: unbekannte Logins kosten dieselbe Prüfzeit wie bekannte."""
    return hash_passwort(secrets.token_urlsafe(24))


def _utc(t: datetime | None) -> datetime | None:
    if t is None:
        return None
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)  # SQLite speichert ohne Zone


def _wartezeit(fehlversuche: int, grenze: int) -> int:
    if fehlversuche < grenze:
        return 0
    return min(WARTEN_START_S * 2 ** (fehlversuche - grenze), WARTEN_HOECHSTENS_S)


def anmelden(engine: Engine, login: str, passwort: str, *, demo_modus: bool, client: str | None = None,
             jetzt: datetime | None = None) -> Akteur:
    """Prüft Login und Passwort; gibt den Akteur zurück oder wirft AnmeldeFehler (deutsch, ohne Details).

    Abgelehnt werden: falsches Passwort, unbekanntes, inaktives Konto, Demo-Konto außerhalb des
    Demo-Modus, kaputter Hash, gesperrter Schlüssel. Alte Hashes (scrypt, schwächere argon2-Parameter)
    werden nach erfolgreicher Anmeldung ersetzt. Jeder Fehlversuch wird protokolliert (Logger
    `ressourcenkarte.anmeldung`), jede neue Sperre zusätzlich im Änderungsprotokoll.
    """
    jetzt = jetzt or datetime.now(UTC)
    login = (login or "").strip()
    schluessel = {f"konto:{login.lower()[:150]}": KONTO_GRENZE,
                  f"client:{(client or 'unbekannt')[:150]}": CLIENT_GRENZE}
    with sitzung(engine, akteur=SYSTEM) as s:
        sperren = {k: s.get(m.Anmeldesperre, k) for k in schluessel}
        bis = [_utc(sp.gesperrt_bis) for sp in sperren.values() if sp is not None and sp.gesperrt_bis is not None]
        offen = max((b for b in bis if b > jetzt), default=None)
        if offen is not None:
            warten = max(1, math.ceil((offen - jetzt).total_seconds()))
            log.warning("Anmeldung während Sperre abgelehnt: login=%r client=%r (noch %s s)", login, client, warten)
            raise AnmeldeFehler(f"Zu viele Fehlversuche. Bitte in {warten} Sekunden erneut versuchen.",
                                warten_s=warten)
        b = s.scalar(select(m.Benutzer).where(m.Benutzer.login == login)) if login else None
        passt = pruefe_passwort(passwort or "", b.passwort_hash if b is not None else _attrappe())
        grund = ("unbekanntes Konto" if b is None else "falsches Passwort" if not passt else
                 "Konto inaktiv" if not b.aktiv else "Demo-Konto außerhalb des Demo-Modus" if b.demo and not demo_modus
                 else None)
        if grund is None:
            for k, sp in sperren.items():
                if sp is not None and k.startswith("konto:"):
                    s.delete(sp)
            if braucht_neuen_hash(b.passwort_hash):
                b.passwort_hash = hash_passwort(passwort)
            merke_anmeldung(s, b.login, jetzt)
            return Akteur(login=b.login, rolle=b.rolle, sozialraum_id=b.sozialraum_id, anzeigename=b.anzeigename)
        log.warning("Anmeldung fehlgeschlagen: login=%r client=%r grund=%s", login, client, grund)
        _fehlversuch(s, sperren, schluessel, jetzt)
    raise AnmeldeFehler(FALSCH)


def _fehlversuch(s, sperren: dict, schluessel: dict[str, int], jetzt: datetime) -> None:  # noqa: ANN001
    neu_gesperrt = []
    for k, grenze in schluessel.items():
        sp = sperren[k]
        if sp is None:
            sp = m.Anmeldesperre(schluessel=k, fehlversuche=0)
            s.add(sp)
        letzter = _utc(sp.letzter_fehlversuch)
        sp.fehlversuche = 1 if letzter is None or jetzt - letzter > FENSTER else sp.fehlversuche + 1
        sp.letzter_fehlversuch = jetzt
        warten = _wartezeit(sp.fehlversuche, grenze)
        if warten:
            sp.gesperrt_bis = jetzt + timedelta(seconds=warten)
            neu_gesperrt.append({"schluessel": k, "fehlversuche": sp.fehlversuche, "sekunden": warten})
            log.warning("Anmeldung gesperrt: %s nach %s Fehlversuchen für %s s", k, sp.fehlversuche, warten)
    s.flush()
    schreibe_protokollzeile(s, [{
        "benutzer": SYSTEM.login, "tabelle": "anmeldesperre", "datensatz_id": None, "aktion": "sperre",
        "vorher": None, "nachher": z, "zeitpunkt": jetzt} for z in neu_gesperrt])
