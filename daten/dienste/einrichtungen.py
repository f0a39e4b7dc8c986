"""Einrichtungen pflegen: anlegen, ändern, verschieben, schließen, wieder öffnen, bestätigen, löschen (Admin).

Jede Funktion bekommt die Session und die handelnde Person, prüft die Regeln mit deutscher Meldung und
schreibt über das ORM; Rechteprüfung und Änderungsprotokoll der Datenschicht laufen beim Flush mit.
`version` ist der Stand, den die Person gesehen hat: weicht er ab, gibt es einen KonfliktFehler.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from difflib import SequenceMatcher
from typing import Any

import shapely
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten import politik
from daten.config import Kommune
from daten.dienste._gemeinsam import lade, pruefe_recht, text_oder_none, textliste
from daten.dienste.ausnahmen import Dublette, DublettenWarnung
from daten.dienste.raum import verorte
from daten.fehler import EingabeFehler, RechteFehler
from daten.geometrie import metrisches_crs, nach_metrisch
from daten.politik import Akteur

DUBLETTE_M = 50.0  # gleiche Art, ähnlicher Name, näher als das (metrisch) → wahrscheinlich derselbe Eintrag
# Felder, die Personen im Formular bearbeiten (die Geometrie ändert `verschiebe_einrichtung`)
FELDER = ("name", "art", "traeger_art", "traeger", "adresse", "zielgruppen", "angebote", "kapazitaet",
          "gueltig_von", "gueltig_bis", "schliessgrund")
_ALLGEMEIN = {"kita", "kindertagesstaette", "kindergarten", "kinderhaus", "schule", "st", "staedtische",
              "städtische", "ev", "kath", "evangelische", "katholische", "der", "die", "das", "und", "mainz"}


def _pruefe_felder(kommune: Kommune, werte: dict[str, Any]) -> dict[str, Any]:
    """Prüft und bereinigt Formularwerte; unbekannte Art/Trägerart → Meldung mit den erlaubten Werten."""
    aus = dict(werte)
    if "name" in aus:
        aus["name"] = text_oder_none(aus["name"], feld="Name", hoechstens=300)
        if not aus["name"]:
            raise EingabeFehler("Feld „Name“ ist leer. Bitte einen Namen eingeben.")
    if "art" in aus:
        arten = {a.schluessel: a.bezeichnung for a in kommune.einrichtungsarten}
        if aus["art"] not in arten:
            erlaubt = ", ".join(f"{k} ({v})" for k, v in arten.items())
            raise EingabeFehler(f"Einrichtungsart „{aus['art']}“ ist unbekannt. Erlaubt: {erlaubt}.")
    if "traeger_art" in aus and aus["traeger_art"] not in kommune.traegerarten:
        erlaubt = ", ".join(f"{k} ({v})" for k, v in kommune.traegerarten.items())
        raise EingabeFehler(f"Trägerart „{aus['traeger_art']}“ ist unbekannt. Erlaubt: {erlaubt}.")
    for feld, titel, laenge in (("traeger", "Träger", 300), ("adresse", "Adresse", 300),
                                ("schliessgrund", "Grund der Schließung", 2000)):
        if feld in aus:
            aus[feld] = text_oder_none(aus[feld], feld=titel, hoechstens=laenge)
    for feld, titel in (("zielgruppen", "Zielgruppen"), ("angebote", "Angebote")):
        if feld in aus:
            aus[feld] = textliste(aus[feld], feld=titel)
    if "kapazitaet" in aus and aus["kapazitaet"] is not None:
        k = aus["kapazitaet"]
        if isinstance(k, float) and k.is_integer():
            k = int(k)
        if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k <= 100_000:
            raise EingabeFehler(f"Feld „Kapazität“: „{k}“ ist keine ganze Zahl zwischen 0 und 100000.")
        aus["kapazitaet"] = k
    for feld in ("gueltig_von", "gueltig_bis"):
        if aus.get(feld) is not None and not isinstance(aus[feld], date):
            raise EingabeFehler(f"Feld „{feld.replace('_', ' ')}“: Datum erwartet.")
    return aus


def _pruefe_zeitraum(von: date | None, bis: date | None) -> None:
    if von and bis and bis < von:
        raise EingabeFehler(f"„gültig bis“ ({bis:%d.%m.%Y}) liegt vor „gültig von“ ({von:%d.%m.%Y}). "
                            "Bitte korrigieren.")


def _namensform(name: str) -> str:
    t = name.lower().replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return " ".join(w for w in re.findall(r"[a-z0-9]+", t) if w not in _ALLGEMEIN)


def _aehnlich(a: str, b: str) -> bool:
    x, y = _namensform(a), _namensform(b)
    if not x or not y:  # Name nur aus allgemeinen Wörtern („Kita“)
        return a.strip().lower() == b.strip().lower()
    if x in y or y in x or SequenceMatcher(None, x, y).ratio() >= 0.8:
        return True
    wx, wy = {w for w in x.split() if len(w) >= 4}, {w for w in y.split() if len(w) >= 4}
    return bool(wx and wy) and len(wx & wy) / min(len(wx), len(wy)) >= 0.5


def finde_dubletten(session: Session, *, kommune: Kommune, art: str, name: str, punkt: shapely.Point,
                    ausser: int | None = None) -> list[Dublette]:
    """Bestehende Einrichtungen gleicher Art mit ähnlichem Namen näher als 50 m (im metrischen KBS der Kommune)."""
    crs = metrisches_crs(kommune)
    ziel = nach_metrisch(punkt, crs_metrisch=crs)
    # grobe Vorauswahl im Gradnetz (50 m < 0.001° in Mainz-Breite), dann exakt metrisch
    kandidaten = session.scalars(select(m.Einrichtung).where(m.Einrichtung.art == art))
    treffer = []
    for e in kandidaten:
        if e.id == ausser or e.geometrie is None:
            continue
        if abs(e.geometrie.x - punkt.x) > 0.002 or abs(e.geometrie.y - punkt.y) > 0.002:
            continue
        d = float(ziel.distance(nach_metrisch(e.geometrie, crs_metrisch=crs)))
        if d < DUBLETTE_M and _aehnlich(name, e.name):
            treffer.append(Dublette(e.id, e.name, e.art, e.adresse, round(d, 1)))
    return sorted(treffer, key=lambda t: t.abstand_m)


def _warne_dubletten(session: Session, *, kommune: Kommune, art: str, name: str, punkt: shapely.Point,
                     ausser: int | None) -> None:
    treffer = finde_dubletten(session, kommune=kommune, art=art, name=name, punkt=punkt, ausser=ausser)
    if treffer:
        liste = "; ".join(f"„{t.name}“ ({t.adresse or 'ohne Adresse'}, {t.abstand_m:.0f} m entfernt)" for t in treffer)
        raise DublettenWarnung(f"Diesen Eintrag gibt es wahrscheinlich schon: {liste}. Bitte prüfen; wenn es "
                               "wirklich eine andere Einrichtung ist, „trotzdem speichern“ bestätigen.", treffer)


def formularwerte(e: m.Einrichtung) -> dict[str, Any]:
    """Bearbeitbarer Stand eines Eintrags (FELDER und Lage als WKT in EPSG:4326) – so, wie das Protokoll ihn hält."""
    werte = {k: getattr(e, k) for k in FELDER}
    werte["zielgruppen"], werte["angebote"] = list(e.zielgruppen or []), list(e.angebote or [])
    werte["geometrie"] = e.geometrie.wkt if e.geometrie is not None else None
    return werte


def bearbeitungsstand(session: Session, einrichtung_id: int, *, heute: date | None = None) -> dict[str, Any] | None:
    """Was das Formular zum Bearbeiten braucht: Stand (Version), Werte, Sozialraum; None, wenn es sie nicht gibt."""
    e = session.get(m.Einrichtung, einrichtung_id)
    if e is None:
        return None
    heute = heute or date.today()
    return {"id": e.id, "version": e.version, "werte": formularwerte(e), "name": e.name,
            "sozialraum_id": e.stadtteil.sozialraum_id, "sozialraum": e.stadtteil.sozialraum.name,
            "bestaetigt_am": e.bestaetigt_am, "offen": e.gueltig_bis is None or e.gueltig_bis >= heute}


def _bestaetigt(e: m.Einrichtung, akteur: Akteur, heute: date | None = None) -> None:
    # Wer einen Eintrag bearbeitet, hat ihn angesehen: das zählt als Bestätigung (Frische).
    e.bestaetigt_am = heute or date.today()
    e.bestaetigt_von = akteur.login


def lege_einrichtung_an(session: Session, akteur: Akteur, *, kommune: Kommune, name: str, art: str,
                        traeger_art: str, punkt: shapely.Point, traeger: str | None = None,
                        adresse: str | None = None, zielgruppen: Any = (), angebote: Any = (),
                        kapazitaet: int | None = None, gueltig_von: date | None = None,
                        gueltig_bis: date | None = None, trotz_dublette: bool = False,
                        schluessel: str | None = None, quelle: str | None = None) -> m.Einrichtung:
    """Neue Einrichtung am Punkt `punkt` (EPSG:4326); Stadtteil und Sozialraum ergeben sich aus der Geometrie."""
    werte = _pruefe_felder(kommune, {
        "name": name, "art": art, "traeger_art": traeger_art, "traeger": traeger, "adresse": adresse,
        "zielgruppen": zielgruppen, "angebote": angebote, "kapazitaet": kapazitaet,
        "gueltig_von": gueltig_von, "gueltig_bis": gueltig_bis})
    _pruefe_zeitraum(werte["gueltig_von"], werte["gueltig_bis"])
    ort = verorte(session, punkt, kommune=kommune)
    pruefe_recht(session, akteur, tabelle="einrichtung", sozialraum_id=ort.sozialraum_id,
                 was=f"eine Einrichtung in {ort.stadtteil}")
    if not trotz_dublette:
        _warne_dubletten(session, kommune=kommune, art=art, name=werte["name"], punkt=punkt, ausser=None)
    e = m.Einrichtung(**werte, schluessel=schluessel or f"pflege-{uuid.uuid4().hex[:12]}", aktiv=True,
                      stadtteil_id=ort.stadtteil_id, geometrie=shapely.Point(punkt.x, punkt.y),
                      quelle=quelle or f"Pflege im Dashboard ({akteur.login})")
    e.stadtteil = session.get(m.Stadtteil, ort.stadtteil_id)
    _bestaetigt(e, akteur)
    session.add(e)
    session.flush()
    return e


def _lade_zum_schreiben(session: Session, akteur: Akteur, einrichtung_id: int, version: int | None,
                        was: str) -> m.Einrichtung:
    e = lade(session, m.Einrichtung, einrichtung_id, version=version)
    sr = e.stadtteil.sozialraum_id if e.stadtteil else None
    pruefe_recht(session, akteur, tabelle="einrichtung", sozialraum_id=sr, was=f"{was} „{e.name}“")
    return e


def aendere_einrichtung(session: Session, akteur: Akteur, *, einrichtung_id: int, version: int, kommune: Kommune,
                        trotz_dublette: bool = False, punkt: shapely.Point | None = None,
                        **aenderungen: Any) -> m.Einrichtung:
    """Ändert Felder aus FELDER (und mit `punkt` auch die Lage); nur Abweichendes wird geschrieben."""
    unbekannt = sorted(set(aenderungen) - set(FELDER))
    if unbekannt:
        raise EingabeFehler(f"Unbekannte Felder: {', '.join(unbekannt)}. Bearbeitbar: {', '.join(FELDER)}.")
    e = _lade_zum_schreiben(session, akteur, einrichtung_id, version, "das Ändern von")
    werte = _pruefe_felder(kommune, aenderungen)
    _pruefe_zeitraum(werte.get("gueltig_von", e.gueltig_von), werte.get("gueltig_bis", e.gueltig_bis))
    neu = {k: v for k, v in werte.items() if getattr(e, k) != v}
    neuer_punkt = punkt is not None and not shapely.equals(punkt, e.geometrie)
    if not trotz_dublette and ({"name", "art"} & set(neu) or neuer_punkt):
        _warne_dubletten(session, kommune=kommune, art=neu.get("art", e.art), name=neu.get("name", e.name),
                         punkt=punkt if neuer_punkt else e.geometrie, ausser=e.id)
    # erst alles prüfen und nachladen, dann ändern: ein Schreibvorgang, eine Protokollzeile
    with session.no_autoflush:
        if neuer_punkt:
            _setze_lage(session, akteur, e, punkt, kommune)
        for k, v in neu.items():
            setattr(e, k, v)
        _bestaetigt(e, akteur)
    session.flush()
    return e


def _setze_lage(session: Session, akteur: Akteur, e: m.Einrichtung, punkt: shapely.Point, kommune: Kommune) -> None:
    ort = verorte(session, punkt, kommune=kommune)
    pruefe_recht(session, akteur, tabelle="einrichtung", sozialraum_id=ort.sozialraum_id,
                 was=f"das Verschieben von „{e.name}“ nach {ort.stadtteil}")
    stadtteil = session.get(m.Stadtteil, ort.stadtteil_id)
    e.geometrie = shapely.Point(punkt.x, punkt.y)
    if e.stadtteil_id != ort.stadtteil_id:
        e.stadtteil = stadtteil


def verschiebe_einrichtung(session: Session, akteur: Akteur, *, einrichtung_id: int, version: int, kommune: Kommune,
                           punkt: shapely.Point, trotz_dublette: bool = False) -> m.Einrichtung:
    """Neue Lage (EPSG:4326); Stadtteil und Sozialraum werden aus der Geometrie neu bestimmt."""
    e = _lade_zum_schreiben(session, akteur, einrichtung_id, version, "das Verschieben von")
    if not trotz_dublette:
        _warne_dubletten(session, kommune=kommune, art=e.art, name=e.name, punkt=punkt, ausser=e.id)
    with session.no_autoflush:
        _setze_lage(session, akteur, e, punkt, kommune)
        _bestaetigt(e, akteur)
    session.flush()
    return e


def schliesse_einrichtung(session: Session, akteur: Akteur, *, einrichtung_id: int, version: int, zum: date,
                          grund: str | None = None) -> m.Einrichtung:
    """Schließt zum Datum `zum` (letzter Tag): gültig-bis wird gesetzt, der Eintrag bleibt für frühere Stichtage."""
    e = _lade_zum_schreiben(session, akteur, einrichtung_id, version, "das Schließen von")
    if not isinstance(zum, date):
        raise EingabeFehler("Bitte das Datum der Schließung angeben.")
    _pruefe_zeitraum(e.gueltig_von, zum)
    e.gueltig_bis = zum
    e.schliessgrund = text_oder_none(grund, feld="Grund der Schließung", hoechstens=2000)
    _bestaetigt(e, akteur)
    session.flush()
    return e


def oeffne_einrichtung(session: Session, akteur: Akteur, *, einrichtung_id: int, version: int) -> m.Einrichtung:
    """Hebt eine Schließung auf (gültig-bis und Grund werden geleert)."""
    e = _lade_zum_schreiben(session, akteur, einrichtung_id, version, "das Wiedereröffnen von")
    if e.gueltig_bis is None and e.aktiv:
        raise EingabeFehler(f"„{e.name}“ ist nicht geschlossen.")
    e.gueltig_bis = None
    e.schliessgrund = None
    e.aktiv = True
    _bestaetigt(e, akteur)
    session.flush()
    return e


def bestaetige_einrichtung(session: Session, akteur: Akteur, *, einrichtung_id: int, version: int,
                           heute: date | None = None) -> m.Einrichtung:
    """„Stimmt noch“: setzt das Bestätigungsdatum auf heute, ohne sonst etwas zu ändern."""
    e = _lade_zum_schreiben(session, akteur, einrichtung_id, version, "das Bestätigen von")
    _bestaetigt(e, akteur, heute)
    session.flush()
    return e


def loesche_einrichtung(session: Session, akteur: Akteur, *, einrichtung_id: int, version: int) -> None:
    """Endgültig löschen – nur Administration; sonst schließen. Verweise von Sitzungen/Hospitationen → Ablehnung."""
    if not politik.darf(akteur, "einrichtung_endgueltig_loeschen", "einrichtung_endgueltig_loeschen"):
        raise RechteFehler("Endgültig löschen darf nur die Administration. Bitte die Einrichtung stattdessen "
                           "mit Datum schließen – dann bleibt sie für frühere Stichtage und im Verlauf erhalten.")
    e = lade(session, m.Einrichtung, einrichtung_id, version=version)
    sitzungen = session.scalar(select(func.count()).select_from(m.Sitzung).where(m.Sitzung.ort_id == e.id)) or 0
    hosp = session.scalar(select(func.count()).select_from(m.Hospitation).where(
        (m.Hospitation.von_id == e.id) | (m.Hospitation.nach_id == e.id))) or 0
    if sitzungen or hosp:
        raise EingabeFehler(f"„{e.name}“ ist Ort von {sitzungen} Sitzung(en) und Teil von {hosp} Hospitation(en) "
                            "und kann daher nicht gelöscht werden. Bitte stattdessen schließen.")
    session.delete(e)
    session.flush()


def auswahlliste(session: Session, sozialraum_id: int | None, *, heute: date | None = None) -> list[dict[str, Any]]:
    """Einrichtungen eines Sozialraums (None = alle), auch geschlossene – zum Auswählen im Formular."""
    heute = heute or date.today()
    q = (select(m.Einrichtung.id, m.Einrichtung.name, m.Einrichtung.art, m.Einrichtung.gueltig_bis,
                m.Stadtteil.name, m.Stadtteil.sozialraum_id)
         .join(m.Stadtteil, m.Einrichtung.stadtteil_id == m.Stadtteil.id).order_by(m.Einrichtung.name))
    if sozialraum_id is not None:
        q = q.where(m.Stadtteil.sozialraum_id == sozialraum_id)
    return [{"id": i, "name": n, "art": a, "stadtteil": st, "sozialraum_id": sr,
             "offen": bis is None or bis >= heute} for i, n, a, bis, st, sr in session.execute(q)]
