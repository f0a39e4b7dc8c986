"""Sitzungen der Gremien: planen, verschieben, Status, Protokollführung/Delegation, Teilnahme, Stufen, Teilgremien.

Termin, Ort, Einladung und Status setzt die Teamleitung ASD (R4); die eingetragene Protokollführung setzt
nur „protokolliert“ und „versendet“. Beides prüft `daten.gremium.regeln` vor dem Flush – auch wenn jemand
an dieser Schicht vorbei schreibt. Eingeladen wird nach der am Sitzungstag geltenden Stufe (R2).
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from daten import modelle as m
from daten import politik, werte
from daten.fehler import EingabeFehler, KonfliktFehler
from daten.gremium import regeln
from daten.gremium.kalender import kalender_hinweise
from daten.modelle.gremium import SITZUNG_STATUS
from daten.politik import Akteur

STATUS_TEXT: dict[str, str] = dict(werte.SITZUNG_STATUS)  # Schlüssel → Bezeichnung (daten.werte), auch „abgesagt“
SITZUNG_SPALTEN = ["id", "schluessel", "sozialraum_id", "sozialraum", "teilgremium_id", "teilgremium", "datum",
                   "beginn", "ende", "status", "ort_id", "ort", "ort_art", "ort_adresse", "protokollfuehrung",
                   "protokoll_bereich", "protokoll_bereich_grund", "protokoll_login", "eingeladene", "teilnehmende",
                   "anzahl_teilnehmende",
                   "anzahl_gaeste", "anzahl_punkte", "versendet_von", "versendet_am", "version"]
STUFEN_SPALTEN = ["id", "sozialraum_id", "sozialraum", "stufe", "gueltig_ab", "beschluss", "sitzung_id"]
_UHRZEIT = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def sozialraum_id(session: Session, name: str) -> int:
    """Die id des Sozialraums, den `name` meint (`daten.namenssuche`: Schreibweise egal, eindeutiger Anfang genügt),
    oder eine deutsche Meldung mit den Kandidaten bzw. den vorhandenen Namen."""
    from daten.namenssuche import finde_sozialraum

    alle = dict(session.execute(select(m.Sozialraum.name, m.Sozialraum.id).order_by(m.Sozialraum.reihenfolge)).all())
    return alle[finde_sozialraum(name, alle)]


def lade_sitzung(session: Session, sitzung_id: int) -> m.Sitzung:
    """Die Sitzung mit `sitzung_id` oder eine deutsche Meldung, dass es sie nicht gibt."""
    sz = session.get(m.Sitzung, sitzung_id)
    if sz is None:
        raise EingabeFehler(f"Sitzung {sitzung_id} gibt es nicht. Die Liste zeigt `ressourcenkarte sitzungen`.")
    return sz


def pruefe_version(obj: Any, version: int | None) -> None:
    """KonfliktFehler, wenn `version` (der Stand, den die Person gesehen hat) nicht mehr der gespeicherte ist."""
    if version is not None and obj.version != version:
        raise KonfliktFehler("Der Datensatz wurde inzwischen von jemand anderem geändert. Nichts wurde gespeichert; "
                             "bitte neu laden und die Änderung erneut eintragen.")


def _uhrzeit(text: str | None, feld: str) -> str | None:
    if text is None or text == "":
        return None
    if not _UHRZEIT.match(text):
        raise EingabeFehler(f"{feld}: '{text}' ist keine Uhrzeit im Format HH:MM (z. B. 14:00).")
    return text


# ------------------------------------------------------------------------------------------ Stufen (R2)
def stufen(session: Session) -> pd.DataFrame:
    """Stufenbeschlüsse aller Gremien (Geschichte), Spalten STUFEN_SPALTEN, nach Sozialraum und Datum."""
    q = (select(m.Stufenbeschluss, m.Sozialraum.name).join(m.Sozialraum, m.Stufenbeschluss.sozialraum_id ==
                                                           m.Sozialraum.id)
         .order_by(m.Sozialraum.reihenfolge, m.Stufenbeschluss.gueltig_ab))
    return pd.DataFrame([{"id": b.id, "sozialraum_id": b.sozialraum_id, "sozialraum": name, "stufe": b.stufe,
                          "gueltig_ab": b.gueltig_ab, "beschluss": b.beschluss, "sitzung_id": b.sitzung_id}
                         for b, name in session.execute(q)], columns=STUFEN_SPALTEN)


def stufen_am(session: Session, datum: date) -> dict[int, int]:
    """Je Sozialraum-id die am `datum` geltende Stufe (R2): der jüngste Beschluss bis dahin, ohne Beschluss die
    Stufe des Sozialraums (Konfiguration). Ein später datierter Beschluss gilt erst ab seinem Tag."""
    stufe = {i: int(s) for i, s in session.execute(select(m.Sozialraum.id, m.Sozialraum.stufe))}
    for sr_id, s in session.execute(select(m.Stufenbeschluss.sozialraum_id, m.Stufenbeschluss.stufe)
                                    .where(m.Stufenbeschluss.gueltig_ab <= datum)
                                    .order_by(m.Stufenbeschluss.gueltig_ab)):
        stufe[sr_id] = int(s)  # der jüngere Beschluss überschreibt den älteren
    return stufe


def stufe_am(session: Session, sozialraum_id: int, datum: date) -> int:
    """Die am `datum` geltende Stufe des Gremiums: jüngster Beschluss bis dahin, sonst die konfigurierte Stufe."""
    return stufen_am(session, datum).get(sozialraum_id, 1)


def beschliesse_stufe(session: Session, akteur: Akteur, *, sozialraum_id: int, stufe: int, gueltig_ab: date,
                      beschluss: str, sitzung_id: int | None = None, kommune: Any = None,
                      sprung_grund: str | None = None) -> m.Stufenbeschluss:
    """Trägt einen Stufenbeschluss ein (Teamleitung des Gremiums oder Jugendhilfeplanung; Rechte: Datenschicht).

    3.1: ein Gremium beginnt mit Stufe 1 und wird Stufe für Stufe erweitert; wer eine Stufe überspringt, nennt
    `sprung_grund` (R2 in `daten.gremium.regeln`). Vermerkt wird, wer (`beschlossen_von` = Login), ab wann
    (`gueltig_ab`) und warum (`beschluss`).

    `beschluss`: Text oder Verweis auf das Protokoll; `sitzung_id`: die Sitzung, in der beschlossen wurde.
    Mit `kommune` bekommen geplante, noch nicht eingeladene Sitzungen ab `gueltig_ab` die Einladungsliste der
    neuen Stufe (R2) – nur wenn `akteur` das Gremium leitet, denn die Einladung ist Sache der Teamleitung (R4).
    """
    if gueltig_ab is None:
        raise EingabeFehler("Stufenbeschluss: bitte das Datum angeben, ab dem die Stufe gilt.")
    if session.scalar(select(m.Stufenbeschluss.id).where(m.Stufenbeschluss.sozialraum_id == sozialraum_id,
                                                        m.Stufenbeschluss.gueltig_ab == gueltig_ab)):
        raise EingabeFehler(f"Für den {gueltig_ab:%d.%m.%Y} gibt es schon einen Stufenbeschluss dieses Gremiums. "
                            "Bitte ein anderes Datum wählen.")
    if sitzung_id is not None and lade_sitzung(session, sitzung_id).sozialraum_id != sozialraum_id:
        raise EingabeFehler("Die Sitzung des Beschlusses gehört zu einem anderen Gremium.")
    b = m.Stufenbeschluss(sozialraum_id=sozialraum_id, stufe=int(stufe), gueltig_ab=gueltig_ab,
                          beschluss=(beschluss or "").strip(), sitzung_id=sitzung_id, beschlossen_von=akteur.login,
                          sprung_grund=(sprung_grund or "").strip() or None)
    session.add(b)
    session.flush()
    leitet = politik.darf(akteur, "gremium_leiten", politik.Ziel("gremium_leiten", sozialraum_id))
    if kommune is not None and leitet:
        for sz in session.scalars(select(m.Sitzung).where(m.Sitzung.sozialraum_id == sozialraum_id,
                                                          m.Sitzung.status == "geplant",
                                                          m.Sitzung.datum >= gueltig_ab)):
            sz.eingeladene = einladungsliste(session, kommune, sozialraum_id=sozialraum_id, datum=sz.datum,
                                             teilgremium_id=sz.teilgremium_id)
        session.flush()
    return b


def stufen_geschichte(session: Session, sozialraum_id: int) -> pd.DataFrame:
    """Stufenbeschlüsse eines Gremiums mit dem Datum der Sitzung, in der beschlossen wurde (neueste zuerst):
    gueltig_ab, stufe, beschluss, sitzung_datum, beschlossen_von (Login), sprung_grund."""
    q = (select(m.Stufenbeschluss, m.Sitzung.datum).outerjoin(m.Sitzung, m.Stufenbeschluss.sitzung_id == m.Sitzung.id)
         .where(m.Stufenbeschluss.sozialraum_id == sozialraum_id).order_by(m.Stufenbeschluss.gueltig_ab.desc()))
    return pd.DataFrame([{"gueltig_ab": b.gueltig_ab, "stufe": b.stufe, "beschluss": b.beschluss,
                          "sitzung_datum": datum, "beschlossen_von": b.beschlossen_von, "sprung_grund": b.sprung_grund}
                         for b, datum in session.execute(q)],
                        columns=["gueltig_ab", "stufe", "beschluss", "sitzung_datum", "beschlossen_von",
                                 "sprung_grund"])


def lege_teilgremium_an(session: Session, akteur: Akteur, *, sozialraum_id: int, name: str,
                        stadtteil_ids: list[int], gueltig_ab: date, beschluss: str | None = None) -> m.Teilgremium:
    """Teilt das Gremium nach Stadtteilen (Fußnote 3); Sitzungen können dann dem Teilgremium gehören."""
    if gueltig_ab is None:
        raise EingabeFehler("Teilgremium: bitte das Datum angeben, ab dem es tagt.")
    t = m.Teilgremium(sozialraum_id=sozialraum_id, name=(name or "").strip(), gueltig_ab=gueltig_ab,
                      beschluss=beschluss, stadtteile=[session.get(m.Stadtteil, i) for i in stadtteil_ids])
    if any(st is None for st in t.stadtteile):
        raise EingabeFehler("Teilgremium: ein gewählter Stadtteil existiert nicht.")
    session.add(t)
    session.flush()
    return t


def teilgremien(session: Session, sozialraum_id: int | None = None) -> pd.DataFrame:
    """Teilgremien: id, sozialraum_id, name, stadtteile (Namen), gueltig_ab, gueltig_bis, beschluss."""
    q = select(m.Teilgremium).options(selectinload(m.Teilgremium.stadtteile)).order_by(m.Teilgremium.id)
    if sozialraum_id is not None:
        q = q.where(m.Teilgremium.sozialraum_id == sozialraum_id)
    return pd.DataFrame([{"id": t.id, "sozialraum_id": t.sozialraum_id, "name": t.name,
                          "stadtteile": ", ".join(st.name for st in t.stadtteile), "gueltig_ab": t.gueltig_ab,
                          "gueltig_bis": t.gueltig_bis, "beschluss": t.beschluss or ""} for t in session.scalars(q)],
                        columns=["id", "sozialraum_id", "name", "stadtteile", "gueltig_ab", "gueltig_bis", "beschluss"])


# ------------------------------------------------------------------------------------------ Einladung
def einladungsliste(session: Session, kommune: Any, *, sozialraum_id: int, datum: date,
                    teilgremium_id: int | None = None) -> list[dict[str, Any]]:
    """Einzuladende nach Arbeitsfeld: Einrichtungen, die am `datum` zur geltenden Stufe gehören (R2).

    Bei einem Teilgremium nur dessen Stadtteile (die ASD-Dienststelle des Sozialraums immer). Einträge:
    {bereich, einrichtung (Schlüssel), name (Einrichtung)}; ASD zuerst, dann nach Arbeitsfeld.
    """
    stufe = stufe_am(session, sozialraum_id, datum)
    teile = None
    if teilgremium_id is not None:
        tg = session.get(m.Teilgremium, teilgremium_id)
        teile = {st.id for st in tg.stadtteile} if tg else None
    arten = {a.schluessel: a for a in kommune.einrichtungsarten}
    felder = kommune.gremium.arbeitsfelder
    q = (select(m.Einrichtung).join(m.Stadtteil).where(m.Stadtteil.sozialraum_id == sozialraum_id,
                                                      m.Einrichtung.aktiv.is_(True)).order_by(m.Einrichtung.name))
    liste = []
    for e in session.scalars(q):
        if (e.gueltig_von and e.gueltig_von > datum) or (e.gueltig_bis and e.gueltig_bis < datum):
            continue
        ab = arten[e.art].stufe_fuer(e.traeger_art) if e.art in arten else None
        if ab is None or ab > stufe or (teile is not None and e.stadtteil_id not in teile and e.art != "asd"):
            continue
        liste.append({"bereich": felder.get(e.art, e.art), "einrichtung": e.schluessel, "name": e.name})
    reihe = list(felder.values())
    return sorted(liste, key=lambda t: (t["bereich"] != "ASD", reihe.index(t["bereich"]) if t["bereich"] in reihe
                                        else len(reihe), t["name"]))


# ------------------------------------------------------------------------------------------ Schreiben
def plane_sitzung(session: Session, akteur: Akteur, *, kommune: Any, sozialraum_id: int, datum: date,
                  ort_id: int | None, protokoll_bereich: str | None, protokollfuehrung: str | None,
                  protokoll_login: str | None = None, beginn: str | None = None, ende: str | None = None,
                  teilgremium_id: int | None = None, protokoll_bereich_grund: str | None = None) -> m.Sitzung:
    """Plant eine Sitzung (Status 'geplant'); Einladungsliste nach der am Datum geltenden Stufe (R2, R4, R5).

    `protokoll_bereich`: Arbeitsfeld im Wechsel (4.1); weicht es vom Vorschlag (`protokoll_vorschlag`) ab, braucht es
    `protokoll_bereich_grund`. `protokoll_login`: ein aktives Konto des Sozialraums, das Protokolle schreiben darf
    (beides prüft `daten.gremium.regeln`)."""
    if datum is None:
        raise EingabeFehler("Bitte ein Datum für die Sitzung angeben.")
    login = (protokoll_login or "").strip() or None
    name = (protokollfuehrung or "").strip() or None
    if login and not name:
        konto = regeln.pruefe_protokollkonto(session, sozialraum_id=sozialraum_id, login=login)
        name = f"{konto.anzeigename} ({protokoll_bereich})" if protokoll_bereich else konto.anzeigename
    sz = m.Sitzung(
        schluessel=f"sitzung-{uuid.uuid4().hex[:12]}", sozialraum_id=sozialraum_id, datum=datum,
        beginn=_uhrzeit(beginn or kommune.gremium.beginn, "Beginn"), ende=_uhrzeit(ende, "Ende"), ort_id=ort_id,
        teilgremium_id=teilgremium_id, protokoll_bereich=protokoll_bereich or None,
        protokoll_bereich_grund=(protokoll_bereich_grund or "").strip() or None,
        protokollfuehrung=name, protokoll_login=login,
        status="geplant", teilnehmende=[],
        eingeladene=einladungsliste(session, kommune, sozialraum_id=sozialraum_id, datum=datum,
                                    teilgremium_id=teilgremium_id))
    session.add(sz)
    session.flush()
    return sz


def setze_status(session: Session, akteur: Akteur, *, sitzung_id: int, status: str,
                 version: int | None = None) -> m.Sitzung:
    """Status entlang geplant → eingeladen → durchgefuehrt → protokolliert → versendet (Rechte: Datenschicht)."""
    if status not in SITZUNG_STATUS:
        raise EingabeFehler(f"Status '{status}' gibt es nicht. Möglich: {', '.join(SITZUNG_STATUS)}.")
    sz = lade_sitzung(session, sitzung_id)
    pruefe_version(sz, version)
    if status == "versendet":
        return markiere_versendet(session, akteur, sitzung_id=sitzung_id)
    sz.status = status
    session.flush()
    return sz


TERMINFELDER = ("datum", "beginn", "ende", "ort_id")  # was ein Kalender als Verschiebung kennt (neue SEQUENCE)


def verlege_sitzung(session: Session, akteur: Akteur, *, sitzung_id: int, datum: date, beginn: str | None,
                    ende: str | None, ort_id: int | None, version: int | None = None) -> m.Sitzung:
    """Verschiebt die Sitzung (Datum, Uhrzeit, Ort; Teamleitung ASD, R4); die SEQUENCE der Einladung steigt,
    damit Kalender die neue Fassung übernehmen (RFC 5546)."""
    if datum is None:
        raise EingabeFehler("Bitte das neue Datum der Sitzung angeben.")
    sz = lade_sitzung(session, sitzung_id)
    pruefe_version(sz, version)
    neu = {"datum": datum, "beginn": _uhrzeit(beginn, "Beginn"), "ende": _uhrzeit(ende, "Ende"), "ort_id": ort_id}
    if all(getattr(sz, k) == v for k, v in neu.items()):
        return sz
    for k, v in neu.items():
        setattr(sz, k, v)
    sz.sequenz = int(sz.sequenz or 0) + 1
    session.flush()
    return sz


def sitzung_absagen(session: Session, akteur: Akteur, *, sitzung_id: int, grund: str | None = None,
                    version: int | None = None) -> m.Sitzung:
    """Sagt eine geplante oder eingeladene Sitzung ab (Teamleitung ASD, R4; Regel: `daten.gremium.regeln`).

    Status 'abgesagt', SEQUENCE + 1 und der Grund (steht in der Absage, METHOD:CANCEL). Endgültig.
    """
    sz = lade_sitzung(session, sitzung_id)
    pruefe_version(sz, version)
    if sz.status == werte.SITZUNG_ABGESAGT:
        raise EingabeFehler("Die Sitzung ist schon abgesagt.")
    sz.status = werte.SITZUNG_ABGESAGT
    sz.absage_grund = " ".join((grund or "").split()) or None
    sz.sequenz = int(sz.sequenz or 0) + 1
    session.flush()
    return sz


def markiere_versendet(session: Session, akteur: Akteur, *, sitzung_id: int) -> m.Sitzung:
    """Protokoll versendet (R8): vermerkt, wer es wann versendet hat."""
    sz = lade_sitzung(session, sitzung_id)
    sz.status = "versendet"
    sz.versendet_von = akteur.login
    sz.versendet_am = datetime.now().astimezone()
    session.flush()
    return sz


def delegiere_protokoll(session: Session, akteur: Akteur, *, sitzung_id: int, an_login: str | None,
                        an_bereich: str | None = None, an_name: str | None = None, grund: str | None = None,
                        version: int | None = None) -> m.Protokolldelegation:
    """Überträgt Protokoll und Versand (R4) an das Konto `an_login`; die Delegation wird mit Zeitpunkt festgehalten.

    Das Konto muss es geben, aktiv sein, zum Sozialraum der Sitzung gehören und Protokolle schreiben dürfen – geprüft
    in der Datenbank (`regeln.pruefe_protokollkonto`), nicht nur in der Auswahl der Seite. `an_bereich`: Arbeitsfeld im
    Wechsel (4.1, Standard: das bisherige); weicht es vom Vorschlag ab, ist `grund` Pflicht und steht an der Sitzung
    (`protokoll_bereich_grund`, im Änderungsprotokoll). `version`: der Stand der Sitzung, den die Person gesehen hat.
    """
    login = (an_login or "").strip()
    if not login:
        raise EingabeFehler("Delegation: bitte das Konto wählen, das das Protokoll schreibt.")
    sz = lade_sitzung(session, sitzung_id)
    pruefe_version(sz, version)
    konto = regeln.pruefe_protokollkonto(session, sozialraum_id=sz.sozialraum_id, login=login)
    name = (an_name or "").strip() or konto.anzeigename
    bereich = (an_bereich or "").strip() or sz.protokoll_bereich
    grund = (grund or "").strip() or None
    if bereich != sz.protokoll_bereich:
        vorschlag = regeln.protokoll_vorschlag(session, sozialraum_id=sz.sozialraum_id, datum=sz.datum,
                                               sitzung_id=sz.id)
        sz.protokoll_bereich_grund = None if bereich == vorschlag else grund
    sz.protokollfuehrung = f"{name} ({bereich})" if bereich else name
    sz.protokoll_bereich = bereich
    sz.protokoll_login = konto.login
    d = m.Protokolldelegation(sitzung=sz, von_login=akteur.login, an_name=name, an_bereich=bereich,
                              an_login=konto.login, zeitpunkt=datetime.now().astimezone(), grund=grund)
    session.add(d)
    session.flush()
    return d


def protokoll_vorschlag(session: Session, *, sozialraum_id: int, datum: date,
                        sitzung_id: int | None = None) -> str | None:
    """4.1: das Arbeitsfeld, das im Wechsel das Protokoll der Sitzung am `datum` führt
    (`daten.gremium.regeln.protokoll_vorschlag`)."""
    return regeln.protokoll_vorschlag(session, sozialraum_id=sozialraum_id, datum=datum, sitzung_id=sitzung_id)


def protokollkonten(session: Session, *, sozialraum_id: int) -> list[dict[str, str]]:
    """Aktive Konten des Sozialraums, die Protokolle schreiben dürfen (Politik): [{login, anzeigename, rolle}], nach
    Name – die Auswahl für Protokollführung und Delegation (nie ein getippter Benutzername)."""
    q = (select(m.Benutzer).where(m.Benutzer.sozialraum_id == sozialraum_id, m.Benutzer.aktiv.is_(True))
         .order_by(m.Benutzer.anzeigename, m.Benutzer.login))
    ziel = politik.Ziel("protokollpunkt", sozialraum_id)
    return [{"login": b.login, "anzeigename": b.anzeigename, "rolle": politik.ROLLEN.get(b.rolle, b.rolle)}
            for b in session.scalars(q)
            if politik.darf(Akteur(b.login, b.rolle, b.sozialraum_id), "anlegen", ziel)]


GAST = "Gast"


def trage_teilnahme_ein(session: Session, akteur: Akteur, *, sitzung_id: int, teilnehmende: list[dict[str, Any]],
                        version: int | None = None) -> m.Sitzung:
    """Teilnehmende der Sitzung (Teamleitung oder Protokollführung): Mitglieder [{bereich, einrichtung (Schlüssel|None),
    name}] und Gäste „bei Bedarf“ (3.1) [{gast: True, name, organisation (optional)}]. Gäste sind keine Mitglieder:
    ohne Einrichtung gespeichert, zählen nicht in der Teilnahmeprüfung (R6)."""
    liste = []
    for i, t in enumerate(teilnehmende, start=1):
        name = str(t.get("name") or "").strip()
        if t.get("gast"):
            if not name:
                raise EingabeFehler(f"Teilnahme Zeile {i}: beim Gast fehlt der Name (die Organisation ist optional).")
            org = str(t.get("organisation") or "").strip() or None
            liste.append({"gast": True, "name": name, "organisation": org,
                          "bereich": f"{GAST} ({org})" if org else GAST, "einrichtung": None})
            continue
        if not name or not str(t.get("bereich") or "").strip():
            raise EingabeFehler(f"Teilnahme Zeile {i}: Name und Arbeitsfeld sind Pflicht.")
        liste.append({"bereich": str(t["bereich"]).strip(), "einrichtung": t.get("einrichtung") or None, "name": name})
    sz = lade_sitzung(session, sitzung_id)
    pruefe_version(sz, version)
    sz.teilnehmende = liste
    session.flush()
    return sz


# ------------------------------------------------------------------------------------------ Lesen
def sitzungen(session: Session, *, sozialraum_id: int | None = None) -> pd.DataFrame:
    """Alle Sitzungen (Spalten SITZUNG_SPALTEN), nach Sozialraum und Datum. Ohne Protokolltext."""
    q = (select(m.Sitzung, m.Sozialraum.name).join(m.Sozialraum, m.Sitzung.sozialraum_id == m.Sozialraum.id)
         .options(selectinload(m.Sitzung.ort), selectinload(m.Sitzung.teilgremium), selectinload(m.Sitzung.punkte))
         .order_by(m.Sozialraum.reihenfolge, m.Sitzung.datum))
    if sozialraum_id is not None:
        q = q.where(m.Sitzung.sozialraum_id == sozialraum_id)
    zeilen = []
    for sz, name in session.execute(q):
        zeilen.append({
            "id": sz.id, "schluessel": sz.schluessel, "sozialraum_id": sz.sozialraum_id, "sozialraum": name,
            "teilgremium_id": sz.teilgremium_id, "teilgremium": sz.teilgremium.name if sz.teilgremium else "",
            "datum": sz.datum, "beginn": sz.beginn or "", "ende": sz.ende or "", "status": sz.status,
            "ort_id": sz.ort_id, "ort": sz.ort.name if sz.ort else "", "ort_art": sz.ort.art if sz.ort else "",
            "ort_adresse": sz.ort.adresse or "" if sz.ort else "", "protokollfuehrung": sz.protokollfuehrung or "",
            "protokoll_bereich": sz.protokoll_bereich or "", "protokoll_login": sz.protokoll_login or "",
            "protokoll_bereich_grund": sz.protokoll_bereich_grund or "",
            "eingeladene": list(sz.eingeladene or []), "teilnehmende": list(sz.teilnehmende or []),
            "anzahl_teilnehmende": len(sz.teilnehmende or []),
            "anzahl_gaeste": sum(1 for x in sz.teilnehmende or [] if isinstance(x, dict) and x.get("gast")),
            "anzahl_punkte": len(sz.punkte),
            "versendet_von": sz.versendet_von or "", "versendet_am": sz.versendet_am, "version": sz.version,
        })
    return pd.DataFrame(zeilen, columns=SITZUNG_SPALTEN)


def termin_hinweise(kommune: Any, datum: date) -> list[str]:
    """Wochenende/Feiertag/Heiligabend am Datum (Bundesland aus der Konfiguration)."""
    return kalender_hinweise(datum, kommune.gremium.bundesland)
