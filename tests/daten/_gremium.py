"""Kleine Fabrik für Gremiums-Tests: zwei Sozialräume mit wenigen Einrichtungen, Konten als Akteure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import shapely
from sqlalchemy import select
from sqlalchemy.engine import Engine

from daten import modelle as m
from daten.db import erstelle_engine, sitzung
from daten.laden import initialisiere
from daten.politik import SYSTEM, Akteur

QUADRAT = shapely.box(8.20, 49.95, 8.30, 50.05)


def KONTEN(sr: int, fremd: int) -> list[tuple[str, str, str, int | None, bool]]:  # noqa: N802
    """Konten der Testwelt (login, Name, Rolle, Sozialraum, aktiv): Delegation prüft gegen diese Zeilen."""
    return [("tl01", "Teamleitung Neustadt", "teamleitung", sr, True),
            ("mitglied01", "Mitglied Neustadt", "mitglied", sr, True),
            ("mitglied-gesperrt", "Gesperrtes Mitglied Neustadt", "mitglied", sr, False),
            ("tl10", "Teamleitung Mombach", "teamleitung", fremd, True),
            ("mitglied10", "Mitglied Mombach", "mitglied", fremd, True),
            ("kita-tl", "Kita-Teamleitung Neustadt", "verteiler", sr, True),
            ("al5103", "Abteilungsleitung 51.03", "verteiler", None, True)]
SR, FREMD = "Neustadt", "Mombach"


@dataclass
class Welt:
    engine: Engine
    kommune: object
    sr: int  # id Neustadt
    fremd: int  # id Mombach
    e: dict[str, int]  # Einrichtungs-ids nach Kurzname

    @property
    def tl(self) -> Akteur:
        return Akteur("tl01", "teamleitung", self.sr)

    @property
    def mitglied(self) -> Akteur:
        return Akteur("mitglied01", "mitglied", self.sr)

    @property
    def tl_fremd(self) -> Akteur:
        return Akteur("tl10", "teamleitung", self.fremd)

    @property
    def mitglied_fremd(self) -> Akteur:
        return Akteur("mitglied10", "mitglied", self.fremd)

    jhp = Akteur("jhp", "jugendhilfeplanung")
    admin = Akteur("admin", "admin")


def _einrichtung(st: m.Stadtteil, kurz: str, art: str, traeger: str, x: float) -> m.Einrichtung:
    return m.Einrichtung(schluessel=f"t-{kurz}", name=f"Test {kurz}", art=art, traeger_art=traeger,
                         adresse=f"Teststraße {int(x * 1000) % 100}, 55118 Mainz", zielgruppen=[], angebote=[],
                         stadtteil=st, geometrie=shapely.Point(x, 50.0))


def baue_welt(url: str, kommune) -> Welt:  # noqa: ANN001
    engine = erstelle_engine(url)
    initialisiere(engine, kommune)
    with sitzung(engine, akteur=SYSTEM) as s:
        for st in s.scalars(select(m.Stadtteil)):
            st.geometrie = QUADRAT
        neu = s.scalar(select(m.Stadtteil).where(m.Stadtteil.name == SR))
        mom = s.scalar(select(m.Stadtteil).where(m.Stadtteil.name == FREMD))
        liste = {
            "asd": _einrichtung(neu, "asd", "asd", "staedtisch", 8.21),
            "kita": _einrichtung(neu, "kita", "kita", "staedtisch", 8.22),
            "kita2": _einrichtung(neu, "kita2", "kita", "staedtisch", 8.225),
            "kitafrei": _einrichtung(neu, "kitafrei", "kita", "frei", 8.23),
            "kijukuz": _einrichtung(neu, "kijukuz", "kijukuz", "staedtisch", 8.24),
            "mgh": _einrichtung(neu, "mgh", "mehrgenerationenhaus", "frei", 8.25),
            "asd_fremd": _einrichtung(mom, "asdfremd", "asd", "staedtisch", 8.26),
        }
        s.add_all(liste.values())
        s.flush()
        ids = {k: v.id for k, v in liste.items()}
        sr = neu.sozialraum_id
        for login, name, rolle, sr_konto, aktiv in KONTEN(sr, mom.sozialraum_id):
            s.add(m.Benutzer(login=login, anzeigename=name, rolle=rolle, sozialraum_id=sr_konto, aktiv=aktiv,
                             passwort_hash="!sso"))
        s.add(m.Budget(sozialraum_id=sr, jahr=2026, kategorie="falluebergreifend", betrag_eur=5000))
        s.add(m.Budget(sozialraum_id=sr, jahr=2026, kategorie="fallunspezifisch", betrag_eur=3000))
        return Welt(engine, kommune, sr, mom.sozialraum_id, ids)


def gehaltene_sitzung(w: Welt, *, protokoll_login: str | None = "mitglied01", datum: date = date(2026, 3, 11)) -> int:
    """Eine gehaltene Sitzung in Neustadt (als System angelegt), Protokoll bei `protokoll_login`."""
    with sitzung(w.engine, akteur=SYSTEM) as s:
        sz = m.Sitzung(schluessel=f"t-{datum}-{protokoll_login}", sozialraum_id=w.sr, datum=datum,
                       ort_id=w.e["asd"], status="durchgefuehrt", protokoll_login=protokoll_login,
                       protokollfuehrung="Test (Kita)", protokoll_bereich="Kita",
                       teilnehmende=[{"bereich": "Kita", "einrichtung": "t-kita", "name": "Test"}])
        s.add(sz)
        s.flush()
        return sz.id


def punkt(w: Welt, sitzung_id: int, frage: int = 2, ebene: str = "falluebergreifend") -> int:
    with sitzung(w.engine, akteur=SYSTEM) as s:
        p = m.Protokollpunkt(sitzung_id=sitzung_id, frage=frage, handlungsebene=ebene,
                             text="Sprachförderung vor der Einschulung wird gebraucht.")
        s.add(p)
        s.flush()
        return p.id
