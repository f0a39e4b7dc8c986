"""Reflexion (R11, 5.2): jährlich Delegierte der Gremien mit der Lenkungsgruppe, danach die Lenkungsgruppe allein;
dokumentiert von der Jugendhilfeplanung. Die Reflexion liegt nach den Sitzungen, die sie betrachtet."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from daten import modelle as m
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
    if art not in REFLEXION_ARTEN:
        raise EingabeFehler(f"Reflexionsart '{art}' gibt es nicht. Möglich: {', '.join(REFLEXION_ARTEN)}.")
    if not (ergebnisse or "").strip():
        raise EingabeFehler("Reflexion: bitte die Ergebnisse eintragen.")
    von = zeitraum_von or date(jahr, 1, 1)
    if zeitraum_bis is None:
        letzte = session.scalar(select(func.max(m.Sitzung.datum)).where(m.Sitzung.datum >= von,
                                                                         m.Sitzung.datum < datum,
                                                                         m.Sitzung.datum <= date(jahr, 12, 31)))
        zeitraum_bis = letzte or min(date(jahr, 12, 31), datum)
        if zeitraum_bis >= datum:
            raise EingabeFehler("Die Reflexion liegt nach den Sitzungen, die sie betrachtet: bitte ein späteres Datum.")
    r = m.Reflexion(jahr=int(jahr), datum=datum, art=art, vorsitzung_id=vorsitzung_id, zeitraum_von=von,
                    zeitraum_bis=zeitraum_bis, teilnehmende=teilnehmende, delegierte=list(delegierte or []),
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
