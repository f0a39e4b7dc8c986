"""Hospitationen (R13, 5.4): von Einrichtung zu Einrichtung, Datum, Personen, Zweck; gezählt je Sozialraum und Jahr.

Ziel ist das Arbeitsfeld eines Partners: eine Hospitation zwischen zwei Einrichtungen derselben markierten
Art (Kita → Kita, `gremium.hospitation_markieren`) ist erlaubt, wird aber markiert.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from daten import modelle as m
from daten.fehler import EingabeFehler
from daten.gremium.kalender import kalender_hinweise
from daten.politik import Akteur

HOSPITATION_SPALTEN = ["id", "datum", "jahr", "von_id", "von", "von_art", "nach_id", "nach", "nach_art",
                       "sozialraum_id", "sozialraum", "anzahl_personen", "bereich", "zweck"]


def trage_hospitation_ein(session: Session, akteur: Akteur, *, kommune: Any, von_id: int, nach_id: int, datum: date,
                          anzahl_personen: int = 1, zweck: str | None = None) -> tuple[m.Hospitation, list[str]]:
    """Trägt eine Hospitation ein; gibt sie mit Hinweisen zurück (gleiche Art, Wochenende/Feiertag)."""
    von, nach = session.get(m.Einrichtung, von_id), session.get(m.Einrichtung, nach_id)
    if von is None or nach is None:
        raise EingabeFehler("Hospitation: Einrichtung „von“ oder „nach“ gibt es nicht.")
    if anzahl_personen is None or anzahl_personen < 1:
        raise EingabeFehler("Hospitation: mindestens eine Person.")
    felder = kommune.gremium.arbeitsfelder
    h = m.Hospitation(von_id=von.id, nach_id=nach.id, von=von, nach=nach, datum=datum,
                      anzahl_personen=int(anzahl_personen), zweck=(zweck or "").strip() or None,
                      bereich=felder.get(nach.art, nach.art))
    session.add(h)
    session.flush()
    hinweise = kalender_hinweise(datum, kommune.gremium.bundesland)
    if gleiche_art_markiert(kommune, von.art, nach.art):
        hinweise.append(f"{felder.get(von.art, von.art)} → {felder.get(nach.art, nach.art)}: gleiches Arbeitsfeld "
                        "(erlaubt, aber markiert; Ziel ist das Arbeitsfeld eines Partners).")
    return h, hinweise


def gleiche_art_markiert(kommune: Any, von_art: str, nach_art: str) -> bool:
    return von_art == nach_art and von_art in kommune.gremium.hospitation_markieren


def hospitationen(session: Session) -> pd.DataFrame:
    """Alle Hospitationen (Spalten HOSPITATION_SPALTEN); Sozialraum = der der besuchenden Einrichtung."""
    von, nach = aliased(m.Einrichtung), aliased(m.Einrichtung)
    q = (select(m.Hospitation, von, nach, m.Stadtteil.sozialraum_id, m.Sozialraum.name)
         .join(von, m.Hospitation.von_id == von.id).join(nach, m.Hospitation.nach_id == nach.id)
         .join(m.Stadtteil, von.stadtteil_id == m.Stadtteil.id)
         .join(m.Sozialraum, m.Stadtteil.sozialraum_id == m.Sozialraum.id)
         .order_by(m.Hospitation.datum))
    return pd.DataFrame([{"id": h.id, "datum": h.datum, "jahr": h.datum.year, "von_id": v.id, "von": v.name,
                          "von_art": v.art, "nach_id": n.id, "nach": n.name, "nach_art": n.art, "sozialraum_id": srid,
                          "sozialraum": name, "anzahl_personen": h.anzahl_personen, "bereich": h.bereich or "",
                          "zweck": h.zweck or ""} for h, v, n, srid, name in session.execute(q)],
                        columns=HOSPITATION_SPALTEN)
