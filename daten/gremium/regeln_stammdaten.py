"""Regeln für die Stammdaten der Gremiumsarbeit (Teil von `daten.gremium.regeln`, vor jedem Flush geprüft):
Hospitationen (R13), Reflexionen (5.2), Stufenbeschlüsse (R2) und Teilgremien (Fußnote 3 der Konzeption)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from daten import modelle as m
from daten.fehler import EingabeFehler
from daten.modelle.gremium import REFLEXION_ARTEN


def sr_id(obj: Any) -> int | None:
    """Sozialraum-id eines Objekts, auch wenn vor dem Flush nur die Beziehung gesetzt ist."""
    if getattr(obj, "sozialraum_id", None) is not None:
        return obj.sozialraum_id
    sr = getattr(obj, "sozialraum", None)
    return sr.id if sr is not None else None


def _pruefe_hospitation(h: m.Hospitation) -> None:
    if (h.von_id is not None and h.von_id == h.nach_id) or (h.von is not None and h.von is h.nach):
        raise EingabeFehler("Eine Hospitation führt in eine andere Einrichtung (von ≠ nach).")
    if h.datum is None or (h.anzahl_personen or 0) < 1:
        raise EingabeFehler("Eine Hospitation braucht ein Datum und mindestens eine Person.")


def _pruefe_reflexion(session: Session, r: m.Reflexion) -> None:
    if r.art not in REFLEXION_ARTEN:
        raise EingabeFehler(f"Reflexionsart '{r.art}' gibt es nicht. Möglich: {', '.join(REFLEXION_ARTEN)}.")
    if r.datum and r.zeitraum_bis and r.datum <= r.zeitraum_bis:
        raise EingabeFehler("Die Reflexion liegt nach den Sitzungen, die sie betrachtet: Datum nach dem Zeitraum.")
    if r.zeitraum_von and r.zeitraum_bis and r.zeitraum_von > r.zeitraum_bis:
        raise EingabeFehler("Der betrachtete Zeitraum endet vor seinem Beginn.")
    if r.art == "lenkungsgruppe":
        vor = session.get(m.Reflexion, r.vorsitzung_id) if r.vorsitzung_id else None
        if vor is None or vor.art != "gemeinsam" or (r.datum and vor.datum and r.datum <= vor.datum):
            raise EingabeFehler("Die Sitzung der Lenkungsgruppe folgt auf eine gemeinsame Reflexion (5.2).")


def _pruefe_stufe(b: m.Stufenbeschluss, kommune: Any) -> None:
    if b.stufe not in kommune.stufen:
        raise EingabeFehler(f"Stufe {b.stufe} gibt es nicht. Möglich: {', '.join(map(str, kommune.stufen))}.")
    if b.gueltig_ab is None or not (b.beschluss or "").strip():
        raise EingabeFehler("Ein Stufenbeschluss braucht ein Datum und den Beschluss (Text).")


def _pruefe_teilgremium(t: m.Teilgremium) -> None:
    if not (t.name or "").strip() or not t.stadtteile:
        raise EingabeFehler("Ein Teilgremium braucht einen Namen und mindestens einen Stadtteil.")
    if any(st.sozialraum_id != sr_id(t) for st in t.stadtteile):
        raise EingabeFehler("Ein Teilgremium umfasst nur Stadtteile seines Sozialraums.")
