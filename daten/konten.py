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
from typing import Any

from sqlalchemy import bindparam, case, delete, null, or_, select, update
from sqlalchemy.engine import Engine

from daten import modelle as m
from daten import schutz
from daten.anmeldezeit import merke_anmeldung
from daten.audit import schreibe_protokollzeile
from daten.db import sitzung
from daten.fehler import AnmeldeFehler, RessourcenkarteFehler
from daten.passwort import braucht_neuen_hash, hash_passwort, pruefe_passwort
from daten.politik import SYSTEM, Akteur

KONTO_GRENZE = 5
CLIENT_GRENZE = 20  # höher: hinter einem Proxy teilen sich viele Personen eine Adresse
FENSTER = timedelta(minutes=15)
WARTEN_START_S = 30
WARTEN_HOECHSTENS_S = 15 * 60
FALSCH = "Benutzername oder Passwort ist falsch."
_HALTEN = timedelta(minutes=15)  # Sperre, solange der Versuch an der Grenze geprüft wird (danach die echte)

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


def client_adresse(peer: str | None, weitergeleitet: str | None, vertraute: list) -> str:  # noqa: ANN001
    """Adresse des Clients für die Anmeldesperre. `peer`: die TCP-Gegenstelle (None = lokal, 127.0.0.1);
    `weitergeleitet`: der Kopf X-Forwarded-For. Er zählt nur, wenn die Gegenstelle ein vertrauter Proxy ist; dann
    gilt von rechts die erste Adresse, die kein vertrauter Proxy ist (was ein Client selbst vorne einträgt, wird so
    nie gelesen). Ohne vertraute Proxys wird der Kopf nie gelesen."""
    import ipaddress

    def vertraut(text: str) -> bool:
        try:
            adresse = ipaddress.ip_address(text.strip())
        except ValueError:
            return False
        return any(adresse in netz for netz in vertraute)

    gegenstelle = peer or "127.0.0.1"
    if not vertraute or not weitergeleitet or not vertraut(gegenstelle):
        return gegenstelle
    for eintrag in reversed([t.strip() for t in weitergeleitet.split(",") if t.strip()]):
        if not vertraut(eintrag):
            try:
                return str(ipaddress.ip_address(eintrag))
            except ValueError:
                return "ungueltig"  # kaputter Kopf hinter dem Proxy: ein gemeinsamer Schlüssel, nicht frei wählbar
    return gegenstelle


def _upsert(dialekt: str):  # noqa: ANN202
    if dialekt == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _zaehle_versuch(s, schluessel: dict[str, int], jetzt: datetime) -> dict[str, int] | None:  # noqa: ANN001
    """Zählt den Versuch **vorab** und atomar – eine Anweisung je Schlüssel: einfügen oder (nur wenn nicht
    gesperrt) hochzählen. Erreicht die Zählung die Grenze, hält dieselbe Anweisung den Schlüssel gesperrt, bis
    die Prüfung entschieden ist (`_HALTEN`): N gleichzeitige Versuche bekommen höchstens `grenze` Prüfungen, alle
    weiteren finden den Schlüssel gesperrt. Ergebnis: Schlüssel → Nummer dieses Versuchs; None, wenn gesperrt."""
    t = m.Anmeldesperre.__table__
    insert = _upsert(s.get_bind().dialect.name)
    zeit = t.c.letzter_fehlversuch.type
    nummern = {}
    for k, grenze in schluessel.items():
        neu = case((t.c.letzter_fehlversuch.is_(None), 1),
                   (t.c.letzter_fehlversuch < bindparam(f"fb_{len(nummern)}", jetzt - FENSTER, type_=zeit), 1),
                   else_=t.c.fehlversuche + 1)
        halten = bindparam(f"h_{len(nummern)}", jetzt + _HALTEN, type_=zeit)
        anw = insert(t).values(schluessel=k, fehlversuche=1, letzter_fehlversuch=jetzt)
        anw = anw.on_conflict_do_update(
            index_elements=[t.c.schluessel],
            set_={"fehlversuche": neu, "letzter_fehlversuch": jetzt,
                  "gesperrt_bis": case((neu >= grenze, halten), else_=null())},
            where=or_(t.c.gesperrt_bis.is_(None), t.c.gesperrt_bis <= bindparam(f"j_{len(nummern)}", jetzt,
                                                                                   type_=zeit)),
        ).returning(t.c.fehlversuche)
        zeilen = schutz.intern_ausfuehren(s, anw)
        if not zeilen:
            return None
        nummern[k] = zeilen[0][0]
    return nummern


def _gesperrt_bis(s, schluessel: dict[str, int], jetzt: datetime) -> datetime | None:  # noqa: ANN001
    t = m.Anmeldesperre.__table__
    bis = [_utc(b) for b in s.execute(select(t.c.gesperrt_bis).where(t.c.schluessel.in_(list(schluessel)))).scalars()]
    return max((b for b in bis if b is not None and b > jetzt), default=None)


def _abgelehnt_wegen_sperre(login: str, client: str | None, bis: datetime, jetzt: datetime) -> AnmeldeFehler:
    warten = max(1, math.ceil((bis - jetzt).total_seconds()))
    log.warning("Anmeldung während Sperre abgelehnt: login=%r client=%r (noch %s s)", login, client, warten)
    return AnmeldeFehler(f"Zu viele Fehlversuche. Bitte in {warten} Sekunden erneut versuchen.", warten_s=warten)


