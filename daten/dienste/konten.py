"""Konten verwalten (nur Administration): anlegen, Rolle/Sozialraum ändern, sperren, Passwort setzen.

Teamleitung und Gremiumsmitglied gehören zu genau einem Sozialraum; der Verteiler (3.2.3) zu einem oder – ohne
Sozialraum – stadtweit; die anderen Rollen zu keinem. Der Name
der Teamleitung steht am Sozialraum (Karte, Präsentation): er wird aus den aktiven Teamleitungs-Konten
abgeleitet und bei jeder Kontoänderung nachgeführt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten import politik
from daten.dienste._gemeinsam import lade, text_oder_none
from daten.fehler import EingabeFehler, RechteFehler
from daten.passwort import hash_passwort
from daten.politik import ROLLEN, Akteur

MIN_PASSWORT = 12
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._@+-]{1,79}$")
MIT_SOZIALRAUM = ("teamleitung", "mitglied")
# 3.2.3: Empfängerinnen und Empfänger des Verteilers lesen die Protokolle eines Sozialraums oder stadtweit
KEIN_PASSWORT = "!sso"  # Konten, die sich nur über Single Sign-on anmelden (kein gültiger Hash)


@dataclass(frozen=True)
class Konto:
    """Ein Konto zum Anzeigen (ohne Passwort-Hash)."""

    id: int
    login: str
    anzeigename: str
    rolle: str
    sozialraum: str | None
    aktiv: bool
    nur_sso: bool
    version: int


def _nur_admin(akteur: Akteur | None) -> None:
    if not politik.darf(akteur, "konten_verwalten", "konten_verwalten"):
        raise RechteFehler("Konten verwaltet nur die Administration. Bitte als Administrator anmelden.")


def sozialraum_id_von(session: Session, name: str) -> int:
    """id des Sozialraums `name` (`daten.namenssuche`: Schreibweise egal, eindeutiger Anfang genügt); unbekannt oder
    mehrdeutig → Meldung mit den Kandidaten bzw. allen Namen."""
    from daten.namenssuche import finde_sozialraum

    alle = dict(session.execute(select(m.Sozialraum.name, m.Sozialraum.id).order_by(m.Sozialraum.reihenfolge)).all())
    return alle[finde_sozialraum(name or "", alle)]


def _pruefe_rolle(session: Session, rolle: str, sozialraum_id: int | None) -> None:
    if rolle not in ROLLEN:
        raise EingabeFehler(f"Rolle „{rolle}“ ist unbekannt. Erlaubt: {', '.join(ROLLEN)}.")
    if rolle in MIT_SOZIALRAUM and sozialraum_id is None:
        raise EingabeFehler(f"Die Rolle {ROLLEN[rolle]} braucht einen Sozialraum. Bitte einen auswählen.")
    if rolle not in MIT_SOZIALRAUM and sozialraum_id is not None and not politik.sozialraum_wahlweise(rolle):
        raise EingabeFehler(f"Die Rolle {ROLLEN[rolle]} gilt für alle Sozialräume; bitte keinen Sozialraum angeben.")
    if sozialraum_id is not None and session.get(m.Sozialraum, sozialraum_id) is None:
        raise EingabeFehler(f"Sozialraum Nr. {sozialraum_id} gibt es nicht.")


def _pruefe_passwort(passwort: str) -> None:
    if not isinstance(passwort, str) or len(passwort) < MIN_PASSWORT:
        raise EingabeFehler(f"Das Passwort braucht mindestens {MIN_PASSWORT} Zeichen.")
    if passwort.strip().lower() in ("demo", "passwort", "password"):
        raise EingabeFehler("Dieses Passwort ist zu leicht zu erraten. Bitte ein anderes wählen.")


def _konto(session: Session, login: str, version: int | None) -> m.Benutzer:
    b = session.scalar(select(m.Benutzer).where(m.Benutzer.login == (login or "").strip().lower()))
    if b is None:
        raise EingabeFehler(f"Ein Konto „{login}“ gibt es nicht.")
    return lade(session, m.Benutzer, b.id, version=version)


def synchronisiere_teamleitung(session: Session, sozialraum_id: int | None) -> None:
    """Schreibt die Namen der aktiven Teamleitungen an den Sozialraum (mehrere mit „, “)."""
    if sozialraum_id is None:
        return
    session.flush()
    namen = list(session.scalars(select(m.Benutzer.anzeigename).where(
        m.Benutzer.rolle == politik.TEAMLEITUNG, m.Benutzer.sozialraum_id == sozialraum_id,
        m.Benutzer.aktiv.is_(True)).order_by(m.Benutzer.login)))
    sr = session.get(m.Sozialraum, sozialraum_id)
    text = ", ".join(namen) or None
    if sr is not None and sr.teamleitung != text:
        sr.teamleitung = text


def lege_benutzer_an(session: Session, akteur: Akteur, *, login: str, anzeigename: str, rolle: str,
                     sozialraum_id: int | None = None, passwort: str | None) -> m.Benutzer:
    """Neues Konto; `passwort=None` nur für Konten, die sich per Single Sign-on anmelden."""
    _nur_admin(akteur)
    login = (login or "").strip().lower()
    if not _LOGIN.match(login):
        raise EingabeFehler(f"Login „{login}“ ist ungültig: 2–80 Zeichen, Kleinbuchstaben, Ziffern und . _ @ + -.")
    if session.scalar(select(m.Benutzer.id).where(m.Benutzer.login == login)) is not None:
        raise EingabeFehler(f"Ein Konto „{login}“ gibt es schon. Bitte Rolle oder Passwort dort ändern.")
    name = text_oder_none(anzeigename, feld="Name", hoechstens=200)
    if not name:
        raise EingabeFehler("Feld „Name“ ist leer. Bitte den Namen der Person eingeben.")
    _pruefe_rolle(session, rolle, sozialraum_id)
    if passwort is not None:
        _pruefe_passwort(passwort)
    b = m.Benutzer(login=login, anzeigename=name, rolle=rolle, sozialraum_id=sozialraum_id, aktiv=True,
                   passwort_hash=hash_passwort(passwort) if passwort is not None else KEIN_PASSWORT)
    session.add(b)
    synchronisiere_teamleitung(session, sozialraum_id)
    session.flush()
    return b


def _letzter_admin(session: Session, b: m.Benutzer) -> bool:
    andere = session.scalar(select(func.count()).select_from(m.Benutzer).where(
        m.Benutzer.rolle == politik.ADMIN, m.Benutzer.aktiv.is_(True), m.Benutzer.id != b.id)) or 0
    return b.rolle == politik.ADMIN and b.aktiv and andere == 0


def aendere_rolle(session: Session, akteur: Akteur, *, login: str, rolle: str, sozialraum_id: int | None = None,
                  anzeigename: str | None = None, version: int | None = None) -> m.Benutzer:
    """Rolle und Sozialraum (und optional den Namen) eines Kontos ändern."""
    _nur_admin(akteur)
    b = _konto(session, login, version)
    _pruefe_rolle(session, rolle, sozialraum_id)
    if rolle != "admin" and _letzter_admin(session, b):
        raise EingabeFehler("Das ist das letzte aktive Administrator-Konto; ohne es könnte niemand mehr Konten "
                            "verwalten. Bitte zuerst ein anderes anlegen.")
    alt_sr = b.sozialraum_id
    b.rolle, b.sozialraum_id = rolle, sozialraum_id
    if anzeigename is not None:
        name = text_oder_none(anzeigename, feld="Name", hoechstens=200)
        if not name:
            raise EingabeFehler("Feld „Name“ ist leer.")
        b.anzeigename = name
    for sr in {alt_sr, sozialraum_id}:
        synchronisiere_teamleitung(session, sr)
    session.flush()
    return b


def sperre_benutzer(session: Session, akteur: Akteur, *, login: str, gesperrt: bool = True,
                    version: int | None = None) -> m.Benutzer:
    """Sperrt ein Konto (Anmeldung nicht mehr möglich, Verlauf bleibt) oder hebt die Sperre auf."""
    _nur_admin(akteur)
    b = _konto(session, login, version)
    if gesperrt and b.login == akteur.login:
        raise EingabeFehler("Das eigene Konto kann man nicht sperren.")
    if gesperrt and _letzter_admin(session, b):
        raise EingabeFehler("Das ist das letzte aktive Administrator-Konto; es kann nicht gesperrt werden.")
    b.aktiv = not gesperrt
    synchronisiere_teamleitung(session, b.sozialraum_id)
    session.flush()
    return b


def setze_passwort(session: Session, akteur: Akteur, *, login: str, passwort: str,
                   version: int | None = None) -> m.Benutzer:
    """Neues Passwort (mindestens 12 Zeichen); gespeichert wird nur der Hash (daten.passwort.hash_passwort)."""
    _nur_admin(akteur)
    b = _konto(session, login, version)
    _pruefe_passwort(passwort)
    b.passwort_hash = hash_passwort(passwort)
    session.flush()
    return b


def konten(session: Session) -> list[Konto]:
    """Alle Konten, nach Rolle und Login sortiert."""
    namen = dict(session.execute(select(m.Sozialraum.id, m.Sozialraum.name)).all())
    reihe = list(ROLLEN)
    alle = session.scalars(select(m.Benutzer))
    return sorted((Konto(b.id, b.login, b.anzeigename, b.rolle, namen.get(b.sozialraum_id), b.aktiv,
                         b.passwort_hash == KEIN_PASSWORT, b.version) for b in alle),
                  key=lambda k: (reihe.index(k.rolle) if k.rolle in reihe else 99, k.login))
