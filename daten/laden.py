"""Initialisierung: Schema, Kommune-Konfiguration, Demo-Konten und Demo-Daten (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from daten import modelle as m
from daten import politik
from daten.config import Kommune
from daten.db import migriere, pruefe_sqlite_integritaet, pruefe_verbindung, sitzung, systemsitzung
from daten.demo_laden import lade_demo, pruefe_demo_erlaubt
from daten.einstellungen import DEMO_PASSWORT
from daten.fehler import EingabeFehler
from daten.passwort import hash_passwort, pruefe_passwort


@dataclass(frozen=True)
class Ergebnis:
    """Was `initialisiere` getan hat (für die CLI-Ausgabe)."""

    sozialraeume: int
    stadtteile: int
    einrichtungen: int
    demo_neu: bool
    demo_konten_gesperrt: tuple[str, ...] = ()
    admin_passwort: str | None = None  # "gesetzt" | "geändert" | None (unverändert/nicht konfiguriert)
    demo_daten_vorhanden: bool = False


def initialisiere(
    engine: Engine, kommune: Kommune, *, demo: bool = False, admin_passwort: str | None = None,
    demo_modus: bool | None = None, demo_stichtag: date | None = None,
) -> Ergebnis:
    """Schema anlegen/aktualisieren, Konfiguration übernehmen, optional Demo-Daten laden.

    Zweimal aufgerufen ändert nichts: Sozialräume/Stadtteile werden über ihren Namen abgeglichen,
    Demo-Daten nur einmal je Kommune geladen – und nur in eine leere oder reine Demo-Datenbank.
    `admin_passwort` wird gesetzt oder (wenn es sich geändert hat) rotiert. `demo_modus=False`
    (Einstellung RESSOURCENKARTE_DEMO) sperrt alle Demo-Konten. Alles in einer Transaktion.
    `demo_stichtag` (Standard: heute) legt fest, welche Jahre die Demo zeigt (`daten.demo.demo_jahre`).
    """
    if demo and demo_modus is False:
        raise EingabeFehler("'init --demo' geht nur im Demo-Modus (RESSOURCENKARTE_DEMO=true) – und am besten "
                            "in einer eigenen Datenbank (RESSOURCENKARTE_DB_URL).")
    pruefe_verbindung(engine, anlegen=True)
    pruefe_sqlite_integritaet(engine)
    migriere(engine)
    demo_neu, admin, gesperrt = False, None, ()
    grund = "init --demo" if demo else "init"
    with systemsitzung(engine, grund=grund, kommune=kommune) as s:
        if demo:
            pruefe_demo_erlaubt(s, kommune)
        k = _kommune_abgleichen(s, kommune)
        if admin_passwort:
            admin = _admin_passwort(s, admin_passwort)
        if demo:
            _demo_konten(s)
            if not k.demo_geladen:
                lade_demo(s, kommune, stichtag=demo_stichtag)
                k.demo_geladen = True
                demo_neu = True
        if demo_modus is False:
            gesperrt = _demo_konten_sperren(s)
        demo_da = bool(k.demo_geladen)
    with sitzung(engine, akteur=None) as s:
        return Ergebnis(
            sozialraeume=s.scalar(select(func.count()).select_from(m.Sozialraum)) or 0,
            stadtteile=s.scalar(select(func.count()).select_from(m.Stadtteil)) or 0,
            einrichtungen=s.scalar(select(func.count()).select_from(m.Einrichtung)) or 0,
            demo_neu=demo_neu, demo_konten_gesperrt=gesperrt, admin_passwort=admin, demo_daten_vorhanden=demo_da,
        )


def _kommune_abgleichen(s: Session, kommune: Kommune) -> m.Kommune:
    k = s.scalar(select(m.Kommune).where(m.Kommune.name == kommune.name))
    if k is None:
        k = m.Kommune(name=kommune.name, demo_geladen=False)
        s.add(k)
        s.flush()
    vorhandene = {sr.name: sr for sr in s.scalars(select(m.Sozialraum).where(m.Sozialraum.kommune_id == k.id))}
    for i, cfg in enumerate(kommune.sozialraeume):
        sr = vorhandene.get(cfg.name)
        if sr is None:
            sr = m.Sozialraum(kommune_id=k.id, name=cfg.name, reihenfolge=i, stufe=cfg.stufe)
            s.add(sr)
            s.flush()
        elif sr.reihenfolge != i:
            sr.reihenfolge = i
        teile = {st.name: st for st in s.scalars(select(m.Stadtteil).where(m.Stadtteil.name.in_(cfg.stadtteile)))}
        for name in cfg.stadtteile:
            st = teile.get(name)
            nummer = kommune.stadtteil_nummern.get(name)
            if st is None:
                s.add(m.Stadtteil(name=name, sozialraum_id=sr.id, nummer=nummer))
                continue
            if st.sozialraum_id != sr.id:
                st.sozialraum_id = sr.id
            if nummer is not None and st.nummer != nummer:
                st.nummer = nummer
    s.flush()
    return k


def _admin_passwort(s: Session, passwort: str) -> str | None:
    """Setzt das konfigurierte Admin-Passwort; ein Demo-Admin wird dabei zum echten Konto."""
    b = s.scalar(select(m.Benutzer).where(m.Benutzer.login == "admin"))
    if b is None:
        s.add(m.Benutzer(login="admin", anzeigename="Administration", rolle="admin", demo=False,
                         passwort_hash=hash_passwort(passwort)))
        return "gesetzt"
    if b.demo or not b.aktiv or b.rolle != politik.ADMIN or not pruefe_passwort(passwort, b.passwort_hash):
        b.passwort_hash, b.demo, b.aktiv, b.rolle = hash_passwort(passwort), False, True, politik.ADMIN
        if b.anzeigename.endswith("(Demo)"):
            b.anzeigename = "Administration"
        return "geändert"
    return None


def _demo_konten(s: Session) -> None:
    """Demo-Konten (Passwort 'demo', als Demo markiert): je Rolle eines, Teamleitungen je Sozialraum."""
    konten = [("admin", "Administration (Demo)", "admin", None), ("jhp", "Jugendhilfeplanung (Demo)",
              "jugendhilfeplanung", None), ("lenkung", "Lenkungsgruppe (Demo)", "lenkungsgruppe", None),
              # 3.2.3: Abteilungsleitung auf dem Verteiler, liest die Protokolle aller Gremien (ohne Sozialraum)
              ("al5103", "Abteilungsleitung 51.03 (Demo)", "verteiler", None)]
    for i, sr in enumerate(s.scalars(select(m.Sozialraum).order_by(m.Sozialraum.reihenfolge)), start=1):
        konten.append((f"tl{i:02d}", f"Teamleitung ASD {sr.name} (Demo)", "teamleitung", sr.id))
        konten.append((f"mitglied{i:02d}", f"Gremiumsmitglied {sr.name} (Demo)", "mitglied", sr.id))
    vorhanden = {b.login: b for b in s.scalars(select(m.Benutzer))}
    demo_hash = None  # ein Hash für alle: das Passwort ist ohnehin öffentlich, argon2 kostet je Hash ~0,1 s
    for login, anzeige, rolle, sr_id in konten:
        b = vorhanden.get(login)
        if b is None:
            demo_hash = demo_hash or hash_passwort(DEMO_PASSWORT)
            s.add(m.Benutzer(login=login, anzeigename=anzeige, rolle=rolle, sozialraum_id=sr_id, demo=True,
                             passwort_hash=demo_hash))
        elif b.demo and not b.aktiv:
            b.aktiv = True


def _demo_konten_sperren(s: Session) -> tuple[str, ...]:
    """Außerhalb des Demo-Modus: alle aktiven Demo-Konten sperren (aktiv=False); gibt ihre Logins zurück."""
    gesperrt = []
    for b in s.scalars(select(m.Benutzer).where(m.Benutzer.demo.is_(True), m.Benutzer.aktiv.is_(True))
                       .order_by(m.Benutzer.login)):
        b.aktiv = False
        gesperrt.append(b.login)
    return tuple(gesperrt)