def anmelden(engine: Engine, login: str, passwort: str, *, demo_modus: bool, client: str | None = None,
             jetzt: datetime | None = None) -> Akteur:
    """Prüft Login und Passwort; gibt den Akteur zurück oder wirft AnmeldeFehler (deutsch, ohne Details).

    Abgelehnt werden: falsches Passwort, unbekanntes, inaktives Konto, Demo-Konto außerhalb des
    Demo-Modus, kaputter Hash, gesperrter Schlüssel. Der Versuch wird vor der Passwortprüfung atomar gezählt
    (`_zaehle_versuch`, eigene kurze Transaktion), so dass auch hunderte gleichzeitige Versuche für ein Konto
    höchstens `KONTO_GRENZE` Passwortprüfungen bekommen; ein Erfolg nimmt die Zählung zurück. Alte Hashes
    werden nach erfolgreicher Anmeldung ersetzt (wenn das gleichzeitig schon geschah: nicht nochmal). Jeder
    Fehlversuch wird protokolliert (Logger `ressourcenkarte.anmeldung`), jede neue Sperre zusätzlich im
    Änderungsprotokoll.
    """
    jetzt = jetzt or datetime.now(UTC)
    login = (login or "").strip()
    schluessel = {f"konto:{login.lower()[:150]}": KONTO_GRENZE,
                  f"client:{(client or 'unbekannt')[:150]}": CLIENT_GRENZE}
    with sitzung(engine, akteur=SYSTEM) as s:
        bis = _gesperrt_bis(s, schluessel, jetzt)
        nummern = None if bis is not None else _zaehle_versuch(s, schluessel, jetzt)
        if nummern is None:  # gesperrt (auch: gerade von einem gleichzeitigen Versuch): nichts zählen
            s.rollback()
            bis = bis or _gesperrt_bis(s, schluessel, jetzt) or jetzt + timedelta(seconds=WARTEN_START_S)
            raise _abgelehnt_wegen_sperre(login, client, bis, jetzt)
    with sitzung(engine, akteur=SYSTEM) as s:
        b = s.scalar(select(m.Benutzer).where(m.Benutzer.login == login)) if login else None
        passt = pruefe_passwort(passwort or "", b.passwort_hash if b is not None else _attrappe())
        grund = ("unbekanntes Konto" if b is None else "falsches Passwort" if not passt else
                 "Konto inaktiv" if not b.aktiv else "Demo-Konto außerhalb des Demo-Modus" if b.demo and not demo_modus
                 else None)
        if grund is None:
            _erfolg(s, nummern, schluessel)
            merke_anmeldung(s, b.login, jetzt)
            akteur = Akteur(login=b.login, rolle=b.rolle, sozialraum_id=b.sozialraum_id, anzeigename=b.anzeigename)
            alter_hash = b.passwort_hash if braucht_neuen_hash(b.passwort_hash) else None
        else:
            log.warning("Anmeldung fehlgeschlagen: login=%r client=%r grund=%s", login, client, grund)
            _sperre_setzen(s, nummern, schluessel, jetzt)
    if grund is not None:
        raise AnmeldeFehler(FALSCH)
    if alter_hash is not None:
        _neuer_hash(engine, akteur.login, alter_hash, passwort)
    return akteur


def _erfolg(s, nummern: dict[str, int], schluessel: dict[str, int]) -> None:  # noqa: ANN001
    """Kontozählung zurücksetzen; der vorab gezählte Versuch des Clients war keiner (auch sein Halten nicht)."""
    t = m.Anmeldesperre.__table__
    for k, n in nummern.items():
        if k.startswith("konto:"):
            schutz.intern_ausfuehren(s, delete(t).where(t.c.schluessel == k))
            continue
        werte: dict[str, Any] = {"fehlversuche": t.c.fehlversuche - 1}
        if n >= schluessel[k]:
            werte["gesperrt_bis"] = None
        schutz.intern_ausfuehren(s, update(t).where(t.c.schluessel == k, t.c.fehlversuche > 0).values(**werte))


def _neuer_hash(engine: Engine, login: str, alter_hash: str, passwort: str) -> None:
    """Alten Hash ersetzen – nur, wenn noch derselbe gespeichert ist (gleichzeitige Anmeldungen: einmal)."""
    try:
        with sitzung(engine, akteur=SYSTEM) as s:
            b = s.scalar(select(m.Benutzer).where(m.Benutzer.login == login))
            if b is not None and b.passwort_hash == alter_hash:
                b.passwort_hash = hash_passwort(passwort)
    except RessourcenkarteFehler as exc:  # Konflikt mit einer gleichzeitigen Anmeldung: die hat ersetzt
        log.info("Hash von %r nicht ersetzt (%s)", login, type(exc).__name__)


def _sperre_setzen(s, nummern: dict[str, int], schluessel: dict[str, int], jetzt: datetime) -> None:  # noqa: ANN001
    t = m.Anmeldesperre.__table__
    neu_gesperrt = []
    for k, n in nummern.items():
        warten = _wartezeit(n, schluessel[k])
        if not warten:  # unter der Grenze: es wurde nicht gehalten
            continue
        bis = jetzt + timedelta(seconds=warten)
        schutz.intern_ausfuehren(s, update(t).where(t.c.schluessel == k).values(gesperrt_bis=bis))
        neu_gesperrt.append({"schluessel": k, "fehlversuche": n, "sekunden": warten})
        log.warning("Anmeldung gesperrt: %s nach %s Fehlversuchen für %s s", k, n, warten)
    schreibe_protokollzeile(s, [{
        "benutzer": SYSTEM.login, "tabelle": "anmeldesperre", "datensatz_id": None, "aktion": "sperre",
        "vorher": None, "nachher": z, "zeitpunkt": jetzt} for z in neu_gesperrt])
