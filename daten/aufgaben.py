"""„Meine Aufgaben“: was die angemeldete Person jetzt tun sollte – je Rolle aus der Politik abgeleitet, nur lesend.

Eine Aufgabe nennt Art, Text, Zielseite und die Werte, mit denen die Zielseite öffnet (Schlüssel im
Session-State der Seite, z. B. die Sitzung des Protokollformulars). Welche Aufgaben eine Person bekommt, folgt
aus `daten.politik` (wer leitet, wer genehmigt, wer liest, wer pflegt, wer die Pflichten der Erklärung trägt);
hier wird kein Rollenname verglichen. Aufgaben der Gremiumsleitung bekommt, wer das Gremium **des eigenen
Sozialraums** leitet – die Administration (alle Sozialräume) bekommt nicht die Aufgaben von zehn Gremien.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten import politik, werte
from daten.dienste import frische
from daten.pflichten import pflichten_im_jahr
from daten.politik import Akteur, Ziel
from daten.protokolle import lesefilter

# Arten in der Reihenfolge der Anzeige: wer ein Protokoll delegiert bekam, sieht es zuerst.
ARTEN: dict[str, str] = {
    "protokoll_delegiert": "Protokoll schreiben (an Sie delegiert)",
    "protokoll_schreiben": "Protokoll schreiben",
    "massnahme_genehmigen": "Maßnahme genehmigen",
    "einladung_versenden": "Einladung versenden",
    "sitzung_ueberfaellig": "Sitzung überfällig (R5)",
    "protokoll_erhalten": "Protokoll erhalten",
    "eintraege_pruefen": "Einträge prüfen",
    "reflexion_dokumentieren": "Reflexion dokumentieren",
    "lenkungsbericht": "Bericht an die Lenkungsgruppe",
}
EINLADUNG_VORLAUF_TAGE = 28  # geplante Sitzungen der nächsten vier Wochen brauchen eine Einladung
# Schlüssel im Session-State der Zielseiten (die Seiten lesen sie beim Öffnen)
PROTOKOLL_SITZUNG = "protokoll_sitzung_id"
PROTOKOLL_SOZIALRAUM = "protokoll_sozialraum"
SITZUNGEN_SITZUNG = "sitzungen_wahl"
SITZUNGEN_SOZIALRAUM = "gremium_sozialraum"
# Sitzungen, die im Halbjahr zählen (wie analysen.gremium.kadenz: gehalten oder geplant)
_ZAEHLEN = ("geplant", "eingeladen", "durchgefuehrt", "protokolliert", "versendet")
_REFLEXION_ARTEN = {werte.REFLEXION_GEMEINSAM: "gemeinsame Reflexion (Delegierte der Gremien mit der Lenkungsgruppe)",
                    werte.REFLEXION_LENKUNGSGRUPPE: "Reflexion der Lenkungsgruppe"}


@dataclass(frozen=True)
class Aufgabe:
    """Eine offene Aufgabe: `art` (Schlüssel von ARTEN), `text` (deutsch, Daten unmaskiert), Zielseite
    (`seite`, Pfad wie in st.navigation) und `parameter` (Session-State-Schlüssel → Wert für die Zielseite)."""

    art: str
    text: str
    seite: str
    parameter: dict[str, Any] = field(default_factory=dict)
    datum: date | None = None

    @property
    def bezeichnung(self) -> str:
        return ARTEN[self.art]


def _leitet_eigenen(akteur: Akteur, sozialraum_id: int | None) -> bool:
    return (sozialraum_id is not None and sozialraum_id == akteur.sozialraum_id
            and politik.darf(akteur, "gremium_leiten", Ziel("gremium_leiten", sozialraum_id)))


def _halbjahr(tag: date) -> tuple[date, date]:
    return (date(tag.year, 1, 1), date(tag.year, 6, 30)) if tag.month <= 6 else \
        (date(tag.year, 7, 1), date(tag.year, 12, 31))


def _utc(t: datetime | None) -> datetime | None:
    if t is None:
        return None
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)  # SQLite speichert ohne Zone


def _eur(betrag: float | None) -> str:
    return f"{betrag or 0:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")


def vorige_anmeldung(session: Session, akteur: Akteur) -> datetime | None:
    """Zeitpunkt der Anmeldung vor der jetzigen (UTC) oder None (erste Anmeldung, kein Konto)."""
    return _utc(session.scalar(select(m.Benutzer.vorige_anmeldung).where(m.Benutzer.login == akteur.login)))


def aufgaben(session: Session, akteur: Akteur | None, *, heute: date, frische_monate: int = 12,
             seit: datetime | None = None) -> list[Aufgabe]:
    """Offene Aufgaben von `akteur` am Tag `heute`, in Anzeigereihenfolge (ARTEN, darin nach Datum).

    `seit`: „erhalten seit“ – Standard ist die vorige Anmeldung des Kontos (`benutzer.vorige_anmeldung`).
    """
    if akteur is None:
        return []
    sr_namen = dict(session.execute(select(m.Sozialraum.id, m.Sozialraum.name)).all())
    liste: list[Aufgabe] = []
    liste += _protokolle(session, akteur, sr_namen)
    liste += _massnahmen(session, akteur, sr_namen)
    liste += _einladungen(session, akteur, heute)
    liste += _ueberfaellig(session, akteur, heute, sr_namen)
    liste += _erhalten(session, akteur, seit if seit is not None else vorige_anmeldung(session, akteur), sr_namen)
    liste += _frische(session, akteur, heute, frische_monate)
    liste += _pflichten(session, akteur, heute.year - 1, sr_namen)  # im Jahr wird über das Vorjahr berichtet
    rang = {a: i for i, a in enumerate(ARTEN)}
    return sorted(liste, key=lambda x: (rang[x.art], x.datum or date.min))


def _protokolle(session: Session, akteur: Akteur, sr_namen: dict[int, str]) -> list[Aufgabe]:
    """Gehaltene Sitzungen ohne Protokoll: für die eingetragene Protokollführung, sonst für die Leitung."""
    bedingung = m.Sitzung.protokoll_login == akteur.login
    if akteur.sozialraum_id is not None:
        bedingung = or_(bedingung, and_(m.Sitzung.sozialraum_id == akteur.sozialraum_id,
                                        or_(m.Sitzung.protokoll_login.is_(None), m.Sitzung.protokoll_login == "")))
    ergebnis = []
    for sz in session.scalars(select(m.Sitzung).where(m.Sitzung.status == "durchgefuehrt", bedingung)
                              .order_by(m.Sitzung.datum, m.Sitzung.id)):
        delegiert = sz.protokoll_login == akteur.login
        if not delegiert and not _leitet_eigenen(akteur, sz.sozialraum_id):
            continue
        sr = sr_namen.get(sz.sozialraum_id, "")
        ergebnis.append(Aufgabe(
            "protokoll_delegiert" if delegiert else "protokoll_schreiben",
            f"Ergebnisprotokoll der Sitzung vom {sz.datum:%d.%m.%Y} ({sr}) schreiben",
            "seiten/protokoll.py", {PROTOKOLL_SITZUNG: sz.id, PROTOKOLL_SOZIALRAUM: sr}, sz.datum))
    return ergebnis


def _massnahmen(session: Session, akteur: Akteur, sr_namen: dict[int, str]) -> list[Aufgabe]:
    if akteur.sozialraum_id is None or politik.umfang(akteur, "massnahme_genehmigen") is None:
        return []
    if not politik.darf(akteur, "massnahme_genehmigen", Ziel("massnahme_genehmigen", akteur.sozialraum_id)):
        return []
    q = (select(m.Massnahme).where(m.Massnahme.sozialraum_id == akteur.sozialraum_id,
                                   m.Massnahme.status == "beantragt").order_by(m.Massnahme.id))
    return [Aufgabe("massnahme_genehmigen",
                    f"„{x.titel}“ ({_eur(x.kosten_geplant)} geplant, {x.jahr}) genehmigen oder ablehnen",
                    "seiten/budget.py", {"budget_sozialraum": sr_namen.get(x.sozialraum_id, "")})
            for x in session.scalars(q)]


def _einladungen(session: Session, akteur: Akteur, heute: date) -> list[Aufgabe]:
    if not _leitet_eigenen(akteur, akteur.sozialraum_id):
        return []
    bis = heute + timedelta(days=EINLADUNG_VORLAUF_TAGE)
    q = (select(m.Sitzung).where(m.Sitzung.sozialraum_id == akteur.sozialraum_id, m.Sitzung.status == "geplant",
                                 m.Sitzung.datum >= heute, m.Sitzung.datum <= bis).order_by(m.Sitzung.datum))
    return [Aufgabe("einladung_versenden",
                    f"Einladung zur Sitzung am {sz.datum:%d.%m.%Y} versenden (in {(sz.datum - heute).days} Tagen)",
                    "seiten/sitzungen.py", {SITZUNGEN_SITZUNG: sz.id}, sz.datum)
            for sz in session.scalars(q)]


def _ueberfaellig(session: Session, akteur: Akteur, heute: date, sr_namen: dict[int, str]) -> list[Aufgabe]:
    """R5 wie `analysen.gremium.kadenz`: im laufenden Halbjahr keine Sitzung gehalten oder geplant."""
    sr = akteur.sozialraum_id
    if not _leitet_eigenen(akteur, sr):
        return []
    beginn, ende = _halbjahr(heute)
    vorhanden = session.scalar(select(m.Sitzung.id).where(
        m.Sitzung.sozialraum_id == sr, m.Sitzung.status.in_(_ZAEHLEN),
        m.Sitzung.datum >= beginn, m.Sitzung.datum <= ende).limit(1))
    if vorhanden is not None:
        return []
    return [Aufgabe("sitzung_ueberfaellig",
                    f"Im laufenden Halbjahr (bis {ende:%d.%m.%Y}) ist im Gremium {sr_namen.get(sr, '')} keine "
                    "Sitzung gehalten oder geplant: bitte eine Sitzung planen.", "seiten/sitzungen.py", {}, ende)]


def _erhalten(session: Session, akteur: Akteur, seit: datetime | None, sr_namen: dict[int, str]) -> list[Aufgabe]:
    """Versendete Protokolle lesbarer Gremien, versendet nach `seit` (ohne vorige Anmeldung: keine)."""
    if seit is None or politik.protokoll_lesebereich(akteur) == "keiner":
        return []
    q = (select(m.Sitzung).where(m.Sitzung.status == "versendet", m.Sitzung.versendet_am.is_not(None),
                                 lesefilter(akteur, m.Sitzung.sozialraum_id)).order_by(m.Sitzung.datum))
    ergebnis = []
    for sz in session.scalars(q):
        am = _utc(sz.versendet_am)
        if am is None or am <= seit:
            continue
        sr = sr_namen.get(sz.sozialraum_id, "")
        ergebnis.append(Aufgabe("protokoll_erhalten",
                                f"Neues Protokoll: Sitzung vom {sz.datum:%d.%m.%Y} ({sr}), versendet am {am:%d.%m.%Y}",
                                "seiten/protokoll.py", {PROTOKOLL_SITZUNG: sz.id, PROTOKOLL_SOZIALRAUM: sr}, sz.datum))
    return ergebnis


def _frische(session: Session, akteur: Akteur, heute: date, monate: int) -> list[Aufgabe]:
    faellig = frische.faellige_eintraege(session, akteur, monate=monate, heute=heute)
    if not faellig:
        return []
    return [Aufgabe("eintraege_pruefen",
                    f"{len(faellig)} {'Eintrag ist' if len(faellig) == 1 else 'Einträge sind'} länger als {monate} "
                    "Monate nicht bestätigt (Liste unten: „Stimmt noch“ oder „Korrigieren“)", "seiten/start.py",
                    {}, faellig[0].bestaetigt_am)]


def _pflicht_rollen(tabelle: str) -> dict[str, str]:
    """Rollen, denen die Erklärung das Anlegen in `tabelle` ausdrücklich gibt (Rolle → Umfang)."""
    return {r: u["anlegen"] for r, u in politik.TABELLEN[tabelle].rechte.items() if "anlegen" in u}


def _pflichten(session: Session, akteur: Akteur, jahr: int, sr_namen: dict[int, str]) -> list[Aufgabe]:
    """Jährliche Pflichten (5.2, 4.2) über das **betrachtete** Jahr `jahr` (im laufenden Jahr: das Vorjahr), aus
    `daten.pflichten` – derselbe Stand wie auf der Seite „Hospitationen und Reflexion“: die Reflexionen (wer sie
    dokumentiert) und der Bericht an die Lenkungsgruppe je Sozialraum (die Teamleitung für ihren, wer alle darf
    für alle)."""
    p = pflichten_im_jahr(session, jahr)
    ergebnis: list[Aufgabe] = []
    if akteur.rolle in _pflicht_rollen("reflexion"):
        da = {werte.REFLEXION_GEMEINSAM: p.reflexion_dokumentiert,
              werte.REFLEXION_LENKUNGSGRUPPE: p.lenkungsgruppe_getagt}
        ergebnis += [Aufgabe("reflexion_dokumentieren", f"{text} über {jahr} ist noch nicht dokumentiert",
                             "seiten/hospitationen.py", {}) for art, text in _REFLEXION_ARTEN.items() if not da[art]]
    umfang = _pflicht_rollen("lenkungsbericht").get(akteur.rolle)
    if umfang is None:
        return ergebnis
    fehlt = [b.sozialraum_id for b in p.lenkungsberichte if not b.erstattet]
    offen = ([akteur.sozialraum_id] if akteur.sozialraum_id in fehlt else []) if umfang == politik.EIGENER else fehlt
    if offen:
        wo = (f"für {sr_namen[offen[0]]} ist noch nicht erstattet" if len(offen) == 1 else
              f"fehlt noch für {len(offen)} Sozialräume: {', '.join(sr_namen[i] for i in offen)}")
        ergebnis.append(Aufgabe("lenkungsbericht", f"Jahresbericht über {jahr} an die Lenkungsgruppe {wo}",
                                "seiten/hospitationen.py", {}))
    return ergebnis
    erstattet = set(session.scalars(select(m.Lenkungsbericht.sozialraum_id).where(m.Lenkungsbericht.jahr == jahr)))
    if umfang == politik.EIGENER:
        offen = [akteur.sozialraum_id] if akteur.sozialraum_id in sr_namen and \
            akteur.sozialraum_id not in erstattet else []
    else:
        offen = [i for i in sr_namen if i not in erstattet]
    if len(offen) == 1:
        ergebnis.append(Aufgabe("lenkungsbericht", f"Jahresbericht {jahr} an die Lenkungsgruppe für "
                                f"{sr_namen[offen[0]]} ist noch nicht erstattet", "seiten/bericht.py", {}))
    elif offen:
        namen = ", ".join(sr_namen[i] for i in offen)
        ergebnis.append(Aufgabe("lenkungsbericht", f"Jahresbericht {jahr} an die Lenkungsgruppe fehlt noch für "
                                f"{len(offen)} Sozialräume: {namen}", "seiten/bericht.py", {}))
    return ergebnis
