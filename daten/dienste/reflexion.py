"""Reflexion (R11, 5.2): jährlich Delegierte der Gremien mit der Lenkungsgruppe, danach die Lenkungsgruppe allein;
dokumentiert von der Jugendhilfeplanung. Die Reflexion liegt nach den Sitzungen, die sie betrachtet.

Je Jahr gibt es eine gemeinsame Reflexion (mit den Delegierten je Gremium, `delegierte` = [{sozialraum, name}]) und
danach eine Sitzung der Lenkungsgruppe; eine zweite im selben Jahr lehnen Dienst und Datenschicht mit deutscher
Meldung ab (die Datenbank hält es zusätzlich mit einer Eindeutigkeit auf (jahr, art))."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from daten import modelle as m
from daten import werte
from daten.dienste._gemeinsam import pruefe_recht
from daten.fehler import EingabeFehler
from daten.modelle.gremium import REFLEXION_ARTEN
from daten.politik import Akteur

REFLEXION_SPALTEN = ["id", "jahr", "datum", "art", "vorsitzung_id", "zeitraum_von", "zeitraum_bis", "teilnehmende",
                     "delegierte", "ergebnisse", "vorschlaege", "dokumentiert_von", "version"]


def dokumentiere_reflexion(session: Session, akteur: Akteur, *, jahr: int, datum: date, art: str,
                           ergebnisse: str, teilnehmende: str | None = None, delegierte: list[dict[str, Any]] = (),
                           vorschlaege: str | None = None, vorsitzung_id: int | None = None,
                           zeitraum_von: date | None = None, zeitraum_bis: date | None = None) -> m.Reflexion:
    """Dokumentiert eine Reflexion (Jugendhilfeplanung). Ohne Zeitraum: das Jahr bis zur letzten Sitzung vor dem
    Datum – so betrachtet sie nur Sitzungen, die schon stattgefunden haben."""
    pruefe_recht(session, akteur, tabelle="reflexion", sozialraum_id=None, was="die Reflexion")
    if art not in REFLEXION_ARTEN:
        raise EingabeFehler(f"Reflexionsart '{art}' gibt es nicht. Möglich: {', '.join(REFLEXION_ARTEN)}.")
    if not (ergebnisse or "").strip():
        raise EingabeFehler("Reflexion: bitte die Ergebnisse eintragen.")
    if datum is None:
        raise EingabeFehler("Reflexion: bitte das Datum der Sitzung angeben.")
    schon = session.scalar(select(m.Reflexion).where(m.Reflexion.jahr == int(jahr), m.Reflexion.art == art))
    if schon is not None:
        was = "gemeinsame Reflexion" if art == werte.REFLEXION_GEMEINSAM else "Sitzung der Lenkungsgruppe"
        am = f" vom {schon.datum:%d.%m.%Y}" if schon.datum else ""
        raise EingabeFehler(f"Für {jahr} ist die {was} schon dokumentiert{am} (5.2: einmal im Jahr). Bitte diese "
                            "ergänzen statt eine zweite anzulegen.")
    delegierte = [{"sozialraum": str(d.get("sozialraum") or "").strip(), "name": str(d.get("name") or "").strip()}
                  for d in (delegierte or []) if str(d.get("name") or "").strip()]
    if art == werte.REFLEXION_GEMEINSAM and not delegierte:
        raise EingabeFehler("Gemeinsame Reflexion (5.2): bitte die Delegierten der Gremien eintragen (je Gremium "
                            "eine Person).")
    if art == werte.REFLEXION_LENKUNGSGRUPPE and vorsitzung_id is None:
        vorsitzung_id = session.scalar(select(m.Reflexion.id).where(
            m.Reflexion.jahr == int(jahr), m.Reflexion.art == werte.REFLEXION_GEMEINSAM))
    von = zeitraum_von or date(jahr, 1, 1)
    if zeitraum_bis is None:
        letzte = session.scalar(select(func.max(m.Sitzung.datum)).where(m.Sitzung.datum >= von,
                                                                         m.Sitzung.datum < datum,
                                                                         m.Sitzung.datum <= date(jahr, 12, 31)))
        zeitraum_bis = letzte or min(date(jahr, 12, 31), datum)
        if zeitraum_bis >= datum:
            raise EingabeFehler("Die Reflexion liegt nach den Sitzungen, die sie betrachtet: bitte ein späteres Datum.")
    r = m.Reflexion(jahr=int(jahr), datum=datum, art=art, vorsitzung_id=vorsitzung_id, zeitraum_von=von,
                    zeitraum_bis=zeitraum_bis, teilnehmende=teilnehmende, delegierte=delegierte,
                    ergebnisse=ergebnisse.strip(), vorschlaege=(vorschlaege or "").strip() or None,
                    dokumentiert_von=akteur.login)
    session.add(r)
    session.flush()
    return r


def reflexionen(session: Session) -> pd.DataFrame:
    """Alle Reflexionen (Spalten REFLEXION_SPALTEN), nach Datum."""
    return pd.DataFrame([{k: getattr(r, k) for k in REFLEXION_SPALTEN}
                         for r in session.scalars(select(m.Reflexion).order_by(m.Reflexion.datum, m.Reflexion.id))],
                        columns=REFLEXION_SPALTEN)
